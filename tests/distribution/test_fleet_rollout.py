"""A rollout in steps: one kiosk, then its venue, then every kiosk, each step started by
staff or by itself once the step's kiosks play the version; the admin stops it by itself
when a set share of the step's kiosks report failure; an emergency stop leaves the kiosks
not yet switched on their pack; every step, stop and resume is audited (issue 22)."""

from __future__ import annotations

import hashlib
import time

from sqlalchemy import select

from admin.db import database
from admin.models import AuditEntry, Role
from admin.models_distribution import Rollout
from tests.distribution.test_fleet_venue_assign import (
    _assign,
    _bundle_id,
    _kiosk_id,
    _move,
    _publish_versions,
    _signed,
    _venue,
)

ROLLED_BACK = "pack test 1.1 rolled back by itself: stories failed 3 times in its first 3 visits"


def _pack(version: str) -> dict:
    return {"id": "test", "version": version,
            "sha256": hashlib.sha256(version.encode()).hexdigest()}


def beat(app, token: str, version: str, last_error: str | None = None,
         assigned: str | None = None) -> None:
    """The kiosk's heartbeat: pack `test` at `version` playing, the one assigned, and its
    last error."""
    r = app.test_client().post("/api/v1/heartbeat", headers={"Authorization": f"Bearer {token}"},
                               json={"playing": _pack(version), "last_error": last_error,
                                     "assigned": _pack(assigned or version),
                                     "clock": time.time()})
    assert r.status_code == 200, r.get_data(as_text=True)


def _rollout(app) -> Rollout:
    with database(app).session() as db:
        return db.scalar(select(Rollout).order_by(Rollout.id.desc()).limit(1))


def _actions(app) -> list[str]:
    with database(app).session() as db:
        return list(db.scalars(select(AuditEntry.action).where(AuditEntry.action.like("rollout.%"))
                               .order_by(AuditEntry.id)))


def _start(curator, app, version: str, first: str, auto: bool = True):
    data = {"bundle_id": _bundle_id(app, version), "first": first, "mode": "attract"}
    if auto:
        data["auto"] = "on"
    r = curator.post("/fleet/rollout", data=data)
    assert r.status_code == 303, r.get_data(as_text=True)


def _fleet(app, register_kiosk, venue_kiosks: int):
    """Riga with `venue_kiosks` kiosks (Riga 1...), and Rome 1 elsewhere; all play 1.0."""
    riga, rome = _venue(app, "Riga", "Europe/Riga"), _venue(app, "Rome", "Europe/Rome")
    tokens = {}
    for n in range(1, venue_kiosks + 1):
        tokens[f"Riga {n}"] = register_kiosk(f"Riga {n}")
        _move(app, f"Riga {n}", riga)
    tokens["Rome 1"] = register_kiosk("Rome 1")
    _move(app, "Rome 1", rome)
    return riga, tokens


def _plays(app, client, token) -> str:
    return _signed(app, client, token)["pack"]["version"]


def test_a_rollout_goes_kiosk_venue_all_by_itself_as_kiosks_report_the_version(
        app, client, as_role, register_kiosk, pack_folder):
    riga, tokens = _fleet(app, register_kiosk, 2)
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.0", "all")
    for token in tokens.values():
        beat(app, token, "1.0")
    versions = {n: _signed(app, client, t)["version"] for n, t in tokens.items()}

    _start(curator, app, "1.1", f"venue:{riga}")  # the first kiosk of Riga: Riga 1
    assert [_plays(app, client, tokens[n]) for n in ("Riga 1", "Riga 2", "Rome 1")] == \
        ["1.1", "1.0", "1.0"]
    beat(app, tokens["Riga 2"], "1.0")  # a kiosk outside the step changes nothing
    assert _rollout(app).step == 1
    beat(app, tokens["Riga 1"], "1.1")  # the step's one kiosk plays it: the venue's turn
    assert _rollout(app).step == 2
    assert [_plays(app, client, tokens[n]) for n in ("Riga 1", "Riga 2", "Rome 1")] == \
        ["1.1", "1.1", "1.0"]
    beat(app, tokens["Riga 2"], "1.1")
    assert _rollout(app).step == 3
    assert _plays(app, client, tokens["Rome 1"]) == "1.1"
    beat(app, tokens["Rome 1"], "1.1")
    assert _rollout(app).state == "done"
    assert _actions(app) == ["rollout.start", "rollout.step", "rollout.step", "rollout.done"]
    for name, token in tokens.items():  # each kiosk's manifest version only grew
        assert _signed(app, client, token)["version"] > versions[name]
    # the next pack for every kiosk reaches the first kiosk too (its step-1 row was a hold)
    _publish_versions_more(curator, pack_folder, "1.2")
    _assign(curator, app, "1.2", "all")
    assert _plays(app, client, tokens["Riga 1"]) == "1.2"


def _publish_versions_more(curator, pack_folder, version):
    from tests.distribution.test_fleet_admin import _publish

    _publish(curator, version, pack_folder)


