"""The fleet's tables (issue 22): venues, one-time enrolment codes, kiosks' heartbeats.

A kiosk (``models_feedback.Kiosk``) belongs to at most one venue (``kiosks.venue_id``). An
enrolment code is kept as its SHA-256 only, like a kiosk's token. ``kiosk_health`` holds the
latest heartbeat of each kiosk (one row, replaced); ``kiosk_heartbeats`` a bounded history
(``HEARTBEAT_HISTORY`` rows per kiosk). A heartbeat describes the machine, never a visitor.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from admin.models import Base, utcnow


class Venue(Base):
    """A place the exhibition stands in: a name and its IANA time zone."""

    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def snapshot(self) -> dict:
        """What the audit log records of a venue."""
        return {"name": self.name, "time_zone": self.time_zone}


class EnrolmentCode(Base):
    """A one-time code an administrator made for a new kiosk (its SHA-256, never the code)."""

    __tablename__ = "enrolment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"), nullable=True)


class KioskHealth(Base):
    """The latest heartbeat of one kiosk: when it came, the clock skew, what it said."""

    __tablename__ = "kiosk_health"

    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    skew_seconds: Mapped[float] = mapped_column(Float)  # kiosk's clock minus the admin's
    report: Mapped[str] = mapped_column(Text)  # the checked heartbeat, JSON


class KioskHeartbeat(Base):
    """One heartbeat in a kiosk's history (the oldest dropped beyond HEARTBEAT_HISTORY)."""

    __tablename__ = "kiosk_heartbeats"
    __table_args__ = (Index("ix_kiosk_heartbeats_kiosk_id_id", "kiosk_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime)
    skew_seconds: Mapped[float] = mapped_column(Float)
    report: Mapped[str] = mapped_column(Text)
