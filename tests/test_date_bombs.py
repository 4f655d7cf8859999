"""No date bombs: the date-dependent tests pass years ahead of the day they were written.

Consent review dates and helpline ages make validation depend on the date. Tests pass the
suite's one fixed day (tests/support/fixture_date.py) wherever a date matters; this test
proves it by running them with the whole process's clock moved by Debian's faketime to the
days the fixture pack's consent (2028-06-30), the demo pack's helpline age (90 days after
2026-11-28) and the demo pack's consent (2029-06-30) would have broken them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The tests whose answer depends on the date: the demo pack's strict check, the rules about
# review dates and helpline age, the check command, bundles, the kiosk screens on the
# fixture pack. Kept small: each date runs them all.
DATED_TESTS = [
    "tests/content_demo/test_pack.py",
    "tests/content/test_rules.py",
    "tests/content/test_cache_and_cli.py",
    "tests/content/test_bundles.py",
    "tests/kiosk/test_screens.py",
    "tests/distribution/test_fleet_e2e.py",  # the admin publishes and kiosks install as of today
]
FUTURE_DAYS = ["2027-03-01", "2028-07-02", "2029-07-01"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("faketime") is None,
                       reason="needs Debian's faketime (scripts/setup installs it)"),
]


def at(day: str, *command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a command with the process's clock moved to noon on `day`."""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run(["faketime", f"{day} 12:00:00", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("day", FUTURE_DAYS)
def test_the_dated_tests_pass_years_ahead(day):
    moved = at(day, sys.executable, "-c", "import datetime; print(datetime.date.today())")
    assert moved.stdout.strip() == day, f"faketime did not move the clock: {moved.stderr}"
    run = at(day, sys.executable, "-m", "pytest", *DATED_TESTS, "-p", "no:cacheprovider",
             "-q", "-x")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
