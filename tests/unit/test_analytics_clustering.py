"""quota.clustering: placements bunched in the last days of an attrition-target period."""

from __future__ import annotations

from datetime import date

import pytest

from fairpivot.domain.analytics.clustering import Placement, quota_clustering, target_period
from fairpivot.domain.analytics.settings import OrgScreenSettings
from fairpivot.domain.errors import InvalidInput

# Q1 2025 runs 1 January to 31 March: 90 days, so its last 30 days (2 to 31 March) hold a
# third of it and the rule fires from two thirds of the placements in them.
EARLY = date(2025, 1, 15)
LATE = date(2025, 3, 20)
AS_OF = date(2025, 6, 30)


def placements(early: int, late: int, *, org: str = "retail") -> list[Placement]:
    return [Placement(f"E-{i}", org, EARLY, "focus_started") for i in range(early)] + [
        Placement(f"L-{i}", org, LATE, "pivot_offered") for i in range(late)
    ]


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2025, 2, 14), (date(2025, 1, 1), date(2025, 3, 31))),
        (date(2025, 8, 1), (date(2025, 7, 1), date(2025, 9, 30))),
        (date(2024, 12, 31), (date(2024, 10, 1), date(2024, 12, 31))),
    ],
)
def test_it_cuts_the_year_into_calendar_quarters(day: date, period: tuple[date, date]) -> None:
    assert target_period(day, 3) == period


def test_it_cuts_other_period_lengths_from_january() -> None:
    assert target_period(date(2024, 2, 10), 1) == (date(2024, 2, 1), date(2024, 2, 29))
    assert target_period(date(2025, 11, 3), 6) == (date(2025, 7, 1), date(2025, 12, 31))


@pytest.mark.parametrize(("count", "fires"), [(4, False), (5, True)])
def test_it_needs_five_placements_in_the_period(count: int, fires: bool) -> None:
    assert len(quota_clustering(placements(0, count), AS_OF)) == (1 if fires else 0)


@pytest.mark.parametrize(
    ("early", "late", "fires"),
    [
        (4, 6, False),  # 60% in the window: 1.8 times its third
        (2, 4, True),  # 66.7%: exactly twice
        (3, 7, True),  # 70%: 2.1 times
    ],
)
def test_it_fires_from_twice_the_window_s_even_share(early: int, late: int, fires: bool) -> None:
    assert len(quota_clustering(placements(early, late), AS_OF)) == (1 if fires else 0)


def test_it_counts_the_window_as_the_last_30_days_of_the_period() -> None:
    before = [Placement(f"C-{i}", "retail", date(2025, 3, 1), "focus_started") for i in range(5)]
    inside = [Placement(f"C-{i}", "retail", date(2025, 3, 2), "focus_started") for i in range(5)]
    assert quota_clustering(before, AS_OF) == []
    (finding,) = quota_clustering(inside, AS_OF)
    assert finding.evidence["in_window"] == 5


@pytest.mark.parametrize(("early", "late", "p"), [(3, 7, 0.0197), (2, 4, 0.100), (0, 30, 0.0)])
def test_it_rates_bunching_medium_however_unlikely_by_chance(
    early: int, late: int, p: float
) -> None:
    # 7 of 10 in a window holding a third: P(X >= 7) for Binomial(10, 1/3)
    #   = (120*8 + 45*4 + 10*2 + 1)/3^10 = 1161/59049 = 0.0197.
    # 4 of 6: P(X >= 4) for Binomial(6, 1/3) = 73/729 = 0.100.
    # 30 of 30: (1/3)^30, about 5e-15. Bunching is worth asking about, never proof.
    (finding,) = quota_clustering(placements(early, late), AS_OF)
    assert finding.severity == "medium"
    assert finding.evidence["p_value"] == pytest.approx(p, abs=1e-3)


def test_it_words_bunching_as_a_pattern_worth_asking_about_not_proof() -> None:
    (finding,) = quota_clustering(placements(3, 7), AS_OF)
    assert "a pattern worth asking about, not proof" in finding.message
    assert "pretext" not in finding.message
    assert "can be evidence" in finding.basis


def test_it_writes_the_period_s_evidence() -> None:
    (finding,) = quota_clustering(placements(3, 7), AS_OF)
    assert finding.code == "quota.clustering"
    assert finding.date == date(2025, 3, 31)
    assert finding.evidence == {
        "org": "retail",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 3, 31),
        "placements": 10,
        "in_window": 7,
        "share": 0.7,
        "expected_share": 0.3333,
        "p_value": pytest.approx(0.0197),
    }
    assert "7 of the 10" in finding.message
    assert "Reeves v. Sanderson Plumbing" in finding.basis


def test_it_uses_the_period_s_own_length_for_the_even_share() -> None:
    # Q3 has 92 days: 30/92 = 0.326.
    late = [Placement(f"C-{i}", "retail", date(2025, 9, 25), "focus_started") for i in range(5)]
    (finding,) = quota_clustering(late, date(2025, 12, 31))
    assert finding.evidence["expected_share"] == pytest.approx(0.3261)


def test_it_ignores_placements_after_as_of_and_dates_a_running_period_as_of() -> None:
    as_of = date(2025, 3, 25)
    found = quota_clustering([*placements(0, 5), *placements(0, 5)], as_of)
    assert [f.date for f in found] == [as_of]
    assert quota_clustering(placements(0, 5), date(2025, 3, 19)) == []


def test_it_keeps_orgs_and_periods_apart() -> None:
    mixed = placements(0, 3, org="retail") + placements(0, 3, org="devices")
    assert quota_clustering(mixed, AS_OF) == []
    two_quarters = placements(0, 3) + [
        Placement(f"Q2-{i}", "retail", date(2025, 6, 20), "focus_started") for i in range(3)
    ]
    assert quota_clustering(two_quarters, AS_OF) == []


def test_it_takes_its_thresholds_from_the_settings() -> None:
    monthly = OrgScreenSettings(
        clustering_period_months=1, clustering_window_days=7, clustering_min_placements=3
    )
    # March: 31 days; the last 7 (25 to 31 March) hold 7/31 of it.
    late = [Placement(f"C-{i}", "retail", date(2025, 3, 25), "focus_started") for i in range(3)]
    (finding,) = quota_clustering(late, AS_OF, monthly)
    assert finding.evidence["period_start"] == date(2025, 3, 1)
    assert finding.evidence["expected_share"] == pytest.approx(7 / 31, abs=1e-4)


def test_it_refuses_an_unknown_kind_of_placement() -> None:
    with pytest.raises(InvalidInput, match="hired"):
        quota_clustering([Placement("C-1", "retail", EARLY, "hired")], AS_OF)
