"""A damaged record: junk over some of its middle pages, as the testers wrote it. The kiosk's
next start keeps the damaged file aside, recovers every event on the intact pages into the new
record (their sync state kept, so sync sends the rest), and says how many in the staff line
and the log; the record commands answer a damaged file in one line. Real files, no mocks."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from record_helpers import rows
from test_export import kiosk

from kiosk.record import Store

PAGE = 4096
JUNK = b"JUNK written over the record by a tester \x00\xff " * 100
SYNCED = 2_000  # the first events by seq were acknowledged by the server


def write_record(open_recorder, data: Path, visitors: int = 300, per_visit: int = 40) -> int:
    """A real record of `visitors` sessions; returns how many events it holds."""
    rec = open_recorder(data)
    for v in range(visitors):
        s = rec.begin_session("demo", "1.0", "sv" if v % 2 else "en")
        s.record("story_started", story="mara")
        for i in range(per_visit):
            s.record("choice_made", story="mara", scene=f"v{v}-s{i}", choice=i % 3)
        s.end()
    assert rec.close()
    store = Store.open(data)
    try:
        ids = [r[0] for r in store.conn.execute(
            "SELECT id FROM events WHERE seq <= ? ORDER BY seq", (SYNCED,))]
        assert store.mark_synced(ids) == SYNCED
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the main file
    finally:
        store.close()
    return visitors * (per_visit + 3)


def destroy_middle_pages(db: Path, count: int) -> tuple[bytes, int]:
    """Write junk over `count` pages in the middle of the events; returns the damaged bytes
    and how many events lived on the destroyed pages (read from dbstat beforehand)."""
    conn = sqlite3.connect(db)
    leaves = [p for (p,) in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY pageno")]
    first = leaves[len(leaves) // 2]
    pages = range(first, first + count)
    kinds = conn.execute(
        f"SELECT name, pagetype, ncell FROM dbstat WHERE pageno BETWEEN {pages[0]} AND "
        f"{pages[-1]}").fetchall()
    conn.close()
    # The test destroys leaves (and index pages), never the table's interior pages.
    assert ("events", "internal") not in {(n, t) for n, t, _ in kinds}
    lost = sum(n for name, kind, n in kinds if name == "events" and kind == "leaf")
    assert lost > 100
    raw = bytearray(db.read_bytes())
    for p in pages:  # pages are numbered from 1
        raw[(p - 1) * PAGE: p * PAGE] = JUNK[:PAGE]
    db.write_bytes(bytes(raw))
    return bytes(raw), lost


def test_a_restart_recovers_every_event_on_the_intact_pages(open_recorder, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    total = write_record(open_recorder, data)
    before = {r["seq"]: r for r in rows(data)}
    assert len(before) == total
    damaged, lost = destroy_middle_pages(data / "record.sqlite3", 40)

    rec = open_recorder(data)
    s = rec.begin_session("demo", "1.0", "en")
    s.end()
    assert rec.flush(10)

    aside = sorted(data.glob("record.sqlite3.corrupt-*"))
    assert [p.name for p in aside if not p.name.endswith(("-wal", "-shm"))] == [aside[0].name]
    assert aside[0].read_bytes() == damaged  # the damaged file is kept as it was
    after = {r["seq"]: r for r in rows(data)}
    recovered = {seq: r for seq, r in after.items() if seq in before}
    assert len(recovered) == total - lost
    # What came back is what was written, synced or not as it was; nothing invented.
    assert all(r == before[seq] for seq, r in recovered.items())
    missing = sorted(set(before) - set(recovered))
    assert len(missing) == lost and missing[0] > SYNCED
    # The new session comes after them, and sync will send every unacknowledged event.
    new = [r for seq, r in after.items() if seq not in before]
    assert [r["kind"] for r in new] == ["session_started", "session_ended"]
    assert min(r["seq"] for r in new) > max(before)
    store = Store.open(data)
    try:
        assert store.count_unsynced() == total - lost - SYNCED + 2
    finally:
        store.close()

    status = rec.status()
    assert status.recording and status.recovered == total - lost
    assert status.line.startswith("Recording: ok.")
    assert f"{total - lost} events recovered" in status.line and aside[0].name in status.line
    messages = [r.getMessage() for r in caplog.records]
    said = [m for m in messages if aside[0].name in m and "damaged" in m]
    assert len(said) == 1
    assert f"{total - lost} events recovered from it ({total - lost - SYNCED} not yet synced)" \
        in said[0]
    # Counts only in the log: no event, session or kiosk id, no scene.
    secrets = {r["id"] for r in before.values()} | {r["session_id"] for r in before.values()}
    assert not [m for m in messages if any(x in m for x in secrets) or "v1-s" in m]


def test_rows_that_are_not_events_are_left_out(open_recorder, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    total = write_record(open_recorder, data, visitors=60)
    db = data / "record.sqlite3"
    conn = sqlite3.connect(db)
    insert = ("INSERT INTO events (id, kiosk_id, session_id, at_minute, offset_ms, kind, payload)"
              " VALUES (?, 'k', ?, ?, ?, ?, ?)")
    conn.execute(insert, ("not-an-id", "x", "now", -1, "name", '{"who": 1}'))
    conn.execute(insert, ("a" * 32, "b" * 32, "2026-12-06T10:00Z", 5, "story_started",
                          '{"story": "mara", "visitor_name": "Ann"}'))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index_leaf = conn.execute("SELECT pageno FROM dbstat WHERE name = 'events_id'"
                              " AND pagetype = 'leaf' LIMIT 1").fetchone()[0]
    conn.close()
    raw = bytearray(db.read_bytes())
    raw[(index_leaf - 1) * PAGE: index_leaf * PAGE] = JUNK[:PAGE]  # only an index page
    db.write_bytes(bytes(raw))

    rec = open_recorder(data)
    assert rec.flush(10)
    got = rows(data)
    assert rec.status().recovered == total == len(got)
    assert all("visitor_name" not in r["payload"] and r["kind"] != "name" for r in got)
    assert any("2 rejected as not events" in r.getMessage() for r in caplog.records)


def test_stats_and_export_answer_a_damaged_record_in_one_line(open_recorder, tmp_path):
    data = tmp_path / "data"
    write_record(open_recorder, data, visitors=120)
    destroy_middle_pages(data / "record.sqlite3", 20)
    out = tmp_path / "stick"
    out.mkdir()
    for args in (["stats"], ["export", "-o", str(out / "events.csv")]):
        res = kiosk("record", *args, "--data-dir", str(data))
        assert res.returncode == 1, res
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "is damaged" in lines[0] and "Traceback" not in res.stderr
        assert "recovers its readable events when it next starts" in lines[0]
        assert res.stdout == ""
    assert list(out.iterdir()) == []  # no .partial, no half an export
    assert not list(data.glob("record.sqlite3.corrupt-*"))  # the kiosk sets it aside, not these


def test_damage_found_by_a_write_recovers_the_rest_too(open_recorder, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    total = write_record(open_recorder, data, visitors=100)
    db = data / "record.sqlite3"
    conn = sqlite3.connect(db)
    # The last leaf of the events: the next insert goes there, so the write finds the damage.
    last, cells = conn.execute("SELECT pageno, ncell FROM dbstat WHERE name = 'events' AND"
                               " pagetype = 'leaf' ORDER BY path DESC LIMIT 1").fetchone()
    conn.close()
    raw = bytearray(db.read_bytes())
    raw[(last - 1) * PAGE: last * PAGE] = JUNK[:PAGE]
    db.write_bytes(bytes(raw))

    rec = open_recorder(data, check_on_open=False)  # no check at start: the write finds it
    s = rec.begin_session("demo", "1.0", "en")
    s.end()
    assert rec.flush(10)
    assert len(list(data.glob("record.sqlite3.corrupt-*"))) == 1
    got = rows(data)
    assert len(got) == total - cells + 2
    assert [r["kind"] for r in got[-2:]] == ["session_started", "session_ended"]
    assert rec.status().recovered == total - cells
    assert any(f"{total - cells} events recovered" in r.getMessage() for r in caplog.records)
