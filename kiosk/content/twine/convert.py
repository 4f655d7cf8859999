"""A Twine story -> the text of one story file of ours, with warnings naming passage and line.

Passages become scenes (ids derived from the names, made unique); links become choices, or
`next` for a lone bare `[[Target]]`; a passage with no way on becomes an ending. Sets in a
passage body happen on arrival, so they go onto every choice that leads there (or into
`variables` for the start passage and for `StoryInit`/`startup` passages). Our format has no
place for map positions (the admin lays the map out itself) or for most tags, so the file's
header comment keeps them with the map of passage names to scene ids. What our format needs
and Twine lacks (summary, duration, age, consent, content notes) is left out, so that
`kiosk check` names each one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from kiosk.content.findings import WARNING, Finding
from kiosk.content.schema import ID_RE
from kiosk.content.twine import macros
from kiosk.content.twine.source import Passage, TwineStory

DROPPED_TAGS = {"script": "a script", "stylesheet": "a stylesheet",
                "header": "a Harlowe header", "footer": "a Harlowe footer",
                "debug-header": "a debug header", "debug-footer": "a debug footer",
                "widget": "SugarCube widgets"}
SPECIAL = {"StoryCaption", "StoryMenu", "StoryBanner", "StorySubtitle", "StoryAuthor",
           "StoryInterface", "PassageReady", "PassageDone", "PassageHeader", "PassageFooter",
           "StoryShare", "StoryDisplayTitle"}
INIT = "StoryInit"
MAX_PASSAGE = 1_000_000  # characters; a kiosk scene is a screenful, not a book


def slug(name: str) -> str:
    """A scene id for a passage name: lower case ASCII letters, digits and dashes (a name
    that is already a valid id stays as it is, so an exported story imports unchanged)."""
    if ID_RE.match(name):
        return name
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9_]+", "-", s).strip("-_")
    if not s or not ID_RE.match(s):
        s = f"scene-{s}" if s else "scene"
    return s


@dataclass
class Result:
    """The story file's text and what the author should know."""

    story_id: str
    yaml_text: str
    findings: list[Finding] = field(default_factory=list)
    data: dict = field(default_factory=dict)


