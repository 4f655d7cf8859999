"""The class results' suppression rules beyond a cell's own size (issue 11 review):
complementary suppression of the stories played, unanimity, publication, discussion paths
and the planned number of kiosks. Events are stored as a kiosk sends them."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from admin.school.publish import GRACE, end_of_day
from admin.school.results import HIDDEN, session_results
from tests.school.test_school_admin import create
from tests.support.admin_pages import csrf_from

SUPPRESSED = "<5"
CODE = "CDEFGH"


def _event(kiosk, session, kind, offset, **payload):
    return {"id": uuid.uuid4().hex, "kiosk_id": kiosk, "session_id": session,
            "at": "2026-11-20T10:00Z", "offset_ms": offset, "kind": kind, "payload": payload}


def visit(kiosk, code, *, story="emil", choice="get-help", before=4, after=4, finish=True):
    """One visitor session's events: survey, a story with one choice, survey again."""
    sid = uuid.uuid4().hex
    start = {"pack": "demo", "pack_version": "1.0.0", "language": "en"}
    if code:
        start["school_code"] = code
    events = [_event(kiosk, sid, "session_started", 0, **start),
              _event(kiosk, sid, "survey_answer", 10, question="q_leave", answer=before,
                     phase="before"),
              _event(kiosk, sid, "story_started", 20, story=story)]
    if story == "emil":
        events.append(_event(kiosk, sid, "choice_made", 30, story="emil", scene="teacher",
                             choice=choice))
    if finish:
        events.append(_event(kiosk, sid, "story_finished", 40, story=story, ending="end"))
    events.append(_event(kiosk, sid, "survey_answer", 50, question="q_leave", answer=after,
                         phase="after"))
    return events


def store(app, events, received_at=None):
    """Store events as the sync API does (received now, or at ``received_at``)."""
    from admin.db import database
    from admin.feedback import ingest

    with database(app).session() as db:
        ingest.store(db, [ingest.check_one(e) for e in events], "usb", received_at)
        db.commit()


def set_session(app, code, **values):
    """Change a stored session (to move its close or its day into the past)."""
    from sqlalchemy import select

    from admin.db import database
    from admin.models_school import SchoolSession

    with database(app).session() as db:
        row = db.scalar(select(SchoolSession).where(SchoolSession.code == code))
        for key, value in values.items():
            setattr(row, key, value)
        db.commit()


def shown_sessions(page: str) -> str | None:
    """The published number of visits, or None when the page shows no number."""
    m = re.search(r'id="sessions">\s*(.*?)\s*</strong>', page, re.S)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip() if m else None


def results(app, code=CODE):
    """The unpublished computation of a session's results (the demo pack)."""
    from admin.db import database
    from kiosk.content import load_cached
    from tests.support.kiosk_driver import DEMO_PACK

    with database(app).session() as db:
        return session_results(db, code, load_cached(DEMO_PACK).pack)


def test_a_single_small_story_hides_the_next_smallest_beside_the_class_total(app):
    kiosk = uuid.uuid4().hex
    events = []
    for _ in range(8):
        events += visit(kiosk, CODE)
    for _ in range(2):
        events += visit(kiosk, CODE, story="samir")
    store(app, events)
    r = results(app)
    assert r.sessions == 10  # published: 10 minus a shown 8 would be the 2
    # the 8 is hidden to protect the 2, and says so: it is not "fewer than 5"
    assert dict((s, (st, f)) for s, st, f in r.stories) == {
        "emil": ("protected", "protected"), "samir": (SUPPRESSED, SUPPRESSED)}


def test_two_large_stories_are_shown(app):
    kiosk = uuid.uuid4().hex
    events = []
    for _ in range(6):
        events += visit(kiosk, CODE)
    for _ in range(5):
        events += visit(kiosk, CODE, story="samir")
    store(app, events)
    assert results(app).stories == [("emil", 6, 6), ("samir", 5, 5)]


