"""impact.four_fifths: the four-fifths rule with Fisher's exact test, and suppression."""

from __future__ import annotations

from datetime import date

import pytest

from fairpivot.domain.analytics.impact import (
    GroupCount,
    StageImpact,
    four_fifths_findings,
    stage_impact,
)
from fairpivot.domain.analytics.settings import OrgScreenSettings
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.review.model import Finding

AS_OF = date(2025, 12, 31)


def impact(stage: str, *counts: tuple[str, int, int]) -> StageImpact:
    return stage_impact(stage, "sex", [GroupCount(g, n, k) for g, n, k in counts])


def findings(table: StageImpact) -> list[Finding]:
    return four_fifths_findings(table, "retail", AS_OF, OrgScreenSettings())


def fired(table: StageImpact) -> list[str]:
    return [f.evidence["group"] for f in findings(table)]


# --- the ratios ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lowest", "fires"), [(79, True), (80, False), (81, False)])
def test_it_fires_when_the_adverse_rate_ratio_is_under_four_fifths(
    lowest: int, fires: bool
) -> None:
    # 10% of men against 7.9% / 8.0% / 8.1% of women: ratios 0.79, 0.80, 0.81.
    table = impact("focus", ("female", 1000, lowest), ("male", 100, 10))
    assert table.comparison_group == "female"
    assert table.row("male").adverse_ratio == pytest.approx(lowest / 100)
    assert fired(table) == (["male"] if fires else [])


@pytest.mark.parametrize(("adverse", "fires"), [(84, False), (85, True)])
def test_it_fires_when_the_favourable_rate_ratio_alone_is_under_four_fifths(
    adverse: int, fires: bool
) -> None:
    # Exits: 80% of women leave (20% stay); 84% or 85% of men leave (16% or 15% stay).
    # Adverse ratios 0.95 and 0.94 pass; favourable ratios 0.80 (not under) and 0.75 fire.
    table = impact("exited", ("female", 100, 80), ("male", 100, adverse))
    row = table.row("male")
    assert row.adverse_ratio is not None
    assert row.adverse_ratio > 0.9
    assert row.favourable_ratio == pytest.approx((100 - adverse) / 20)
    assert fired(table) == (["male"] if fires else [])


def test_it_rates_high_when_fisher_s_p_is_under_the_significance_level() -> None:
    # [[5, 5], [0, 10]]: weights C(10, x) * C(10, 5 - x) over C(20, 5) = 15504:
    #   x=0: 252   x=1: 2100   x=2: 5400   x=3: 5400   x=4: 2100   x=5: 252 (observed)
    #   p = 504/15504 = 0.0325
    table = impact("pivot", ("female", 10, 0), ("male", 10, 5))
    (finding,) = findings(table)
    assert finding.severity == "high"
    assert finding.evidence["p_value"] == pytest.approx(0.0325)


def test_it_rates_medium_when_fisher_s_p_is_at_or_over_the_significance_level() -> None:
    # [[3, 7], [1, 9]]: column 4 of 20, C(20, 4) = 4845; weights C(10, x) * C(10, 4 - x):
    #   x=0: 210   x=1: 1200   x=2: 2025   x=3: 1200 (observed)   x=4: 210
    #   p = (210 + 1200 + 1200 + 210)/4845 = 2820/4845 = 0.582
    table = impact("pivot", ("female", 10, 1), ("male", 10, 3))
    (finding,) = findings(table)
    assert finding.severity == "medium"
    assert finding.evidence["p_value"] == pytest.approx(0.582)


def test_it_writes_the_evidence_rounded_and_dates_the_finding_as_of() -> None:
    table = impact("pivot", ("female", 30, 2), ("male", 30, 9))
    (finding,) = findings(table)
    assert finding.code == "impact.four_fifths"
    assert finding.date == AS_OF
    assert finding.evidence == {
        "org": "retail",
        "stage": "pivot",
        "dimension": "sex",
        "group": "male",
        "comparison_group": "female",
        "at_risk": 30,
        "adverse": 9,
        "rate": 0.3,
        "comparison_rate": 0.0667,
        "adverse_ratio": 0.2222,
        "favourable_ratio": 0.75,
        "p_value": pytest.approx(finding.evidence["p_value"]),
    }
    assert "9 of 30" in finding.message
    assert "'female'" in finding.message
    assert "1607.4(D)" in finding.basis
    assert "Fisher" in finding.basis


