"""Login attempt limits, kept in the database so every gunicorn worker sees the same counts.

An attempt is *taken* before its password is hashed, in one short transaction, from three
keys: the (account, client address) pair, the client address across accounts, and the
account across addresses. Each key lets a number of attempts through, then every further
one waits: the first wait is ``LOGIN_FIRST_DELAY_SECONDS`` and each doubles, up to
``LOGIN_MAX_DELAY_MINUTES`` (a soft lock-out, OWASP ASVS 2.2.1). The pair's allowance is
small (``LOGIN_FAILURES_BEFORE_DELAY``) and the account's is large
(``LOGIN_MAX_FAILURES_PER_ACCOUNT``), so a flood from one address slows that address only:
the owner, from another address, still logs in. A successful login gives its attempt back.
A key is forgotten once it has been quiet for ``LOGIN_WINDOW_MINUTES`` after its last wait.

Atomicity: each key's take is one conditional ``UPDATE ... WHERE free_at <= now`` (a row
lock on PostgreSQL, the write lock on SQLite), and the three are one transaction that is
rolled back when any key refuses, so concurrent posts can never take more than the allowance.
Times are epoch seconds (floats) so the doubling is plain arithmetic on both databases.
"""

from __future__ import annotations

import math
import time

from flask import Flask
from flask_babel import ngettext
from sqlalchemy import Connection, and_, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from admin.db import database
from admin.models import LoginThrottle

ANY = ""  # the address (or account) part of a key that counts across all of them


class _Refused(Exception):
    """One key refused the attempt; rolls the whole take back."""

    def __init__(self, wait: float):
        super().__init__(wait)
        self.wait = wait


def normalise_account(username: str) -> str:
    """The account key failures are counted under (case and spaces ignored)."""
    return username.strip().lower()[:64]


def wait_message(wait_seconds: float) -> str:
    """What a refused login is told: the wait in whole minutes, rounded up."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    return ngettext("Too many failed attempts. Wait %(num)d minute and try again.",
                    "Too many failed attempts. Wait %(num)d minutes and try again.", minutes)


def _keys(app: Flask, account: str, address: str) -> list[tuple[str, str, int]]:
    """(account, address, allowance) of each key, most specific first (a fixed lock order)."""
    address = address[:64]
    return [(account, address, app.config["LOGIN_FAILURES_BEFORE_DELAY"]),
            (ANY, address, app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            (account, ANY, app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])]


def _where(account: str, address: str):
    return and_(LoginThrottle.account == account, LoginThrottle.address == address)


def take(app: Flask, account: str, address: str, now: float | None = None) -> float:
    """Take one attempt before hashing: 0.0 when taken, else the seconds left to wait."""
    now = time.time() if now is None else now
    first = float(app.config["LOGIN_FIRST_DELAY_SECONDS"])
    cap = 60.0 * app.config["LOGIN_MAX_DELAY_MINUTES"]
    quiet = now - 60 * app.config["LOGIN_WINDOW_MINUTES"]
    engine = database(app).engine
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)
    try:
        with engine.begin() as conn:
            conn.execute(delete(LoginThrottle).where(LoginThrottle.seen_at < quiet,
                                                     LoginThrottle.free_at < quiet))
            for key_account, key_address, allowance in _keys(app, account, address):
                conn.execute(insert(LoginThrottle).values(
                    account=key_account, address=key_address, tries=0, delay=first,
                    free_at=0.0, seen_at=now).on_conflict_do_nothing())
                waits = LoginThrottle.tries + 1 >= allowance
                doubled = case((LoginThrottle.delay * 2 > cap, cap),
                               else_=LoginThrottle.delay * 2)
                taken = conn.execute(
                    update(LoginThrottle)
                    .where(_where(key_account, key_address), LoginThrottle.free_at <= now)
                    .values(tries=LoginThrottle.tries + 1, seen_at=now,
                            free_at=case((waits, now + LoginThrottle.delay),
                                         else_=LoginThrottle.free_at),
                            delay=case((waits, doubled), else_=LoginThrottle.delay)))
                if taken.rowcount != 1:
                    free_at = conn.scalar(select(LoginThrottle.free_at)
                                          .where(_where(key_account, key_address)))
                    raise _Refused(max(1.0, (free_at or now) - now))
    except _Refused as refused:
        return refused.wait
    return 0.0


def give_back(app: Flask, account: str, address: str, logged_in: bool) -> None:
    """Return a taken attempt: the password was right (the pair starts afresh) or never
    checked (the server was busy)."""
    with database(app).engine.begin() as conn:
        for key_account, key_address, _ in _keys(app, account, address):
            if logged_in and key_account and key_address:
                conn.execute(delete(LoginThrottle).where(_where(key_account, key_address)))
            else:
                conn.execute(update(LoginThrottle)
                             .where(_where(key_account, key_address), LoginThrottle.tries > 0)
                             .values(tries=LoginThrottle.tries - 1))


def clear_account(db: Session | Connection, account: str) -> None:
    """Forget an account's failures from every address (after a password change or reset)."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.account == account))
