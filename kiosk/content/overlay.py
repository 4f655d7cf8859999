"""Merging a country overlay onto its base: settings, stories, overrides, tombstones.

An overlay (docs/content-format.md, "Country overlays") is a pack whose pack.yaml
`extends:` a base. The loader reads both as `Layer`s (built, not yet checked) and this module
merges them into one, which the one validator then checks as a whole:

- settings the overlay gives replace the base's: title, country, languages,
  default_language, surveys; helplines merge by id (replace or add), content notes, pictures
  and each language's interface strings by key, the kiosk settings key by key, the
  overlay's fallback order (only an overlay has one) by language;
- the overlay's own stories are added; a base story's single texts and media are replaced by
  their place (a line id of kiosk.content.slots, and a language) from overrides/<story>.yaml,
  which may also add languages to the story;
- `hide:` leaves out base stories and helplines, each with a reason (a named tombstone).

Every replacement records the short hash (`short_hash`) of the base value it was written
against; a base that changed since makes it stale (a warning, an error under --strict). A
replacement or tombstone whose base item is gone is an error naming both files. Every value
keeps the file, line and column it comes from (`Layer.placed`, `Draft.placed`), so findings
of the merged pack point at the base's file or the overlay's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from kiosk.content import model as M
from kiosk.content import slots
from kiosk.content.findings import ERROR, WARNING, Finding, finding
from kiosk.content.phrase import Phrase

Place = tuple[str, int, int]  # (file as shown to the author, line, col)

# Header keys an overlay replaces whole when it gives them.
REPLACED = ("title", "languages", "default_language", "country", "surveys")
# Header keys merged key by key (a mapping of mappings: by its first key).
BY_KEY = ("content_notes", "pictures", "fallback", "kiosk")


def short_hash(value: str) -> str:
    """The hash an override records of the base value it replaces: 12 hex digits of sha256."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


@dataclass
class Draft:
    """A story as built from its file, not yet checked: where its values are in the file,
    and `placed`, the values another file (an overlay) gave it."""

    story: M.Story
    where: dict[str, tuple[int, int]]
    placed: dict[str, Place] = field(default_factory=dict)


@dataclass
class Layer:
    """One pack folder as read (or several, merged): its settings (pack.yaml's values),
    where each comes from, its stories, and the findings of reading them."""

    root: Path
    header: dict
    placed: dict[str, Place]  # pack.yaml data path -> where its value is written
    stories: dict[str, Draft]
    findings: list[Finding]
    shown: str = ""  # how the folder is named in findings: "" for the pack checked,
    # else relative to it ("../content/"): files an author can open from there
    bases: list[M.BaseRef] = field(default_factory=list)


def _take(placed: dict[str, Place], prefix: str, into: dict[str, Place],
          renamed: str | None = None) -> None:
    """Copy the places of `prefix` and everything under it, under a new name if given."""
    renamed = prefix if renamed is None else renamed
    for path, where in placed.items():
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            into[renamed + path[len(prefix):]] = where


