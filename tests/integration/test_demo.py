"""The demo database: a realistic org, cases at every stage, and a working login per role."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings

from fairpivot.demo.org import Picker, build_org
from fairpivot.demo.seed import MORE_PANELISTS, ROLES, Login, ensure_demo
from fairpivot.records.cases.transfer import IMPORTER, export_case
from fairpivot.records.clock import FixedClock
from fairpivot.records.ledger import chains
from fairpivot.records.models import (
    Case,
    CaseProjection,
    Employee,
    FindingProjection,
    LedgerEntry,
)

pytestmark = pytest.mark.django_db

CLOCK = FixedClock(datetime(2025, 10, 15, 9, 30, tzinfo=UTC))
TODAY = date(2025, 10, 15)
STAGES = {
    "good_standing",
    "focus",
    "pivot_offered",
    "in_plan",
    "plan_failed",
    "appeal",
    "appeal_lost",
    "exiting",
    "separated",
    "closed_passed",
    "closed_retained",
}
RISKY = {
    "retaliation.timing",
    "leave.adjacent",
    "focus.undisclosed",
    "owbpa.consideration_period",
    "owbpa.revocation_period",
    "owbpa.adea_not_named",
    "wa.silenced_no_more",
    "vesting.forfeiture",
    "unemployment.resignation_label",
    "plan.ended_early",
    "plan.missed_checkins",
    "quota.pressure",
}
# Hashing with Argon2 is slow on purpose; these tests check the logins, not the hasher.
FAST_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture
def logins() -> list[Login]:
    """The logins of a freshly seeded demo."""
    with FAST_HASHING:
        return ensure_demo(CLOCK)


def counts() -> dict[str, int]:
    """How many of each kind of demo row there are."""
    return {
        "employees": Employee.objects.count(),
        "cases": Case.objects.count(),
        "entries": LedgerEntry.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
    }


def test_it_seeds_an_org_of_300_people_in_reporting_lines(logins: list[Login]) -> None:
    assert Employee.objects.count() == 300
    (vp,) = Employee.objects.filter(manager=None)
    assert vp.level == "L10"
    assert Employee.objects.filter(manager=vp).count() == 4
    assert not Employee.objects.filter(hire_date=None).exists()
    assert {"WA", "CA", "TX", "GA", "NY"} <= set(
        Employee.objects.values_list("work_state", flat=True)
    )
    orgs = set(Employee.objects.values_list("org", flat=True))
    assert {"Retail/Checkout", "Ops/Planning", "Sales/Southeast"} <= orgs


def test_it_makes_the_same_org_from_the_same_seed() -> None:
    def names(seed: int) -> list[str]:
        return [staff.row.name for staff in build_org(random.Random(seed), TODAY).people]  # noqa: S311

    assert names(7) == names(7)
    assert names(7) != names(8)


def test_it_makes_someone_fit_a_case_when_nobody_in_the_org_does() -> None:
    org = build_org(random.Random(3), TODAY)  # noqa: S311
    pick = Picker(org, random.Random(3))  # noqa: S311
    staff = pick(state="NY", min_age=64)  # the oldest ICs drawn are 63
    assert staff.row.work_state == "NY"
    assert staff.age_on(TODAY) == 64
    assert pick(state="NY", min_age=64) is not staff


def test_it_has_a_case_at_every_stage_of_the_process(logins: list[Login]) -> None:
    pivot = CaseProjection.objects.filter(case__policy="amazon-pivot")
    assert set(pivot.values_list("stage", flat=True)) == STAGES
    assert Case.objects.filter(policy="standard-pip").count() >= 3


def test_it_shows_the_risky_patterns_the_review_flags(logins: list[Login]) -> None:
    assert RISKY - set(FindingProjection.objects.values_list("code", flat=True)) == set()
    assert CaseProjection.objects.filter(high_findings__gt=0).exists()


def test_it_dates_the_cases_from_today_so_open_deadlines_are_live(logins: list[Login]) -> None:
    open_cases = CaseProjection.objects.filter(stage__in={"pivot_offered", "plan_failed"})
    assert open_cases.exists()
    for projection in open_cases:
        assert projection.as_of == TODAY
        assert projection.next_deadline is not None
        assert projection.next_deadline >= TODAY


def test_it_opens_each_case_for_an_employee_under_their_manager(logins: list[Login]) -> None:
    for case in Case.objects.all():
        employee = Employee.objects.select_related("manager").get(employee_id=case.employee_ref)
        assert case.employee == employee
        assert employee.manager is not None
        document = export_case(case, CLOCK)
        assert document["employee"]["manager"] == employee.manager.employee_id
        assert employee.manager.employee_id in {person["id"] for person in document["people"]}


def test_it_records_cases_both_by_import_and_through_the_live_steps(logins: list[Login]) -> None:
    imported = Case.objects.exclude(source_digest=None)
    live = Case.objects.filter(source_digest=None)
    assert imported.exists()
    assert live.exists()
    assert set(
        LedgerEntry.objects.filter(case__in=imported).values_list("recorded_by", flat=True)
    ) == {IMPORTER}
    assert LedgerEntry.objects.filter(case__in=live, kind="event").count() > 20


def test_it_gives_each_role_a_login_in_its_group(logins: list[Login]) -> None:
    # One login per role, and two more panelists: an appeal panel has three seats.
    assert [login.role for login in logins] == [*ROLES, *MORE_PANELISTS]
    for login in logins:
        with FAST_HASHING:
            user = authenticate(username=login.username, password=login.password)
        assert user is not None, login
        assert user.groups.filter(name=login.role.partition("-")[0]).exists()
        assert user.is_superuser == user.is_staff == (login.role == "admin")


def test_it_makes_the_employee_login_the_employee_of_a_risky_case(logins: list[Login]) -> None:
    employee = Employee.objects.get(user__username="demo-employee")
    assert employee.manager is not None
    assert employee.manager.user is not None
    assert employee.manager.user.username == "demo-manager"
    (case,) = Case.objects.filter(employee=employee)
    assert case.projection.high_findings > 0


def test_it_puts_the_panelist_login_on_an_appeal_panel(logins: list[Login]) -> None:
    panelist = Employee.objects.get(user__username="demo-panelist").employee_id
    panels = [
        event.get("panel", [])
        for case in Case.objects.all()
        for event in export_case(case, CLOCK)["events"]
        if event["type"] == "appeal_decided"
    ]
    assert sum(panelist in panel for panel in panels) >= 1


def test_it_keeps_every_case_chain_intact(logins: list[Login]) -> None:
    result = chains.verify_all()
    assert result.breaks == []
    assert result.cases == Case.objects.count()


def test_it_seeds_once_and_gives_new_passwords_on_every_run(logins: list[Login]) -> None:
    before = counts()
    with FAST_HASHING:
        again = ensure_demo(CLOCK)
        for old, new in zip(logins, again, strict=True):
            assert (new.role, new.username) == (old.role, old.username)
            assert new.password != old.password
            assert authenticate(username=new.username, password=new.password) is not None
            assert authenticate(username=old.username, password=old.password) is None
    assert counts() == before
