"""Helpers for the fleet's tests: enrolment codes in a live admin's instance, `kiosk enroll`."""

from __future__ import annotations

import os
import subprocess

from tests.support.feedback import PYTHON, ROOT


def code_for(instance, venue=None) -> str:
    """An enrolment code made in the admin of this instance folder (a live server's too)."""
    from admin import create_app
    from admin.db import database
    from admin.fleet import enrol

    app = create_app({"INSTANCE_PATH": str(instance)})
    database(app).migrate()
    with app.app_context(), database(app).session() as db:
        _entry, code = enrol.make_code(db, venue, None, 60, actor_name="test")
        db.commit()
    database(app).dispose()
    return code


def kiosk_enroll(admin: str, code: str, config_dir, *extra: str):
    """Run `kiosk enroll` as its own process (name Riga, hall 2)."""
    return subprocess.run(
        [PYTHON, "-m", "kiosk", "enroll", "--admin", admin, "--code", code,
         "--name", "Riga, hall 2", "--screen", "1280x800", "--time-zone", "Europe/Riga",
         "--config-dir", str(config_dir), "--timeout", "10", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "STORYKIOSK_CONFIG_DIR": str(config_dir)})
