"""A touring technician exports the record to a USB stick; the record itself is not touched."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.record import Store
from kiosk.record.export import ExportError, export, verify
from tests.support.record_rows import rows

ROOT = Path(__file__).resolve().parents[2]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    """Run the real `kiosk` command line in a child process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def recorded(open_recorder, tmp_path):
    """A record of 12 visits (7 in Swedish, 5 in English), 60 events, across two stories."""
    rec = open_recorder()
    for i in range(12):
        s = rec.begin_session("demo", "1.0", "sv" if i < 7 else "en")
        story = "mara" if i % 3 else "ion"
        s.record("story_started", story=story)
        s.record("choice_made", story=story, scene="offer", choice=i % 2)
        if i % 4 == 0:
            s.end("leave_now", story=story, scene="offer")
        else:
            s.record("story_finished", story=story, ending="help")
            s.end()
    assert rec.close()
    return tmp_path / "data"


def table_digest(data_dir: Path) -> str:
    conn = sqlite3.connect(data_dir / "record.sqlite3")
    digest = hashlib.sha256(repr(conn.execute("SELECT * FROM events ORDER BY seq").fetchall())
                            .encode()).hexdigest()
    conn.close()
    return digest


def test_csv_export_matches_the_record_and_leaves_it_untouched(recorded, tmp_path):
    before = table_digest(recorded)
    out = tmp_path / "out.csv"
    res = kiosk("record", "export", "--format", "csv", "-o", str(out), "--data-dir", str(recorded))
    assert res.returncode == 0, res.stderr
    assert "Wrote 60 events" in res.stdout
    assert table_digest(recorded) == before
    manifest = verify(out)
    assert manifest["count"] == 60 and manifest["format"] == "csv"
    assert manifest["kiosk_id"] == (recorded / "kiosk-id").read_text().strip()
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    with open(out, newline="") as fh:
        got = list(csv.DictReader(fh))
    want = rows(recorded)
    assert [g["id"] for g in got] == [w["id"] for w in want]
    assert [json.loads(g["payload"]) for g in got] == [w["payload"] for w in want]
    assert set(got[0]) == {"id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"}


def test_jsonl_to_usb_then_since_last_takes_only_new_events(recorded, open_recorder, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    res = kiosk("record", "export", "--format", "jsonl", "--usb", str(usb),
                "--data-dir", str(recorded))
    assert res.returncode == 0, res.stderr
    files = sorted(usb.glob("storykiosk-record-*.jsonl"))
    assert len(files) == 1
    assert verify(files[0])["count"] == 60
    first = [json.loads(line) for line in files[0].read_text().splitlines()]
    assert first[0]["kind"] == "session_started" and isinstance(first[0]["payload"], dict)
    # The kiosk plays on; the next export starts where this one ended.
    rec = open_recorder(recorded)
    rec.begin_session("demo", "1.0", "lv").end()
    assert rec.close()
    time.sleep(1.1)  # a new file name (the stamp has seconds)
    out = tmp_path / "next.jsonl"
    res = kiosk("record", "export", "--format", "jsonl", "--since-last", "-o", str(out),
                "--data-dir", str(recorded))
    assert res.returncode == 0, res.stderr
    new = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["kind"] for e in new] == ["session_started", "session_ended"]
    assert new[0]["payload"]["language"] == "lv"
    assert not {e["id"] for e in new} & {e["id"] for e in first}
    manifest = verify(out)
    assert manifest["after_seq"] == 60 and manifest["first_seq"] == 61


def test_since_date_filters_by_minute(recorded, tmp_path):
    store = Store.open(recorded)
    store.append_rows([("0" * 32, "k" * 32, "s" * 32, "2020-01-05T10:00Z", 0, "story_started",
                        '{"story":"old"}')])
    m = export(store, recorded, tmp_path / "a.jsonl", "jsonl", since="2021-01-01")
    assert m["count"] == 60 and m["since"] == "2021-01-01T00:00Z"
    m = export(store, recorded, tmp_path / "b.jsonl", "jsonl", since="2019-12-31T23:59")
    assert m["count"] == 61 and m["range"]["first_at"] == "2020-01-05T10:00Z"
    with pytest.raises(ExportError, match="date"):
        export(store, recorded, tmp_path / "c.jsonl", "jsonl", since="last tuesday")
    store.close()


