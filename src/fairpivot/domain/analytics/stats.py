"""Exact small-sample tests, stdlib only: Fisher's exact test and a binomial tail.

The domain may not import scipy, and the counts are small enough (an org's headcount) for
exact integer arithmetic, which also avoids the rounding that makes p-values drift.
"""

from __future__ import annotations

import math

# scipy.stats.fisher_exact counts a table as "as extreme" when its probability is within a
# relative 1e-7 of the observed one, so that ties lost to float rounding still count. Our
# probabilities are exact integers, but matching scipy keeps the results comparable. Kept
# as an integer ratio: the numerators overflow a float at a few thousand people.
_TOLERANCE_SCALE = 10**7


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value for the 2x2 table [[a, b], [c, d]]."""
    if min(a, b, c, d) < 0:
        raise ValueError(f"a 2x2 table cannot hold a negative count: {[[a, b], [c, d]]}")
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2
    if n == 0:
        return 1.0
    # With the margins fixed the table is set by its top-left cell x; its probability is
    # C(row1, x) * C(row2, col1 - x) / C(n, col1). Compare and add the integer numerators.
    low, high = max(0, col1 - row2), min(row1, col1)
    weights = [math.comb(row1, x) * math.comb(row2, col1 - x) for x in range(low, high + 1)]
    observed = weights[a - low]
    limit = observed * (_TOLERANCE_SCALE + 1)
    extreme = sum(w for w in weights if w * _TOLERANCE_SCALE <= limit)
    return min(1.0, extreme / math.comb(n, col1))


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
