"""What a country overlay changes against its base, side by side, for the overlay's page.

The merge itself is the content model's (`kiosk.content.overlay`); this module only reads
the overlay's own files (pack.yaml, stories/, overrides/) next to its base as loaded alone,
and says per group what the overlay replaces, adds or hides:

- settings: each key of the overlay's pack.yaml against the base's (helplines by id);
- stories the overlay adds, base stories it hides (with the reason), base helplines it hides;
- overrides (overrides/<story>.yaml): each replaced text or media by story, scene, field and
  language, the base's value now and the overlay's; **stale** when the base value's
  `short_hash` is no longer the one the override recorded. The base's old text is only a hash
  in the file; it is recovered from the admin's revisions of the base story when one of them
  has a value with that hash (`old_texts`), else the page says only the hash is known;
- languages an overrides file adds to a base story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.content import yamledit
from admin.content.storyfile import read
from admin.models_content import Revision
from kiosk.content import LoadedPack, slots
from kiosk.content import model as M
from kiosk.content.overlay import short_hash

# pack.yaml keys that are the overlay's own bookkeeping, not a setting it changes
OWN_KEYS = ("id", "version", "extends", "hide", "helplines")
# How many of the base story's revisions are searched for the text an override was written
# against (newest first).
OLD_REVISIONS = 50


@dataclass
class Setting:
    """One pack setting the overlay gives: its key (a helpline as `helplines: <id>`), the
    base's value and the overlay's, as YAML; `added` when the base has none."""

    key: str
    base: str
    overlay: str
    added: bool


@dataclass
class Override:
    """One replaced text or media of a base story, in one language (None: a media path)."""

    story: str
    line: str  # the line id: "nadia/scenes/after/ending/action"
    lang: str | None
    scene: str | None
    field: str  # what of the scene: "ending: action", "text"
    what: str  # "text" or "src": the key holding the overlay's value
    overlay: str
    recorded: str  # the hash the override recorded
    base_now: str  # the base's value now ("" when the base no longer has the place)
    missing: bool  # the base no longer has that place (an error; kiosk check names it)
    old: str | None = None  # the base's value the override was written against, if known

    @property
    def stale(self) -> bool:
        """True when the base's value changed since the override was written."""
        return not self.missing and short_hash(self.base_now) != self.recorded

    @property
    def current_hash(self) -> str:
        """The hash of the base's value now (what Accept records)."""
        return short_hash(self.base_now)


@dataclass
class OverlayView:
    """What one overlay changes against its base, grouped for its page."""

    base_id: str
    base_version: str
    settings: list[Setting] = field(default_factory=list)
    stories_added: list[M.Story] = field(default_factory=list)
    stories_hidden: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)
    helplines_hidden: list[tuple[str, str]] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    languages_added: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def stale(self) -> list[Override]:
        """The overrides whose base changed under them."""
        return [o for o in self.overrides if o.stale]


def _yaml(value) -> str:
    """A setting's value as the YAML an author would write ("" for none)."""
    if value is None:
        return ""
    return yamledit.dump(value).strip().removesuffix("...").strip()


