"""The admin's side of packs over the network: staff publish and assign a pack version, a
kiosk's token gets a signed manifest and only its own bundle, with ranges (issue 22)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from admin.models import Role


def _key(app) -> Ed25519PublicKey:
    from admin.fleet.signing import public_key_b64

    return Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64(app)))


def _verify(app, doc: dict) -> dict:
    """Check the signature the way the issue defines it: over the canonical JSON (sorted
    keys, no spaces, UTF-8) of the signed part, with the admin's public key."""
    payload = json.dumps(doc["signed"], sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False).encode()
    _key(app).verify(base64.b64decode(doc["signature"]), payload)  # raises when wrong
    return doc["signed"]


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _publish(curator, version: str | None = None, pack_folder=None) -> None:
    if version:
        yaml = pack_folder / "pack.yaml"
        text = yaml.read_text()
        import re

        yaml.write_text(re.sub(r'version: "[^"]+"', f'version: "{version}"', text, count=1))
    r = curator.post("/fleet/publish", data={"pack_id": "test"})
    assert r.status_code == 303, r.get_data(as_text=True)


def _assign(curator, app, pack_version: str, kiosk="all", mode="attract", at="",
            timezone="Europe/Rome"):
    from sqlalchemy import select

    from admin.db import database
    from admin.models_distribution import FleetBundle

    with database(app).session() as db:
        bundle_id = db.scalar(select(FleetBundle.id).where(FleetBundle.version == pack_version))
    return curator.post("/fleet/assign", data={"bundle_id": bundle_id, "kiosk": kiosk,
                                               "mode": mode, "at": at, "timezone": timezone})


