"""Visitor feedback's tables: registered kiosks, the events they sent, sessions, USB imports.

``feedback_events`` holds every anonymous event once (its random id is the primary key, so a
second upload of the same event stores nothing). ``feedback_sessions`` is kept current as
``session_started`` events arrive: one row per visitor session with its pack, language and
school flag, so that reports filter and group without reading JSON payloads. The report
tables (story visits, scene views, choices, survey answers) carry a copy of their session's
attributes (``SessionAttrs``: pack, language, kiosk, UTC day and hour, school) so that every
report filters and groups on one table, without a join (admin.feedback.aggregate keeps them
current). Nothing here identifies a visitor (ETHICS.md rule 10): no address, no device
detail, no free identifier.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

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
    # Events the API refused one by one (the kiosk sets them aside and sends the rest).
    refused: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The token's requests in the minute `rate_minute` (minutes since 1970), for API_RATE_LIMIT.
    rate_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rate_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The venue it stands in (admin.models_fleet_health.Venue), None until staff place it.
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), nullable=True,
                                                 index=True)

    @property
    def revoked(self) -> bool:
        """True once the token was revoked."""
        return self.revoked_at is not None

    def snapshot(self) -> dict:
        """What the audit log records of a kiosk (never the token or its hash)."""
        return {"name": self.name, "record_id": self.record_id,
                "revoked": self.revoked, "venue_id": self.venue_id}


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
    day: Mapped[str | None] = mapped_column(String(10), nullable=True)  # 2026-11-28 (UTC)
    hour: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 0-23 (UTC)

    __table_args__ = (
        Index("ix_feedback_sessions_report", "language", "pack", "kiosk_id", "day", "hour",
              "school"),
    )


ATTRS = ("pack", "language", "kiosk_id", "day", "hour", "school")
# Every report reads one table through one covering index: its grouping columns first, then
# these, so that SQLite answers from the index alone (a full scan of 500,000 scene views in
# ~25 ms instead of ~290 ms through row lookups), whatever the filters.
FILTER_COLUMNS = ("language", "pack", "kiosk_id", "day", "hour", "school")


class SessionAttrs:
    """A copy of the session's attributes (NULL until its session_started arrives)."""

    pack: Mapped[str | None] = mapped_column(String(64), nullable=True)
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    day: Mapped[str | None] = mapped_column(String(10), nullable=True)
    hour: Mapped[int | None] = mapped_column(Integer, nullable=True)
    school: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    @declared_attr.directive
    def __table_args__(cls):  # noqa: N805 - SQLAlchemy passes the class
        """One covering index: the report's grouping columns, then every filter column."""
        name = cls.__tablename__
        return (*cls.extra_args(), Index(f"ix_{name}_report", *cls.REPORT_KEY, *FILTER_COLUMNS))

    @classmethod
    def extra_args(cls) -> tuple:
        """Table arguments of the subclass besides the covering index."""
        return ()


class StoryVisit(SessionAttrs, Base):
    """One session's visit of one story, kept current on ingest (admin.feedback.aggregate).

    Reports count these instead of reading events: started, finished, the time spent on the
    story's scenes, and the last scene seen (where a visitor who left, left).
    """

    __tablename__ = "feedback_story_visits"
    REPORT_KEY = ("story", "ms", "started", "finished", "last_scene")

    @classmethod
    def extra_args(cls) -> tuple:
        """A second covering index for the breakdowns, which group by the filter columns."""
        return (Index("ix_feedback_story_visits_breakdown", *FILTER_COLUMNS, "started",
                      "finished", "story"),)

    session_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    story: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    started: Mapped[bool] = mapped_column(Boolean, default=False)
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    ms: Mapped[int] = mapped_column(Integer, default=0)
    last_scene: Mapped[str | None] = mapped_column(String(64), nullable=True)
    last_offset: Mapped[int] = mapped_column(Integer, default=-1)


class SceneView(SessionAttrs, Base):
    """That a session saw a scene of a story (the funnel), kept current on ingest."""

    __tablename__ = "feedback_scene_views"
    REPORT_KEY = ("story", "scene")

    @classmethod
    def extra_args(cls) -> tuple:
        """The primary key."""
        return (PrimaryKeyConstraint("session_id", "story", "scene"),)

    session_id: Mapped[str] = mapped_column(String(32))
    story: Mapped[str] = mapped_column(String(64))
    scene: Mapped[str] = mapped_column(String(64))


class ChoiceMade(SessionAttrs, Base):
    """A session's choice at a branching point: its last there (by offset), as school results.

    A visitor who comes back to the same scene and chooses again counts once, with what they
    chose last (what took them on).
    """

    __tablename__ = "feedback_choices"
    REPORT_KEY = ("story", "scene", "choice")

    @classmethod
    def extra_args(cls) -> tuple:
        """The primary key."""
        return (PrimaryKeyConstraint("session_id", "story", "scene"),)

    session_id: Mapped[str] = mapped_column(String(32))
    story: Mapped[str] = mapped_column(String(64))
    scene: Mapped[str] = mapped_column(String(64))
    choice: Mapped[str] = mapped_column(String(64))
    offset_ms: Mapped[int] = mapped_column(Integer)


class SurveyAnswer(SessionAttrs, Base):
    """A session's answers to one question around one story: the last before and after.

    ``story`` is "" for a question asked outside a story. Answers are kept as JSON text (for
    the distribution) and, when a number (not a boolean), as ``*_value`` (for the paired
    shift). A rating is kept as question ``rating``, phase after.
    """

    __tablename__ = "feedback_survey_answers"
    REPORT_KEY = ("story", "question", "before", "after", "before_value", "after_value")

    @classmethod
    def extra_args(cls) -> tuple:
        """The primary key."""
        return (PrimaryKeyConstraint("session_id", "story", "question"),)

    session_id: Mapped[str] = mapped_column(String(32))
    story: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(String(64))
    before: Mapped[str | None] = mapped_column(String(200), nullable=True)
    before_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    before_offset: Mapped[int] = mapped_column(Integer, default=-1)
    after: Mapped[str | None] = mapped_column(String(200), nullable=True)
    after_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    after_offset: Mapped[int] = mapped_column(Integer, default=-1)


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
