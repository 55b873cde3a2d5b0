"""My case, My team and the HR dashboard on the demo org: every case of mine, every report of
mine, and counts and searches that are right.

The demo is seeded once for the module, each test undoing what it writes (seeding.py).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairpivot.domain.vocabulary import CLOSED_STAGES
from fairpivot.records.cases.usecases import Actor, open_case
from fairpivot.records.clock import SYSTEM_CLOCK, FixedClock
from fairpivot.records.models import Case, DeadlineProjection, Demographics, Employee
from fairpivot.web import access
from fairpivot.web.models import HrScope

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(role: str) -> Client:
    """A client signed in as the demo user of ``role``."""
    client = Client()
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def in_scope(user: User, org: str) -> bool:
    """Whether one of the user's HR scopes holds ``org`` (written out again, not imported)."""
    for prefix in HrScope.objects.filter(user=user).values_list("org_prefix", flat=True):
        if not prefix or org == prefix or org.startswith(prefix.rstrip("/") + "/"):
            return True
    return False


# The HR dashboard


def test_it_counts_each_stage_as_the_cases_at_it_in_hrs_scope() -> None:
    hr = User.objects.get(username="demo-hr")
    HrScope.objects.filter(user=hr).exclude(org_prefix="").update(org_prefix="")
    cases = Case.objects.select_related("employee", "projection")
    by_hand = Counter(
        c.projection.stage for c in cases if c.employee and in_scope(hr, c.employee.org)
    )

    response = signed_in("hr").get(reverse("dashboard"))

    shown = {code: count for code, _label, count in response.context["stages"]}
    assert {k: v for k, v in shown.items() if v} == dict(by_hand)
    assert shown["separated"] == 3  # the demo's three exits (the tile said 1)
    tiles = re.findall(
        r'\?stage=(\w+)#cases"><span class="card-label">[^<]*</span> <strong>(\d+)<',
        response.content.decode(),
    )
    assert {code: int(n) for code, n in tiles} == shown


def test_it_counts_only_the_cases_in_a_narrowed_scope() -> None:
    hr = User.objects.get(username="demo-hr")
    HrScope.objects.filter(user=hr).delete()
    HrScope.objects.create(user=hr, org_prefix="Devices")
    cases = Case.objects.select_related("employee", "projection")
    by_hand = Counter(
        c.projection.stage for c in cases if c.employee and in_scope(hr, c.employee.org)
    )
    assert sum(by_hand.values()) < cases.count()

    response = signed_in("hr").get(reverse("dashboard"))

    shown = {code: count for code, _label, count in response.context["stages"]}
    assert {k: v for k, v in shown.items() if v} == dict(by_hand)


# Deadlines whose decision is made once the case leaves these stages.
DECIDED_AFTER = {
    "pivot_decide_by": {"pivot_offered"},
    "plan_ends": {"in_plan"},
    "appeal_elect_by": {"plan_failed"},
}


def test_it_lists_no_deadline_of_a_decision_already_made() -> None:
    response = signed_in("hr").get(reverse("dashboard"))

    due = response.context["due"]
    settled = set(
        DeadlineProjection.objects.filter(settled=True).values_list("case_id", "code", "date")
    )
    assert due
    assert not {(d.case.pk, d.code, d.date) for d in due} & settled
    for d in due:
        assert d.case.projection.stage not in CLOSED_STAGES, (d.case.ref, d.code)
        allowed = DECIDED_AFTER.get(d.code)
        assert allowed is None or d.case.projection.stage in allowed, (d.case.ref, d.code)


def test_it_leaves_a_settled_deadline_out_of_the_fourteen_days() -> None:
    before = signed_in("hr").get(reverse("dashboard")).context["due"]
    first = before[0]
    DeadlineProjection.objects.filter(case=first.case, code=first.code, date=first.date).update(
        settled=True
    )

    after = signed_in("hr").get(reverse("dashboard")).context["due"]

    assert (first.case.pk, first.code) not in {(d.case.pk, d.code) for d in after}
    assert len(after) == len(before) - 1


@pytest.mark.parametrize("how", ["{ref}", "{ref_lower}"])
def test_it_finds_a_case_by_its_id(how: str) -> None:
    case = Case.objects.order_by("id").first()
    assert case is not None
    query = how.format(ref=case.ref, ref_lower=case.ref.lower())

    response = signed_in("hr").get(reverse("dashboard"), {"q": query})

    found = [c.ref for c in response.context["page"].object_list]
    assert found == [case.ref]
    assert f'href="/cases/{case.ref}/"' in response.content.decode()


def test_it_still_finds_cases_by_name() -> None:
    case = Case.objects.exclude(employee=None).select_related("employee").first()
    assert case is not None
    assert case.employee is not None

    response = signed_in("hr").get(reverse("dashboard"), {"q": case.employee.name.split()[-1]})

    assert case.ref in [c.ref for c in response.context["page"].object_list]


