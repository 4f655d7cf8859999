"""Fixtures for the visitor-feedback tests: an admin app on SQLite, a registered kiosk."""

from __future__ import annotations

import pytest

from admin import create_app
from admin.accounts import create_user
from admin.db import database
from admin.feedback import registry
from tests.pgschema import database_urls

PASSWORD = "a long test passphrase 42"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """SQLite in tmp_path, then a fresh schema in $STORYKIOSK_TEST_DATABASE_URL (if set)."""
    yield from database_urls(request.param, tmp_path / "instance" / "admin.sqlite3")


@pytest.fixture
def app(tmp_path, database_url):
    """A migrated admin app on SQLite and PostgreSQL (CSRF is tested in tests/admin)."""
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url})
    database(app).migrate()
    yield app
    database(app).dispose()


@pytest.fixture
def register_kiosk(app):
    """register_kiosk(name) -> token, registered through the same code as the Kiosks page."""
    def make(name: str = "Hall 1") -> str:
        with database(app).session() as db:
            _kiosk, token = registry.register(db, name, None, actor_name="test")
            db.commit()
        return token
    return make


@pytest.fixture
def as_role(app):
    """as_role(role) -> a test client logged in as a new user of that role."""
    counter = iter(range(1, 1000))

    def make(role):
        user = create_user(app, f"{role}{next(counter)}", PASSWORD, role, check=False)
        client = app.test_client()
        r = client.post("/login", data={"username": user.username, "password": PASSWORD})
        assert r.status_code == 302, r.get_data(as_text=True)
        client.user = user
        return client
    return make
