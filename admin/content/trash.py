"""Deleting a media file moves it to a trash folder, recorded, so it can be put back.

    row = move_to_trash(db, trash_root, pack_id, media_root, "images/home.png", record, who)
    restore(db, trash_root, row, media_root, who)   # the file and its record back

The trash is ``<instance>/media-trash/<pack_id>/`` (outside the pack, so a deleted file is
in no bundle and no content hash); each deleted file gets a random name there and a row in
``media_deletions`` (admin.models_content.MediaDeletion) with its path, checksum, alt text,
tags and override. A restore never replaces a file: while a file of that name exists in the
pack it is refused. Nothing is purged automatically.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from admin.content.media import FOLDERS, Refused
from admin.content.storyfile import fsync_dir
from admin.models import utcnow
from admin.models_content import MediaDeletion, MediaItem

TRASH_FOLDER = "media-trash"


def trash_root(instance_path: str) -> Path:
    """The folder that holds every pack's deleted media."""
    return Path(instance_path) / TRASH_FOLDER


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _place(src: Path, dest: Path) -> None:
    """Make `dest` (which must not exist) a synced copy of `src`: a hard link when both are on
    one file system, else a copy written beside `dest` first and linked into place."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
    except OSError as exc:
        if exc.errno != errno.EXDEV:  # another file system: copy
            raise
        tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.tmp")
        try:
            with src.open("rb") as fi, tmp.open("xb") as fo:
                shutil.copyfileobj(fi, fo, 1 << 20)
                fo.flush()
                os.fsync(fo.fileno())
            os.link(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    fsync_dir(dest.parent)


def move_to_trash(db: Session, trash: Path, pack_id: str, media_root: Path, path: str,
                  rec: MediaItem | None, who: str) -> MediaDeletion:
    """Move one media file into the trash and record it (the caller commits)."""
    src = media_root / path
    suffix = Path(path).suffix.lower()[:10]
    name = f"{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(6)}{suffix}"
    _place(src, trash / pack_id / name)
    kind = rec.kind if rec and rec.kind else FOLDERS.get(path.split("/", 1)[0], "other")
    row = MediaDeletion(pack_id=pack_id, path=path, kind=kind,
                        size=src.stat().st_size, sha256=_sha256(src), trash_name=name,
                        alt=rec.alt if rec else "", tags=rec.tags if rec else "",
                        override_reason=rec.override_reason if rec else "",
                        override_by=rec.override_by if rec else "", deleted_by=who,
                        deleted_at=utcnow(), restored_by="")
    db.add(row)
    if rec is not None:
        db.delete(rec)
    db.flush()
    src.unlink()
    fsync_dir(src.parent)
    return row


def restore(db: Session, trash: Path, row: MediaDeletion, media_root: Path,
            who: str) -> MediaItem:
    """Put a deleted file and its record back (Refused when that cannot be done safely)."""
    if row.restored_at is not None:
        raise Refused("%(path)s was restored already", path=row.path)
    kept = trash / row.pack_id / row.trash_name
    if not kept.is_file():
        raise Refused("the deleted file %(path)s is no longer in the trash", path=row.path)
    if _sha256(kept) != row.sha256:
        raise Refused("the copy of %(path)s in the trash is damaged (its checksum differs)",
                      path=row.path)
    target = media_root / row.path
    if target.exists():
        raise Refused("a file named %(path)s is in the pack now; delete or rename it first",
                      path=row.path)
    try:
        _place(kept, target)
    except FileExistsError:
        raise Refused("a file named %(path)s appeared meanwhile", path=row.path) from None
    rec = db.query(MediaItem).filter_by(pack_id=row.pack_id, path=row.path).one_or_none()
    if rec is None:
        rec = MediaItem(pack_id=row.pack_id, path=row.path)
        db.add(rec)
    rec.kind, rec.size, rec.sha256 = row.kind, row.size, row.sha256
    rec.alt, rec.tags = row.alt, row.tags
    rec.override_reason, rec.override_by = row.override_reason, row.override_by
    rec.uploaded_by, rec.uploaded_at = rec.uploaded_by or who, rec.uploaded_at or utcnow()
    row.restored_by, row.restored_at = who, utcnow()
    db.flush()
    kept.unlink()
    return rec


def deleted(db: Session, pack_id: str, limit: int = 100) -> list[MediaDeletion]:
    """The pack's deleted files that can still be restored, newest first."""
    return (db.query(MediaDeletion).filter_by(pack_id=pack_id, restored_at=None)
            .order_by(MediaDeletion.id.desc()).limit(limit).all())
