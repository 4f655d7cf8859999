"""Venues: staff add and rename them with an IANA time zone and move kiosks between them;
every change is in the audit log."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from admin.db import database
from admin.models import AuditEntry
from admin.models_feedback import Kiosk
from admin.models_fleet_health import Venue
from tests.support.admin_pages import csrf_from

WINTER = datetime(2027, 1, 15, 12, 0)


def _add(client, name, zone):
    token = csrf_from(client.get("/kiosks/venues").get_data(as_text=True))
    return client.post("/kiosks/venues/new", data={"csrf_token": token, "name": name,
                                                   "time_zone": zone})


def _venues(app) -> dict[str, str]:
    with database(app).session() as db:
        return {v.name: v.time_zone for v in db.scalars(select(Venue))}


def test_a_curator_adds_the_four_venues_on_their_time_zones(app, as_role):
    curator = as_role("curator")
    for name, zone in [("Stockholm", "Europe/Stockholm"), ("Rome", "Europe/Rome"),
                       ("Riga", "Europe/Riga"), ("Athens", "Europe/Athens")]:
        assert _add(curator, name, zone).status_code == 302
    stored = _venues(app)
    # Stockholm and Rome run on CET (UTC+1 in winter), Riga and Athens on EET (UTC+2)
    offsets = {n: ZoneInfo(z).utcoffset(WINTER) for n, z in stored.items()}
    assert offsets == {"Stockholm": timedelta(hours=1), "Rome": timedelta(hours=1),
                       "Riga": timedelta(hours=2), "Athens": timedelta(hours=2)}
    page = curator.get("/kiosks/venues").get_data(as_text=True)
    assert page.index("Athens") < page.index("Riga") < page.index("Rome")


def test_a_misspelt_time_zone_or_a_second_venue_of_a_name_is_refused(app, as_role):
    admin = as_role("administrator")
    r = _add(admin, "Stockholm", "Europe/Stokholm")
    assert r.status_code == 400
    assert "Europe/Stokholm is not a time zone" in r.get_data(as_text=True)
    assert _add(admin, "Stockholm", "CET+1").status_code == 400
    assert _venues(app) == {}
    assert _add(admin, "Stockholm", "Europe/Stockholm").status_code == 302
    r = _add(admin, " Stockholm ", "Europe/Stockholm")
    assert r.status_code == 400 and "already a venue named Stockholm" in r.get_data(as_text=True)
    assert _venues(app) == {"Stockholm": "Europe/Stockholm"}


def test_renaming_a_venue_and_moving_a_kiosk_are_audited(app, as_role, register_kiosk):
    curator = as_role("curator")
    _add(curator, "Riga", "Europe/Riga")
    _add(curator, "Atene", "Europe/Athens")
    register_kiosk("Hall 2")
    with database(app).session() as db:
        ids = {v.name: v.id for v in db.scalars(select(Venue))}
        kiosk_id = db.scalar(select(Kiosk.id))
    page = curator.get("/kiosks/venues").get_data(as_text=True)
    r = curator.post(f"/kiosks/venues/{ids['Atene']}", data={
        "csrf_token": csrf_from(page), f"v{ids['Atene']}-name": "Athens",
        f"v{ids['Atene']}-time_zone": "Europe/Athens"})
    assert r.status_code == 302
    assert _venues(app) == {"Riga": "Europe/Riga", "Athens": "Europe/Athens"}
    page = curator.get(f"/kiosks/{kiosk_id}").get_data(as_text=True)
    r = curator.post(f"/kiosks/{kiosk_id}/venue", data={"csrf_token": csrf_from(page),
                                                        "venue": str(ids["Riga"])})
    assert r.status_code == 302
    r = curator.post(f"/kiosks/{kiosk_id}/venue", data={"csrf_token": csrf_from(page),
                                                        "venue": "12345"})
    assert r.status_code == 400  # a venue that is not offered
    with database(app).session() as db:
        assert db.get(Kiosk, kiosk_id).venue_id == ids["Riga"]
        actions = [(e.action, e.actor) for e in db.scalars(select(AuditEntry)
                                                           .order_by(AuditEntry.id))]
    assert ("venue.update", curator.user.username) in actions
    assert ("kiosk.move", curator.user.username) in actions
    assert [a for a, _u in actions].count("venue.create") == 2
    index = curator.get("/kiosks/").get_data(as_text=True)
    assert re.search(r'<h2 class="venue">Riga \(Europe/Riga\)</h2>', index)
    assert "Hall 2" in index.split('<h2 class="venue">Riga')[1]
