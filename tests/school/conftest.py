"""Fixtures for the school-session tests: the suite's admin app (tests/conftest.py: SQLite,
and PostgreSQL when $STORYKIOSK_TEST_DATABASE_URL is set) with the kiosk's data folder of its
own, and ``live``: the admin under gunicorn with a pedagogue and two registered kiosks
(module scope)."""

from __future__ import annotations

import pytest

from tests.support.school import LiveAdmin

PASSWORD = "a long pedagogue passphrase"


@pytest.fixture
def app_config(tmp_path, database_url, monkeypatch):
    """The suite's admin app (tests/conftest.py), with the kiosk's data folder in tmp_path."""
    monkeypatch.setenv("STORYKIOSK_DATA_DIR", str(tmp_path / "kiosk-data"))
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
            "TESTING": True}


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
