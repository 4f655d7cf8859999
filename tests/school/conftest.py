"""Fixtures for the school-session tests: an admin app on SQLite (and PostgreSQL when
$STORYKIOSK_TEST_DATABASE_URL is set), a logged-in client per role, and ``live``: the admin
under gunicorn with a pedagogue and two registered kiosks (module scope)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.pgschema import database_urls

sys.path.insert(0, str(Path(__file__).resolve().parent))

from school_helpers import LiveAdmin  # noqa: E402

PASSWORD = "a long pedagogue passphrase"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """SQLite in tmp_path, then a fresh schema in $STORYKIOSK_TEST_DATABASE_URL (if set)."""
    yield from database_urls(request.param, tmp_path / "admin.sqlite3")


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
    from admin.accounts import create_user

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


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The admin under gunicorn, a pedagogue, and two registered kiosks (tokens)."""
    from admin.accounts import create_user
    from admin.db import database
    from admin.feedback import registry

    tmp = tmp_path_factory.mktemp("school")
    server = LiveAdmin(tmp / "instance", tmp / "admin-data")
    # the in-process app shares the server's data folder for this module, not for the
    # tests that run after it in this process
    with pytest.MonkeyPatch.context() as env:
        env.setenv("STORYKIOSK_DATA_DIR", server.env["STORYKIOSK_DATA_DIR"])
        app = server.app()
        create_user(app, "pia", PASSWORD, "pedagogue", "Pia", check=False)
        with database(app).session() as db:
            _k1, token1 = registry.register(db, "Hall 1 (class)", None, "test")
            _k2, token2 = registry.register(db, "Hall 2", None, "test")
            db.commit()
        yield {"server": server, "base": server.base, "app": app, "tokens": (token1, token2),
               "tmp": tmp}
        server.stop()
        database(app).dispose()
