"""Surveys: the answers before and after each story, per question, and the paired shift.

Counted from ``feedback_survey_answers`` (one row per session, story and question: the last
answer before and the last after; ratings as question ``rating``, after only). A *pair* is a
session that answered the same question before and after the same story, both with numbers
(the agreement scale 1 to 5, a rating): the shift is the mean of (after - before) over the
pairs with a 95% interval from Student's t with pairs - 1 degrees of freedom
(``admin.feedback.stats``).

Suppression (ETHICS.md rule 11): each phase's answers are a breakdown of the sessions that
answered, audited with that total (``suppress_with_total``: the total itself is hidden when
the cells could otherwise be worked out from it); a phase answered by fewer than 5 shows only that; the shift
is shown only from ``MIN_PAIRS`` pairs on (fewer: "fewer than 5" pairs and no numbers).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.feedback.filters import Filters, restrict
from admin.feedback.stats import Shift, paired_shift
from admin.feedback.suppress import MIN_CELL, SUPPRESSED, shown, suppress_with_total
from admin.models_feedback import SurveyAnswer

MIN_PAIRS = MIN_CELL
NO_STORY = "(outside a story)"


@dataclass
class QuestionRow:
    """One question around one story: answer counts per phase, pairs and the shift."""

    story: str
    question: str
    before_total: int | str
    before: list[tuple[str, int | str]]
    after_total: int | str
    after: list[tuple[str, int | str]]
    pairs: int | str
    shift: Shift | None


def _order(answer: str):
    try:
        value = json.loads(answer)
    except ValueError:
        value = answer
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def label(answer: str) -> str:
    """An answer as published: the value itself, without JSON quotes."""
    try:
        value = json.loads(answer)
    except ValueError:
        return answer
    if isinstance(value, list):
        return " + ".join(str(v) for v in value)
    return json.dumps(value) if isinstance(value, bool) else str(value)


def raw_surveys(db: Session, filters: Filters) -> dict:
    """Unsuppressed: (story, question) -> before/after answer counts and the pair sums."""
    # One scan, grouped in the covering index's own order (story, question, before, after,
    # before_value, after_value): every count and pair sum follows from these groups.
    a = SurveyAnswer
    out: dict = defaultdict(lambda: {"before": defaultdict(int), "after": defaultdict(int),
                                     "pairs": [0, 0.0, 0.0, 0.0, 0.0]})
    keys = (a.story, a.question, a.before, a.after, a.before_value, a.after_value)
    q = restrict(select(*keys, func.count()), a, filters).group_by(*keys)
    for story, question, before, after, bv, av, n in db.execute(q):
        c = out[(story, question)]
        if before is not None:
            c["before"][before] += n
        if after is not None:
            c["after"][after] += n
        if bv is not None and av is not None:
            p = c["pairs"]
            d = av - bv
            p[0] += n
            p[1] += n * bv
            p[2] += n * av
            p[3] += n * d
            p[4] += n * d * d
    return out


def _phase(counts: dict[str, int]) -> tuple[int | str, list[tuple[str, int | str]]]:
    total = sum(counts.values())
    order = sorted(counts, key=_order)
    if shown(total) == SUPPRESSED:
        return SUPPRESSED, []
    total, cells = suppress_with_total([(k, counts[k]) for k in order])
    return total, [(label(k), n) for k, n in cells]


def survey_report(db: Session, filters: Filters) -> list[QuestionRow]:
    """Every question around every story in the selection, suppressed."""
    rows = []
    for (story, question), c in sorted(raw_surveys(db, filters).items()):
        before_total, before = _phase(c["before"])
        after_total, after = _phase(c["after"])
        n, sb, sa, sd, sd2 = c["pairs"]
        shift = paired_shift(n, sb, sa, sd, sd2) if n >= MIN_PAIRS else None
        rows.append(QuestionRow(story or NO_STORY, question, before_total, before,
                                after_total, after, shown(n), shift))
    return rows
