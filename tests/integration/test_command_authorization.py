"""Who may run each command: one row per command, every command posted as every role.

``EXPECTED`` is written out by hand: for each command, the roles that may run it. It is
the check on the ``relations`` each command declares (records/cases/commands.py) and on how the
web works out a signed-in person's relations to a case (web/case/acting.py); a command added
later without a row here fails ``test_every_command_has_a_row``.

Each command is posted through the API, as each role, on a case where the command is open
and with inputs it accepts, so the only thing that can refuse it is who is asking:

- a role the row names gets 200 (recorded) or 202 (a manager's adverse step, held for HR);
- a role that may open the case but not run the command gets 422, "is not open to you";
- a role that may not open the case at all gets 404, as for a case that does not exist.

Two commands no shipped policy opens (``NEVER_OPEN``) are refused to everyone when posted;
their rows are checked against what the command layer offers under a policy changed in
memory to open them. A few posts go through the page route too, which must answer as the
API does (a redirect, the page again with the reason, or not found).

The roles: the case's employee, the representative they invited, their manager (the
employee reports to them), HR covering the employee's org, a panelist seated on the
appeal (they may open appeals they sit on, nothing else), counsel, an administrator, and a
signed-in stranger with no role. The cases are built once for the module (seeding.py) at
the stages the commands need; every post runs in a savepoint of its own and is undone.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.test.utils import override_settings
from pytest_django import DjangoDbBlocker

from fairpivot.domain.casefile import parse_case_file
from fairpivot.records.cases import commands, transfer, usecases
from fairpivot.records.cases.commands import COMMANDS, Situation
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import SYSTEM_CLOCK, FixedClock, today
from fairpivot.records.models import Case, Employee, LedgerEntry
from fairpivot.web.access import viewer_of
from fairpivot.web.case import acting
from fairpivot.web.models import Representation
from fairpivot.web.services import cover_org, issue_token
from tests.commanding import record, take
from tests.integration.seeding import FAST_HASHING, kept_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

API = "/api/v1"
ROLES = (
    "employee",
    "representative",
    "manager",
    "hr",
    "panelist",
    "counsel",
    "admin",
    "stranger",
)
E, REP, MGR, HR, PAN, CNS, ADM = ROLES[:7]
MANAGING = frozenset({MGR, HR, ADM})
HR_ONLY = frozenset({HR, ADM})

# The hand-written table: command -> the roles that may run it.
# fmt: off
EXPECTED: dict[str, frozenset[str]] = {
    "document_concern":          MANAGING,
    "start_focus":               MANAGING,
    "disclose_focus":            HR_ONLY,
    "remove_focus":              MANAGING,
    "offer_pivot":               MANAGING,
    "choose_severance":          frozenset({E}),
    "choose_plan":               frozenset({E}),
    "choose_appeal":             frozenset({E}),
    "start_plan":                MANAGING,
    "record_checkin":            MANAGING,
    "extend_plan":               MANAGING,
    "pass_plan":                 MANAGING,
    "fail_plan":                 MANAGING,
    "elect_appeal":              frozenset({E}),
    "decide_appeal":             HR_ONLY,
    "make_offer":                HR_ONLY,
    "sign_offer":                frozenset({E}),
    "revoke_offer":              frozenset({E}),
    "separate":                  MANAGING,
    "transfer":                  HR_ONLY,
    "record_protected_activity": frozenset({E, HR, ADM}),
    "record_rating":             HR_ONLY,
    "record_promotion":          HR_ONLY,
    "record_equity":             HR_ONLY,
    "record_bonus":              HR_ONLY,
    "reply":                     frozenset({E}),
    "employee_statement":        frozenset({E}),
    "manager_statement":         MANAGING,
    "add_document":              frozenset({E, MGR, HR, ADM}),
    "sign_off":                  HR_ONLY,
    "retract":                   HR_ONLY,
    "dispute":                   HR_ONLY,
    "seat_panel":                HR_ONLY,
    "recuse":                    frozenset({PAN}),
    "vote":                      frozenset({PAN}),
    "request_terms":             frozenset({E, REP}),
    "refuse_terms":              HR_ONLY,
    "issue_letter":              HR_ONLY,
}
# fmt: on

# Open nowhere under the shipped policies: amazon-pivot's stage table has no
# ``option_chosen:appeal`` and its panel decides appeals; standard-pip has no appeal. Their
# rows are checked on a case whose policy is changed in memory to open them
# (``test_a_command_no_shipped_policy_opens_is_offered_to_the_table_roles``).
NEVER_OPEN: dict[str, tuple[str, dict[str, Any]]] = {
    "choose_appeal": ("pivot", {"stages": "pivot_offered", "event": "option_chosen:appeal"}),
    "decide_appeal": ("appeal", {"panel": False}),
}

ORG = "Retail/Store"
HR_PREFIX = "Retail"
MANAGER_ID = "M-1"
HR_SEED = Actor("harper", "HR-1", "Harper HR", "hr")
MANAGER_SEED = Actor("morgan", MANAGER_ID, "Morgan Manager", "manager")
PANELISTS = ("peer0", "peer1", "peer2")
SEATED = "peer0"  # the panelist role: seated on both appeals

CLAUSES = ["release_of_claims", "carve_out_illegal_conduct", "preserves_section7_rights"]

# The stage each case is built to, and whose policy.
CASES = {
    "good_standing": "amazon-pivot",
    "pip_good_standing": "standard-pip",
    "focus": "amazon-pivot",
    "pivot": "amazon-pivot",  # pivot_offered, a request for other terms waiting
    "in_plan": "amazon-pivot",
    "plan_failed": "amazon-pivot",  # a tier-2 offer made since
    "appeal": "amazon-pivot",  # two of three seats taken
    "appeal_full": "amazon-pivot",  # all three seated
    "exiting": "amazon-pivot",  # a signing inside its revocation period
    "hold": "amazon-pivot",  # a manager's start_focus waiting for HR
    # Imported with a share price: equity cannot be recorded without one, and a case
    # opened live has none (open_case takes no share price).
    "equity": "amazon-pivot",
}


@dataclass
class World:
    refs: dict[str, str]  # case key -> ref
    tokens: dict[str, str]  # role (or "employee:<case key>") -> API token
    sessions: dict[str, str]  # the same, for the pages
    seqs: dict[str, int]  # entries the inputs name (documents, requests, holds)
    user_ids: dict[str, int]  # the same keys as tokens -> the user's id


def on(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


def offer(tier: int = 1, amount: float = 30000) -> dict[str, Any]:
    return {
        "tier": tier,
        "amount": amount,
        "consideration_days": 21,
        "revocation_days": 7,
        "names_adea": True,
        "advises_attorney": True,
        "clauses": CLAUSES,
    }


def plan(start: date, end: date) -> dict[str, Any]:
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "goals": [{"text": "Ship the migration", "measure": "in production"}],
        "checkin_every_days": 7,
    }


def user(username: str, *groups: str) -> User:
    made = User.objects.create_user(username)
    for name in groups:
        made.groups.add(Group.objects.get_or_create(name=name)[0])
    return made


def seed() -> World:
    now = today(SYSTEM_CLOCK)
    start = now - timedelta(days=90)
    boss = Employee.objects.create(
        employee_id=MANAGER_ID, name="Morgan Manager", org="Retail", work_state="WA"
    )
    morgan = user("morgan", "manager")
    boss.user = morgan
    boss.save(update_fields=["user"])
    harper = user("harper", "hr")
    cover_org(harper, HR_PREFIX)
    riley = user("riley", "representative")
    for name in PANELISTS:
        user(name, "panelist")
    users = {
        MGR: morgan,
        HR: harper,
        REP: riley,
        PAN: User.objects.get(username=SEATED),
        CNS: user("casey", "counsel"),
        ADM: user("ada", "admin"),
        "stranger": user("sam"),
    }
    refs: dict[str, str] = {}
    seqs: dict[str, int] = {}
    for number, (key, policy) in enumerate(CASES.items(), start=1):
        employee_id = f"E-{number}"
        login = user(f"emp-{key}")
        person = Employee.objects.create(
            employee_id=employee_id,
            name=f"Person {key}",
            org=ORG,
            manager=boss,
            work_state="WA",
            user=login,
        )
        Representation.objects.create(
            employee_ref=employee_id, user=riley, invited_at=on(now).now()
        )
        users[f"{E}:{key}"] = login
        case = open_or_import(key, policy, employee_id, person.name, start)
        refs[key] = case.ref
        me = Actor(login.username, employee_id, person.name, "other")
        build_case(key, case, me=me, start=start, now=now, seqs=seqs)
    return World(
        refs=refs,
        tokens={who: issue_token(u, "command authorization") for who, u in users.items()},
        sessions={who: session_of(u) for who, u in users.items()},
        seqs=seqs,
        user_ids={who: u.pk for who, u in users.items()},
    )


def open_or_import(key: str, policy: str, employee_id: str, name: str, start: date) -> Case:
    file: dict[str, Any] = {
        "format": "fairpivot.casefile/1",
        "policy": policy,
        "employer": {"name": "Example Co", "headcount": 5000},
        "employee": {
            "id": employee_id,
            "name": name,
            "birth_date": "1990-01-15",
            "hire_date": "2020-01-06",
            "manager": MANAGER_ID,
            "work_state": "WA",
            "base_salary": 156000,
        },
    }
    people = [{"id": MANAGER_ID, "name": "Morgan Manager", "role": "manager"}]
    if key != "equity":
        return usecases.open_case(
            employee=file["employee"],
            employer=file["employer"],
            people=people,
            policy=policy,
            actor=HR_SEED,
            clock=on(start),
        )
    file |= {"as_of": start.isoformat(), "share_price": 100, "people": people, "events": []}
    data = json.dumps(file).encode()
    item = transfer.CaseFileToImport(
        Path("equity.json"), hashlib.sha256(data).hexdigest(), parse_case_file(data)
    )
    return transfer.import_one(item, on(start)).case


def build_case(
    key: str, case: Case, *, me: Actor, start: date, now: date, seqs: dict[str, int]
) -> None:
    """Take ``case`` to the stage ``key`` names, HR acting unless the step is the employee's."""

    def hr(name: str, day: date, **raw: Any) -> None:
        record(case, name, actor=HR_SEED, relation="hr", clock=on(day), **raw)

    def employee(name: str, day: date, **raw: Any) -> None:
        record(case, name, actor=me, relation="employee", clock=on(day), **raw)

    if key == "good_standing":
        employee("add_document", start, title="My notes", text="Kept by me.")
        seqs["employee_entry"] = case_version(case)
        hr("add_document", start, title="Job description", text="Filed by HR.")
        seqs["hr_entry"] = case_version(case)
        return
    if key == "hold":
        held = take(case, "start_focus", actor=MANAGER_SEED, clock=on(now), note="Missed.")
        assert held.held is not None
        seqs["hold"] = held.held
        return
    if key in ("pip_good_standing", "equity"):
        return
    hr("start_focus", start + timedelta(days=1), note="Two launches missed.")
    if key == "focus":
        return
    if key in ("pivot", "exiting"):
        pivot_on = now - timedelta(days=3)
        hr(
            "offer_pivot",
            pivot_on,
            offer=offer(),
            plan=plan(now + timedelta(days=25), now + timedelta(days=70)),
            decision_days=21,
        )
        if key == "pivot":
            employee("request_terms", now - timedelta(days=1), text="Twelve weeks, please.")
            seqs["request"] = Situation(case_row(case)).requests[0].seq
        else:
            employee("choose_severance", now - timedelta(days=2), confirm=True)
            employee("sign_offer", now - timedelta(days=1), tier="1", confirm=True)
        return
    pivot_on = start + timedelta(days=2)
    hr(
        "offer_pivot",
        pivot_on,
        offer=offer(),
        plan=plan(pivot_on + timedelta(days=8), now + timedelta(days=30)),
        decision_days=5,
    )
    employee("choose_plan", pivot_on + timedelta(days=1))
    if key == "in_plan":
        return
    hr("fail_plan", now - timedelta(days=3), appeal_days=5)
    if key == "plan_failed":
        hr("make_offer", now - timedelta(days=2), offer=offer(tier=2, amount=10000))
        return
    employee("elect_appeal", now - timedelta(days=2))
    seated = PANELISTS if key == "appeal_full" else PANELISTS[:2]
    hr("seat_panel", now - timedelta(days=1), panelists=list(seated))


