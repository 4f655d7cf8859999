"""Writing an overlay's overrides of a base story: overrides/<story>.yaml, never the base.

    result = save_override(ctx, wc, "nadia", file_hash, "nadia/scenes/home/text", "sv",
                           text="...", base="6dabfe23d7d9", summary="override ...")

An override records the short hash of the base value it was written against
(docs/content-format.md, "Overrides"). Accepting a stale override records the base's new hash
and keeps the text; redoing it writes a new text with the new hash; editing a base story's
text inside an overlay (the scene editor, the translations page) writes one the same way.

The pipeline is the story files' (admin.content.revisions): refuse if the file changed since
the form was built (Conflict; a file that does not exist yet has the hash of ""), check the
merged pack with the new text by the kiosk's validator (new errors refuse the save), write
atomically, record the revision and the audit entry, commit, drop the overlay's load.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from admin.content import yamledit
from admin.content.revisions import SaveContext, SaveResult, record
from admin.content.storyfile import (
    Conflict,
    create_if_absent,
    digest,
    read,
    write_if_unchanged,
)
from admin.content.workspace import WorkingCopy
from kiosk.content import load_pack, slots
from kiosk.content import model as M
from kiosk.content.findings import ERROR
from kiosk.content.overlay import short_hash

HEADER = ("# Texts and media of the base story replaced in this overlay, each with the hash\n"
          "# of the base value it was written against (docs/content-format.md, Overrides).\n")


def rel_path(story_id: str) -> str:
    """An overrides file's path in the overlay's folder."""
    return f"overrides/{story_id}.yaml"


def current(root: Path, story_id: str) -> tuple[str, str]:
    """The overrides file's text and hash; ("", digest("")) when it does not exist yet."""
    path = root / rel_path(story_id)
    if not path.is_file():
        return "", digest("")
    return read(path)


def with_override(text: str, line: str, lang: str | None, base: str,
                  value: str | None = None, what: str = "text") -> str:
    """The overrides file's text with one replacement set: its `base` hash, and its value
    (`what`: "text" or "src") when given (None keeps the overlay's value: Accept)."""
    def change(doc: CommentedMap) -> None:
        lines = yamledit.text_map(doc, "lines")
        entry = lines.get(line)
        if not isinstance(entry, CommentedMap):
            entry = lines[line] = CommentedMap()
        if lang is not None:
            entry = yamledit.text_map(entry, lang)
        entry["base"] = base
        if value is not None:
            yamledit.set_text(entry, what, value)

    if not text.strip():
        doc = CommentedMap()
        change(doc)
        return HEADER + yamledit.dump(doc)
    return yamledit.edit_document(text, change)


def save_override(ctx: SaveContext, wc: WorkingCopy, story_id: str, file_hash: str,
                  new_text: str, summary: str) -> SaveResult:
    """Validate and write an overrides file's new text; see the module docstring."""
    rel = rel_path(story_id)
    path = wc.root / rel
    text, now_hash = current(wc.root, story_id)
    if now_hash != file_hash:
        return SaveResult(conflict=Conflict(text, now_hash))
    if new_text == text:
        return SaveResult(unchanged=True)
    stores = [ctx.ws.store.root]
    before = ctx.ws.load(wc.root)
    after = load_pack(wc.root, texts={rel: new_text}, stores=stores)
    known = {(f.code, f.path, f.message) for f in before.findings if f.severity == ERROR}
    errors = [f for f in after.findings
              if f.severity == ERROR and (f.code, f.path, f.message) not in known]
    if errors:
        return SaveResult(errors=errors)
    locks = ctx.ws.cache_dir / "locks"
    try:
        if text or path.exists():
            write_if_unchanged(path, file_hash, new_text, locks)
        else:
            path.parent.mkdir(exist_ok=True)
            create_if_absent(path, new_text, locks)
    except (Conflict, FileExistsError):
        text, now_hash = current(wc.root, story_id)
        return SaveResult(conflict=Conflict(text, now_hash))
    rev = record(ctx, wc.pack_id, rel, text, new_text, summary, action="content.override")
    ctx.db.commit()
    ctx.ws.forget(wc.root)
    return SaveResult(revision=rev,
                      warnings=[f for f in after.findings if f.severity != ERROR])


def from_base(root: Path, story: M.Story) -> bool:
    """True when a story of the overlay in `root` comes from its base (its file is outside
    the overlay's folder): its texts are edited as overrides, never in that file."""
    return not (root / story.file).resolve().is_relative_to(root.resolve())


def with_texts(text: str, base_story: M.Story, base_default: str, merged: M.Story,
               changes: dict[tuple[str, str], str]) -> str:
    """The overrides file's text with each changed text ((line id, language) -> new text)
    written as an override recording the base's value it replaces; a text equal to the
    merged story's, an empty one (an override cannot remove a text) or a place the base
    story does not have is left out."""
    base_slots = {s.id: s for s in slots.story_slots(base_story)}
    now = {s.id: s for s in slots.story_slots(merged)}
    for (line, lang), value in changes.items():
        slot, shown = base_slots.get(line), now.get(line)
        if slot is None or shown is None or not isinstance(slot.value, dict):
            continue
        value = value.replace("\r\n", "\n").strip()
        if not value or value == (shown.value.get(lang) or "").strip():
            continue
        against = slot.value.get(lang) or slot.value.get(base_default, "")
        text = with_override(text, line, lang, short_hash(against), value)
    return text
