"""The record's SQLite file: schema and migrations, opening (a damaged file is moved aside and
its readable events recovered into a new one, see kiosk.record.salvage),
batched appends, and the sync outbox (`pending_batch` / `mark_synced` / `set_aside`) for
`kiosk sync`.

One file, `record.sqlite3`, in the kiosk's data folder; WAL mode, `synchronous=NORMAL`: a
committed transaction survives the process being killed; a power cut may lose the last
moments of commits but never damages the file.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kiosk.record.salvage import Salvage, recover

log = logging.getLogger("kiosk.record")

DB_NAME = "record.sqlite3"
KIOSK_ID_NAME = "kiosk-id"
SCHEMA_VERSION = 2

# Each entry brings the schema from version i to i + 1, in one transaction with the
# user_version bump, so that a kill mid-migration leaves the previous version intact.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE events (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: exports resume from it
        id         TEXT NOT NULL,        -- random uuid4 hex, for de-duplication on sync
        kiosk_id   TEXT NOT NULL,
        session_id TEXT NOT NULL,        -- random per visitor session, never reused
        at_minute  TEXT NOT NULL,        -- UTC wall clock, rounded to the nearest minute
        offset_ms  INTEGER NOT NULL,     -- monotonic offset within the visitor session
        kind       TEXT NOT NULL,
        payload    TEXT NOT NULL,        -- JSON object of whitelisted fields
        synced_at  TEXT                  -- when the server acknowledged it; NULL until then
    );
    CREATE UNIQUE INDEX events_id ON events(id);
    CREATE INDEX events_unsynced ON events(seq) WHERE synced_at IS NULL;
    -- One row per export written; the events themselves are never touched by an export.
    CREATE TABLE exports (
        id         INTEGER PRIMARY KEY,
        created    TEXT NOT NULL,
        format     TEXT NOT NULL,
        path       TEXT NOT NULL,
        since      TEXT,                 -- the --since filter (minute string), if any
        first_seq  INTEGER NOT NULL,
        last_seq   INTEGER NOT NULL,
        count      INTEGER NOT NULL,
        sha256     TEXT NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    """
    -- Events the server refused (kiosk sync): never sent again, kept in events and counted.
    CREATE TABLE refused (
        id         TEXT PRIMARY KEY,     -- the event's id
        code       TEXT NOT NULL,        -- the server's reason code, e.g. identifying_text
        message    TEXT NOT NULL,        -- the server's sentence (never holds the value)
        refused_at TEXT NOT NULL
    );
    """,
]

# Lines of SQL marked `# pragma: no mutate` (mutmut): the only mutants of theirs the tests
# cannot kill change the case of keywords, pragmas or names, which SQLite reads regardless
# of case (docs/quality.md).

# SQLite primary result codes that mean "the disk cannot take writes now".
DISK_CODES = {3, 8, 10, 13, 14}  # PERM, READONLY, IOERR, FULL, CANTOPEN
DAMAGE_CODES = {11, 26}  # CORRUPT, NOTADB

COLUMNS = "seq, id, kiosk_id, session_id, at_minute, offset_ms, kind, payload"


class RecordError(Exception):
    """The record cannot be opened or used; the message says why in plain words."""


class RecordDamaged(RecordError):
    """The record's file is damaged (not a database, or the integrity check failed)."""


def error_code(exc: BaseException) -> int:
    """The SQLite primary result code of an exception, or -1."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else -1


def is_disk_error(exc: BaseException) -> bool:
    """True when the error means the disk is full, read-only or unavailable."""
    return isinstance(exc, sqlite3.Error) and error_code(exc) in DISK_CODES


STOP_MESSAGES = {  # why writing stopped, as the recorder reports it
    "disk_full": "the disk is full",
    "read_only": "the data folder is read-only",
    "disk_error": "the disk cannot be written",
    "cannot_open": "the record file cannot be opened",
    "newer_version": "the record file comes from a newer version of the kiosk software",
    "error": "the record cannot be written",
}


_SQLITE_STATES = {13: "disk_full", 8: "read_only", 10: "disk_error", 14: "cannot_open",
                  3: "read_only"}  # SQLite's primary result codes


def stop_state(exc: BaseException) -> str:
    """Why writing stopped, as a key of `STOP_MESSAGES`."""
    if isinstance(exc, sqlite3.Error):
        return _SQLITE_STATES.get(error_code(exc), "error") if is_disk_error(exc) else "error"
    if isinstance(exc, OSError):
        import errno

        if exc.errno == errno.ENOSPC:
            return "disk_full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read_only"
        return "disk_error"
    return "error"


def is_damage_error(exc: BaseException) -> bool:
    """True when the error means the database file is damaged."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if error_code(exc) in DAMAGE_CODES:
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def utc_stamp(epoch: float | None = None) -> str:
    """A compact UTC timestamp, for file names and export records."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if epoch is None else epoch))


def load_kiosk_id(data_dir: Path) -> str:
    """The kiosk's random id, created once and kept in the data folder (never from hardware)."""
    path = Path(data_dir) / KIOSK_ID_NAME
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        text = None
    except UnicodeDecodeError:  # garbled (a cut write, a tool): replaced like any other non-id
        text = ""
    if text is not None:
        if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
            return text
        log.warning("record: the kiosk id file %s is not an id; writing a new one", path)
    new = uuid.uuid4().hex
    tmp = path.with_name(f".{KIOSK_ID_NAME}.{os.getpid()}.tmp")
    tmp.write_text(new + "\n", encoding="ascii")
    os.replace(tmp, path)
    return new


