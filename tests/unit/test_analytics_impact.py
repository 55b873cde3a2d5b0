"""impact.four_fifths: the tables, the comparison group, suppression, and the screen's family.

Every figure below is worked by hand in the comments: the one-sided Fisher p is the upper
tail of the hypergeometric weights C(group, x) * C(comparison, adverse total - x).
"""

from __future__ import annotations

from datetime import date

import pytest

from fairpivot.domain.analytics.fourfifths import ImpactScreen, screen_impact
from fairpivot.domain.analytics.impact import GroupCount, StageImpact, stage_impact
from fairpivot.domain.analytics.settings import OrgScreenSettings
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.review.model import Finding

AS_OF = date(2025, 12, 31)
# Women 5 of 10 placed, men 0 of 30: C(40, 5) = 658008 ways to place 5; all 5 among the
# 10 women: C(10, 5) = 252 of them. One-sided p = 252/658008 = 0.000383. Ratio 0/0.5 = 0;
# shortfall 5 - 10 * 0 = 5.
P_REAL = 252 / 658008


def impact(stage: str, *counts: tuple[str, int, int], dimension: str = "sex") -> StageImpact:
    return stage_impact(stage, dimension, [GroupCount(g, n, k) for g, n, k in counts])


def real() -> StageImpact:
    return impact("focus", ("female", 10, 5), ("male", 30, 0))


def null() -> StageImpact:
    """A table with one test whose p is 1: nobody in the tested group met the outcome."""
    return impact("focus", ("female", 30, 0), ("male", 30, 0))


def run(*tables: StageImpact, settings: OrgScreenSettings | None = None) -> ImpactScreen:
    return screen_impact(
        [("retail", table) for table in tables], AS_OF, settings or OrgScreenSettings()
    )


def findings(*tables: StageImpact) -> list[Finding]:
    return list(run(*tables).findings)


def fired(*tables: StageImpact) -> list[str]:
    return [f.evidence["group"] for f in findings(*tables)]


# --- the comparison group --------------------------------------------------------------------


@pytest.mark.parametrize(("size", "comparison"), [(29, "b"), (30, "a")])
def test_it_compares_with_the_lowest_rate_among_groups_of_at_least_30(
    size: int, comparison: str
) -> None:
    # a has no adverse outcome at all: the lowest rate, but a yardstick only from 30 people.
    table = impact("focus", ("a", size, 0), ("b", 100, 10), ("c", 100, 30))
    assert table.comparison_group == comparison
    assert table.row("a").shown


def test_it_still_tests_a_group_smaller_than_30_against_the_comparison_group() -> None:
    table = impact("focus", ("a", 12, 6), ("b", 100, 10))
    assert table.comparison_group == "b"
    assert table.row("a").p_value is not None
    assert fired(table) == ["a"]


def test_it_has_no_comparison_group_and_no_test_when_every_group_is_under_30() -> None:
    table = impact("focus", ("a", 29, 0), ("b", 29, 20))
    assert table.comparison_group is None
    assert table.tests == []
    assert table.row("b").adverse_ratio is None
    assert run(table).tests == ()


def test_it_takes_the_test_group_size_from_the_settings() -> None:
    counts = [GroupCount("a", 20, 0), GroupCount("b", 100, 10)]
    table = stage_impact("focus", "sex", counts, OrgScreenSettings(min_test_group=20))
    assert table.comparison_group == "a"


@pytest.mark.parametrize("group", ["undisclosed", "unknown"])
def test_it_never_takes_undisclosed_or_unknown_as_the_comparison_group(group: str) -> None:
    table = impact("focus", (group, 200, 0), ("female", 100, 10), ("male", 100, 30))
    assert table.comparison_group == "female"
    assert table.row(group).adverse_ratio is None  # 0% against 10%: no finite ratio
    assert table.row("female").p_value is None
    assert fired(table) == ["male"]


def test_it_can_find_against_undisclosed_like_any_shown_group() -> None:
    table = impact("focus", ("undisclosed", 20, 8), ("female", 100, 10), ("male", 100, 10))
    assert fired(table) == ["undisclosed"]


def test_it_breaks_a_tie_for_the_lowest_rate_by_the_larger_group() -> None:
    table = impact("focus", ("a", 50, 5), ("b", 100, 10))
    assert table.comparison_group == "b"


# --- age: 40 and over against under 40 -----------------------------------------------------


def test_it_tests_age_as_40_and_over_against_under_40_only() -> None:
    # unknown fares worst, but only 40 and over is tested, and only against under 40.
    table = impact(
        "focus",
        ("40_plus", 100, 30),
        ("under_40", 100, 10),
        ("unknown", 50, 40),
        dimension="age_band",
    )
    assert table.comparison_group == "under_40"
    assert [row.group for row in table.tests] == ["40_plus"]
    unknown = table.row("unknown")
    assert (unknown.shown, unknown.p_value) == (True, None)
    assert unknown.adverse_ratio == pytest.approx(0.1 / 0.8)  # still in the table
    assert fired(table) == ["40_plus"]


