"""What a page's published numbers give away: the disclosure audit and the suppression that
passes it (ETHICS.md rule 11).

A page (or a CSV) is modelled as a ``Grid``: cells (a key and its true count of visitor
sessions) and the additive relations between them (a total is the sum of its parts: a row,
a column, an "All" row, a story's started = finished + left). A cell is shown, hidden as
small (1 to ``MIN_CELL - 1``, labelled "fewer than 5": ``SMALL``), hidden to protect a small
cell (``PROTECTING``), or not published at all (a total no table prints). A total no table
prints but a reader can get elsewhere (the session count on another page) is ``known``: it
counts as shown and is never hidden.

The audit (``intervals``) bounds each cell given every shown number and the relations, all
cells non-negative integers, by iterative interval propagation over the linear constraints
(bounds tightening, as statistical disclosure control audits do, without an LP solver: every
step is sound, so the bounds are valid outer bounds. They are exact for a single sum; on a
table with margins they can be wider than an LP's, which the tests check against brute force
on small tables). A page passes (``failures`` is empty) when:

- reading the numbers alone, every hidden cell could take at least ``MIN_CELL + 1`` values
  (its interval is at least ``MIN_CELL`` wide: the "protection interval");
- reading the labels too (a small cell is 1 to 4, a protecting cell 5 or more), every small
  cell could still be any of at least ``MIN_CELL - 2`` counts (three: 4 + 4 + 4 hidden beside
  a total that leaves 12 gives each away; a hidden 6 beside a total of 8 leaves 1 to 3).

``Grid.protect`` hides the small cells, then, while the audit fails, hides one more shown
cell in a relation of a failing cell (a large one first: it leaves room either way), so
every protected page passes. A relation whose total is itself small is left out: its parts
are all small too and the page shows none of them as numbers.

When the labels alone still pin a small cell and nothing shown is left to hide (a page of
small cells under a "protected" total), every hidden cell of the page is published as
``HIDDEN`` ("hidden", not saying whether small or protecting): a reader then knows only
that it is 1 or more, and the audit reads it so, with the small totals' sums put back (they
tie a total that no longer reads "fewer than 5" to its parts).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

MIN_CELL = 5
SMALL = "small"
PROTECTING = "protecting"
HIDDEN = "hidden"  # small or protecting, the label withheld: 1 or more
PASSES = 100  # propagation sweeps; stopping early still leaves valid (wider) bounds


class Grid:
    """The cells and additive relations of one page, and which cells are hidden."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.unpublished: set[Hashable] = set()
        self.known: set[Hashable] = set()
        self.relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        # sums under a small total: left out of protection, read once labels are withheld
        self.small_relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        self.hidden: dict[Hashable, str] = {}

    def cell(self, key: Hashable, n: int, published: bool = True,
             known: bool = False) -> Hashable:
        """Add a cell (a small published one is hidden at once); returns its key."""
        self.values[key] = int(n)
        if known:
            self.known.add(key)
        elif not published:
            self.unpublished.add(key)
        elif 0 < n < MIN_CELL:
            self.hidden[key] = SMALL
        return key

    def relate(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """State that ``total`` is the sum of ``parts`` (all added as cells before)."""
        parts = tuple(parts)
        if sum(self.values[p] for p in parts) != self.values[total]:
            raise ValueError(f"the parts of {total!r} do not add up to it")
        if self.values[total] >= MIN_CELL and parts:
            self.relations.append((total, parts))
        elif parts:
            self.small_relations.append((total, parts))

    def protect(self) -> Grid:
        """Hide protecting cells until the audit passes; withhold the labels if that fails."""
        while failed := failures(self):
            # the cell most directly exposed first (the only hidden cell of a relation):
            # hiding beside it, not beside the cells it gives away, is what helps; a cell
            # with nothing left to hide beside it passes to the next
            order = sorted({key for key, _reading, _iv in failed},
                           key=lambda k: (self._exposure(k), repr(k)))
            pick = next((p for k in order if (p := self._complement(k)) is not None), None)
            if pick is not None:
                self.hidden[pick] = HIDDEN if self.withheld else PROTECTING
            elif self.withheld or any(reading != "labels" for _k, reading, _iv in failed):
                break  # the numbers alone pin it: withholding labels cannot help
            else:
                self.hidden = dict.fromkeys(self.hidden, HIDDEN)
        return self

    @property
    def withheld(self) -> bool:
        """Whether the page's hidden cells are published without their labels (HIDDEN)."""
        return HIDDEN in self.hidden.values()

    def published(self, key: Hashable) -> int | str:
        """A cell as published: its count, SMALL, PROTECTING or HIDDEN."""
        return self.hidden.get(key, self.values[key])

    def _shown(self, key: Hashable) -> bool:
        return key in self.known or (key not in self.hidden and key not in self.unpublished)

    def _complement(self, failing: Hashable) -> Hashable | None:
        # the failing cell's relations, those with the fewest other hidden cells first (the
        # one that pins it); then, ring by ring, the relations its value reaches through
        # cells that are not shown (hidden, or totals no table prints)
        near = sorted((r for r in self.relations if failing == r[0] or failing in r[1]),
                      key=lambda r: sum(not self._shown(k) for k in (r[0], *r[1])))
        rings, seen, reached = [near], set(map(id, near)), {failing}
        while rings[-1]:
            reached |= {k for t, ps in rings[-1] for k in (t, *ps) if not self._shown(k)}
            ring = [r for r in self.relations if id(r) not in seen
                    and any(k in reached for k in (r[0], *r[1]))]
            seen |= set(map(id, ring))
            rings.append(ring)
        for pool in rings:
            for _total, parts in pool:
                cands = [k for k in parts if self._open(k)]
                if cands:
                    # a large cell first (>= 2 * MIN_CELL leaves a small one room both
                    # ways), then the smallest
                    return min(cands, key=lambda k: (self.values[k] < 2 * MIN_CELL,
                                                     self.values[k], repr(k)))
            for total, _parts in pool:  # no part left: a total goes (its tables follow)
                if self._open(total):
                    return total
        return None

    def _exposure(self, key: Hashable) -> float:
        return min((sum(not self._shown(k) for k in (t, *ps)) - 1 for t, ps in self.relations
                    if key == t or key in ps), default=math.inf)

    def _open(self, key: Hashable) -> bool:
        return self._shown(key) and self.values[key] > 0 and key not in self.known


def intervals(grid: Grid, labels: bool) -> dict[Hashable, tuple[float, float]]:
    """Each cell's (low, high) given the shown cells and relations (and the labels)."""
    lo: dict[Hashable, float] = {}
    hi: dict[Hashable, float] = {}
    for k, v in grid.values.items():
        if grid._shown(k):
            lo[k] = hi[k] = v
        else:
            lo[k], hi[k] = 0, math.inf
            if labels and grid.hidden.get(k) == SMALL:
                lo[k], hi[k] = 1, MIN_CELL - 1
            elif labels and grid.hidden.get(k) == PROTECTING:
                lo[k] = MIN_CELL
            elif labels and grid.hidden.get(k) == HIDDEN:
                lo[k] = 1  # hidden cells are never 0 (a 0 is shown)
    relations = grid.relations
    if labels and grid.withheld:
        relations = relations + grid.small_relations
    for _ in range(PASSES):
        changed = False
        for total, parts in relations:
            # sums of the parts' bounds, infinities counted apart (inf - inf is undefined)
            s_lo = sum(lo[p] for p in parts)
            fin_hi = sum(hi[p] for p in parts if hi[p] != math.inf)
            n_inf = sum(1 for p in parts if hi[p] == math.inf)
            new_lo, new_hi = max(lo[total], s_lo), min(hi[total], math.inf if n_inf else fin_hi)
            if (new_lo, new_hi) != (lo[total], hi[total]):
                lo[total], hi[total], changed = new_lo, new_hi, True
            for p in parts:
                others_lo = s_lo - lo[p]
                if hi[p] == math.inf:
                    others_hi = math.inf if n_inf > 1 else fin_hi
                else:
                    others_hi = math.inf if n_inf else fin_hi - hi[p]
                p_lo = max(lo[p], lo[total] - others_hi)
                p_hi = min(hi[p], hi[total] - others_lo)
                if (p_lo, p_hi) != (lo[p], hi[p]):
                    # keep the sums current for the next part of the same relation
                    s_lo += p_lo - lo[p]
                    if hi[p] == math.inf and p_hi != math.inf:
                        n_inf -= 1
                        fin_hi += p_hi
                    elif hi[p] != math.inf:
                        fin_hi += p_hi - hi[p]
                    lo[p], hi[p], changed = p_lo, p_hi, True
        if not changed:
            break
    return {k: (lo[k], hi[k]) for k in grid.values}


def failures(grid: Grid) -> list[tuple[Hashable, str, tuple[float, float]]]:
    """The hidden cells the published numbers narrow too far: (key, reading, interval)."""
    out = []
    plain = intervals(grid, labels=False)
    labelled = intervals(grid, labels=True) if any(
        v in (SMALL, HIDDEN) for v in grid.hidden.values()) else {}
    for key in sorted(grid.hidden, key=repr):
        low, high = plain[key]
        small = grid.values[key] < MIN_CELL  # a SMALL cell, or a HIDDEN one that is small
        if high - low < MIN_CELL:
            out.append((key, "numbers", (low, high)))
        elif small and labelled[key][1] - labelled[key][0] < MIN_CELL - 3:
            out.append((key, "labels", labelled[key]))
    return out