def test_the_admin_stops_a_rollout_when_the_set_share_of_the_step_fails(
        app, client, as_role, register_kiosk, pack_folder):
    riga, tokens = _fleet(app, register_kiosk, 4)
    app.config["FLEET_ROLLOUT_STOP_PERCENT"] = 50
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.0", "all")
    for token in tokens.values():
        beat(app, token, "1.0")
    _start(curator, app, "1.1", str(_kiosk_id(app, "Riga 1")), auto=False)
    beat(app, tokens["Riga 1"], "1.1")
    assert _rollout(app).step == 1  # not automatic: staff start the next step
    assert curator.post(f"/fleet/rollout/{_rollout(app).id}/next").status_code == 303
    assert _rollout(app).step == 2
    before = {n: _signed(app, client, tokens[n])["version"] for n in tokens}
    beat(app, tokens["Riga 2"], "1.1")
    beat(app, tokens["Riga 3"], "1.0", last_error=ROLLED_BACK)  # went back by itself
    assert _rollout(app).state == "running"  # 1 of 4 failed: under 50 %
    beat(app, tokens["Riga 4"], "1.0", last_error="disk full: 2 GB needed, 1 GB free")
    stopped = _rollout(app)
    assert stopped.state == "stopped" and "2 of 4" in stopped.stop_reason
    # not yet switched: stay on 1.0 (a higher manifest version, signed as a rollback)
    for name in ("Riga 3", "Riga 4"):
        signed = _signed(app, client, tokens[name])
        assert signed["pack"]["version"] == "1.0" and signed["version"] > before[name]
    # already switched: keep 1.1; outside the step: untouched
    assert _plays(app, client, tokens["Riga 1"]) == "1.1"
    assert _plays(app, client, tokens["Riga 2"]) == "1.1"
    assert _plays(app, client, tokens["Rome 1"]) == "1.0"
    assert _actions(app) == ["rollout.start", "rollout.step", "rollout.stop"]
    page = curator.get("/fleet/").get_data(as_text=True)
    assert "Stopped" in page and "2 of 4 kiosks of step 2" in page
    assert "Resume the rollout" in page


def test_under_the_share_the_rollout_goes_on(app, client, as_role, register_kiosk,
                                             pack_folder):
    riga, tokens = _fleet(app, register_kiosk, 4)  # the default share: 20 %
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.0", "all")
    _start(curator, app, "1.1", f"venue:{riga}", auto=False)
    curator.post(f"/fleet/rollout/{_rollout(app).id}/next")
    beat(app, tokens["Riga 2"], "1.1")
    assert _rollout(app).state == "running"
    beat(app, tokens["Riga 3"], "1.0", last_error=ROLLED_BACK)  # 1 of 4: 25 % >= 20 %
    assert _rollout(app).state == "stopped"


def test_staff_stop_a_rollout_at_once_and_resume_it(app, client, as_role, register_kiosk,
                                                    pack_folder):
    riga, tokens = _fleet(app, register_kiosk, 2)
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _assign(curator, app, "1.0", "all")
    beat(app, tokens["Riga 1"], "1.0")
    _start(curator, app, "1.1", f"venue:{riga}")
    started = _signed(app, client, tokens["Riga 1"])
    assert started["pack"]["version"] == "1.1"
    beat(app, tokens["Riga 1"], "1.0", assigned="1.1")
    page = curator.get("/fleet/").get_data(as_text=True)
    assert "Step 1 of 3: one kiosk" in page and "Stop the rollout" in page
    assert "Riga 1" in page and "out of date" in page  # its state: assigned 1.1, plays 1.0
    rollout_id = _rollout(app).id
    assert curator.post(f"/fleet/rollout/{rollout_id}/stop").status_code == 303
    held = _signed(app, client, tokens["Riga 1"])
    assert held["pack"]["version"] == "1.0" and held["version"] > started["version"]
    assert held["rollback"] is True  # older than the 1.1 it was sent: signed as such
    assert curator.post(f"/fleet/rollout/{rollout_id}/stop").status_code == 409
    assert curator.post(f"/fleet/rollout/{rollout_id}/resume").status_code == 303
    resumed = _signed(app, client, tokens["Riga 1"])
    assert resumed["pack"]["version"] == "1.1" and resumed["version"] > held["version"]
    assert _actions(app) == ["rollout.start", "rollout.stop", "rollout.resume"]
    assert curator.post("/fleet/rollout/9999/stop").status_code == 404


def test_one_rollout_at_a_time(app, as_role, register_kiosk, pack_folder):
    riga, _tokens = _fleet(app, register_kiosk, 1)
    curator = as_role(Role.CURATOR)
    _publish_versions(curator, pack_folder, "1.1")
    _start(curator, app, "1.1", f"venue:{riga}")
    r = curator.post("/fleet/rollout", data={"bundle_id": _bundle_id(app, "1.0"),
                                             "first": f"venue:{riga}", "mode": "attract"})
    assert r.status_code == 400 and "under way" in r.get_data(as_text=True)
