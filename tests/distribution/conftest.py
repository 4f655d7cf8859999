"""Fixtures for the fleet's tests: the suite's admin app with CSRF off and a fixture pack as
its working copy, and registered kiosks."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.fleet_packs import pack_at


@pytest.fixture
def pack_folder(tmp_path):
    """The admin's working copy: the fixture pack at 1.0 (tests raise its version), valid
    today (the admin publishes as of the real date)."""
    return pack_at(tmp_path / "work" / "test", "1.0", today=dt.date.today())


@pytest.fixture
def app_config(tmp_path, database_url, pack_folder):
    """The admin on SQLite and PostgreSQL, CSRF off, the fixture pack as working copy."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
            "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url,
            "CONTENT_PACKS": str(pack_folder), "PACKS_DIR": str(tmp_path / "admin-packs")}

