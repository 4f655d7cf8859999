"""The heartbeat and the Kiosks page: each kiosk's state from what it reports, grouped by
venue, filtered; a kiosk's history, bounded; skew, low disk and failures flagged in words."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from admin.db import database
from admin.models import User, utcnow
from admin.models_feedback import Kiosk
from admin.models_fleet_health import KioskHeartbeat, Venue

A = "a" * 64
B = "b" * 64
PLAYING = {"id": "demo", "version": "1.1.0", "sha256": A}
NEW = {"id": "demo", "version": "1.2.0", "sha256": B}
GB = 1_000_000_000


@pytest.fixture
def app_config(tmp_path, database_url):
    """A short history and the default thresholds."""
    return {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database_url,
            "TESTING": True, "HEARTBEAT_HISTORY": 3}


def beat(app, token, **fields):
    """POST a heartbeat: a healthy kiosk's, with `fields` changed."""
    body = {"playing": PLAYING, "assigned": PLAYING, "download": None, "switch": None,
            "disk": {"free": 40 * GB, "total": 64 * GB}, "program": "0.9.0", "uptime": 3600,
            "last_error": None, "screen_failures": 0, "waiting": 12, "clock": time.time(),
            "screen": "1920x1080", "time_zone": "Europe/Rome", **fields}
    return app.test_client().post("/api/v1/heartbeat", json=body,
                                  headers={"Authorization": f"Bearer {token}"})


def _state_of(page: str, name: str) -> str:
    m = re.search(re.escape(name) + r'</a>.*?<td class="state state-([a-z-]+)"', page, re.S)
    return m.group(1)


def test_each_kiosk_shows_the_state_its_heartbeat_gives(app, as_role, register_kiosk):
    tokens = {n: register_kiosk(n) for n in ("K up", "K dl", "K switch", "K failed",
                                              "K old", "K silent")}
    assert beat(app, tokens["K up"]).status_code == 200
    beat(app, tokens["K dl"], assigned=NEW, download={"done": 3 * GB, "total": 10 * GB})
    beat(app, tokens["K switch"], assigned=NEW, download={"done": 10 * GB, "total": 10 * GB},
         switch={"version": "1.2.0", "when": "at 22:00"})
    beat(app, tokens["K failed"], assigned=NEW, last_error="signature does not verify")
    beat(app, tokens["K old"], assigned=NEW)
    page = as_role("curator").get("/kiosks/").get_data(as_text=True)
    assert {n: _state_of(page, n) for n in tokens} == {
        "K up": "up-to-date", "K dl": "downloading", "K switch": "switch-planned",
        "K failed": "failed", "K old": "out-of-date", "K silent": "silent"}
    assert "3.0 / 10.0 GB" in page
    only = as_role("curator").get("/kiosks/?state=downloading").get_data(as_text=True)
    assert "K dl" in only and "K up" not in only and "K silent" not in only


def test_a_kiosk_not_heard_from_for_the_set_time_is_silent(app, as_role, register_kiosk):
    token = register_kiosk("Rome 1")
    beat(app, token)
    curator = as_role("curator")

    def heard_minutes_ago(minutes):
        with database(app).session() as db:
            kiosk = db.scalar(select(Kiosk))
            kiosk.last_contact = utcnow() - timedelta(minutes=minutes)
            db.commit()
        return _state_of(curator.get("/kiosks/").get_data(as_text=True), "Rome 1")

    assert app.config["FLEET_SILENT_MINUTES"] == 15  # the default
    assert heard_minutes_ago(14) == "up-to-date"
    assert heard_minutes_ago(16) == "silent"
    app.config["FLEET_SILENT_MINUTES"] = 30
    assert heard_minutes_ago(16) == "up-to-date"


