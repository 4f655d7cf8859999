"""The kiosk and the admin as real processes: sync through crashes and cut connections.

The admin runs under gunicorn on 127.0.0.1 with a temporary instance folder; the kiosk's
record is filled by a real Recorder; `kiosk sync` runs as its own process, through a proxy
that drops an answer after the server stored the batch, cuts a request in half, and holds
one half-sent batch while the test kills the server (SIGKILL, master and workers) and starts
it again. In the end the admin holds every event exactly once, as the kiosk recorded it, and
the kiosk has marked every event sent.
"""

from __future__ import annotations

import os
import subprocess
import time

from admin import create_app
from admin.db import database
from admin.feedback import registry
from kiosk.record import Recorder
from kiosk.sync import Backoff, SyncConfig, Syncer
from tests.support.cutting_proxy import CuttingProxy
from tests.support.feedback import (
    PYTHON,
    ROOT,
    AdminServer,
    admin_count,
    admin_rows,
    play_sessions,
    record_rows,
    same_event,
)
from tests.support.isolation import free_port
from tests.support.waiting import wait_for


def _register(instance) -> str:
    app = create_app({"INSTANCE_PATH": str(instance)})
    database(app).migrate()
    with database(app).session() as db:
        _kiosk, token = registry.register(db, "Hall 1", None, actor_name="test")
        db.commit()
    database(app).dispose()
    return token


def _sync(port: int, token: str, data_dir, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "kiosk", "sync", "--server", f"http://127.0.0.1:{port}", "--token", token,
         "--data-dir", str(data_dir), "--config-dir", str(data_dir), "--batch-size", "40",
         "--retry-base", "0.05", "--retry-max", "0.5", "--retries", "200", "--timeout", "20",
         *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "STORYKIOSK_CONFIG_DIR": str(data_dir)})


def test_every_event_arrives_exactly_once_through_crashes_and_cuts(tmp_path):
    data_dir, instance = tmp_path / "kiosk", tmp_path / "instance"
    with Recorder.open(data_dir, batch_interval=0.01) as recorder:
        play_sessions(recorder, 250, seed=7)
        assert recorder.flush(10)
    recorded = record_rows(data_dir)
    assert len(recorded) > 2000

    token = _register(instance)
    port = free_port()
    server = AdminServer(instance, port)
    server.start()
    proxy = CuttingProxy(port, {3: "drop_answer", 6: "cut_request", 9: "hold",
                                14: "drop_answer", 17: "cut_request"})
    sync = _sync(proxy.port, token, data_dir)
    try:
        assert proxy.held.wait(30), "the sync never reached the held batch"
        before_crash = admin_count(instance / "admin.sqlite3")
        assert 0 < before_crash < len(recorded)
        server.kill()  # mid-batch: the server has read half of the held request
        time.sleep(1.0)  # the kiosk meets a closed port meanwhile and backs off
        server.start()
        out, err = sync.communicate(timeout=120)
    finally:
        if sync.poll() is None:
            sync.kill()
        server.stop()
        proxy.close()
    assert sync.returncode == 0, err
    assert "0 waiting" in out
    assert proxy.done.get("drop_answer") == 2 and proxy.done.get("cut_request") == 2
    assert proxy.done.get("hold") == 1 and proxy.done.get("server_down", 0) >= 1

    stored = {r["id"]: r for r in admin_rows(instance / "admin.sqlite3")}
    kiosk_side = record_rows(data_dir)
    assert len(stored) == len(kiosk_side) == len(recorded)
    assert all(same_event(k, stored[k["id"]]) for k in kiosk_side)
    assert all(k["synced_at"] for k in kiosk_side), "every event marked sent"


def test_a_second_sync_sends_nothing_and_a_revoked_kiosk_is_refused(tmp_path):
    data_dir, instance = tmp_path / "kiosk", tmp_path / "instance"
    with Recorder.open(data_dir, batch_interval=0.01) as recorder:
        play_sessions(recorder, 20, seed=3)
    token = _register(instance)
    port = free_port()
    server = AdminServer(instance, port, workers=1)
    server.start()
    try:
        first = _sync(port, token, data_dir, "--save")
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert (data_dir / "sync.toml").stat().st_mode & 0o777 == 0o600
        again = subprocess.run([PYTHON, "-m", "kiosk", "sync", "--data-dir", str(data_dir)],
                               cwd=ROOT, capture_output=True, text=True, timeout=60,
                               env={**os.environ, "STORYKIOSK_CONFIG_DIR": str(data_dir)})
        assert again.returncode == 0, again.stderr
        assert "Sent 0 events" in again.stdout  # server and token came from sync.toml

        app = create_app({"INSTANCE_PATH": str(instance)})
        with database(app).session() as db:
            kiosk = registry.find(db, token)
            registry.revoke(db, kiosk, None, actor_name="test")
            db.commit()
        database(app).dispose()
        with Recorder.open(data_dir, batch_interval=0.01) as recorder:
            play_sessions(recorder, 1, seed=4, t0=9000.0)
        refused = subprocess.run([PYTHON, "-m", "kiosk", "sync", "--data-dir", str(data_dir)],
                                 cwd=ROOT, capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "STORYKIOSK_CONFIG_DIR": str(data_dir)})
    finally:
        server.stop()
    assert refused.returncode == 1
    assert "revoked" in refused.stderr and "still waiting" in refused.stderr
    assert not all(r["synced_at"] for r in record_rows(data_dir))


def test_the_background_syncer_sends_while_the_kiosk_records_through_a_restart(tmp_path):
    data_dir, instance = tmp_path / "kiosk", tmp_path / "instance"
    token = _register(instance)
    port = free_port()
    server = AdminServer(instance, port, workers=1)
    server.start()
    config = SyncConfig(f"http://127.0.0.1:{port}", token)
    syncer = Syncer(data_dir, config, interval=0.2, batch_size=25,
                    backoff=Backoff(base=0.05, maximum=0.3))
    recorder = Recorder.open(data_dir, batch_interval=0.01)
    try:
        t = play_sessions(recorder, 10, seed=11)
        assert recorder.flush(5)
        syncer.start()
        assert wait_for(lambda: admin_count(instance / "admin.sqlite3") > 0, 20)
        server.kill()
        t = play_sessions(recorder, 10, seed=12, t0=t + 10)  # the kiosk plays on meanwhile
        assert recorder.flush(5)
        assert wait_for(lambda: syncer.last_error is not None, 10)
        server.start()
        t = play_sessions(recorder, 10, seed=13, t0=t + 10)
        assert recorder.flush(5)
        syncer.sync_now()
        assert wait_for(lambda: recorder.status().waiting_sync == 0 or all(
            r["synced_at"] for r in record_rows(data_dir)), 30)
    finally:
        syncer.stop()
        recorder.close()
        server.stop()
    kiosk_side = record_rows(data_dir)
    stored = {r["id"]: r for r in admin_rows(instance / "admin.sqlite3")}
    assert len(stored) == len(kiosk_side) and all(k["synced_at"] for k in kiosk_side)
    assert all(same_event(k, stored[k["id"]]) for k in kiosk_side)
    assert syncer.sent == len(kiosk_side)
