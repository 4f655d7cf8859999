"""Fixtures for the record's tests: a data folder, recorders that close (the tiny tmpfs is
tests/conftest.py's)."""

from __future__ import annotations

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
