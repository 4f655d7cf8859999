"""The file's schema, its migrations, the sync outbox and retention."""

from __future__ import annotations

import calendar
import errno
import logging
import os
import re
import sqlite3
import threading
import time

import pytest

from kiosk.record import RecordDamaged, RecordError, Store, retention
from kiosk.record.export import export
from kiosk.record.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    _short,
    _statements,
    error_code,
    is_damage_error,
    is_disk_error,
    load_kiosk_id,
    migrate,
    move_aside,
    stop_state,
    utc_stamp,
)
from tests.support.record_rows import rows
from tests.support.waiting import wait_for


def add(store: Store, n: int, minute: str, start: int = 0, kind: str = "story_started") -> None:
    store.append_rows([(f"{start + i:032x}", "k" * 32, "s" * 32, minute, i, kind,
                        f'{{"story":"s{start + i}"}}') for i in range(n)])


def test_a_new_file_is_migrated_in_one_step_per_version(tmp_path):
    store = Store.open(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"events", "exports", "meta"} <= tables
    store.close()
    again = Store.open(tmp_path)  # migrations are idempotent
    assert again.total() == 0
    again.close()


def test_a_file_from_a_newer_version_is_refused_and_the_kiosk_keeps_playing(tmp_path,
                                                                          open_recorder):
    conn = sqlite3.connect(tmp_path / "record.sqlite3")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(RecordError, match="newer version"):
        Store.open(tmp_path)
    rec = open_recorder(tmp_path, retry_interval=0.2)
    s = rec.begin_session("demo", "1", "en")
    assert s.record("story_started", story="m")
    assert wait_for(lambda: rec.status().state == "newer_version")
    assert "newer version" in rec.status().line
    # The newer file is left exactly as it was.
    conn = sqlite3.connect(tmp_path / "record.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 5
    conn.close()


def test_pending_batch_and_mark_synced_for_kiosk_sync(tmp_path):
    store = Store.open(tmp_path)
    add(store, 7, "2026-11-28T10:00Z")
    batch = store.pending_batch(5)
    assert [e["seq"] for e in batch] == [1, 2, 3, 4, 5]
    assert set(batch[0]) == {"seq", "id", "kiosk_id", "session_id", "at", "offset_ms", "kind",
                             "payload"}
    assert batch[0]["payload"] == {"story": "s0"}
    # The server confirmed only some of them: only those are marked.
    assert store.mark_synced([batch[0]["id"], batch[2]["id"], "f" * 32]) == 2
    assert store.mark_synced([batch[0]["id"]]) == 0
    assert [e["seq"] for e in store.pending_batch(10)] == [2, 4, 5, 6, 7]
    assert store.count_unsynced() == 5
    store.close()


def test_sequence_numbers_are_never_reused_after_deletion(tmp_path):
    store = Store.open(tmp_path)
    add(store, 3, "2020-01-01T00:00Z")
    store.mark_synced([f"{i:032x}" for i in range(3)])
    assert retention.apply(store, days=400) == 3
    add(store, 1, "2026-11-28T10:00Z", start=10)
    assert store.conn.execute("SELECT seq FROM events").fetchall() == [(4,)]
    store.close()


def test_retention_deletes_only_old_events_that_left_the_kiosk(tmp_path):
    store = Store.open(tmp_path)
    now = time.time()
    old = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(now - 500 * 86_400))
    recent = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(now - 10 * 86_400))
    add(store, 4, old, start=0)          # seq 1-4: old, will be synced (1, 2) or exported (3)
    add(store, 4, recent, start=10)      # seq 5-8: recent, exported
    add(store, 2, old, start=20)         # seq 9-10: old, never left the kiosk
    store.mark_synced([f"{0:032x}", f"{1:032x}"])
    export(store, tmp_path, tmp_path / "x.csv", "csv")  # covers seq 1-10
    add(store, 2, old, start=30)         # seq 11-12: old, recorded after the export (clock)
    # An export with --since covers only what passed its filter.
    removed = retention.apply(store, days=400, now=now)
    assert removed == 6  # 1-4 and 9-10: old and synced or exported
    left = [r["seq"] for r in rows(tmp_path)]
    assert left == [5, 6, 7, 8, 11, 12]
    store.close()


