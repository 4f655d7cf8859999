"""School sessions' table: one row per class visit a pedagogue prepared.

A session holds no student data at all: its code tags the anonymous visitor sessions the kiosk
records while the session runs (``session_started`` carries ``school_code``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from admin.models import Base, utcnow


class SchoolSession(Base):
    """A class visit: day, age group, language, stories, discussion mode, kiosks."""

    __tablename__ = "school_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True, index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    age_group: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16))
    pack: Mapped[str] = mapped_column(String(64))
    stories: Mapped[str] = mapped_column(String(1000))  # story ids, comma-separated
    discussion: Mapped[bool] = mapped_column(Boolean, default=False)
    kiosks: Mapped[int] = mapped_column(Integer, default=1)
    label: Mapped[str] = mapped_column(String(100), default="")  # the pedagogue's own note
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # when the pedagogue closed it (naive UTC): results are published from then on (migration
    # 0006; admin.school.publish)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, default=None)

    @property
    def story_list(self) -> list[str]:
        """The session's story ids."""
        return [s for s in self.stories.split(",") if s]

    def snapshot(self) -> dict:
        """What the audit log and the kiosk learn of a session."""
        return {"code": self.code, "date": self.day.isoformat(), "age_group": self.age_group,
                "language": self.language, "pack": self.pack, "stories": self.story_list,
                "discussion": self.discussion, "kiosks": self.kiosks,
                **({"closed": True} if self.closed_at is not None else {})}
