"""The append journal (kiosk.record.journal) and the wall-clock minute: rounded, not truncated."""

from __future__ import annotations

import calendar
import errno
import fcntl
import json
import logging
import os
import re
import stat
import time
import uuid

from kiosk.record import Recorder, Store
from kiosk.record.journal import (
    PREFIX,
    ROTATE_BYTES,
    Journal,
    SegmentEnd,
    leftovers,
    minute_text,
    parse,
    replay,
    retire,
)
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
    said = [r.getMessage() for r in caplog.records]
    assert any("1 unreadable lines skipped" in m and m.endswith(journal.name) for m in said)
    assert any("3 events recovered" in m and m.endswith("of an earlier run") for m in said)
    assert all(m.startswith("record: ") for m in said)  # the record's lines, told apart
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


# -- the journal file itself (kiosk.record.journal.Journal, with a list as its queue) ---------

EID, SID = "4" * 32, "5" * 32


def an_event(n: int = 0, payload: str = '{"story":"mara"}') -> tuple:
    return (f"{n:032x}", SID, 1500 + n, 1_796_584_625.25 + n, "choice_made", payload)


def held_by_someone(path) -> bool:
    """True when another open file description cannot take the journal's lock."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError as exc:
        return exc.errno == errno.EBADF
    return False


def test_a_journal_file_is_private_locked_and_holds_one_line_per_event(tmp_path):
    queued: list = []
    j = Journal(tmp_path / "new" / "data", queued.append)  # the folder is made
    path = j.path
    assert re.fullmatch(rf"record\.journal\.\d{{20}}-{os.getpid()}", path.name)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and held_by_someone(path)
    j.append((EID, SID, 1500, 1_796_584_625.25, "choice_made", '{"story":"mara","choice":2}'))
    # The documented line: id, session, offset ms, epoch seconds (3 decimals), kind, payload.
    line = f'{EID}\t{SID}\t1500\t1796584625.250\tchoice_made\t{{"story":"mara","choice":2}}\n'
    assert path.read_bytes() == line.encode()
    assert queued == [(EID, SID, 1500, 1_796_584_625.25, "choice_made",
                       '{"story":"mara","choice":2}')]
    assert j.size == len(line) and j.error is None
    j.append(an_event(1))
    assert j.size == path.stat().st_size and path.read_bytes().count(b"\n") == 2
    # Its lines read back as the events they hold, for this kiosk.
    rows, bad = parse(path.read_bytes(), "a" * 32)
    assert bad == 0 and [r[0] for r in rows] == [EID, f"{1:032x}"]
    assert rows[0] == (EID, "a" * 32, SID, "2026-12-06T19:17Z", 1500, "choice_made",
                       '{"story":"mara","choice":2}')
    os.close(j.take().fd)


def test_rotation_retires_the_old_file_behind_its_events(tmp_path):
    queued: list = []
    j = Journal(tmp_path, queued.append)
    j.append(an_event(0))
    old_fd, old_path = j.fd, j.path
    j.install(j.open_new())
    end = queued[-1]
    assert isinstance(end, SegmentEnd) and (end.fd, end.path) == (old_fd, old_path)
    assert queued[:-1] == [an_event(0)]
    assert j.path != old_path and j.fd != old_fd and j.size == 0 and j.error is None
    new_path = j.path
    j.install(None)  # the disk refused a new file: the current one goes on
    assert j.path == new_path and len(queued) == 2
    j.append(an_event(1))
    assert new_path.read_bytes().count(b"\n") == 1 and old_path.read_bytes().count(b"\n") == 1
    assert leftovers(tmp_path, set()) == sorted([old_path, new_path], key=lambda p: p.name)
    assert leftovers(tmp_path, {new_path}) == [old_path]
    retire(end, delete=True)  # all it held is committed
    assert not old_path.exists() and closed(old_fd)
    last = j.take()
    assert last.path == new_path and j.take() is None and j.fd is None
    j.append(an_event(2))  # after the take: queued, not journaled
    assert queued[-1] == an_event(2) and new_path.read_bytes().count(b"\n") == 1
    retire(last, delete=False)  # not all committed: kept for the next start's replay
    assert new_path.exists() and closed(last.fd)


def test_a_journal_that_cannot_be_deleted_is_closed_and_said_once(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.record")
    j = Journal(tmp_path, [].append)
    end = j.take()
    end.path.unlink()  # gone already (a tool, a full folder cleanup)
    retire(end, delete=True)
    assert closed(end.fd)
    (said,) = [r.getMessage() for r in caplog.records]
    assert "could not delete" in said and os.strerror(errno.ENOENT) in said
    assert said.startswith("record: ") and said.endswith(")")
    assert said.count(end.path.name) == 2  # named, and again in the system's own words


def test_the_journal_stops_at_its_size_limit_and_the_events_still_go_on(tmp_path):
    queued: list = []
    j = Journal(tmp_path, queued.append)
    path = j.path
    # Lines of exactly 1 MiB: the sixteenth brings the file to the limit, not past it.
    size = len(f"{0:032x}\t{SID}\t1500\t1796584625.250\tchoice_made\t{{\"scene\":\"\"}}\n")
    big = '{"scene":"' + "x" * ((1 << 20) - size) + '"}'
    n = 0
    while j.fd is not None:
        j.append(an_event(n, big))
        n += 1
        assert n <= 17
    assert n == 16  # 16 MiB reached with the sixteenth line
    assert path.stat().st_size == 16 << 20 and j.path is None
    assert " 16 MiB" in j.error
    ends = [q for q in queued if isinstance(q, SegmentEnd)]
    assert len(ends) == 1 and ends[0].path == path
    assert [q for q in queued if not isinstance(q, SegmentEnd)] == [an_event(i, big)
                                                                   for i in range(16)]
    j.append(an_event(99))
    assert queued[-1] == an_event(99) and path.stat().st_size < (17 << 20)
    retire(ends[0], delete=True)


def test_a_full_disk_stops_the_journal_not_the_events(tmpfs):
    queued: list = []
    j = Journal(tmpfs, queued.append)
    path = j.path
    with open(tmpfs / "filler", "wb") as f:  # the file system to its last block
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    n = 0
    while j.fd is not None and n < 10_000:
        j.append(an_event(n, '{"scene":"' + "y" * 3000 + '"}'))
        n += 1
    assert j.fd is None and j.path is None
    assert j.error == os.strerror(errno.ENOSPC)
    assert sum(isinstance(q, SegmentEnd) for q in queued) == 1
    assert len([q for q in queued if not isinstance(q, SegmentEnd)]) == n  # none lost
    retire(next(q for q in queued if isinstance(q, SegmentEnd)), delete=True)
    assert not path.exists()


def test_a_line_cut_short_by_a_full_disk_stops_the_journal_and_is_never_replayed(tmpfs):
    # A file system filling up mid-line takes the bytes that fit and refuses the rest (a
    # short write, seen on tmpfs): the journal stops as on a full disk, the event is queued.
    queued: list = []
    j = Journal(tmpfs, queued.append)
    path = j.path
    j.append(an_event(0))
    whole = path.stat().st_size
    filler = os.open(tmpfs / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:  # the file system to its last block; the journal's block has room left
            os.write(filler, b"\0" * 65536)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(filler)
    long = an_event(1, '{"scene":"' + "y" * 20_000 + '"}')
    j.append(long)
    assert whole < path.stat().st_size < whole + 20_000  # a part of the line was written
    assert j.fd is None and j.error == os.strerror(errno.ENOSPC)
    assert [q for q in queued if not isinstance(q, SegmentEnd)] == [an_event(0), long]
    # The cut line ends the file without its newline: a replay takes the whole one only.
    assert parse(path.read_bytes(), "a" * 32) == (
        [(an_event(0)[0], "a" * 32, SID, minute_text(an_event(0)[3]), 1500, "choice_made",
          '{"story":"mara"}')], 0)
    retire(next(q for q in queued if isinstance(q, SegmentEnd)), delete=True)


def test_a_data_folder_that_cannot_be_made_leaves_the_journal_off(tmp_path):
    (tmp_path / "file").write_text("a file where the data folder should be")
    queued: list = []
    j = Journal(tmp_path / "file" / "data", queued.append)
    assert j.fd is None and j.path is None
    assert j.error == os.strerror(errno.ENOTDIR)  # the system's words, for the log line
    j.append(an_event(0))
    assert queued == [an_event(0)]
    off = Journal(tmp_path / "off", [].append, enabled=False)
    assert off.fd is None and not (tmp_path / "off").exists()


def test_a_journal_gone_before_it_is_opened_is_skipped_and_the_next_replayed(tmp_path):
    # Another recorder may replay and delete a journal between the listing and the opening:
    # a link to nothing, named to come first, is such a journal.
    data = tmp_path / "data"
    data.mkdir()
    (data / f"{PREFIX}{0:020d}-1").symlink_to(data / "replayed meanwhile")
    sid = uuid.uuid4().hex
    ids = [uuid.uuid4().hex for _ in range(2)]
    later = data / f"{PREFIX}{time.time_ns():020d}-2"
    later.write_bytes(b"".join(line(i, sid, 0, time.time(), "story_started", {"story": "ion"})
                               for i in ids))
    store = Store.open(data)
    try:
        assert replay(store, data, "a" * 32, set()) == 2
        assert sorted(e["id"] for e in store.pending_batch(10)) == sorted(ids)
    finally:
        store.close()
    assert not later.exists()


def test_journal_lines_that_are_not_events_are_counted_and_left_out():
    kid = "a" * 32
    good = f"{EID}\t{SID}\t2500\t1796584650.000\tstory_left\t{{\"story\":\"ion\"}}"
    bad = [
        f"{EID[:31]}\t{SID}\t0\t1796584650.0\tstory_left\t{{}}",     # an id one digit short
        f"{EID}\t{'g' * 32}\t0\t1796584650.0\tstory_left\t{{}}",     # not hex
        f"{EID}\t{SID}\t0\t1796584650.0\tvisitor_name\t{{}}",        # not a kind
        f"{EID}\t{SID}\t0\t1796584650.0\tstory_left\t[1, 2]",        # not an object
        f"{EID}\t{SID}\t0\t1796584650.0\tstory_left\t{{oops",        # not JSON
        f"{EID}\t{SID}\tsoon\t1796584650.0\tstory_left\t{{}}",       # not a number
        f"{EID}\t{SID}\t0\tstory_left\t{{}}",                        # a field missing
    ]
    data = "\n".join([good, *bad, good.replace(EID, "6" * 32)]).encode() + b"\n"
    data += b"\xff\xfe not UTF-8\n" + good.encode()[:50]  # then a line cut short by a kill
    rows, count = parse(data, kid)
    assert count == len(bad) + 1
    assert rows == [(EID, kid, SID, "2026-12-06T19:18Z", 2500, "story_left", '{"story":"ion"}'),
                    ("6" * 32, kid, SID, "2026-12-06T19:18Z", 2500, "story_left",
                     '{"story":"ion"}')]
    assert parse(b"", kid) == ([], 0)


def test_a_payload_with_spaces_is_one_field():
    payload = '{"story": "ion", "scene": "the dock"}'  # JSON escapes tabs, never spaces
    data = f"{EID}\t{SID}\t0\t1796584650.000\tstory_left\t{payload}\n".encode()
    assert parse(data, "a" * 32) == (
        [(EID, "a" * 32, SID, "2026-12-06T19:18Z", 0, "story_left", payload)], 0)


def test_every_dead_journal_is_replayed_past_a_live_one_and_counted(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="kiosk.record")
    data = tmp_path / "data"
    live = Recorder.open(data, batch_interval=3600)
    assert live.flush(5)
    (held,) = data.glob(PREFIX + "*")
    sid = uuid.uuid4().hex
    dead = []
    for n, count in enumerate((2, 3)):  # two killed kiosks' journals, named after the live one
        ids = [uuid.uuid4().hex for _ in range(count)]
        path = data / f"{PREFIX}{time.time_ns() + n:020d}-9999{n}"
        path.write_bytes(b"".join(line(i, sid, 0, time.time(), "story_started",
                                       {"story": "ion"}) for i in ids))
        dead.append((path, ids))
    assert sorted(data.glob(PREFIX + "*"))[0] == held
    other = Recorder.open(data, batch_interval=0.01)
    assert other.flush(5)
    got = {r["id"] for r in rows(data)}
    for path, ids in dead:
        assert not path.exists() and set(ids) <= got
    assert held.exists()
    assert any(" 5 events recovered" in r.getMessage() for r in caplog.records)
    assert other.close() and live.close()
