"""Retention: events older than the configured period are deleted once they left the kiosk.

An event has left the kiosk when the server acknowledged it (`synced_at`) or an export
covered it (its seq is inside an export's range and it passed that export's `--since`).
Events that never left are kept, however old: deleting them would lose evidence.
"""

from __future__ import annotations

import time

from kiosk.record.store import Store

CHUNK = 5_000


def cutoff_minute(days: int, now: float | None = None) -> str:
    """The minute string before which events are old enough to delete."""
    epoch = (time.time() if now is None else now) - days * 86_400
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(epoch))


def apply(store: Store, days: int = 400, now: float | None = None) -> int:
    """Delete old events that were exported or synced, in small transactions; returns how many."""
    cutoff = cutoff_minute(days, now)
    conn = store.conn
    removed = 0
    last = 0
    while True:
        # Read a chunk outside any write transaction, so the kiosk's writer is never held up
        # for more than one short delete.
        seqs = [r[0] for r in conn.execute(
            "SELECT e.seq FROM events e WHERE e.seq > ? AND e.at_minute < ? AND ("
            " e.synced_at IS NOT NULL OR EXISTS (SELECT 1 FROM exports x"
            "  WHERE e.seq BETWEEN x.first_seq AND x.last_seq"
            "  AND (x.since IS NULL OR e.at_minute >= x.since)))"
            " ORDER BY e.seq LIMIT ?", (last, cutoff, CHUNK))]
        if not seqs:
            return removed
        last = seqs[-1]
        marks = ",".join("?" * len(seqs))
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(f"DELETE FROM events WHERE seq IN ({marks})", seqs)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        removed += cur.rowcount
