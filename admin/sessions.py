"""Server-side sessions: the cookie holds a random token, the ``sessions`` table the data.

The table stores the token's SHA-256, so a copy of the database opens no session. A session
ends after ``SESSION_IDLE_MINUTES`` without a request and ``SESSION_ABSOLUTE_HOURS`` after it
began; ``rotate(session)`` (at login) gives it a new token and start, ``end(session)``
(at logout) deletes its row.

Anonymous visitors (the login page's CSRF token, a flashed message) get no row: their few
values travel in the cookie itself, signed with the secret key (``ANON_PREFIX``), so
requesting the login page over and over cannot fill the table. The row is made at login.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime, timedelta

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from werkzeug.datastructures import CallbackDict

from admin.db import database
from admin.models import ServerSession, utcnow

COOKIE_NAME = "storykiosk_admin"
# A cookie starting with this holds an anonymous session's signed data, not a token.
ANON_PREFIX = "a."
ANON_MAX_BYTES = 2048
# last_seen_at is written at most this often, so a page view is usually read-only.
TOUCH_EVERY = timedelta(seconds=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSideSession(CallbackDict, SessionMixin):
    """The session dict of one request, remembering what must happen to its row."""

    def __init__(self, data=None, token: str | None = None, created_at: datetime | None = None,
                 last_seen_at: datetime | None = None):
        def on_update(s):
            s.modified = True

        super().__init__(data, on_update)
        self.token = token
        self.created_at = created_at
        self.last_seen_at = last_seen_at
        self.modified = False
        self.rotate = False
        self.ended = False

    @property
    def new(self) -> bool:
        """True when no row exists yet for this session."""
        return self.token is None


def rotate(session: ServerSideSession) -> None:
    """Give the session a new token and a new start (call at login)."""
    session.rotate = True
    session.modified = True


def end(session: ServerSideSession) -> None:
    """Delete the session on the server and clear the cookie (call at logout)."""
    session.clear()
    session.ended = True


class DatabaseSessionInterface(SessionInterface):
    """Flask session interface over the ``sessions`` table."""

    def open_session(self, app: Flask, request: Request) -> ServerSideSession:
        """Load the cookie's session, or start an empty one when it is unknown or expired."""
        token = request.cookies.get(COOKIE_NAME)
        if token and token.startswith(ANON_PREFIX):
            return self._open_anonymous(app, token)
        if not token or len(token) > 128:
            return ServerSideSession()
        now = utcnow()
        table = ServerSession.__table__
        # Core, not the ORM: this runs on every request and the ORM's identity map and
        # object building cost more than the query itself.
        with database(app).engine.connect() as conn:
            row = conn.execute(select(table.c.data, table.c.created_at, table.c.last_seen_at)
                               .where(table.c.id == _digest(token))).first()
            if row is None:
                return ServerSideSession()
            if self._expired(app, row, now):
                conn.execute(delete(table).where(table.c.id == _digest(token)))
                conn.commit()
                return ServerSideSession()
        return ServerSideSession(json.loads(row.data), token, row.created_at, row.last_seen_at)

    @staticmethod
    def _signer(app: Flask) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(app.secret_key, salt="storykiosk-anonymous-session")

    def _open_anonymous(self, app: Flask, cookie: str) -> ServerSideSession:
        """An anonymous session from its signed cookie (bad or stale: a fresh one)."""
        if len(cookie) > ANON_MAX_BYTES:
            return ServerSideSession()
        try:
            data = self._signer(app).loads(cookie[len(ANON_PREFIX):],
                                           max_age=app.config["SESSION_IDLE_MINUTES"] * 60)
        except BadSignature:
            return ServerSideSession()
        if not isinstance(data, dict) or "uid" in data:
            return ServerSideSession()
        return ServerSideSession(data)

    @staticmethod
    def _expired(app: Flask, row, now: datetime) -> bool:
        idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        absolute = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
        return now - row.last_seen_at > idle or now - row.created_at > absolute

    def save_session(self, app: Flask, session: ServerSideSession, response: Response) -> None:
        """Write, touch, rotate or delete the session's row and set the cookie to match."""
        secure = self._secure(app)
        cookie = dict(domain=self.get_cookie_domain(app), path=self.get_cookie_path(app),
                      secure=secure, httponly=True, samesite="Lax")
        now = utcnow()
        with database(app).session() as db:
            if session.ended or (session.rotate and not session.new):
                if session.token:
                    db.execute(delete(ServerSession).where(
                        ServerSession.id == _digest(session.token)))
                if session.ended:
                    db.commit()
                    response.delete_cookie(COOKIE_NAME, **{
                        k: cookie[k] for k in ("domain", "path", "secure", "httponly",
                                               "samesite")})
                    return
                session.token = None
            if session.new:
                if not session:  # nothing worth keeping: no row, no cookie
                    db.commit()
                    return
                if "uid" not in session:  # anonymous: signed in the cookie, no row
                    db.commit()
                    signed = ANON_PREFIX + self._signer(app).dumps(dict(session))
                    response.set_cookie(COOKIE_NAME, signed, **cookie)
                    response.vary.add("Cookie")
                    return
                session.token = secrets.token_urlsafe(32)
                db.add(ServerSession(id=_digest(session.token), user_id=session.get("uid"),
                                     data=json.dumps(dict(session)), created_at=now,
                                     last_seen_at=now))
                self._prune(app, db, now)
            elif session.modified:
                db.execute(update(ServerSession).where(
                    ServerSession.id == _digest(session.token)).values(
                        data=json.dumps(dict(session)), user_id=session.get("uid"),
                        last_seen_at=now))
            elif now - session.last_seen_at > TOUCH_EVERY:
                db.execute(update(ServerSession).where(
                    ServerSession.id == _digest(session.token)).values(last_seen_at=now))
            else:
                return
            db.commit()
        response.set_cookie(COOKIE_NAME, session.token, **cookie)
        response.vary.add("Cookie")

    @staticmethod
    def _secure(app: Flask) -> bool:
        from flask import request

        mode = app.config["COOKIE_SECURE"]
        return mode == "always" or (mode == "auto" and request.is_secure)

    @staticmethod
    def _prune(app: Flask, db, now: datetime) -> None:
        """Delete sessions idle for longer than the idle timeout (they can never be used)."""
        idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
        db.execute(delete(ServerSession).where(ServerSession.last_seen_at < now - idle))


def sessions_of(db, user_id: int) -> list[ServerSession]:
    """The live session rows of one user."""
    return list(db.scalars(select(ServerSession).where(ServerSession.user_id == user_id)))


def end_all_for_user(db, user_id: int, keep: ServerSideSession | None = None) -> None:
    """Log a user out everywhere (password change, deactivation), except `keep`'s session."""
    query = delete(ServerSession).where(ServerSession.user_id == user_id)
    if keep is not None and keep.token:
        query = query.where(ServerSession.id != _digest(keep.token))
    db.execute(query)
