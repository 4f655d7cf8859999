"""The kiosk's heartbeat from real sources (record, pack folder, disk, clock), sent by the
background sender to the real admin under gunicorn; nothing in it concerns a visitor."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time

from admin.fleet.heartbeat import FIELDS, check
from kiosk.fleet.heartbeat import HeartbeatSender, collect
from kiosk.record import Recorder, Store
from kiosk.sync import SyncConfig
from tests.support.feedback import play_sessions, record_rows
from tests.support.fleet import code_for, kiosk_enroll
from tests.support.waiting import wait_for


def _pack(folder, version="1.2.0"):
    """A pack as the kiosk plays it: (id, version, folder), with a file in the folder."""
    (folder / "media").mkdir(parents=True)
    (folder / "pack.yaml").write_text(f"id: demo\nversion: {version}\ntitle: x\n")
    (folder / "media" / "a.txt").write_bytes(b"hello")
    return ("demo", version, folder)


def test_collect_reads_the_record_the_pack_and_the_disk(tmp_path):
    data = tmp_path / "data"
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, 6, seed=3)
        assert rec.flush(10)
    events = record_rows(data)
    pack = _pack(tmp_path / "pack")
    report = collect(data, pack, uptime=12.5, screen="1920x1080", time_zone="Europe/Rome",
                     screen_failures=2, clock=lambda: 1_800_000_000.0)
    assert set(report) == set(FIELDS)
    assert report["waiting"] == len(events) > 20
    assert report["playing"]["id"] == "demo" and report["playing"]["version"] == "1.2.0"
    assert report["disk"]["total"] == shutil.disk_usage(data).total
    assert 0 < report["disk"]["free"] <= report["disk"]["total"]
    assert (report["clock"], report["screen_failures"], report["uptime"]) == (
        1_800_000_000.0, 2, 12.5)
    assert check(report)["waiting"] == len(events)  # the admin takes it as it is
    text = json.dumps(report)
    for event in events:  # no session, no event id of any visitor
        assert event["session_id"] not in text and event["id"] not in text
    store = Store.open(data)
    store.mark_synced([e["id"] for e in events[:10]])
    store.close()
    assert collect(data, pack)["waiting"] == len(events) - 10


def test_the_pack_digest_follows_the_content_not_the_folder(tmp_path):
    a = collect(tmp_path, _pack(tmp_path / "a"))["playing"]["sha256"]
    b = collect(tmp_path, _pack(tmp_path / "b"))["playing"]["sha256"]
    c_pack = _pack(tmp_path / "c")
    (c_pack[2] / "media" / "a.txt").write_bytes(b"hellp")
    c = collect(tmp_path, c_pack)["playing"]["sha256"]
    assert a == b != c and len(a) == 64
    assert collect(tmp_path, None)["playing"] is None
    fresh = collect(tmp_path / "nothing-here-yet", None)  # before the first visitor
    assert fresh["waiting"] is None and fresh["disk"] is None


def test_the_waits_spread_around_the_interval():
    sender = HeartbeatSender(SyncConfig("http://127.0.0.1:9", "sk_x"), dict, interval=30.0,
                             rng=random.Random(4))
    waits = [sender.next_wait() for _ in range(200)]
    assert 24.0 <= min(waits) < 26.0 and 34.0 < max(waits) <= 36.0


def test_the_sender_reports_to_the_admin_every_interval(admin_server, tmp_path):
    url, instance = admin_server
    config = tmp_path / "config"
    assert kiosk_enroll(url, code_for(instance), config).returncode == 0
    data = tmp_path / "data"
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, 3, seed=9)
        assert rec.flush(10)
    pack = _pack(tmp_path / "pack")
    skew = -7200.0
    sender = HeartbeatSender.from_config(
        lambda: collect(data, pack, screen="1920x1080", time_zone="Europe/Riga",
                        clock=lambda: time.time() + skew), config_dir=config, interval=0.2)
    sender.start()
    try:
        db = sqlite3.connect(instance / "admin.sqlite3")
        assert wait_for(lambda: db.execute("SELECT count(*) FROM kiosk_heartbeats")
                        .fetchone()[0] >= 3, 20)
    finally:
        sender.stop()
    report, skew_seen = db.execute("SELECT report, skew_seconds FROM kiosk_health").fetchone()
    db.close()
    report = json.loads(report)
    assert report["waiting"] == len(record_rows(data))
    assert report["playing"]["version"] == "1.2.0" and report["time_zone"] == "Europe/Riga"
    assert abs(skew_seen - skew) < 5
    assert sender.last_error is None and abs(sender.last_answer["skew_seconds"] - skew) < 5
