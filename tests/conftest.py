"""Fixtures for the whole suite: what each test process (pytest-xdist worker) keeps to itself,
the tests that must have the machine to themselves, and the admin on a test database.

- SDL's dummy video and audio drivers unless the environment names others: no test opens a
  window or a sound card of the machine it runs on (the Xvfb tests start their own display).
- The kiosk's folders default to the user's own (platformdirs: ~/.cache/storykiosk, ...). A
  test that does not name its own would share them with the other workers, other checkouts
  and the person running the tests; here they default to this worker's temporary folder.
- ``@pytest.mark.alone``: a test that measures real time (latency, sound from a real decode,
  a real-time loop, the short soak) runs while no test runs in another worker: it waits for
  the tests running now to end, and no worker starts another until it has ended.
- The admin (tests/admin, content_admin, feedback, school):

  - ``database_url``: parametrized over SQLite (``instance/admin.sqlite3`` in tmp_path) and
    PostgreSQL (a throw-away schema in $STORYKIOSK_TEST_DATABASE_URL, in this worker's own
    database; skipped when unset).
  - ``app_config``: the test_config the app is built with (a folder overrides it to change
    the app: content_admin's pack, feedback's CSRF off, school's kiosk data folder).
  - ``app``: ``create_app`` on that database, migrated, CSRF on. ``client``: its test client.
  - ``make_user(role, username=None, languages="")``: an account with password ``PASSWORD``.
  - ``login(client, username)``: logs the client in through the real form.
  - ``as_role(role)``: a fresh client logged in as a new user of that role.
  - ``csrf_token(client, path)``: the CSRF token from the form on that page.

Helpers the tests import live in ``tests/support/`` (``from tests.support.admin_pages import
PASSWORD, csrf_from``); a fixture only one folder uses lives in that folder's conftest.py.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.admin_pages import PASSWORD, csrf_from
from tests.support.isolation import alone_or_together
from tests.support.pgschema import database_urls

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(scope="session", autouse=True)
def kiosk_folders_of_this_worker(tmp_path_factory):
    """$STORYKIOSK_DATA_DIR, _CACHE_DIR and _CONFIG_DIR in this worker's temporary folder."""
    base = tmp_path_factory.mktemp("kiosk-folders")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("data", "cache", "config"):
            mp.setenv(f"STORYKIOSK_{name.upper()}_DIR", str(base / name))
        yield base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Run each test (its fixtures' set-up and tear-down too) under the run's lock: shared,
    or exclusive for a test marked ``alone``."""
    if not hasattr(item.config, "workerinput"):  # not an xdist worker: alone already
        return (yield)
    # xdist gives each worker the folder <the run's temporary folder>/<worker> as basetemp
    run_dir = Path(item.config.option.basetemp).parent
    with alone_or_together(run_dir, item.get_closest_marker("alone") is not None):
        return (yield)


# The admin's modules are imported inside its fixtures: a run of the kiosk's tests alone does
# not load Flask and SQLAlchemy.


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A database URL for one test: SQLite, then PostgreSQL."""
    yield from database_urls(request.param, tmp_path / "instance" / "admin.sqlite3")


@pytest.fixture
def app_config(tmp_path, database_url):
    """The test_config the app fixture builds with (override it in a folder or module)."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
            "TESTING": True}


@pytest.fixture
def app(app_config):
    """A migrated admin app on the test database."""
    from admin import create_app
    from admin.db import database

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
    from admin.accounts import create_user

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


@pytest.fixture
def register_kiosk(app):
    """register_kiosk(name) -> token, registered through the same code as the Kiosks page."""
    from admin.db import database
    from admin.feedback import registry

    def make(name: str = "Hall 1") -> str:
        with database(app).session() as db:
            _kiosk, token = registry.register(db, name, None, actor_name="test")
            db.commit()
        return token
    return make


@pytest.fixture
def tmpfs(tmp_path):
    """A real 2 MiB tmpfs mounted for this test (needs root and mount); unmounted after."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
