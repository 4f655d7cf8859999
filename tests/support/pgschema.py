"""A throw-away PostgreSQL schema per test, shared by the admin, feedback and school tests.

Under pytest-xdist each worker has a database of its own (``storykiosk_test_gw0``, ...,
created on first use and kept for the next run): a worker's connections, locks and
leftovers never meet another's.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from tests.support.isolation import worker

_CREATED: set[str] = set()


def worker_database(base_url: str) -> str:
    """The URL of this worker's own database beside the base one (the base when serial)."""
    name = worker()
    if not name:
        return base_url
    url = make_url(base_url)
    url = url.set(database=f"{url.database}_{name}")
    if url.database not in _CREATED:
        engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                      {"n": url.database}).scalar()
                if not exists:
                    try:
                        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
                    except ProgrammingError as e:  # another checkout's same worker made it
                        if "already exists" not in str(e):
                            raise
        finally:
            engine.dispose()
        _CREATED.add(url.database)
    return url.render_as_string(hide_password=False)


@contextlib.contextmanager
def throwaway_schema(base_url: str) -> Iterator[str]:
    """Yield a database URL whose search path is a new schema; drop it afterwards.

    Connections get the schema's name as their application name, so that a connection a
    test left behind (a streamed answer never read to its end) can be ended before the
    schema is dropped instead of blocking the drop for ever.
    """
    schema = "t_" + secrets.token_hex(6)
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}",
                                                "application_name": schema})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = :name AND pid <> pg_backend_pid()"),
                         {"name": schema})
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


PG_SKIP = ("STORYKIOSK_TEST_DATABASE_URL is not set: no PostgreSQL server to test against "
           "(scripts/test starts one through scripts/postgres-env)")


def database_urls(backend: str, sqlite_path) -> Iterator[str]:
    """The body of a `database_url` fixture: SQLite at a path, or a throw-away PostgreSQL schema."""
    import os

    import pytest

    if backend == "sqlite":
        yield f"sqlite:///{sqlite_path}"
        return
    base = os.environ.get("STORYKIOSK_TEST_DATABASE_URL")
    if not base:
        pytest.skip(PG_SKIP)
    with throwaway_schema(worker_database(base)) as url:
        yield url
