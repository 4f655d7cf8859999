"""Fixtures for the record's tests: a data folder, recorders that close, a tiny tmpfs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kiosk.record import Recorder


@pytest.fixture
def open_recorder(tmp_path):
    """Open recorders on a data folder (tmp_path/data by default); all closed at the end."""
    opened: list[Recorder] = []

    def make(data_dir: Path | None = None, **kw) -> Recorder:
        kw.setdefault("batch_interval", 0.01)
        rec = Recorder.open(data_dir or tmp_path / "data", **kw)
        opened.append(rec)
        return rec

    yield make
    for rec in opened:
        rec.close(timeout=5)


@pytest.fixture
def tmpfs(tmp_path):
    """A real 2 MiB tmpfs mounted for this test (needs root and mount); unmounted after."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
