"""The recorder: the kiosk's handle on the record (open once, begin a session per visitor)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from kiosk.paths import data_dir as default_data_dir
from kiosk.record.eventqueue import EventQueue
from kiosk.record.journal import Journal
from kiosk.record.kinds import check_event
from kiosk.record.session import VisitorSession
from kiosk.record.store import STOP_MESSAGES
from kiosk.record.writer import Marker, Settings, Writer


@dataclass(frozen=True)
class RecordStatus:
    """What the staff menu shows about the record."""

    recording: bool  # False while stopped (disk full, read-only, damaged, closed)
    state: str  # ok, starting, closed, or why it stopped (writer.STOP_MESSAGES)
    line: str  # one plain sentence for the staff menu
    since: float | None  # epoch seconds when recording stopped, else None
    written: int  # events written since the kiosk started
    dropped: int  # events that could not be recorded since the kiosk started
    held: int  # events queued or held in memory, not yet on disk
    waiting_sync: int | None  # events the server has not acknowledged (None: not known yet)
    waiting_export: int | None  # events after the last export (None: not known yet)
    kiosk_id: str | None
    recovered: int | None = None  # events recovered from a damaged file since the start


class Recorder:
    """Journals and queues anonymous events from the main thread; a writer thread commits
    them to the SQLite file (see kiosk.record.journal for what survives a kill)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._queue: deque = deque()
        self._append = self._queue.append
        # Opened here, on the caller's thread, so that the first event is journaled too.
        self._journal = Journal(settings.data_dir, self._append, enabled=settings.journal)
        self._writer = Writer(settings, self._queue, self._journal)
        self._events = EventQueue(self._queue, self._journal, self._writer,
                                  settings.max_backlog)

    @classmethod
    def open(cls, data_dir: Path | str | None = None, kiosk_id: str | None = None, *,
             retention_days: int = 400, batch_interval: float = 0.1, max_backlog: int = 20_000,
             retry_interval: float = 5.0, max_size_mb: float | None = None,
             check_on_open: bool = True, journal: bool = True) -> Recorder:
        """Start recording into `data_dir` (default: the kiosk's data folder); never raises
        for disk trouble: the file is opened on the writer thread and `status()` tells.

        `journal`: write each event to the append journal before `record()` returns, so that
        it survives `kill -9` (default). False only queues it (benchmarks, as a baseline)."""
        settings = Settings(Path(data_dir if data_dir is not None else default_data_dir()), kiosk_id=kiosk_id, retention_days=retention_days,
                            batch_interval=batch_interval, max_backlog=max_backlog,
                            retry_interval=retry_interval, max_size_mb=max_size_mb,
                            check_on_open=check_on_open, journal=journal)
        recorder = cls(settings)
        recorder._writer.start()
        return recorder

    def begin_session(self, pack_id: str, pack_version: str, language: str,
                      school_code: str | None = None, *,
                      free_text_questions: frozenset[str] | set[str] = frozenset(),
                      at: float | None = None) -> VisitorSession:
        """Start a visitor session (new random id, monotonic origin) and record session_started.

        `free_text_questions`: the question ids for which the pack asks free text.
        """
        fields: dict[str, object] = {"pack": pack_id, "pack_version": pack_version,
                                     "language": language}
        if school_code is not None:
            fields["school_code"] = school_code
        check_event("session_started", fields)
        origin = time.monotonic() if at is None else at
        session = VisitorSession(self._events, language, frozenset(free_text_questions), origin)
        session.start(fields)
        return session

    def append(self, session: VisitorSession, kind: str, at: float | None = None,
               **fields: object) -> bool:
        """The same as `session.record(kind, at, **fields)`."""
        return session.record(kind, at, **fields)

    def flush(self, timeout: float | None = 5.0, fsync: bool = False) -> bool:
        """Wait until every event queued before this call is committed to the file.

        True means they survive the process being killed; with `fsync=True` the WAL is also
        checkpointed and synced, so they survive a power cut. False: the timeout passed, or
        recording is stopped, or some of them could not be recorded. Blocks: not for frames.
        """
        if self._events.closed and not self._writer.is_alive():
            return False
        marker = Marker(fsync)
        self._append(marker)
        self._writer.wake.set()
        return marker.done.wait(timeout) and marker.ok

    def status(self) -> RecordStatus:
        """The record's state for the staff menu (cheap: reads what the writer keeps)."""
        w = self._writer
        state = w.state
        dropped = w.lost
        if state == "ok":
            line = "Recording: ok."
        elif state == "starting":
            line = "Recording: starting."
        elif state == "closed":
            line = "Recording: closed."
        else:
            when = time.strftime("%H:%M UTC", time.gmtime(w.since or time.time()))
            line = (f"Recording stopped at {when}: {STOP_MESSAGES.get(state, state)}. "
                    f"It resumes by itself when this is fixed"
                    f"{f'; {dropped} events not recorded' if dropped else ''}.")
        salvage = w.salvage
        if salvage is not None:
            when = time.strftime("%H:%M UTC", time.gmtime(salvage.at))
            line += (f" The record was damaged; set aside at {when} as {salvage.aside.name}, "
                     f"{salvage.recovered} events recovered from it"
                     f"{f', {salvage.unreadable} unreadable' if salvage.unreadable else ''}.")
        return RecordStatus(
            recording=state == "ok", state=state, line=line, since=w.since, written=w.written,
            dropped=dropped, held=len(self._queue) + len(w.backlog),
            waiting_sync=w.waiting_sync, waiting_export=w.waiting_export, kiosk_id=w.kiosk_id,
            recovered=None if salvage is None else salvage.recovered,
        )

    @property
    def kiosk_id(self) -> str | None:
        """The kiosk's random id, once the writer has read it (None before)."""
        return self._writer.kiosk_id

    def close(self, timeout: float = 10.0) -> bool:
        """Write what is queued, stop the writer and close the file; True if all was written."""
        if self._events.closed:
            return not self._writer.is_alive()
        ok = self.flush(timeout)
        self._events.closed = True
        self._writer.closing = True
        self._writer.wake.set()
        self._writer.join(timeout)
        return ok and not self._writer.is_alive()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