def move_aside(db_path: Path) -> Path:
    """Rename a damaged database (and its -wal and -shm files) aside; nothing is deleted."""
    stamp = utc_stamp()
    target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(db_path, target)
    return target


@dataclass
class Store:
    """An open record database (one connection; use it from one thread at a time)."""

    path: Path
    conn: sqlite3.Connection
    salvage: Salvage | None = None  # set when this file replaced a damaged one

    @classmethod
    def open(cls, data_dir: Path | str, *, repair: bool = False, check: bool = True,
             max_size_mb: float | None = None) -> Store:
        """Open (creating and migrating) the record in `data_dir`.

        With `repair=True` a damaged file is moved aside and a new one started; otherwise
        `RecordDamaged` is raised. `max_size_mb` caps the file (SQLite reports the disk full).
        """
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        path = Path(data_dir) / DB_NAME
        try:
            return cls._open(path, check, max_size_mb)
        except sqlite3.DatabaseError as exc:
            if not is_damage_error(exc) and not isinstance(exc, _CheckFailed):
                raise
            if not repair:
                raise RecordDamaged(f"the record {path} is damaged ({exc})") from exc
            return cls.replace_damaged(data_dir, max_size_mb=max_size_mb, why=_short(exc))

    @classmethod
    def replace_damaged(cls, data_dir: Path | str, *, max_size_mb: float | None = None,
                        why: str = "") -> Store:
        """Move the damaged record aside (kept), start a new one and copy every readable
        event of the old one into it; `store.salvage` says how many (kiosk.record.salvage)."""
        path = Path(data_dir) / DB_NAME
        aside = move_aside(path)
        # No size cap while the recovered events go in: they were on this disk already.
        store = cls._open(path, False, None)
        try:
            store.salvage = recover(aside, store.conn)
            if max_size_mb is not None:
                store.set_max_size(max_size_mb)
        except BaseException:
            store.close()
            raise
        s = store.salvage
        log.error("record: the database %s was damaged%s; moved aside to %s and started a new "
                  "one; %d events recovered from it (%d not yet synced), %d unreadable, "
                  "%d rejected as not events", path, f" ({why})" if why else "", aside.name,
                  s.recovered, s.unsynced, s.unreadable, s.rejected)
        return store

    @classmethod
    def _open(cls, path: Path, check: bool, max_size_mb: float | None) -> Store:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]  # pragma: no mutate
            if str(mode).lower() != "wal":
                raise RecordError(f"the record {path} could not be put in WAL mode ({mode})")
            conn.execute("PRAGMA synchronous=NORMAL")  # pragma: no mutate
            if check:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]  # pragma: no mutate
                if result != "ok":
                    raise _CheckFailed(f"quick_check: {result}")
            if max_size_mb is not None:
                page = conn.execute("PRAGMA page_size").fetchone()[0]  # pragma: no mutate
                conn.execute(f"PRAGMA max_page_count={max(8, int(max_size_mb * 2**20 / page))}")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when it can)."""
        try:
            self.conn.close()
        except sqlite3.Error:  # a closing failure must not hide the first one
            log.debug("record: close failed", exc_info=True)

    def set_max_size(self, max_size_mb: float | None) -> None:
        """Change the size cap of the file (None lifts it)."""
        page = self.conn.execute("PRAGMA page_size").fetchone()[0]  # pragma: no mutate
        pages = 2**31 - 2 if max_size_mb is None else max(8, int(max_size_mb * 2**20 / page))
        self.conn.execute(f"PRAGMA max_page_count={pages}")

    def append_rows(self, rows: list[tuple], ignore_duplicates: bool = False) -> int:
        """Insert rows (id, kiosk_id, session_id, at_minute, offset_ms, kind, payload) in one
        transaction; returns how many were inserted. `ignore_duplicates` skips rows whose id
        is already there (a journal replayed after some of its events were committed)."""
        conn = self.conn
        before = conn.total_changes
        conn.execute("BEGIN IMMEDIATE")  # pragma: no mutate
        try:
            conn.executemany(
                f"INSERT {'OR IGNORE ' if ignore_duplicates else ''}INTO events"
                " (id, kiosk_id, session_id, at_minute,"  # pragma: no mutate
                " offset_ms, kind, payload)"  # pragma: no mutate
                " VALUES (?, ?, ?, ?, ?, ?, ?)",  # pragma: no mutate
                rows,
            )
            conn.execute("COMMIT")  # pragma: no mutate
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # pragma: no mutate
            raise
        return conn.total_changes - before

    def probe(self) -> None:
        """Write one small row, to learn whether the disk takes writes again."""
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', ?)",  # pragma: no mutate
            (utc_stamp(),))

    def checkpoint(self) -> None:
        """Write the WAL into the main file and sync it (durable against a power cut)."""
        self.conn.execute("PRAGMA wal_checkpoint(FULL)")  # pragma: no mutate

    def pending_batch(self, limit: int = 500) -> list[dict]:
        """The oldest events neither acknowledged nor refused yet, at most `limit` of them."""
        cur = self.conn.execute(
            f"SELECT {COLUMNS} FROM events WHERE synced_at IS NULL "
            f"AND id NOT IN (SELECT id FROM refused) ORDER BY seq LIMIT ?",
            (int(limit),),
        )
        return [row_to_event(row) for row in cur]

    def set_aside(self, refusals: list[tuple[str, str, str]]) -> int:
        """Keep (id, code, message) of events the server refused: they are not sent again."""
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")  # pragma: no mutate
        try:
            cur = conn.executemany(
                "INSERT OR IGNORE INTO refused (id, code, message, refused_at)"  # pragma: no mutate
                " VALUES (?,?,?,?)",  # pragma: no mutate
                [(i, c, m, now) for i, c, m in refusals])
            conn.execute("COMMIT")  # pragma: no mutate
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # pragma: no mutate
            raise
        return cur.rowcount

    def count_refused(self) -> int:
        """How many events the server refused (set aside, never sent again)."""
        return self.conn.execute("SELECT count(*) FROM refused").fetchone()[0]  # pragma: no mutate

    def mark_synced(self, ids: list[str] | tuple[str, ...]) -> int:
        """Mark events as acknowledged by the server; returns how many were newly marked."""
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        conn = self.conn
        changed = 0
        conn.execute("BEGIN IMMEDIATE")  # pragma: no mutate
        try:
            for i in range(0, len(ids), 500):
                chunk = list(ids[i:i + 500])
                marks = ",".join("?" * len(chunk))
                cur = conn.execute(
                    f"UPDATE events SET synced_at = ? WHERE synced_at IS NULL AND id IN ({marks})",
                    [now, *chunk],
                )
                changed += cur.rowcount
            conn.execute("COMMIT")  # pragma: no mutate
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # pragma: no mutate
            raise
        return changed

    def count_unsynced(self) -> int:
        """How many events wait for the server's acknowledgement (refused ones do not)."""
        return self.conn.execute(
            "SELECT count(*) FROM events WHERE synced_at IS NULL "  # pragma: no mutate
            "AND id NOT IN (SELECT id FROM refused)"  # pragma: no mutate
        ).fetchone()[0]

    def last_exported_seq(self) -> int:
        """The last event (by seq) that an export reached; 0 when nothing was exported."""
        return self.conn.execute(
            "SELECT coalesce(max(last_seq), 0) FROM exports"  # pragma: no mutate
        ).fetchone()[0]

    def count_after(self, seq: int) -> int:
        """How many events come after `seq` (the events a `--since-last` export would take)."""
        return self.conn.execute(
            "SELECT count(*) FROM events WHERE seq > ?",  # pragma: no mutate
            (seq,)).fetchone()[0]

    def total(self) -> int:
        """How many events the record holds."""
        return self.conn.execute("SELECT count(*) FROM events").fetchone()[0]  # pragma: no mutate

    def integrity(self) -> str:
        """The result of `PRAGMA integrity_check` ("ok" when the file is sound)."""
        return "\n".join(r[0] for r in self.conn.execute("PRAGMA integrity_check"))


