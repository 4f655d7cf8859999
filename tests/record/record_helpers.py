"""Helpers for the record's tests (imported by name: tests have no packages here)."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path


def rows(data_dir: Path, where: str = "1", params: tuple = ()) -> list[dict]:
    """The events in a data folder's record, read with plain sqlite3."""
    conn = sqlite3.connect(data_dir / "record.sqlite3")
    try:
        cur = conn.execute(
            f"SELECT seq, id, kiosk_id, session_id, at_minute, offset_ms, kind, payload, synced_at"
            f" FROM events WHERE {where} ORDER BY seq", params)
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, r, strict=True)) for r in cur]
    finally:
        conn.close()
    for r in out:
        r["payload"] = json.loads(r["payload"])
    return out


def wait_for(predicate, timeout: float = 10.0, step: float = 0.02) -> bool:
    """Poll until predicate() is true or the timeout passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())
