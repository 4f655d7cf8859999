"""What tests running side by side must not share, and how each gets its own.

The suite runs on every core (pytest-xdist, see docs/testing.md), and other checkouts may run
theirs on the same machine at the same time. So nothing a test starts may pick a shared
resource by looking whether it is free and then taking it a moment later, when a neighbour
may have looked too:

- ``free_port()``: a TCP port on 127.0.0.1 the kernel will hand to nobody else for a minute.
- ``start_xvfb(size)``: an Xvfb server on a display number that X itself picked as free.
- ``worker()``: this pytest-xdist worker's name ("gw0", "gw1", ...; "" when run serially),
  for resources that must be one per worker (``tests/support/pgschema.py``: a database each).
- ``alone_or_together(folder, alone)``: the lock behind ``@pytest.mark.alone``
  (``tests/conftest.py``): a timing-sensitive test runs while no other test runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import ephemeral_port_reserve


def worker() -> str:
    """This pytest-xdist worker's name, or "" outside xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on, reserved for a server to bind.

    A port found free by binding port 0 and closing can be handed to a neighbour before our
    server binds it. The reserved port is left in TIME_WAIT, so the kernel hands it to no
    one else for a minute while a server (gunicorn, werkzeug: SO_REUSEADDR) may bind it.
    """
    return ephemeral_port_reserve.reserve("127.0.0.1")


def start_xvfb(size: tuple[int, int], timeout: float = 30.0) -> tuple[str, subprocess.Popen]:
    """A new Xvfb server of this size, ready for clients: (":N", its process).

    ``-displayfd`` makes Xvfb take the first free display number itself (its lock file is
    created atomically) and write it to us once it accepts connections; looking for a free
    number ourselves raced with every other test starting an X server at the same moment.
    """
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                             f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = b""
    deadline = time.monotonic() + timeout
    try:
        while not number.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read_end], [], [], left)[0]:
                raise AssertionError(f"Xvfb did not start in {timeout:.0f} s")
            chunk = os.read(read_end, 16)
            if not chunk:
                raise AssertionError(f"Xvfb stopped before it started (status {proc.wait()})")
            number += chunk
    except BaseException:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        raise
    finally:
        os.close(read_end)
    return f":{int(number)}", proc


@contextlib.contextmanager
def alone_or_together(folder: Path, alone: bool) -> Iterator[None]:
    """Run the body alone (no other holder inside) or together with other non-alone holders.

    A readers-writer lock over two lock files in ``folder``, shared by the workers of a run.
    The gate keeps a waiting ``alone`` test from starving: once it holds the gate, no worker
    enters the room, and it gets the room as soon as the tests inside now have ended.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "alone.gate", "a") as gate, open(folder / "alone.room", "a") as room:
        fcntl.flock(gate, fcntl.LOCK_EX)
        if not alone:
            fcntl.flock(room, fcntl.LOCK_SH)
            fcntl.flock(gate, fcntl.LOCK_UN)
        else:
            fcntl.flock(room, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(room, fcntl.LOCK_UN)
            fcntl.flock(gate, fcntl.LOCK_UN)
