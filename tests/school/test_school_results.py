"""The class results' suppression rules beyond a cell's own size (issue 11 review):
complementary suppression of the stories played, unanimity, publication, discussion paths
and the planned number of kiosks. Events are stored as a kiosk sends them."""

from __future__ import annotations

import uuid

from admin.school.results import HIDDEN, session_results

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


def store(app, events):
    """Store events as the sync API does."""
    from admin.db import database
    from admin.feedback import ingest

    with database(app).session() as db:
        ingest.store(db, [ingest.check_one(e) for e in events], "usb")
        db.commit()


def results(app, code=CODE):
    """The unpublished computation of a session's results (the demo pack)."""
    from admin.db import database
    from kiosk.content import load_cached
    from tests.kiosk.conftest import DEMO_PACK

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
    assert dict((s, (st, f)) for s, st, f in r.stories) == {
        "emil": (SUPPRESSED, SUPPRESSED), "samir": (SUPPRESSED, SUPPRESSED)}


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
