"""Per branching point: how visitors chose, overall and by language, country and kiosk.

Counted from ``feedback_choices`` (one row per session and scene with choices: the last
choice it made there), filtered on the row's own session attributes. A share is of the
sessions that chose at that scene in the group. Country is the pack's, kiosks by name (``labels``).

Suppression (ETHICS.md rule 11): a point is one table with margins: each group's choices add
up to the group's total, and in each dimension the groups add up to the "All" row, choice by
choice. Every cell of 1 to 4 sessions is hidden, and ``admin.feedback.disclosure`` hides the
cells that would give it away along any of those sums (``PROTECTED``); a group with fewer
than 5 sessions in all shows only that; the share of a hidden cell is hidden. Where those
labels would give a small count away, the point's hidden cells all read ``WITHHELD``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.feedback.disclosure import Grid
from admin.feedback.filters import Filters, restrict
from admin.feedback.labels import Labels
from admin.feedback.suppress import SUPPRESSED, published, share
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


def _add_group(grid: Grid, dim: str, name: str, counts: dict[str, int],
               order: list[str]) -> None:
    cells = [grid.cell((dim, name, ch), counts.get(ch, 0)) for ch in order]
    grid.relate(grid.cell((dim, name, None), sum(counts.values())), cells)


def _group(grid: Grid, dim: str, name: str, counts: dict[str, int],
           order: list[str]) -> ChoiceGroup:
    total = published(grid, (dim, name, None))
    if total == SUPPRESSED:
        return ChoiceGroup(name, SUPPRESSED, [(ch, SUPPRESSED, SUPPRESSED) for ch in order
                                              if counts.get(ch)])
    cells = [(ch, published(grid, (dim, name, ch))) for ch in order if counts.get(ch)]
    return ChoiceGroup(name, total, [(ch, n, share(n, total)) for ch, n in cells])


def point_grid(dims: dict, order: list[str]) -> Grid:
    """One branching point's table: groups sum to their totals, dimensions to "All"."""
    grid = Grid()
    _add_group(grid, "all", "", dims["all"][""], order)
    for dim in DIMENSIONS:
        for name, counts in dims[dim].items():
            _add_group(grid, dim, name, counts, order)
        for ch in (*order, None):
            grid.relate(("all", "", ch), [(dim, name, ch) for name in dims[dim]])
    return grid.protect()


def choice_report(db: Session, filters: Filters, labels: Labels) -> list[BranchPoint]:
    """Every branching point in the selection, suppressed, ordered by story and scene."""
    points = []
    for (story, scene), dims in sorted(raw_choices(db, filters, labels).items()):
        overall = dims["all"][""]
        order = sorted(overall, key=lambda ch: (-overall[ch], ch))
        grid = point_grid(dims, order)
        point = BranchPoint(story, scene, order, _group(grid, "all", "", overall, order))
        for dim in DIMENSIONS:
            point.by[dim] = [_group(grid, dim, name, counts, order)
                             for name, counts in sorted(dims[dim].items())]
        points.append(point)
    return points
