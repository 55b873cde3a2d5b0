"""Org analytics over a small org, worked by hand: attrition, quarters, funnel, impact, screen.

The org: ``Eng`` with ``Eng/Web`` (20 people) and ``Eng/Data`` (10), and ``Ops`` (30).
Headcounts, targets and demographics are rows written directly, as an HRIS import would
leave them; the cases are case files imported as the command line imports them, so the
milestone columns the queries read are the real ones.

| case | org | manager | sex | race | born | what happened |
|---|---|---|---|---|---|---|
| W1 | Eng/Web | M-1 | female | asian | 1985-06-30 | Focus, Pivot, took severance, left 2024-09-15 |
| W2 | Eng/Web | M-1 | female | white | 1985-07-01 | Pivot, failed plan, appeal, left 2025-01-10 |
| W3 | Eng/Web | M-2 | male | black | 1970-02-02 | Focus, Pivot, plan, passed |
| W4 | Eng/Web | M-2 | female | white | 1990-01-01 | Focus, fired 2025-05-20 |
| D1 | Eng/Data | M-3 | female | white | 1980-01-01 | Focus, left 2024-03-01 (before the year) |
| D2 | Eng/Data | M-3 | male | white | 1995-01-01 | Focus |
| O1 | Ops | M-4 | (none) | | | Focus |
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import DjangoDbBlocker

from fairpivot.domain.analytics import OrgScreenSettings, benjamini_hochberg, fisher_greater
from fairpivot.records import analytics
from fairpivot.records.cases.transfer import check_files, import_many
from fairpivot.records.clock import FixedClock
from fairpivot.records.models import (
    CaseProjection,
    Demographics,
    Employee,
    ImpactTest,
    ManagerHeadcount,
    OrgFinding,
    OrgHeadcount,
    OrgTarget,
    ReleaseOfferProjection,
)
from fairpivot.records.screen.screening import screen_org
from tests.builders import case, event, pivot, plan
from tests.integration.seeding import kept_for_module

pytestmark = pytest.mark.django_db

AS_OF = date(2025, 6, 30)
MANAGERS = {"M-1": "Morgan One", "M-2": "Morgan Two", "M-3": "Morgan Three", "M-4": "Morgan Four"}
PEOPLE = [{"id": ref, "name": name, "role": "manager"} for ref, name in MANAGERS.items()]


def focus(on: str, by: str) -> dict[str, Any]:
    return event("focus_started", on, by=by, disclosed=True)


def left(on: str, reason: str = "resignation_with_severance") -> dict[str, Any]:
    return event("separated", on, reason=reason)


# id: (org, manager, demographics (sex, race, born) or None, events)
CASES: dict[str, tuple[str, str, tuple[str, str, str] | None, list[dict[str, Any]]]] = {
    "W1": (
        "Eng/Web",
        "M-1",
        ("female", "asian", "1985-06-30"),
        [
            focus("2024-08-01", "M-1"),
            pivot("2024-08-20") | {"by": "M-1"},
            event("option_chosen", "2024-09-01", by="W1", option="severance"),
            left("2024-09-15"),
        ],
    ),
    "W2": (
        "Eng/Web",
        "M-1",
        ("female", "white", "1985-07-01"),
        [
            focus("2024-10-01", "M-1"),
            event(
                "pivot_offered",
                "2024-10-20",
                by="M-1",
                decision_days=21,
                offer=pivot("2024-10-20")["offer"],
                plan=plan("2024-10-27", "2024-12-26"),
            ),
            event("option_chosen", "2024-10-25", by="W2", option="plan"),
            event("plan_failed", "2024-12-27", by="M-1"),
            event("appeal_elected", "2025-01-02", by="W2"),
            event("appeal_decided", "2025-01-08", outcome="upheld"),
            left("2025-01-10", "termination_performance"),
        ],
    ),
    "W3": (
        "Eng/Web",
        "M-2",
        ("male", "black", "1970-02-02"),
        [
            focus("2025-02-01", "M-2"),
            pivot("2025-02-20") | {"by": "M-2"},
            event("option_chosen", "2025-03-01", by="W3", option="plan"),
            event("plan_passed", "2025-04-30", by="M-2"),
        ],
    ),
    "W4": (
        "Eng/Web",
        "M-2",
        ("female", "white", "1990-01-01"),
        [focus("2025-03-01", "M-2"), left("2025-05-20", "termination_performance")],
    ),
    "D1": (
        "Eng/Data",
        "M-3",
        ("female", "white", "1980-01-01"),
        [focus("2023-12-01", "M-3"), left("2024-03-01")],
    ),
    "D2": ("Eng/Data", "M-3", ("male", "white", "1995-01-01"), [focus("2025-04-01", "M-3")]),
    "O1": ("Ops", "M-4", None, [focus("2025-01-15", "M-4")]),
}

# (org, dimension, value): (headcount, low_rated)
HEADCOUNTS: dict[tuple[str, str, str], tuple[int, int]] = {
    ("Eng/Web", "all", "all"): (20, 4),
    ("Eng/Data", "all", "all"): (10, 2),
    ("Ops", "all", "all"): (30, 3),
    ("Eng/Web", "sex", "female"): (12, 0),
    ("Eng/Web", "sex", "male"): (8, 0),
    ("Eng/Data", "sex", "female"): (4, 0),
    ("Eng/Data", "sex", "male"): (6, 0),
    ("Eng/Web", "race_ethnicity", "asian"): (4, 0),
    ("Eng/Web", "race_ethnicity", "white"): (6, 0),
    ("Eng/Web", "race_ethnicity", "black"): (10, 0),
    ("Eng/Data", "race_ethnicity", "white"): (8, 0),
    ("Eng/Data", "race_ethnicity", "black"): (2, 0),
    ("Eng/Web", "age_band", "40_plus"): (6, 0),
    ("Eng/Web", "age_band", "under_40"): (14, 0),
    ("Eng/Data", "age_band", "40_plus"): (4, 0),
    ("Eng/Data", "age_band", "under_40"): (6, 0),
}


def seed_org(tmp_path: Path) -> None:
    """The org's rows, then its cases imported from case files."""
    for ref, name in MANAGERS.items():
        Employee.objects.create(employee_id=ref, name=name, org="Eng/Web")
    for (org, dimension, value), (heads, low) in HEADCOUNTS.items():
        OrgHeadcount.objects.create(
            org=org, dimension=dimension, value=value, headcount=heads, low_rated=low
        )
    ManagerHeadcount.objects.create(manager_ref="M-1", org="Eng/Web", headcount=8)
    ManagerHeadcount.objects.create(manager_ref="M-2", org="Eng/Web", headcount=4)
    ManagerHeadcount.objects.create(manager_ref="M-3", org="Eng/Data", headcount=10)
    OrgTarget.objects.create(org="Eng", year=2025, ura_target=0.10)
    OrgTarget.objects.create(org="Eng/Data", year=2025, ura_target=0.05)
    paths = []
    for ref, (org, manager, demographics, events) in CASES.items():
        person = Employee.objects.create(employee_id=ref, name=f"Person {ref}", org=org)
        if demographics is not None:
            sex, race, born = demographics
            Demographics.objects.create(
                employee=person, sex=sex, race_ethnicity=race, birth_date=date.fromisoformat(born)
            )
        doc = case(
            as_of=AS_OF.isoformat(),
            employee={"id": ref, "name": person.name, "manager": manager, "org": org},
            people=PEOPLE,
            events=events,
        )
        path = tmp_path / f"{ref}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    results = list(import_many(check_files(paths)))
    assert all(result.created for result in results)


