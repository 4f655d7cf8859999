"""The content area's tables: story-file revisions, translation marks, the media library.

The pack files on disk stay the source of truth for content; these tables hold what the
files cannot: who changed a file and how (revisions), which source text a translation was
made from (marks), and the alt text, tags and curator overrides of uploaded media.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from admin.models import Base, utcnow


class Revision(Base):
    """One change to one pack file: the whole file before and after, who and when."""

    __tablename__ = "content_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    pack_id: Mapped[str] = mapped_column(String(64), index=True)
    file: Mapped[str] = mapped_column(String(300), index=True)  # relative to the pack
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300), default="")
    before_hash: Mapped[str] = mapped_column(String(64), index=True)
    after_hash: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)


class TranslationMark(Base):
    """The hash of the source text a translation was made from (out of date when it differs)."""

    __tablename__ = "translation_marks"
    __table_args__ = (UniqueConstraint("pack_id", "line_id", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64), index=True)
    line_id: Mapped[str] = mapped_column(String(300))  # "emil/scenes/start/text"
    language: Mapped[str] = mapped_column(String(16))
    source_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), default="")


class MediaItem(Base):
    """A media file of a pack's library: alt text, tags, and a curator's override if any."""

    __tablename__ = "media_items"
    __table_args__ = (UniqueConstraint("pack_id", "path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(300))  # relative to the pack's media/
    kind: Mapped[str] = mapped_column(String(16))  # image, audio, video, subtitles
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    alt: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by: Mapped[str] = mapped_column(String(64), default="")
    uploaded_by: Mapped[str] = mapped_column(String(64), default="")
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def tag_list(self) -> list[str]:
        """The tags as a list."""
        return [t for t in self.tags.split(",") if t]

    def snapshot(self) -> dict:
        """What the audit log records of a media item."""
        return {"pack": self.pack_id, "path": self.path, "kind": self.kind, "alt": self.alt,
                "tags": self.tag_list, "override_reason": self.override_reason,
                "override_by": self.override_by}


class MediaDeletion(Base):
    """A deleted media file: kept in the trash folder with its record, until restored.

    The file lives at ``<instance>/media-trash/<pack_id>/<trash_name>`` (admin.content.trash);
    the row keeps what the library knew of it, so a restore puts back the file and its alt
    text, tags and override.
    """

    __tablename__ = "media_deletions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(300))  # relative to the pack's media/
    kind: Mapped[str] = mapped_column(String(16), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    trash_name: Mapped[str] = mapped_column(String(100))
    alt: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(500), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    override_by: Mapped[str] = mapped_column(String(64), default="")
    deleted_by: Mapped[str] = mapped_column(String(64), default="")
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    restored_by: Mapped[str] = mapped_column(String(64), default="")
    restored_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