def test_a_failed_export_leaves_no_file_and_records_nothing(recorded, tmp_path):
    res = kiosk("record", "export", "-o", str(tmp_path / "missing" / "x.csv"),
                "--data-dir", str(recorded))
    assert res.returncode == 1 and "does not exist" in res.stderr
    res = kiosk("record", "export", "--usb", str(tmp_path / "nostick"), "--data-dir",
                str(recorded))
    assert res.returncode == 1 and "does not exist" in res.stderr
    store = Store.open(recorded)
    assert store.last_exported_seq() == 0
    store.close()


def test_export_to_a_full_stick_fails_cleanly(recorded, tmpfs):
    filler = tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    finally:
        os.close(fd)
    res = kiosk("record", "export", "--usb", str(tmpfs), "--data-dir", str(recorded))
    assert res.returncode == 1 and "could not write" in res.stderr
    assert [p.name for p in tmpfs.iterdir()] == ["filler"]
    store = Store.open(recorded)
    assert store.last_exported_seq() == 0
    store.close()


def test_stats_count_per_story_language_and_day_hiding_small_cells(recorded):
    res = kiosk("record", "stats", "--json", "--data-dir", str(recorded))
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["languages"] == {"en": 5, "sv": 7}
    assert got["stories"]["mara"] == {"started": 8, "finished": 6, "left": 0}
    assert got["stories"]["ion"] == {"started": "<5", "finished": "<5", "left": 0}
    day = time.strftime("%Y-%m-%d", time.gmtime())
    assert got["days"][day] == {"sessions": 12, "events": 60}
    text = kiosk("record", "stats", "--data-dir", str(recorded)).stdout
    assert "mara" in text and "<5" in text and day in text


def test_commands_explain_a_missing_record(tmp_path):
    res = kiosk("record", "stats", "--data-dir", str(tmp_path))
    assert res.returncode == 1 and "no record" in res.stderr


@pytest.mark.parametrize("since, why", [
    ("notadate", "wants a date like 2026-11-28"),
    ("2026-02-30", "'2026-02-30' is not a real date"),
    ("2026-11-28junk", "wants a date like 2026-11-28"),
])
def test_a_bad_since_date_is_a_usage_error_with_one_clear_line(recorded, tmp_path, since, why):
    before = table_digest(recorded)
    out = tmp_path / "bad.csv"
    res = kiosk("record", "export", "--since", since, "-o", str(out), "--data-dir", str(recorded))
    assert res.returncode == 2, res.stderr  # a usage error, as argparse's own are
    errors = [line for line in res.stderr.splitlines() if "error" in line]
    assert len(errors) == 1
    assert errors[0].startswith("kiosk record export: error: argument --since: ")
    assert why in errors[0] and "Traceback" not in res.stderr
    assert not out.exists() and table_digest(recorded) == before


def test_since_accepts_the_forms_it_names(recorded, tmp_path):
    for i, since in enumerate(["2021-01-01", "2021-01-01T09:30", "2021-01-01 09:30",
                               "2021-01-01T09:30Z"]):
        res = kiosk("record", "export", "--since", since, "-o", str(tmp_path / f"ok{i}.csv"),
                    "--data-dir", str(recorded))
        assert res.returncode == 0, res.stderr
        assert verify(tmp_path / f"ok{i}.csv")["count"] == 60


def test_an_export_after_a_kill_includes_the_events_only_the_journal_held(tmp_path):
    """A kiosk killed with events in its journal but not yet in SQLite: the export puts them
    in first (as the kiosk's next start would), so none is missing from the file."""
    import random

    from tests.record.test_crash import kill_at_random, scenes_in

    data = tmp_path / "data"
    for attempt in range(10):  # until a kill leaves events that only the journal holds
        tag = f"x{attempt}"
        returned, _ = kill_at_random(data, tag, random.Random(attempt))
        in_sqlite = len(scenes_in(data, tag) or [])
        if in_sqlite < returned:
            break
    assert in_sqlite < returned, "no kill left events in the journal only"
    out = tmp_path / "after-kill.jsonl"
    res = kiosk("record", "export", "--format", "jsonl", "-o", str(out), "--data-dir", str(data))
    assert res.returncode == 0, res.stderr
    exported = {json.loads(line)["payload"].get("scene") for line in out.read_text().splitlines()}
    wanted = {f"{tag}-{i}" for i in range(returned)}
    assert wanted <= exported, sorted(wanted - exported)[:5]
    assert not list(data.glob("record.journal.*")), "the replayed journal is gone"
