"""owbpa.hidden_group_program: release offers close together in one decisional unit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fairpivot.domain.analytics.programs import (
    ReleaseOffer,
    hidden_group_programs,
    older_worker,
)
from fairpivot.domain.analytics.settings import OrgScreenSettings

START = date(2025, 1, 6)
AS_OF = date(2025, 12, 31)


def offer(
    case: str,
    days_after: int = 0,
    *,
    consideration: int | None = 21,
    over_40: bool | None = True,
    org: str = "retail",
) -> ReleaseOffer:
    return ReleaseOffer(case, org, START + timedelta(days=days_after), consideration, over_40)


@pytest.mark.parametrize(("gap", "fires"), [(89, True), (90, True), (91, False)])
def test_it_groups_offers_up_to_90_days_after_the_first(gap: int, fires: bool) -> None:
    found = hidden_group_programs([offer("C-1"), offer("C-2", gap)], AS_OF)
    assert [f.evidence["cases"] for f in found] == ([["C-1", "C-2"]] if fires else [])


@pytest.mark.parametrize(("days", "fires"), [(44, True), (45, False), (None, True)])
def test_it_fires_when_a_worker_over_40_had_under_45_days_or_an_unknown_number(
    days: int | None, fires: bool
) -> None:
    offers = [offer("C-1", consideration=60), offer("C-2", 10, consideration=days)]
    found = hidden_group_programs(offers, AS_OF)
    assert len(found) == (1 if fires else 0)


@pytest.mark.parametrize(("age", "protected"), [(39, False), (40, True), (None, None)])
def test_it_protects_recipients_from_age_40(age: int | None, protected: bool | None) -> None:
    assert older_worker(age) is protected
    offers = [offer("C-1", over_40=False), offer("C-2", 5, over_40=older_worker(age))]
    assert len(hidden_group_programs(offers, AS_OF)) == (1 if protected else 0)


def test_it_takes_the_protected_age_from_the_settings() -> None:
    assert older_worker(40, OrgScreenSettings(release_age=41)) is False


def test_it_needs_two_offers_for_a_group() -> None:
    assert hidden_group_programs([offer("C-1", consideration=1)], AS_OF) == []


def test_it_ignores_clusters_with_no_recipient_over_40() -> None:
    offers = [offer("C-1", over_40=False), offer("C-2", 5, over_40=None)]
    assert hidden_group_programs(offers, AS_OF) == []


def test_it_keeps_each_org_as_its_own_decisional_unit() -> None:
    offers = [offer("C-1", org="retail"), offer("C-2", 5, org="devices")]
    assert hidden_group_programs(offers, AS_OF) == []


def test_it_measures_the_window_from_the_cluster_s_first_offer() -> None:
    # Days 0, 60 and 120: 120 is 60 days after the second but 120 after the first, so it
    # starts a cluster of its own, which a fourth offer on day 200 joins.
    offers = [offer("C-1"), offer("C-2", 60), offer("C-3", 120), offer("C-4", 200)]
    found = hidden_group_programs(offers, AS_OF)
    assert [f.evidence["cases"] for f in found] == [["C-1", "C-2"], ["C-3", "C-4"]]


def test_it_ignores_offers_made_after_as_of() -> None:
    offers = [offer("C-1"), offer("C-2", 30)]
    assert hidden_group_programs(offers, START + timedelta(days=29)) == []


def test_it_writes_the_cluster_s_evidence_and_rates_it_high() -> None:
    offers = [
        offer("C-2", 30, consideration=30),
        offer("C-1", consideration=21),
        offer("C-3", 60, consideration=50, over_40=False),
    ]
    (finding,) = hidden_group_programs(offers, AS_OF)
    assert finding.code == "owbpa.hidden_group_program"
    assert finding.severity == "high"
    assert finding.date == START + timedelta(days=60)
    assert finding.evidence == {
        "org": "retail",
        "offers": 3,
        "first": START,
        "last": START + timedelta(days=60),
        "cases": ["C-1", "C-2", "C-3"],
        "shortest_consideration_days": 21,
        "recipients_40_plus": 2,
    }
    assert "as few as 21 days" in finding.message
    assert "626(f)(1)(F)(ii)" in finding.basis
    assert "1625.22(f)" in finding.basis


def test_it_reports_the_shortest_period_as_unknown_when_one_is_unknown() -> None:
    offers = [offer("C-1", consideration=30), offer("C-2", 5, consideration=None)]
    (finding,) = hidden_group_programs(offers, AS_OF)
    assert finding.evidence["shortest_consideration_days"] is None


def test_it_takes_the_window_and_the_days_from_the_settings() -> None:
    settings = OrgScreenSettings(group_program_window_days=10, group_consideration_days=20)
    assert hidden_group_programs([offer("C-1"), offer("C-2", 11)], AS_OF, settings) == []
    assert hidden_group_programs([offer("C-1"), offer("C-2", 10)], AS_OF, settings) == []
    short = [offer("C-1", consideration=19), offer("C-2", 10)]
    assert len(hidden_group_programs(short, AS_OF, settings)) == 1
