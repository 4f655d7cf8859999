"""Reports checked against numbers computed here, independently, from the kiosk's raw events."""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import defaultdict

import pytest

from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import breakdown_problems, play_sessions, record_rows


def _targeted(recorder, story, n_finish, n_leave, t0, language="el"):
    """Sessions of one story: n_finish finish it, n_leave leave at its second scene."""
    t = t0
    for i in range(n_finish + n_leave):
        s = recorder.begin_session("demo", "1.0.0", language, at=t)
        s.record_runtime({"event": "story_started", "story": story, "at": t + 1})
        for j, scene in enumerate(["one", "two", "three"]):
            if i >= n_finish and j == 2:
                break
            s.record_runtime({"event": "scene_entered", "story": story, "scene": scene,
                              "at": t + 2 + j * 10})
        if i < n_finish:
            s.record_runtime({"event": "story_finished", "story": story, "ending": "end",
                              "at": t + 40})
            s.end("done", at=t + 41)
        else:
            s.end("leave_now", at=t + 30, story=story, scene="two")
        t += 100
    return t


@pytest.fixture
def loaded(app, tmp_path):
    """A kiosk record with varied sessions plus small groups, imported into the admin."""
    data = tmp_path / "kiosk"
    with Recorder.open(data, batch_interval=0.01) as rec:
        t = play_sessions(rec, 160, seed=21)
        t = _targeted(rec, "samir", 2, 6, t + 10)      # finished small, left not
        t = _targeted(rec, "lone", 3, 0, t + 10)        # started by fewer than 5
        s = rec.begin_session("demo", "1.0.0", "sv", free_text_questions={"q-why"}, at=t + 10)
        s.record("free_text", at=t + 11, question="q-why", text="Unmoderated words")
        s.end("done", at=t + 12)
    store = Store.open(data)
    out = tmp_path / "export.jsonl"
    export(store, data, out, "jsonl")
    store.close()
    result = app.test_cli_runner().invoke(args=["kiosks", "import", str(out)])
    assert result.exit_code == 0, result.output
    return record_rows(data)


def expected(events, language=None, school=None):
    """Started / finished / left / left-at / median per story, and the funnel, unsuppressed."""
    by_session = defaultdict(list)
    for e in events:
        by_session[e["session_id"]].append({**e, "payload": json.loads(e["payload"])})
    out = {}
    for evs in by_session.values():
        start = next(e for e in evs if e["kind"] == "session_started")["payload"]
        if language and start["language"] != language:
            continue
        if school is not None and ("school_code" in start) != school:
            continue
        for story in {e["payload"]["story"] for e in evs if e["kind"] == "story_started"}:
            row = out.setdefault(story, {"started": 0, "finished": 0, "left": 0, "times": [],
                                         "left_at": defaultdict(int), "saw": defaultdict(int)})
            shown = sorted((e for e in evs if e["kind"] == "scene_shown"
                            and e["payload"]["story"] == story), key=lambda e: e["offset_ms"])
            row["started"] += 1
            row["times"].append(sum(e["payload"]["duration_ms"] for e in shown) / 1000)
            for scene in {e["payload"]["scene"] for e in shown}:
                row["saw"][scene] += 1
            if any(e["kind"] == "story_finished" and e["payload"]["story"] == story
                   for e in evs):
                row["finished"] += 1
            else:
                row["left"] += 1
                row["left_at"][shown[-1]["payload"]["scene"] if shown
                               else "(before the first scene)"] += 1
    return out


def row_problems(row, got, left_at):
    """What is wrong with a published story line (ETHICS.md rule 11), worked out here."""
    if 0 < row["started"] < 5:
        return [] if got == ["<5", "<5", "<5", ""] else [f"small story shown as {got}"]
    out = [] if got[3] == str(round(statistics.median(row["times"]), 1)) else ["median"]
    # started = finished + left; left = its "left at" cells: both read like breakdowns
    out += breakdown_problems({"finished": row["finished"], "left": row["left"]},
                              {"finished": got[1], "left": got[2]}, got[0])
    if got[2] != "<5":
        out += breakdown_problems(dict(row["left_at"]), left_at, got[2])
    return out


def _csv(client, path, **query):
    with client.get(path, query_string=query) as r:  # closing ends a streamed answer's request
        assert r.status_code == 200 and r.mimetype == "text/csv"
        return list(csv.reader(io.StringIO(r.get_data(as_text=True))))


