"""Twine 2 published HTML and library archives: `<tw-storydata>` holding `<tw-passagedata>`.

Read with Python's html.parser (entities decoded); an archive holds several stories.
"""

from __future__ import annotations

from html.parser import HTMLParser

from kiosk.content.phrase import Phrase
from kiosk.content.twine.source import THE_FILE, Passage, TwineError, TwineStory


def _pair(value: str | None):
    try:
        x, y = (float(v) for v in (value or "").split(","))
        return (x, y)
    except ValueError:
        return None


class _Reader(HTMLParser):
    def __init__(self, file: str):
        super().__init__(convert_charrefs=True)
        self.file = file
        self.stories: list[TwineStory] = []
        self.story: TwineStory | None = None
        self.start_pid = ""
        self.pids: dict[str, str] = {}
        self.passage: Passage | None = None
        self.chunks: list[str] = []
        self.dropped = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if tag == "tw-storydata":
            self.story = TwineStory(title=a.get("name", ""), passages=[], file=self.file,
                                    format=a.get("format", ""),
                                    format_version=a.get("format-version", ""),
                                    ifid=a.get("ifid", ""))
            self.start_pid, self.pids = a.get("startnode", ""), {}
            self.story_line = line
        elif tag == "tw-passagedata" and self.story is not None:
            self.passage = Passage(name=a.get("name", ""), text="", tags=a.get("tags", "").split(),
                                   line=line, position=_pair(a.get("position")),
                                   size=_pair(a.get("size")))
            self.pid = a.get("pid", "")
            self.chunks = []
        elif tag in ("style", "script") and self.story is not None:
            self.dropped = tag

    def handle_data(self, data):
        if self.passage is not None:
            self.chunks.append(data)

    def handle_endtag(self, tag):
        if tag == "tw-passagedata" and self.passage is not None:
            p, self.passage = self.passage, None
            p.text = "".join(self.chunks)
            names = {q.name: q.line for q in self.story.passages}
            if p.name in names:
                self.story.warn("twine-duplicate", f'passage "{p.name}" is defined twice '
                                f"(lines {names[p.name]} and {p.line}); the second is ignored",
                                p.line, "rename one of them")
            else:
                self.story.passages.append(p)
                self.pids[self.pid] = p.name
        elif tag in ("style", "script") and self.dropped == tag and self.story is not None:
            self.story.warn("twine-dropped", f"the story's {tag} is dropped: the kiosk has its "
                            "own look and runs no story scripts", self.getpos()[0])
            self.dropped = ""
        elif tag == "tw-storydata" and self.story is not None:
            self.story.start = self.pids.get(self.start_pid) or (
                self.story.passages[0].name if self.story.passages else None)
            self.stories.append(self.story)
            self.story = None


def read(text: str, file: str = "") -> list[TwineStory]:
    """Every story of a published file or library archive; TwineError when cut short."""
    r = _Reader(file)
    try:
        r.feed(text)
        r.close()
    except AssertionError:  # Python 3.11's parser asserts on a broken `<![...` declaration
        raise TwineError("%(file)s is damaged HTML (a broken '<!' declaration); publish it "
                         "again from Twine 2", file=file or THE_FILE) from None
    if r.story is not None or r.passage is not None:
        where = Phrase('passage "%(name)s"', name=r.passage.name) if r.passage is not None \
            else Phrase('story "%(name)s"', name=r.story.title)
        raise TwineError("%(file)s ends inside %(where)s: it looks truncated; publish it "
                         "again from Twine 2", file=file or THE_FILE, where=where)
    if not r.stories:
        raise TwineError("%(file)s holds no Twine story", file=file or THE_FILE)
    return r.stories