def test_it_finds_nothing_for_a_case_id_out_of_scope() -> None:
    hr = User.objects.get(username="demo-hr")
    HrScope.objects.filter(user=hr).delete()
    HrScope.objects.create(user=hr, org_prefix="Devices")
    outside = Case.objects.exclude(pk__in=access.visible_cases(access.viewer_of(hr))).first()
    assert outside is not None

    response = signed_in("hr").get(reverse("dashboard"), {"q": outside.ref})

    assert list(response.context["page"].object_list) == []


# My case


def employee_with_an_ended_case() -> Employee:
    """A demo person whose only case has ended, given a login to see My case."""
    case = (
        Case.objects.filter(projection__stage="separated", employee__isnull=False)
        .select_related("employee")
        .order_by("id")
        .first()
    )
    assert case is not None
    assert case.employee is not None
    person = case.employee
    person.user = User.objects.create_user(username="two-cases")
    person.save()
    return person


def open_for(person: Employee, years_ago: int = 0) -> Case:
    """A new live case for ``person``, opened ``years_ago`` years back (0: now)."""
    assert person.hire_date is not None
    when = SYSTEM_CLOCK.now() - timedelta(days=365 * years_ago)
    return open_case(
        employee={
            "id": person.employee_id,
            "name": person.name,
            "age": 41,
            "hire_date": min(person.hire_date, when.date()).isoformat(),
            "work_state": person.work_state,
            "base_salary": 100000,
        },
        actor=Actor("tests", "HR-1", "Harper Lin", "hr"),
        clock=FixedClock(when),
    )


def my_case_page(person: Employee) -> tuple[Any, str]:
    assert person.user is not None
    client = Client()
    client.force_login(person.user)
    response = client.get(reverse("my_case"))
    assert response.status_code == 200
    return response, response.content.decode()


def test_it_lists_every_case_of_mine_newest_first() -> None:
    person = employee_with_an_ended_case()
    ended = Case.objects.get(employee=person)
    newer = open_for(person)

    response, content = my_case_page(person)

    assert [c.ref for c, _ctx, _html in response.context["cases"]] == [newer.ref, ended.ref]
    assert f'id="case-{newer.ref}"' in content
    assert f'id="case-{ended.ref}"' in content
    assert content.index(f'id="case-{newer.ref}"') < content.index(f'id="case-{ended.ref}"')


def test_it_puts_an_open_case_above_a_newer_ended_one() -> None:
    person = employee_with_an_ended_case()
    ended = Case.objects.get(employee=person)
    older = open_for(person, years_ago=6)
    assert older.opened_at < ended.opened_at

    response, content = my_case_page(person)

    listed = [(c.ref, ctx["is_open"]) for c, ctx, _html in response.context["cases"]]
    assert listed == [(older.ref, True), (ended.ref, False)]
    assert content.index(f'id="case-{older.ref}"') < content.index(f'id="case-{ended.ref}"')
    assert "Separated" in content or "separated" in content  # the ended case is still shown


def test_it_gives_each_case_its_own_forms() -> None:
    person = employee_with_an_ended_case()
    ended = Case.objects.get(employee=person)
    newer = open_for(person)

    _response, content = my_case_page(person)

    for case in (newer, ended):
        assert f'action="/cases/{case.ref}/actions/' in content
    assert 'name="page" value="me"' in content


def test_it_shows_one_case_as_before() -> None:
    response = signed_in("employee").get(reverse("my_case"))
    content = response.content.decode()

    assert len(response.context["cases"]) == 1
    assert "You have been offered Pivot" in content
    assert "Your cases" not in content


# My team


def demo_manager() -> Employee:
    return Employee.objects.get(user__username="demo-manager")


def report_without_a_case() -> Employee:
    """Someone below demo-manager with no case, still employed."""
    line = access.reporting_line(demo_manager())
    person = (
        Employee.objects.filter(pk__in=line, cases=None, exit_date=None)
        .order_by("employee_id")
        .first()
    )
    assert person is not None
    return person


def test_it_lists_every_report_direct_and_indirect_with_or_without_a_case() -> None:
    boss = demo_manager()
    direct = Employee.objects.filter(manager=boss).order_by("employee_id").first()
    assert direct is not None
    indirect = Employee.objects.create(
        employee_id="T-INDIRECT",
        name="Indra Indirect",
        org=direct.org,
        manager=direct,
        work_state="WA",
        hire_date=date(2021, 3, 1),
    )
    Demographics.objects.create(
        employee=indirect, birth_date=date(1990, 5, 1), sex="F", race_ethnicity="white"
    )
    people = Employee.objects.filter(pk__in=access.reporting_line(boss))

    response = signed_in("manager").get(reverse("my_team"))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == people.count()
    shown = {m.employee.pk for m in response.context["members"]}
    assert shown == set(people.values_list("pk", flat=True))  # a small team: one page
    assert {direct.pk, indirect.pk, report_without_a_case().pk} <= shown
    content = response.content.decode()
    assert "Indra Indirect" in content
    assert f'action="{reverse("open_case", args=["T-INDIRECT"])}"' in content


