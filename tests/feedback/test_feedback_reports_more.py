"""Choices, surveys and breakdowns checked against numbers computed here from the raw events.

The kiosk plays varied sessions plus small groups into a real record; its export is imported
into the admin; each CSV is compared with what this file computes, independently, from the
kiosk's own events, with the suppression rules of ETHICS.md rule 11 applied here again.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
from collections import defaultdict

import pytest

from kiosk.record import Recorder, Store
from kiosk.record.export import export
from tests.support.feedback import breakdown_problems, play_sessions, record_rows

# The countries of the packs the sessions are played with: the demo's Swedish and Latvian
# overlays (content-se, content-lv: the admin serves them beside the base).
COUNTRIES = {"demo-se": "SE", "demo-lv": "LV"}


def country_of(pack: str) -> str:
    """The country group a report puts a pack's sessions in."""
    return COUNTRIES.get(pack, f"unknown ({pack})")


def _small_groups(rec, t):
    """Small cells forced in: a choice made by 2, a question paired by 3, a pack of 4."""
    for i in range(8):  # samir/two: 6 choose "ask", 2 choose "call"
        s = rec.begin_session("demo-se", "1.0.0", "el", at=t)
        s.record("survey_answer", at=t + 1, question="q_small", answer=2, phase="before",
                 story="samir")
        s.record_runtime({"event": "story_started", "story": "samir", "at": t + 2})
        s.record_runtime({"event": "scene_entered", "story": "samir", "scene": "two",
                          "at": t + 3})
        s.record_runtime({"event": "choice_made", "story": "samir", "scene": "two",
                          "choice": "ask" if i < 6 else "call", "at": t + 4})
        if i < 3:  # pairs: 3 (fewer than 5: no shift)
            s.record("survey_answer", at=t + 5, question="q_small", answer=4, phase="after",
                     story="samir")
        s.end("done", at=t + 6)
        t += 50
    for i in range(6):  # q_many: 6 pairs, answers changed on purpose (one visitor re-answers)
        s = rec.begin_session("demo-se", "1.0.0", "sv", "CLASS-9A" if i < 2 else None, at=t)
        s.record("survey_answer", at=t + 1, question="q_many", answer=1 + i % 3,
                 phase="before", story="nadia")
        s.record_runtime({"event": "story_started", "story": "nadia", "at": t + 2})
        s.record("survey_answer", at=t + 3, question="q_many", answer=5, phase="after",
                 story="nadia")
        if i == 0:
            s.record("survey_answer", at=t + 4, question="q_many", answer=3, phase="after",
                     story="nadia")
        s.record("rating", at=t + 5, story="nadia", value=4)
        # a question and a choice of the demo pack itself (its wording on the pages)
        s.record("survey_answer", at=t + 6, question="q_leave", answer=2, phase="before",
                 story="nadia")
        s.record_runtime({"event": "choice_made", "story": "nadia", "scene": "offer",
                          "choice": "look-offer", "at": t + 7})
        s.end("done", at=t + 8)
        t += 50
    for _ in range(4):  # a pack the admin does not hold: a country of fewer than 5
        s = rec.begin_session("demo-lv", "1.0.0", "lv", at=t)
        s.record_runtime({"event": "story_started", "story": "mara", "at": t + 1})
        s.record_runtime({"event": "scene_entered", "story": "mara", "scene": "offer",
                          "at": t + 2})
        s.record_runtime({"event": "choice_made", "story": "mara", "scene": "offer",
                          "choice": 1, "at": t + 3})
        s.end("done", at=t + 4)
        t += 50
    return t


@pytest.fixture
def loaded(app, tmp_path):
    """A kiosk record with varied sessions plus small groups, imported into the admin."""
    data = tmp_path / "kiosk"
    with Recorder.open(data, batch_interval=0.01) as rec:
        t = play_sessions(rec, 220, seed=5, pack="demo-se")
        _small_groups(rec, t + 10)
    store = Store.open(data)
    export(store, data, tmp_path / "export.jsonl", "jsonl")
    store.close()
    result = app.test_cli_runner().invoke(args=["kiosks", "import",
                                                str(tmp_path / "export.jsonl")])
    assert result.exit_code == 0, result.output
    return record_rows(data)