def test_it_compares_with_under_40_even_when_40_and_over_fare_better() -> None:
    # No claim for the younger workers: the ADEA protects 40 and over only.
    table = impact("exited", ("40_plus", 100, 5), ("under_40", 100, 40), dimension="age_band")
    assert table.comparison_group == "under_40"
    assert table.row("40_plus").p_value == pytest.approx(1.0)
    assert table.row("under_40").p_value is None
    assert findings(table) == []


@pytest.mark.parametrize(("younger", "tested"), [(29, False), (30, True)])
def test_it_tests_age_only_with_30_people_under_40(younger: int, tested: bool) -> None:
    table = impact("focus", ("40_plus", 200, 60), ("under_40", younger, 0), dimension="age_band")
    assert (table.comparison_group is not None) is tested
    assert bool(table.tests) is tested


def test_it_gives_age_findings_the_adea_basis_not_the_uniform_guidelines() -> None:
    table = impact("pivot", ("40_plus", 10, 5), ("under_40", 30, 0), dimension="age_band")
    (finding,) = findings(table)
    assert "Smith v. City of Jackson, 544 U.S. 228 (2005)" in finding.basis
    assert "29 C.F.R. 1625.7" in finding.basis
    assert "do not cover age" in finding.basis
    assert "1607.4(D)" not in finding.basis
    assert "the workers under 40, when there are at least 30 people" in finding.basis
    assert "people aged 40 and over" in finding.message
    assert "reasonable factor other than age" in finding.message


def test_it_gives_sex_findings_the_uniform_guidelines_basis() -> None:
    (finding,) = findings(real())
    assert finding.basis.startswith("29 C.F.R. 1607.4(D)")
    assert "Benjamini-Hochberg over the 1 tests of the screen" in finding.basis
    assert "lowest adverse rate among groups of at least 30 people" in finding.basis


# --- the three conditions ---------------------------------------------------------------


@pytest.mark.parametrize(("lowest", "fires"), [(79, True), (80, False), (81, False)])
def test_it_fires_only_when_the_adverse_rate_ratio_is_under_four_fifths(
    lowest: int, fires: bool
) -> None:
    # Men 1000 of 10000 (10%) against women 79, 80 or 81 of 1000: ratios 0.79, 0.80, 0.81.
    # One test alone, so its adjusted p is its raw p (0.017 at 79, 0.022 at 80).
    table = impact("focus", ("female", 1000, lowest), ("male", 10000, 1000))
    assert table.comparison_group == "female"
    assert table.row("male").adverse_ratio == pytest.approx(lowest / 100)
    assert fired(table) == (["male"] if fires else [])


def test_a_favourable_ratio_under_four_fifths_alone_does_not_fire() -> None:
    # Exits: 80 of 100 women, 85 of 100 men. The favourable ratio (15% / 20%) is 0.75;
    # the adverse-rate ratio (80% / 85%) is 0.94. v4 reads the adverse-rate ratio.
    table = impact("exited", ("female", 100, 80), ("male", 100, 85))
    assert table.row("male").favourable_ratio == pytest.approx(0.75)
    assert findings(table) == []


@pytest.mark.parametrize(
    ("adverse", "comparison_adverse", "shortfall", "fires"),
    [
        # 2 of 5 against 0 of 1000: shortfall 2 - 5 * 0 = 2; p = C(5,2)/C(1005,2) = 10/504510.
        (2, 0, 2.0, True),
        # 2 of 5 against 1 of 1000: shortfall 2 - 5/1000 = 1.995; p = 10010/168674510.
        (2, 1, 1.995, False),
        # 1 of 5 against 0 of 1000: shortfall 1; p = 5/1005 = 0.005.
        (1, 0, 1.0, False),
    ],
)
def test_it_needs_a_shortfall_of_at_least_two_people(
    adverse: int, comparison_adverse: int, shortfall: float, fires: bool
) -> None:
    table = impact("pivot", ("female", 5, adverse), ("male", 1000, comparison_adverse))
    row = table.row("female")
    assert row.shortfall == pytest.approx(shortfall)
    assert row.adverse_ratio is not None
    assert row.adverse_ratio < 0.8
    assert run(table).tests[0].adjusted_p < 0.01  # so only the shortfall decides
    assert fired(table) == (["female"] if fires else [])


