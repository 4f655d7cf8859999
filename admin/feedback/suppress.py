"""Small numbers are not published (ETHICS.md rule 11): how a hidden cell is published.

A cell resting on 1 to ``MIN_CELL - 1`` visitor sessions is published as ``SUPPRESSED``
("fewer than 5"); a larger cell hidden so that the small ones cannot be worked out from the
rest of the page is published as ``PROTECTED`` ("hidden to protect a small group"), never as
"fewer than 5". On a page where those two labels would give a small count away, every hidden
cell is published as ``WITHHELD`` ("hidden"), not saying which it is. Which cells those are is decided by ``admin.feedback.disclosure`` over every
additive relation of the page. Every report (stories, choices, surveys, breakdowns) and the
school results use these.
"""

from __future__ import annotations

from collections.abc import Hashable

from admin.feedback.disclosure import MIN_CELL, PROTECTING, SMALL, Grid

SUPPRESSED = "<5"
PROTECTED = "protected"
WITHHELD = "hidden"
HIDDEN_VALUES = (SUPPRESSED, PROTECTED, WITHHELD)


def shown(n: int) -> int | str:
    """A count as published on its own: itself, or SUPPRESSED for 1 to 4."""
    return SUPPRESSED if 0 < n < MIN_CELL else n


def published(grid: Grid, key: Hashable) -> int | str:
    """A cell of a protected grid as published: its count, SUPPRESSED, PROTECTED or WITHHELD."""
    value = grid.published(key)
    if isinstance(value, int):
        return value
    return {SMALL: SUPPRESSED, PROTECTING: PROTECTED}.get(value, WITHHELD)


def _audit(cells: list[tuple[str, int]], total_known: bool
           ) -> tuple[int | str, list[tuple[str, int | str]]]:
    """A breakdown and its total audited together on one grid: (total, cells) as published."""
    grid = Grid()
    # The grid's keys are private to this audit: any distinct keys but None (the grid's "no
    # cell") give the same page, and the keys are made one per cell, so strict= never fires.
    # Their mutants are equivalent (docs/quality.md): the pragma lines hold only them.
    total = grid.cell(
        ("total",),  # pragma: no mutate
        sum(n for _k, n in cells), known=total_known)
    keys = [grid.cell(
        ("cell", i),  # pragma: no mutate
        n) for i, (_k, n) in enumerate(cells)]
    grid.relate(total, keys)
    grid.protect()
    pairs = zip(cells, keys, strict=True)  # pragma: no mutate
    return published(grid, total), [(k, published(grid, key)) for (k, _n), key in pairs]


def suppress_with_total(cells: list[tuple[str, int]]
                        ) -> tuple[int | str, list[tuple[str, int | str]]]:
    """A breakdown and its published total, audited together: (total, cells)."""
    return _audit(cells, total_known=False)


def suppress_breakdown(cells: list[tuple[str, int]]) -> list[tuple[str, int | str]]:
    """Cells of a breakdown whose total a reader knows, audited with it."""
    return _audit(cells, total_known=True)[1]


def share(n: int | str, total: int | str) -> float | str | None:
    """n as a percentage of total (one decimal), hidden with n, None without a total."""
    if n in HIDDEN_VALUES:
        return n
    if not isinstance(total, int) or total <= 0:
        return None
    return round(100 * n / total, 1)