def sessions_of(events):
    """session id -> (session_started payload with kiosk and minute, its events by offset)."""
    out = {}
    by = defaultdict(list)
    for e in events:
        by[e["session_id"]].append({**e, "payload": json.loads(e["payload"])})
    for sid, evs in by.items():
        evs.sort(key=lambda e: e["offset_ms"])
        start = next(e for e in evs if e["kind"] == "session_started")
        out[sid] = ({**start["payload"], "kiosk": start["kiosk_id"],
                     "minute": start["at_minute"]}, evs)
    return out


def keep(start, query):
    """Whether a session passes the filters of a query (language, audience)."""
    if "language" in query and start["language"] != query["language"]:
        return False
    if query.get("audience") == "school" and "school_code" not in start:
        return False
    return not (query.get("audience") == "general" and "school_code" in start)


def _csv(client, path, **query):
    with client.get(path, query_string=query) as r:
        assert r.status_code == 200 and r.mimetype == "text/csv", r.status_code
        rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[-4][0] == "# filters"
    return rows[0], [r for r in rows[1:] if not r[0].startswith("#")]


QUERIES = [{}, {"language": "sv"}, {"audience": "school"}, {"audience": "general"}]


@pytest.mark.parametrize("query", QUERIES)
def test_choices_by_language_country_kiosk_match_the_raw_events(app, as_role, loaded, query):
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for start, evs in sessions_of(loaded).values():
        if not keep(start, query):
            continue
        last = {}
        for e in evs:
            if e["kind"] == "choice_made":
                last[(e["payload"]["story"], e["payload"]["scene"])] = str(e["payload"]["choice"])
        country = country_of(start["pack"])
        for point, choice in last.items():
            for dim, group in (("all", ""), ("language", start["language"]),
                               ("country", country), ("kiosk", start["kiosk"][:8])):
                counts[point][(dim, group)][choice] += 1
    header, rows = _csv(as_role("viewer"), "/reports/choices.csv", **query)
    assert header == ["story", "scene", "dimension", "group", "group_sessions", "choice",
                      "sessions", "share_percent"]
    got = defaultdict(dict)
    for story, scene, dim, group, total, choice, n, share in rows:
        got[(story, scene, dim, group)][choice] = (total, n, share)
    want_keys = set()
    for point, groups in counts.items():
        for (dim, group), cells in groups.items():
            want_keys.add((*point, dim, group))
            published = got[(*point, dim, group)]
            total = sum(cells.values())
            if total < 5:
                assert {c: v[1] for c, v in published.items()} == dict.fromkeys(cells, "<5")
                assert {v[0] for v in published.values()} == {"<5"}
                continue
            shown = {c: v[1] for c, v in published.items()}
            (t,) = {v[0] for v in published.values()}
            assert not breakdown_problems(cells, shown, t), (point, dim, group)
            for t, n, share in published.values():
                assert t in (str(total), "protected")
                assert share == (n if not n.isdigit() else "" if t == "protected"
                                 else str(round(100 * int(n) / total, 1)))
    assert set(got) == want_keys
    if not query:  # the small groups were there, and were hidden
        # 6 ask, 2 call: the 6 is hidden to protect the 2, and not called "fewer than 5"
        assert got[("samir", "two", "all", "")] == {"ask": ("8", "protected", "protected"),
                                                    "call": ("8", "<5", "<5")}
        assert got[("mara", "offer", "country", "LV")] == {
            "1": ("<5", "<5", "<5")}


