"""Breakdowns: visitor sessions, stories started and finished by language, country, kiosk,
UTC day, UTC hour, and school sessions apart from general visitors.

Sessions come from ``feedback_sessions``, stories from ``feedback_story_visits``, each with
the filters on its own columns. With a story filter, "sessions" is the sessions that started
that story. Suppression is decided over the whole page (``admin.feedback.disclosure``): in
each measure every dimension's groups add up to the same total (not printed, but any fully
shown dimension gives it away), so a hidden cell is protected against all six at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, case, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from admin.feedback.disclosure import Grid
from admin.feedback.filters import Filters, restrict
from admin.feedback.labels import Labels
from admin.feedback.suppress import published
from admin.models_feedback import FeedbackSession, StoryVisit

DIMENSIONS = ("language", "country", "kiosk", "day", "hour", "audience")
MEASURES = ("sessions", "started", "finished")


@dataclass
class Breakdown:
    """One dimension: rows of (group, sessions, started, finished), each possibly hidden."""

    dimension: str
    rows: list[tuple[str, int | str, int | str, int | str]]


def _label(dim: str, value, labels: Labels) -> str:
    if value is None:
        return "unknown"
    if dim == "country":
        return labels.country(value)
    if dim == "kiosk":
        return labels.kiosk(value)
    if dim == "hour":
        return f"{int(value):02d}:00–{int(value):02d}:59"
    if dim == "audience":  # a boolean as text: "1"/"0" (SQLite), "true"/"false" (PostgreSQL)
        return "school" if value in ("1", "true") else "general"
    return value


# The column of the grouped rows that each dimension reads (country: the pack).
COLUMN = {"language": 0, "country": 1, "kiosk": 2, "day": 3, "hour": 4, "audience": 5}


def raw_breakdowns(db: Session, filters: Filters, labels: Labels) -> dict:
    """Unsuppressed: dimension -> group -> {sessions, started, finished}."""
    acc = {m: [defaultdict(int) for _ in COLUMN] for m in MEASURES}

    def add(model, measures: tuple[str, ...], *extra) -> None:
        # One scan grouped by all six columns (in the covering index's order: no sort), then
        # each dimension's totals from those groups in the database (~11,000 groups at 1M
        # events; summing them in Python cost ~60 ms).
        dims = (model.language, model.pack, model.kiosk_id, model.day, model.hour,
                model.school)
        counts = [func.count().label("n0")]
        if len(measures) == 2:
            counts.append(func.sum(case((model.finished, 1), else_=0)).label("n1"))
        q = restrict(select(*dims, *counts), model, filters, story=model is StoryVisit)
        g = q.where(*extra).group_by(*dims).cte("g")
        # As text: a UNION needs one type per column on PostgreSQL.
        parts = [select(literal(i), cast(getattr(g.c, dim.key), String),
                        *(func.sum(getattr(g.c, f"n{k}")) for k in range(len(measures))))
                 .group_by(getattr(g.c, dim.key)) for i, dim in enumerate(dims)]
        for i, value, *sums in db.execute(union_all(*parts)):
            for m, n in zip(measures, sums, strict=True):
                acc[m][i][value] += int(n or 0)

    add(StoryVisit, ("started", "finished"), StoryVisit.started.is_(True))
    if filters.story:  # a session visits a story once: sessions = started
        acc["sessions"] = acc["started"]
    else:
        add(FeedbackSession, ("sessions",))
    out: dict = {}
    for dim, i in COLUMN.items():
        groups: dict = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            for value, n in acc[m][i].items():
                groups[_label(dim, value, labels)][m] += n
        out[dim] = groups
    return out


def add_cells(grid: Grid, raw: dict, print_sessions: bool = False) -> None:
    """The breakdowns' cells and relations: per measure, each dimension sums to its total.

    The totals are not printed (any fully shown dimension gives them away, which the audit
    sees), except the sessions when the page prints them (``print_sessions``).
    """
    for m in MEASURES:
        total = grid.cell(("all", m), sum(g[m] for g in raw["language"].values()),
                          published=print_sessions and m == "sessions")
        for dim, groups in raw.items():
            grid.relate(total, [grid.cell((dim, k, m), groups[k][m]) for k in groups])


def render(grid: Grid, raw: dict) -> list[Breakdown]:
    """Every dimension's breakdown as published by a protected grid, groups in order."""
    return [Breakdown(dim, [(k, *(published(grid, (dim, k, m)) for m in MEASURES))
                            for k in sorted(groups)])
            for dim, groups in raw.items()]


def breakdown_report(db: Session, filters: Filters, labels: Labels) -> list[Breakdown]:
    """Every dimension's breakdown, suppressed as one page, groups in their natural order."""
    raw = raw_breakdowns(db, filters, labels)
    grid = Grid()
    add_cells(grid, raw)
    return render(grid.protect(), raw)
