"""A Twine file brought to the admin becomes a new story: read, previewed, then created.

    stories = read_file(raw_bytes, "mara.twee")           # TwineError: a sentence, no story
    plan = prepare(stories, name, story_id, lang, pack)    # the preview: scenes, warnings
    text = complete(plan.result.yaml_text, lang, summary, duration, age_min)
    findings = check(plan, pack, wc.root, text)            # the validator, nothing written
    lifecycle.create(ctx, wc, plan.story_id, text, ...)    # the same save as a new story

The reading and converting are ``kiosk.content.twine``'s, as `kiosk import twine` does them;
here only what the admin adds: the choice of a story in a library archive, a preview that
writes nothing, and the fields a story needs to load at all (summary, duration, age), which
Twine has no place for. Consent and content notes stay for the story's settings page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from admin.content.check import check_story_text
from admin.content.lifecycle import blank_text
from admin.content.yamledit import edit_document, load
from kiosk.content import model as M
from kiosk.content.findings import Finding
from kiosk.content.twine import TwineError, TwineStory, read
from kiosk.content.twine.convert import Result, convert
from kiosk.content.twine.source import THE_FILE


def read_file(raw: bytes, filename: str) -> list[TwineStory]:
    """The stories of an uploaded file; TwineError (a sentence) when it holds none."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TwineError("%(file)s is not UTF-8 text, so it is not a Twine file",
                         file=filename or THE_FILE) from None
    return read(text, filename)


@dataclass
class SceneRow:
    """One scene of the preview: where it came from and where it leads."""

    id: str
    text: str
    choices: list[tuple[str, str, str]] = field(default_factory=list)  # label, goto, if
    next: str = ""
    ending: bool = False


@dataclass
class Plan:
    """What an import would write: the converted story and its preview, nothing written."""

    story: TwineStory
    story_id: str
    result: Result
    scenes: list[SceneRow]

    @property
    def warnings(self) -> list[Finding]:
        """What the author should know, each naming the passage and its line."""
        return self.result.findings


def prepare(stories: list[TwineStory], name: str, story_id: str, lang: str,
            pack: M.Pack) -> Plan:
    """Convert the story called `name` (else the first) for the preview and the import."""
    story = next((s for s in stories if s.title == name), stories[0])
    result = convert(story, story_id or None, lang, set(pack.content_notes))
    rows = []
    for sid, scene in result.data["scenes"].items():
        row = SceneRow(sid, scene["text"][lang], next=scene.get("next", ""),
                       ending="ending" in scene)
        row.choices = [(c["label"][lang], c["goto"], c.get("if", ""))
                       for c in scene.get("choices", [])]
        rows.append(row)
    return Plan(story, result.story_id, result, rows)


def complete(yaml_text: str, lang: str, summary: str, duration: str, age_min: str) -> str:
    """The imported text with what every story needs to load: summary, duration, age
    (read, with their defaults, as a blank new story reads them)."""
    blank = load(blank_text("x", "x", lang, summary, "x", duration, age_min))

    def change(doc):
        at = list(doc).index("title") + 1 if "title" in doc else 1
        for key in ("summary", "duration", "age_min"):
            if blank.get(key):  # an empty summary stays out: the validator asks for it
                doc.insert(at, key, blank[key])
                at += 1
    return edit_document(yaml_text, change)


def check(plan: Plan, pack: M.Pack, root: Path, text: str) -> list[Finding]:
    """What the validator would say about the story file `text` of `plan`, unwritten."""
    return check_story_text(pack, root, f"stories/{plan.story_id}.yaml", text).findings
