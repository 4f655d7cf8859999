"""The reports as CSV tables: one list of rows per aggregated table, filters stated below.

Suppressed cells are written as ``<5``, cells hidden to protect them as ``protected``, and
both as ``hidden`` where those labels would give a small count away; shares as percentages with one decimal. The same
rows serve the downloads on every report page and the impact report's links.
"""

from __future__ import annotations

from admin.feedback import breakdowns, choices, reports, surveys
from admin.feedback.filters import Filters
from admin.feedback.suppress import PROTECTED, SUPPRESSED, WITHHELD


def _v(value) -> object:
    return "" if value is None else value


def filter_lines(filters: Filters) -> list[list]:
    """The filters and the suppression rule, as the CSV's closing comment lines."""
    stated = "; ".join(f"{k}={v}" for k, v in filters.described()) or "none"
    return [["# filters", stated],
            ["# cells resting on fewer than 5 visitor sessions", SUPPRESSED],
            ["# cells hidden to protect a small group", PROTECTED],
            ["# cells hidden without saying which of the two", WITHHELD]]


def stories_rows(report: reports.StoryReport) -> list[list]:
    """Per story: started, finished, left, median seconds; the total of shown cells."""
    rows: list[list] = [["story", "started", "finished", "left", "median_seconds"]]
    rows += [[r.story, r.started, r.finished, r.left, _v(r.median_seconds)]
             for r in report.rows]
    rows.append(["(total of shown cells)", report.totals["started"],
                 report.totals["finished"], report.totals["left"], ""])
    return rows


def scenes_rows(report: reports.StoryReport) -> list[list]:
    """Per story and scene: sessions that saw it, and that left there."""
    rows: list[list] = [["story", "scene", "measure", "sessions"]]
    for r in report.rows:
        rows += [[r.story, scene, "saw", n] for scene, n in r.funnel]
        rows += [[r.story, scene, "left_here", n] for scene, n in r.left_at]
    return rows


def choices_rows(points: list[choices.BranchPoint]) -> list[list]:
    """Per branching point, group and choice: sessions and share of the group's sessions."""
    rows: list[list] = [["story", "scene", "dimension", "group", "group_sessions", "choice",
                         "sessions", "share_percent"]]
    for p in points:
        groups = [("all", p.overall)] + [(d, g) for d in choices.DIMENSIONS for g in p.by[d]]
        for dim, g in groups:
            rows += [[p.story, p.scene, dim, g.group, g.total, ch, n, _v(sh)]
                     for ch, n, sh in g.cells]
    return rows


def surveys_rows(questions: list[surveys.QuestionRow]) -> list[list]:
    """Per story and question: answers before and after, and the paired shift."""
    rows: list[list] = [["story", "question", "measure", "answer", "value"]]
    for q in questions:
        for phase in ("before", "after"):
            rows.append([q.story, q.question, f"answered_{phase}", "", getattr(q, f"{phase}_total")])
            rows += [[q.story, q.question, phase, a, n] for a, n in getattr(q, phase)]
        rows.append([q.story, q.question, "pairs", "", q.pairs])
        if q.shift is not None:
            s = q.shift
            for name, value in (("mean_before", s.mean_before), ("mean_after", s.mean_after),
                                ("mean_shift", s.mean_diff), ("shift_ci95_low", s.low),
                                ("shift_ci95_high", s.high)):
                rows.append([q.story, q.question, name, "", round(value, 3)])
    return rows


def breakdowns_rows(items: list[breakdowns.Breakdown]) -> list[list]:
    """Per dimension and group: sessions, stories started, stories finished."""
    rows: list[list] = [["dimension", "group", "sessions", "started", "finished"]]
    for b in items:
        rows += [[b.dimension, *row] for row in b.rows]
    return rows
