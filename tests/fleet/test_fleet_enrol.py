"""Enrolment: an administrator makes a one-time code on the Kiosks page; a new kiosk uses it
once, before it expires, to get its token; wrong codes are slowed down."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from admin.db import database
from admin.fleet.signing import public_key_b64
from admin.models_feedback import Kiosk
from admin.models_fleet_health import EnrolmentCode, Venue
from tests.support.admin_pages import csrf_from

CODE_RE = re.compile(r'<code class="enrolment-code">([^<]+)</code>')
ME = {"name": "Riga, hall 2", "screen": "1920x1080", "time_zone": "Europe/Riga"}


def _enrol(app, code, **over):
    return app.test_client().post("/api/v1/enrol", json={"code": code, **ME, **over})


def test_an_administrator_makes_a_code_for_a_venue_and_a_kiosk_enrols_with_it(app, as_role):
    with database(app).session() as db:
        db.add(Venue(name="Riga", time_zone="Europe/Riga"))
        db.commit()
        riga = db.scalar(select(Venue.id))
    admin = as_role("administrator")
    page = admin.get("/kiosks/").get_data(as_text=True)
    r = admin.post("/kiosks/enrolment-code", data={"csrf_token": csrf_from(page),
                                                   "venue": str(riga)})
    assert r.status_code == 200
    code = CODE_RE.search(r.get_data(as_text=True)).group(1)
    # short and readable aloud: two groups of four, no 0/O, 1/I/L, 5/S, 2/Z, 8/B
    assert re.fullmatch(r"[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}", code)
    assert code not in admin.get("/kiosks/").get_data(as_text=True)
    with database(app).session() as db:
        stored = db.scalar(select(EnrolmentCode))
        assert code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64
    typed = code.lower().replace("-", " ")  # read aloud, typed in lower case
    r = _enrol(app, typed)
    assert r.status_code == 200, r.json
    assert r.json["kiosk"] == "Riga, hall 2"
    assert r.json["venue"] == {"name": "Riga", "time_zone": "Europe/Riga"}
    with app.app_context():  # the key every manifest is signed with, for the kiosk to pin
        assert r.json["signing_key"] == public_key_b64(app)
    token = r.json["token"]
    with database(app).session() as db:
        kiosk = db.scalar(select(Kiosk))
        assert (kiosk.name, kiosk.venue_id) == ("Riga, hall 2", riga)
    kiosk_page = admin.get(f"/kiosks/{kiosk.id}").get_data(as_text=True)
    assert "1920x1080, Europe/Riga" in kiosk_page  # what it said of itself when enrolling
    hb = app.test_client().post("/api/v1/heartbeat", json={"waiting": 0},
                                headers={"Authorization": f"Bearer {token}"})
    assert hb.status_code == 200  # the token is a registered kiosk's
    again = _enrol(app, code, name="Another")
    assert again.status_code == 403 and again.json["error"]["code"] == "code_used"


def test_an_expired_code_and_a_taken_name_are_refused_and_the_code_kept(app, enrolment_code,
                                                                         register_kiosk):
    register_kiosk("Riga, hall 2")
    code = enrolment_code()
    r = _enrol(app, code)
    assert r.status_code == 409 and r.json["error"]["code"] == "name_taken"
    assert _enrol(app, code, name="Riga, hall 3").status_code == 200
    late = enrolment_code()
    with database(app).session() as db:
        entry = db.scalar(select(EnrolmentCode).where(EnrolmentCode.used_at.is_(None)))
        entry.expires_at -= timedelta(minutes=121)  # made 121 minutes ago, valid 120
        db.commit()
    r = _enrol(app, late, name="Riga, hall 4")
    assert r.status_code == 403 and r.json["error"]["code"] == "code_expired"
    bad = _enrol(app, code, screen="big")
    assert bad.status_code == 400 and bad.json["error"]["code"] == "malformed_request"
    bad = _enrol(app, code, time_zone="Mars/Olympus")
    assert bad.status_code == 400
    bad = _enrol(app, code, name="x" * 101)
    assert bad.status_code == 400 and "at most 100" in bad.json["error"]["message"]


def test_wrong_codes_are_slowed_down_and_the_right_one_then_waits_too(app, enrolment_code):
    code = enrolment_code()
    answers = [_enrol(app, "AAAA-AAAA").status_code for _ in range(6)]
    # the login limits: LOGIN_FAILURES_BEFORE_DELAY (5) tries, then each waits
    assert answers[:4] == [403] * 4 and answers[-1] == 429
    r = _enrol(app, code)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    with database(app).session() as db:
        assert db.scalar(select(Kiosk)) is None