def test_a_unanimous_class_hides_every_cell_and_the_mean(app):
    kiosk = uuid.uuid4().hex
    events = []
    for i in range(12):  # all chose get-help, all answered 4 before; after: 6 x 2, 6 x 3
        events += visit(kiosk, CODE, before=4, after=2 if i < 6 else 3)
    for _ in range(10):  # ordinary visitors, also unanimous: their column keeps its zeros
        events += visit(kiosk, None, choice="talk-alone")
    store(app, events)
    r = results(app)
    (point,) = r.points
    assert point.class_total == 12
    assert {n for _c, n in point.class_cells} == {HIDDEN}  # zeros would tell every answer
    assert dict(point.all_cells) == {"talk-alone": 10, "get-help": 0}
    (q,) = r.questions
    assert q.before_n == 12 and {n for _v, n in q.before} == {HIDDEN}
    assert q.before_mean is None and q.shift is None  # a mean of 4.0 would say it all
    assert dict(q.after)["2"] == 6 and dict(q.after)["3"] == 6 and dict(q.after)["1"] == 0
    assert q.after_mean == 2.5


def test_a_small_unanimous_class_hides_its_zeros_too(app):
    kiosk = uuid.uuid4().hex
    events = []
    for _ in range(3):
        events += visit(kiosk, CODE)
    store(app, events)
    (point,) = results(app).points
    assert point.class_total == SUPPRESSED
    assert {n for _c, n in point.class_cells} == {HIDDEN}  # not "talk-alone: 0"


def _close(client, code):
    token = csrf_from(client.get(f"/school-sessions/{code}").get_data(as_text=True))
    return client.post(f"/school-sessions/{code}/close", data={"csrf_token": token,
                                                                  "confirm": "yes"})


def test_results_appear_only_after_the_close_and_never_change(app, as_role):
    from admin.models import utcnow

    client = as_role("pedagogue")
    code = create(client).headers["Location"].rsplit("/", 1)[-1]
    kiosk = uuid.uuid4().hex
    now = utcnow()
    events = []
    for i in range(7):
        events += visit(kiosk, code, choice="get-help" if i < 5 else "talk-alone")
    store(app, events, now - dt.timedelta(minutes=30))
    page = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)
    assert 'id="pending"' in page and shown_sessions(page) is None  # live: no number at all
    assert _close(client, code).status_code == 302
    assert 'id="closed"' in client.get(f"/school-sessions/{code}").get_data(as_text=True)
    page = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)
    assert 'id="pending"' in page and shown_sessions(page) is None  # kiosks may still send
    # The code stops working at once.
    from admin.db import database
    from admin.feedback import registry

    with database(app).session() as db:
        _kiosk, token = registry.register(db, "Hall 1", None, "test")
        db.commit()
    r = app.test_client().get(f"/api/v1/school-sessions/{code}",
                              headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 410 and r.get_json()["error"]["code"] == "closed"
    assert client.get(f"/school-sessions/{code}/code-file.json").status_code == 410
    set_session(app, code, closed_at=now - GRACE - dt.timedelta(minutes=2))
    page = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)
    assert shown_sessions(page) == "7" and 'id="published"' in page
    late = []
    for _ in range(5):  # a kiosk that syncs after the publication: never added
        late += visit(kiosk, code, choice="talk-alone")
    store(app, late)
    again = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)
    assert shown_sessions(again) == "7"
    cells = re.findall(r'<td class="class">(.*?)</td>', again, re.S)
    assert cells == re.findall(r'<td class="class">(.*?)</td>', page, re.S)


def test_a_past_day_is_published_at_its_midnight_without_a_close(app, as_role):
    client = as_role("pedagogue")
    code = create(client).headers["Location"].rsplit("/", 1)[-1]
    yesterday = dt.date.today() - dt.timedelta(days=1)
    set_session(app, code, day=yesterday)
    kiosk = uuid.uuid4().hex
    events = []
    for _ in range(6):
        events += visit(kiosk, code)
    store(app, events, end_of_day(yesterday) - dt.timedelta(hours=2))
    late = []
    for _ in range(6):
        late += visit(kiosk, code)
    store(app, late, end_of_day(yesterday) + dt.timedelta(hours=9))  # a USB import next day
    page = client.get(f"/school-sessions/{code}/results").get_data(as_text=True)
    assert shown_sessions(page) == "6"


