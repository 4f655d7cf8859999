"""The writer thread: drains the recorder's queue and writes batches, one transaction each.

It owns the database connection. When the disk is full or read-only it stops, logs one line,
holds up to `max_backlog` events in memory (`record()` refuses newer ones), and retries
every `retry_interval` seconds; a damaged file is moved aside and a new one started with every
readable event of the old one (kiosk.record.salvage). It also tends the append journal:
replays dead ones on opening, rotates, deletes what is committed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from kiosk.record import journal as jr
from kiosk.record import retention
from kiosk.record.journal import Journal, SegmentEnd, minute_text
from kiosk.record.salvage import Salvage
from kiosk.record.store import (
    STOP_MESSAGES,
    RecordError,
    Store,
    error_code,
    is_damage_error,
    load_kiosk_id,
    stop_state,
)

log = logging.getLogger("kiosk.record")

@dataclass
class Settings:
    """How the recorder writes, keeps and retries (see `Recorder.open`)."""

    data_dir: Path
    kiosk_id: str | None = None
    retention_days: int = 400
    batch_interval: float = 0.1
    max_backlog: int = 20_000
    retry_interval: float = 5.0
    count_interval: float = 30.0
    max_size_mb: float | None = None
    check_on_open: bool = True
    journal: bool = True  # journal each event before record() returns (kiosk.record.journal)


BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
# After these the connection may be in a bad state: drop it and open afresh on the retry.
REOPEN_STATES = {"read_only", "disk_error", "cannot_open"}


class Marker:
    """A flush request travelling through the queue behind the events it waits for."""

    __slots__ = ("done", "ok", "fsync")

    def __init__(self, fsync: bool) -> None:
        self.done = threading.Event()
        self.ok = False
        self.fsync = fsync


class Writer(threading.Thread):
    """The thread that owns the record's connection and writes what the main thread queues."""

    def __init__(self, settings: Settings, queue: deque, journal: Journal) -> None:
        super().__init__(name="kiosk-record-writer", daemon=True)
        self.settings = settings
        self.queue = queue
        self.journal = journal
        self.retiring: list[SegmentEnd] = []  # journal files waiting for their events' commit
        self._journal_warned = False
        self.wake = threading.Event()
        self.closing = False
        self.store: Store | None = None
        self.salvage: Salvage | None = None  # what was recovered from a damaged file, if any
        self.kiosk_id: str | None = settings.kiosk_id
        self.state = "starting"  # ok, starting, closed, or a STOP_MESSAGES key
        self.detail = ""
        self.since: float | None = None
        self.written = 0
        self.dropped = 0  # events taken by record() and dropped here (see _trim)
        self.refused = 0  # events record() said False to (written by the main thread only)
        self.backlog: list[tuple] = []
        self.waiting_sync: int | None = None
        self.waiting_export: int | None = None
        self._dropped_at_marker = 0
        self._next_retry = 0.0
        self._next_count = 0.0
        self._next_retention = 0.0
        self._opened_once = False
        self._minute_key = -1
        self._minute_text = ""

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        """Write batches until closed; never lets an exception end the thread."""
        interval = self.settings.batch_interval
        first = True
        while True:
            if not first:
                self.wake.wait(interval)
                self.wake.clear()
            first = False
            closing = self.closing
            try:
                self._cycle()
            except Exception as exc:  # the kiosk must keep playing whatever happens here
                self._halt("error", exc)
            if closing and not self.queue:
                break
        self._retire_at_exit()
        if self.store is not None:
            self.store.close()
            self.store = None
        self.state = "closed"

    def _cycle(self) -> None:
        now = time.monotonic()
        if self.store is None and now >= self._next_retry:
            self._open()
        items = []
        pop = self.queue.popleft
        while True:
            try:
                items.append(pop())
            except IndexError:
                break
        batch: list[tuple] = []
        for item in items:
            kind = type(item)
            if kind is Marker:
                self._commit(batch)
                batch = []
                self._answer(item)
            elif kind is SegmentEnd:
                self._commit(batch)
                batch = []
                self.retiring.append(item)
            else:
                batch.append(item)
        self._commit(batch)
        self._tend_journal()
        if self.state not in ("ok", "starting") and not self.backlog:
            self._probe()
        if self.store is not None and self.state == "ok":
            self._housekeeping(now)

    def _probe(self) -> None:
        """While stopped with nothing to write, try a tiny write to notice the disk is back."""
        if time.monotonic() < self._next_retry:
            return
        if self.store is None and not self._open():
            return
        try:
            self.store.probe()
        except sqlite3.Error as exc:
            self._halt(stop_state(exc), exc)
            return
        self._resume()

    def _answer(self, marker: Marker) -> None:
        ok = self.store is not None and self.state == "ok" and not self.backlog
        ok = ok and self.lost == self._dropped_at_marker
        self._dropped_at_marker = self.lost
        if ok and marker.fsync:
            try:
                self.store.checkpoint()
            except sqlite3.Error as exc:
                ok = False
                log.warning("record: checkpoint failed (%s)", exc)
        marker.ok = ok
        marker.done.set()

    # -- opening and writing ----------------------------------------------------------------

    def _open(self, damaged: bool = False) -> bool:
        s = self.settings
        try:
            s.data_dir.mkdir(parents=True, exist_ok=True)
            if self.kiosk_id is None:
                self.kiosk_id = load_kiosk_id(s.data_dir)
            if damaged:  # found damaged while writing: set aside, readable events recovered
                self.store = Store.replace_damaged(s.data_dir, max_size_mb=s.max_size_mb)
            else:
                # The integrity check runs on the first open only: reopening after a disk
                # trouble must stay cheap, as it is retried every few seconds.
                self.store = Store.open(s.data_dir, repair=True,
                                        check=s.check_on_open and not self._opened_once,
                                        max_size_mb=s.max_size_mb)
            self._opened_once = True
            if self.store.salvage is not None:
                self.salvage = self.store.salvage
            # Before anything of this run is committed: an earlier run's events come first.
            jr.replay(self.store, s.data_dir, self.kiosk_id, self._own_journals())
        except RecordError as exc:  # written by a newer version: leave the file as it is
            self._drop_store()
            self._halt("newer_version", exc)
            return False
        except (OSError, sqlite3.Error) as exc:
            self._drop_store()
            self._halt(stop_state(exc), exc)
            return False
        self._next_retention = 0.0
        self._next_count = 0.0
        if self.state == "starting":
            self.state = "ok"
        return True

    def _drop_store(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def _commit(self, items: list[tuple], retry_damaged: bool = True) -> None:
        if items:
            self.backlog.extend(items)
        if not self.backlog:
            return
        if self.state != "ok" and time.monotonic() < self._next_retry:
            self._trim()
            return
        if self.store is None and not self._open():
            self._trim()
            return
        rows = self._rows(self.backlog)
        try:
            self.store.append_rows(rows)
        except sqlite3.Error as exc:
            if is_damage_error(exc) and retry_damaged:
                self._replace_damaged()
                self._commit([], retry_damaged=False)
                return
            if error_code(exc) in BUSY_CODES:
                # Another process (an export, a sync) held the lock past the timeout: a
                # passing delay, not a stop. The batch waits for the next cycle.
                self._trim()
                return
            self._halt(stop_state(exc), exc)
            self._trim()
            return
        self.written += len(rows)
        self.backlog = []
        if self.waiting_sync is not None:
            self.waiting_sync += len(rows)
            self.waiting_export += len(rows)
        if self.state != "ok":
            self._resume()

    def _rows(self, items: list[tuple]) -> list[tuple]:
        rows = []
        row = self._row
        for start in range(0, len(items), 64):
            rows.extend(row(item) for item in items[start:start + 64])
            # Hand the interpreter lock back now and then, so that the main thread never has
            # to wait for the switch interval (5 ms) in the middle of a frame.
            time.sleep(0)
        return rows

    def _row(self, item: tuple) -> tuple:
        if len(item) == 6:  # journaled: id and payload were made by record()
            eid, session_id, offset, epoch, kind, payload = item
        else:  # queued only (journal=False)
            session_id, offset, epoch, kind, fields = item
            eid = uuid.uuid4().hex
            payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
        key = int((epoch + 30) // 60)  # rounded to the nearest minute
        if key != self._minute_key:
            self._minute_key = key
            self._minute_text = minute_text(key * 60)
        return (eid, self.kiosk_id, session_id, self._minute_text, offset, kind, payload)

    # -- the journal ------------------------------------------------------------------------

    def _own_journals(self) -> set:
        own = {end.path for end in self.retiring}
        if self.journal.path is not None:
            own.add(self.journal.path)
        return own

    def _tend_journal(self) -> None:
        """Delete journal files whose events are all committed; rotate a big one; open a new
        one when journaling stopped and recording is back to normal."""
        if self.retiring and not self.backlog and self.state == "ok":
            for end in self.retiring:
                jr.retire(end, delete=True)
            self.retiring = []
        j = self.journal
        if not j.enabled or self.state != "ok" or self.closing:
            return
        if j.fd is None:
            if not self._journal_warned:
                self._journal_warned = True
                log.warning("record: the journal stopped (%s); events are kept in memory until "
                            "committed, and a kill loses those not yet committed", j.error)
            j.install(j.open_new())
            if j.fd is not None:
                self._journal_warned = False
                log.warning("record: the journal is written again")
        elif j.size >= jr.ROTATE_BYTES:
            j.install(j.open_new())

    def _retire_at_exit(self) -> None:
        end = self.journal.take()
        if end is not None:
            self.retiring.append(end)
            try:
                self._cycle()  # anything queued between the last cycle and the take
            except Exception as exc:
                self._halt("error", exc)
        done = not self.backlog and not self.queue and self.state in ("ok", "closed")
        for end in self.retiring:
            jr.retire(end, delete=done)  # kept when not all was written: replayed next start
        self.retiring = []

    @property
    def lost(self) -> int:
        """Events that could not be recorded since the start (refused or dropped)."""
        return self.dropped + self.refused

    def _trim(self) -> None:
        # record() refuses events while stopped with the hold full, so this drops only what
        # was taken before the stop was known (a burst bigger than the hold, or a long lock).
        over = len(self.backlog) - self.settings.max_backlog
        if over > 0:
            # Keep the oldest: a visit's beginning is worth more than a fragment of its end.
            del self.backlog[self.settings.max_backlog:]
            self.dropped += over

    def _replace_damaged(self) -> None:
        store, self.store = self.store, None
        store.close()
        self._open(damaged=True)

    # -- state ------------------------------------------------------------------------------

    def _halt(self, state: str, exc: BaseException) -> None:
        self._next_retry = time.monotonic() + self.settings.retry_interval
        if state in REOPEN_STATES and self.store is not None:
            self.store.close()
            self.store = None
        if self.state == state:
            return  # one line per stop, not one per retry
        self.state = state
        self.detail = str(exc)
        self.since = time.time()
        log.error("record: recording stopped: %s (%s); the kiosk keeps playing and recording "
                  "resumes by itself when this is fixed", STOP_MESSAGES.get(state, state), exc)

    def _resume(self) -> None:
        if self.state not in ("starting", "ok"):
            log.warning("record: recording resumed after %.0f s; %d events could not be recorded",
                        time.time() - (self.since or time.time()), self.lost)
        self.state = "ok"
        self.detail = ""
        self.since = None

    def _housekeeping(self, now: float) -> None:
        store = self.store
        try:
            if now >= self._next_retention:
                self._next_retention = now + 86_400
                removed = retention.apply(store, self.settings.retention_days)
                if removed:
                    log.info("record: retention removed %d exported or synced events older "
                             "than %d days", removed, self.settings.retention_days)
                self._next_count = 0.0
            if now >= self._next_count:
                self._next_count = now + self.settings.count_interval
                self.waiting_sync = store.count_unsynced()
                self.waiting_export = store.count_after(store.last_exported_seq())
        except sqlite3.Error as exc:
            if is_damage_error(exc):
                self._replace_damaged()
            else:
                self._halt(stop_state(exc), exc)
