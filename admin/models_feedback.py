"""Visitor feedback's tables: registered kiosks, the events they sent, sessions, USB imports.

``feedback_events`` holds every anonymous event once (its random id is the primary key, so a
second upload of the same event stores nothing). ``feedback_sessions`` is kept current as
``session_started`` events arrive: one row per visitor session with its pack, language and
school flag, so that reports filter and group without reading JSON payloads. Nothing here
identifies a visitor (ETHICS.md rule 10): no address, no device detail, no free identifier.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from admin.models import Base, utcnow


class Kiosk(Base):
    """A kiosk an administrator registered: the SHA-256 of its token, never the token."""

    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    # The kiosk's own random record id, learnt from its first upload; later uploads must match.
    record_id: Mapped[str | None] = mapped_column(String(32), unique=True, index=True,
                                                  nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(64), default="")
    last_contact: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    pack_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pack_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    waiting: Mapped[int | None] = mapped_column(Integer, nullable=True)
    received: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def revoked(self) -> bool:
        """True once the token was revoked."""
        return self.revoked_at is not None

    def snapshot(self) -> dict:
        """What the audit log records of a kiosk (never the token or its hash)."""
        return {"name": self.name, "record_id": self.record_id,
                "revoked": self.revoked}


class FeedbackEvent(Base):
    """One anonymous event from a kiosk, stored once whatever the number of uploads."""

    __tablename__ = "feedback_events"
    __table_args__ = (
        Index("ix_feedback_events_kind_story", "kind", "story"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32), index=True)
    session_id: Mapped[str] = mapped_column(String(32), index=True)
    at_minute: Mapped[str] = mapped_column(String(17), index=True)  # 2026-11-28T09:30Z, UTC
    offset_ms: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    story: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON object of whitelisted fields
    source: Mapped[str] = mapped_column(String(8))  # "sync" or "usb"
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FeedbackSession(Base):
    """A visitor session, from its session_started event (kept current on ingest)."""

    __tablename__ = "feedback_sessions"

    session_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32), index=True)
    pack: Mapped[str] = mapped_column(String(64), index=True)
    pack_version: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(16), index=True)
    school: Mapped[bool] = mapped_column(Boolean, default=False)
    started_minute: Mapped[str] = mapped_column(String(17), index=True)


class StoryVisit(Base):
    """One session's visit of one story, kept current on ingest (admin.feedback.aggregate).

    Reports count these instead of reading events: started, finished, the time spent on the
    story's scenes, and the last scene seen (where a visitor who left, left).
    """

    __tablename__ = "feedback_story_visits"

    session_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    story: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    started: Mapped[bool] = mapped_column(Boolean, default=False)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    ms: Mapped[int] = mapped_column(Integer, default=0)
    last_scene: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_offset: Mapped[int] = mapped_column(Integer, default=-1)


class SceneView(Base):
    """That a session saw a scene of a story (the funnel), kept current on ingest."""

    __tablename__ = "feedback_scene_views"
    __table_args__ = (PrimaryKeyConstraint("session_id", "story", "scene"),)

    session_id: Mapped[str] = mapped_column(String(32))
    story: Mapped[str] = mapped_column(String(64))
    scene: Mapped[str] = mapped_column(String(64))


class FeedbackImport(Base):
    """One export file imported by hand (the USB route): what it held and what was new."""

    __tablename__ = "feedback_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    kiosk_id: Mapped[str] = mapped_column(String(32), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    count: Mapped[int] = mapped_column(Integer)
    new: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
