"""Per-story reports from the stored events, with small numbers suppressed (ETHICS.md rule 11).

What is counted, per story (every count is of visitor sessions, never of events):

- started: sessions with a ``story_started`` of the story;
- finished: those of them with a ``story_finished`` of it; left: the others (they left
  with "leave now", were reset when idle, or went back to the menu);
- left at: for each leaving session, the scene of its last ``scene_shown`` in the story
  ("(before the first scene)" when it saw none);
- median time: the median over starting sessions of the time spent on the story's scenes
  (the sum of their ``scene_shown`` durations), in seconds;
- funnel: for each scene, the sessions that saw it, most seen first.

Suppression: a cell resting on fewer than ``MIN_CELL`` sessions is ``SUPPRESSED`` (shown as
"fewer than 5"). A story started by fewer than 5 sessions shows nothing but that. The other
cells a small one could be worked out from (started = finished + left, left = the "left at"
cells, and on the impact page the stories' sums, which its breakdowns give) are chosen
by ``admin.feedback.disclosure`` and shown as ``PROTECTED``. Totals add only shown cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from admin.feedback.disclosure import Grid
from admin.feedback.filters import AUDIENCES, Filters, restrict, session_filter
from admin.feedback.suppress import (
    MIN_CELL,
    PROTECTED,
    SUPPRESSED,
    published,
    shown,
    suppress_breakdown,
)
from admin.models_feedback import FeedbackEvent, FeedbackSession, SceneView, StoryVisit

BEFORE_FIRST = "(before the first scene)"
__all__ = ["AUDIENCES", "MIN_CELL", "PROTECTED", "SUPPRESSED", "Filters", "shown", "suppress_breakdown",
           "story_report", "raw_counts", "raw_events", "options", "session_count"]


@dataclass
class StoryRow:
    """One story's line of the report (counts may be SUPPRESSED)."""

    story: str
    started: int | str
    finished: int | str
    left: int | str
    median_seconds: float | str | None
    left_at: list[tuple[str, int | str]] = field(default_factory=list)
    funnel: list[tuple[str, int | str]] = field(default_factory=list)


@dataclass
class StoryReport:
    """The report: a row per story and the totals of the shown cells."""

    rows: list[StoryRow]
    totals: dict[str, int]
    sessions: int | str  # visitor sessions in the filtered set


def raw_events(filters: Filters):
    """A SELECT of the selection's raw events for export (free text, unmoderated, left out)."""
    q = (select(FeedbackEvent.id, FeedbackEvent.kiosk_id, FeedbackEvent.session_id,
                FeedbackEvent.at_minute, FeedbackEvent.offset_ms, FeedbackEvent.kind,
                FeedbackEvent.payload)
         .where(FeedbackEvent.kind != "free_text")
         .where(FeedbackEvent.session_id.in_(session_filter(filters)))
         .order_by(FeedbackEvent.session_id, FeedbackEvent.offset_ms))
    if filters.story:
        q = q.where(FeedbackEvent.story == filters.story)
    return q


def _visits(filters: Filters):
    """A SELECT of the started story visits that pass the filters (one table, no join)."""
    q = (select(StoryVisit.session_id, StoryVisit.story, StoryVisit.finished, StoryVisit.ms,
                StoryVisit.last_scene)
         .where(StoryVisit.started.is_(True)))
    return restrict(q, StoryVisit, filters)