def t975(df: int) -> float:
    """Student's t 0.975 quantile, independently: Simpson's rule on the density, bisection."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def cdf_from_zero(x):
        n = 4000
        h = x / n
        f = [c * (1 + (i * h) ** 2 / df) ** (-(df + 1) / 2) for i in range(n + 1)]
        return h / 3 * (f[0] + f[-1] + 4 * sum(f[1:-1:2]) + 2 * sum(f[2:-1:2]))

    lo, hi = 0.0, 20.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf_from_zero(mid) < 0.475 else (lo, mid)
    return (lo + hi) / 2


def test_t_quantiles_match_published_tables():
    from admin.feedback.stats import t_cdf, t_quantile

    table = {1: 12.706, 2: 4.303, 4: 2.776, 10: 2.228, 30: 2.042, 100: 1.984}
    for df, value in table.items():
        assert t_quantile(0.975, df) == pytest.approx(value, abs=5e-4)
    assert t_quantile(0.95, 10) == pytest.approx(1.812, abs=5e-4)
    assert t_quantile(0.025, 4) == pytest.approx(-2.776, abs=5e-4)
    assert t_quantile(0.975, 10**6) == pytest.approx(1.95996, abs=1e-4)
    assert t_cdf(0.0, 7) == pytest.approx(0.5)
    assert t975(7) == pytest.approx(t_quantile(0.975, 7), abs=1e-6)
    with pytest.raises(ValueError):
        t_quantile(1.0, 3)


@pytest.mark.parametrize("query", QUERIES)
def test_survey_answers_pairs_and_shift_match_the_raw_events(app, as_role, loaded, query):
    answers = defaultdict(lambda: {"before": defaultdict(int), "after": defaultdict(int),
                                   "pairs": []})
    for start, evs in sessions_of(loaded).values():
        if not keep(start, query):
            continue
        last = {}
        for e in evs:
            p = e["payload"]
            if e["kind"] == "survey_answer":
                last[(p.get("story", ""), p["question"], p["phase"])] = p["answer"]
            elif e["kind"] == "rating":
                last[(p["story"], "rating", "after")] = p["value"]
        for (story, question, phase), answer in last.items():
            answers[(story, question)][phase][str(answer)] += 1
            if phase == "after" and (story, question, "before") in last:
                answers[(story, question)]["pairs"].append(
                    answer - last[(story, question, "before")])
    header, rows = _csv(as_role("viewer"), "/reports/surveys.csv", **query)
    assert header == ["story", "question", "measure", "answer", "value"]
    got = defaultdict(lambda: defaultdict(dict))
    for story, question, measure, answer, value in rows:
        got[(story, question)][measure][answer] = value
    assert set(got) == set(answers)
    for key, want in answers.items():
        g = got[key]
        for phase in ("before", "after"):
            total = sum(want[phase].values())
            answered = g[f"answered_{phase}"][""]
            if total < 5:
                assert answered == ("<5" if total else "0")
                assert g.get(phase, {}) == {}, (key, phase)
            else:
                assert not breakdown_problems(want[phase], g.get(phase, {}), answered), (
                    key, phase)
        d = want["pairs"]
        assert g["pairs"][""] == ("<5" if 0 < len(d) < 5 else str(len(d)))
        if len(d) < 5:
            assert "mean_shift" not in g, key
            continue
        mean = sum(d) / len(d)
        half = t975(len(d) - 1) * math.sqrt(sum((x - mean) ** 2 for x in d)
                                            / (len(d) - 1) / len(d))
        assert float(g["mean_shift"][""]) == pytest.approx(mean, abs=1e-3)
        assert float(g["shift_ci95_low"][""]) == pytest.approx(mean - half, abs=2e-3)
        assert float(g["shift_ci95_high"][""]) == pytest.approx(mean + half, abs=2e-3)
    if not query:
        assert got[("samir", "q_small")]["pairs"][""] == "<5"
        # one visitor changed their answer after: the last one (3) counts
        assert got[("nadia", "q_many")]["after"] == {"3": "<5", "5": "protected"}
        assert got[("nadia", "q_many")]["pairs"][""] == "6"
        # before 1 2 3 1 2 3, after 3 5 5 5 5 5: differences 2 3 2 4 3 2
        assert float(got[("nadia", "q_many")]["mean_shift"][""]) == pytest.approx(16 / 6,
                                                                                  abs=1e-3)


@pytest.mark.parametrize("query", QUERIES + [{"story": "mara"}])
def test_breakdowns_match_the_raw_events(app, as_role, loaded, query):
    want = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for start, evs in sessions_of(loaded).values():
        if not keep(start, query):
            continue
        started = {e["payload"]["story"] for e in evs if e["kind"] == "story_started"}
        finished = {e["payload"]["story"] for e in evs if e["kind"] == "story_finished"}
        if "story" in query:
            started &= {query["story"]}
            if not started:
                continue
        groups = {"language": start["language"], "kiosk": start["kiosk"][:8],
                  "country": country_of(start["pack"]),
                  "day": start["minute"][:10],
                  "hour": f"{start['minute'][11:13]}:00–{start['minute'][11:13]}:59",
                  "audience": "school" if "school_code" in start else "general"}
        for dim, group in groups.items():
            cell = want[dim][group]
            cell[0] += 1
            cell[1] += len(started)
            cell[2] += len(started & finished)
    header, rows = _csv(as_role("pedagogue"), "/reports/breakdowns.csv", **query)
    assert header == ["dimension", "group", "sessions", "started", "finished"]
    got = defaultdict(dict)
    for dim, group, *values in rows:
        got[dim][group] = values
    assert set(got) == set(want)
    for dim, groups in want.items():
        assert set(got[dim]) == set(groups), dim
        for i in range(3):
            cells = {g: v[i] for g, v in groups.items()}
            assert not breakdown_problems(cells, {g: got[dim][g][i] for g in groups}), (dim, i)
    if not query:
        assert got["country"]["LV"][0] == "<5"


def test_every_page_and_the_impact_report_honour_the_filters(app, as_role, loaded):
    viewer = as_role("viewer")
    for path in ("/reports/", "/reports/choices", "/reports/surveys", "/reports/breakdowns",
                 "/reports/impact"):
        r = viewer.get(path, query_string={"audience": "school", "language": "sv"})
        html = r.get_data(as_text=True)
        assert r.status_code == 200, path
        assert "<svg" in html and "<script" not in html and " style=" not in html, path
        assert 'name="audience"' in html
    html = viewer.get("/reports/impact", query_string={"audience": "general",
                                                       "date_from": "2020-01-01"}).get_data(
        as_text=True)
    assert "audience = general" in html and "date_from = 2020-01-01" in html
    for part in ("part-stories", "part-choices", "part-surveys", "part-breakdowns"):
        assert f'id="{part}"' in html
    assert "@media print" in app.test_client().get("/static/feedback.css").get_data(as_text=True)
    # Questions, answers and choices in the pack's wording (ids stay in the CSV).
    surveys_html = viewer.get("/reports/surveys").get_data(as_text=True)
    assert "People who are trafficked could leave if they really wanted to." in surveys_html
    assert "2 · Disagree" in surveys_html
    choices_html = viewer.get("/reports/choices").get_data(as_text=True)
    assert "The job offer and the contract" in choices_html
    # stories by their titles, scenes by the start of their text, not by their ids
    assert "<h3>The hotel by the sea · " in choices_html and "nadia · offer" not in choices_html
    stories_html = viewer.get("/reports/").get_data(as_text=True)
    assert '<th scope="row">The hotel by the sea</th>' in stories_html
    assert viewer.get("/reports/other.csv").status_code == 404
    # In Swedish: the page's strings, and the pack's own Swedish wording of its question.
    assert viewer.post("/account/language", data={"ui_language": "sv"}).status_code == 302
    html = viewer.get("/reports/impact").get_data(as_text=True)
    assert "Effektrapport: besökarnas svar" in html and "färre än 5" in html
    assert "Hotellet vid havet" in html
    assert "dold för att skydda en liten grupp" in html  # samir's 6 beside its 2
    assert "skulle kunna gå därifrån om de verkligen ville" in html
    assert "2 · Instämmer inte" in html
    assert viewer.get("/reports/impact", query_string={"audience": "vip"}).status_code == 400


def _number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+\.\d+", cell))


def test_csv_comes_plain_and_for_excel_in_the_staff_members_locale(app, as_role, loaded):
    viewer = as_role("viewer")
    plain = viewer.get("/reports/choices.csv").get_data()
    assert not plain.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert any(_number(c) for r in rows for c in r)  # shares: decimals to convert
    english = viewer.get("/reports/choices.csv", query_string={"excel": "1"}).get_data()
    assert english.startswith(codecs.BOM_UTF8)  # Excel reads UTF-8 only after a BOM
    assert list(csv.reader(io.StringIO(english.decode("utf-8-sig")))) == rows
    assert viewer.post("/account/language", data={"ui_language": "sv"}).status_code == 302
    swedish = viewer.get("/reports/choices.csv", query_string={"excel": "1"}).get_data()
    assert swedish.startswith(codecs.BOM_UTF8)
    # Swedish decimals take a comma, so Excel's list separator is a semicolon
    assert list(csv.reader(io.StringIO(swedish.decode("utf-8-sig")), delimiter=";")) == [
        [c.replace(".", ",") if _number(c) else c for c in r] for r in rows]
    html = viewer.get("/reports/choices").get_data(as_text=True)
    assert "excel=1" in html and "för Excel" in html


def test_a_shift_that_rounds_to_zero_reads_plus_zero(app):
    from flask import render_template_string

    from admin.feedback.labels import Labels
    from admin.feedback.stats import Shift
    from admin.feedback.surveys import QuestionRow

    q = QuestionRow("mara", "q", 10, [], 10, [], 10, Shift(10, 3.0, 2.999, -0.001, -0.004,
                                                             0.002))
    with app.test_request_context("/reports/surveys"):
        html = render_template_string(
            '{% from "feedback/_macros.html" import survey_section %}'
            '{{ survey_section(q, none, 5, labels) }}', q=q, labels=Labels())
    assert "-0.00" not in html and "+0.00 (95% interval -0.00" not in html
    assert "shift +0.00 (95% interval +0.00 to +0.00)" in html



def test_countries_in_breakdowns_are_named_in_the_staff_members_language(as_role, loaded):
    """'Sverige' for Swedish staff where the code 'SE' stood (CLDR's name, through Babel)."""
    viewer = as_role("viewer")
    assert viewer.post("/account/language", data={"ui_language": "sv"}).status_code == 302
    html = viewer.get("/reports/breakdowns").get_data(as_text=True)
    assert '<tr data-group="SE"><th scope="row">Sverige</th>' in html
    assert '<th scope="row">SE</th>' not in html


def test_labels_that_would_give_a_kiosk_away_read_hidden_in_the_staff_language(app, as_role,
                                                                                tmp_path):
    # issue 25's table: 7 sessions choose at samir/two; sv and en 1 each, it 5; kiosk A 3,
    # kiosk B 4. "<5" and "protected" would pin kiosk A's total to 3 or 4 (a "protected"
    # All row of 3 "<5" choices is 7 or more here, kiosk B "<5" is at most 4).
    plays = {"A": [("sv", "ask"), ("en", "ask"), ("it", "ask")],
             "B": [("it", "ask"), ("it", "call"), ("it", "wait"), ("it", "wait")]}
    for kiosk, sessions in plays.items():
        data, t = tmp_path / kiosk, 1_800_000_000
        with Recorder.open(data, batch_interval=0.01) as rec:
            for language, choice in sessions:
                s = rec.begin_session("demo", "1.0.0", language, at=t)
                s.record_runtime({"event": "story_started", "story": "samir", "at": t + 1})
                s.record_runtime({"event": "choice_made", "story": "samir", "scene": "two",
                                  "choice": choice, "at": t + 2})
                s.end("done", at=t + 3)
                t += 50
        store = Store.open(data)
        export(store, data, tmp_path / f"{kiosk}.jsonl", "jsonl")
        store.close()
        result = app.test_cli_runner().invoke(args=["kiosks", "import",
                                                    str(tmp_path / f"{kiosk}.jsonl")])
        assert result.exit_code == 0, result.output
    viewer = as_role("viewer")
    _header, rows = _csv(viewer, "/reports/choices.csv")
    cells = [(r[2], r[3], r[4], r[6]) for r in rows if r[:2] == ["samir", "two"]]
    assert len(cells) == 3 + 3 + 1 + 1 + 3 + 1 + 3  # all, country, sv, en, it, A, B
    assert {v for _d, _g, total, n in cells for v in (total, n)} == {"hidden"}
    assert viewer.post("/account/language", data={"ui_language": "sv"}).status_code == 302
    html = viewer.get("/reports/choices").get_data(as_text=True)
    table = html[html.index('data-choice="ask"'):]
    assert "dolt" in table and "färre än 5" not in table and "dold för att skydda" not in table
