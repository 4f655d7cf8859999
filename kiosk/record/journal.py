"""The append journal: what makes an event survive `kill -9` from the moment `record()` returns.

`record()` writes one line per event with `os.write` to an append-only file in the data folder
(`record.journal.<ns>-<pid>`) before it queues the event for the writer thread. `os.write`
hands the bytes to the operating system's page cache and returns: no `fsync`, no waiting on
the disk (the SQLite file is where the writer's commits land; a power cut is covered there,
by WAL with `synchronous=NORMAL`, up to its last moments). A killed process leaves the page
cache intact, so the line is there; at the next start the writer replays every journal that
no living recorder holds (an exclusive `flock` marks a live one) into SQLite, skipping events
already committed (their random ids are unique), and deletes it.

The writer rotates to a new file every `ROTATE_BYTES`; an old file is deleted once every
event written to it is committed (a `SegmentEnd` marker travels through the queue behind
them). When the journal cannot be written (disk full, read-only) or grows past `MAX_BYTES`
(SQLite refusing writes for a long time), `record()` stops journaling and goes on queueing;
the writer logs one line and opens a new journal when recording is back to normal.

Line format (UTF-8): id, session id, offset ms, epoch seconds, kind, payload JSON, separated
by tabs (JSON escapes tabs and newlines), ending with a newline. A last line cut short by the
kill belongs to a `record()` that had not returned; it is skipped.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
import time
from pathlib import Path

from kiosk.record.kinds import KINDS

try:
    import fcntl
except ImportError:  # not POSIX: no locks; only this process's own files are left alone
    fcntl = None

log = logging.getLogger("kiosk.record")

PREFIX = "record.journal."
ROTATE_BYTES = 1 << 20
MAX_BYTES = 16 << 20
_HEX = frozenset("0123456789abcdef")


# A uuid4 as 32 hex digits from os.urandom, without building a UUID object (about half the
# cost of uuid.uuid4().hex, on the main thread): version 4 and the RFC 4122 variant bits set.
_ID_MASK = ((1 << 128) - 1) ^ (0xF000 << 64) ^ (0xC000 << 48)
_ID_BITS = (0x4000 << 64) | (0x8000 << 48)


def new_id(_urandom=os.urandom, _from_bytes=int.from_bytes) -> str:
    """A random event id: a uuid4 in hex (what uuid.uuid4().hex gives), made cheaply."""
    return "%032x" % (_from_bytes(_urandom(16), "big") & _ID_MASK | _ID_BITS)


def minute_text(epoch: float) -> str:
    """UTC wall-clock time rounded to the nearest minute (half a minute rounds up)."""
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(int((epoch + 30) // 60) * 60))


class SegmentEnd:
    """Queued behind the last event written to a journal file: once they are committed the
    file can go."""

    __slots__ = ("fd", "path")

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path


class Journal:
    """The journal file `record()` writes to; shared by the recorder and its writer thread."""

    def __init__(self, data_dir: Path, queue_append, enabled: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.enabled = enabled
        self.lock = threading.Lock()
        self._queue_append = queue_append
        self.fd: int | None = None
        self.path: Path | None = None
        self.size = 0
        self.error: str | None = None  # why the journal stopped, for the writer's log line
        if enabled:
            self.install(self.open_new())

    def append(self, item: tuple) -> None:
        """Write the event's line (if journaling), then queue it, in that order, atomically
        with respect to rotation. Never raises for the disk."""
        eid, sid, offset, epoch, kind, payload = item
        data = f"{eid}\t{sid}\t{offset}\t{epoch:.3f}\t{kind}\t{payload}\n".encode()
        with self.lock:
            fd = self.fd
            if fd is not None:
                try:
                    written = os.write(fd, data)
                    self.size += written
                    if written != len(data):  # the disk filled up mid-line: say so
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    if self.size >= MAX_BYTES:
                        self._stop(f"it reached {MAX_BYTES >> 20} MiB while the record is "
                                   f"not being written")
                except OSError as exc:
                    self._stop(f"{exc.strerror or exc}")
            self._queue_append(item)

    def _stop(self, why: str) -> None:
        # Under the lock. The file is retired by the writer once what it holds is committed.
        self._queue_append(SegmentEnd(self.fd, self.path))
        self.fd = self.path = None
        self.error = why

    def open_new(self) -> tuple[int, Path] | None:
        """Create and lock a new journal file (any thread); None when the disk refuses."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path = self.data_dir / f"{PREFIX}{time.time_ns():020d}-{os.getpid()}"
            # O_CLOEXEC changes nothing in Python (os.open's descriptors are never inherited,
            # PEP 446): its mutants are equivalent, so its line is not mutated.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
                         | getattr(os, "O_CLOEXEC", 0),  # pragma: no mutate
                         0o600)
        except OSError as exc:
            self.error = exc.strerror or str(exc)
            return None
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new file: nobody else holds it
        return fd, path

    def install(self, segment: tuple[int, Path] | None) -> None:
        """Make `segment` the file `record()` writes to; the old one is retired behind the
        events written to it."""
        if segment is None:
            return
        with self.lock:
            if self.fd is not None:
                self._queue_append(SegmentEnd(self.fd, self.path))
            self.fd, self.path = segment
            self.size = 0
            self.error = None

    def take(self) -> SegmentEnd | None:
        """Stop journaling (at close); the current file, to retire once all is committed."""
        with self.lock:
            if self.fd is None:
                return None
            end = SegmentEnd(self.fd, self.path)
            self.fd = self.path = None
            return end


