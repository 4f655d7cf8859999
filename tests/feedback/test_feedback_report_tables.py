"""The report tables: migration 0005 backfills an existing database; events that arrive
before their session_started are counted once it does."""

from __future__ import annotations

import uuid

from alembic import command
from alembic.config import Config
from sqlalchemy import func, select

from admin.db import MIGRATIONS, database
from admin.feedback import ingest
from admin.models_feedback import (
    ChoiceMade,
    FeedbackEvent,
    FeedbackSession,
    SceneView,
    StoryVisit,
    SurveyAnswer,
)

TABLES = ("stories", "scenes", "choices", "surveys", "breakdowns")
QUERIES = [{}, {"language": "sv"}, {"audience": "school"}, {"date_from": "2026-11-02"}]


def _events(n_sessions: int, seed: int = 3) -> list[dict]:
    import random

    rng = random.Random(seed)
    kiosk = uuid.uuid4().hex
    out = []
    for i in range(n_sessions):
        sid, off = uuid.uuid4().hex, 0
        story = rng.choice(["mara", "emil"])
        start = {"pack": "demo", "pack_version": "1.0.0", "language": rng.choice(["sv", "en"])}
        if i % 4 == 0:
            start["school_code"] = "K7QX2M"
        kinds = [("session_started", start),
                 ("survey_answer", {"question": "q_leave", "answer": rng.randint(1, 5),
                                    "phase": "before", "story": story}),
                 ("story_started", {"story": story})]
        for j in range(rng.randint(1, 4)):
            kinds.append(("scene_shown", {"story": story, "scene": f"s{j}",
                                          "duration_ms": rng.randint(100, 9000)}))
            kinds.append(("choice_made", {"story": story, "scene": f"s{j}",
                                          "choice": rng.choice(["ask", "wait"])}))
        if rng.random() < 0.6:
            kinds += [("story_finished", {"story": story, "ending": "end"}),
                      ("survey_answer", {"question": "q_leave", "answer": rng.randint(1, 5),
                                         "phase": "after", "story": story}),
                      ("rating", {"story": story, "value": rng.randint(1, 5)})]
        minute = f"2026-11-0{1 + i % 3}T{10 + i % 5:02d}:{i % 60:02d}Z"
        for kind, payload in kinds:
            off += rng.randint(100, 5000)
            out.append({"id": uuid.uuid4().hex, "kiosk_id": kiosk, "session_id": sid,
                        "at": minute, "offset_ms": off, "kind": kind, "payload": payload})
    return out


def _store(app, events: list[dict], size: int = 1000) -> None:
    rows = [ingest.check_one(e) for e in events]
    for i in range(0, len(rows), size):
        with database(app).session() as db:
            ingest.store(db, rows[i:i + size], "sync")
            db.commit()


def _tables(client) -> dict:
    out = {}
    for table in TABLES:
        for query in QUERIES:
            r = client.get(f"/reports/{table}.csv", query_string=query)
            assert r.status_code == 200
            out[(table, tuple(query.items()))] = r.get_data(as_text=True)
    return out


def test_migration_0005_backfills_an_existing_database(app, as_role):
    _store(app, _events(120))
    viewer = as_role("viewer")
    before = _tables(viewer)
    assert "mara" in before[("choices", ())] and "q_leave" in before[("surveys", ())]
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    db_ = database(app)
    with db_.engine.begin() as conn:  # as a database made before 0005: its tables dropped
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    db_.migrate()  # 0005 again: columns added, choices and answers rebuilt from the events
    with db_.session() as db:
        for model in (StoryVisit, SceneView, ChoiceMade, SurveyAnswer):
            assert db.scalar(select(func.count()).select_from(model)) > 0
            assert db.scalar(select(func.count()).select_from(model)
                             .where(model.pack.is_(None))) == 0
    assert _tables(viewer) == before


def test_events_stored_before_their_session_started_count_once_it_arrives(app, as_role):
    events = _events(40, seed=8)
    firsts = [e for e in events if e["kind"] == "session_started"]
    rest = [e for e in events if e["kind"] != "session_started"]
    _store(app, rest, size=97)  # batches that cut sessions anywhere, starts withheld
    with database(app).session() as db:
        assert db.scalar(select(func.count()).select_from(ChoiceMade)
                         .where(ChoiceMade.pack.is_(None))) > 0
    viewer = as_role("viewer")
    # Without their sessions, the rows count only when no session-level filter is set.
    assert "mara" not in viewer.get("/reports/choices.csv",
                                    query_string={"language": "sv"}).get_data(as_text=True)
    assert "mara" in viewer.get("/reports/choices.csv").get_data(as_text=True)
    _store(app, firsts)
    with database(app).session() as db:
        for model in (StoryVisit, SceneView, ChoiceMade, SurveyAnswer):
            assert db.scalar(select(func.count()).select_from(model)
                             .where(model.pack.is_(None))) == 0
    out_of_order = _tables(viewer)
    # The same events in their kiosk's order, in a second admin database, give the same tables.
    with database(app).session() as db:
        for model in (StoryVisit, SceneView, ChoiceMade, SurveyAnswer):
            db.execute(model.__table__.delete())
        db.execute(FeedbackEvent.__table__.delete())
        db.execute(FeedbackSession.__table__.delete())
        db.commit()
    _store(app, events, size=97)
    assert _tables(viewer) == out_of_order
    sv_sessions = sum(1 for e in firsts if e["payload"]["language"] == "sv")
    rows = viewer.get("/reports/breakdowns.csv", query_string={"language": "sv"}).get_data(
        as_text=True).splitlines()
    assert any(r.startswith(f"language,sv,{sv_sessions},") for r in rows), rows
