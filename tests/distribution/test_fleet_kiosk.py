"""The kiosk's checks of a signed manifest, the moment of a switch, and the way back by
itself when a new pack fails on the kiosk (issue 22). Manifests here are signed with a key
the test makes, as the issue defines the signature: Ed25519 over the canonical JSON
(sorted keys, no spaces, UTF-8) of the signed part."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.content.bundle import build_bundle
from kiosk.content.packstore import PackStore
from kiosk.fleet import switch, verify
from tests.support.fixture_date import TODAY
from tests.support.fleet_packs import pack_at

NOW = dt.datetime(2026, 12, 6, 20, 0, tzinfo=dt.UTC)
SHA = "ab" * 32


def _signed(version: int = 5, **changes) -> dict:
    signed = {"kiosk": 3, "version": version, "issued": "2026-12-06T19:00:00Z",
              "expires": "2026-12-13T19:00:00Z", "rollback": False,
              "pack": {"id": "test", "version": "1.1", "sha256": SHA, "size": 1234,
                       "url": "/api/v1/bundles/test/1.1"},
              "switch": {"mode": "attract", "at": None, "timezone": "Europe/Stockholm"}}
    signed.update(changes)
    return signed


def _sign(key: Ed25519PrivateKey, signed: dict) -> dict:
    payload = json.dumps(signed, sort_keys=True, separators=(",", ":"),
                         ensure_ascii=False).encode()
    return {"signed": signed, "signature": base64.b64encode(key.sign(payload)).decode()}


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def test_a_manifest_signed_by_the_pinned_key_is_taken(key):
    signed = verify.check(_sign(key, _signed()), key.public_key(), None, NOW)
    assert signed["pack"]["version"] == "1.1"
    # the same version again is taken (a kiosk asks every few minutes)
    assert verify.check(_sign(key, _signed()), key.public_key(), verify.Accepted(5, 3), NOW)


@pytest.mark.parametrize("case,code", [
    ("unsigned", "unsigned"), ("tampered", "bad_signature"), ("other key", "bad_signature"),
    ("expired", "expired"), ("older", "old_manifest"), ("other kiosk", "other_kiosk"),
    ("no checksum", "malformed"), ("switch at no time", "malformed"),
])
def test_a_manifest_is_refused(key, case, code):
    last = verify.Accepted(5, 3)
    doc = _sign(key, _signed())
    if case == "unsigned":
        doc = {"signed": _signed()}
    elif case == "tampered":
        doc["signed"]["pack"]["sha256"] = "cd" * 32  # after signing
    elif case == "other key":
        doc = _sign(Ed25519PrivateKey.generate(), _signed())
    elif case == "expired":
        doc = _sign(key, _signed(expires="2026-12-06T19:59:59Z"))
    elif case == "older":
        doc = _sign(key, _signed(version=4))
    elif case == "other kiosk":
        doc = _sign(key, _signed(kiosk=4))
    elif case == "no checksum":
        doc = _sign(key, _signed(pack={"id": "test", "version": "1.1", "size": 1,
                                       "url": "/x"}))
    elif case == "switch at no time":
        doc = _sign(key, _signed(switch={"mode": "at", "at": None, "timezone": "Europe/Rome"}))
    with pytest.raises(verify.Refused) as refused:
        verify.check(doc, key.public_key(), last, NOW)
    assert refused.value.code == code


def test_the_pinned_key_is_private_and_a_wrong_one_is_refused(tmp_path, key):
    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    path = verify.trust(base64.b64encode(raw).decode(), tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert verify.trusted_key(tmp_path).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw) == raw
    with pytest.raises(verify.Refused):
        verify.trust("not a key", tmp_path)


@pytest.mark.parametrize("at,zone,after,expected", [
    # 21:00 in Rome (CET): 22:30 tonight
    ("22:30", "Europe/Rome", NOW, dt.datetime(2026, 12, 6, 21, 30, tzinfo=dt.UTC)),
    # 23:00 in Rome: tomorrow's 22:30
    ("22:30", "Europe/Rome", NOW + dt.timedelta(hours=2),
     dt.datetime(2026, 12, 7, 21, 30, tzinfo=dt.UTC)),
    # Riga and Athens are on EET, an hour later than Stockholm
    ("22:30", "Europe/Riga", NOW, dt.datetime(2026, 12, 6, 20, 30, tzinfo=dt.UTC)),
    ("22:30", "Europe/Athens", NOW, dt.datetime(2026, 12, 6, 20, 30, tzinfo=dt.UTC)),
    # summer time in Stockholm: UTC+2
    ("03:00", "Europe/Stockholm", dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
     dt.datetime(2026, 7, 2, 1, 0, tzinfo=dt.UTC)),
])
def test_a_switch_at_a_local_time_happens_at_that_time_in_the_venues_zone(
        at, zone, after, expected):
    assert switch.next_local(at, zone, after) == expected


def _store_with(tmp_path, *versions: str) -> tuple[PackStore, dict[str, str]]:
    """A pack store with these versions of the fixture pack installed, none active."""
    store = PackStore(tmp_path / "packs")
    names = {}
    for v in versions:
        out = tmp_path / f"b-{v}.zip"
        build_bundle(pack_at(tmp_path / f"src-{v}", v), out, today=TODAY)
        names[v] = os.path.basename(store.install(out, activate=False, today=TODAY).folder)
    return store, names


def _plan(data, names, version, mode="attract", at=None, manifest=7):
    signed = _signed(version=manifest, switch={"mode": mode, "at": at,
                                               "timezone": "Europe/Rome"})
    signed["pack"]["version"] = version
    return switch.plan(data, signed, names[version], NOW)


def test_each_switch_mode_waits_for_its_moment(tmp_path):
    store, names = _store_with(tmp_path, "1.0", "1.1")
    store.activate("test", names["1.0"])
    data = tmp_path / "data"
    _plan(data, names, "1.1", mode="confirm")
    assert switch.apply_due(data, store, NOW, TODAY) is None
    assert switch.confirm(data)
    assert switch.apply_due(data, store, NOW, TODAY) == names["1.1"]
    assert store.active("test").name == names["1.1"]

    _plan(data, names, "1.0", mode="at", at="22:30", manifest=8)  # 21:00 in Rome now
    assert switch.apply_due(data, store, NOW + dt.timedelta(minutes=89), TODAY) is None
    assert switch.apply_due(data, store, NOW + dt.timedelta(minutes=90), TODAY) == names["1.0"]


def test_a_pack_whose_stories_fail_in_its_first_visits_is_rolled_back_by_itself(tmp_path):
    store, names = _store_with(tmp_path, "1.0", "1.1")
    store.activate("test", names["1.0"])
    data = tmp_path / "data"
    _plan(data, names, "1.1")
    assert switch.apply_due(data, store, NOW, TODAY) == names["1.1"]
    switch.visit_ended(data)
    assert not switch.story_failed(data, store)
    assert not switch.story_failed(data, store)
    assert store.active("test").name == names["1.1"]
    assert switch.story_failed(data, store)  # the third failure within the trial
    assert store.active("test").name == names["1.0"]
    assert "rolled back" in switch.last_error(data) and "1.1" in switch.last_error(data)


def test_failures_after_the_trial_do_not_roll_back(tmp_path):
    store, names = _store_with(tmp_path, "1.0", "1.1")
    store.activate("test", names["1.0"])
    data = tmp_path / "data"
    _plan(data, names, "1.1")
    switch.apply_due(data, store, NOW, TODAY)
    for _ in range(switch.TRIAL_VISITS):
        switch.visit_ended(data)
    for _ in range(switch.TRIAL_FAILURES):
        assert not switch.story_failed(data, store)
    assert store.active("test").name == names["1.1"] and switch.last_error(data) is None


def test_a_pack_invalid_on_this_kiosk_is_not_switched_to(tmp_path):
    store, names = _store_with(tmp_path, "1.0", "1.1")
    store.activate("test", names["1.0"])
    data = tmp_path / "data"
    _plan(data, names, "1.1")
    # the staged copy broke on this kiosk's disk after its install
    yaml = store.root / "test" / "versions" / names["1.1"] / "pack.yaml"
    yaml.write_text(yaml.read_text().replace("id: test", "id: [broken"))
    assert switch.apply_due(data, store, NOW, TODAY) is None
    assert store.active("test").name == names["1.0"]
    assert "invalid on this kiosk" in switch.last_error(data)
    assert switch.pending(data) is None


def test_kiosk_fleet_trust_pins_the_key_and_refuses_what_is_not_one(tmp_path, key):
    import subprocess
    import sys

    from tests.support.feedback import ROOT

    raw = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    text = base64.b64encode(raw).decode()

    def trust(arg: str):
        return subprocess.run([sys.executable, "-m", "kiosk", "fleet", "trust", arg,
                               "--config-dir", str(tmp_path)], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)

    bad = trust("sk_not-a-key")
    assert bad.returncode == 1 and "not an admin key" in bad.stderr
    assert not (tmp_path / verify.KEY_NAME).exists()
    good = trust(text)
    assert good.returncode == 0
    assert (tmp_path / verify.KEY_NAME).read_text().strip() == text
    assert stat.S_IMODE(os.stat(tmp_path / verify.KEY_NAME).st_mode) == 0o600


def test_a_switch_to_another_pack_leaves_one_pack_playing_and_goes_back_to_the_first(
        tmp_path):
    store, names = _store_with(tmp_path, "1.0")
    store.activate("test", names["1.0"])
    source = pack_at(tmp_path / "src-other", "2.0")
    yaml = source / "pack.yaml"
    yaml.write_text(yaml.read_text().replace("id: test", "id: other", 1))
    build_bundle(source, tmp_path / "other.zip", today=TODAY)
    other = os.path.basename(store.install(tmp_path / "other.zip", activate=False,
                                           today=TODAY).folder)
    data = tmp_path / "data"
    signed = _signed(version=9)
    signed["pack"].update(id="other", version="2.0")
    switch.plan(data, signed, other, NOW)
    assert switch.apply_due(data, store, NOW, TODAY) == other
    assert store.active("test") is None and store.active("other").name == other
    assert switch.roll_back(data, store, "a test")
    assert store.active("other") is None and store.active("test").name == names["1.0"]
    assert [v.version for v in store.versions("other")] == ["2.0"]  # kept, not playing