def test_retention_respects_an_exports_since_filter(tmp_path):
    store = Store.open(tmp_path)
    now = time.time()
    old = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(now - 500 * 86_400))
    add(store, 3, old)
    add(store, 2, time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(now)), start=10)
    since = time.strftime("%Y-%m-%d", time.gmtime(now - 5 * 86_400))
    assert export(store, tmp_path, tmp_path / "x.jsonl", "jsonl", since=since)["count"] == 2
    assert retention.apply(store, days=400, now=now) == 0  # the old ones were not exported
    store.close()


def test_the_recorder_applies_retention_at_start(tmp_path, open_recorder):
    store = Store.open(tmp_path)
    old = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(time.time() - 30 * 86_400))
    add(store, 5, old)
    store.mark_synced([f"{i:032x}" for i in range(5)])
    store.close()
    rec = open_recorder(tmp_path, retention_days=7)
    assert rec.flush(5)
    assert wait_for(lambda: not rows(tmp_path))


# -- what the writer and the commands learn from an error ------------------------------------

def raised(action) -> BaseException:
    """The exception a real operation raises."""
    with pytest.raises(Exception) as caught:
        action()
    return caught.value


def fill_until_full(store: Store) -> sqlite3.Error:
    """Append events of 2 KiB until SQLite refuses: the error it gave."""
    n = 0
    while True:
        try:
            store.append_rows([(f"{n:032x}", "k" * 32, "s" * 32, "2026-12-01T10:00Z", n,
                                "choice_made", '{"scene":"' + "x" * 2000 + '"}')])
        except sqlite3.Error as exc:
            return exc
        n += 1
        assert n < 100_000, "the size cap never stopped the writes"


def test_the_writer_tells_a_full_or_read_only_disk_from_other_errors(tmp_path):
    # SQLite's result codes (sqlite.org/rescode.html): FULL 13, READONLY 8, CANTOPEN 14,
    # CONSTRAINT 19 (its extended UNIQUE code 2067 reduces to it), NOTADB 26.
    full = Store.open(tmp_path / "full", max_size_mb=0.1)
    disk_full = fill_until_full(full)
    full.close()
    conn = sqlite3.connect(f"file:{tmp_path / 'full' / 'record.sqlite3'}?mode=ro", uri=True)
    read_only = raised(lambda: conn.execute("INSERT INTO meta VALUES ('a', 'b')"))
    conn.close()
    cannot_open = raised(lambda: sqlite3.connect(tmp_path / "no" / "such" / "folder.sqlite3"))
    store = Store.open(tmp_path / "dup")
    add(store, 1, "2026-12-01T10:00Z")
    duplicate = raised(lambda: add(store, 1, "2026-12-01T10:00Z"))
    store.close()
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all " * 400)
    junk = sqlite3.connect(tmp_path / "junk.sqlite3")
    not_a_db = raised(lambda: junk.execute("PRAGMA journal_mode=WAL"))
    junk.close()
    with open("/dev/full", "wb", buffering=0) as dev_full:  # Linux: every write, ENOSPC
        no_space = raised(lambda: dev_full.write(b"x"))

    assert [error_code(e) for e in (disk_full, read_only, cannot_open, duplicate, not_a_db)] \
        == [13, 8, 14, 19, 26]
    assert error_code(no_space) == -1 and error_code(ValueError("x")) == -1
    assert [is_disk_error(e) for e in (disk_full, read_only, cannot_open, duplicate, not_a_db,
                                       no_space)] == [True, True, True, False, False, False]
    assert [stop_state(e) for e in (disk_full, read_only, cannot_open, duplicate, not_a_db)] \
        == ["disk_full", "read_only", "cannot_open", "error", "error"]
    # The data folder's own files (the journal, the kiosk id) fail with OSError.
    assert stop_state(no_space) == "disk_full"
    for code in (errno.EROFS, errno.EACCES, errno.EPERM):
        assert stop_state(OSError(code, os.strerror(code))) == "read_only"
    assert stop_state(OSError(errno.EIO, os.strerror(errno.EIO))) == "disk_error"
    assert stop_state(RuntimeError("a bug")) == "error"
    # Only a damaged file is set aside: not a full disk, not a duplicate, not a lost disk.
    assert [is_damage_error(e) for e in (disk_full, read_only, cannot_open, duplicate, not_a_db,
                                         no_space)] == [False, False, False, False, True, False]
    # Errors without a result code are read by their words (case does not matter).
    assert is_damage_error(sqlite3.DatabaseError("Database disk image is malformed"))
    assert is_damage_error(sqlite3.DatabaseError("file is not a database"))
    assert not is_damage_error(sqlite3.DatabaseError("database is locked"))


