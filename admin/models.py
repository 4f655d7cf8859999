"""The admin's tables: staff users, server-side sessions, login limits, the audit log.

Later areas put their tables in ``admin/models_<area>.py`` on this same ``Base`` (the
migration environment imports every ``admin/models*.py``) and add a migration under
``admin/migrations/versions/`` whose ``down_revision`` is the newest one;
``tests/admin/test_admin_migrations.py`` fails while models and migrations disagree.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Now in UTC, naive (how every timestamp is stored, on SQLite and PostgreSQL alike)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every admin table."""


class Role(enum.StrEnum):
    """Staff roles; what each may do is declared on the routes (admin.access)."""

    ADMINISTRATOR = "administrator"
    CURATOR = "curator"
    EDITOR = "editor"
    TRANSLATOR = "translator"
    PEDAGOGUE = "pedagogue"
    VIEWER = "viewer"


class User(Base):
    """A staff account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    # Translators only: comma-separated language codes they may edit.
    languages: Mapped[str] = mapped_column(String(200), default="")
    ui_language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def language_list(self) -> list[str]:
        """The translator's assigned languages as a list."""
        return [code for code in self.languages.split(",") if code]

    def snapshot(self) -> dict:
        """What the audit log records of this user (never the password hash)."""
        return {"username": self.username, "display_name": self.display_name,
                "role": self.role, "languages": self.language_list,
                "ui_language": self.ui_language, "active": self.active}


class ServerSession(Base):
    """A browser session; the cookie holds a random token, the table its SHA-256."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class LoginThrottle(Base):
    """One key of the login limits (admin.ratelimit): an (account, address) pair, or either
    with the other empty (""), its attempts and when the next may come."""

    __tablename__ = "login_throttles"

    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    # Epoch seconds, not DateTime: the doubling wait is arithmetic in one UPDATE on both
    # databases. delay: the next wait; free_at: no attempt before then.
    delay: Mapped[float] = mapped_column(Float)
    free_at: Mapped[float] = mapped_column(Float, default=0.0)
    seen_at: Mapped[float] = mapped_column(Float, index=True)


class AuditEntry(Base):
    """One change: who, when, what, before and after. Append-only (a trigger refuses edits)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
