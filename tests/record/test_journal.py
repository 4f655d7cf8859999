"""The append journal (kiosk.record.journal) and the wall-clock minute: rounded, not truncated."""

from __future__ import annotations

import calendar
import json
import logging
import os
import time
import uuid

from kiosk.record import Recorder
from kiosk.record.journal import PREFIX, ROTATE_BYTES, minute_text
from tests.support.record_rows import rows
from tests.support.waiting import wait_for


def epoch(text: str) -> float:
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%S"))


def test_the_minute_is_rounded_to_the_nearest():
    assert minute_text(epoch("2026-11-28T09:30:00")) == "2026-11-28T09:30Z"
    assert minute_text(epoch("2026-11-28T09:30:29") + 0.999) == "2026-11-28T09:30Z"
    assert minute_text(epoch("2026-11-28T09:30:30")) == "2026-11-28T09:31Z"  # half rounds up
    assert minute_text(epoch("2026-11-28T09:30:59")) == "2026-11-28T09:31Z"
    assert minute_text(epoch("2026-12-31T23:59:45")) == "2027-01-01T00:00Z"


def line(eid: str, sid: str, offset: int, at: float, kind: str, payload: dict) -> bytes:
    return (f"{eid}\t{sid}\t{offset}\t{at:.3f}\t{kind}\t"
            f"{json.dumps(payload, separators=(',', ':'))}\n").encode()


def test_a_dead_journal_is_replayed_rounded_once_and_deleted(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    first = Recorder.open(data, batch_interval=0.01)
    s = first.begin_session("demo", "1", "en")
    s.record("story_started", story="mara")
    assert first.close()
    committed = rows(data)
    sid = uuid.uuid4().hex
    ids = [uuid.uuid4().hex for _ in range(3)]
    # A journal as a killed kiosk leaves it: one event already committed (its id is in the
    # file), three that were not, a line that is not an event, and a last line cut short.
    journal = data / f"{PREFIX}{time.time_ns():020d}-99999"
    journal.write_bytes(
        line(committed[0]["id"], committed[0]["session_id"], 0, time.time(), "story_started",
             {"story": "mara"})
        + line(ids[0], sid, 0, epoch("2026-11-28T09:30:29"), "story_started", {"story": "ion"})
        + line(ids[1], sid, 1500, epoch("2026-11-28T09:30:31"), "choice_made",
               {"story": "ion", "scene": "dock", "choice": 2})
        + b"not\tan\tevent\n"
        + line(ids[2], sid, 2000, epoch("2026-11-28T09:59:50"), "story_left",
               {"story": "ion", "scene": "deck"})
        + line(uuid.uuid4().hex, sid, 2500, time.time(), "story_started", {"story": "x"})[:40])
    rec = Recorder.open(data, batch_interval=0.01)
    assert rec.flush(5)
    assert not journal.exists()
    got = rows(data)
    assert [r["id"] for r in got] == [*(c["id"] for c in committed), *ids]
    assert [r["at_minute"] for r in got[-3:]] == ["2026-11-28T09:30Z", "2026-11-28T09:31Z",
                                                 "2026-11-28T10:00Z"]
    assert got[-2]["payload"] == {"story": "ion", "scene": "dock", "choice": 2}
    assert {r["kiosk_id"] for r in got} == {committed[0]["kiosk_id"]}
    assert any("1 unreadable lines skipped" in r.getMessage() for r in caplog.records)
    assert any("3 events recovered" in r.getMessage() for r in caplog.records)
    assert rec.close()


def test_a_live_recorders_journal_is_left_alone_by_another(tmp_path):
    data = tmp_path / "data"
    a = Recorder.open(data, batch_interval=3600)  # after the flush: commits nothing until close
    assert a.flush(5)
    time.sleep(0.3)  # the writer is now in its hour-long wait
    sa = a.begin_session("demo", "1", "en")
    sa.record("story_started", story="mara")
    mine = sorted(data.glob(PREFIX + "*"))
    assert len(mine) == 1 and mine[0].stat().st_size > 0
    b = Recorder.open(data, batch_interval=0.01)
    b.begin_session("demo", "1", "sv").end()
    assert b.flush(5) and b.close()
    assert mine[0].exists()  # b did not replay or delete it
    assert [r["kind"] for r in rows(data)] == ["session_started", "session_ended"]
    assert a.close()
    assert [r["payload"].get("language", r["payload"].get("story")) for r in rows(data)] == \
        ["sv", None, "en", "mara"]
    assert not list(data.glob(PREFIX + "*"))


def test_journals_rotate_and_go_once_committed(open_recorder, tmp_path):
    data = tmp_path / "data"
    rec = open_recorder(data)
    s = rec.begin_session("demo", "1", "en")
    n = 3 * ROTATE_BYTES // 100  # lines are ~130 bytes: about four files' worth
    for i in range(n):
        s.record("choice_made", story="mara", scene=f"scene-{i}", choice=i % 5)
        if i % 2000 == 0:
            time.sleep(0.02)  # let the writer rotate now and then, as frames would
    assert rec.flush(30)
    assert wait_for(lambda: len(list(data.glob(PREFIX + "*"))) == 1)
    assert len(rows(data, "kind = 'choice_made'")) == n
    assert rec.close()
    assert not list(data.glob(PREFIX + "*"))


def test_the_live_path_rounds_the_minute_too(open_recorder, tmp_path):
    rec = open_recorder()
    s = rec.begin_session("demo", "1", "en")
    seen = []
    for i in range(3):
        before = time.time()
        s.record("choice_made", story="mara", scene=f"s{i}", choice=0)
        after = time.time()
        seen.append({minute_text(before), minute_text(after)})
        time.sleep(0.3)
    assert rec.flush(5)
    got = rows(data_dir := tmp_path / "data", "kind = 'choice_made'")
    assert len(got) == 3 and data_dir.exists()
    for r, allowed in zip(got, seen, strict=True):
        assert r["at_minute"] in allowed


def test_without_the_journal_nothing_is_written_beside_the_record(open_recorder, tmp_path):
    rec = open_recorder(journal=False)
    rec.begin_session("demo", "1", "en").end()
    assert rec.flush(5)
    assert not list((tmp_path / "data").glob(PREFIX + "*"))
    assert [r["kind"] for r in rows(tmp_path / "data")] == ["session_started", "session_ended"]
    assert os.path.exists(tmp_path / "data" / "record.sqlite3")


def test_event_ids_are_uuid4_hex_and_distinct():
    from kiosk.record.journal import new_id

    ids = [new_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    for eid in ids[:2000]:
        u = uuid.UUID(eid)
        assert u.hex == eid and u.version == 4 and u.variant == uuid.RFC_4122