def test_a_utc_stamp_names_the_second_in_utc(monkeypatch):
    assert utc_stamp(0) == "19700101T000000Z"
    assert utc_stamp(1_796_584_625.9) == "20261206T191705Z"
    monkeypatch.setenv("TZ", "Pacific/Auckland")  # the kiosk's own time zone plays no part
    time.tzset()
    try:
        before = time.time()
        now = utc_stamp()
        assert now in {utc_stamp(before), utc_stamp(time.time())}
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_the_kiosk_id_file_is_kept_when_it_holds_an_id_and_replaced_otherwise(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.record")
    first = load_kiosk_id(tmp_path)  # the first start: made, without a word
    assert re.fullmatch(r"[0-9a-f]{32}", first) and not caplog.records
    kept = "0123456789abcdef" * 2
    (tmp_path / "kiosk-id").write_text(f"  {kept}\n", "ascii")
    assert load_kiosk_id(tmp_path) == kept and not caplog.records
    for content in (b"X" * 32, b"z" * 32, b"0" * 31, b"0" * 33, "\u00e9".encode() * 32,
                    b"\xff" * 32):
        (tmp_path / "kiosk-id").write_bytes(content)
        caplog.clear()
        new = load_kiosk_id(tmp_path)
        assert re.fullmatch(r"[0-9a-f]{32}", new), content
        assert (tmp_path / "kiosk-id").read_bytes() == new.encode() + b"\n"
        assert load_kiosk_id(tmp_path) == new
        (line,) = [r.getMessage() for r in caplog.records]
        assert f"{tmp_path / 'kiosk-id'}" in line and "not an id" in line
        assert line.startswith("record: ") and line.endswith("writing a new one")


# -- a damaged file ---------------------------------------------------------------------------

def test_a_damaged_file_is_moved_aside_with_its_wal_and_shm_and_nothing_deleted(tmp_path):
    db = tmp_path / "record.sqlite3"
    files = {"": b"main pages", "-wal": b"wal frames", "-shm": b"shared memory"}
    for _attempt in range(5):  # the stamp names a second: try again if one passed meanwhile
        stamp = utc_stamp()
        taken = tmp_path / f"record.sqlite3.corrupt-{stamp}"
        taken.write_bytes(b"an earlier damaged record")
        for suffix, data in files.items():
            (tmp_path / f"record.sqlite3{suffix}").write_bytes(data)
        target = move_aside(db)
        db.write_bytes(b"damaged again")
        third = move_aside(db)
        if utc_stamp() == stamp:
            break
    assert target.name == f"record.sqlite3.corrupt-{stamp}-2"
    assert third.name == f"record.sqlite3.corrupt-{stamp}-3"
    assert third.read_bytes() == b"damaged again"
    for suffix, data in files.items():
        assert not (tmp_path / f"record.sqlite3{suffix}").exists()
        assert (tmp_path / f"{target.name}{suffix}").read_bytes() == data
    assert taken.read_bytes() == b"an earlier damaged record"
    # Without -wal and -shm files only the file itself moves.
    db.write_bytes(b"main pages again")
    alone = move_aside(db)
    assert alone.read_bytes() == b"main pages again" and not db.exists()
    assert not alone.with_name(alone.name + "-wal").exists()


def visits(store: Store, events: int) -> None:
    """`events` real-looking events: 40 to a visitor session, ids as the recorder makes them."""
    store.append_rows([(f"{i:032x}", "a" * 32, f"{i // 40 + 1:032x}", "2026-12-01T10:00Z",
                        i % 40 * 1000, "choice_made",
                        f'{{"story":"mara","scene":"s{i}","choice":{i % 3}}}')
                       for i in range(events)])


def damaged_record(data, events: int = 3000, synced: int = 1000) -> bytes:
    """A record whose index over event ids has a smashed page (every event still readable);
    returns the damaged file's bytes."""
    store = Store.open(data)
    visits(store, events)
    assert store.mark_synced([f"{i:032x}" for i in range(synced)]) == synced
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page,) = store.conn.execute("SELECT pageno FROM dbstat WHERE name = 'events_id' "
                                 "AND pagetype = 'leaf' ORDER BY pageno LIMIT 1").fetchone()
    size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    db = data / "record.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[(page - 1) * size: (page - 1) * size + 200] = b"\xff" * 200  # its header smashed
    db.write_bytes(bytes(raw))
    return bytes(raw)


