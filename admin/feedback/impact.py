"""The printable impact report: every report for one selection, on one page.

Stories, choices, surveys and breakdowns for the same filters, each suppressed by its own
rules (``reports``, ``choices``, ``surveys``, ``breakdowns``); the stories and the breakdowns
share their totals (stories started and finished), so they are protected as one table; the page states the period
and the filters (``admin/templates/feedback/impact.html``, print styles in the page's CSS).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.feedback import breakdowns, choices, reports, surveys
from admin.feedback.disclosure import Grid
from admin.feedback.filters import Filters, restrict
from admin.feedback.labels import Labels
from admin.feedback.suppress import published
from admin.models_feedback import FeedbackSession


@dataclass
class Impact:
    """All four reports and the period the selection covers."""

    filters: Filters
    stories: reports.StoryReport
    choices: list[choices.BranchPoint]
    surveys: list[surveys.QuestionRow]
    breakdowns: list[breakdowns.Breakdown]
    first_day: str | None
    last_day: str | None


def period(db: Session, filters: Filters) -> tuple[str | None, str | None]:
    """The first and last UTC day with a session in the selection."""
    s = FeedbackSession
    return tuple(db.execute(restrict(select(func.min(s.day), func.max(s.day)), s, filters,
                                     story=False)).one())


def impact_report(db: Session, filters: Filters, labels: Labels) -> Impact:
    """Every report for the selection."""
    first, last = period(db, filters)
    grid = Grid()
    story_raw = reports.raw_counts(db, filters)
    breakdown_raw = breakdowns.raw_breakdowns(db, filters, labels)
    reports.add_cells(grid, story_raw)
    breakdowns.add_cells(grid, breakdown_raw, print_sessions=True)
    grid.protect()
    stories = reports.render(grid, story_raw)
    stories.sessions = published(grid, ("all", "sessions"))  # printed in the page's head
    return Impact(filters, stories,
                  choices.choice_report(db, filters, labels),
                  surveys.survey_report(db, filters),
                  breakdowns.render(grid, breakdown_raw), first, last)
