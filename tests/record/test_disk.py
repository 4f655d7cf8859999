"""Disk full, a read-only data folder and a damaged file: the kiosk plays on, nothing is lost
that can be kept, and the staff menu says what happened. Real file systems, no mocks."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import subprocess
import time

import pytest

from tests.support.record_rows import rows
from tests.support.waiting import wait_for


def fill(path):
    """Write zeros into `path` until the file system is full (unbuffered, to the last byte)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)


def stop_lines(caplog):
    return [r for r in caplog.records if "recording stopped" in r.getMessage()]


@pytest.mark.alone  # each record() call timed
def test_disk_full_stops_recording_and_resumes_when_space_returns(tmpfs, open_recorder, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmpfs / "data"
    rec = open_recorder(data, retry_interval=0.2, max_backlog=100_000)
    s = rec.begin_session("demo", "1", "en")
    s.record("story_started", story="mara")
    assert rec.flush(5)
    fill(tmpfs / "filler")
    # The kiosk keeps playing: record() keeps returning at once while the disk is full.
    n, slowest = 0, 0.0
    deadline = time.monotonic() + 20
    while rec.status().state in ("ok", "starting") and time.monotonic() < deadline:
        for _ in range(200):
            t = time.perf_counter()
            assert s.record("choice_made", story="mara", scene=f"s{n}", choice=1)
            slowest = max(slowest, time.perf_counter() - t)
            n += 1
        time.sleep(0.02)
    st = rec.status()
    assert st.state in ("disk_full", "disk_error") and not st.recording
    assert st.line.startswith("Recording stopped at ") and "disk" in st.line
    assert slowest < 0.5  # seconds: no waiting on the full disk
    assert not rec.flush(1)
    for i in range(5):  # more retries while full: still one log line
        s.record("choice_made", story="mara", scene=f"x{i}", choice=1)
        time.sleep(0.25)
    assert len(stop_lines(caplog)) == 1
    os.unlink(tmpfs / "filler")
    assert wait_for(lambda: rec.status().recording, timeout=10)
    assert rec.flush(5)
    got = {r["payload"].get("scene") for r in rows(data)}
    assert {f"s{i}" for i in range(n)} <= got and {f"x{i}" for i in range(5)} <= got
    assert any("recording resumed" in r.getMessage() for r in caplog.records)
    assert rec.status().dropped == 0
    # The journal could not be written either: one line when it stopped, one when it came back,
    # and the files of the full time are gone once their events were committed.
    assert wait_for(lambda: any("journal is written again" in r.getMessage()
                                for r in caplog.records), timeout=5)
    assert sum("the journal stopped" in r.getMessage() for r in caplog.records) == 1
    assert wait_for(lambda: len(list(data.glob("record.journal.*"))) == 1, timeout=5)


def test_read_only_data_folder_stops_and_resumes(tmpfs, open_recorder, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmpfs / "data"
    first = open_recorder(data)
    first.begin_session("demo", "1", "en").end()
    assert first.close()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    rec = open_recorder(data, retry_interval=0.2)
    s = rec.begin_session("demo", "1", "sv")
    s.record("story_started", story="mara")
    assert wait_for(lambda: rec.status().state not in ("ok", "starting"), timeout=5)
    st = rec.status()
    assert st.state in ("read_only", "cannot_open", "disk_error"), st
    assert "Recording stopped" in st.line
    assert not rec.flush(1)
    assert len(stop_lines(caplog)) == 1
    subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
    assert wait_for(lambda: rec.status().recording, timeout=10)
    assert rec.flush(5)
    kinds = [r["kind"] for r in rows(data)]
    assert kinds == ["session_started", "session_ended", "session_started", "story_started"]


def test_size_cap_is_a_disk_full_and_the_kiosk_plays_on(open_recorder, tmp_path):
    rec = open_recorder(max_size_mb=0.25, retry_interval=0.2, max_backlog=500)
    s = rec.begin_session("demo", "1", "en")
    n = 0
    deadline = time.monotonic() + 20
    while rec.status().state in ("ok", "starting") and time.monotonic() < deadline:
        for _ in range(500):
            s.record("choice_made", story="mara", scene=f"scene-{n}", choice=n % 5)
            n += 1
        rec.flush(2)
    st = rec.status()
    assert st.state == "disk_full" and "the disk is full" in st.line
    said = [s.record("choice_made", story="mara", scene="later", choice=1) for _ in range(3000)]
    # The hold (500) fills up; from then on record() says False for each event it drops.
    assert said[-1] is False and said.count(False) >= 3000 - 500
    assert rec.status().dropped >= said.count(False)
    assert "not recorded" in rec.status().line
    conn = sqlite3.connect(tmp_path / "data" / "record.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_garbage_file_is_moved_aside_and_a_new_record_started(open_recorder, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    data.mkdir()
    garbage = b"this is not a database, it was a half-written sector " * 200
    (data / "record.sqlite3").write_bytes(garbage)
    rec = open_recorder(data)
    rec.begin_session("demo", "1", "en").end()
    assert rec.flush(5)
    aside = sorted(data.glob("record.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert [r["kind"] for r in rows(data)] == ["session_started", "session_ended"]
    assert any("damaged" in r.getMessage() and aside[0].name in r.getMessage()
               for r in caplog.records)


def test_a_damaged_page_fails_the_check_and_the_old_file_is_kept(open_recorder, tmp_path):
    data = tmp_path / "data"
    rec = open_recorder(data)
    s = rec.begin_session("demo", "1", "en")
    for i in range(3000):
        s.record("choice_made", story="mara", scene=f"scene-{i}", choice=i % 3)
    assert rec.flush(5, fsync=True)
    assert rec.close()
    db = data / "record.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    page = 4096
    assert len(raw) > 10 * page
    raw[5 * page: 5 * page + 200] = b"\xff" * 200  # a b-tree page header smashed
    db.write_bytes(bytes(raw))
    rec2 = open_recorder(data)
    rec2.begin_session("demo", "1", "en").end()
    assert rec2.flush(5)
    aside = list(data.glob("record.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(raw)
    # The smashed page held none of the events: all 3,001 come back, then the new session.
    assert len(rows(data)) == 3001 + 2


def test_record_says_false_for_exactly_the_events_it_drops(tmpfs, open_recorder):
    data = tmpfs / "data"
    hold = 300
    rec = open_recorder(data, retry_interval=0.2, max_backlog=hold)
    s = rec.begin_session("demo", "1", "en")
    assert rec.flush(5)
    fill(tmpfs / "filler")
    said: dict[str, bool] = {}
    n = 0
    deadline = time.monotonic() + 20
    while rec.status().state in ("ok", "starting") and time.monotonic() < deadline:
        for _ in range(20):  # a few at a time: fewer than the hold are on their way at the stop
            said[f"s{n}"] = s.record("choice_made", story="mara", scene=f"s{n}", choice=1)
            n += 1
        time.sleep(0.02)
    assert not rec.status().recording
    for i in range(1000):
        said[f"x{i}"] = s.record("choice_made", story="mara", scene=f"x{i}", choice=1)
    refused = [scene for scene, ok in said.items() if not ok]
    assert len(refused) >= 1000 - hold and not said["x999"]
    assert rec.status().dropped == len(refused)
    assert "not recorded" in rec.status().line
    os.unlink(tmpfs / "filler")
    assert wait_for(lambda: rec.status().recording, timeout=10)
    rec.flush(5)  # says False: events queued before it were dropped in the outage
    kept = {scene for scene, ok in said.items() if ok}

    def scenes():
        return {r["payload"].get("scene") for r in rows(data)} - {None}

    # That False comes before the held events are all written out (beside another test the
    # file was once read with the last of them still on its way): wait for them first.
    wait_for(lambda: kept <= scenes(), timeout=30)
    # True meant kept, False meant dropped: the record holds exactly the events said True to.
    assert scenes() == kept
    # Once recording is back, record() says True again.
    assert s.record("choice_made", story="mara", scene="after", choice=1)
    assert rec.flush(5)


def test_record_says_false_when_the_writer_is_gone(open_recorder):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    assert s.record("story_started", story="mara")
    rec._writer.closing = True  # the writer thread ends as at close, but the recorder is open
    rec._writer.wake.set()
    rec._writer.join(5)
    assert not rec._writer.is_alive()
    assert s.record("choice_made", story="mara", scene="offer", choice=1) is False
    assert rec.status().dropped == 1
