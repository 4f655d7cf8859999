"""The file's schema, its migrations, the sync outbox and retention."""

from __future__ import annotations

import sqlite3
import time

import pytest

from kiosk.record import RecordError, Store, retention
from kiosk.record.export import export
from kiosk.record.store import SCHEMA_VERSION
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
