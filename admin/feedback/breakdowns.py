"""Breakdowns: visitor sessions, stories started and finished by language, country, kiosk,
UTC day, UTC hour, and school sessions apart from general visitors.

Sessions come from ``feedback_sessions``, stories from ``feedback_story_visits``, each with
the filters on its own columns. With a story filter, "sessions" is the sessions that started
that story. Each column of a breakdown is suppressed as a breakdown of its published total
(``suppress_breakdown``: cells of 1 to 4 hidden, and beside a single hidden cell the next
smallest too).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from admin.feedback.filters import Filters, restrict
from admin.feedback.labels import Labels
from admin.feedback.suppress import suppress_breakdown
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
        return f"{value:02d}:00–{value:02d}:59"
    if dim == "audience":
        return "school" if value else "general"
    return value


# The column of the grouped rows that each dimension reads (country: the pack).
COLUMN = {"language": 0, "country": 1, "kiosk": 2, "day": 3, "hour": 4, "audience": 5}


def raw_breakdowns(db: Session, filters: Filters, labels: Labels) -> dict:
    """Unsuppressed: dimension -> group -> {sessions, started, finished}."""
    # Rows come grouped by all six columns at once (one scan per table); each dimension's
    # totals are summed here by raw value first, labelled at the end (a 1M-event database
    # gives ~11,000 such rows).
    acc = {m: [defaultdict(int) for _ in COLUMN] for m in MEASURES}

    def add(rows, measures: tuple[str, ...]) -> None:
        accs = [acc[m] for m in measures]
        for row in rows:
            for k, a in enumerate(accs):
                n = row[6 + k]
                for i in range(6):
                    a[i][row[i]] += n

    v = StoryVisit
    dims = (v.language, v.pack, v.kiosk_id, v.day, v.hour, v.school)
    q = restrict(select(*dims, func.count(), func.sum(case((v.finished, 1), else_=0))),
                 v, filters).where(v.started.is_(True)).group_by(*dims)
    visits = db.execute(q).all()
    add(visits, ("started", "finished"))
    if filters.story:
        add(visits, ("sessions",))  # a session visits a story once: sessions = started
    else:
        s = FeedbackSession
        sdims = (s.language, s.pack, s.kiosk_id, s.day, s.hour, s.school)
        add(db.execute(restrict(select(*sdims, func.count()), s, filters, story=False)
                       .group_by(*sdims)), ("sessions",))
    out: dict = {}
    for dim, i in COLUMN.items():
        groups: dict = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
        for m in MEASURES:
            for value, n in acc[m][i].items():
                groups[_label(dim, value, labels)][m] += int(n or 0)
        out[dim] = groups
    return out


def breakdown_report(db: Session, filters: Filters, labels: Labels) -> list[Breakdown]:
    """Every dimension's breakdown, suppressed, groups in their natural order."""
    out = []
    for dim, groups in raw_breakdowns(db, filters, labels).items():
        keys = sorted(groups)
        columns = [dict(suppress_breakdown([(k, groups[k][m]) for k in keys]))
                   for m in MEASURES]
        out.append(Breakdown(dim, [(k, *(col[k] for col in columns)) for k in keys]))
    return out
