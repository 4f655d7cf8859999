"""Login attempt limits per account name and per client address, kept in the database so
every gunicorn worker sees the same counts."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from admin.models import LoginAttempt, utcnow


def normalise_account(username: str) -> str:
    """The account key failures are counted under (case and spaces ignored)."""
    return username.strip().lower()[:64]


def is_locked(app: Flask, db: Session, account: str, address: str) -> bool:
    """True when the account name or the address has too many recent failures."""
    since = utcnow() - timedelta(minutes=app.config["LOGIN_WINDOW_MINUTES"])
    by_account, by_address = db.execute(
        select(
            func.count().filter(LoginAttempt.account == account),
            func.count().filter(LoginAttempt.address == address),
        ).where(LoginAttempt.at >= since,
                or_(LoginAttempt.account == account, LoginAttempt.address == address))
    ).one()
    return (by_account >= app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or by_address >= app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])


def record_failure(app: Flask, db: Session, account: str, address: str) -> None:
    """Count one failed login and forget failures too old to matter."""
    now = utcnow()
    db.add(LoginAttempt(at=now, account=account, address=address[:64]))
    old = now - timedelta(minutes=2 * app.config["LOGIN_WINDOW_MINUTES"])
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < old))


def clear_account(db: Session, account: str) -> None:
    """Forget an account's failures (after a successful login or a password reset)."""
    db.execute(delete(LoginAttempt).where(LoginAttempt.account == account))