@pytest.fixture(scope="module")
def org(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The org, seeded once for the module; each test undoes what it writes (seeding.py)."""
    folder = tmp_path_factory.mktemp("org")
    with kept_for_module(django_db_blocker, lambda: seed_org(folder)):
        yield


def test_it_records_each_cases_milestones_from_its_file(org: None) -> None:
    w2 = CaseProjection.objects.get(case__employee_ref="W2")
    w3 = CaseProjection.objects.get(case__employee_ref="W3")
    w1 = CaseProjection.objects.get(case__employee_ref="W1")

    assert (w2.org, w2.manager_ref) == ("Eng/Web", "M-1")
    assert (w2.plan_outcome, w2.appeal_outcome) == ("failed", "upheld")
    assert w2.appeal_on == date(2025, 1, 2)
    assert w2.exit_on == date(2025, 1, 10)
    assert (w3.plan_on, w3.plan_outcome, w3.exit_on) == (date(2025, 2, 27), "passed", None)
    assert w1.plan_on is None  # took the severance, not the plan


def test_it_counts_the_years_attrition_by_child_org_against_target(org: None) -> None:
    rows = {row.org: row for row in analytics.ura_by_org(AS_OF, "Eng")}

    # Web: W1, W2, W4 left in the year: 3 of 20 = 15%, over Eng's 10% target.
    web, data = rows["Eng/Web"], rows["Eng/Data"]
    assert (web.headcount, web.exits, web.rate, web.target) == (20, 3, 0.15, 0.10)
    # Data: D1 left before the year began; its own 5% target, not Eng's.
    assert (data.headcount, data.exits, data.rate, data.target) == (10, 0, 0.0, 0.05)
    assert set(rows) == {"Eng/Web", "Eng/Data"}


def test_it_counts_the_whole_company_one_level_down(org: None) -> None:
    rows = {row.org: row for row in analytics.ura_by_org(AS_OF)}

    assert (rows["Eng"].headcount, rows["Eng"].exits) == (30, 3)
    assert (rows["Ops"].headcount, rows["Ops"].exits, rows["Ops"].target) == (30, 0, None)


def test_it_buckets_exits_by_calendar_quarter_as_yearly_rates(org: None) -> None:
    points = analytics.ura_over_time(AS_OF, "Eng", 8)

    assert [p.start for p in points][:2] == [date(2023, 7, 1), date(2023, 10, 1)]
    assert (points[-1].start, points[-1].end) == (date(2025, 4, 1), date(2025, 6, 30))
    exits = {p.start: p.exits for p in points}
    assert exits == {
        date(2023, 7, 1): 0,
        date(2023, 10, 1): 0,
        date(2024, 1, 1): 1,  # D1, 2024-03-01
        date(2024, 4, 1): 0,
        date(2024, 7, 1): 1,  # W1, 2024-09-15
        date(2024, 10, 1): 0,
        date(2025, 1, 1): 1,  # W2, 2025-01-10
        date(2025, 4, 1): 1,  # W4, 2025-05-20
    }
    # One exit in a quarter at a headcount of 30 is 4 a year: 13.3%.
    assert points[-1].annual_rate == pytest.approx(4 / 30)
    assert points[0].annual_rate == 0.0


def test_it_counts_no_exit_after_the_day_asked_about(org: None) -> None:
    points = analytics.ura_over_time(date(2025, 5, 1), "Eng", 8)

    assert points[-1].start == date(2025, 4, 1)
    assert points[-1].exits == 0  # W4 left on 2025-05-20, after 1 May


def test_it_ranks_managers_by_rate_then_by_exits(org: None) -> None:
    rows = analytics.ura_by_manager(AS_OF, "Eng")

    # M-1: W1 and W2 of 8 = 25%; M-2: W4 of 4 = 25%: a tie, more exits first. M-3: none.
    assert [(r.manager_ref, r.name, r.exits, r.headcount, r.rate) for r in rows] == [
        ("M-1", "Morgan One", 2, 8, 0.25),
        ("M-2", "Morgan Two", 1, 4, 0.25),
    ]


def test_it_counts_the_funnel_and_each_steps_rate(org: None) -> None:
    steps = {step.name: step for step in analytics.funnel(AS_OF, "Eng")}

    # In the year: W1-W4 and D2 (D1's last event was 2024-03-01). LE: 4 + 2.
    assert {name: s.count for name, s in steps.items()} == {
        "low_rated": 6,
        "focus": 5,
        "pivot": 3,  # W1, W2, W3
        "plan_taken": 2,  # W2, W3
        "plan_outcome": 2,  # W3 passed, W2 failed
        "appeal": 1,  # W2
        "exit": 3,  # W1, W2, W4
    }
    assert steps["focus"].rate == pytest.approx(5 / 6)
    assert steps["pivot"].rate == pytest.approx(3 / 5)
    assert steps["plan_taken"].rate == pytest.approx(2 / 3)
    assert (steps["plan_outcome"].rate, steps["plan_outcome"].pass_rate) == (1.0, 0.5)
    assert (steps["appeal"].rate, steps["appeal"].pass_rate) == (1.0, 0.0)
    assert steps["exit"].rate is None
    assert steps["exit"].exit_rate == pytest.approx(3 / 5)


def test_it_compares_groups_at_each_stage_by_sex(org: None) -> None:
    stages = {s.stage: s for s in analytics.impact(AS_OF, "Eng", "sex")}
    placed = stages["focus"]
    female, male = placed.row("female"), placed.row("male")

    # Focus: women 3 of 16 (18.75%), men 2 of 14 (14.3%): both shown, but neither group has
    # the 30 people a comparison group needs, so nothing is compared or tested.
    assert (female.at_risk, female.adverse, male.at_risk, male.adverse) == (16, 3, 14, 2)
    assert female.adverse_rate == pytest.approx(0.1875)
    assert placed.comparison_group is None
    assert (female.adverse_ratio, female.shortfall, female.p_value) == (None, None, None)
    # Pivot: at risk are those on Focus, 3 women and 2 men, both under 5: both hidden.
    assert [row.suppressed for row in stages["pivot"].rows] == ["small", "small"]
    assert stages["pivot"].comparison_group is None


def test_it_tests_each_group_against_a_comparison_group_big_enough(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analytics, "SETTINGS", OrgScreenSettings(min_test_group=10))
    placed = {s.stage: s for s in analytics.impact(AS_OF, "Eng", "sex")}["focus"]
    female = placed.row("female")

    # Men (14, 2 placed) now make the comparison group.
    assert placed.comparison_group == "male"
    assert female.adverse_ratio == pytest.approx((2 / 14) / (3 / 16))  # 0.762, under 0.8
    assert female.favourable_ratio == pytest.approx((13 / 16) / (12 / 14))
    assert female.shortfall == pytest.approx(3 - 16 * 2 / 14)  # 0.71 of a person
    assert female.p_value == pytest.approx(fisher_greater(3, 13, 2, 12))
    assert placed.row("male").p_value is None


def test_it_hides_a_group_of_four_and_the_group_that_would_give_it_away(org: None) -> None:
    placed = {s.stage: s for s in analytics.impact(AS_OF, "Eng", "race_ethnicity")}["focus"]

    # asian: 4 people, hidden; black (12, the smallest shown) hidden too, else the total
    # minus the rest would give the asian group away.
    asian, black, white = placed.row("asian"), placed.row("black"), placed.row("white")
    assert (asian.suppressed, asian.at_risk, asian.adverse) == ("small", None, None)
    assert (black.suppressed, black.at_risk, black.adverse_rate) == ("complementary", None, None)
    assert (white.suppressed, white.at_risk, white.adverse) == (None, 14, 3)
    assert placed.comparison_group is None  # white, the one group shown, has 14 people


def test_it_puts_people_in_age_bands_either_side_of_40(org: None) -> None:
    counts = analytics.group_counts(AS_OF, "Eng", "age_band")

    # W1 turned 40 on the day asked about; W2 turns 40 the day after.
    assert counts["40_plus"]["focus"].at_risk == 10
    assert counts["40_plus"]["focus"].adverse == 2  # W1, W3
    assert counts["under_40"]["focus"].adverse == 3  # W2, W4, D2
    assert counts["under_40"]["failed"].adverse == 1  # W2
    assert counts["40_plus"]["exited"].adverse == 1  # W1


def test_it_refuses_an_unknown_dimension(org: None) -> None:
    with pytest.raises(ValueError, match="dimension"):
        analytics.impact(AS_OF, "Eng", "height")


def formula_cases(tmp_path: Path) -> None:
    """Two Legal employees over 40, each offered amazon-pivot's formula with 21 days.

    Base pay 156,000, hired 2020-01-06, offered 2025-03-01: 5 whole years, so tier 1 is
    156000 * 10/52 + 156000 * 1% * 5 = 30000 + 7800 = 37800.
    """
    paths = []
    for ref, day in (("L1", "2025-03-01"), ("L2", "2025-03-01")):
        Employee.objects.create(employee_id=ref, name=f"Person {ref}", org="Legal/Contracts")
        doc = case(
            as_of=AS_OF.isoformat(),
            employee={"id": ref, "manager": "M-4", "org": "Legal/Contracts"},
            people=PEOPLE,
            events=[focus("2025-02-01", "M-4"), pivot(day, amount=37_800) | {"by": "M-4"}],
        )
        path = tmp_path / f"{ref}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    assert all(result.created for result in import_many(check_files(paths)))


def test_it_records_each_release_offer_against_the_policy_s_formula(
    org: None, tmp_path: Path
) -> None:
    formula_cases(tmp_path)

    rows = ReleaseOfferProjection.objects.filter(org="Legal/Contracts").values_list(
        "amount", "formula_amount", "negotiated", "group_disclosures", "age_40_plus"
    )
    assert list(rows) == [(37_800.0, 37_800.0, False, False, True)] * 2


def test_the_screen_stores_the_org_findings_and_replaces_the_last_ones(
    org: None, tmp_path: Path
) -> None:
    formula_cases(tmp_path)
    clock = FixedClock(datetime(2025, 7, 1, 6, tzinfo=UTC))
    OrgFinding.objects.create(
        code="stale", severity="low", org="X", date=AS_OF, message="", evidence={}, basis="",
        screened_at=datetime(2024, 1, 1, tzinfo=UTC),
    )  # fmt: skip

    stored = screen_org(clock, AS_OF)

    rows = list(OrgFinding.objects.all())
    assert stored == len(rows) == 1
    assert {row.screened_at for row in rows} == {clock.now()}
    (program,) = rows
    assert (program.code, program.severity, program.org) == (
        "owbpa.hidden_group_program",
        "high",
        "Legal",
    )
    assert len(program.evidence["cases"]) == 2
    assert "may form a group termination program" in program.message


def test_the_screen_keeps_every_adverse_impact_test_with_its_adjusted_p(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analytics, "SETTINGS", OrgScreenSettings(min_test_group=10))
    ImpactTest.objects.create(
        as_of=AS_OF, org="old", dimension="sex", stage="focus", group="x", at_risk=1, adverse=1,
        comparison_group="y", p_value=1, adjusted_p=1, family=1, fires=False,
    )  # fmt: skip

    screen_org(FixedClock(datetime(2025, 7, 1, 6, tzinfo=UTC)), AS_OF)

    tests = list(ImpactTest.objects.all())
    assert "old" not in {t.org for t in tests}
    assert {t.family for t in tests} == {len(tests)}
    eng = next(
        t
        for t in tests
        if (t.org, t.dimension, t.stage, t.group) == ("Eng", "sex", "focus", "female")
    )
    assert (eng.at_risk, eng.adverse, eng.comparison_group) == (16, 3, "male")
    assert eng.p_value == pytest.approx(fisher_greater(3, 13, 2, 12))
    raw = sorted(t.p_value for t in tests)
    # Benjamini-Hochberg over the stored family gives back each stored adjusted p.
    assert sorted(t.adjusted_p for t in tests) == pytest.approx(sorted(benjamini_hochberg(raw)))
    assert not any(t.fires for t in tests)
    assert OrgFinding.objects.count() == 0  # nothing this small holds up
