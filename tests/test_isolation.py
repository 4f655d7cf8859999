"""Tests running side by side get their own: ports, X displays, databases, kiosk folders; and a
test marked ``alone`` runs while no other does (tests/support/isolation.py, tests/conftest.py)."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.support.isolation import free_port, start_xvfb

ROOT = Path(__file__).resolve().parents[1]


def test_a_free_port_is_kept_from_others_but_a_server_can_bind_it():
    port = free_port()
    # Anyone else asking for that port without SO_REUSEADDR is refused for a while ...
    with socket.socket() as other, pytest.raises(OSError) as refused:
        other.bind(("127.0.0.1", port))
    assert refused.value.errno == errno.EADDRINUSE
    # ... while a server (gunicorn and werkzeug set SO_REUSEADDR) binds and listens on it.
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(1)
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass


@pytest.mark.xvfb
@pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdpyinfo")),
                    reason="needs Xvfb and xdpyinfo")
def test_x_servers_started_at_the_same_moment_get_displays_of_their_own():
    started, errors = [], []
    barrier = threading.Barrier(3)

    def start():
        barrier.wait()
        try:
            started.append(start_xvfb((320, 240)))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        displays = [display for display, _proc in started]
        assert len(set(displays)) == 3, displays
        for display, proc in started:
            assert proc.poll() is None, f"the Xvfb of {display} has stopped"
            info = subprocess.run(["xdpyinfo", "-display", display], capture_output=True,
                                  text=True, timeout=30)
            assert info.returncode == 0 and "320x240 pixels" in info.stdout, info.stderr
    finally:
        for _display, proc in started:
            proc.terminate()
            proc.wait(10)


HOLDER = """
import sys, time
from pathlib import Path
from tests.support.isolation import alone_or_together
folder, name, alone = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "alone"
with alone_or_together(folder / "locks", alone):
    (folder / ("in-" + name)).touch()
    deadline = time.monotonic() + 60
    while not (folder / ("release-" + name)).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
"""


def test_an_alone_holder_waits_for_the_others_and_keeps_new_ones_out(tmp_path):
    import fcntl

    procs = {}

    def spawn(name, kind):
        procs[name] = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path), name,
                                        kind], cwd=ROOT)

    def inside(name):
        return (tmp_path / f"in-{name}").exists()

    def wait_until(predicate, what):
        deadline = time.monotonic() + 60
        while not predicate():
            assert time.monotonic() < deadline, what
            time.sleep(0.02)

    def gate_held():
        with open(tmp_path / "locks" / "alone.gate", "a") as gate:
            try:
                fcntl.flock(gate, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(gate, fcntl.LOCK_UN)
            return False

    spawn("a", "together")
    spawn("b", "together")
    wait_until(lambda: inside("a") and inside("b"), "two tests did not run side by side")
    spawn("alone", "alone")
    wait_until(gate_held, "the alone test never asked for the lock")
    spawn("c", "together")
    time.sleep(0.5)
    assert not inside("alone"), "the alone test ran beside two others"
    assert not inside("c"), "a test started while an alone one was waiting"
    (tmp_path / "release-a").touch()
    (tmp_path / "release-b").touch()
    wait_until(lambda: inside("alone"), "the alone test did not start when the others ended")
    time.sleep(0.5)
    assert not inside("c"), "a test started beside the alone one"
    (tmp_path / "release-alone").touch()
    wait_until(lambda: inside("c"), "the tests after the alone one did not go on")
    (tmp_path / "release-c").touch()
    for name, p in procs.items():
        assert p.wait(60) == 0, name


def test_the_kiosk_folders_default_to_this_workers_own(tmp_path_factory):
    from kiosk.paths import cache_dir, config_dir, data_dir

    home = Path.home().resolve()
    base = tmp_path_factory.getbasetemp().resolve()
    for folder in (cache_dir(), data_dir(), config_dir()):
        assert folder.resolve().is_relative_to(base), folder
        assert not folder.resolve().is_relative_to(home), folder


@pytest.mark.postgres
def test_each_worker_has_a_postgresql_database_of_its_own(monkeypatch):
    base = os.environ.get("STORYKIOSK_TEST_DATABASE_URL")
    if not base:
        pytest.skip("STORYKIOSK_TEST_DATABASE_URL is not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.support.pgschema import database_urls

    names = {}
    for worker in ("gw0", "gw1"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        urls = database_urls("postgresql", None)
        url = next(urls)
        engine = create_engine(url)
        with engine.connect() as conn:
            names[worker] = conn.execute(text("SELECT current_database()")).scalar()
        engine.dispose()
        urls.close()
    base_name = make_url(base).database
    assert names == {"gw0": f"{base_name}_gw0", "gw1": f"{base_name}_gw1"}
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    urls = database_urls("postgresql", None)
    engine = create_engine(next(urls))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_database()")).scalar() == base_name
    engine.dispose()
    urls.close()