def test_it_shows_each_reports_cases_and_stage() -> None:
    mine = Case.objects.get(employee__user__username="demo-employee")

    response = signed_in("manager").get(reverse("my_team"))

    member = next(m for m in response.context["members"] if m.employee == mine.employee)
    assert [cell.case.pk for cell in member.cases] == [mine.pk]
    assert member.has_open_case
    assert not member.may_open
    assert f'href="/cases/{mine.ref}/"' in response.content.decode()


def test_it_opens_a_case_for_a_report_and_goes_to_it() -> None:
    person = report_without_a_case()
    manager = signed_in("manager")
    form = manager.get(reverse("my_team")).content.decode()
    url = reverse("open_case", args=[person.employee_id])
    assert f'action="{url}"' in form

    response = manager.post(url, {"annual_pay": "98000"})

    case = Case.objects.get(employee=person)
    assert response.status_code == 302
    assert response["Location"] == reverse("case", args=[case.ref])
    assert case.projection.stage not in CLOSED_STAGES
    page = manager.get(response["Location"])
    assert page.status_code == 200
    assert "Opened" in page.content.decode()


def test_it_refuses_a_second_open_case() -> None:
    person = report_without_a_case()
    manager = signed_in("manager")
    url = reverse("open_case", args=[person.employee_id])
    assert manager.post(url, {"annual_pay": "98000"}).status_code == 302

    again = manager.post(url, {"annual_pay": "98000"})

    assert again.status_code == 409
    assert "already has an open case" in again.content.decode()
    assert Case.objects.filter(employee=person).count() == 1


def test_it_refuses_a_report_who_already_has_an_open_case() -> None:
    mine = Case.objects.select_related("employee").get(employee__user__username="demo-employee")
    assert mine.employee is not None
    url = reverse("open_case", args=[mine.employee.employee_id])

    response = signed_in("manager").post(url, {"annual_pay": "98000"})

    assert response.status_code == 409
    assert mine.ref in response.content.decode()


@pytest.mark.parametrize("role", ["employee", "panelist", "counsel"])
def test_it_lets_no_one_but_managers_and_hr_open_a_case(role: str) -> None:
    person = report_without_a_case()
    url = reverse("open_case", args=[person.employee_id])

    response = signed_in(role).post(url, {"annual_pay": "98000"})

    assert response.status_code == 403
    assert not Case.objects.filter(employee=person).exists()


def test_it_answers_not_found_for_someone_outside_the_managers_line() -> None:
    line = access.reporting_line(demo_manager())
    outsider = Employee.objects.exclude(pk__in=line).filter(cases=None).first()
    assert outsider is not None
    url = reverse("open_case", args=[outsider.employee_id])

    response = signed_in("manager").post(url, {"annual_pay": "98000"})
    missing = signed_in("manager").post(
        reverse("open_case", args=["NO-SUCH-ID"]), {"annual_pay": "1"}
    )

    assert response.status_code == missing.status_code == 404
    assert not Case.objects.filter(employee=outsider).exists()


def test_it_asks_again_for_a_salary_that_is_not_a_number() -> None:
    person = report_without_a_case()
    url = reverse("open_case", args=[person.employee_id])

    response = signed_in("manager").post(url, {"annual_pay": "a lot"})

    assert response.status_code == 422
    assert "give a number" in response.content.decode()
    assert not Case.objects.filter(employee=person).exists()


def test_it_pages_a_large_team_in_a_few_queries() -> None:
    boss = demo_manager()
    team = [
        Employee(
            employee_id=f"BIG-{i:05d}",
            name=f"Report {i:05d}",
            org=boss.org,
            manager=boss,
            work_state="WA",
            hire_date=date(2020, 1, 1),
        )
        for i in range(2000)
    ]
    Employee.objects.bulk_create(team)
    manager = signed_in("manager")
    manager.get(reverse("my_team"))  # the session and the viewer, once

    with CaptureQueriesContext(connection) as queries:
        response = manager.get(reverse("my_team"), {"page": 3})

    assert response.status_code == 200
    assert response.context["page"].paginator.count >= 2000
    assert len(response.context["members"]) == 50
    assert len(queries) < 20, [q["sql"][:120] for q in queries.captured_queries]


def test_a_manager_is_never_asked_an_age_the_hris_lacks() -> None:
    person = report_without_a_case()
    Demographics.objects.filter(employee=person).delete()
    url = reverse("open_case", args=[person.employee_id])
    manager = signed_in("manager")

    page = manager.get(reverse("my_team")).content.decode()
    typed = manager.post(url, {"annual_pay": "98000", "age_years": "38"})
    bare = manager.post(url, {"annual_pay": "98000"})

    assert f'action="{url}"' not in page
    assert "HR opens this case" in page
    assert typed.status_code == 422
    assert "HR opens a case" in typed.content.decode()
    assert bare.status_code == 422
    assert not Case.objects.filter(employee=person).exists()
    hr = signed_in("hr").post(url, {"annual_pay": "98000", "age_years": "38"})
    assert hr.status_code == 302
    assert Case.objects.filter(employee=person).count() == 1
