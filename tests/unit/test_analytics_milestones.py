"""What a case tells the org screen about its release offers: terms against the formula."""

from __future__ import annotations

from datetime import date

import pytest

from fairpivot.domain.analytics.milestones import formula_amount, milestones
from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.engine import examine
from tests.builders import case, event, load, pivot

# The builders' employee: base pay 156,000, hired 2020-01-06. amazon-pivot's tier 1 is ten
# weeks of base plus 1% of base per whole year of tenure; tier 2 is a third of tier 1.


def context(doc: dict[str, object]) -> ReviewContext:
    loaded = load(doc)
    return examine(loaded.file, loaded.policy)[1]


def test_it_records_each_release_offer_with_the_policy_s_formula_amount() -> None:
    # 2025-03-01: 5 whole years. 156000 * 10/52 + 156000 * 0.01 * 5 = 30000 + 7800 = 37800.
    doc = case(
        events=[
            event("focus_started", "2025-02-01", by="M-1", disclosed=True),
            pivot("2025-03-01", amount=37_000, group_disclosures=True, negotiated=False),
        ]
    )
    (release,) = milestones(context(doc)).releases
    assert (release.amount, release.formula_amount) == (37_000.0, 37_800.0)
    assert (release.negotiated, release.group_disclosures, release.group_program) == (
        False,
        True,
        False,
    )
    assert release.age_40_plus is True


@pytest.mark.parametrize(
    ("day", "tier", "amount"),
    [
        # The day before the sixth anniversary: 5 years, tier 1 37800, tier 2 12600.
        (date(2026, 1, 5), 1, 37_800.0),
        (date(2026, 1, 5), 2, 12_600.0),
        # On it: 6 years, tier 1 30000 + 9360 = 39360, tier 2 13120, tier 3 6560.
        (date(2026, 1, 6), 2, 13_120.0),
        (date(2026, 1, 6), 3, 6_560.0),
        (date(2026, 1, 6), 4, None),  # amazon-pivot has no tier 4
    ],
)
def test_it_works_the_formula_on_the_offer_s_day(
    day: date, tier: int, amount: float | None
) -> None:
    ctx = context(case(events=[event("focus_started", "2025-02-01", by="M-1", disclosed=True)]))
    assert formula_amount(ctx, tier, day) == amount


def test_a_policy_without_tiers_has_no_formula_amount() -> None:
    doc = case(policy="standard-pip", events=[])
    assert formula_amount(context(doc), 1, date(2025, 6, 1)) is None
