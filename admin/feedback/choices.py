"""Per branching point: how visitors chose, overall and by language, country and kiosk.

Counted from ``feedback_choices`` (one row per session and scene with choices: the last
choice it made there), filtered on the row's own session attributes. A share is of the
sessions that chose at that scene in the group. Country is the pack's, kiosks by name (``labels``).

Suppression (ETHICS.md rule 11): each group's choices are a breakdown of the group's total,
so ``suppress_breakdown`` hides every cell of 1 to 4 sessions and, beside a single small
cell, the next smallest; a group with fewer than 5 sessions in all shows only that; the
share of a hidden cell is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.feedback.filters import Filters, restrict
from admin.feedback.labels import Labels
from admin.feedback.suppress import SUPPRESSED, share, shown, suppress_breakdown
from admin.models_feedback import ChoiceMade

DIMENSIONS = ("language", "country", "kiosk")


@dataclass
class ChoiceGroup:
    """The choices of one group at one branching point: (choice, sessions, share %)."""

    group: str
    total: int | str
    cells: list[tuple[str, int | str, float | str | None]]

    def cell(self, choice: str) -> tuple[int | str, float | str | None]:
        """(sessions, share) of one choice; (0, None) when nobody in the group made it."""
        for ch, n, sh in self.cells:
            if ch == choice:
                return n, sh
        return 0, None


@dataclass
class BranchPoint:
    """A scene with choices: the choices overall and per group of each dimension."""

    story: str
    scene: str
    choices: list[str]
    overall: ChoiceGroup
    by: dict[str, list[ChoiceGroup]] = field(default_factory=dict)

    def rows(self, dimensions=DIMENSIONS) -> list[tuple[str, ChoiceGroup]]:
        """(dimension, group) for every group of the given dimensions, in order."""
        return [(d, g) for d in dimensions for g in self.by.get(d, [])]


def raw_choices(db: Session, filters: Filters, labels: Labels) -> dict:
    """Unsuppressed: (story, scene) -> dimension -> group -> choice -> sessions."""
    c = ChoiceMade
    q = restrict(select(c.story, c.scene, c.choice, c.language, c.pack, c.kiosk_id,
                        func.count()), c, filters)
    q = q.group_by(c.story, c.scene, c.choice, c.language, c.pack, c.kiosk_id)
    out: dict = defaultdict(lambda: {d: defaultdict(lambda: defaultdict(int))
                                     for d in ("all", *DIMENSIONS)})
    for story, scene, choice, language, pack, kiosk, n in db.execute(q):
        point = out[(story, scene)]
        point["all"][""][choice] += n
        point["language"][language or "unknown"][choice] += n
        point["country"][labels.country(pack)][choice] += n
        point["kiosk"][labels.kiosk(kiosk)][choice] += n
    return out


def _group(name: str, counts: dict[str, int], order: list[str]) -> ChoiceGroup:
    total = sum(counts.values())
    if shown(total) == SUPPRESSED:
        return ChoiceGroup(name, SUPPRESSED, [(ch, SUPPRESSED, SUPPRESSED) for ch in order
                                              if counts.get(ch)])
    cells = suppress_breakdown([(ch, counts[ch]) for ch in order if counts.get(ch)])
    return ChoiceGroup(name, total, [(ch, n, share(n, total)) for ch, n in cells])


def choice_report(db: Session, filters: Filters, labels: Labels) -> list[BranchPoint]:
    """Every branching point in the selection, suppressed, ordered by story and scene."""
    points = []
    for (story, scene), dims in sorted(raw_choices(db, filters, labels).items()):
        overall = dims["all"][""]
        order = sorted(overall, key=lambda ch: (-overall[ch], ch))
        point = BranchPoint(story, scene, order, _group("", overall, order))
        for dim in DIMENSIONS:
            point.by[dim] = [_group(name, counts, order)
                             for name, counts in sorted(dims[dim].items())]
        points.append(point)
    return points
