"""Fixtures for the whole suite: what each test process (pytest-xdist worker) keeps to itself,
and the tests that must have the machine to themselves.

- The kiosk's folders default to the user's own (platformdirs: ~/.cache/storykiosk, ...). A
  test that does not name its own would share them with the other workers, other checkouts
  and the person running the tests; here they default to this worker's temporary folder.
- ``@pytest.mark.alone``: a test that measures real time (latency, sound from a real decode,
  a real-time loop, the short soak) runs while no test runs in another worker: it waits for
  the tests running now to end, and no worker starts another until it has ended.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.isolation import alone_or_together


@pytest.fixture(scope="session", autouse=True)
def kiosk_folders_of_this_worker(tmp_path_factory):
    """$STORYKIOSK_DATA_DIR, _CACHE_DIR and _CONFIG_DIR in this worker's temporary folder."""
    base = tmp_path_factory.mktemp("kiosk-folders")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("data", "cache", "config"):
            mp.setenv(f"STORYKIOSK_{name.upper()}_DIR", str(base / name))
        yield base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Run each test (its fixtures' set-up and tear-down too) under the run's lock: shared,
    or exclusive for a test marked ``alone``."""
    if not hasattr(item.config, "workerinput"):  # not an xdist worker: alone already
        return (yield)
    # xdist gives each worker the folder <the run's temporary folder>/<worker> as basetemp
    run_dir = Path(item.config.option.basetemp).parent
    with alone_or_together(run_dir, item.get_closest_marker("alone") is not None):
        return (yield)