def test_a_damaged_record_is_refused_without_repair_and_left_exactly_as_it_was(tmp_path):
    data = tmp_path / "data"
    raw = damaged_record(data)
    with pytest.raises(RecordDamaged, match="quick_check") as caught:
        Store.open(data)
    assert str(data / "record.sqlite3") in str(caught.value) and "damaged" in str(caught.value)
    (data / "junk").mkdir()
    (data / "junk" / "record.sqlite3").write_bytes(b"this was never a database " * 300)
    with pytest.raises(RecordDamaged, match="not a database"):
        Store.open(data / "junk")
    assert (data / "record.sqlite3").read_bytes() == raw
    assert not list(tmp_path.rglob("*corrupt*"))
    # Asked not to check, it opens as it is.
    store = Store.open(data, check=False)
    store.close()
    assert (data / "record.sqlite3").read_bytes() == raw


def test_integrity_gives_sqlites_full_check_line_by_line(tmp_path):
    store = Store.open(tmp_path)
    visits(store, 2000)
    assert store.integrity() == "ok"
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page,) = store.conn.execute("SELECT pageno FROM dbstat WHERE name = 'events_id' "
                                 "AND pagetype = 'leaf' ORDER BY pageno LIMIT 1").fetchone()
    size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()
    # Ids in the index changed in place: the pages stay well formed (quick_check passes),
    # only the full check finds index entries without their rows.
    db = tmp_path / "record.sqlite3"
    raw = bytearray(db.read_bytes())
    cells = raw[(page - 1) * size: page * size]
    raw[(page - 1) * size: page * size] = cells.replace(b"00000000000000000000000000000",
                                                        b"99999999999999999999999999999")
    db.write_bytes(bytes(raw))
    store = Store.open(tmp_path)
    try:
        found = store.integrity()
        conn = sqlite3.connect(db)
        assert found.split("\n") == [r[0] for r in conn.execute("PRAGMA integrity_check")]
        conn.close()
        assert len(found.split("\n")) > 1
    finally:
        store.close()