def retire(end: SegmentEnd, delete: bool) -> None:
    """Close a journal file of this process; delete it when all it holds is committed."""
    try:
        if delete:
            os.unlink(end.path)
    except OSError as exc:  # kept: the next start replays it, duplicates are skipped
        log.warning("record: could not delete the journal %s (%s)", end.path.name, exc)
    finally:
        os.close(end.fd)


def leftovers(data_dir: Path, own: set[Path]) -> list[Path]:
    """Journal files in the folder not written by this process, oldest first."""
    return sorted((p for p in Path(data_dir).glob(PREFIX + "*") if p not in own),
                  key=lambda p: p.name)


def replay(store, data_dir: Path, kiosk_id: str, own: set[Path]) -> int:
    """Put the events of journals that no living recorder holds into the store; delete each
    journal once its events are committed. Returns how many events were new."""
    added = 0
    for path in leftovers(data_dir, own):
        try:
            fd = os.open(path,
                         os.O_RDONLY | getattr(os, "O_CLOEXEC", 0),  # pragma: no mutate
                         )
        except FileNotFoundError:
            continue  # another recorder replayed it meanwhile
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a living recorder writes it
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read()
            rows, bad = parse(data, kiosk_id)
            if bad:
                log.warning("record: %d unreadable lines skipped in the journal %s", bad,
                            path.name)
            if rows:
                added += store.append_rows(rows, ignore_duplicates=True)
            os.unlink(path)
        finally:
            os.close(fd)
    if added:
        log.info("record: %d events recovered from the journal of an earlier run", added)
    return added


def parse(data: bytes, kiosk_id: str) -> tuple[list[tuple], int]:
    """The store rows of a journal's complete lines, and how many complete lines were bad."""
    lines = data.split(b"\n")
    lines.pop()  # after the last newline: empty, or a line cut short by the kill
    rows, bad = [], 0
    for raw in lines:
        try:
            eid, sid, offset, epoch, kind, payload = raw.decode().split("\t")
            if not (len(eid) == len(sid) == 32 and _HEX.issuperset(eid + sid)) \
                    or kind not in KINDS or not isinstance(json.loads(payload), dict):
                raise ValueError(raw[:80])
            rows.append((eid, kiosk_id, sid, minute_text(float(epoch)), int(offset), kind,
                         payload))
        except ValueError:  # includes bad UTF-8 and bad JSON
            bad += 1
    return rows, bad
