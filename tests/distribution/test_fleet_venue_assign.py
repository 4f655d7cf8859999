"""Staff assign a pack version to a venue: every kiosk in it, kiosks added later included;
the most specific assignment wins (kiosk > venue > every kiosk); a switch at a local time
uses the venue's time zone unless staff name one (issue 22)."""

from __future__ import annotations

from sqlalchemy import select

from admin.db import database
from admin.models import Role
from admin.models_feedback import Kiosk
from tests.distribution.test_fleet_admin import _auth, _publish, _verify


def _venue(app, name: str, zone: str) -> int:
    from admin.fleet import venues

    with app.app_context(), database(app).session() as db:
        venue = venues.create(db, name, zone, None)
        db.commit()
        return venue.id


def _kiosk_id(app, name: str) -> int:
    with database(app).session() as db:
        return db.scalar(select(Kiosk.id).where(Kiosk.name == name))


def _move(app, kiosk_name: str, venue_id: int | None) -> None:
    from admin.fleet import venues
    from admin.models_fleet_health import Venue

    with app.app_context(), database(app).session() as db:
        kiosk = db.get(Kiosk, _kiosk_id(app, kiosk_name))
        venues.move(db, kiosk, db.get(Venue, venue_id) if venue_id else None, None, "test")
        db.commit()


def _bundle_id(app, version: str) -> int:
    from admin.models_distribution import FleetBundle

    with database(app).session() as db:
        return db.scalar(select(FleetBundle.id).where(FleetBundle.version == version))


def _assign(curator, app, version: str, target: str, mode="attract", at="", timezone=""):
    r = curator.post("/fleet/assign", data={"bundle_id": _bundle_id(app, version),
                                            "kiosk": target, "mode": mode, "at": at,
                                            "timezone": timezone})
    assert r.status_code == 303, r.get_data(as_text=True)


def _signed(app, client, token: str) -> dict:
    return _verify(app, client.get("/api/v1/assignment", headers=_auth(token)).get_json())


def _plays(app, client, token: str) -> str | None:
    pack = _signed(app, client, token)["pack"]
    return pack and pack["version"]


def _publish_versions(curator, pack_folder, *versions: str) -> None:
    _publish(curator)
    for version in versions:
        _publish(curator, version, pack_folder)


def test_a_venue_assignment_reaches_its_kiosks_and_kiosks_added_later(
        app, client, as_role, register_kiosk, pack_folder):
    riga = _venue(app, "Riga", "Europe/Riga")
    inside, later, outside = (register_kiosk("Riga 1"), register_kiosk("Riga 2"),
                              register_kiosk("Rome 1"))
    _move(app, "Riga 1", riga)
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.0", "all")
    _assign(curator, app, "1.1", f"venue:{riga}")
    assert _plays(app, client, inside) == "1.1"
    assert _plays(app, client, later) == "1.0" and _plays(app, client, outside) == "1.0"
    before = _signed(app, client, later)["version"]
    _move(app, "Riga 2", riga)  # added to the venue after its assignment
    moved = _signed(app, client, later)
    assert moved["pack"]["version"] == "1.1" and moved["version"] > before
    assert _plays(app, client, outside) == "1.0"
    page = curator.get("/fleet/").get_data(as_text=True)
    assert "The most specific assignment wins" in page
    assert "the kiosks of Riga" in page


def test_the_most_specific_assignment_wins_whatever_came_last(
        app, client, as_role, register_kiosk, pack_folder):
    riga = _venue(app, "Riga", "Europe/Riga")
    own, venue_only = register_kiosk("Riga 1"), register_kiosk("Riga 2")
    nowhere = register_kiosk("Store room")
    _move(app, "Riga 1", riga)
    _move(app, "Riga 2", riga)
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1", "1.2")
    _assign(curator, app, "1.2", str(_kiosk_id(app, "Riga 1")))  # the kiosk's own, first
    _assign(curator, app, "1.1", f"venue:{riga}")  # then the venue's
    _assign(curator, app, "1.0", "all")  # then every kiosk's, last
    assert _plays(app, client, own) == "1.2"  # kiosk > venue > all
    assert _plays(app, client, venue_only) == "1.1"  # venue > all
    assert _plays(app, client, nowhere) == "1.0"
    # the bundle goes only to kiosks it reaches
    assert client.get("/api/v1/bundles/test/1.1", headers=_auth(own)).status_code == 403
    assert client.get("/api/v1/bundles/test/1.1", headers=_auth(venue_only)).status_code == 200


def test_a_switch_at_a_local_time_uses_the_venues_time_zone_by_default(
        app, client, as_role, register_kiosk, pack_folder):
    stockholm, rome = _venue(app, "Stockholm", "Europe/Stockholm"), _venue(app, "Rome", "Europe/Rome")
    riga, athens = _venue(app, "Riga", "Europe/Riga"), _venue(app, "Athens", "Europe/Athens")
    tokens = {}
    for name, venue in (("S", stockholm), ("R", rome), ("L", riga), ("A", athens)):
        tokens[name] = register_kiosk(name)
        _move(app, name, venue)
    tokens["none"] = register_kiosk("In no venue")
    curator = as_role(Role.CURATOR)
    _publish(curator)
    _assign(curator, app, "1.0", "all", mode="at", at="22:30")
    zones = {name: _signed(app, client, token)["switch"]["timezone"]
             for name, token in tokens.items()}
    assert zones == {"S": "Europe/Stockholm", "R": "Europe/Rome", "L": "Europe/Riga",
                     "A": "Europe/Athens", "none": "Europe/Stockholm"}
    _assign(curator, app, "1.0", f"venue:{riga}", mode="at", at="23:00",
            timezone="Europe/Helsinki")  # named by staff: taken as named
    assert _signed(app, client, tokens["L"])["switch"] == {
        "mode": "at", "at": "23:00", "timezone": "Europe/Helsinki"}


def test_a_kiosk_moved_to_a_venue_with_an_older_assignment_gets_a_higher_version(
        app, client, as_role, register_kiosk, pack_folder):
    athens = _venue(app, "Athens", "Europe/Athens")
    token = register_kiosk("Hall")
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.1", f"venue:{athens}")  # older row
    _assign(curator, app, "1.0", "all")  # newer row
    first = _signed(app, client, token)
    assert first["pack"]["version"] == "1.0"
    _move(app, "Hall", athens)
    second = _signed(app, client, token)
    # the kiosk refuses a manifest version lower than the last it accepted
    assert second["pack"]["version"] == "1.1" and second["version"] > first["version"]
    assert second["rollback"] is False


def test_an_unknown_venue_is_a_bad_request(app, as_role, pack_folder):
    curator = as_role(Role.CURATOR)
    _publish(curator)
    r = curator.post("/fleet/assign", data={"bundle_id": _bundle_id(app, "1.0"),
                                            "kiosk": "venue:999", "mode": "attract"})
    assert r.status_code == 400
