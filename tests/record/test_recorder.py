"""A kiosk records a visit: what lands in the file, and what never does."""

from __future__ import annotations

import logging
import re
import sqlite3
import time

import pytest

from kiosk.record import EventRefused, Recorder
from tests.support.record_rows import rows
from tests.support.waiting import wait_for


def play_visit(rec: Recorder, t0: float):
    s = rec.begin_session("demo", "1.0.0", "sv", school_code="KL-7B", at=t0,
                          free_text_questions={"why"})
    s.record("story_started", at=t0 + 1.0, story="mara")
    s.record_runtime({"event": "scene_entered", "story": "mara", "scene": "home", "t": t0 + 1.0})
    s.record_runtime({"event": "choice_made", "story": "mara", "scene": "home", "choice": 2,
                      "t": t0 + 6.5})
    s.record_runtime({"event": "scene_entered", "story": "mara", "scene": "end", "t": t0 + 7.0})
    s.record_runtime({"event": "story_ended", "story": "mara", "ending": "help", "t": t0 + 9.25})
    s.record("survey_answer", at=t0 + 10, question="q1", answer=4, phase="after", story="mara")
    s.record("free_text", at=t0 + 11, question="why", text="Because it felt real.")
    s.end("done", at=t0 + 12)
    return s


def test_a_visit_is_recorded_in_order_with_offsets(open_recorder, tmp_path):
    rec = open_recorder()
    t0 = time.monotonic()
    play_visit(rec, t0)
    assert rec.flush(5)
    got = rows(tmp_path / "data")
    kinds = [(r["kind"], r["offset_ms"]) for r in got]
    assert kinds == [
        ("session_started", 0), ("story_started", 1000), ("scene_shown", 6500),
        ("choice_made", 6500), ("story_finished", 9250), ("survey_answer", 10000),
        ("free_text", 11000), ("scene_shown", 12000), ("session_ended", 12000),
    ]
    assert got[0]["payload"] == {"pack": "demo", "pack_version": "1.0.0", "language": "sv",
                                 "school_code": "KL-7B"}
    assert got[2]["payload"] == {"story": "mara", "scene": "home", "duration_ms": 5500}
    assert got[4]["payload"] == {"story": "mara", "ending": "help"}
    assert got[6]["payload"]["moderation"] == "pending"
    # The ending stays on screen (with its helplines) until the visit ends.
    assert got[7]["payload"] == {"story": "mara", "scene": "end", "duration_ms": 5000}
    assert got[8]["payload"] == {"reason": "done"}
    # One session id, one kiosk id, distinct random event ids, minutes only.
    assert len({r["session_id"] for r in got}) == 1
    assert {r["kiosk_id"] for r in got} == {rec.kiosk_id}
    assert len({r["id"] for r in got}) == len(got)
    for r in got:
        assert re.fullmatch(r"[0-9a-f]{32}", r["id"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ", r["at_minute"])
    now_minute = time.strftime("%Y-%m-%dT%H:%M", time.gmtime())
    assert got[0]["at_minute"][:13] == now_minute[:13]


def test_each_visit_gets_a_new_random_session_id_that_is_forgotten(open_recorder, tmp_path):
    rec = open_recorder()
    a = rec.begin_session("demo", "1", "en")
    b = rec.begin_session("demo", "1", "en")
    a.end("leave_now", story="mara", scene="offer")
    assert not a.active and "ended" in repr(a)
    assert a.record("story_started", story="mara") is False  # late events are dropped
    b.end("idle_reset")
    assert rec.flush(5)
    got = rows(tmp_path / "data")
    assert len({r["session_id"] for r in got}) == 2
    a_rows = [r for r in got if r["session_id"] == got[0]["session_id"]]
    assert [r["kind"] for r in a_rows] == ["session_started", "leave_now", "session_ended"]
    assert a_rows[1]["payload"] == {"story": "mara", "scene": "offer"}
    assert a_rows[2]["payload"] == {"reason": "leave_now"}
    for s in (a, b):
        assert not any(re.search(r"[0-9a-f]{32}", str(v)) for v in (repr(s),))


def test_refusals_come_back_to_the_caller_and_nothing_is_written(open_recorder, tmp_path):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    with pytest.raises(EventRefused):
        s.record("story_started", story="mara", visitor="Anna")
    with pytest.raises(EventRefused, match="free text"):
        s.record("free_text", question="not-asked", text="hello")
    with pytest.raises(EventRefused):
        s.record("session_started", pack="x", pack_version="1", language="en")
    with pytest.raises(EventRefused):
        rec.begin_session("demo", "1", "en", school_code="Class of Mrs Svensson")
    with pytest.raises(EventRefused):
        s.end("bored")
    assert rec.flush(5)
    assert [r["kind"] for r in rows(tmp_path / "data")] == ["session_started"]


def test_kiosk_id_is_random_created_once_and_kept(open_recorder, tmp_path):
    first = open_recorder(tmp_path / "a")
    assert first.flush(5)
    kid = first.kiosk_id
    first.close()
    again = open_recorder(tmp_path / "a")
    assert again.flush(5) and again.kiosk_id == kid
    other = open_recorder(tmp_path / "b")
    assert other.flush(5) and other.kiosk_id != kid
    assert (tmp_path / "a" / "kiosk-id").read_text().strip() == kid


def test_status_counts_and_close(open_recorder, tmp_path):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    for i in range(9):
        s.record("choice_made", story="m", scene="s", choice=i)
    assert rec.flush(5)
    assert wait_for(lambda: rec.status().waiting_sync == 10)
    st = rec.status()
    assert st.recording and st.state == "ok" and st.line == "Recording: ok."
    assert st.written == 10 and st.dropped == 0 and st.held == 0 and st.waiting_export == 10
    assert rec.close()
    assert rec.status().state == "closed"
    assert s.record("story_started", story="m") is False


def test_file_is_wal_with_schema_version(open_recorder, tmp_path):
    rec = open_recorder()
    assert rec.flush(5)
    conn = sqlite3.connect(tmp_path / "data" / "record.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
    conn.close()
    from kiosk.record import Store

    store = Store.open(tmp_path / "data")
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    store.close()


def test_flush_with_fsync_checkpoints(open_recorder, tmp_path):
    rec = open_recorder()
    rec.begin_session("demo", "1", "en").end()
    assert rec.flush(5, fsync=True)
    wal = tmp_path / "data" / "record.sqlite3-wal"
    conn = sqlite3.connect(f"file:{tmp_path / 'data' / 'record.sqlite3'}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    conn.close()
    assert wal.exists()


def test_leave_now_ends_the_session_even_with_bad_fields(open_recorder, tmp_path):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    with pytest.raises(EventRefused):
        s.end("leave_now", story="mara", scene=None)
    assert not s.active
    assert rec.flush(5)
    got = rows(tmp_path / "data")
    assert [(r["kind"], r["payload"]) for r in got[1:]] == [
        ("leave_now", {}), ("session_ended", {"reason": "leave_now"})]


def test_no_session_id_reaches_the_log(open_recorder, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    rec = open_recorder(retry_interval=0.1)
    s = rec.begin_session("demo", "1", "en")
    s.record("story_started", story="mara")
    with pytest.raises(EventRefused):
        s.record("story_started", story="Anna Svensson")
    s.end("leave_now", story="mara", scene="offer")
    assert rec.flush(5)
    logging.getLogger("test").info("visit: %r", s)
    (sid,) = {r["session_id"] for r in rows(tmp_path / "data")}
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert sid not in text and "Anna" not in text


def test_a_garbled_kiosk_id_file_is_replaced_and_recording_goes_on(open_recorder, tmp_path):
    # A kiosk id file cut short by a power cut or overwritten by a tool: not an id, and not
    # even text. The kiosk takes a new random id and records; it never stops for good.
    data = tmp_path / "data"
    data.mkdir()
    (data / "kiosk-id").write_bytes(b"\xff\xfe\x00\x9c half a sector")
    rec = open_recorder(data)
    rec.begin_session("demo", "1", "en").end()
    assert rec.flush(5)
    assert rec.status().state == "ok"
    kid = (data / "kiosk-id").read_text("ascii").strip()
    assert re.fullmatch(r"[0-9a-f]{32}", kid) and rec.kiosk_id == kid
    assert [(r["kind"], r["kiosk_id"]) for r in rows(data)] == [
        ("session_started", kid), ("session_ended", kid)]
