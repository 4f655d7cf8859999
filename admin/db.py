"""The database: one ``Database`` per app (engine + session factory), Alembic migrations.

In a view, ``get_db()`` returns the request's SQLAlchemy session; commit it yourself, it is
closed (and rolled back if uncommitted) when the request ends. Outside a request (commands,
tests) use ``database(app).session()`` as a context manager.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


class Database:
    """The engine and session factory of one app."""

    def __init__(self, url: str, wal_limit_bytes: int = 64 << 20):
        self.url = url
        self.wal_limit_bytes = wal_limit_bytes
        kwargs: dict = {"future": True}
        if make_url(url).get_backend_name() == "sqlite":
            Path(make_url(url).database or "").parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine: Engine = create_engine(url, **kwargs)
        self.session = sessionmaker(self.engine, expire_on_commit=False)
        self._wal: Path | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", self._sqlite_pragmas)
            if make_url(url).database not in (None, "", ":memory:"):
                self._wal = Path(str(make_url(url).database) + "-wal")
                event.listen(self.session, "after_commit", self._after_commit)
        self._checkpoint_lock = threading.Lock()

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it if empty)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def _sqlite_pragmas(self, dbapi_conn, _record) -> None:
        """WAL lets gunicorn's workers read while one writes; foreign keys are off by default.

        journal_size_limit: after a checkpoint that resets the WAL, the file is cut back to
        the limit instead of keeping its largest size for ever (it grew to 587 MB)."""
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute(f"PRAGMA journal_size_limit={int(self.wal_limit_bytes)}")
        cur.close()

    def _after_commit(self, _session) -> None:
        if self._wal is not None and _size(self._wal) > self.wal_limit_bytes:
            self.checkpoint()

    def checkpoint(self) -> bool:
        """SQLite: copy the WAL into the database and truncate it; True when it emptied.

        Runs after a commit that left the WAL above the limit (a feedback batch, an import).
        A long reader (a streamed CSV) keeps the frames it may still read: then this copies
        what it can and gives up at once instead of stalling the request; the next commit
        tries again. PostgreSQL: nothing to do."""
        if self._wal is None:
            return False
        if not self._checkpoint_lock.acquire(blocking=False):
            return False  # another thread of this worker is at it
        try:
            # Its own connection, outside the pool: the caller's session may still hold one.
            conn = sqlite3.connect(self._wal.with_name(self._wal.name[:-4]), timeout=0)
            try:
                busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.close()
            return not busy
        except sqlite3.OperationalError:  # locked by a writer: the next commit tries again
            return False
        finally:
            self._checkpoint_lock.release()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def init_app(app: Flask, url: str) -> Database:
    """Attach a Database to the app and close the request session at teardown."""
    db = Database(url, app.config["SQLITE_WAL_LIMIT_MB"] << 20)
    app.extensions["storykiosk_db"] = db
    app.teardown_appcontext(_close_session)
    return db


def database(app: Flask | None = None) -> Database:
    """The app's Database (current app when none given)."""
    return (app or current_app).extensions["storykiosk_db"]


def get_db() -> Session:
    """The current request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().session()
    return g.db_session


def _close_session(_exc) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.close()