def test_it_treats_two_groups_with_no_adverse_outcomes_as_equal() -> None:
    table = impact("failed", ("female", 10, 0), ("male", 12, 0))
    assert table.row("male").adverse_ratio == 1.0
    assert table.row("male").favourable_ratio == 1.0
    assert findings(table) == []


def test_it_never_takes_undisclosed_as_the_comparison_group() -> None:
    table = impact("focus", ("undisclosed", 20, 0), ("female", 20, 2), ("male", 20, 6))
    assert table.comparison_group == "female"
    assert table.row("undisclosed").shown
    assert table.row("undisclosed").adverse_ratio is None  # 0% against 10%: no finite ratio
    assert table.row("female").p_value is None
    assert fired(table) == ["male"]


def test_it_can_find_against_undisclosed_like_any_shown_group() -> None:
    table = impact("focus", ("undisclosed", 20, 8), ("female", 20, 2), ("male", 20, 2))
    assert fired(table) == ["undisclosed"]


# --- suppression ---------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "shown"), [(4, False), (5, True)])
def test_it_shows_a_group_only_from_five_people(size: int, shown: bool) -> None:
    # Two other small groups, so no complementary suppression muddies the picture.
    table = impact("focus", ("a", 100, 5), ("b", 60, 3), ("c", size, 1), ("d", 1, 0), ("e", 2, 0))
    row = table.row("c")
    assert row.shown is shown
    assert row.suppressed == (None if shown else "small")
    assert (row.at_risk, row.adverse_rate) == ((size, 0.2) if shown else (None, None))


def test_it_hides_the_next_smallest_group_when_exactly_one_is_small() -> None:
    table = impact("focus", ("a", 100, 5), ("b", 50, 3), ("c", 20, 1), ("d", 3, 1))
    assert [(r.group, r.suppressed) for r in table.rows] == [
        ("a", None),
        ("b", None),
        ("c", "complementary"),
        ("d", "small"),
    ]
    hidden = table.row("c")
    assert (hidden.at_risk, hidden.adverse, hidden.adverse_rate, hidden.p_value) == (
        None,
        None,
        None,
        None,
    )


def test_it_hides_no_extra_group_when_two_are_small() -> None:
    table = impact("focus", ("a", 100, 5), ("b", 50, 3), ("c", 20, 1), ("d", 3, 1), ("e", 2, 0))
    assert [r.group for r in table.rows if r.shown] == ["a", "b", "c"]
    assert {r.group: r.suppressed for r in table.rows if not r.shown} == {
        "d": "small",
        "e": "small",
    }


def test_it_never_compares_with_or_names_a_suppressed_group() -> None:
    # d (0 of 3) has the lowest rate and c (10 of 20) the highest, but d is too small and
    # c is hidden to protect d, so the comparison runs between a and b alone.
    table = impact("pivot", ("a", 100, 10), ("b", 50, 15), ("c", 20, 10), ("d", 3, 0))
    assert table.comparison_group == "a"
    found = findings(table)
    assert [f.evidence["group"] for f in found] == ["b"]
    for finding in found:
        text = finding.message + repr(finding.evidence)
        assert "'c'" not in text
        assert "'d'" not in text


def test_it_finds_nothing_when_every_group_is_suppressed() -> None:
    table = impact("pivot", ("a", 30, 1), ("b", 4, 4))
    assert table.comparison_group is None
    assert findings(table) == []


def test_it_takes_the_minimum_group_size_from_the_settings() -> None:
    counts = [GroupCount("a", 10, 1), GroupCount("b", 10, 5), GroupCount("c", 10, 5)]
    table = stage_impact("pivot", "sex", counts, OrgScreenSettings(min_group=11))
    assert not any(row.shown for row in table.rows)


# --- bad input -----------------------------------------------------------------------------


def test_it_refuses_unknown_stages_dimensions_and_impossible_counts() -> None:
    with pytest.raises(InvalidInput) as error:
        stage_impact(
            "hired",
            "height",
            [GroupCount("a", 5, 6), GroupCount("a", 5, 1), GroupCount("b", 5, -1)],
        )
    assert len(error.value.problems) == 5
