"""Twee 3, as the iftechfoundation twine-specs define it, and the legacy headers before it.

    :: Name [tag1 tag2] {"position":"600,400","size":"100,100"}

`[ ] { } \\` in names and tags are escaped with a backslash. `StoryTitle` holds the title,
`StoryData` a JSON object (ifid, format, format-version, start). Legacy Twee2 headers put the
position in `<x,y>`; Twee 1 files have no StoryData. Both are read, with a warning.
"""

from __future__ import annotations

import json
import re

from kiosk.content.twine.source import Passage, TwineStory

_HEADER = re.compile(r"^::(?!:)", re.MULTILINE)
_TWEE2_POS = re.compile(r"^<\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*>$")


def looks_like_twee(text: str) -> bool:
    """True when some line starts a passage header."""
    return bool(_HEADER.search(text))


def escape(name: str) -> str:
    """A passage name or tag escaped for a Twee 3 header."""
    return re.sub(r"([\\\[\]{}])", r"\\\1", name)


def _unescaped_until(s: str, i: int, stops: str) -> tuple[str, int]:
    out = []
    while i < len(s) and s[i] not in stops:
        if s[i] == "\\" and i + 1 < len(s):
            i += 1
        out.append(s[i])
        i += 1
    return "".join(out), i


def _pair(value, story: TwineStory, what: str, name: str, line: int):
    try:
        x, y = (float(v) for v in str(value).split(","))
        return (x, y)
    except (TypeError, ValueError):
        story.warn("twine-metadata", f'passage "{name}": the {what} "{value}" is not "x,y"; '
                   "ignored", line)
        return None


def _header(raw: str, line: int, story: TwineStory) -> Passage:
    s = raw[2:].strip()
    name, i = _unescaped_until(s, 0, "[{<")
    name = name.strip()
    tags: list[str] = []
    rest = s[i:].strip()
    if rest.startswith("["):
        inner, j = _unescaped_until(rest, 1, "]")
        if j >= len(rest):
            story.warn("twine-header", f'passage "{name}": the tag list has no closing "]"', line)
        tags = inner.split()
        rest = rest[j + 1:].strip()
    p = Passage(name=name, text="", tags=tags, line=line)
    if rest.startswith("{"):
        try:
            meta = json.loads(rest)
            if not isinstance(meta, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            story.warn("twine-metadata", f'passage "{name}": its metadata is not valid JSON '
                       f"({exc}); position and size ignored", line)
        else:
            if "position" in meta:
                p.position = _pair(meta["position"], story, "position", name, line)
            if "size" in meta:
                p.size = _pair(meta["size"], story, "size", name, line)
    elif rest.startswith("<"):
        m = _TWEE2_POS.match(rest)
        if m:
            p.position = (float(m.group(1)), float(m.group(2)))
            story.legacy = True
        else:
            story.warn("twine-header", f'passage "{name}": cannot read "{rest}"', line)
    elif rest:
        story.warn("twine-header", f'passage "{name}": cannot read "{rest}" after the name', line)
    return p


def read(text: str, file: str = "") -> TwineStory:
    """The story in a Twee file; problems become the story's findings."""
    story = TwineStory(title="", passages=[], file=file)
    story.legacy = False
    lines = text.lstrip("\ufeff").split("\n")
    current: Passage | None = None
    body: list[str] = []
    seen: dict[str, int] = {}

    def close():
        if current is None:
            return
        while body and not body[-1].strip():
            body.pop()
        current.text = "\n".join(body)
        if current.name in seen:
            story.warn("twine-duplicate", f'passage "{current.name}" is defined twice (lines '
                       f"{seen[current.name]} and {current.line}); the second is ignored",
                       current.line, "rename one of them")
        elif not current.name:
            story.warn("twine-header", "a passage without a name is ignored", current.line)
        else:
            seen[current.name] = current.line
            story.passages.append(current)

    for n, raw in enumerate(lines, 1):
        raw = raw.rstrip("\r")
        if raw.startswith("::") and not raw.startswith(":::"):
            close()
            current, body = _header(raw, n, story), []
        elif current is not None:
            body.append(raw[1:] if raw.startswith("\\::") else raw)
    close()
    _special(story)
    return story


def _special(story: TwineStory) -> None:
    keep = []
    data = None
    for p in story.passages:
        if p.name == "StoryTitle":
            story.title = p.text.strip()
        elif p.name == "StoryData":
            data = p
        else:
            keep.append(p)
    story.passages = keep
    if data is None:
        story.warn("twine-legacy", "no StoryData passage: read as legacy Twee 1/Twee2; the "
                   'start passage is taken to be "Start"', 1,
                   "import the file into Twine 2 and export it as Twee 3 to keep its settings")
        story.start = "Start"
    else:
        try:
            meta = json.loads(data.text)
            if not isinstance(meta, dict):
                raise ValueError("not an object")
        except ValueError as exc:
            story.warn("twine-metadata", f"the StoryData passage is not valid JSON ({exc}); "
                       "the first passage is taken as the start", data.line)
            meta = {}
        story.start = meta.get("start") or None
        story.format = str(meta.get("format", ""))
        story.format_version = str(meta.get("format-version", ""))
        story.ifid = str(meta.get("ifid", ""))
    if story.legacy and data is not None:
        story.warn("twine-legacy", "legacy Twee2 position blocks (<x,y>) were read", 1)
    if story.start is None and story.passages:
        story.start = story.passages[0].name
