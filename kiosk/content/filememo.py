"""Results computed from a file's bytes, remembered while the file stays the same.

The validator reads every media file a pack names (a header sniff, a subtitle parse, the
codecs: about 450 files and 60 % of a load of the demo pack), and the admin loads a pack on
many requests. A result is kept under the file's identity and version: device, inode, size,
modification time and change time. Any write, rename over it or chmod moves the change time,
which no program can set back, so a changed file never meets its old result. A file changed
in the last RACY_NS is computed but not remembered: within one tick of the file system's
clock, a second write could leave every one of those fields as they were (git's "racily
clean" entries).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
RACY_NS = 2_000_000_000
KEPT = 4096


class FileMemo:
    """Remembers `compute()` for (file version, `extra`); least recently used out first."""

    def __init__(self, kept: int = KEPT):
        self.kept = kept
        self._values: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: os.PathLike | str, extra: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`'s result for the file as it is now (computed again once it changed)."""
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return compute()  # no file to key on: the computation says what is wrong
        key = (os.fspath(path), extra, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
               st.st_ctime_ns)
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
        value = compute()
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > RACY_NS:
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.kept:
                    self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._values.clear()
