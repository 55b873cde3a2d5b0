"""The employee's own representative (review-v4.md section 8 item 8), through the pages.

Pat invites Riley (a login in the representative group) from My case; Riley then reads
Pat's case as Pat does and asks HR for other terms for Pat, until Pat withdraws. Nobody
else's case opens for Riley, and the manager never sees the request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from fairpivot.records.cases import usecases
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.models import Case, Employee, LedgerEntry
from fairpivot.web.models import Representation
from tests.builders import offer, plan
from tests.commanding import record

pytestmark = pytest.mark.django_db

HR = Actor("harper", "H-1", "Harper HR", "hr")


def login(username: str, *groups: str, employee: Employee | None = None) -> Client:
    user = User.objects.create_user(username)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if employee is not None:
        employee.user = user
        employee.save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    return client


def case_of(employee_id: str, manager: Employee) -> Case:
    return usecases.open_case(
        employee={
            "id": employee_id,
            "name": f"Person {employee_id}",
            "birth_date": "1990-01-15",
            "hire_date": "2020-01-06",
            "manager": manager.employee_id,
            "work_state": "WA",
            "base_salary": 156000,
        },
        people=[{"id": manager.employee_id, "name": manager.name, "role": "manager"}],
        actor=HR,
    )


@pytest.fixture
def world() -> dict[str, object]:
    boss = Employee.objects.create(employee_id="M-1", name="Morgan", work_state="WA")
    pat = Employee.objects.create(employee_id="E-1", name="Pat", manager=boss, work_state="WA")
    other = Employee.objects.create(employee_id="E-2", name="Sam", manager=boss, work_state="WA")
    mine, theirs = case_of("E-1", boss), case_of("E-2", boss)
    for case in (mine, theirs):
        Case.objects.filter(pk=case.pk).update(employee=pat if case is mine else other)
    today = datetime.now(tz=UTC).date()
    record(mine, "start_focus", actor=HR)
    record(
        mine,
        "offer_pivot",
        actor=HR,
        offer=offer(consideration_days=21),
        plan=plan(
            (today + timedelta(days=25)).isoformat(), (today + timedelta(days=70)).isoformat()
        ),
        decision_days=21,
    )
    return {
        "mine": mine,
        "theirs": theirs,
        "pat": login("pat", "employee", employee=pat),
        "riley": login("riley", "representative"),
        "manager": login("morgan", "manager", employee=boss),
        "stranger": login("stranger"),
    }


def test_an_employee_invites_a_representative_who_reads_their_case_and_asks_for_terms(
    world: dict[str, object],
) -> None:
    pat, riley = world["pat"], world["riley"]
    mine, theirs = world["mine"], world["theirs"]
    assert isinstance(pat, Client)
    assert isinstance(riley, Client)
    assert isinstance(mine, Case)
    assert isinstance(theirs, Case)
    assert riley.get(reverse("case", args=[mine.ref])).status_code == 404  # not yet invited

    assert 'action="/me/representatives/"' in pat.get(reverse("my_case")).content.decode()
    page = pat.post(reverse("invite_representative"), {"username": "riley"}, follow=True)
    assert "now reads your cases" in page.content.decode()
    assert "Withdraw" in page.content.decode()
    shown = riley.get(reverse("case", args=[mine.ref]))
    assert shown.status_code == 200
    assert "Ask for different terms" in shown.content.decode()
    assert riley.get(reverse("case", args=[theirs.ref])).status_code == 404
    assert mine.ref in riley.get(reverse("represented")).content.decode()

    mine.refresh_from_db()
    posted = riley.post(
        reverse("take_action", args=[mine.ref, "request_terms"]),
        {"version": mine.version, "text": "Twelve weeks of pay, please.", "amount": "36000"},
    )
    assert posted.status_code == 302
    asked = LedgerEntry.objects.get(case=mine, kind="terms_requested")
    assert asked.recorded_by == "riley"

    manager = world["manager"]
    assert isinstance(manager, Client)
    assert "Twelve weeks" not in manager.get(reverse("case", args=[mine.ref])).content.decode()
    assert "Twelve weeks" in pat.get(reverse("case", args=[mine.ref])).content.decode()

    invitation = Representation.objects.get(user__username="riley")
    pat.post(reverse("withdraw_representative", args=[invitation.pk]))
    assert riley.get(reverse("case", args=[mine.ref])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None  # withdrawn, kept


@pytest.mark.parametrize("username", ["stranger", "nobody", ""])
def test_only_a_login_in_the_representative_group_can_be_invited(
    world: dict[str, object], username: str
) -> None:
    pat = world["pat"]
    assert isinstance(pat, Client)
    page = pat.post(reverse("invite_representative"), {"username": username}, follow=True)
    assert "Not invited: username:" in page.content.decode()
    assert not Representation.objects.exists()


def test_an_employee_cannot_withdraw_someone_elses_invitation(world: dict[str, object]) -> None:
    pat = world["pat"]
    assert isinstance(pat, Client)
    riley = User.objects.get(username="riley")
    theirs = Representation.objects.create(
        employee_ref="E-2", user=riley, invited_at=riley.date_joined
    )
    page = pat.post(reverse("withdraw_representative", args=[theirs.pk]), follow=True)
    assert "no such representative" in page.content.decode()
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
