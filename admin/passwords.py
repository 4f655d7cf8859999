"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

COMMON_PASSWORDS = Path(__file__).with_name("data") / "common-passwords.txt"

# argon2-cffi's defaults are RFC 9106's "low memory" profile: argon2id, t=3, m=64 MiB, p=4,
# above OWASP's minimum (m=19 MiB, t=2).
_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("storykiosk: no such account")


class PasswordRejected(ValueError):
    """The password breaks the policy; str(e) says why, for the person choosing it."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lowercased."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("# "))
    return frozenset(line for line in lines[header:] if line)  # "#1bitch" is a password


def check_policy(password: str, min_length: int = 12, username: str = "") -> None:
    """Raise PasswordRejected when the password is too short, common or the user name."""
    if len(password) < min_length:
        raise PasswordRejected(str(_l("Use at least %(n)d characters.", n=min_length)))
    lowered = password.lower()
    if lowered in common_passwords():
        message = _l("This password is one of the most common ones; choose another.")
        raise PasswordRejected(str(message))
    if username and username.lower() in lowered:
        raise PasswordRejected(str(_l("The password must not contain the user name.")))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when the password matches; takes as long when there is no account."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


class HashSlots:
    """At most ``size`` password hashes at once in this process: each argon2id hash holds
    64 MiB while it runs, so a flood of logins must queue, not multiply the memory."""

    def __init__(self, size: int, wait_seconds: float):
        self._free = threading.BoundedSemaphore(size)
        self.wait_seconds = wait_seconds

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Hold a slot while the block runs; yields False when none freed up in time."""
        got = self._free.acquire(timeout=self.wait_seconds)
        try:
            yield got
        finally:
            if got:
                self._free.release()


def init_app(app: Flask) -> None:
    """Give the app (one per worker process) its password hash slots."""
    app.extensions["password_slots"] = HashSlots(app.config["LOGIN_CONCURRENT_HASHES"],
                                                 app.config["LOGIN_HASH_WAIT_SECONDS"])


def hash_slot():
    """The current app's slot context manager (see HashSlots.slot)."""
    return current_app.extensions["password_slots"].slot()