def case_row(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def case_version(case: Case) -> int:
    return case_row(case).version


def session_of(person: User) -> str:
    client = Client()
    client.force_login(person)
    return str(client.session.session_key)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    def seeded() -> World:
        with override_settings(PASSWORD_HASHERS=FAST_HASHING):
            return seed()

    with kept_for_module(django_db_blocker, seeded) as made:
        yield made


# --- Where each command is posted, and with what ----------------------------------------

Inputs = Callable[[World, date], dict[str, Any]]


def fixed(**inputs: Any) -> Inputs:
    return lambda world, now: inputs


def pivot_inputs(world: World, now: date) -> dict[str, Any]:
    return {
        "offer": offer(),
        "plan": plan(now + timedelta(days=10), now + timedelta(days=55)),
        "decision_days": 5,
    }


def plan_inputs(world: World, now: date) -> dict[str, Any]:
    return {"plan": plan(now + timedelta(days=1), now + timedelta(days=46))}


# command -> (the case it is posted on, its inputs)
WHERE: dict[str, tuple[str, Inputs]] = {
    "document_concern": ("good_standing", fixed(note="Missed the launch.")),
    "start_focus": ("good_standing", fixed(note="Missed the launch.")),
    "disclose_focus": ("focus", fixed()),
    "remove_focus": ("focus", fixed(note="Back on track.")),
    "offer_pivot": ("focus", pivot_inputs),
    "choose_severance": ("pivot", fixed(confirm=True)),
    "choose_plan": ("pivot", fixed()),
    "choose_appeal": ("pivot", fixed()),
    "start_plan": ("pip_good_standing", plan_inputs),
    "record_checkin": ("in_plan", fixed(held=True)),
    "extend_plan": ("in_plan", lambda w, now: {"end": (now + timedelta(days=60)).isoformat()}),
    "pass_plan": ("in_plan", fixed()),
    "fail_plan": ("in_plan", fixed(appeal_days=5)),
    "elect_appeal": ("plan_failed", fixed()),
    "decide_appeal": ("appeal", fixed(outcome="upheld")),
    "make_offer": (
        "pivot",
        lambda w, now: {"offer": offer(amount=36000), "request": str(w.seqs["request"])},
    ),
    "sign_offer": ("plan_failed", fixed(tier="2", confirm=True)),
    "revoke_offer": ("exiting", fixed(tier="1")),
    "separate": ("good_standing", fixed(reason="resignation", no_rehire=False)),
    "transfer": ("good_standing", fixed(org="Retail/Checkout")),
    "record_protected_activity": (
        "good_standing",
        lambda w, now: {
            "date": (now - timedelta(days=10)).isoformat(),
            "kind": commands.PROTECTED_KINDS[0],
            "known_to_manager": False,
        },
    ),
    "record_rating": (
        "good_standing",
        lambda w, now: {"date": (now - timedelta(days=30)).isoformat(), "value": "HV2"},
    ),
    "record_promotion": (
        "good_standing",
        lambda w, now: {"date": (now - timedelta(days=30)).isoformat(), "to_level": "L6"},
    ),
    "record_equity": (
        "equity",
        lambda w, now: {
            "grant": "G-1",
            "date": (now + timedelta(days=200)).isoformat(),
            "shares": 100,
        },
    ),
    "record_bonus": (
        "good_standing",
        lambda w, now: {"date": (now - timedelta(days=30)).isoformat(), "amount": "1500.00"},
    ),
    "reply": ("good_standing", lambda w, now: {"to": w.seqs["hr_entry"], "text": "I disagree."}),
    "employee_statement": ("appeal", fixed(text="The goals moved twice.")),
    "manager_statement": ("appeal", fixed(text="The goals were clear.")),
    "add_document": ("good_standing", fixed(title="Notes", text="Filed in the test.")),
    "sign_off": (
        "hold",
        lambda w, now: {
            "hold": str(w.seqs["hold"]),
            "decision": "approve",
            "justification": "Reviewed the record.",
        },
    ),
    "retract": (
        "good_standing",
        lambda w, now: {"entry": w.seqs["hr_entry"], "reason": "Filed on the wrong case."},
    ),
    "dispute": (
        "good_standing",
        lambda w, now: {"entry": w.seqs["employee_entry"], "reason": "The dates are wrong."},
    ),
    "seat_panel": ("appeal", fixed(panelists=[PANELISTS[2]])),
    "recuse": ("appeal", fixed(reason="I worked with the employee last year.")),
    "vote": ("appeal_full", fixed(vote="upheld")),
    "request_terms": ("plan_failed", fixed(text="Six weeks of pay, please.")),
    "issue_letter": ("pivot", fixed(letter="pivot_letter")),
    "refuse_terms": (
        "pivot",
        lambda w, now: {"request": str(w.seqs["request"]), "text": "The terms are the same."},
    ),
}
APPEALS = frozenset({"appeal", "appeal_full"})
MISSING = "C-999999"


def opens(role: str, case_key: str) -> bool:
    """Whether ``role`` may open the case at all (access.py): else it is not found."""
    if role == "stranger":
        return False
    if role == PAN:
        return case_key in APPEALS
    return True


def expected_status(name: str, role: str) -> frozenset[int]:
    case_key = WHERE[name][0]
    if not opens(role, case_key):
        return frozenset({404})
    if role in EXPECTED[name] and name not in NEVER_OPEN:
        return frozenset({200, 202}) if role == MGR else frozenset({200})
    return frozenset({422})


def login_key(role: str, case_key: str) -> str:
    return f"{E}:{case_key}" if role == E else role


def version_of(world: World, case_key: str) -> int:
    return Case.objects.get(pk=int(world.refs[case_key].removeprefix("C-"))).version


def post_api(world: World, role: str, name: str, ref: str | None = None) -> Any:
    """POST the command through the API as ``role``, on its case (or on ``ref``)."""
    case_key, inputs = WHERE[name]
    version = version_of(world, case_key)
    body = {"version": version, "inputs": inputs(world, today(SYSTEM_CLOCK))}
    token = world.tokens[login_key(role, case_key)]
    return Client().post(
        f"{API}/cases/{ref or world.refs[case_key]}/actions/{name}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


# --- The tests ---------------------------------------------------------------------------


def test_every_command_has_a_row() -> None:
    """A command added without a row in the table (or a row left for one gone) fails here."""
    assert set(EXPECTED) == set(COMMANDS)
    assert set(WHERE) == set(COMMANDS)
    assert all(roles <= set(ROLES) for roles in EXPECTED.values())


PAIRS = [(name, role) for name in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("name", "role"), PAIRS, ids=[f"{n}-{r}" for n, r in PAIRS])
def test_each_role_may_run_exactly_the_commands_its_row_names(
    world: World, name: str, role: str
) -> None:
    before = version_of(world, WHERE[name][0])
    response = post_api(world, role, name)
    got = response.status_code
    body = response.content.decode(errors="replace")
    expected = expected_status(name, role)
    assert got in expected, (
        f"{name} as {role}: expected {sorted(expected)}, got {got}: {body[:400]}"
    )
    if got == 422:
        assert f"{name} is not open to you" in body, body
    if got == 200:
        assert response.json()["version"] > before, body[:400]
    if got == 404:  # no hint that the case exists: the answer for a case that does not
        missing = post_api(world, role, name, ref=MISSING)
        assert (missing.status_code, missing.content) == (404, response.content)
    if role == MGR and got == 202:
        assert COMMANDS[name].guarded, f"{name} was held for HR but is not guarded"
    if role == MGR and COMMANDS[name].guarded and role in EXPECTED[name]:
        assert got == 202, f"a manager's {name} should wait for HR: {body}"


def patched(situation: Situation, name: str) -> Situation:
    """The situation under a copy of its policy changed to open ``name`` (NEVER_OPEN)."""
    loaded = situation.loaded
    policy = loaded.policy
    change = NEVER_OPEN[name][1]
    if "stages" in change:
        stages = {stage: dict(moves) for stage, moves in policy.stages.items()}
        stages[change["stages"]][change["event"]] = "appeal"
        policy = msgspec.structs.replace(policy, stages=stages)
    else:
        appeal = msgspec.structs.replace(policy.appeal, panel=change["panel"])
        policy = msgspec.structs.replace(policy, appeal=appeal)
    situation.__dict__["loaded"] = dataclasses.replace(loaded, policy=policy)
    return situation


@pytest.mark.parametrize("name", sorted(NEVER_OPEN))
def test_a_command_no_shipped_policy_opens_is_offered_to_the_table_roles(
    world: World, name: str
) -> None:
    """Posted, these are refused to everyone (the table test); opened by a policy changed
    in memory, they are offered to exactly the roles in their row."""
    case_key = NEVER_OPEN[name][0]
    assert WHERE[name][0] == case_key
    case = Case.objects.get(pk=int(world.refs[case_key].removeprefix("C-")))
    assert COMMANDS[name].closed(Situation(case)) is not None  # still closed for real
    users = {u.pk: u for u in User.objects.all()}
    offered = set()
    for role in ROLES:
        if not opens(role, case_key):
            continue
        person = users[user_id_of(world, login_key(role, case_key))]
        situation = patched(Situation(case), name)
        assert COMMANDS[name].closed(situation) is None
        relations = acting.relations(viewer_of(person), case)
        if name in {c.name for c, _ in commands.available(situation, relations)}:
            offered.add(role)
    assert offered == EXPECTED[name]


def user_id_of(world: World, who: str) -> int:
    return int(world.user_ids[who])


# (command, role, the status the page answers): recorded (or held) is a redirect to the
# case, refused is the case page again with the reason, out of reach is not found.
PAGE_CHECKS = [
    ("add_document", E, 302),
    ("add_document", CNS, 422),
    ("add_document", "stranger", 404),
    ("request_terms", REP, 302),
    ("request_terms", MGR, 422),
    ("start_focus", MGR, 302),
    ("vote", PAN, 302),
    ("vote", HR, 422),
    ("sign_off", PAN, 404),
]


def form_of(inputs: dict[str, Any]) -> dict[str, Any]:
    """The API inputs as a form posts them: strings, lists for multiple values."""
    form: dict[str, Any] = {}
    for key, value in inputs.items():
        if isinstance(value, bool):
            if value:
                form[key] = "on"
        elif isinstance(value, list):
            form[key] = [str(v) for v in value]
        else:
            form[key] = str(value)
    return form


@pytest.mark.parametrize(
    ("name", "role", "status"), PAGE_CHECKS, ids=[f"{n}-{r}" for n, r, _ in PAGE_CHECKS]
)
def test_the_page_route_answers_as_the_api_does(
    world: World, name: str, role: str, status: int
) -> None:
    case_key, inputs = WHERE[name]
    assert status == next(iter(expected_status(name, role) - {200, 202}), 302)
    version = version_of(world, case_key)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[login_key(role, case_key)]
    before = LedgerEntry.objects.filter(case__pk=int(world.refs[case_key][2:])).count()
    response = client.post(
        f"/cases/{world.refs[case_key]}/actions/{name}/",
        {"version": str(version), **form_of(inputs(world, today(SYSTEM_CLOCK)))},
    )
    body = response.content.decode(errors="replace")
    assert response.status_code == status, body[:500]
    after = LedgerEntry.objects.filter(case__pk=int(world.refs[case_key][2:])).count()
    if status == 302:
        assert response["Location"] == f"/cases/{world.refs[case_key]}/"
        assert after > before  # recorded, or held for HR: either way on the record
    else:
        assert after == before
    if status == 422:
        assert f"{name} is not open to you" in body
