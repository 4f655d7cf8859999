"""Keeping the report tables current as events arrive (one call per stored batch).

Reports over a million events must answer within 300 ms, which reading and parsing events
cannot do; so each newly stored event updates, in the same transaction:

- ``feedback_story_visits``: per (session, story) started, finished, the time spent on the
  story's scenes and its last scene (by the session's monotonic offset);
- ``feedback_scene_views``: per (session, story, scene) that the scene was seen.

The updates commute (or, sum, max), so batches may arrive in any order, and since only
newly stored events are passed in, a re-sent event never counts twice.
"""

from __future__ import annotations

import json

from sqlalchemy import case, func, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from admin.models_feedback import SceneView, StoryVisit

VISIT_KINDS = {"story_started", "story_finished", "scene_shown"}


def _merge(rows: list[dict]) -> tuple[dict, set]:
    visits: dict[tuple[str, str], dict] = {}
    views: set[tuple[str, str, str]] = set()
    for row in rows:
        if row["kind"] not in VISIT_KINDS or not row["story"]:
            continue
        key = (row["session_id"], row["story"])
        v = visits.setdefault(key, {"session_id": key[0], "story": key[1], "started": False,
                                    "finished": False, "ms": 0, "last_scene": None,
                                    "last_offset": -1})
        if row["kind"] == "story_started":
            v["started"] = True
        elif row["kind"] == "story_finished":
            v["finished"] = True
        else:
            payload = json.loads(row["payload"])
            v["ms"] += payload["duration_ms"]
            if row["offset_ms"] >= v["last_offset"]:
                v["last_offset"], v["last_scene"] = row["offset_ms"], payload["scene"]
            views.add((key[0], key[1], payload["scene"]))
    return visits, views


def apply(db: Session, new_rows: list[dict]) -> None:
    """Fold newly stored events into the report tables (no commit)."""
    visits, views = _merge(new_rows)
    if not visits:
        return
    pg = db.get_bind().dialect.name == "postgresql"
    dialect = postgresql if pg else sqlite
    greatest = func.greatest if pg else func.max
    t = StoryVisit.__table__
    stmt = dialect.insert(t)
    x = stmt.excluded
    stmt = stmt.on_conflict_do_update(index_elements=["session_id", "story"], set_={
        "started": or_(t.c.started, x.started), "finished": or_(t.c.finished, x.finished),
        "ms": t.c.ms + x.ms,
        "last_scene": case((x.last_offset >= t.c.last_offset, x.last_scene),
                           else_=t.c.last_scene),
        "last_offset": greatest(t.c.last_offset, x.last_offset)})
    db.execute(stmt, list(visits.values()))
    if views:
        db.execute(dialect.insert(SceneView.__table__).on_conflict_do_nothing(),
                   [{"session_id": s, "story": st, "scene": sc} for s, st, sc in views])
