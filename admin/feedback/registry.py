"""Kiosk registration: a random token shown once, only its SHA-256 kept; revocation; lookup.

A token is 32 random bytes (``sk_`` + URL-safe base64), so a fast hash is enough: nobody can
guess one to match a stolen hash, and the lookup by hash is one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from admin import audit
from admin.models import User, utcnow
from admin.models_feedback import Kiosk

TOKEN_PREFIX = "sk_"
NAME_MAX = 100


class RegistryError(ValueError):
    """A registration or revocation that cannot be done; the message says why."""


def new_token() -> str:
    """A fresh kiosk token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The hex SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def register(db: Session, name: str, actor: User | None, actor_name: str = "") -> tuple[
        Kiosk, str]:
    """Register a kiosk and audit it (no commit); returns it and its token (shown once)."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise RegistryError(f"a kiosk needs a name of 1 to {NAME_MAX} characters")
    if db.scalar(select(Kiosk).where(Kiosk.name == name)):
        raise RegistryError(f"a kiosk named {name!r} is already registered")
    token = new_token()
    kiosk = Kiosk(name=name, token_hash=hash_token(token),
                  created_by=actor.username if actor else (actor_name or "system"))
    db.add(kiosk)
    db.flush()
    audit.record(db, actor, "kiosk.register", f"kiosk:{kiosk.id}", None, kiosk.snapshot(),
                 actor_name=actor_name or None)
    return kiosk, token


def revoke(db: Session, kiosk: Kiosk, actor: User | None, actor_name: str = "") -> bool:
    """Revoke a kiosk's token and audit it (no commit); False if it was revoked already."""
    if kiosk.revoked:
        return False
    before = kiosk.snapshot()
    kiosk.revoked_at = utcnow()
    kiosk.revoked_by = actor.username if actor else (actor_name or "system")
    audit.record(db, actor, "kiosk.revoke", f"kiosk:{kiosk.id}", before, kiosk.snapshot(),
                 actor_name=actor_name or None)
    return True


def find(db: Session, token: str) -> Kiosk | None:
    """The kiosk a token belongs to (revoked or not), or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return db.scalar(select(Kiosk).where(Kiosk.token_hash == hash_token(token)))
