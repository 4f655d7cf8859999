"""kiosk.sync against the real admin app in a threaded HTTP server on 127.0.0.1."""

from __future__ import annotations

import random
import threading

import pytest
from werkzeug.serving import make_server

from kiosk.record import Recorder, Store
from kiosk.sync import (
    Backoff,
    Client,
    SyncConfig,
    SyncError,
    Transient,
    load_config,
    save_config,
    sync_once,
)
from tests.support.feedback import play_sessions, record_rows
from tests.support.isolation import free_port


@pytest.fixture
def served(app):
    """The admin app served on a free port for the duration of a test."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def store(tmp_path):
    with Recorder.open(tmp_path / "kiosk", batch_interval=0.01) as rec:
        play_sessions(rec, 150, seed=2)
    s = Store.open(tmp_path / "kiosk")
    yield s
    s.close()


def test_a_batch_above_the_server_limit_is_halved_until_accepted(served, register_kiosk, store):
    client = Client(SyncConfig(served, register_kiosk()))
    total = store.count_unsynced()
    assert total > 1000
    result = sync_once(store, client, batch_size=1500)
    assert result.sent == result.new == total and result.remaining == 0


def test_an_unknown_token_stops_the_sync_and_marks_nothing(served, register_kiosk, store):
    register_kiosk()
    with pytest.raises(SyncError) as info:
        sync_once(store, Client(SyncConfig(served, "sk_wrong")), batch_size=100)
    assert info.value.code == "unknown_token" and info.value.status == 401
    assert store.count_unsynced() == store.total()


def test_no_server_is_retried_with_growing_delays_then_given_up(store):
    delays: list[float] = []
    client = Client(SyncConfig(f"http://127.0.0.1:{free_port()}", "sk_x"), timeout=2)
    with pytest.raises(Transient, match="gave up after 4 retries"):
        sync_once(store, client, retries=4, backoff=Backoff(1.0, 5.0, random.Random(1)),
                  sleep=delays.append)
    assert len(delays) == 4
    assert [0.5 <= delays[0] <= 1.0, 1 <= delays[1] <= 2, 2 <= delays[2] <= 4,
            2.5 <= delays[3] <= 5] == [True] * 4
    assert store.count_unsynced() == store.total()


def test_backoff_doubles_up_to_its_maximum_and_resets():
    b = Backoff(0.5, 4.0, random.Random(3))
    delays = [b.next() for _ in range(8)]
    assert all(lo / 2 <= d <= lo for d, lo in zip(delays, [0.5, 1, 2, 4, 4, 4, 4, 4],
                                                  strict=True))
    b.reset()
    assert b.next() <= 0.5


def test_the_config_file_is_private_and_arguments_win(tmp_path, monkeypatch):
    monkeypatch.delenv("STORYKIOSK_SYNC_SERVER", raising=False)
    monkeypatch.delenv("STORYKIOSK_SYNC_TOKEN", raising=False)
    assert load_config(config_dir=tmp_path) is None
    path = save_config(SyncConfig("https://admin.example.org", 'sk_"q"'), tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_config(config_dir=tmp_path) == SyncConfig("https://admin.example.org",
                                                          'sk_"q"')
    assert load_config("http://127.0.0.1:9", None, tmp_path).server == "http://127.0.0.1:9"
    with pytest.raises(SyncError, match="address"):
        load_config("ftp://x", "sk_x", tmp_path)
    monkeypatch.setenv("STORYKIOSK_SYNC_TOKEN", "sk_env")
    assert load_config(config_dir=tmp_path).token == "sk_env"


def test_sent_events_are_marked_only_after_the_answer(served, register_kiosk, tmp_path):
    with Recorder.open(tmp_path / "k", batch_interval=0.01) as rec:
        play_sessions(rec, 3, seed=9)
    s = Store.open(tmp_path / "k")
    try:
        sync_once(s, Client(SyncConfig(served, register_kiosk())), batch_size=10)
    finally:
        s.close()
    assert all(r["synced_at"] for r in record_rows(tmp_path / "k"))
