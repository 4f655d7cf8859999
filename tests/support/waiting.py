"""Waiting for something another thread or process does: a condition, a listening port."""

from __future__ import annotations

import socket
import time


def wait_for(predicate, timeout: float = 10.0, step: float = 0.02) -> bool:
    """Poll until predicate() is true or the timeout passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


def wait_port(port: int, timeout: float = 30.0) -> bool:
    """Wait until something accepts connections on 127.0.0.1:port."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False