def _median_ms(db: Session, filters: Filters, story: str, n: int) -> float:
    """The median time of a story's n visits: the middle one or two in the (story, ms) index.

    A walk to the middle of the covering index (ordered by ms within a story) instead of a
    window function over every visit: ~2 ms per story over 80,000 visits, not ~80 ms.
    """
    q = (restrict(select(StoryVisit.ms), StoryVisit, filters, story=False)
         .where(StoryVisit.story == story).where(StoryVisit.started.is_(True))
         .order_by(StoryVisit.ms).offset((n - 1) // 2).limit(2 - n % 2))
    middle = list(db.scalars(q))
    return sum(middle) / len(middle)


def session_count(db: Session, filters: Filters) -> int:
    """Unsuppressed: the visitor sessions that pass the session-level filters."""
    return db.scalar(select(func.count()).select_from(session_filter(filters).subquery()))


def raw_counts(db: Session, filters: Filters) -> dict:
    """Unsuppressed counts per story (for the report and its tests; never published).

    Read from the report tables kept current on ingest (``admin.feedback.aggregate``).
    """
    v = _visits(filters).subquery()
    out: dict[str, dict] = {}
    for story, started, finished in db.execute(
            select(v.c.story, func.count(), func.sum(case((v.c.finished, 1), else_=0)))
            .group_by(v.c.story).order_by(v.c.story)):
        out[story] = {"started": started, "finished": int(finished or 0),
                      "left": started - int(finished or 0), "median": None,
                      "left_at": {}, "funnel": {}}
    for story, c in out.items():
        c["median"] = _median_ms(db, filters, story, c["started"]) / 1000
    for story, scene, n in db.execute(
            select(v.c.story, func.coalesce(v.c.last_scene, BEFORE_FIRST), func.count())
            .where(v.c.finished.is_(False)).group_by(v.c.story, v.c.last_scene)):
        out[story]["left_at"][scene] = n
    for story, scene, n in db.execute(restrict(
            select(SceneView.story, SceneView.scene, func.count()), SceneView, filters)
            .group_by(SceneView.story, SceneView.scene)):
        if story in out:
            out[story]["funnel"][scene] = n
    return {"stories": out, "sessions": session_count(db, filters)}


def add_cells(grid: Grid, raw: dict) -> None:
    """The stories' cells and relations (started = finished + left = its "left at" cells)."""
    # the stories' totals are not printed (the breakdowns' columns, on the impact page,
    # add up to the same cells)
    totals = {m: grid.cell(("all", m), sum(c[m] for c in raw["stories"].values()),
                           published=False) for m in ("started", "finished", "left")}
    grid.relate(totals["started"], [totals["finished"], totals["left"]])
    for m, total in totals.items():
        grid.relate(total, [grid.cell(("story", story, m), c[m],
                                      published=c["started"] >= MIN_CELL or m == "started")
                            for story, c in raw["stories"].items()])
    for story, c in raw["stories"].items():
        key = ("story", story)
        grid.relate((*key, "started"), [(*key, "finished"), (*key, "left")])
        if c["started"] >= MIN_CELL:
            grid.relate((*key, "left"), [grid.cell(("left_at", story, scene), n)
                                         for scene, n in c["left_at"].items()])


def render(grid: Grid, raw: dict) -> StoryReport:
    """The per-story report as published by a protected grid."""
    rows: list[StoryRow] = []
    totals = {"started": 0, "finished": 0, "left": 0}
    for story, c in raw["stories"].items():
        if c["started"] < MIN_CELL:  # "<5" throughout, or "hidden" where labels are withheld
            hidden = published(grid, ("story", story, "started"))
            rows.append(StoryRow(story, hidden, hidden, hidden, None))
            continue
        row = StoryRow(story, *(published(grid, ("story", story, m)) for m in totals),
                       round(c["median"], 1))
        ordered = sorted(c["left_at"].items(), key=lambda kv: (-kv[1], kv[0]))
        row.left_at = [(scene, published(grid, ("left_at", story, scene)))
                       for scene, _n in ordered]
        funnel = sorted(c["funnel"].items(), key=lambda kv: (-kv[1], kv[0]))
        row.funnel = [(scene, shown(n)) for scene, n in funnel]
        for key in totals:
            value = getattr(row, key)
            if isinstance(value, int):
                totals[key] += value
        rows.append(row)
    return StoryReport(rows, totals, shown(raw["sessions"]))


def story_report(db: Session, filters: Filters) -> StoryReport:
    """The per-story report with every small cell suppressed and protected."""
    raw = raw_counts(db, filters)
    grid = Grid()
    add_cells(grid, raw)
    return render(grid.protect(), raw)


def options(db: Session) -> dict[str, list[str]]:
    """The values the filters offer: packs, stories, languages, kiosks seen in the data."""
    def distinct(column) -> list[str]:
        return [v for v in db.scalars(select(column).distinct().order_by(column)) if v]

    return {"pack": distinct(FeedbackSession.pack),
            "story": distinct(StoryVisit.story),
            "language": distinct(FeedbackSession.language),
            "kiosk": distinct(FeedbackSession.kiosk_id)}
