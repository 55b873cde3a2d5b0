"""Who may open one case, decided from the viewer: a manager's line at any depth, a loop in
the HRIS's reporting lines, and an HR scope's subtree on both sides of its boundary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group, User

from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, Employee
from fairpivot.web import access
from fairpivot.web.models import HrScope

pytestmark = pytest.mark.django_db


def person(ident: str, manager: Employee | None = None, org: str = "Retail/Checkout") -> Employee:
    return Employee.objects.create(employee_id=ident, name=ident, manager=manager, org=org)


def case_of(employee: Employee) -> Case:
    return Case.objects.create(
        employee_ref=employee.employee_id,
        employee=employee,
        policy="amazon-pivot",
        opened_at=datetime(2025, 1, 1, tzinfo=UTC),
    )


def login(name: str, role: str, employee: Employee | None = None) -> User:
    user = User.objects.create_user(name)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    if employee is not None:
        employee.user = user
        employee.save()
    return user


def opens(user: User, case: Case) -> bool:
    viewer = access.viewer_of(user)
    try:
        access.case_for(viewer, case.ref)
    except CaseNotFound:
        return False
    listed = access.visible_cases(access.viewer_of(user)).filter(pk=case.pk).exists()
    assert listed, "case_for opened a case the lists leave out"
    return True


def test_a_manager_opens_reports_at_any_depth_and_no_one_else() -> None:
    top = person("E-1")
    middle = person("E-2", top)
    bottom = person("E-3", middle)
    peer = person("E-4")
    boss = login("boss", "manager", top)
    assert opens(boss, case_of(middle))
    assert opens(boss, case_of(bottom))
    assert not opens(boss, case_of(peer))
    assert not opens(login("mid", "manager", middle), case_of(top))


def test_a_loop_in_the_reporting_lines_ends_and_opens_nothing_outside_it() -> None:
    first = person("E-1")
    second = person("E-2", first)
    first.manager = second
    first.save()
    outsider = person("E-3")
    viewer = login("outsider", "manager", outsider)
    assert not opens(viewer, case_of(first))
    assert opens(login("second", "manager", second), case_of(first))


@pytest.mark.parametrize(
    ("prefix", "org", "covered"),
    [
        ("Retail", "Retail", True),
        ("Retail", "Retail/Checkout", True),
        ("Retail/", "Retail/Checkout", True),
        ("Retail", "RetailBank", False),
        ("Retail/Checkout", "Retail", False),
        ("", "Anything/At/All", True),
    ],
)
def test_hr_opens_a_case_exactly_inside_their_subtree(prefix: str, org: str, covered: bool) -> None:
    user = login("hr", "hr")
    HrScope.objects.create(user=user, org_prefix=prefix)
    assert opens(user, case_of(person("E-9", org=org))) is covered


def test_a_representative_opens_only_cases_of_those_who_invited_them_and_still_do() -> None:
    from fairpivot.web.models import Representation  # noqa: PLC0415

    mine, other = person("E-1"), person("E-2")
    user = login("rep", "representative")
    invited = Representation.objects.create(
        employee_ref="E-1", user=user, invited_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    assert opens(user, case_of(mine))
    assert not opens(user, case_of(other))
    invited.withdrawn_at = datetime(2025, 2, 1, tzinfo=UTC)
    invited.save()
    assert not opens(user, Case.objects.get(employee_ref="E-1"))
