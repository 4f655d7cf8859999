"""Keeping the report tables current as events arrive (one call per stored batch).

Reports over a million events must answer within 300 ms, which reading and parsing events
cannot do; so each newly stored event updates, in the same transaction:

- ``feedback_story_visits``: per (session, story) started, finished, the time spent on the
  story's scenes and its last scene (by the session's monotonic offset);
- ``feedback_scene_views``: per (session, story, scene) that the scene was seen;
- ``feedback_choices``: per (session, story, scene) the last choice made there;
- ``feedback_survey_answers``: per (session, story, question) the last answer before and
  the last after the story (ratings as question ``rating``, after).

Every row carries a copy of its session's attributes (pack, language, kiosk, day, hour,
school: ``admin.models_feedback.ATTRS``), so that reports filter one table without a join.
They come from the batch's own ``session_started`` or from ``feedback_sessions``; rows stored
before their session_started arrived get them when it does (``attach``).

The updates commute (or, sum, max, latest by offset), so batches may arrive in any order,
and since only newly stored events are passed in, a re-sent event never counts twice.
"""

from __future__ import annotations

import json

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from admin.models_feedback import (
    ATTRS,
    ChoiceMade,
    FeedbackSession,
    SceneView,
    StoryVisit,
    SurveyAnswer,
)

VISIT_KINDS = {"story_started", "story_finished", "scene_shown"}
KINDS = VISIT_KINDS | {"choice_made", "survey_answer", "rating"}
NO_ATTRS = dict.fromkeys(ATTRS)
RATING = "rating"


def session_attrs(session: dict) -> dict:
    """The copied attributes of a feedback_sessions row (as a dict)."""
    minute = session["started_minute"]
    return {"pack": session["pack"], "language": session["language"],
            "kiosk_id": session["kiosk_id"], "day": minute[:10], "hour": int(minute[11:13]),
            "school": session["school"]}


def _number(answer) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    return float(answer)


class _Batch:
    """The batch's rows for each report table, merged per key."""

    def __init__(self):
        self.visits: dict[tuple, dict] = {}
        self.views: dict[tuple, dict] = {}
        self.choices: dict[tuple, dict] = {}
        self.answers: dict[tuple, dict] = {}

    def visit(self, sid: str, story: str) -> dict:
        return self.visits.setdefault((sid, story), {
            "session_id": sid, "story": story, "started": False, "finished": False, "ms": 0,
            "last_scene": None, "last_offset": -1})

    def add(self, row: dict) -> None:
        kind, sid, off = row["kind"], row["session_id"], row["offset_ms"]
        if kind in VISIT_KINDS:
            v = self.visit(sid, row["story"])
            if kind == "story_started":
                v["started"] = True
            elif kind == "story_finished":
                v["finished"] = True
            else:
                p = json.loads(row["payload"])
                v["ms"] += p["duration_ms"]
                if off >= v["last_offset"]:
                    v["last_offset"], v["last_scene"] = off, p["scene"]
                self.views[(sid, row["story"], p["scene"])] = {
                    "session_id": sid, "story": row["story"], "scene": p["scene"]}
        elif kind == "choice_made":
            p = json.loads(row["payload"])
            key = (sid, p["story"], p["scene"])
            old = self.choices.get(key)
            if old is None or off >= old["offset_ms"]:
                self.choices[key] = {"session_id": sid, "story": p["story"], "scene": p["scene"],
                                     "choice": str(p["choice"])[:64], "offset_ms": off}
        else:
            p = json.loads(row["payload"])
            if kind == "rating":
                question, phase, answer = RATING, "after", p["value"]
            else:
                question, phase, answer = p["question"], p["phase"], p["answer"]
            key = (sid, p.get("story") or "", question)
            a = self.answers.setdefault(key, {
                "session_id": sid, "story": key[1], "question": question, "before": None,
                "before_value": None, "before_offset": -1, "after": None, "after_value": None,
                "after_offset": -1})
            if off >= a[f"{phase}_offset"]:
                a[phase] = json.dumps(answer, sort_keys=True, separators=(",", ":"))[:200]
                a[f"{phase}_value"] = _number(answer)
                a[f"{phase}_offset"] = off


