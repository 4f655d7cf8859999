"""A story file comes and goes: created blank or as a copy, deleted to the trash, restored.

    text = blank_text("anas-summer", "Anas sommar", "sv", summary, first_scene_text)
    result = create(ctx, wc, "anas-summer", text, "new story anas-summer", loaded)
    delete(ctx, wc, story, base_hash)            # the file goes; its text stays in a revision
    restore(ctx, wc, trash_revision, loaded)     # the file back, never over another

The trash is the revision history itself: deleting records a revision whose ``after`` is
empty, so the whole text, who and when are kept in ``content_revisions`` (no second copy on
disk, nothing in a bundle). A story is in the trash while its file's newest revision is such
a deletion and no file of that name exists. Nothing is purged automatically.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap
from sqlalchemy import func

from admin.content.check import check_story_text
from admin.content.revisions import SaveContext, record
from admin.content.storyfile import create_if_absent, digest, remove_if_unchanged
from admin.content.workspace import WorkingCopy
from admin.content.yamledit import EditError, dump, edit_document, set_text, text_map
from admin.models_content import Revision
from kiosk.content import LoadedPack
from kiosk.content import model as M
from kiosk.content.findings import Finding
from kiosk.content.schema import ID_RE

EMPTY_HASH = digest("")
# A new story is a draft until its consent is on record (ETHICS.md rule 1): the validator's
# error stays on the story's page and blocks publishing, but does not block creating it.
DRAFT_ERRORS = {"consent-missing"}
FIRST_SCENE = "start"


@dataclass
class Created:
    """What creating a story did: its revision, or the errors that refused it."""

    revision: Revision | None = None
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def id_from_title(title: str) -> str:
    """A story id made from a title (accents dropped), or "" when the title has no Latin letters."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    out = "".join(ch if ch.isalnum() else "-" for ch in plain)
    out = "-".join(part for part in out.split("-") if part)[:48].strip("-")
    while out and not out[0].isalpha():
        out = out[1:].lstrip("-")
    return out if ID_RE.match(out) else ""


def check_new_id(pack: M.Pack, wc: WorkingCopy, story_id: str) -> None:
    """EditError unless `story_id` is a valid id no story (nor file) of the pack has."""
    if not ID_RE.match(story_id or ""):
        raise EditError('"%(id)s" is not a story id: lower-case letters, digits, - and _, '
                        "starting with a letter", id=story_id)
    if story_id in pack.stories or (wc.root / "stories" / f"{story_id}.yaml").exists():
        raise EditError('the pack already has a story "%(id)s"', id=story_id)


def _int(raw: str, default: int) -> int | str:
    raw = (raw or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return raw  # the validator names the field and what it expects


def blank_text(story_id: str, title: str, language: str, summary: str, first_text: str,
               duration: str = "", age_min: str = "") -> str:
    """A new story's YAML: its texts in one language and one scene that ends it."""
    doc = CommentedMap()
    doc["id"] = story_id
    for key, value in (("title", title), ("summary", summary)):
        set_text(text_map(doc, key), language, value)
    doc["duration"] = _int(duration, 5)
    doc["age_min"] = _int(age_min, 13)
    doc["start"] = FIRST_SCENE
    scene = CommentedMap()
    set_text(text_map(scene, "text"), language, first_text)
    scene["ending"] = True
    doc["scenes"] = CommentedMap({FIRST_SCENE: scene})
    return dump(doc)


def copy_text(text: str, new_id: str, language: str, title: str) -> str:
    """Another story's YAML under a new id (and a new title in one language, if given)."""
    def change(doc):
        doc["id"] = new_id
        if title.strip():
            set_text(text_map(doc, "title"), language, title)
    return edit_document(text, change)


def create(ctx: SaveContext, wc: WorkingCopy, story_id: str, text: str, summary: str,
           loaded: LoadedPack) -> Created:
    """Check a new story's text with the validator and write its file; never over a file."""
    rel = f"stories/{story_id}.yaml"
    checked = check_story_text(loaded.pack, wc.root, rel, text)
    errors = [f for f in checked.errors if f.code not in DRAFT_ERRORS]
    warnings = [f for f in checked.findings if f not in checked.errors]
    if errors or checked.story is None:
        return Created(errors=errors or checked.errors, warnings=warnings)
    try:
        create_if_absent(wc.root / rel, text, ctx.ws.cache_dir / "locks")
    except FileExistsError:
        raise EditError('the pack already has a story "%(id)s"', id=story_id) from None
    rev = record(ctx, wc.pack_id, rel, "", text, summary, action="story.create")
    ctx.db.commit()
    ctx.ws.forget(wc.root)
    return Created(revision=rev, warnings=warnings)


def delete(ctx: SaveContext, wc: WorkingCopy, story: M.Story, base_hash: str) -> Revision:
    """Move a story to the trash (Conflict when its file changed since the page was built)."""
    old = remove_if_unchanged(wc.root / story.file, base_hash, ctx.ws.cache_dir / "locks")
    rev = record(ctx, wc.pack_id, story.file, old, "", f"delete story {story.id}",
                 action="story.delete")
    ctx.db.commit()
    ctx.ws.forget(wc.root)
    return rev


def trash(ctx: SaveContext, wc: WorkingCopy) -> list[Revision]:
    """The pack's deleted stories: each file's deletion, newest first, while no file is back."""
    newest = ctx.db.query(func.max(Revision.id)).filter_by(pack_id=wc.pack_id).group_by(
        Revision.file)
    deleted = ctx.db.query(Revision).filter(Revision.id.in_(newest),
                                            Revision.after_hash == EMPTY_HASH)
    return sorted((r for r in deleted if r.before and not (wc.root / r.file).exists()),
                  key=lambda r: -r.id)


def restore(ctx: SaveContext, wc: WorkingCopy, rev: Revision, loaded: LoadedPack) -> Created:
    """Put a deleted story back as it was; refused while a file of that name exists."""
    if rev not in trash(ctx, wc):
        raise EditError("this story is not in the trash (restored already, or a file of that "
                        "name exists)")
    checked = check_story_text(loaded.pack, wc.root, rev.file, rev.before)
    if checked.story is None:  # its own errors come back with it; only unreadable is refused
        return Created(errors=checked.errors)
    try:
        create_if_absent(wc.root / rev.file, rev.before, ctx.ws.cache_dir / "locks")
    except FileExistsError:
        raise EditError("this story is not in the trash (restored already, or a file of that "
                        "name exists)") from None
    new = record(ctx, wc.pack_id, rev.file, "", rev.before, f"restore story {checked.story.id}",
                 action="story.restore")
    ctx.db.commit()
    ctx.ws.forget(wc.root)
    return Created(revision=new, warnings=[f for f in checked.findings
                                           if f.severity != "error"])
