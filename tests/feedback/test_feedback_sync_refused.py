"""kiosk sync with events the admin refuses, and its refusal of plain http (issue 17)."""

from __future__ import annotations

import subprocess
import threading
import tomllib

import pytest
from sqlalchemy import select

from admin.db import database
from admin.models_feedback import FeedbackEvent, Kiosk
from kiosk.record import Recorder, Store
from kiosk.sync import Client, SyncConfig, SyncError, check_server, load_config, sync_once
from tests.feedback.test_feedback_sync_client import served  # noqa: F401 (the fixture)
from tests.support.feedback import PYTHON, ROOT, play_sessions, record_rows


def _record_with_free_text(data_dir, before=2, after=6):
    """Sessions, one with a free-text answer the admin will refuse, then more sessions."""
    with Recorder.open(data_dir, batch_interval=0.01) as rec:
        t = play_sessions(rec, before, seed=3)
        s = rec.begin_session("demo", "1.0.0", "sv", free_text_questions={"q-why"}, at=t + 5)
        s.record("free_text", question="q-why", text="It was like my aunt's story", at=t + 6)
        s.end("done", at=t + 7)
        play_sessions(rec, after, seed=4, t0=t + 20)


@pytest.mark.parametrize("batch_size", [10, 1])
def test_a_refused_event_is_set_aside_and_the_others_go_on(served, register_kiosk, app,  # noqa: F811
                                                           as_role, tmp_path, batch_size):
    data = tmp_path / "kiosk"
    _record_with_free_text(data)
    rows = record_rows(data)
    [refused_row] = [r for r in rows if r["kind"] == "free_text"]
    behind = [r for r in rows if r["id"] != refused_row["id"]]
    assert len(behind) > 42  # more than the 42 events stuck behind one
    client = Client(SyncConfig(served, register_kiosk()))
    store = Store.open(data)
    stop = threading.Event()  # a sync stuck on the refused event ends (and fails) in 20 s
    timer = threading.Timer(20, stop.set)
    timer.start()
    try:
        result = sync_once(store, client, batch_size=batch_size, stop=stop)
        assert (result.refused, result.remaining, result.sent) == (1, 0, len(behind))
        assert store.count_refused() == 1 and store.pending_batch(100) == []
        again = sync_once(store, client, batch_size=batch_size)  # nothing is sent again
        assert (again.sent, again.refused, again.batches) == (0, 0, 0)
        code, = store.conn.execute("SELECT code FROM refused WHERE id = ?",
                                   (refused_row["id"],)).fetchone()
        assert code == "free_text_not_asked"
    finally:
        timer.cancel()
        store.close()
    after = {r["id"]: r["synced_at"] for r in record_rows(data)}
    assert after.pop(refused_row["id"]) is None  # kept in the record, not marked as sent
    assert all(after.values())
    with database(app).session() as db:
        assert db.scalar(select(Kiosk.refused)) == 1
        held = set(db.scalars(select(FeedbackEvent.id)))
    assert held == {r["id"] for r in behind}
    page = as_role("curator").get("/kiosks/").get_data(as_text=True)
    assert '<td class="refused">1</td>' in page


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://127.3.4.5", "http://[::1]:80",
                                 "http://localhost:8000/", "http://LOCALHOST",
                                 "https://admin.example.org", "https://10.0.0.5"])
def test_https_and_plain_http_to_this_machine_are_taken(url):
    assert check_server(url) == url


@pytest.mark.parametrize("url", ["http://admin.example.org", "http://10.0.0.5:8000",
                                 "http://[2001:db8::1]", "http://128.0.0.1",
                                 "http://localhost.example.org", "http://127.0.0.1.nip.io"])
def test_plain_http_to_another_machine_is_refused_unless_allowed(url):
    with pytest.raises(SyncError, match="allow-insecure-http") as exc:
        check_server(url)
    assert exc.value.code == "insecure_http"
    assert check_server(url, allow_insecure_http=True) == url


def test_the_command_refuses_plain_http_and_remembers_the_allowance(tmp_path, monkeypatch):
    monkeypatch.delenv("STORYKIOSK_SYNC_SERVER", raising=False)
    monkeypatch.delenv("STORYKIOSK_SYNC_TOKEN", raising=False)
    base = [PYTHON, "-m", "kiosk", "sync", "--server", "http://10.0.0.5:8000", "--token", "sk_t",
            "--data-dir", str(tmp_path / "data"), "--config-dir", str(tmp_path / "config")]
    refused = subprocess.run(base, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert refused.returncode == 1 and "--allow-insecure-http" in refused.stderr
    assert not (tmp_path / "config" / "sync.toml").exists()
    allowed = subprocess.run(base + ["--allow-insecure-http", "--save"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
    assert "no record" in allowed.stderr  # past the address check; nothing recorded yet
    saved = tomllib.loads((tmp_path / "config" / "sync.toml").read_text())
    assert saved["allow_insecure_http"] is True
    assert load_config(config_dir=tmp_path / "config").allow_insecure_http