def test_repair_sets_the_damaged_file_aside_and_recovers_every_readable_event(tmp_path,
                                                                              caplog):
    caplog.set_level(logging.ERROR, logger="kiosk.record")
    data = tmp_path / "data"
    raw = damaged_record(data, events=3000, synced=1000)
    store = Store.open(data, repair=True, max_size_mb=5)
    try:
        (aside,) = data.glob("record.sqlite3.corrupt-*")
        assert aside.read_bytes() == raw
        s = store.salvage
        assert (s.recovered, s.unsynced, s.unreadable, s.rejected) == (3000, 2000, 0, 0)
        assert store.total() == 3000 and store.count_unsynced() == 2000
        assert store.integrity() == "ok" and store.path == data / "record.sqlite3"
        page = store.conn.execute("PRAGMA page_size").fetchone()[0]
        assert store.conn.execute("PRAGMA max_page_count").fetchone()[0] * page == 5 * 2**20
    finally:
        store.close()
    (line,) = [r.getMessage() for r in caplog.records]
    assert str(data / "record.sqlite3") in line and aside.name in line
    assert "(quick_check: " in line  # why, in one line
    assert "3000 events recovered" in line and "(2000 not yet synced)" in line
    assert "0 unreadable" in line and "0 rejected" in line
    # One sentence, counts only (docs/record.md), under the record's "record: " prefix.
    assert re.fullmatch(r"record: the database \S+ was damaged \(quick_check: .*\); moved aside "
                        r"to record\.sqlite3\.corrupt-\S+ and started a new one; 3000 events "
                        r"recovered from it \(2000 not yet synced\), 0 unreadable, 0 rejected "
                        r"as not events", line)
    # A damage found by a write has no quick_check to quote: the line gives no reason.
    caplog.clear()
    (data / "record.sqlite3").write_bytes(b"overwritten by a tool " * 300)
    again = Store.replace_damaged(data)
    again.close()
    (line,) = [r.getMessage() for r in caplog.records]
    assert "was damaged; moved aside" in line and "0 events recovered" in line


def test_an_error_that_is_not_damage_moves_nothing_aside(tmp_path):
    # A folder where the file should be: SQLite cannot open it, and nothing is damaged.
    (tmp_path / "record.sqlite3").mkdir()
    with pytest.raises(sqlite3.OperationalError) as caught:
        Store.open(tmp_path, repair=True)
    assert not isinstance(caught.value, RecordError) and stop_state(caught.value) == \
        "cannot_open"
    assert (tmp_path / "record.sqlite3").is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["record.sqlite3"]


def test_a_long_error_text_becomes_one_log_line():
    assert _short(sqlite3.DatabaseError("one")) == "one"
    assert _short(sqlite3.DatabaseError("one\ntwo")) == "one two"
    assert _short(sqlite3.DatabaseError("one\ntwo\nthree")) == "one two ... and 1 more lines"
    assert _short(sqlite3.DatabaseError("one\ntwo\nthree\nfour\nfive")) == \
        "one two ... and 3 more lines"


def test_a_close_that_fails_is_logged_for_debugging_and_never_raised(tmp_path, caplog):
    # close() runs in clean-ups after a first error, which a failing close must not replace.
    # A real failure: sqlite3 refuses to close a connection made on another thread.
    caplog.set_level(logging.DEBUG, logger="kiosk.record")
    made, done = [], threading.Event()

    def owner() -> None:
        conn = sqlite3.connect(tmp_path / "record.sqlite3")
        made.append(conn)
        done.wait(10)
        conn.close()

    thread = threading.Thread(target=owner)
    thread.start()
    try:
        assert wait_for(lambda: made)
        Store(tmp_path / "record.sqlite3", made[0]).close()  # no exception
    finally:
        done.set()
        thread.join(10)
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG
    assert record.getMessage().startswith("record: ") and "close failed" in record.getMessage()
    assert record.exc_info and record.exc_info[0] is sqlite3.ProgrammingError  # the why, kept


# -- opening, the size cap, appends ------------------------------------------------------------

def test_the_record_folder_is_made_with_its_parents(tmp_path):
    store = Store.open(tmp_path / "a" / "b" / "data")
    assert store.path == tmp_path / "a" / "b" / "data" / "record.sqlite3"
    assert store.path.is_file()
    store.close()


def test_a_store_opened_on_one_thread_is_used_on_another(tmp_path):
    # The recorder opens on its writer thread; the commands may hand a store over.
    store = Store.open(tmp_path)
    add(store, 3, "2026-12-01T10:00Z")
    seen = []
    worker = threading.Thread(target=lambda: seen.append(store.total()))
    worker.start()
    worker.join(10)
    assert seen == [3]
    store.close()