def _published_page(app, client, code):
    set_session(app, code, closed_at=utcnow_() - GRACE - dt.timedelta(minutes=1))
    return client.get(f"/school-sessions/{code}/results").get_data(as_text=True)


def utcnow_():
    from admin.models import utcnow

    return utcnow()


def test_discussion_mode_shows_the_groups_choices_as_the_class_path(app, as_role):
    client = as_role("pedagogue")
    code = create(client, discussion=True).headers["Location"].rsplit("/", 1)[-1]
    plain = create(client, discussion=False).headers["Location"].rsplit("/", 1)[-1]
    kiosk = uuid.uuid4().hex
    events = visit(kiosk, code, choice="get-help") + visit(kiosk, code, choice="talk-alone",
                                                          finish=False)
    events += visit(kiosk, plain, choice="get-help") + visit(kiosk, plain, choice="get-help")
    store(app, events, utcnow_() - dt.timedelta(minutes=30))
    page = _published_page(app, client, code)
    paths = page.split('id="paths"', 1)[1].split("</section>", 1)[0]
    plays = re.findall(r'<ol class="path" data-story="emil">(.*?)</ol>', paths, re.S)
    assert len(plays) == 2  # 2 visits: every suppressed table says "fewer than 5"
    chosen = sorted(re.search(r'data-choice="([^"]+)"', p).group(1) for p in plays)
    assert chosen == ["get-help", "talk-alone"]
    assert "end" in paths and "not finished" in paths
    assert re.search(r'id="sessions">\s*<span class="suppressed">', page)
    # Survey answers keep their suppression; a session without discussion mode has no path.
    survey = page.split('id="q-q_leave"', 1)[1].split("</table>", 1)[0]
    answers = re.findall(r'<tr data-answer.*?<td class="before">(.*?)</td>', survey, re.S)
    assert answers and all("suppressed" in a for a in answers)
    assert 'id="paths"' not in _published_page(app, client, plain)


def test_more_kiosks_than_planned_warn_and_hide_the_path(app, as_role):
    client = as_role("pedagogue")
    code = create(client, discussion=True).headers["Location"].rsplit("/", 1)[-1]  # 2 kiosks
    two = [uuid.uuid4().hex for _ in range(2)]
    events = visit(two[0], code) + visit(two[1], code)
    store(app, events, utcnow_() - dt.timedelta(minutes=30))
    page = client.get(f"/school-sessions/{code}").get_data(as_text=True)
    assert re.search(r'id="kiosks-used">2<', page) and 'id="kiosk-warning"' not in page
    store(app, visit(uuid.uuid4().hex, code), utcnow_() - dt.timedelta(minutes=20))
    page = client.get(f"/school-sessions/{code}").get_data(as_text=True)
    assert re.search(r'id="kiosks-used">3<', page) and 'id="kiosk-warning"' in page
    results_page = _published_page(app, client, code)
    assert 'id="kiosk-warning"' in results_page and 'id="no-paths"' in results_page
    assert 'id="paths"' not in results_page


def test_the_kiosk_hears_how_other_visitors_chose_with_only_small_cells_hidden(app):
    # The kiosk shows each choice's count and no total beside them, so nothing can be
    # worked out from a shown 6: only the 2 is hidden (and no 6 is called "fewer than 5").
    from admin.db import database
    from admin.school.results import other_visitors

    kiosk = uuid.uuid4().hex
    events = []
    for i in range(8):
        events += visit(kiosk, None, choice="get-help" if i < 6 else "talk-alone")
    store(app, events)
    with database(app).session() as db:
        assert other_visitors(db, "demo", ["emil"]) == {
            "emil": {"teacher": {"get-help": 6, "talk-alone": SUPPRESSED}}}
