"""Fixtures for the school-session tests: an admin app on SQLite (and PostgreSQL when
$STORYKIOSK_TEST_DATABASE_URL is set), and a logged-in pedagogue's test client."""

from __future__ import annotations

import os
import re
import secrets
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

PASSWORD = "a long pedagogue passphrase"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """SQLite in tmp_path, then a fresh schema in $STORYKIOSK_TEST_DATABASE_URL (if set)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/admin.sqlite3"
        return
    base = os.environ.get("STORYKIOSK_TEST_DATABASE_URL")
    if not base:
        pytest.skip("STORYKIOSK_TEST_DATABASE_URL is not set (scripts/test starts PostgreSQL)")
    schema = "t_" + secrets.token_hex(6)
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture
def app(tmp_path, database_url, monkeypatch):
    """A migrated admin app on the test database (the demo pack as its working copy)."""
    from admin import create_app
    from admin.db import database

    monkeypatch.setenv("STORYKIOSK_DATA_DIR", str(tmp_path / "kiosk-data"))
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"),
                      "DATABASE_URL": database_url, "TESTING": True})
    database(app).migrate()
    yield app
    database(app).dispose()


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def login(app):
    """login(role) -> a test client logged in as a new user of that role."""
    from admin.cli import create_user

    counter = iter(range(1, 1000))

    def make(role: str):
        name = f"{role}{next(counter)}"
        create_user(app, name, PASSWORD, role, check=False)
        client = app.test_client()
        token = csrf_from(client.get("/login").get_data(as_text=True))
        r = client.post("/login", data={"csrf_token": token, "username": name,
                                        "password": PASSWORD})
        assert r.status_code == 302
        return client

    return make
