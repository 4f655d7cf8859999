"""Fixtures for the admin's tests; issues 9-11 reuse them.

- ``database_url``: parametrized over SQLite (a file in tmp_path) and PostgreSQL (a fresh
  schema in $STORYKIOSK_TEST_DATABASE_URL, dropped afterwards; skipped when unset).
- ``app``: ``create_app`` on that database, migrated, CSRF on. ``client``: its test client.
- ``make_user(role, username=None, languages="")``: an account with password ``PASSWORD``.
- ``login(client, username)``: logs the client in through the real form.
- ``as_role(role)``: a fresh client logged in as a new user of that role.
- ``csrf_token(client, path)``: the CSRF token from the form on that page.

``admin_helpers`` (import it: ``from admin_helpers import ...``) holds ``PASSWORD``,
``csrf_from(html)``, and ``SAMPLE_ARGS``/``route_url``: the sample value of every URL
variable for the tests that walk every route (add yours there).
"""

from __future__ import annotations

import pytest
from admin_helpers import PASSWORD, csrf_from

from admin import create_app
from admin.accounts import create_user
from admin.db import database
from tests.pgschema import database_urls

PG_SKIP = ("STORYKIOSK_TEST_DATABASE_URL is not set: no PostgreSQL server to test against "
           "(scripts/test starts one through scripts/postgres-env)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A database URL for one test: SQLite, then PostgreSQL."""
    yield from database_urls(request.param, tmp_path / "admin.sqlite3")


@pytest.fixture
def app_config(tmp_path, database_url):
    """The test_config the app fixture builds with (override it in a module to change)."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
            "TESTING": True}


@pytest.fixture
def app(app_config):
    """A migrated admin app on the test database."""
    app = create_app(app_config)
    database(app).migrate()
    yield app
    database(app).dispose()


@pytest.fixture
def client(app):
    """A browser-like test client (cookies kept)."""
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Factory: make_user(role, username=None, languages='') -> User (password PASSWORD)."""
    counter = iter(range(1, 10_000))

    def make(role, username=None, languages="", display_name=""):
        name = username or f"{role}{next(counter)}"
        return create_user(app, name, PASSWORD, role, display_name, languages, check=False)

    return make


@pytest.fixture
def csrf_token(app):
    """csrf_token(client, path): GET the page and return its form's CSRF token."""
    def get(client, path="/login"):
        if not app.config.get("WTF_CSRF_ENABLED", True):
            return ""
        return csrf_from(client.get(path).get_data(as_text=True))
    return get


@pytest.fixture
def login(csrf_token):
    """login(client, username, password=PASSWORD) -> the POST's response."""
    def do(client, username, password=PASSWORD):
        token = csrf_token(client, "/login")
        return client.post("/login", data={"csrf_token": token, "username": username,
                                           "password": password})
    return do


@pytest.fixture
def as_role(app, make_user, login):
    """as_role(role, languages='') -> a new test client logged in as a new user of that role."""
    def make(role, languages=""):
        user = make_user(role, languages=languages)
        c = app.test_client()
        r = login(c, user.username)
        assert r.status_code == 302, r.get_data(as_text=True)
        c.user = user
        return c
    return make
