"""Fixtures for the visitor-feedback tests: the suite's admin app (tests/conftest.py) with
CSRF off, and a registered kiosk."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(tmp_path, database_url):
    """The admin on SQLite and PostgreSQL, CSRF off (CSRF is tested in tests/admin)."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
            "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url}

