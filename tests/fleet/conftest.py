"""Fixtures for the fleet's tests: the suite's admin app (tests/conftest.py), CSRF on, and
helpers to make an enrolment code and register a kiosk through the same code as the pages."""

from __future__ import annotations

import pytest

from admin.db import database


@pytest.fixture
def enrolment_code(app):
    """enrolment_code(venue_name=None, minutes=None) -> a fresh code, as the page shows it."""
    from sqlalchemy import select

    from admin.fleet import enrol
    from admin.models_fleet_health import Venue

    def make(venue_name: str | None = None, minutes: int | None = None) -> str:
        with app.app_context(), database(app).session() as db:
            venue = (db.scalar(select(Venue).where(Venue.name == venue_name))
                     if venue_name else None)
            _entry, code = enrol.make_code(db, venue, None, minutes or 120, actor_name="test")
            db.commit()
        return code
    return make




@pytest.fixture
def admin_server(tmp_path):
    """The admin under gunicorn on a free port: (url, instance folder)."""
    instance = tmp_path / "instance"
    from admin import create_app
    from tests.support.feedback import AdminServer
    from tests.support.isolation import free_port

    create_app({"INSTANCE_PATH": str(instance)})
    port = free_port()
    server = AdminServer(instance, port, workers=1)
    server.start()
    yield f"http://127.0.0.1:{port}", instance
    server.stop()
