"""Properties of the suppression rule and the paired shift, over generated inputs."""

from __future__ import annotations

import math
import statistics

from hypothesis import example, given
from hypothesis import strategies as st

from admin.feedback.stats import paired_shift, t_quantile
from admin.feedback.suppress import (
    PROTECTED,
    SUPPRESSED,
    WITHHELD,
    share,
    shown,
    suppress_breakdown,
    suppress_with_total,
)
from tests.support.feedback import breakdown_problems

counts = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12)


@given(counts)
@example([4, 6])
@example([1, 5])
@example([4, 3])  # 7 = 4 + 3 beside a known 7: "<5" twice would pin each to 3 or 4
def test_no_published_breakdown_reveals_a_small_cell(values):
    cells = [(f"c{i}", n) for i, n in enumerate(values)]
    out = suppress_breakdown(cells)
    assert [k for k, _ in out] == [k for k, _ in cells]
    if sum(values) < 5:
        # a small total the reader knows (a class's size), its cells all small: a limit
        # (3 = 1 + 2); the labels are still true
        assert all((v == "<5") == (0 < n < 5) for (_k, v), n in zip(out, values, strict=True)
                   if n)
        return
    assert not breakdown_problems(dict(cells), {k: str(v) for k, v in out})
    assert all(v != SUPPRESSED for (_k, n), (_k2, v) in zip(cells, out, strict=True)
               if n == 0)  # zeros are never hidden


@given(counts)
@example([1, 2])
@example([4, 4, 4, 30])
@example([1, 5])
def test_a_breakdown_printed_with_its_total_hides_the_total_when_it_must(values):
    cells = [(f"c{i}", n) for i, n in enumerate(values)]
    total, out = suppress_with_total(cells)
    assert not breakdown_problems(dict(cells), {k: str(v) for k, v in out}, str(total))


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=500))
def test_shares_are_of_the_total_and_hidden_with_their_cell(n, total):
    assert share(n, total) == round(100 * n / total, 1)
    assert share(SUPPRESSED, total) == SUPPRESSED
    assert share(n, SUPPRESSED) is None


def test_a_count_on_its_own_is_shown_unless_it_is_1_to_4():
    # ETHICS.md rule 11: fewer than 5 sessions is not published; 0 is no one, so it shows
    assert [shown(n) for n in range(7)] == [0, "<5", "<5", "<5", "<5", 5, 6]


def test_a_share_of_no_sessions_or_of_a_hidden_total_is_none():
    assert share(0, 0) is None and share(3, 0) is None
    assert share(7, PROTECTED) is None and share(7, WITHHELD) is None
    assert share(PROTECTED, 40) == PROTECTED and share(WITHHELD, 40) == WITHHELD


def test_a_printed_total_is_hidden_rather_than_the_labels():
    # 12 = 6 + 5 + 1 + 0. Printed, the 12 pins the 1 even with the 6 or the 5 hidden beside
    # it (12 - 5 - "<5" leaves 1 or 2 for it), so the total goes; then nothing gives the 1
    # away and the labels can stay, rather than every hidden cell reading "hidden".
    cells = [("a", 6), ("b", 5), ("c", 1), ("d", 0)]
    total, out = suppress_with_total(cells)
    assert (total, dict(out)["c"], dict(out)["d"]) == (PROTECTED, SUPPRESSED, 0)
    assert not breakdown_problems(dict(cells), {k: str(v) for k, v in out}, str(total))


pairs = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=2, max_size=80)


@given(pairs)
def test_the_paired_shift_is_the_mean_difference_with_a_t_interval(answers):
    before = [b for b, _ in answers]
    after = [a for _, a in answers]
    d = [a - b for b, a in answers]
    shift = paired_shift(len(d), sum(before), sum(after), sum(d), sum(x * x for x in d))
    assert shift.pairs == len(d)
    assert math.isclose(shift.mean_diff, statistics.mean(d), abs_tol=1e-9)
    assert math.isclose(shift.mean_after - shift.mean_before, shift.mean_diff, abs_tol=1e-9)
    half = t_quantile(0.975, len(d) - 1) * statistics.stdev(d) / math.sqrt(len(d))
    assert math.isclose(shift.high - shift.mean_diff, half, abs_tol=1e-6)
    assert math.isclose(shift.mean_diff - shift.low, half, abs_tol=1e-6)
    assert paired_shift(1, 1, 2, 1, 1) is None