def test_the_size_cap_is_in_mib_and_lifting_it_lets_writes_go_on(tmp_path):
    store = Store.open(tmp_path, max_size_mb=2)
    page = store.conn.execute("PRAGMA page_size").fetchone()[0]

    def cap() -> int:
        return store.conn.execute("PRAGMA max_page_count").fetchone()[0] * page

    assert cap() == 2 * 2**20
    store.set_max_size(0.5)
    assert cap() == 2**19
    assert stop_state(fill_until_full(store)) == "disk_full"
    store.checkpoint()
    assert (tmp_path / "record.sqlite3").stat().st_size <= 2**19
    store.set_max_size(None)
    assert cap() >= 2**40  # no cap short of a disk
    before = store.total()
    for n in range(400):  # 800 KiB more than the old cap allowed
        store.append_rows([(f"{10**6 + n:032x}", "k" * 32, "s" * 32, "2026-12-01T10:00Z", n,
                            "choice_made", '{"scene":"' + "y" * 2000 + '"}')])
    assert store.total() == before + 400
    store.close()


def test_appends_count_what_they_add_and_a_duplicate_adds_nothing_of_its_batch(tmp_path):
    store = Store.open(tmp_path)
    row = ("k" * 32, "s" * 32, "2026-12-01T10:00Z", 0, "story_started", "{}")
    assert store.append_rows([(f"{i:032x}", *row) for i in range(3)]) == 3
    assert store.append_rows([(f"{i:032x}", *row) for i in range(3, 5)]) == 2
    batch = [(f"{i:032x}", *row) for i in (5, 6, 1, 7)]  # 1 is there already
    with pytest.raises(sqlite3.IntegrityError):
        store.append_rows(batch)
    assert store.total() == 5 and not store.conn.in_transaction
    # A replayed journal skips what is there and says how many were new.
    assert store.append_rows(batch, ignore_duplicates=True) == 3
    assert store.total() == 8
    store.close()


# -- the sync outbox ----------------------------------------------------------------------------

UTC_SECOND = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def near_now_utc(text: str) -> bool:
    """True when `text` is a UTC second within a minute of now."""
    if not re.fullmatch(UTC_SECOND, text):
        return False
    return abs(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) - time.time()) < 60