@pytest.mark.parametrize(
    ("family", "severity"),
    [
        (1, "high"),  # adjusted p = 0.000383
        (26, "high"),  # 26 * 0.000383 = 0.00996
        (27, "medium"),  # 27 * 0.000383 = 0.01034
        (130, "medium"),  # 130 * 0.000383 = 0.04979
        (131, None),  # 131 * 0.000383 = 0.05017: not under fdr_q, no finding
    ],
)
def test_it_adjusts_each_p_for_every_test_of_the_screen(family: int, severity: str | None) -> None:
    # One real test among tests whose p is 1: Benjamini-Hochberg multiplies the smallest p
    # by the number of tests (the others stay at 1).
    screen = run(real(), *[null() for _ in range(family - 1)])
    assert len(screen.tests) == family
    assert screen.tests[0].adjusted_p == pytest.approx(min(1.0, family * P_REAL))
    assert [f.severity for f in screen.findings] == ([severity] if severity else [])


def test_it_adjusts_over_every_table_and_org_of_the_run() -> None:
    tables = [("retail", real()), ("devices", null()), ("devices", null())]
    screen = screen_impact(tables, AS_OF, OrgScreenSettings())
    assert [test.family for test in screen.tests] == [3, 3, 3]
    assert [test.org for test in screen.tests] == ["retail", "devices", "devices"]
    assert screen.tests[0].adjusted_p == pytest.approx(3 * P_REAL)


def test_it_keeps_tests_that_fall_short_in_the_family_but_raises_nothing_for_them() -> None:
    screen = run(null())
    (test,) = screen.tests
    assert (test.row.group, test.adjusted_p, test.fires) == ("male", 1.0, False)
    assert screen.findings == ()


def test_it_takes_the_rate_and_shortfall_thresholds_from_the_settings() -> None:
    strict = OrgScreenSettings(fdr_q=0.0003, high_p=0.0001)
    assert run(real(), settings=strict).findings == ()
    assert run(real(), settings=OrgScreenSettings(min_shortfall=6)).findings == ()


# --- the finding --------------------------------------------------------------------------


def test_it_writes_both_ratios_both_p_values_the_shortfall_and_the_family_size() -> None:
    (finding,) = run(real(), null()).findings
    assert finding.code == "impact.four_fifths"
    assert finding.date == AS_OF
    assert finding.severity == "high"
    assert finding.evidence == {
        "org": "retail",
        "stage": "focus",
        "dimension": "sex",
        "group": "female",
        "comparison_group": "male",
        "at_risk": 10,
        "adverse": 5,
        "comparison_at_risk": 30,
        "comparison_adverse": 0,
        "rate": 0.5,
        "comparison_rate": 0.0,
        "adverse_ratio": 0.0,
        "favourable_ratio": 0.5,
        "shortfall": 5.0,
        "p_value": 0.000383,
        "adjusted_p_value": 0.000766,  # 2 tests: 2 * 0.000383
        "tests": 2,
    }
    assert "5 of 10" in finding.message
    assert "'male'" in finding.message
    assert "2 tests of this screen" in finding.message
    assert "not a finding of discrimination" in finding.message


def test_it_treats_two_groups_with_no_adverse_outcomes_as_equal() -> None:
    table = impact("failed", ("female", 30, 0), ("male", 32, 0))
    assert table.row("female").adverse_ratio == 1.0
    assert table.row("female").favourable_ratio == 1.0
    assert table.row("female").shortfall == 0.0
    assert findings(table) == []


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
    assert hidden.shortfall is None


def test_it_hides_no_extra_group_when_two_are_small() -> None:
    table = impact("focus", ("a", 100, 5), ("b", 50, 3), ("c", 20, 1), ("d", 3, 1), ("e", 2, 0))
    assert [r.group for r in table.rows if r.shown] == ["a", "b", "c"]
    assert {r.group: r.suppressed for r in table.rows if not r.shown} == {
        "d": "small",
        "e": "small",
    }


def test_it_never_compares_with_tests_or_names_a_suppressed_group() -> None:
    # d (0 of 3) has the lowest rate and c (10 of 20) the highest, but d is too small and
    # c is hidden to protect d, so the comparison runs between a and b alone.
    table = impact("pivot", ("a", 100, 10), ("b", 50, 25), ("c", 20, 10), ("d", 3, 0))
    assert table.comparison_group == "a"
    assert [row.group for row in table.tests] == ["b"]
    found = findings(table)
    assert [f.evidence["group"] for f in found] == ["b"]
    for finding in found:
        text = finding.message + repr(finding.evidence)
        assert "'c'" not in text
        assert "'d'" not in text


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


def test_it_refuses_settings_that_cannot_work() -> None:
    with pytest.raises(InvalidInput) as error:
        OrgScreenSettings(fdr_q=1.5, min_test_group=2, decisional_unit_level=-1)
    assert [p.split(":")[0] for p in error.value.problems] == [
        "min_test_group",
        "fdr_q",
        "decisional_unit_level",
    ]