def test_a_kiosk_gets_its_assignment_signed_and_its_bundle_with_ranges(
        app, client, as_role, register_kiosk, pack_folder):
    token = register_kiosk("Hall 1")
    before = client.get("/api/v1/assignment", headers=_auth(token))
    assert before.status_code == 200
    signed = _verify(app, before.get_json())
    assert signed["pack"] is None and signed["version"] == 0

    curator = as_role(Role.CURATOR)
    _publish(curator)
    r = _assign(curator, app, "1.0", mode="at", at="22:30", timezone="Europe/Rome")
    assert r.status_code == 303
    answer = client.get("/api/v1/assignment", headers=_auth(token))
    assert answer.headers["Cache-Control"] == "no-store"
    signed = _verify(app, answer.get_json())
    assert signed["version"] > 0 and signed["rollback"] is False
    assert signed["switch"] == {"mode": "at", "at": "22:30", "timezone": "Europe/Rome"}
    issued = dt.datetime.fromisoformat(signed["issued"].replace("Z", "+00:00"))
    expires = dt.datetime.fromisoformat(signed["expires"].replace("Z", "+00:00"))
    assert expires - issued == dt.timedelta(hours=168)  # FLEET_MANIFEST_HOURS' default
    pack = signed["pack"]
    assert (pack["id"], pack["version"]) == ("test", "1.0")

    whole = client.get(pack["url"], headers=_auth(token))
    assert whole.status_code == 200
    body = whole.get_data()
    assert len(body) == pack["size"] and hashlib.sha256(body).hexdigest() == pack["sha256"]
    part = client.get(pack["url"], headers={**_auth(token), "Range": "bytes=100-"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-{len(body) - 1}/{len(body)}"
    assert part.get_data() == body[100:]
    # resuming with If-Range naming the bundle's checksum gets the rest, not the whole
    resumed = client.get(pack["url"], headers={**_auth(token), "Range": "bytes=50-",
                                                "If-Range": f'"{pack["sha256"]}"'})
    assert resumed.status_code == 206 and resumed.get_data() == body[50:]


def test_only_the_assigned_bundle_and_only_with_a_token(app, client, as_role, register_kiosk):
    hall, other = register_kiosk("Hall 1"), register_kiosk("Hall 2")
    curator = as_role(Role.CURATOR)
    _publish(curator)
    from sqlalchemy import select

    from admin.db import database
    from admin.models_feedback import Kiosk

    with database(app).session() as db:
        hall_id = db.scalar(select(Kiosk.id).where(Kiosk.name == "Hall 1"))
    assert _assign(curator, app, "1.0", kiosk=str(hall_id)).status_code == 303
    url = "/api/v1/bundles/test/1.0"
    assert client.get(url, headers=_auth(hall)).status_code == 200
    refused = client.get(url, headers=_auth(other))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "not_assigned"
    assert _verify(app, client.get("/api/v1/assignment", headers=_auth(other))
                   .get_json())["pack"] is None
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/assignment").status_code == 401
    assert client.get(url, headers=_auth("sk_" + "x" * 43)).status_code == 401


def test_an_older_version_assigned_is_signed_as_a_rollback_with_a_higher_version(
        app, client, as_role, register_kiosk, pack_folder):
    token = register_kiosk()
    curator = as_role(Role.CURATOR)
    _publish(curator)
    _assign(curator, app, "1.0")
    first = _verify(app, client.get("/api/v1/assignment", headers=_auth(token)).get_json())
    _publish(curator, "1.1", pack_folder)
    _assign(curator, app, "1.1")
    second = _verify(app, client.get("/api/v1/assignment", headers=_auth(token)).get_json())
    assert second["pack"]["version"] == "1.1" and second["rollback"] is False
    assert _assign(curator, app, "1.0").status_code == 303
    third = _verify(app, client.get("/api/v1/assignment", headers=_auth(token)).get_json())
    assert third["pack"]["version"] == "1.0" and third["rollback"] is True
    assert first["version"] < second["version"] < third["version"]
    assert "test 1.0 (rollback)" in curator.get("/fleet/").get_data(as_text=True)


def test_a_published_version_never_changes(app, as_role, pack_folder):
    curator = as_role(Role.CURATOR)
    _publish(curator)
    _publish(curator)  # the same files again: taken as they are
    yaml = pack_folder / "pack.yaml"
    yaml.write_text(yaml.read_text() + "# edited after publishing, version not raised\n")
    r = curator.post("/fleet/publish", data={"pack_id": "test"})
    assert r.status_code == 409
    assert "raise the pack" in r.get_data(as_text=True)


@pytest.mark.parametrize("mode,at,timezone", [("at", "25:00", "Europe/Rome"),
                                              ("at", "", "Europe/Rome"),
                                              ("attract", "", "Europe/Nowhere"),
                                              ("whenever", "", "Europe/Rome")])
def test_a_switch_that_is_not_one_is_refused(app, as_role, register_kiosk, mode, at, timezone):
    curator = as_role(Role.CURATOR)
    _publish(curator)
    r = _assign(curator, app, "1.0", mode=mode, at=at, timezone=timezone)
    assert r.status_code == 400
    assert "Not assigned" in r.get_data(as_text=True)


def test_behind_nginx_the_admin_checks_the_token_and_nginx_sends_the_file(
        tmp_path, database_url, pack_folder, register_kiosk, app, as_role):
    from admin import create_app
    from admin.db import database

    curator = as_role(Role.CURATOR)
    _publish(curator)
    _assign(curator, app, "1.0")
    token = register_kiosk()
    accel = create_app({"INSTANCE_PATH": app.instance_path, "DATABASE_URL": database_url,
                        "TESTING": True, "CONTENT_PACKS": str(pack_folder),
                        "FLEET_ACCEL_PREFIX": "/_fleet_bundles/"})
    try:
        r = accel.test_client().get("/api/v1/bundles/test/1.0", headers=_auth(token))
        assert r.status_code == 200 and r.get_data() == b""
        name = r.headers["X-Accel-Redirect"]
        assert name.startswith("/_fleet_bundles/test-1.0-") and name.endswith(".zip")
        assert (tmp_path / "instance" / "fleet-bundles" / name.rsplit("/", 1)[1]).is_file()
        other = register_kiosk("Hall 9")
        assert accel.test_client().get("/api/v1/bundles/test/2.0",
                                       headers=_auth(other)).status_code == 403
    finally:
        database(accel).dispose()


def test_the_signing_key_is_private_and_the_command_prints_its_public_half(app):
    from admin.fleet.signing import KEY_FILE, public_key_b64

    key = public_key_b64(app)
    path = os.path.join(app.instance_path, KEY_FILE)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(base64.b64decode(key)) == 32
    out = app.test_cli_runner().invoke(args=["fleet", "public-key"])
    assert out.exit_code == 0 and out.output.strip() == key


def test_every_kiosk_sent_back_to_an_older_version_gets_it_signed_as_a_rollback(
        app, client, as_role, register_kiosk, pack_folder):
    """Hall 1 got 1.1 for itself, which "every kiosk: 1.0" afterwards does not change (the
    most specific assignment wins); once staff let Hall 1 follow every kiosk's again, 1.0 is
    a rollback for Hall 1 only, and Hall 2, which never had 1.1, gets 1.0 as a plain
    assignment."""
    from sqlalchemy import select

    from admin.db import database
    from admin.models_feedback import Kiosk

    hall, other = register_kiosk("Hall 1"), register_kiosk("Hall 2")
    curator = as_role(Role.CURATOR)
    _publish(curator)
    _publish(curator, "1.1", pack_folder)
    with database(app).session() as db:
        hall_id = db.scalar(select(Kiosk.id).where(Kiosk.name == "Hall 1"))
    _assign(curator, app, "1.1", kiosk=str(hall_id))
    _assign(curator, app, "1.0")
    own = _verify(app, client.get("/api/v1/assignment", headers=_auth(hall)).get_json())
    assert own["pack"]["version"] == "1.1"
    assert curator.post("/fleet/release", data={"kiosk": hall_id}).status_code == 303
    mine = _verify(app, client.get("/api/v1/assignment", headers=_auth(hall)).get_json())
    theirs = _verify(app, client.get("/api/v1/assignment", headers=_auth(other)).get_json())
    assert mine["version"] > own["version"]
    assert (mine["pack"]["version"], mine["rollback"]) == ("1.0", True)
    assert (theirs["pack"]["version"], theirs["rollback"]) == ("1.0", False)
    page = curator.get("/fleet/").get_data(as_text=True)
    # the page lists Hall 1's own assignment by its name, and what each kiosk follows
    assert "<td>Hall 1</td>" in page and "test 1.1" in page and "every kiosk" in page


@pytest.mark.parametrize("other_content", [False, True])
def test_two_workers_publishing_the_same_version_at_once_give_one_bundle(
        app, as_role, pack_folder, tmp_path, other_content):
    """The other worker's row lands between this one's check and its insert (a real second
    session, run from SQLAlchemy's before_flush hook): this one answers the same bundle, or,
    when the other published other content under that version, refuses as it would after."""
    from sqlalchemy import event, select
    from sqlalchemy.orm import Session

    from admin.db import database
    from admin.fleet import downloads
    from admin.models_distribution import FleetBundle

    curator = as_role(Role.CURATOR)
    raced = []

    def other_worker_first(session, flush_context, instances):
        if raced or not any(isinstance(o, FleetBundle) for o in session.new):
            return
        raced.append(True)
        if other_content:
            yaml = pack_folder / "pack.yaml"
            yaml.write_text(yaml.read_text() + "# edited in the other worker's tab\n")
        with app.app_context(), database(app).session() as other:
            downloads.publish(app, other, pack_folder, tmp_path / "other-exports", None)
            other.commit()

    event.listen(Session, "before_flush", other_worker_first)
    try:
        r = curator.post("/fleet/publish", data={"pack_id": "test"})
    finally:
        event.remove(Session, "before_flush", other_worker_first)
    assert raced
    if other_content:
        assert r.status_code == 409 and "raise the pack" in r.get_data(as_text=True)
    else:
        assert r.status_code == 303, r.get_data(as_text=True)
    with database(app).session() as db:
        bundles = list(db.scalars(select(FleetBundle)))
    assert [(b.pack_id, b.version) for b in bundles] == [("test", "1.0")]
    kept = sorted(p.name for p in downloads.bundles_dir(app).iterdir())
    assert kept == [bundles[0].file]  # this worker's own zip is not left behind
