"""How the kiosk's process allocates memory: glibc's malloc tuned once at start.

Measured with the soak at 1920x1080 (bench/kiosk_soak.py): with glibc's defaults, after 200
visits the heap held 88 MB of free but unreturnable memory beside 155 MB in use, because
full-screen surfaces (8 MB each: fades, veils, rendered text, pictures) were served from the
heap once glibc's sliding mmap threshold had risen past their size, and short-lived ones
left holes between long-lived ones. A fixed threshold serves every block of at least
`MMAP_THRESHOLD` bytes with its own mapping, returned to the system when freed, so resident
memory follows what the caches hold (278 MB instead of 353 MB at visit 200). Two arenas
(`M_ARENA_MAX`) keep the worker and libvlc threads from each growing heaps of their own.
`mallopt` does what the `MALLOC_ARENA_MAX` / `MALLOC_MMAP_THRESHOLD_` variables would,
without re-executing the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD = 256 * 1024
ARENA_MAX = 2


@functools.cache
def _libc_function(name: str):
    """A function of the C library (looked up once), or None where it has none of that name."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD, arena_max: int = ARENA_MAX) -> bool:
    """Apply the settings above through glibc's `mallopt` (call early, before threads start);
    False (and one log line) where the C library is not glibc."""
    mallopt = _libc_function("mallopt")
    if mallopt is None:
        log.info("malloc tuning skipped (the C library has no mallopt: not glibc)")
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    ok = mallopt(M_MMAP_THRESHOLD, int(mmap_threshold)) == 1
    ok = mallopt(M_ARENA_MAX, int(arena_max)) == 1 and ok
    if not ok:
        log.warning("malloc tuning refused by the C library")
    return ok


def trim_heap() -> bool:
    """Hand the heap's free pages back to the system (glibc's `malloc_trim(0)`).

    Blocks under `MMAP_THRESHOLD` still come from the heap; after a visit, the holes its
    short-lived objects left stay resident until trimmed. Called between visits (with the
    garbage collection, where a long frame does not matter); a few milliseconds.
    False where the C library is not glibc."""
    malloc_trim = _libc_function("malloc_trim")
    if malloc_trim is None:
        return False
    malloc_trim.argtypes = (ctypes.c_size_t,)
    malloc_trim.restype = ctypes.c_int
    malloc_trim(0)
    return True
