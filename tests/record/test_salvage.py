"""A damaged record: junk over some of its middle pages, as the testers wrote it. The kiosk's
next start keeps the damaged file aside, recovers every event on the intact pages into the new
record (their sync state kept, so sync sends the rest), and says how many in the staff line
and the log; the record commands answer a damaged file in one line. Real files, no mocks."""

from __future__ import annotations

import json
import logging
import random
import sqlite3
from pathlib import Path

from kiosk.record import Store
from tests.record.test_export import kiosk
from tests.support.record_rows import rows

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


def destroy_interior_pages(db: Path, junk: bytes = JUNK) -> tuple[int, int]:
    """Write junk over every interior page of the events b-tree (its root too), so that SQL
    reaches none of its leaves; returns how many pages that was and how many rows the intact
    leaves hold (from dbstat, before the damage)."""
    conn = sqlite3.connect(db)
    interior = [p for (p,) in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'internal'")]
    on_leaves = conn.execute("SELECT sum(ncell) FROM dbstat WHERE name = 'events'"
                             " AND pagetype = 'leaf'").fetchone()[0]
    conn.close()
    assert interior
    raw = bytearray(db.read_bytes())
    for p in interior:
        raw[(p - 1) * PAGE: p * PAGE] = junk[:PAGE]
    db.write_bytes(bytes(raw))
    return len(interior), on_leaves


def test_rows_under_destroyed_interior_pages_come_back_from_their_leaves(open_recorder,
                                                                         tmp_path):
    data = tmp_path / "data"
    total = write_record(open_recorder, data)
    before = {r["seq"]: r for r in rows(data)}
    destroyed, on_leaves = destroy_interior_pages(data / "record.sqlite3")
    assert destroyed >= 2 and on_leaves == total  # only interior pages: every leaf intact

    rec = open_recorder(data)
    assert rec.flush(10)
    after = {r["seq"]: r for r in rows(data)}
    # Every row on the intact leaves, as written (synced or not as it was); nothing else.
    assert after == before
    status = rec.status()
    assert status.recovered == on_leaves and "unreadable" not in status.line
    store = Store.open(data)
    try:
        assert store.count_unsynced() == total - SYNCED
    finally:
        store.close()


def test_an_event_larger_than_a_page_comes_back_through_its_overflow_pages(open_recorder,
                                                                           tmp_path):
    data = tmp_path / "data"
    total = write_record(open_recorder, data, visitors=60)
    db = data / "record.sqlite3"
    conn = sqlite3.connect(db)
    text = "é" * 1000  # the longest free text; escaped in JSON, 6,000 bytes: over one page
    payload = json.dumps({"question": "q1", "text": text, "moderation": "pending"})
    assert len(payload) > PAGE
    conn.execute("INSERT INTO events (id, kiosk_id, session_id, at_minute, offset_ms, kind,"
                 " payload) VALUES (?, 'k1', ?, '2026-12-06T10:00Z', 7, 'free_text', ?)",
                 ("c" * 32, "d" * 32, payload))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert conn.execute("SELECT count(*) FROM dbstat WHERE name = 'events'"
                        " AND pagetype = 'overflow'").fetchone()[0] >= 1
    conn.close()
    before = {r["seq"]: r for r in rows(data)}
    destroy_interior_pages(db)

    rec = open_recorder(data)
    assert rec.flush(10)
    after = {r["seq"]: r for r in rows(data)}
    assert len(after) == total + 1 and after == before
    assert [r["payload"]["text"] for r in after.values() if r["kind"] == "free_text"] == [text]


def test_junk_that_looks_like_leaf_pages_never_becomes_an_event(open_recorder, tmp_path):
    data = tmp_path / "data"
    total = write_record(open_recorder, data, visitors=120)
    db = data / "record.sqlite3"
    before = {r["seq"]: r for r in rows(data)}
    conn = sqlite3.connect(db)
    # Rows of the events' shape that are not events: only the page pass can meet them here.
    insert = ("INSERT INTO events (id, kiosk_id, session_id, at_minute, offset_ms, kind, payload)"
              " VALUES (?, 'k', ?, ?, ?, ?, ?)")
    conn.execute(insert, ("not-an-id", "x", "now", -1, "name", '{"who": 1}'))
    conn.execute(insert, ("a" * 32, "b" * 32, "2026-12-06T10:00Z", 5, "story_started",
                          '{"story": "mara", "visitor_name": "Ann"}'))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [(p, n) for p, n in conn.execute(
        "SELECT pageno, ncell FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'"
        " ORDER BY pageno")]
    conn.close()
    destroy_interior_pages(db)  # no SQL to fall back on: the leaves are all there is
    rng = random.Random(17)
    raw = bytearray(db.read_bytes())
    lost = 0
    for k, (p, n) in enumerate(rng.sample(leaves, 30)):
        page = raw[(p - 1) * PAGE: p * PAGE]
        if k % 3 == 0:  # random bytes under a table leaf header with its cell pointers
            page[8 + 2 * n:] = rng.randbytes(PAGE - 8 - 2 * n)
        elif k % 3 == 1:  # torn: the cells' second half is random
            page[PAGE // 2:] = rng.randbytes(PAGE // 2)
        else:  # each cell's payload length off by a little: its record does not add up
            for i in range(n):
                at = int.from_bytes(page[8 + 2 * i: 10 + 2 * i], "big")
                at += 1 if page[at] & 0x80 else 0  # the varint's last byte: a byte or two off
                page[at] = (page[at] + rng.choice((-2, -1, 1, 2))) % 128
        raw[(p - 1) * PAGE: p * PAGE] = page
        lost += n
    db.write_bytes(bytes(raw))

    rec = open_recorder(data)
    assert rec.flush(10)
    after = {r["seq"]: r for r in rows(data)}
    # Only what was written comes back, exactly as written; the damaged pages' rows may be
    # lost (or the few cells junk left whole), never invented or changed.
    assert set(after) <= set(before)
    assert all(r == before[seq] for seq, r in after.items())
    assert total - lost <= len(after) < total
