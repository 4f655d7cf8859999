"""A least-recently-used cache bounded by bytes, shared by images, sounds and video frames."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.media.errors import MediaError


@dataclass(frozen=True)
class FileKey:
    """A file as it is now: a changed file (mtime or size) gets a new key."""

    path: str
    mtime_ns: int
    size: int


def file_key(path: Path) -> FileKey:
    """The cache key for a file; raises MediaError if it cannot be read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise MediaError(path, f"cannot read the file: {exc.strerror}") from exc
    return FileKey(str(Path(path).resolve()), st.st_mtime_ns, st.st_size)


class ByteBudgetLru:
    """Map keys to values, evicting the least recently used once the byte budget is exceeded."""

    def __init__(self, budget_bytes: int) -> None:
        if budget_bytes <= 0:
            raise ValueError(f"cache budget must be positive, got {budget_bytes}")
        self.budget_bytes = budget_bytes
        self.lent = 0  # bytes of the budget lent out for now (`lend`)
        self.bytes_used = 0
        self.evictions = 0
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable) -> Any | None:
        """Return the value for key (marking it recently used), or None."""
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: Hashable, value: Any, nbytes: int) -> None:
        """Store value; an item larger than the whole budget is kept alone, never refused."""
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes_used -= old[1]
        self._items[key] = (value, nbytes)
        self.bytes_used += nbytes
        self._evict()

    @property
    def limit(self) -> int:
        """The bytes it may hold now: the budget less what is lent out."""
        return max(0, self.budget_bytes - self.lent)

    def lend(self, nbytes: int) -> None:
        """Hold `nbytes` less than the budget until `lend(0)`; the least recently used items
        go at once (the room is for memory that is not in the cache: a film's decoder)."""
        self.lent = max(0, int(nbytes))
        self._evict()

    def _evict(self) -> None:
        # The newest item always stays: the screen asked for it and is about to draw it.
        while self.bytes_used > self.limit and len(self._items) > 1:
            _, (_, size) = self._items.popitem(last=False)
            self.bytes_used -= size
            self.evictions += 1

    def discard(self, key: Hashable) -> None:
        """Forget key if present."""
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes_used -= old[1]

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()
        self.bytes_used = 0
