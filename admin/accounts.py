"""Staff accounts outside a request: create one, the first administrator, a new password.

The `flask --app admin` commands, `admin.serve` and the tests create accounts through these
functions; the admin's pages (`admin/views/users.py`) do the same inside a request.
"""

from __future__ import annotations

import secrets

from flask import Flask
from sqlalchemy import func, select

from admin import audit
from admin.db import database
from admin.models import Role, User, utcnow
from admin.passwords import check_policy, hash_password
from admin.ratelimit import clear_account
from admin.sessions import end_all_for_user

FIRST_ADMIN = "admin"


class AccountError(ValueError):
    """An account that cannot be made or changed (a name taken, no such user)."""


def create_user(app: Flask, username: str, password: str, role: Role | str,
                display_name: str = "", languages: str = "", actor: str = "command line",
                check: bool = True) -> User:
    """Create an account (policy-checked unless check=False) and audit it."""
    username = username.strip().lower()
    if check:
        check_policy(password, app.config["PASSWORD_MIN_LENGTH"], username)
    with database(app).session() as db:
        if db.scalar(select(User).where(User.username == username)):
            raise AccountError(f"the user name {username!r} is taken")
        user = User(username=username, password_hash=hash_password(password),
                    role=Role(role).value, display_name=display_name,
                    languages=languages if Role(role) == Role.TRANSLATOR else "")
        db.add(user)
        db.flush()
        audit.record(db, None, "user.create", f"user:{user.id}", None, user.snapshot(),
                     actor_name=actor)
        db.commit()
        return user


def ensure_first_admin(app: Flask) -> str | None:
    """Create the administrator 'admin' when no account exists; return its new password."""
    with database(app).session() as db:
        if db.scalar(select(func.count()).select_from(User)):
            return None
    password = secrets.token_urlsafe(15)  # 20 characters, ~120 bits
    create_user(app, FIRST_ADMIN, password, Role.ADMINISTRATOR, "Administrator",
                actor="first start", check=False)
    return password


def set_password(app: Flask, username: str, password: str, actor: str = "command line") -> None:
    """Set an account's password (policy-checked); its open sessions and login waits end."""
    username = username.strip().lower()
    check_policy(password, app.config["PASSWORD_MIN_LENGTH"], username)
    with database(app).session() as db:
        user = db.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"no user named {username!r}")
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        end_all_for_user(db, user.id)
        clear_account(db, username)
        audit.record(db, None, "user.set_password", f"user:{user.id}", actor_name=actor)
        db.commit()