def _raw(path: Path) -> dict:
    """A YAML file as read for showing ({} when it is missing or not a mapping)."""
    try:
        data = yamledit.load_for_reading(read(path)[0])
    except (OSError, yaml.YAMLError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _reason(value) -> str:
    return str(value.get("reason", "")) if isinstance(value, dict) else str(value or "")


def compare(overlay_root: Path, overlay: LoadedPack, base: LoadedPack) -> OverlayView:
    """The overlay in `overlay_root` (as loaded merged: `overlay`) against its base as
    loaded alone (`base`)."""
    mine = _raw(overlay_root / "pack.yaml")
    theirs = _raw(Path(base.pack.root) / "pack.yaml")
    view = OverlayView(base.pack.id, base.pack.version)
    for key, value in mine.items():
        if key not in OWN_KEYS:
            view.settings.append(Setting(key, _yaml(theirs.get(key)), _yaml(value),
                                         key not in theirs))
    base_lines = {line.get("id"): line for line in theirs.get("helplines") or []
                  if isinstance(line, dict)}
    for line in mine.get("helplines") or []:
        if isinstance(line, dict):
            old = base_lines.get(line.get("id"))
            view.settings.append(Setting(f"helplines: {line.get('id')}", _yaml(old),
                                         _yaml(line), old is None))
    hide = mine.get("hide") or {}
    view.stories_hidden = [(k, _reason(v)) for k, v in (hide.get("stories") or {}).items()]
    view.helplines_hidden = [(k, _reason(v)) for k, v in (hide.get("helplines") or {}).items()]
    if overlay.pack is not None:
        view.stories_added = [s for s in overlay.pack.stories.values()
                              if not s.file.startswith("../")]
    for path in sorted((overlay_root / "overrides").glob("*.yaml")):
        story = base.pack.stories.get(path.stem)
        data = _raw(path)
        added = [str(x) for x in data.get("languages") or []]
        if added:
            view.languages_added.append((path.stem, added))
        view.overrides += _overrides(path.stem, data.get("lines") or {}, story,
                                     base.pack.default_language)
    return view


def _overrides(story_id: str, lines: dict, story: M.Story | None,
               default: str) -> list[Override]:
    """The replacements of one overrides file against the base story (None: gone)."""
    by_id = {s.id: s for s in slots.story_slots(story)} if story is not None else {}
    out = []
    for line_id, reps in lines.items():
        slot = by_id.get(line_id)
        scene = slot.scene if slot else None
        label = str(slot.label) if slot else line_id.rsplit("/", 1)[-1]
        per_lang = [(lang, rep) for lang, rep in reps.items() if isinstance(rep, dict)] \
            if isinstance(reps, dict) and "base" not in reps else [(None, reps)]
        for lang, rep in per_lang:
            if not isinstance(rep, dict):
                continue
            what = "text" if "text" in rep else "src"
            now = ""
            if slot is not None:
                value = slot.value
                now = ((value.get(lang) or value.get(default, "")) if isinstance(value, dict)
                       else value) if lang else (value if isinstance(value, str) else "")
            out.append(Override(story_id, line_id, lang, scene, label, what,
                                str(rep.get(what, "")), str(rep.get("base", "")), now,
                                slot is None))
    return out


def old_texts(db: Session, base_id: str, base: LoadedPack, stale: list[Override]) -> None:
    """Fill each stale override's `old` with the base's value it was written against, when
    one of the admin's revisions of the base story still holds a value with that hash."""
    for ov in stale:
        story = base.pack.stories.get(ov.story)
        if story is None:
            continue
        revisions = db.scalars(
            select(Revision).where(Revision.pack_id == base_id, Revision.file == story.file)
            .order_by(Revision.id.desc()).limit(OLD_REVISIONS)).all()
        for rev in revisions:
            found = _value_in(rev.before, ov, base.pack.default_language)
            if found is not None:
                ov.old = found
                break


def _value_in(text: str, ov: Override, default: str) -> str | None:
    """The value at an override's place in an old story text, if it has the recorded hash."""
    try:
        built = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    node = built
    # the line id after the story: scenes/<scene>/<field...>
    for key in ov.line.split("/")[1:]:
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list):  # choices by id
            node = next((c for c in node if isinstance(c, dict) and c.get("id") == key), None)
        else:
            return None
    if isinstance(node, dict) and ov.lang is not None:
        node = node.get(ov.lang) or node.get(default)
    if isinstance(node, dict) and "src" in node:
        node = node["src"]
    if isinstance(node, str):
        for candidate in (node, node.strip()):  # a block scalar's text ends in a newline
            if short_hash(candidate) == ov.recorded:
                return candidate
    return None