def _short(exc: BaseException) -> str:
    """An error's text for one log line (quick_check lists every damaged page)."""
    lines = str(exc).splitlines()
    text = " ".join(lines[:2])
    return text + (f" ... and {len(lines) - 2} more lines" if len(lines) > 2 else "")


class _CheckFailed(sqlite3.DatabaseError):
    """quick_check did not say ok."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to `SCHEMA_VERSION`, one transaction per step; returns the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]  # pragma: no mutate
    if version > SCHEMA_VERSION:
        raise RecordError(
            f"the record was written by a newer version of the software (schema {version}, "
            f"this one knows {SCHEMA_VERSION}); update the kiosk software"
        )
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")  # pragma: no mutate
        try:
            # Read again inside the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # pragma: no mutate
            if version < SCHEMA_VERSION:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version={version}")
            conn.execute("COMMIT")  # pragma: no mutate
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # pragma: no mutate
            raise
    return version


def _statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def row_to_event(row: tuple) -> dict:
    """An events row as the plain dict that exports and sync send."""
    seq, eid, kiosk, session, at, offset, kind, payload = row
    return {"seq": seq, "id": eid, "kiosk_id": kiosk, "session_id": session, "at": at,
            "offset_ms": offset, "kind": kind, "payload": json.loads(payload)}