def merge_header(base: Layer, overlay: Layer) -> tuple[dict, dict[str, Place], list[Finding]]:
    """The merged settings, where each comes from, and the findings of hidden helplines the
    base does not have."""
    b, o = base.header, overlay.header
    out: dict = {"id": o["id"], "version": o["version"]}
    placed: dict[str, Place] = {}
    for key in ("id", "version"):
        _take(overlay.placed, key, placed)
    for key in REPLACED:
        if key in o:
            out[key] = o[key]
            _take(overlay.placed, key, placed)
        elif key in b:
            out[key] = b[key]
            _take(base.placed, key, placed)
    for key in BY_KEY:
        given = _given(overlay, key)
        if key not in b and not given:
            continue
        out[key] = _merge_fields(b.get(key), o.get(key), given)
        for sub in _given(base, key):
            if sub not in given:
                _take(base.placed, f"{key}.{sub}", placed)
        for sub in given:
            _take(overlay.placed, f"{key}.{sub}", placed)
    strings = {lang: dict(table) for lang, table in b.get("strings", {}).items()}
    for lang, table in b.get("strings", {}).items():
        for msgid in table:
            _take(base.placed, f"strings.{lang}.{msgid}", placed)
    for lang, table in o.get("strings", {}).items():
        strings.setdefault(lang, {}).update(table)
        _take(overlay.placed, f"strings.{lang}", placed)
    # the base's interface strings in languages the overlay does not offer are left out
    strings = {lang: t for lang, t in strings.items() if lang in out.get("languages", [lang])}
    if strings:
        out["strings"] = strings
    hidden = o.get("hide", {})
    findings: list[Finding] = []
    lines: list[M.Helpline] = []
    mine = {line.id: i for i, line in enumerate(o.get("helplines", []))}
    gone = hidden.get("helplines", {})
    for i, line in enumerate(b.get("helplines", [])):
        if line.id in gone:
            continue
        if line.id in mine:  # replaced in place, by id
            j = mine.pop(line.id)
            _take(overlay.placed, f"helplines[{j}]", placed, f"helplines[{len(lines)}]")
            lines.append(o["helplines"][j])
        else:
            _take(base.placed, f"helplines[{i}]", placed, f"helplines[{len(lines)}]")
            lines.append(line)
    for j in mine.values():
        _take(overlay.placed, f"helplines[{j}]", placed, f"helplines[{len(lines)}]")
        lines.append(o["helplines"][j])
    out["helplines"] = lines
    known = {line.id for line in b.get("helplines", [])}
    base_pack = _shown_base(base, "pack.yaml")
    for line_id in gone:
        if line_id not in known:
            findings.append(_gone(overlay, f"hide.helplines.{line_id}", Phrase(
                'hides helpline "%(id)s", which the base (%(base)s) does not have',
                id=line_id, base=base_pack)))
    for key in ("extends", "hide"):  # the overlay's own: the loader reads, then drops them
        if key in o:
            out[key] = o[key]
        _take(overlay.placed, key, placed)
    return out, placed, findings


def _given(layer: Layer, key: str) -> list[str]:
    """The keys (of a mapping) or fields (of a settings struct) a layer's pack.yaml gives."""
    value = layer.header.get(key)
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value)
    return [f for f in value.__struct_fields__ if f"{key}.{f}" in layer.placed]


def _merge_fields(base, overlay, given: list[str]):
    """A mapping merged key by key, or a settings struct field by field (the overlay's
    `given` fields win)."""
    if overlay is None:
        return base
    if base is None:
        return overlay
    if isinstance(overlay, dict):
        return {**base, **overlay}
    return msgspec.structs.replace(base, **{f: getattr(overlay, f) for f in given})


def _gone(overlay: Layer, path: str, message: str) -> Finding:
    file, line, col = overlay.placed.get(path, ("pack.yaml", 0, 0))
    return finding(ERROR, "override-base-missing", message, file, line, col, path,
                   Phrase("remove it, or point it at what the base has now"))


def _shown_base(base: Layer, rel: str) -> str:
    """A base file as the overlay's findings name it."""
    return base.shown + rel


def hide_stories(base: Layer, overlay: Layer) -> tuple[dict[str, Draft], list[Finding]]:
    """The base's stories without those the overlay hides; a tombstone naming no base story
    is an error."""
    gone = overlay.header.get("hide", {}).get("stories", {})
    findings = []
    for story_id in gone:
        if story_id not in base.stories:
            findings.append(_gone(overlay, f"hide.stories.{story_id}", Phrase(
                'hides story "%(id)s", which the base (%(base)s) does not have', id=story_id,
                base=_shown_base(base, "stories"))))
    return {k: v for k, v in base.stories.items() if k not in gone}, findings


@dataclass
class Overrides:
    """One overrides file as built: the story it overrides, the languages it adds, each
    line id's replacements ({language or None: {base, text|src, loc}}) and their places."""

    story: str
    file: str  # as shown in findings
    languages: list[str]
    lines: dict[str, dict]
    where: dict[str, tuple[int, int]]


