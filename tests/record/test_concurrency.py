"""The kiosk records while a technician exports, and the screen never waits on the disk."""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest

from kiosk.record import EventRefused, Store
from kiosk.record.export import export, verify
from tests.support.record_rows import rows


def test_exports_while_recording_cover_every_event_once(open_recorder, tmp_path):
    data = tmp_path / "data"
    rec = open_recorder(data, batch_interval=0.002)
    stop = threading.Event()

    def play():
        s = rec.begin_session("demo", "1", "en")
        i = 0
        while not stop.is_set():
            s.record("choice_made", story="m", scene=f"s{i}", choice=i % 3)
            i += 1
            if i % 50 == 0:
                time.sleep(0.001)

    player = threading.Thread(target=play)
    player.start()
    try:
        assert rec.flush(5)
        exported: list[str] = []
        for n in range(4):
            time.sleep(0.1)
            store = Store.open(data, check=False)
            out = tmp_path / f"part{n}.jsonl"
            export(store, data, out, "jsonl", since_last=True)
            store.close()
            verify(out)
            exported += [json.loads(line)["id"] for line in out.read_text().splitlines()]
    finally:
        stop.set()
        player.join()
    assert rec.flush(5)
    store = Store.open(data, check=False)
    out = tmp_path / "last.jsonl"
    export(store, data, out, "jsonl", since_last=True)
    store.close()
    exported += [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert len(exported) == len(set(exported))  # no event twice
    assert sorted(exported) == sorted(r["id"] for r in rows(data))  # and none missing
    assert len(exported) > 1000


@pytest.mark.alone  # each record() call timed
def test_record_returns_at_once_while_another_process_holds_the_file(open_recorder, tmp_path):
    data = tmp_path / "data"
    rec = open_recorder(data)
    s = rec.begin_session("demo", "1", "en")
    assert rec.flush(5)
    locker = sqlite3.connect(data / "record.sqlite3", isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # the writer now waits for the lock
    try:
        slowest = 0.0
        end = time.monotonic() + 1.5
        n = 0
        while time.monotonic() < end:
            t = time.perf_counter()
            assert s.record("choice_made", story="m", scene=f"s{n}", choice=0)
            slowest = max(slowest, time.perf_counter() - t)
            n += 1
            time.sleep(0.001)
        assert slowest < 0.5  # seconds: it did not wait for the lock holder
        assert rec.status().held > 0  # the events are waiting in memory, not lost
    finally:
        locker.execute("COMMIT")
        locker.close()
    assert rec.flush(15)
    assert len(rows(data)) == n + 1


def test_runtime_events_that_are_not_known_are_refused(open_recorder):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    with pytest.raises(EventRefused, match="runtime event"):
        s.record_runtime({"event": "visitor_identified", "story": "m"})
    with pytest.raises(EventRefused):
        s.record_runtime({"event": "scene_entered", "story": "m", "scene": "Anna's flat, 3rd"})
