"""The media library's records: tags and overrides kept beside the files.

A picture's alt text is not kept here but in pack.yaml (admin.content.pictures); the
``alt`` column only holds what older versions stored, until it is moved there.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from admin.content.media import blocked, media_files
from admin.models_content import MediaItem


def items(db: Session, pack_id: str) -> dict[str, MediaItem]:
    """The pack's records by media path."""
    return {m.path: m for m in db.query(MediaItem).filter_by(pack_id=pack_id)}


def item(db: Session, pack_id: str, path: str, kind: str = "") -> MediaItem:
    """The record of one media path, created when the file has none yet."""
    found = db.query(MediaItem).filter_by(pack_id=pack_id, path=path).one_or_none()
    if found is None:
        found = MediaItem(pack_id=pack_id, path=path, kind=kind, size=0, sha256="", alt="",
                          tags="", override_reason="", override_by="", uploaded_by="")
        db.add(found)
    return found


def publish_blockers(db: Session, pack_id: str, media_root: Path) -> list[str]:
    """Media in the pack whose tags block publishing and that no curator has overridden."""
    present = set(media_files(media_root))
    out = []
    for m in items(db, pack_id).values():
        bad = blocked(m.tag_list)
        if m.path in present and bad and not m.override_reason:
            out.append(f"{m.path} ({', '.join(bad)})")
    return out


def matching(paths: list[str], records: dict, query: str,
             alt: dict[str, dict[str, str]] | None = None) -> list[str]:
    """The paths whose name, alt text (`alt`: path -> language -> text, the pack's) or tags
    contain every word of `query` (any case)."""
    words = query.casefold().split()
    if not words:
        return paths
    alt = alt or {}

    def text(path):
        rec = records.get(path)
        return " ".join([path, *alt.get(path, {}).values(),
                         *(rec.tag_list if rec else [])])

    return [p for p in paths if all(w in text(p).casefold() for w in words)]
