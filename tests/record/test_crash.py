"""Power cut, as near as a test gets: kill -9 a recording process at random moments, many times.

Every event whose `flush()` returned must be in the file afterwards, and the file must pass
`PRAGMA integrity_check`. The same data folder is reused, so kills also land in opening,
quick_check, migration and retention of a file that earlier kills left behind.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def kill_at_random(data_dir: Path, tag: str, rng: random.Random) -> int:
    """Run the child, kill it with SIGKILL at a random moment; returns the last flushed count."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), tag],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    # Early kills land in start-up and opening; later ones in steady writing.
    delay = rng.choice([rng.uniform(0.0, 0.25), rng.uniform(0.25, 0.7)])
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == -signal.SIGKILL, err.decode()
    flushed = 0
    for line in out.decode().splitlines():
        if line.startswith("FLUSHED "):
            flushed = int(line.split()[1])
    return flushed


def check_survivors(data_dir: Path, tag: str, flushed: int) -> None:
    conn = sqlite3.connect(data_dir / "record.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events'").fetchone():
            # Killed between creating the file and committing the first migration.
            assert flushed == 0
            return
        scenes = {r[0] for r in conn.execute(
            "SELECT json_extract(payload, '$.scene') FROM events WHERE kind = 'choice_made'"
            " AND json_extract(payload, '$.scene') LIKE ?", (f"{tag}-%",))}
    finally:
        conn.close()
    missing = [i for i in range(flushed) if f"{tag}-{i}" not in scenes]
    aside = [p.name for p in data_dir.glob("record.sqlite3.corrupt-*")]
    assert not missing, (f"{len(missing)} of {flushed} flushed events lost in run {tag}, "
                         f"first {missing[:5]}; files moved aside: {aside}")


def run_kills(tmp_path: Path, times: int, seed: int) -> int:
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    total = 0
    for i in range(times):
        tag = f"r{i}"
        flushed = kill_at_random(data_dir, tag, rng)
        total += flushed
        if (data_dir / "record.sqlite3").exists():
            check_survivors(data_dir, tag, flushed)
        else:
            assert flushed == 0
    return total


def test_kill_minus_nine_loses_no_flushed_event(tmp_path):
    total = run_kills(tmp_path, times=25, seed=7)
    assert total > 300  # the kills did land while events were being written


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("STORYKIOSK_SOAK"),
                    reason="a 300-kill soak (minutes): set STORYKIOSK_SOAK=1 to run it")
def test_kill_minus_nine_soak(tmp_path):
    assert run_kills(tmp_path, times=300, seed=int(time.time())) > 10_000
