"""A kiosk record's events as the record's tests read them: plain sqlite3, no kiosk code."""

from __future__ import annotations

import json
import sqlite3
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

