"""Small numbers are not published (ETHICS.md rule 11): the shared suppression rules.

Any cell resting on 1 to ``MIN_CELL - 1`` visitor sessions is published as ``SUPPRESSED``
("fewer than 5"). In a breakdown whose total is published elsewhere, a single small cell
would be the total minus the others, so the next smallest is hidden too (complementary
suppression). Every report (stories, choices, surveys, breakdowns) and the school results
use these.
"""

from __future__ import annotations

MIN_CELL = 5
SUPPRESSED = "<5"


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


def share(n: int | str, total: int | str) -> float | str | None:
    """n as a percentage of total (one decimal), SUPPRESSED with n, None without a total."""
    if n == SUPPRESSED:
        return SUPPRESSED
    if not isinstance(total, int) or total <= 0:
        return None
    return round(100 * n / total, 1)