def apply_overrides(drafts: dict[str, Draft], found: list[Overrides], base_default: str,
                    languages: list[str], base_files: dict[str, str]) -> list[Finding]:
    """Apply each overrides file to its base story (in place); findings for stale
    replacements and for places the base no longer has. `base_files`: story id -> its
    file as shown; `languages`: the merged pack's (a base story keeps those it offers)."""
    findings: list[Finding] = []
    for draft in drafts.values():
        story = draft.story
        story.languages = [x for x in story.languages if x in languages]
    for ov in found:
        draft = drafts.get(ov.story)
        if draft is None:
            findings.append(finding(
                ERROR, "override-base-missing",
                Phrase('overrides story "%(id)s", which the base does not have (%(base)s)',
                       id=ov.story, base=base_files.get("", "stories/")),
                ov.file, 1, 1, "", Phrase("rename the file after a base story, or remove it")))
            continue
        story = draft.story
        for lang in ov.languages:
            if lang not in story.languages:
                story.languages.append(lang)
        by_id = {s.id: s for s in slots.story_slots(story)}
        shown = base_files.get(ov.story, story.file)
        for line_id, replacements in ov.lines.items():
            path = f"lines.{line_id}"
            slot = by_id.get(line_id)
            if slot is None:
                line, col = ov.where.get(path, (0, 0))
                findings.append(finding(
                    ERROR, "override-base-missing",
                    Phrase('"%(line)s" names no text or media of the base story (%(base)s)',
                           line=line_id, base=shown),
                    ov.file, line, col, path,
                    Phrase("the base story changed: find the place it has now, or remove "
                           "the override")))
                continue
            # every replacement of a line is checked against the base as it was, not
            # against this file's replacement in another language
            before = dict(slot.value) if isinstance(slot.value, dict) else slot.value
            for lang, rep in replacements.items():
                findings += _replace(draft, ov, slot, before, lang, rep, base_default, shown)
    return findings


def _replace(draft: Draft, ov: Overrides, slot: slots.Slot, value, lang: str | None,
             rep: dict, base_default: str, shown: str) -> list[Finding]:
    """Check one replacement against its base value (`value`: the slot's, per language or
    one path) and put it in place."""
    path = f"lines.{slot.id}" + (f".{lang}" if lang else "")
    line, col = rep["loc"]
    want_text = slot.kind == slots.TEXT
    what = "text" if want_text else "src"
    if what not in rep or slot.per_language != (lang is not None):
        form = (Phrase('per language, each with "%(key)s"', key=what) if slot.per_language
                else Phrase('one "%(key)s" without a language', key=what))
        return [finding(ERROR, "bad-override",
                        Phrase('"%(line)s" is replaced %(form)s', line=slot.id, form=form),
                        ov.file, line, col, path)]
    current = (value.get(lang) or value.get(base_default, "")) if lang else value
    out = []
    base_line = draft.where.get(slot.path, (0, 0))[0]
    if short_hash(current) != rep["base"]:
        out.append(finding(
            WARNING, "stale-override",
            Phrase('the override of "%(line)s"%(language)s was written against another base '
                   "text: the base (%(base)s) has changed since", line=slot.id,
                   language=f" ({lang})" if lang else "",
                   base=f"{shown}:{base_line}" if base_line else shown),
            ov.file, line, col, path,
            Phrase("review the override against the base; if it still holds, set base: "
                   "%(hash)s", hash=short_hash(current))))
    new = rep[what]
    _put(draft.story, slot, lang, new)
    place = slot.path + (f".{lang}" if lang else "")
    draft.placed[place] = (ov.file, line, col)
    return out


def _put(story: M.Story, slot: slots.Slot, lang: str | None, value: str) -> None:
    """Set a slot's value (in one language) in the story, by its place."""
    keys = list(slot.keys)
    if slot.kind == "image" and keys[-1] == "image":
        keys.append("src")  # a picture's place is its key; its file is its src
    target = story
    for key in keys[:-1]:
        target = target[key] if isinstance(target, (dict, list)) else getattr(target, key)
    last = keys[-1]
    if lang is None:
        setattr(target, last, value) if not isinstance(target, dict) else target.__setitem__(
            last, value)
        return
    holder = target[last] if isinstance(target, dict) else getattr(target, last)
    holder[lang] = value