def _attrs_of(db: Session, new_rows: list[dict], sids: set[str]) -> dict[str, dict]:
    """The attributes of the batch's sessions: its own session_started, else the table."""
    out: dict[str, dict] = {}
    for r in new_rows:
        if r["kind"] == "session_started":
            p = json.loads(r["payload"])
            out[r["session_id"]] = session_attrs({
                "pack": p["pack"], "language": p["language"], "kiosk_id": r["kiosk_id"],
                "started_minute": r["at_minute"], "school": "school_code" in p})
    missing = sorted(sids - set(out))
    s = FeedbackSession
    for i in range(0, len(missing), 500):
        for row in db.execute(select(s.session_id, s.pack, s.language, s.kiosk_id,
                                     s.started_minute, s.school)
                              .where(s.session_id.in_(missing[i:i + 500]))).mappings():
            out[row["session_id"]] = session_attrs(row)
    return out


def apply(db: Session, new_rows: list[dict]) -> None:
    """Fold newly stored events into the report tables (no commit)."""
    batch = _Batch()
    for row in new_rows:
        if row["kind"] in KINDS and (row["story"] or row["kind"] == "survey_answer"):
            batch.add(row)
    started = [r["session_id"] for r in new_rows if r["kind"] == "session_started"]
    tables = (batch.visits, batch.views, batch.choices, batch.answers)
    sids = {k[0] for t in tables for k in t}
    if not sids and not started:
        return
    attrs = _attrs_of(db, new_rows, sids)
    for t in tables:
        for key, row in t.items():
            row.update(attrs.get(key[0], NO_ATTRS))
    pg = db.get_bind().dialect.name == "postgresql"
    dialect = postgresql if pg else sqlite
    greatest = func.greatest if pg else func.max
    if batch.visits:
        t = StoryVisit.__table__
        stmt = dialect.insert(t)
        x = stmt.excluded
        db.execute(stmt.on_conflict_do_update(index_elements=["session_id", "story"], set_={
            "started": or_(t.c.started, x.started), "finished": or_(t.c.finished, x.finished),
            "ms": t.c.ms + x.ms,
            "last_scene": case((x.last_offset >= t.c.last_offset, x.last_scene),
                               else_=t.c.last_scene),
            "last_offset": greatest(t.c.last_offset, x.last_offset)}),
            list(batch.visits.values()))
    if batch.views:
        db.execute(dialect.insert(SceneView.__table__).on_conflict_do_nothing(),
                   list(batch.views.values()))
    if batch.choices:
        t = ChoiceMade.__table__
        stmt = dialect.insert(t)
        x = stmt.excluded
        later = x.offset_ms >= t.c.offset_ms
        db.execute(stmt.on_conflict_do_update(
            index_elements=["session_id", "story", "scene"],
            set_={"choice": case((later, x.choice), else_=t.c.choice),
                  "offset_ms": greatest(t.c.offset_ms, x.offset_ms)}),
            list(batch.choices.values()))
    if batch.answers:
        t = SurveyAnswer.__table__
        stmt = dialect.insert(t)
        x = stmt.excluded
        set_: dict = {}
        for phase in ("before", "after"):
            later = getattr(x, f"{phase}_offset") >= getattr(t.c, f"{phase}_offset")
            for col in (phase, f"{phase}_value"):
                set_[col] = case((later, getattr(x, col)), else_=getattr(t.c, col))
            set_[f"{phase}_offset"] = greatest(getattr(t.c, f"{phase}_offset"),
                                               getattr(x, f"{phase}_offset"))
        db.execute(stmt.on_conflict_do_update(
            index_elements=["session_id", "story", "question"], set_=set_),
            list(batch.answers.values()))
    attach(db, {sid: attrs[sid] for sid in started if sid in attrs})


def attach(db: Session, attrs: dict[str, dict]) -> None:
    """Copy newly arrived sessions' attributes into their rows stored before them."""
    if not attrs:
        return
    ids = sorted(attrs)
    for model in (StoryVisit, SceneView, ChoiceMade, SurveyAnswer):
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            # One cheap probe first: almost always (session_started is a session's first
            # event) nothing waits, and the per-session UPDATEs are skipped.
            waiting = set(db.scalars(select(model.session_id).distinct()
                                     .where(model.session_id.in_(chunk))
                                     .where(model.pack.is_(None))))
            for sid in sorted(waiting):
                db.execute(update(model).where(model.session_id == sid)
                           .where(model.pack.is_(None)).values(**attrs[sid]))
