"""Issue 17: the admin's SQLite write-ahead log does not stay large after a big ingest.

A long reader (a streamed CSV, a slow report) holds its snapshot through a large USB import,
so no checkpoint can reset the WAL meanwhile and it grows well past its bound; once the
reader is gone, the next commit brings the -wal file back under SQLITE_WAL_LIMIT_MB.
"""

from __future__ import annotations

import sqlite3

from admin import create_app
from admin.db import database
from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import play_sessions

MB = 1 << 20


def _export(tmp_path, name, sessions, seed):
    data = tmp_path / name
    with Recorder.open(data, batch_interval=0.01) as rec:
        play_sessions(rec, sessions, seed=seed)
    store = Store.open(data)
    out = tmp_path / f"{name}.jsonl"
    export(store, data, out, "jsonl")
    store.close()
    return out


def test_after_a_large_ingest_the_wal_is_back_under_its_bound(tmp_path):
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(instance), "TESTING": True,
                      "SQLITE_WAL_LIMIT_MB": 1})
    database(app).migrate()
    db_file, wal = instance / "admin.sqlite3", instance / "admin.sqlite3-wal"
    big, small = _export(tmp_path, "big", 2500, 1), _export(tmp_path, "small", 5, 2)
    reader = sqlite3.connect(db_file)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM feedback_events").fetchone()  # holds its snapshot
    try:
        result = app.test_cli_runner().invoke(args=["kiosks", "import", str(big)])
        assert result.exit_code == 0, result.output
        peak = wal.stat().st_size
        assert peak > 4 * MB, f"the import grew the WAL to {peak / MB:.1f} MB only"
    finally:
        reader.rollback()
        reader.close()
    result = app.test_cli_runner().invoke(args=["kiosks", "import", str(small)])
    assert result.exit_code == 0, result.output
    assert wal.stat().st_size <= 1 * MB, f"{wal.stat().st_size / MB:.1f} MB (peak {peak / MB:.1f})"
    with sqlite3.connect(db_file) as check:  # and nothing was lost on the way
        assert check.execute("SELECT count(*) FROM feedback_events").fetchone()[0] > 10_000
    database(app).dispose()