class _Literal(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: 20x
    """Multi-line text as `|` blocks, as the demo stories write it."""


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Literal.add_representer(str, _str)


def convert(story: TwineStory, story_id: str | None = None, lang: str = "en",
            content_notes: set[str] | frozenset[str] = frozenset()) -> Result:
    """Our story file for `story`; tags found in `content_notes` become scene content notes."""
    findings = list(story.findings)

    def warn(p: Passage | None, line: int, message: str, code: str = "twine-import",
             hint: str = "") -> None:
        where = f'passage "{p.name}": ' if p is not None else ""
        at = (p.line + 1 + line) if p is not None else 0
        findings.append(Finding(WARNING, code, where + message, story.file, at, 0, "", hint))

    scenes_from: list[Passage] = []
    init: list[Passage] = []
    for p in story.passages:
        dropped = [DROPPED_TAGS[t] for t in p.tags if t in DROPPED_TAGS]
        if dropped or p.name in SPECIAL:
            what = dropped[0] if dropped else f"the special passage {p.name}"
            warn(p, -1, f"dropped: it is {what}; the kiosk has its own look and runs no "
                 "story scripts", "twine-dropped")
        elif p.name == INIT or "startup" in p.tags:
            init.append(p)
        elif len(p.text) > MAX_PASSAGE:
            warn(p, -1, f"is {len(p.text):,} characters long, more than a kiosk screen can "
                 f"hold ({MAX_PASSAGE:,}); left out", "twine-too-long",
                 "split it into several passages")
        else:
            scenes_from.append(p)

    ids: dict[str, str] = {}
    used: set[str] = set()
    for p in scenes_from:
        base = sid = slug(p.name)
        n = 2
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        used.add(sid)
        ids[p.name] = sid

    variables: dict = {}
    for p in init:
        b = macros.read_body(p.text, ids.get)
        variables.update(b.set)
        variables.update({k: v for k, v in b.add.items() if k not in variables})
        for line, msg in b.warnings:
            warn(p, line, msg)

    bodies = {p.name: macros.read_body(p.text, ids.get) for p in scenes_from}
    scenes: dict[str, dict] = {}
    incoming_next: set[str] = set()
    for p in scenes_from:
        b = bodies[p.name]
        for line, msg in b.warnings:
            warn(p, line, msg)
        ways = []
        for w in b.ways:
            if w.target not in ids:
                warn(p, w.line, f'the link "{w.text}" goes to "{w.target}", which does not '
                     "exist; left out", "twine-broken-link")
            else:
                ways.append(w)
        text = b.text
        if not text:  # our scenes need text; the name is what the author called the moment
            text = p.name
            warn(p, -1, "has no text of its own, only links; its name is the scene's text "
                 "for now", "twine-no-text", "write the text the visitor reads there")
        scene: dict = {"text": {lang: text}}
        notes = [t for t in p.tags if t in content_notes]
        if notes:
            scene["content_notes"] = notes
        if not ways:
            scene["ending"] = True
        elif len(ways) == 1 and ways[0].bare and not ways[0].condition \
                and not ways[0].set and not ways[0].add:
            scene["next"] = ids[ways[0].target]
            incoming_next.add(ways[0].target)
        else:
            scene["choices"] = [_choice(w, ids, lang) for w in ways]
        scenes[ids[p.name]] = scene

    start = story.start if story.start in ids else None
    if story.start and start is None:
        warn(None, 0, f'the start passage "{story.start}" is not among the passages; the first '
             "passage is the start", "twine-start")
    if start is None and scenes_from:
        start = scenes_from[0].name

    # Sets in a body happen on arrival: move them onto the choices that lead there.
    for p in scenes_from:
        b = bodies[p.name]
        if not (b.set or b.add):
            continue
        sid = ids[p.name]
        if p.name == start:
            variables.update(b.set)
        if p.name in incoming_next or (p.name == start and b.add):
            warn(p, 0, "sets variables on arrival, but is reached without a choice; those "
                 "settings are left out there", "twine-import")
        for scene in scenes.values():
            for c in scene.get("choices", []):
                if c["goto"] == sid:
                    c.setdefault("set", {}).update(b.set)
                    for k, v in b.add.items():
                        c.setdefault("add", {})[k] = c.get("add", {}).get(k, 0) + v

    sid_final = story_id or slug(story.title or "twine-story")
    data: dict = {"id": sid_final, "title": {lang: story.title or sid_final},
                  "languages": [lang]}
    if variables:
        data["variables"] = variables
    data["start"] = ids[start] if start else "start"
    data["scenes"] = scenes
    if not scenes:
        findings.append(Finding("error", "twine-empty", "the story has no passages to import",
                                story.file))
    text = _header(story, scenes_from, ids) + yaml.dump(
        data, Dumper=_Literal, sort_keys=False, allow_unicode=True, width=100)
    return Result(sid_final, text, findings, data)


def _choice(w: macros.Way, ids: dict[str, str], lang: str) -> dict:
    c: dict = {"label": {lang: w.text}, "goto": ids[w.target]}
    if w.condition:
        c["if"] = w.condition
    if w.set:
        c["set"] = dict(w.set)
    if w.add:
        c["add"] = dict(w.add)
    return c


def _header(story: TwineStory, passages: list[Passage], ids: dict[str, str]) -> str:
    fmt = " ".join(x for x in (story.format, story.format_version) if x)
    lines = [f"# Imported from Twine: {story.file or 'a Twine story'}"
             + (f" ({fmt})" if fmt else "") + (f", IFID {story.ifid}" if story.ifid else ""),
             "# Twine has no place for what a kiosk story needs: add summary, duration,",
             "# age_min, consent and content_notes (kiosk check lists each one).",
             "# Passage names -> scene ids, with Twine's map position (x,y) and tags:"]
    for p in passages:
        extra = ""
        if p.position:
            extra += f"  at {p.position[0]:g},{p.position[1]:g}"
        if p.tags:
            extra += "  tags: " + " ".join(p.tags)
        name = p.name.replace("\n", " ")
        lines.append(f"#   {name} -> {ids[p.name]}{extra}")
    return "\n".join(lines) + "\n"
