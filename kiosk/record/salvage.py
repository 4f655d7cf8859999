"""Salvage: every readable event of a damaged record, copied into the new record.

When the record's file is damaged (junk over some pages, a half-written sector) it is moved
aside and a new one started (`Store.replace_damaged`); this module then reads what it can of
the old file. Debian 12's `sqlite3` shell has `.recover`, but there it fails even on a sound
file ("SQL logic error": its library is built without `sqlite_dbpage`), so the events are
read with Python's sqlite3: in ranges of `seq`, a range that fails is halved down to single
rows read by point lookup, so that only the rows on destroyed pages are lost (measured on
200,000 events with 100 junk pages: 198,460 of the 198,460 rows on intact pages). Rows below
a destroyed interior page of the events b-tree cannot be reached by SQL; a second pass then
reads the file's table leaf pages by the file format (`kiosk.record.pages`) and adds the
event-shaped rows the first pass did not copy (`INSERT OR IGNORE`: SQL's copy wins).
Measured with 3 of the table's 25 interior pages destroyed: 200,000 of the 200,000 rows on
the intact leaves (SQL alone: 180,035), in 9.7 s.

Every row is checked like a new event (id forms, kind and fields whitelisted) before it is
kept, so junk that happens to parse is never synced. Recovered rows keep their `seq`, id and
`synced_at`: sync sends those the server has not acknowledged, and exports (whose rows are
copied too) resume where they were.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.record.kinds import EventRefused, check_event
from kiosk.record.pages import table_rows

CHUNK = 4096  # seq numbers per range read
_COLUMNS = "seq, id, kiosk_id, session_id, at_minute, offset_ms, kind, payload, synced_at"
_EVENT_WIDTH = len(_COLUMNS.split(","))  # the events table's columns, seq included
_HEX32 = re.compile(r"[0-9a-f]{32}")
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z")
_EXPORT_COLUMNS = "created, format, path, since, first_seq, last_seq, count, sha256"


@dataclass(frozen=True)
class Salvage:
    """What was recovered from a damaged record (counts only: nothing about visitors)."""

    aside: Path  # the damaged file, kept under its new name
    recovered: int  # events copied into the new record
    unsynced: int  # of those, events the server had not acknowledged (sync sends them)
    unreadable: int  # seq numbers that could not be read (at most this many events lost)
    rejected: int  # rows read that were not valid events (junk), left out
    at: float  # epoch seconds of the salvage


def recover(aside: Path, target: sqlite3.Connection) -> Salvage:
    """Copy every readable, valid event (and export row) of the damaged file `aside` into
    the open record `target`; never raises for the damage itself."""
    reader = _Reader(aside)
    recovered = unsynced = rejected = 0
    junk: set = set()  # seq of the rows the SQL pass rejected
    target.execute("BEGIN IMMEDIATE")  # one transaction: a kill leaves the new file empty
    try:
        for rows in reader.chunks():  # a chunk at a time: a big record never sits in memory
            counts = _copy(rows, target)
            recovered, unsynced, rejected = recovered + counts[0], unsynced + counts[1], \
                rejected + len(counts[2])
            junk.update(counts[2])  # the page pass meets them again: not counted twice
        for rows in _page_chunks(aside, target, junk):  # what SQL could not reach
            counts = _copy(rows, target)
            recovered, unsynced, rejected = recovered + counts[0], unsynced + counts[1], \
                rejected + len(counts[2])
        unreadable = sum(1 for seq in reader.missing if not _has(target, seq))
        target.executemany(
            f"INSERT INTO exports ({_EXPORT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            reader.exports())
        target.executemany(  # events the server refused stay set aside, never resent
            "INSERT OR IGNORE INTO refused (id, code, message, refused_at) VALUES (?, ?, ?, ?)",
            reader.refused())
        target.execute("COMMIT")
    except BaseException:
        if target.in_transaction:
            target.execute("ROLLBACK")
        raise
    finally:
        reader.close()
    return Salvage(aside=aside, recovered=recovered, unsynced=unsynced,
                   unreadable=unreadable, rejected=rejected, at=time.time())


class _Reader:
    """Reads a damaged record, read-only, skipping what cannot be read."""

    def __init__(self, path: Path) -> None:
        self.missing: list[int] = []  # seq numbers SQL could not read
        # Read-only; without a -wal file beside it the file is opened as immutable, so that
        # no -shm or -wal file is made next to the damaged one.
        wal = Path(f"{path}-wal").exists()
        try:
            self.conn: sqlite3.Connection | None = sqlite3.connect(
                f"file:{path}?{'mode=ro' if wal else 'immutable=1'}", uri=True, timeout=1,
                check_same_thread=False)
            self.conn.execute("SELECT 1 FROM events LIMIT 0")
        except sqlite3.DatabaseError:  # not a database at all, or no readable schema
            self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def chunks(self) -> Iterator[list[tuple]]:
        """The rows that could be read, a range of seq at a time, in seq order."""
        if self.conn is None:
            return
        top = self._top()
        start, empty = 1, 0
        # Without a known last seq, walk up until a long run of ranges holds nothing readable.
        while (start <= top) if top is not None else (empty < 64):
            out: list[tuple] = []
            self._read(start, start + CHUNK if top is None else min(start + CHUNK, top + 1), out)
            empty = 0 if out else empty + 1
            start += CHUNK
            yield out

    def exports(self) -> list[tuple]:
        """The export rows, if their table can be read (else none: exports start afresh)."""
        if self.conn is None:
            return []
        try:
            return self.conn.execute(f"SELECT {_EXPORT_COLUMNS} FROM exports ORDER BY id")\
                .fetchall()
        except sqlite3.DatabaseError:
            return []

    def refused(self) -> list[tuple]:
        """The events the server refused, if their table can be read (else none: sync offers
        them again and the server refuses them again)."""
        if self.conn is None:
            return []
        try:
            return self.conn.execute("SELECT id, code, message, refused_at FROM refused")\
                .fetchall()
        except sqlite3.DatabaseError:
            return []

    def _top(self) -> int | None:
        for sql in ("SELECT seq FROM sqlite_sequence WHERE name = 'events'",
                    "SELECT max(seq) FROM events"):
            try:
                row = self.conn.execute(sql).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row and isinstance(row[0], int):
                return row[0]
        return None

    def _read(self, lo: int, hi: int, out: list[tuple]) -> None:
        """Rows with lo <= seq < hi; a range that fails is halved, a single row looked up
        alone (a range read also steps onto the next page, which may be the broken one)."""
        try:
            if hi - lo == 1:
                rows = self.conn.execute(f"SELECT {_COLUMNS} FROM events WHERE seq = ?",
                                         (lo,)).fetchall()
            else:
                rows = self.conn.execute(
                    f"SELECT {_COLUMNS} FROM events WHERE seq >= ? AND seq < ? ORDER BY seq",
                    (lo, hi)).fetchall()
        except sqlite3.DatabaseError:
            if hi - lo == 1:
                self.missing.append(lo)
                return
            mid = (lo + hi) // 2
            self._read(lo, mid, out)
            self._read(mid, hi, out)
            return
        out.extend(rows)


def _copy(rows: list[tuple], target: sqlite3.Connection) -> tuple[int, int, list[int]]:
    """Insert the valid events of `rows` not yet in `target`; returns how many were copied,
    how many of those are unsynced, and the seq of the rows rejected as not events."""
    valid = [row for row in rows if _is_event(row)]
    before = target.total_changes
    target.executemany(
        f"INSERT OR IGNORE INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", valid)
    kept = {row[0] for row in valid}
    return (target.total_changes - before, sum(1 for row in valid if row[8] is None),
            [row[0] for row in rows if row[0] not in kept])


def _page_chunks(aside: Path, target: sqlite3.Connection, junk: set) -> Iterator[list[tuple]]:
    """Rows with the events table's column types on the damaged file's table leaf pages that
    the SQL pass neither copied nor rejected, a chunk at a time."""
    out: list[tuple] = []
    for seq, values in table_rows(aside, _EVENT_WIDTH):
        # Records of other tables are passed over, not counted as rejected events.
        if not _event_shaped(values) or seq < 1 or seq in junk or _has(target, seq):
            continue
        out.append((seq, *values[1:]))
        if len(out) == CHUNK:
            yield out
            out = []
    if out:
        yield out


def _event_shaped(values: list) -> bool:
    """True when a record's values have the events table's column types: seq is the rowid
    (an INTEGER PRIMARY KEY is stored as NULL), offset_ms an integer, synced_at text or NULL,
    the rest text."""
    seq, eid, kiosk, session, minute, offset, kind, payload, synced = values
    return (seq is None and isinstance(offset, int)
            and all(isinstance(v, str) for v in (eid, kiosk, session, minute, kind, payload))
            and (synced is None or isinstance(synced, str)))


def _has(target: sqlite3.Connection, seq: int) -> bool:
    return target.execute("SELECT 1 FROM events WHERE seq = ?", (seq,)).fetchone() is not None


def _is_event(row: tuple) -> bool:
    """True when a row read from a damaged file has the form of a recorded event."""
    seq, eid, kiosk, session, minute, offset, kind, payload, synced = row
    try:
        if not (isinstance(seq, int) and isinstance(offset, int) and offset >= 0
                and all(isinstance(v, str) and _HEX32.fullmatch(v) for v in (eid, session))
                and isinstance(kiosk, str) and kiosk
                and isinstance(minute, str) and _MINUTE.fullmatch(minute)
                and (synced is None or isinstance(synced, str))):
            return False
        fields = json.loads(payload)
        if not isinstance(fields, dict):
            return False
        check_event(kind, fields)
    except (EventRefused, ValueError, TypeError):
        return False
    return True
