"""Every row of both shipped policies' stage tables, driven through the JSON API.

Each walk opens a case and takes its steps one at a time with ``POST
/api/v1/cases/{id}/actions/{name}``, as the person who takes the step in real life: the
manager asks for concern, Focus, Pivot and plan steps (an adverse one is held, and HR signs
it off), the employee chooses, appeals, signs and revokes, HR makes offers, records
transfers and disclosures and seats the panel, and the panelists decide the appeal. After
every step the case's stage (``GET /api/v1/cases/{id}``) must be the one the policy's table
names for the row, and the case's last event must be the row's event.

The walks of a policy together must drive every (stage, event) row of its table, as loaded:
a row added to a policy with no walk through it fails the test. The server dates every step
today, so every date given is relative to today.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django import DjangoDbBlocker

from fairpivot.domain.policy import load_policy
from fairpivot.records.cases import usecases
from fairpivot.records.cases.commands import COMMANDS
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Employee
from fairpivot.web.services import cover_org
from fairpivot.web.tokens import issue_token
from tests.integration.seeding import kept_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("people")]

API = "/api/v1"
POLICIES = ("amazon-pivot", "standard-pip")
BEFORE_SIGNING = "@before_signing"
MANAGER_ID = "W-100"
ORG = "Walks"
PANELISTS = ("walk-panel-1", "walk-panel-2", "walk-panel-3")
# One employee (with a login) per walk of a policy; each policy's walks run in a test of
# their own, undone when it ends, so the two policies share the pool.
POOL = 16


# --- The people: one org, seeded once for the module ------------------------------------


@dataclass(frozen=True, slots=True)
class People:
    """The logins the walks act as: an API token per username."""

    tokens: dict[str, str]
    employees: tuple[str, ...]  # employee ids, each with a login ``walk-<id>``


def login_of(employee_id: str) -> str:
    return f"walk-{employee_id.lower()}"


def _user(username: str, *groups: str) -> User:
    user = User.objects.create(username=username, first_name=username)
    user.set_unusable_password()
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def seed_people() -> People:
    """A manager over a team of employees, HR over the org, three panelists from elsewhere."""
    tokens: dict[str, str] = {}
    manager = _user("walk-manager", "manager")
    boss = Employee.objects.create(
        employee_id=MANAGER_ID, name="Morgan Manager", org=ORG, work_state="WA", user=manager
    )
    tokens[manager.username] = issue_token(manager, "stage walk")
    hr = _user("walk-hr", "hr")
    cover_org(hr, ORG)
    tokens[hr.username] = issue_token(hr, "stage walk")
    for username in PANELISTS:
        panelist = _user(username, "panelist")
        tokens[username] = issue_token(panelist, "stage walk")
    employees = []
    for n in range(1, POOL + 1):
        employee_id = f"W-{n:03d}"
        user = _user(login_of(employee_id))
        Employee.objects.create(
            employee_id=employee_id,
            name=f"Walker {n}",
            org=f"{ORG}/Team",
            manager=boss,
            work_state="WA",
            hire_date=date(2020, 1, 6),
            user=user,
        )
        tokens[user.username] = issue_token(user, "stage walk")
        employees.append(employee_id)
    return People(tokens, tuple(employees))


@pytest.fixture(scope="module")
def people(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[People]:
    with kept_for_module(django_db_blocker, seed_people) as seeded:
        yield seeded


# --- The steps ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """One row of the table to drive: its event key, who takes it, the action and inputs.

    ``role`` is ``manager``, ``hr``, ``employee`` or ``panel`` (HR seats the panel, and
    each panelist votes the key's outcome).
    """

    key: str
    role: str
    action: str
    inputs: Callable[[date], dict[str, Any]] = field(default=lambda day: {})


def offer(tier: int = 1, **more: Any) -> Callable[[date], dict[str, Any]]:
    def inputs(day: date) -> dict[str, Any]:
        return {
            "offer": {
                "tier": tier,
                "amount": 30000 + 1000 * tier,
                "consideration_days": 21,
                "revocation_days": 7,
                "clauses": [
                    "release_of_claims",
                    "carve_out_illegal_conduct",
                    "preserves_section7_rights",
                ],
            },
            **more,
        }

    return inputs


def plan_of(day: date, days: int) -> dict[str, Any]:
    return {
        "start": day.isoformat(),
        "end": (day + timedelta(days=days)).isoformat(),
        "goals": [{"text": "Ship the migration", "measure": "in production"}],
        "checkin_every_days": 7,
    }


WHY = {"justification": "Two launches missed; documented with the team."}

concern = Step("concern_documented", "manager", "document_concern", lambda d: {"note": "Late."})
transfer = Step("transferred", "hr", "transfer", lambda d: {"org": f"{ORG}/Other"})
start_focus = Step(
    "focus_started",
    "manager",
    "start_focus",
    lambda d: {"goals": [{"text": "Ship the migration"}], **WHY},
)
disclose_focus = Step("focus_disclosed", "hr", "disclose_focus")
remove_focus = Step(
    "focus_removed", "manager", "remove_focus", lambda d: {"note": "Back on track."}
)
offer_pivot = Step(
    "pivot_offered",
    "manager",
    "offer_pivot",
    lambda d: {**offer(1)(d), "plan": plan_of(d, 45), "decision_days": 5, **WHY},
)
negotiate = Step("offer_made", "hr", "make_offer", offer(1, negotiated=True))
choose_plan = Step("option_chosen:plan", "employee", "choose_plan")
choose_severance = Step(
    "option_chosen:severance", "employee", "choose_severance", lambda d: {"confirm": True}
)
start_plan = Step(
    "plan_started", "manager", "start_plan", lambda d: {"plan": plan_of(d, 90), **WHY}
)
checkin = Step("checkin", "manager", "record_checkin", lambda d: {"held": True})
extend = Step(
    "plan_extended", "manager", "extend_plan", lambda d: {"end": (d + timedelta(100)).isoformat()}
)
pass_plan = Step("plan_passed", "manager", "pass_plan")
fail_plan = Step("plan_failed", "manager", "fail_plan", lambda d: {**WHY})
elect_appeal = Step("appeal_elected", "employee", "elect_appeal")
upheld = Step("appeal_decided:upheld", "panel", "vote")
overturned = Step("appeal_decided:overturned", "panel", "vote")
separate = Step(
    "separated",
    "manager",
    "separate",
    lambda d: {"reason": "termination_performance", "no_rehire": False, **WHY},
)


def make_offer(tier: int) -> Step:
    return Step("offer_made", "hr", "make_offer", offer(tier))


def sign(tier: int) -> Step:
    return Step(
        "offer_signed", "employee", "sign_offer", lambda d: {"tier": str(tier), "confirm": True}
    )


def revoke(tier: int) -> Step:
    return Step("offer_revoked", "employee", "revoke_offer", lambda d: {"tier": str(tier)})


# --- The walks ------------------------------------------------------------------------------

TO_PIVOT = [start_focus, offer_pivot]
TO_PLAN = [*TO_PIVOT, choose_plan]
TO_FAILED = [*TO_PLAN, fail_plan]
TO_APPEAL = [*TO_FAILED, elect_appeal]

WALKS: dict[str, dict[str, list[Step]]] = {
    "amazon-pivot": {
        "the long road": [
            concern,
            transfer,
            start_focus,
            concern,
            disclose_focus,
            remove_focus,
            start_focus,
            offer_pivot,
            concern,
            negotiate,
            choose_plan,
            concern,
            checkin,
            extend,
            fail_plan,
            concern,
            make_offer(2),
            elect_appeal,
            concern,
            overturned,
            concern,
            transfer,
            start_focus,
            offer_pivot,
            choose_plan,
            pass_plan,
            concern,
            transfer,
            start_focus,
            separate,
            make_offer(1),
            sign(1),
            revoke(1),
        ],
        "separated in good standing": [separate],
        "signed at the pivot, then revoked": [*TO_PIVOT, sign(1), revoke(1), separate],
        "severance": [*TO_PIVOT, choose_severance, concern, make_offer(1), sign(1), separate],
        "separated in the plan": [*TO_PLAN, separate],
        "signed after a failed plan": [*TO_FAILED, make_offer(2), sign(2)],
        "separated after a failed plan": [*TO_FAILED, separate],
        "signed after a lost appeal": [*TO_APPEAL, upheld, concern, make_offer(3), sign(3)],
        "separated after a lost appeal": [*TO_APPEAL, upheld, separate],
        "separated after a passed plan": [*TO_PLAN, pass_plan, separate],
        "separated after a won appeal": [*TO_APPEAL, overturned, separate],
    },
    "standard-pip": {
        "the long road": [
            concern,
            transfer,
            start_plan,
            concern,
            checkin,
            extend,
            pass_plan,
            concern,
            transfer,
            start_plan,
            fail_plan,
            concern,
            make_offer(1),
            sign(1),
            concern,
            make_offer(1),
            sign(1),
            separate,
            make_offer(2),
            sign(2),
            revoke(2),
        ],
        "separated in good standing": [separate],
        "separated after a passed plan": [start_plan, pass_plan, separate],
        "separated in the plan": [start_plan, separate],
        "signed after a failed plan, then revoked": [
            start_plan,
            fail_plan,
            make_offer(1),
            sign(1),
            revoke(1),
            separate,
        ],
    },
}


# --- Driving a walk through the API -------------------------------------------------------


class Caller:
    """API calls as the walk's people, with a test client."""

    def __init__(self, client: Client, people: People) -> None:
        self.client, self.people = client, people

    def get(self, username: str, path: str) -> Any:
        response = self.client.get(API + path, headers=self._auth(username))
        assert response.status_code == 200, (path, response.status_code, response.content)
        return response.json()

    def post(self, username: str, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            API + path,
            json.dumps(body),
            content_type="application/json",
            headers=self._auth(username),
        )

    def _auth(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.people.tokens[username]}"}


class Walk:
    """One case, taken a step at a time through the API."""

    def __init__(self, api: Caller, policy: str, employee_id: str, name: str) -> None:
        self.api, self.name = api, name
        self.policy = load_policy(policy)
        self.employee_login = login_of(employee_id)
        hr = Actor("walk-hr", "walk-hr", "Walk HR", "hr")
        self.ref = usecases.open_case(
            employee={
                "id": employee_id,
                "name": "Walker",
                "birth_date": "1990-01-15",
                "hire_date": "2020-01-06",
                "manager": MANAGER_ID,
                "work_state": "WA",
                "base_salary": 156000,
            },
            employer={"name": "Example Co", "headcount": 5000},
            people=[{"id": MANAGER_ID, "name": "Morgan Manager", "role": "manager"}],
            policy=policy,
            actor=hr,
        ).ref
        self.signed_from: dict[str, str] = {}  # the stage each tier's latest signing left

    def case(self) -> dict[str, Any]:
        found: dict[str, Any] = self.api.get("walk-hr", f"/cases/{self.ref}")
        return found

    def login(self, role: str) -> str:
        return {"manager": "walk-manager", "hr": "walk-hr", "employee": self.employee_login}[role]

    def act(self, username: str, action: str, inputs: dict[str, Any], where: str) -> Any:
        version = self.case()["version"]
        response = self.api.post(
            username,
            f"/cases/{self.ref}/actions/{action}",
            {"version": version, "inputs": inputs},
        )
        assert response.status_code in (200, 202), (where, response.status_code, response.json())
        return response

    def drive(self, number: int, step: Step) -> tuple[str, str]:
        """Take the step; check the row exists, the stage after it, and the event recorded."""
        where = f"{self.policy.name} / {self.name} / step {number} {step.key}"
        before = self.case()
        stage = before["stage"]
        table = self.policy.stages.get(stage, {})
        assert step.key in table, f"{where}: stage {stage} has no row {step.key}"
        target = table[step.key]
        if target == BEFORE_SIGNING:
            target = self.signed_from[step.inputs(today(SYSTEM_CLOCK))["tier"]]
        inputs = step.inputs(today(SYSTEM_CLOCK))
        if step.role == "panel":
            self.decide_by_panel(step.key.partition(":")[2], where)
        else:
            response = self.act(self.login(step.role), step.action, inputs, where)
            guarded = COMMANDS[step.action].guarded and step.role == "manager"
            assert response.status_code == (202 if guarded else 200), (where, response.json())
            if response.status_code == 200:
                assert response.json()["review"]["stage"] == target, where
            else:
                self.sign_off(response.json()["held"], where)
        after = self.case()
        assert after["stage"] == target, f"{where}: {stage} -> {after['stage']}, not {target}"
        assert after["review"]["stage"] == target, where
        assert self.last_event_key() == step.key, where
        if step.key == "offer_signed":
            self.signed_from[inputs["tier"]] = stage
        return stage, step.key

    def sign_off(self, hold: int, where: str) -> None:
        decision = {
            "hold": str(hold),
            "decision": "approve",
            "justification": "Read the record: the step is fair.",
        }
        self.act("walk-hr", "sign_off", decision, where)

    def decide_by_panel(self, outcome: str, where: str) -> None:
        self.act("walk-hr", "seat_panel", {"panelists": list(PANELISTS)}, where)
        for username in PANELISTS:
            assert self.case()["stage"] == "appeal", where
            self.act(username, "vote", {"vote": outcome}, where)

    def last_event_key(self) -> str:
        events = self.api.get("walk-hr", f"/cases/{self.ref}/events")
        event = events[-1]["event"]
        variant = {"option_chosen": "option", "appeal_decided": "outcome"}.get(event["type"])
        return f"{event['type']}:{event[variant]}" if variant else str(event["type"])


def rows_of(policy: str) -> set[tuple[str, str]]:
    """Every (stage, event key) row of the policy's stage table, as loaded."""
    return {(stage, key) for stage, moves in load_policy(policy).stages.items() for key in moves}


@pytest.mark.parametrize("policy", POLICIES)
def test_every_row_of_the_stage_table_is_driven_through_the_api(
    policy: str, people: People, client: Client
) -> None:
    api = Caller(client, people)
    walks = WALKS[policy]
    assert len(walks) <= len(people.employees), "add employees to the pool: one per walk"
    driven: set[tuple[str, str]] = set()
    for (name, steps), employee_id in zip(walks.items(), people.employees, strict=False):
        walk = Walk(api, policy, employee_id, name)
        for number, step in enumerate(steps, start=1):
            driven.add(walk.drive(number, step))

    assert sorted(rows_of(policy) - driven) == [], "rows no walk drives"