def test_a_long_acknowledgement_marks_every_event_once_in_utc(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")  # UTC whatever the kiosk's zone
    time.tzset()
    try:
        store = Store.open(tmp_path)
        add(store, 1200, "2026-12-01T10:00Z")
        ids = [f"{i:032x}" for i in range(1200)]
        assert store.mark_synced(ids) == 1200
        assert store.count_unsynced() == 0 and store.pending_batch(10) == []
        marks = {r[0] for r in store.conn.execute("SELECT synced_at FROM events")}
        assert len(marks) <= 2 and all(near_now_utc(m) for m in marks)
        store.close()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_an_acknowledgement_holding_something_else_than_ids_marks_nothing(tmp_path):
    store = Store.open(tmp_path)
    add(store, 600, "2026-12-01T10:00Z")
    ids: list = [f"{i:032x}" for i in range(600)]
    ids[550] = {"id": ids[550]}  # a server's reply gone wrong
    with pytest.raises(sqlite3.ProgrammingError, match="binding"):
        store.mark_synced(ids)
    assert store.count_unsynced() == 600 and not store.conn.in_transaction
    assert store.mark_synced(ids[:3]) == 3  # and the store goes on
    store.close()


def test_refused_events_are_set_aside_once_and_never_sent_again(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC whatever the kiosk's zone
    time.tzset()
    store = Store.open(tmp_path)
    add(store, 5, "2026-12-01T10:00Z")
    first, third = f"{0:032x}", f"{2:032x}"
    assert store.count_refused() == 0
    said = "the free text holds what looks like a name"
    assert store.set_aside([(first, "identifying_text", said), (third, "bad_kind", "no"),
                            (first, "identifying_text", said)]) == 2
    assert store.set_aside([(third, "bad_kind", "no")]) == 0
    assert store.count_refused() == 2
    assert [e["seq"] for e in store.pending_batch(10)] == [2, 4, 5]
    assert store.count_unsynced() == 3 and store.total() == 5  # kept, not deleted
    got = store.conn.execute("SELECT id, code, message, refused_at FROM refused ORDER BY id")
    got = got.fetchall()
    assert [r[:3] for r in got] == [(first, "identifying_text", said), (third, "bad_kind", "no")]
    assert all(near_now_utc(r[3]) for r in got)
    with pytest.raises(sqlite3.ProgrammingError, match="binding"):
        store.set_aside([(f"{3:032x}", "bad_kind", "no"), (f"{4:032x}", ["a", "list"], "no")])
    assert store.count_refused() == 2 and not store.conn.in_transaction
    store.close()
    monkeypatch.delenv("TZ")
    time.tzset()


def test_a_probe_writes_one_small_row_however_often_it_runs(tmp_path):
    store = Store.open(tmp_path)
    store.probe()
    store.probe()
    assert store.conn.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    assert store.total() == 0
    store.close()


# -- migrations --------------------------------------------------------------------------------

@pytest.mark.alone  # two connections race for the write lock
def test_two_kiosk_processes_starting_at_once_migrate_a_new_file_once(tmp_path):
    db = tmp_path / "record.sqlite3"
    other = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    other.execute("PRAGMA journal_mode=WAL")
    mine = sqlite3.connect(db, timeout=10, isolation_level=None)
    assert mine.execute("PRAGMA user_version").fetchone()[0] == 0
    # The other process migrates, holding the write lock for a moment before it commits.
    other.execute("BEGIN IMMEDIATE")
    assert migrate_in(other) == SCHEMA_VERSION
    committer = threading.Timer(1.0, lambda: other.execute("COMMIT"))
    committer.start()
    started = time.monotonic()
    try:
        assert migrate(mine) == SCHEMA_VERSION  # read 0, waited for the lock, found it done
    finally:
        committer.join()
    assert time.monotonic() - started > 0.5
    assert mine.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = [r[0] for r in mine.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert sorted(tables) == sorted(set(tables))
    other.close()
    mine.close()


def migrate_in(conn: sqlite3.Connection) -> int:
    """Apply every migration inside the caller's open transaction (another process's view)."""
    for version, script in enumerate(MIGRATIONS):
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={version + 1}")
    return len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """A migration script's statements (comments dropped), as sqlite3.complete_statement cuts."""
    out, current = [], ""
    for line in script.splitlines():
        current += line.split("--")[0] + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def test_a_migration_comment_may_hold_dashes_and_semicolons():
    # Everything after the first "--" of a line is comment, whatever it holds.
    script = """
        CREATE TABLE a (x TEXT);  -- one; two -- three
        CREATE TABLE b (y TEXT);  -- b
    """
    assert _statements(script) == ["CREATE TABLE a (x TEXT)", "CREATE TABLE b (y TEXT)"]


def test_a_migration_that_fails_leaves_the_file_as_it_was(tmp_path):
    # A file at schema 1 that already has a table named like schema 2's: not ours to change.
    conn = sqlite3.connect(tmp_path / "record.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("BEGIN")
    for s in statements(MIGRATIONS[0]):
        conn.execute(s)
    conn.execute("CREATE TABLE refused (someone_elses TEXT)")
    conn.execute("PRAGMA user_version=1")
    conn.execute("COMMIT")
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="refused already exists"):
        Store.open(tmp_path, repair=True)
    conn = sqlite3.connect(tmp_path / "record.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert [r[1] for r in conn.execute("PRAGMA table_info(refused)")] == ["someone_elses"]
    conn.close()
    assert not list(tmp_path.glob("*corrupt*"))
