"""Statistics for the survey shift: Student's t quantile and a paired 95% interval.

SciPy is not a dependency, so the t distribution is computed here: its CDF through the
regularised incomplete beta function (Lentz's continued fraction, as in Numerical Recipes
6.4), its quantile by bisection on the CDF. Checked in the tests against published table
values (t 0.975 with 1, 4, 10, 30 and 100 degrees of freedom).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _betacf(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df degrees of freedom."""
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value below which a share p of Student's t with df degrees of freedom lies."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError("p must be in (0, 1) and df positive")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return (lo + hi) / 2.0


@dataclass(frozen=True)
class Shift:
    """The mean of paired differences (after minus before) and its 95% interval."""

    pairs: int
    mean_before: float
    mean_after: float
    mean_diff: float
    low: float
    high: float


def paired_shift(n: int, sum_before: float, sum_after: float, sum_d: float,
                 sum_d2: float) -> Shift | None:
    """The shift from running sums over n pairs (d = after - before); None below 2 pairs."""
    if n < 2:
        return None
    mean = sum_d / n
    var = max(0.0, (sum_d2 - n * mean * mean) / (n - 1))  # rounding may dip below zero
    half = t_quantile(0.975, n - 1) * math.sqrt(var / n)
    return Shift(n, sum_before / n, sum_after / n, mean, mean - half, mean + half)
