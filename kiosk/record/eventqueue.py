"""The way into the record for visitor sessions: journal an event, then queue it for the writer.

A `VisitorSession` is handed one `EventQueue` (by `Recorder.begin_session`) and puts its
events there; it knows nothing else of the recorder. `put` runs on the kiosk's main thread
within a frame, so it never waits on the disk.
"""

from __future__ import annotations

import json
import time
from collections import deque

from kiosk.record.journal import Journal, new_id
from kiosk.record.writer import Writer

_WRITING = ("ok", "starting")  # writer states in which a queued event will be written


class EventQueue:
    """Events from the main thread to the writer thread, each journaled first."""

    def __init__(self, queue: deque, journal: Journal, writer: Writer, max_backlog: int):
        self.closed = False
        self._queue = queue
        self._append = queue.append
        self._journal = journal
        self._journal_append = journal.append
        self._dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        self._writer = writer
        self._max_backlog = max_backlog

    def put(self, session_id: str, offset_ms: int, kind: str, fields: dict) -> bool:
        """Journal and queue one checked event; False when it will not be recorded."""
        if self.closed:
            return False
        w = self._writer
        if not w.is_alive() or (w.state not in _WRITING and len(w.backlog) + len(self._queue)
                                >= self._max_backlog):
            # No writer left, or stopped with the memory hold full (the writer keeps the
            # oldest and drops the newest): this event would be dropped, so it is not taken.
            w.refused += 1  # only this thread writes it
            return False
        if self._journal.enabled:
            # One os.write into the page cache (no fsync: the frame never waits on the disk),
            # then the queue; once this returns the event survives the process being killed.
            self._journal_append((new_id(), session_id, offset_ms, time.time(), kind,
                                  self._dumps(fields)))
        else:
            # deque.append is atomic and lock-free under the GIL; the writer makes the id.
            self._append((session_id, offset_ms, time.time(), kind, fields))
        return True