@pytest.mark.parametrize("query, language, school", [
    ({}, None, None),
    ({"language": "sv"}, "sv", None),
    ({"audience": "school"}, None, True),
    ({"audience": "general", "language": "it"}, "it", False),
])
def test_the_story_table_matches_the_raw_events(app, as_role, loaded, query, language, school):
    want = expected(loaded, language, school)
    rows = _csv(as_role("viewer"), "/reports/stories.csv", **query)
    assert rows[0] == ["story", "started", "finished", "left", "median_seconds"]
    body = [r for r in rows[1:] if not r[0].startswith(("(", "#"))]
    assert {r[0] for r in body} == set(want)
    left_at = defaultdict(dict)
    for story, *rest in _csv(as_role("viewer"), "/reports/scenes.csv", **query)[1:]:
        if not story.startswith("#") and rest[1] == "left_here":
            scene, _measure, n = rest
            left_at[story][scene] = n
    for r in body:
        assert not row_problems(want[r[0]], r[1:], left_at[r[0]]), r
    total = next(r for r in rows if r[0] == "(total of shown cells)")
    for i in (1, 2, 3):  # started, finished, left
        assert int(total[i]) == sum(int(r[i]) for r in body if r[i].isdigit())
    assert rows[-4][0] == "# filters"


def test_small_groups_are_suppressed_everywhere(app, as_role, loaded):
    want = expected(loaded)
    assert want["lone"]["started"] == 3 and want["samir"]["finished"] == 2
    viewer = as_role("viewer")
    stories = {r[0]: r[1:] for r in _csv(viewer, "/reports/stories.csv")}
    assert stories["lone"] == ["<5", "<5", "<5", ""]
    # left (6) would reveal finished (2): hidden, and not called "fewer than 5"
    assert stories["samir"][:3] == ["8", "<5", "protected"]
    scenes = _csv(viewer, "/reports/scenes.csv")
    for row in scenes[1:]:
        if row[0].startswith("#"):
            continue
        story, scene, measure, n = row
        raw = (want[story]["saw"] if measure == "saw" else want[story]["left_at"])[scene]
        if raw < 5:
            assert n == "<5", row
        elif measure == "saw":
            assert n == str(raw), row
        else:
            assert n in (str(raw), "protected"), row  # hidden beside a single small cell
    assert not any(r[0] == "lone" and r[2] == "left_here" for r in scenes)
    # samir's left (6, hidden) is not given away by where they left
    assert {r[3] for r in scenes if r[0] == "samir" and r[2] == "left_here"} <= {
        "<5", "protected"}
    html = viewer.get("/reports/").get_data(as_text=True)
    assert "fewer than 5" in html and "<svg" in html
    assert "<script" not in html and " style=" not in html


def test_left_at_scene_and_funnel_match(app, as_role, loaded):
    want = expected(loaded)
    scenes = _csv(as_role("curator"), "/reports/scenes.csv", story="mara")
    got = defaultdict(dict)
    for row in scenes[1:]:
        if not row[0].startswith("#"):
            got[row[2]][row[1]] = row[3]
    assert got["saw"] == {s: ("<5" if n < 5 else str(n)) for s, n in want["mara"]["saw"].items()}
    left_raw = want["mara"]["left_at"]
    assert set(got["left_here"]) == set(left_raw) and len(left_raw) >= 2
    for scene, raw in left_raw.items():
        assert got["left_here"][scene] == ("<5" if raw < 5 else str(raw)) or (
            raw >= 5 and got["left_here"][scene] == "<5")
    hidden = [s for s, n in got["left_here"].items() if n == "<5"]
    assert len(hidden) != 1  # a single hidden cell would be the published total minus the rest


def test_reports_refuse_bad_filters_and_translators(app, as_role, loaded):
    viewer = as_role("viewer")
    assert viewer.get("/reports/", query_string={"date_from": "yesterday"}).status_code == 400
    assert viewer.get("/reports/", query_string={"audience": "vip"}).status_code == 400
    assert as_role("translator").get("/reports/").status_code == 403


def test_raw_events_are_for_administrators_and_match_the_record(app, as_role, loaded):
    assert as_role("viewer").get("/reports/events.csv").status_code == 403
    assert as_role("curator").get("/reports/events.csv").status_code == 403
    rows = _csv(as_role("administrator"), "/reports/events.csv", language="sv")
    assert rows[0] == ["id", "kiosk_id", "session_id", "at", "offset_ms", "kind", "payload"]
    sv_sessions = {e["session_id"] for e in loaded if e["kind"] == "session_started"
                   and json.loads(e["payload"])["language"] == "sv"}
    want = {e["id"]: e for e in loaded if e["session_id"] in sv_sessions
            and e["kind"] != "free_text"}
    assert any(e["kind"] == "free_text" and e["session_id"] in sv_sessions for e in loaded)
    assert {r[0] for r in rows[1:]} == set(want) and len(rows) - 1 == len(want)
    for r in rows[1:]:
        e = want[r[0]]
        assert (r[2], r[3], int(r[4]), r[5], json.loads(r[6])) == (
            e["session_id"], e["at_minute"], e["offset_ms"], e["kind"], json.loads(e["payload"]))
