"""The database: one ``Database`` per app (engine + session factory), Alembic migrations.

In a view, ``get_db()`` returns the request's SQLAlchemy session; commit it yourself, it is
closed (and rolled back if uncommitted) when the request ends. Outside a request (commands,
tests) use ``database(app).session()`` as a context manager.
"""

from __future__ import annotations

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

    def __init__(self, url: str):
        self.url = url
        kwargs: dict = {"future": True}
        if make_url(url).get_backend_name() == "sqlite":
            Path(make_url(url).database or "").parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
        self.engine: Engine = create_engine(url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.session = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it if empty)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    """WAL lets gunicorn's workers read while one writes; foreign keys are off by default."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def init_app(app: Flask, url: str) -> Database:
    """Attach a Database to the app and close the request session at teardown."""
    db = Database(url)
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
