"""The playing kiosk reports its health to a real admin (gunicorn on 127.0.0.1): its screen
size, its pack, and the screens that failed since it started."""

from __future__ import annotations

import json
import sqlite3

from tests.support.feedback import AdminServer
from tests.support.fleet import code_for, kiosk_enroll
from tests.support.isolation import free_port
from tests.support.kiosk_driver import FIXTURE_PACK, make_app
from tests.support.waiting import wait_for


def _latest(instance) -> dict:
    db = sqlite3.connect(instance / "admin.sqlite3", timeout=5)
    try:
        row = db.execute("SELECT report FROM kiosk_health").fetchone()
        return json.loads(row[0]) if row else {}
    finally:
        db.close()


def test_the_kiosk_reports_its_screen_pack_and_failures(cache_env):
    instance = cache_env / "instance"
    code = code_for(instance)
    port = free_port()
    server = AdminServer(instance, port, workers=1)
    server.start()
    enrolled = kiosk_enroll(f"http://127.0.0.1:{port}", code, cache_env / "config")
    assert enrolled.returncode == 0, enrolled.stderr
    k = make_app(FIXTURE_PACK, cache_env, size=(1280, 800), sync_interval=0.3)
    try:
        assert k.app.heartbeat is not None
        # enrolment already stored what the kiosk said of itself (its screen): wait for a
        # heartbeat, which alone carries the uptime
        assert wait_for(lambda: "uptime" in _latest(instance), 30), k.app.heartbeat.last_error
        report = _latest(instance)
        assert report["screen"] == "1280x800"
        assert report["screen_failures"] == 0 and report["playing"]["id"]
        k.app.recover("menu", RuntimeError("a screen failed"))  # as the manager does
        k.app.recover("menu", RuntimeError("a screen failed again"))
        assert wait_for(lambda: _latest(instance).get("screen_failures") == 2, 30)
    finally:
        k.app.close()
        server.stop()
    assert k.app.heartbeat is None
