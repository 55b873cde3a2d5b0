"""Exact tests, stdlib only: Fisher's exact test (two- and one-sided), a binomial tail,
and the Benjamini-Hochberg adjustment for a family of tests.

The domain may not import scipy. Counts run from a handful of people to a million-person
headcount, so probabilities are worked in log space and each tail is summed outward from
its edge until the terms no longer change the sum: a few hundred steps, not one per table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# scipy.stats.fisher_exact counts a table as "as extreme" when its probability is within a
# relative 1e-7 of the observed one, so that ties lost to float rounding still count.
_TOLERANCE = math.log1p(1e-7)
_NEGLIGIBLE = 1e-17  # a term this small beside the running sum no longer changes it


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value for the 2x2 table [[a, b], [c, d]]."""
    if min(a, b, c, d) < 0:
        raise ValueError(f"a 2x2 table cannot hold a negative count: {[[a, b], [c, d]]}")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0:
        return 1.0
    # With the margins fixed the table is set by its top-left cell x, hypergeometric:
    # P(x) = C(row1, x) C(row2, col1 - x) / C(n, col1), rising to its mode and falling after.
    low, high = max(0, col1 - row2), min(row1, col1)
    table = _Hypergeometric(row1, row2, col1)
    cut = table.log_p(a) + _TOLERANCE
    mode = min(max((row1 + 1) * (col1 + 1) // (n + 2), low), high)
    if table.log_p(mode) <= cut:
        return 1.0
    left = _last_at_or_below(table, cut, low, mode, rising=True)
    right = _last_at_or_below(table, cut, mode, high, rising=False)
    total = 0.0
    if left is not None:
        total += table.tail_sum(left, low, step=-1)
    if right is not None:
        total += table.tail_sum(right, high, step=1)
    return min(1.0, total)


def fisher_greater(a: int, b: int, c: int, d: int) -> float:
    """One-sided Fisher exact p-value for [[a, b], [c, d]]: P(top-left >= a), margins fixed.

    The alternative is that the first row's share in the first column is the larger, as in
    scipy's ``alternative="greater"``: for adverse impact, that the group's adverse rate is
    above the comparison group's.
    """
    if min(a, b, c, d) < 0:
        raise ValueError(f"a 2x2 table cannot hold a negative count: {[[a, b], [c, d]]}")
    row1, row2, col1 = a + b, c + d, a + c
    low, high = max(0, col1 - row2), min(row1, col1)
    if a <= low:
        return 1.0
    table = _Hypergeometric(row1, row2, col1)
    mode = min(max((row1 + 1) * (col1 + 1) // (row1 + row2 + 2), low), high)
    # Summed from the tail's far side of the mode, where the terms only fall, so the sum
    # stops after a few hundred steps however large the table.
    if a > mode:
        return min(1.0, table.tail_sum(a, high, step=1))
    return max(0.0, min(1.0, 1.0 - table.tail_sum(a - 1, low, step=-1)))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values, in the order given.

    The i-th smallest of m p-values becomes the least of m * p(j) / j over j >= i (capped
    at 1): a test is a discovery at false discovery rate q when its adjusted p is at most q
    (Benjamini and Hochberg, J. R. Stat. Soc. B 57 (1995) 289).
    """
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = running
    return adjusted


class _Hypergeometric:
    """The distribution of a 2x2 table's top-left cell given its margins."""

    def __init__(self, row1: int, row2: int, col1: int) -> None:
        self.row1, self.row2, self.col1 = row1, row2, col1
        self._base = _log_comb(row1 + row2, col1)

    def log_p(self, x: int) -> float:
        """The log probability of the table whose top-left cell is ``x``."""
        return _log_comb(self.row1, x) + _log_comb(self.row2, self.col1 - x) - self._base

    def ratio(self, x: int, step: int) -> float:
        """P(x + step) / P(x), for a step of one either way."""
        r1, r2, c1 = self.row1, self.row2, self.col1
        if step > 0:
            return (r1 - x) * (c1 - x) / ((x + 1) * (r2 - c1 + x + 1))
        return x * (r2 - c1 + x) / ((r1 - x + 1) * (c1 - x + 1))

    def tail_sum(self, start: int, end: int, step: int) -> float:
        """P(start) + P(start + step) + ... through ``end``, stopping once terms vanish."""
        term, total, x = 1.0, 1.0, start
        while x != end:
            term *= self.ratio(x, step)
            x += step
            total += term
            if term < total * _NEGLIGIBLE:
                break
        return math.exp(self.log_p(start)) * total


def _last_at_or_below(
    table: _Hypergeometric, cut: float, low: int, high: int, *, rising: bool
) -> int | None:
    """On a stretch where log P only rises (or only falls), the x nearest the mode with
    log P <= cut; None when there is none."""
    edge = low if rising else high
    if table.log_p(edge) > cut:
        return None
    inside, outside = edge, high if rising else low  # log P(inside) <= cut < log P(outside)
    while abs(outside - inside) > 1:
        middle = (inside + outside) // 2
        if table.log_p(middle) <= cut:
            inside = middle
        else:
            outside = middle
    return inside


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if n < 0 or not 0.0 <= p <= 1.0:
        raise ValueError(f"no binomial distribution with n={n}, p={p}")
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    # Summed in log space: C(n, i) overflows a float long before an org's headcount does.
    log_p, log_q = math.log(p), math.log1p(-p)
    total = math.fsum(
        math.exp(_log_comb(n, i) + i * log_p + (n - i) * log_q) for i in range(k, n + 1)
    )
    return min(1.0, total)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
