"""The shape of the org tree: how many people at each depth and how many report to whom.

People are numbered breadth first, so each manager's reports are a contiguous run of the
next tier and the whole tree is known from the spans alone. That lets the generator write
one tier at a time, holding only the tier above it.
"""

from __future__ import annotations

import random
from array import array
from dataclasses import dataclass

MIN_SPAN, MAX_SPAN = 5, 12
# The ratio between tiers the shape aims below; spans are then jittered within 5-12.
MAX_RATIO = 11.0
ORG_LEVELS = 3


@dataclass(frozen=True, slots=True)
class Shape:
    """Tier sizes (the CEO first) and, per managing tier, each manager's report count."""

    sizes: tuple[int, ...]
    spans: tuple[array[int], ...]

    @property
    def depth(self) -> int:
        """The index of the last tier: the individual contributors."""
        return len(self.sizes) - 1

    @property
    def org_levels(self) -> int:
        """How many tiers below the CEO name an org (the rest sit in their manager's)."""
        return max(1, min(ORG_LEVELS, self.depth - 2))

    def first_id(self, tier: int) -> int:
        """The number of the first person of ``tier`` (the CEO is 1)."""
        return 1 + sum(self.sizes[:tier])


def _ratio(total: int, depth: int) -> float:
    """The r with 1 + r + ... + r**depth == total, by bisection."""
    low, high = 1.0, float(total)
    for _ in range(100):
        mid = (low + high) / 2
        if sum(mid**k for k in range(depth + 1)) < total:
            low = mid
        else:
            high = mid
    return low


def tier_sizes(total: int) -> tuple[int, ...]:
    """The fewest tiers whose ratio stays under ``MAX_RATIO``; the last tier takes the rest."""
    depth = 1
    while _ratio(total, depth) > MAX_RATIO:
        depth += 1
    ratio = _ratio(total, depth)
    sizes = [1]
    for k in range(1, depth):
        sizes.append(max(sizes[-1], round(ratio**k)))
    sizes.append(total - sum(sizes))
    while sizes[-1] < sizes[-2]:  # never a manager without reports
        sizes[-2] -= 1
        sizes[-1] += 1
    return tuple(sizes)


def _spans(parents: int, children: int, rng: random.Random) -> array[int]:
    """``children`` shared among ``parents``: each at least one, mostly 5-12, jittered."""
    base, extra = divmod(children, parents)
    spans = array("l", [base]) * parents
    for i in rng.sample(range(parents), extra):
        spans[i] += 1
    low, high = min(MIN_SPAN, max(1, base)), max(MAX_SPAN, base + 1)
    for _ in range(parents if parents > 1 else 0):
        i, j, step = rng.randrange(parents), rng.randrange(parents), rng.randint(1, 3)
        if spans[i] - step >= low and spans[j] + step <= high:
            spans[i] -= step
            spans[j] += step
    return spans


def plan_shape(total: int, rng: random.Random) -> Shape:
    """The tree for ``total`` people."""
    sizes = tier_sizes(total)
    spans = tuple(_spans(sizes[k], sizes[k + 1], rng) for k in range(len(sizes) - 1))
    return Shape(sizes, spans)


def leaf_counts(shape: Shape, tier: int) -> list[int]:
    """How many individual contributors sit under each person of ``tier``."""
    counts = [1] * shape.sizes[-1]
    for k in range(shape.depth - 1, tier - 1, -1):
        rolled, start = [], 0
        for span in shape.spans[k]:
            rolled.append(sum(counts[start : start + span]))
            start += span
        counts = rolled
    return counts
