"""owbpa.hidden_group_program: standardized offers to older workers in one decisional unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fairpivot.domain.analytics.programs import (
    COMPANY,
    ReleaseOffer,
    decisional_unit,
    hidden_group_programs,
    older_worker,
    standardized,
)
from fairpivot.domain.analytics.settings import OrgScreenSettings

START = date(2025, 1, 6)
AS_OF = date(2026, 12, 31)
FORMULA = 20_000.0


def offer(
    case: str,
    days_after: int = 0,
    *,
    consideration: int | None = 21,
    over_40: bool | None = True,
    org: str = "Retail/Checkout/Web",
    amount: float = FORMULA,
    formula: float | None = FORMULA,
    negotiated: bool = False,
    disclosures: bool = False,
) -> ReleaseOffer:
    return ReleaseOffer(
        case,
        org,
        START + timedelta(days=days_after),
        consideration,
        over_40,
        amount,
        formula,
        negotiated,
        disclosures,
    )


def cases(*offers: ReleaseOffer, settings: OrgScreenSettings | None = None) -> list[list[str]]:
    found = hidden_group_programs(offers, AS_OF, settings or OrgScreenSettings())
    return [f.evidence["cases"] for f in found]


# --- the program period ------------------------------------------------------------------


@pytest.mark.parametrize(("gap", "together"), [(364, True), (365, False)])
def test_it_counts_a_365_day_program_period_from_the_unit_s_first_offer(
    gap: int, together: bool
) -> None:
    # Day 0 and the 364 after it make 365 days; an offer on day 365 starts the next period.
    found = cases(offer("C-1"), offer("C-2", gap))
    assert found == ([["C-1", "C-2"]] if together else [])


def test_it_measures_the_period_from_its_first_offer_not_from_the_last() -> None:
    # Days 0, 200, 400 and 500: 400 is 200 days after the second but 400 after the first,
    # so it starts a period of its own, which the offer on day 500 joins.
    found = cases(offer("C-1"), offer("C-2", 200), offer("C-3", 400), offer("C-4", 500))
    assert found == [["C-1", "C-2"], ["C-3", "C-4"]]


def test_it_takes_the_period_from_the_settings() -> None:
    short = OrgScreenSettings(program_days=90)
    assert cases(offer("C-1"), offer("C-2", 89), settings=short) == [["C-1", "C-2"]]
    assert cases(offer("C-1"), offer("C-2", 90), settings=short) == []


def test_it_ignores_offers_made_after_as_of() -> None:
    offers = [offer("C-1"), offer("C-2", 30)]
    assert hidden_group_programs(offers, START + timedelta(days=29)) == []


def test_it_needs_two_offers_for_a_program() -> None:
    assert cases(offer("C-1", consideration=1)) == []


# --- the standardized terms ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "together"),
    [(19_800.0, True), (20_200.0, True), (19_799.0, False), (20_201.0, False)],
)
def test_it_counts_an_amount_within_1_percent_of_the_formula_as_standard(
    amount: float, together: bool
) -> None:
    # 1% of 20,000 is 200: 19,800 to 20,200 are the formula's terms, a dollar more or less
    # is an offer made case by case.
    second = offer("C-2", 10, amount=amount)
    assert standardized(second) is together
    assert cases(offer("C-1"), second) == ([["C-1", "C-2"]] if together else [])


def test_it_leaves_out_negotiated_offers_and_offers_with_no_formula() -> None:
    assert cases(offer("C-1"), offer("C-2", 10, negotiated=True)) == []
    assert cases(offer("C-1"), offer("C-2", 10, formula=None)) == []
    assert cases(offer("C-1"), offer("C-2", 10, amount=0.0, formula=0.0)) == []


def test_it_takes_the_tolerance_from_the_settings() -> None:
    loose = OrgScreenSettings(standard_terms_tolerance=0.05)
    assert cases(offer("C-1"), offer("C-2", 10, amount=21_000.0), settings=loose) == [
        ["C-1", "C-2"]
    ]


# --- who and what --------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "protected"), [(39, False), (40, True), (None, None)])
def test_it_counts_only_recipients_aged_40_or_over(age: int | None, protected: bool | None) -> None:
    assert older_worker(age) is protected
    found = cases(offer("C-1"), offer("C-2", 5, over_40=older_worker(age)))
    assert found == ([["C-1", "C-2"]] if protected else [])


def test_it_takes_the_protected_age_from_the_settings() -> None:
    assert older_worker(40, OrgScreenSettings(release_age=41)) is False


@pytest.mark.parametrize(
    ("days", "disclosures", "fires"),
    [(44, True, True), (45, True, False), (None, True, True), (45, False, True), (60, False, True)],
)
def test_it_fires_when_an_offer_gave_under_45_days_or_no_disclosures(
    days: int | None, disclosures: bool, fires: bool
) -> None:
    first = offer("C-1", consideration=45, disclosures=True)
    second = offer("C-2", 10, consideration=days, disclosures=disclosures)
    assert len(cases(first, second)) == (1 if fires else 0)


# --- the decisional unit -----------------------------------------------------------------


def test_it_takes_the_top_level_org_as_the_decisional_unit() -> None:
    found = hidden_group_programs(
        [offer("C-1", org="Retail/Checkout/Web"), offer("C-2", 5, org="Retail/Payments")], AS_OF
    )
    assert [f.evidence["org"] for f in found] == ["Retail"]
    assert cases(offer("C-1", org="Retail/Web"), offer("C-2", 5, org="Devices/Web")) == []


@pytest.mark.parametrize(
    ("level", "unit"), [(0, COMPANY), (1, "Retail"), (2, "Retail/Checkout"), (5, "Retail/A/B")]
)
def test_it_cuts_the_org_path_at_the_decisional_unit_level(level: int, unit: str) -> None:
    assert decisional_unit("Retail/Checkout/Web" if level < 5 else "Retail/A/B", level) == unit


def test_it_looks_across_the_whole_company_at_level_0() -> None:
    company = OrgScreenSettings(decisional_unit_level=0)
    found = hidden_group_programs(
        [offer("C-1", org="Retail/Web"), offer("C-2", 5, org="Devices/Web")], AS_OF, company
    )
    assert [(f.evidence["org"], f.evidence["cases"]) for f in found] == [
        ("(company)", ["C-1", "C-2"])
    ]


def test_it_raises_one_finding_per_unit_and_period() -> None:
    offers = [
        *(offer(f"R-{i}", i * 30) for i in range(5)),
        *(offer(f"D-{i}", i * 30, org="Devices") for i in range(3)),
        offer("R-late", 400),
        offer("R-later", 410),
    ]
    found = hidden_group_programs(offers, AS_OF)
    assert [(f.evidence["org"], f.evidence["offers"]) for f in found] == [
        ("Devices", 3),
        ("Retail", 5),
        ("Retail", 2),
    ]


# --- the finding --------------------------------------------------------------------------


def test_it_writes_the_program_s_evidence_and_says_it_may_be_a_program() -> None:
    offers = [
        offer("C-2", 30, consideration=30),
        offer("C-1", consideration=21),
        offer("C-3", 60, consideration=50, disclosures=True),
        offer("C-4", 70, over_40=False),  # not counted: under 40
    ]
    (finding,) = hidden_group_programs(offers, AS_OF)
    assert finding.code == "owbpa.hidden_group_program"
    assert finding.severity == "high"
    assert finding.date == START + timedelta(days=60)
    assert finding.evidence == {
        "org": "Retail",
        "decisional_unit_level": 1,
        "offers": 3,
        "first": START,
        "last": START + timedelta(days=60),
        "period_end": START + timedelta(days=364),
        "cases": ["C-1", "C-2", "C-3"],
        "shortest_consideration_days": 21,
        "without_disclosures": 2,
        "short": 2,
    }
    assert "may form a group termination program" in finding.message
    assert "1625.22(f)(1)(iii)" in finding.message
    assert "as few as 21 of the 45 needed" in finding.message
    assert "626(f)(1)(F)(ii)" in finding.basis
    assert "not subject to negotiation" in finding.basis


def test_it_reports_the_shortest_period_as_unknown_when_one_is_unknown() -> None:
    (finding,) = hidden_group_programs(
        [offer("C-1", consideration=30), offer("C-2", 5, consideration=None)], AS_OF
    )
    assert finding.evidence["shortest_consideration_days"] is None
    assert "not known for every offer" in finding.message
