"""Fixtures for the visitor-feedback tests: the suite's admin app (tests/conftest.py) with
CSRF off, and a registered kiosk."""

from __future__ import annotations

import pytest

from admin.db import database
from admin.feedback import registry


@pytest.fixture
def app_config(tmp_path, database_url):
    """The admin on SQLite and PostgreSQL, CSRF off (CSRF is tested in tests/admin)."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
            "WTF_CSRF_ENABLED": False, "DATABASE_URL": database_url}


@pytest.fixture
def register_kiosk(app):
    """register_kiosk(name) -> token, registered through the same code as the Kiosks page."""
    def make(name: str = "Hall 1") -> str:
        with database(app).session() as db:
            _kiosk, token = registry.register(db, name, None, actor_name="test")
            db.commit()
        return token
    return make