def test_skew_low_disk_and_failures_are_flagged_in_the_staff_members_language(
        app, as_role, register_kiosk):
    token = register_kiosk("Athens 1")
    r = beat(app, token, clock=time.time() - 7200, disk={"free": GB // 2, "total": 32 * GB},
             screen_failures=3)
    assert r.status_code == 200 and -7205 < r.json["skew_seconds"] < -7195
    curator = as_role("curator")
    page = curator.get("/kiosks/").get_data(as_text=True)
    assert "Its clock is 2 hours behind the admin&#39;s." in page
    assert "Low disk: 0.5 GB free of 32.0 GB." in page
    assert "3 screens failed since the kiosk started." in page
    with database(app).session() as db:
        db.get(User, curator.user.id).ui_language = "sv"
        db.commit()
    page = curator.get("/kiosks/").get_data(as_text=True)
    assert "2 timmar" in page and "0,5 GB" in page
    assert "Its clock" not in page and "screens failed" not in page
    beat(app, token)  # the clock put right, space freed
    page = curator.get("/kiosks/").get_data(as_text=True)
    assert "2 timmar" not in page and "0,5 GB" not in page


def test_the_history_keeps_the_last_heartbeats_and_the_page_shows_them(
        app, as_role, register_kiosk):
    token = register_kiosk("Stockholm 1")
    for waiting in range(5):
        assert beat(app, token, waiting=100 + waiting).status_code == 200
    with database(app).session() as db:
        assert db.scalar(select(func.count()).select_from(KioskHeartbeat)) == 3
        kiosk = db.scalar(select(Kiosk))
        assert (kiosk.waiting, kiosk.pack_version) == (104, "1.1.0")
    page = as_role("curator").get(f"/kiosks/{kiosk.id}").get_data(as_text=True)
    history = page.split('<table class="history">')[1]
    assert [w for w in ("<td>102</td>", "<td>103</td>", "<td>104</td>") if w in history] == [
        "<td>102</td>", "<td>103</td>", "<td>104</td>"]
    assert "<td>101</td>" not in history
    assert history.index("<td>104</td>") < history.index("<td>102</td>")  # newest first


def test_a_heartbeat_takes_its_own_fields_only(app, register_kiosk):
    token = register_kiosk()
    r = beat(app, token, visitor_language="sv")
    assert r.status_code == 400 and "visitor_language" in r.json["error"]["message"]
    r = beat(app, token, download={"done": 11, "total": 10})
    assert r.status_code == 400 and "download.done" in r.json["error"]["message"]
    r = beat(app, token, playing={"id": "demo", "version": "1.1.0", "sha256": "x"})
    assert r.status_code == 400
    r = beat(app, token, last_error="x" * 501)
    assert r.status_code == 400
    r = app.test_client().post("/api/v1/heartbeat", json={"waiting": 1})
    assert r.status_code == 401
    with database(app).session() as db:
        assert db.scalar(select(func.count()).select_from(KioskHeartbeat)) == 0


def test_kiosks_are_grouped_by_venue_and_filtered_by_venue(app, as_role, register_kiosk):
    for name in ("Riga 1", "Rome 1", "Loose 1"):
        register_kiosk(name)
    with database(app).session() as db:
        riga, rome = Venue(name="Riga", time_zone="Europe/Riga"), Venue(
            name="Rome", time_zone="Europe/Rome")
        db.add_all([riga, rome])
        db.flush()
        for k in db.scalars(select(Kiosk)):
            k.venue_id = {"Riga 1": riga.id, "Rome 1": rome.id}.get(k.name)
        db.commit()
        rome_id = rome.id
    curator = as_role("curator")
    page = curator.get("/kiosks/").get_data(as_text=True)
    assert page.index("Riga (Europe/Riga)") < page.index("Riga 1") < page.index(
        "Rome (Europe/Rome)") < page.index("Rome 1") < page.index(">No venue</h2>") < page.index(
        "Loose 1")
    only = curator.get(f"/kiosks/?venue={rome_id}").get_data(as_text=True)
    assert "Rome 1" in only and "Riga 1" not in only and "Loose 1" not in only
    loose = curator.get("/kiosks/?venue=none").get_data(as_text=True)
    assert "Loose 1" in loose and "Rome 1" not in loose
