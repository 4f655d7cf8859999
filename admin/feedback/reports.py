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
"fewer than 5"). A story started by fewer than 5 sessions shows nothing but that. When only
one of finished and left is small, both are suppressed (the other would reveal it as started
minus itself); in a "left at" breakdown with exactly one small cell, the next smallest is
suppressed too. Totals add only the cells that are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from admin.models_feedback import FeedbackEvent, FeedbackSession, SceneView, StoryVisit

MIN_CELL = 5
SUPPRESSED = "<5"
BEFORE_FIRST = "(before the first scene)"
AUDIENCES = ("all", "general", "school")


@dataclass(frozen=True)
class Filters:
    """What a report is restricted to (empty: everything)."""

    pack: str = ""
    story: str = ""
    language: str = ""
    kiosk: str = ""
    date_from: str = ""  # YYYY-MM-DD, UTC, inclusive
    date_to: str = ""
    audience: str = "all"

    def described(self) -> list[tuple[str, str]]:
        """The filters that are set, as (name, value) pairs for the page and the CSV."""
        return [(k, v) for k, v in self.__dict__.items() if v and not (k == "audience"
                                                                       and v == "all")]


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


def shown(n: int) -> int | str:
    """A count as published: itself, or SUPPRESSED for 1 to 4."""
    return SUPPRESSED if 0 < n < MIN_CELL else n


def suppress_breakdown(cells: list[tuple[str, int]]) -> list[tuple[str, int | str]]:
    """Cells of a breakdown whose total is published, with complementary suppression."""
    small = [i for i, (_k, n) in enumerate(cells) if 0 < n < MIN_CELL]
    hide = set(small)
    if len(small) == 1:
        others = sorted((n, i) for i, (_k, n) in enumerate(cells) if i not in hide and n > 0)
        if others:
            hide.add(others[0][1])
    return [(k, SUPPRESSED if i in hide else n) for i, (k, n) in enumerate(cells)]


def _session_filter(filters: Filters):
    """A SELECT of the session ids that pass the filters."""
    q = select(FeedbackSession.session_id)
    if filters.pack:
        q = q.where(FeedbackSession.pack == filters.pack)
    if filters.language:
        q = q.where(FeedbackSession.language == filters.language)
    if filters.kiosk:
        q = q.where(FeedbackSession.kiosk_id == filters.kiosk)
    if filters.date_from:
        q = q.where(FeedbackSession.started_minute >= filters.date_from)
    if filters.date_to:
        q = q.where(FeedbackSession.started_minute < filters.date_to + "T99")
    if filters.audience == "school":
        q = q.where(FeedbackSession.school.is_(True))
    elif filters.audience == "general":
        q = q.where(FeedbackSession.school.is_(False))
    return q


def raw_events(filters: Filters):
    """A SELECT of the selection's raw events for export (free text, unmoderated, left out)."""
    q = (select(FeedbackEvent.id, FeedbackEvent.kiosk_id, FeedbackEvent.session_id,
                FeedbackEvent.at_minute, FeedbackEvent.offset_ms, FeedbackEvent.kind,
                FeedbackEvent.payload)
         .where(FeedbackEvent.kind != "free_text")
         .where(FeedbackEvent.session_id.in_(_session_filter(filters)))
         .order_by(FeedbackEvent.session_id, FeedbackEvent.offset_ms))
    if filters.story:
        q = q.where(FeedbackEvent.story == filters.story)
    return q


def _visits(filters: Filters):
    """A SELECT of the started story visits of the filtered sessions."""
    q = (select(StoryVisit.session_id, StoryVisit.story, StoryVisit.finished, StoryVisit.ms,
                StoryVisit.last_scene)
         .where(StoryVisit.started.is_(True)))
    if filters.described() and filters.described() != [("story", filters.story)]:
        # A session-level filter is set (otherwise every session passes: skip the lookup).
        q = q.where(StoryVisit.session_id.in_(_session_filter(filters)))
    if filters.story:
        q = q.where(StoryVisit.story == filters.story)
    return q


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
    ranked = select(v.c.story, v.c.ms,
                    func.row_number().over(partition_by=v.c.story, order_by=v.c.ms).label("rn"),
                    func.count().over(partition_by=v.c.story).label("n")).subquery()
    for story, median_ms in db.execute(
            select(ranked.c.story, func.avg(ranked.c.ms))
            .where(ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
            .group_by(ranked.c.story)):
        out[story]["median"] = float(median_ms) / 1000
    for story, scene, n in db.execute(
            select(v.c.story, func.coalesce(v.c.last_scene, BEFORE_FIRST), func.count())
            .where(v.c.finished.is_(False)).group_by(v.c.story, v.c.last_scene)):
        out[story]["left_at"][scene] = n
    for story, scene, n in db.execute(
            select(SceneView.story, SceneView.scene, func.count())
            .join(v, (v.c.session_id == SceneView.session_id) & (v.c.story == SceneView.story))
            .group_by(SceneView.story, SceneView.scene)):
        out[story]["funnel"][scene] = n
    sessions = db.scalar(select(func.count()).select_from(_session_filter(filters).subquery()))
    return {"stories": out, "sessions": sessions}


def story_report(db: Session, filters: Filters) -> StoryReport:
    """The per-story report with every small cell suppressed."""
    raw = raw_counts(db, filters)
    rows: list[StoryRow] = []
    totals = {"started": 0, "finished": 0, "left": 0}
    for story, c in raw["stories"].items():
        if c["started"] < MIN_CELL:
            rows.append(StoryRow(story, SUPPRESSED, SUPPRESSED, SUPPRESSED, None))
            continue
        finished, left = shown(c["finished"]), shown(c["left"])
        if (finished == SUPPRESSED) != (left == SUPPRESSED):
            finished = left = SUPPRESSED
        row = StoryRow(story, c["started"], finished, left,
                       round(c["median"], 1))
        if left != SUPPRESSED:
            ordered = sorted(c["left_at"].items(), key=lambda kv: (-kv[1], kv[0]))
            row.left_at = suppress_breakdown(ordered)
        funnel = sorted(c["funnel"].items(), key=lambda kv: (-kv[1], kv[0]))
        row.funnel = [(scene, shown(n)) for scene, n in funnel]
        for key in totals:
            value = getattr(row, key)
            if value != SUPPRESSED:
                totals[key] += value
        rows.append(row)
    return StoryReport(rows, totals, shown(raw["sessions"]))


def options(db: Session) -> dict[str, list[str]]:
    """The values the filters offer: packs, stories, languages, kiosks seen in the data."""
    def distinct(column) -> list[str]:
        return [v for v in db.scalars(select(column).distinct().order_by(column)) if v]

    return {"pack": distinct(FeedbackSession.pack),
            "story": [v for v in db.scalars(
                select(FeedbackEvent.story).where(FeedbackEvent.kind == "story_started")
                .distinct().order_by(FeedbackEvent.story)) if v],
            "language": distinct(FeedbackSession.language),
            "kiosk": distinct(FeedbackSession.kiosk_id)}
