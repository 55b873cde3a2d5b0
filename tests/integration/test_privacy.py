"""Privacy by construction: each role receives a view of a case built for it.

For every demo case and every role, every page and API answer the role can reach for the
case is checked against the facts the role may see (``fairpivot.web.privacy``). A manager
or a panelist never receives a birth date or an age (nor the age-based findings), pay
(base salary, equity, bonuses; a panelist no offer amounts either), demographics,
protected activities (nor the findings and deadlines that rest on them), retraction
reasons, the ledger rows they may not see or who recorded those, nor a count that moves
with a hidden fact. The employee, HR covering the case, counsel and admins see all of it.

The demo is seeded once for the module, in a transaction undone at its end. To make every
rule bite on every case, the fixture gives each case's manager and employee a login,
seats a panelist on every open appeal, records a protected activity (known to the manager,
just before the case's last adverse step) in every case, and retracts one with a reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.domain.review.context import ACTIVITY_NAMES
from fairpivot.domain.wording import money
from fairpivot.records.cases.transfer import export_case
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Case, CaseProjection, LedgerEntry
from fairpivot.records.reviewing import review_document
from fairpivot.web.services import cover_org
from fairpivot.web.wording import activity_label
from tests.commanding import record

pytestmark = pytest.mark.django_db

API = "/api/v1"
ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")
RESTRICTED = ("manager", "panelist")
HR_LOGIN = "demo-hr"
# An HR login that records only what managers and panelists may not see: its name in a
# restricted answer would say who recorded a hidden entry.
QUIET_HR = "hr-who-records-complaints"
RETRACTION_REASON = "HR says the complaint was mistaken"
ADVERSE = ("focus_started", "pivot_offered", "plan_started", "plan_failed", "separated")
Response = Any


@dataclass(frozen=True)
class World:
    """The seeded demo: every case, and who of each role can reach which."""

    refs: tuple[str, ...]
    reach: dict[str, dict[str, User]]  # role -> case ref -> a user of that role for it
    retracted: str  # the case whose complaint HR retracted


def _login(username: str, role: str) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _api(user: User, method: str, url: str, body: dict[str, Any] | None = None) -> Response:
    client = Client()
    client.force_login(user)
    if method == "GET":
        return client.get(API + url)
    return client.post(API + url, json.dumps(body or {}), content_type="application/json")


def _act(user: User, ref: str, action: str, inputs: dict[str, Any]) -> Response:
    version = Case.objects.get(pk=int(ref[2:])).version
    body = {"version": version, "inputs": inputs}
    response = _api(user, "POST", f"/cases/{ref}/actions/{action}", body)
    assert response.status_code == 200, response.content[:400]
    return response


def _last_adverse_day(ref: str) -> date | None:
    events = export_case(Case.objects.get(pk=int(ref[2:])))["events"]
    days = [date.fromisoformat(e["date"]) for e in events if e["type"] in ADVERSE]
    return max(days, default=None)


def record_complaint(
    ref: str,
    kind: str = "safety_complaint",
    note: str = "",
    day: date | None = None,
    lasted: int = 0,
) -> int:
    """HR (the quiet login) records a protected activity the manager knew of, dated the day
    before the case's last adverse step unless told; its ledger entry's number."""
    case = Case.objects.select_related("employee__manager").get(pk=int(ref[2:]))
    if day is None:
        last = _last_adverse_day(ref)
        day = (last or today(SYSTEM_CLOCK) - timedelta(days=3)) - timedelta(days=1)
    inputs: dict[str, Any] = {"date": day.isoformat(), "kind": kind}
    manager = case.employee.manager if case.employee else None
    if manager is not None:
        inputs["known_to_manager"] = True
    if note:
        inputs["note"] = note
    if lasted:
        inputs["end_date"] = (day + timedelta(days=lasted)).isoformat()
    hr = User.objects.get(username=QUIET_HR)
    _act(hr, ref, "record_protected_activity", inputs)
    return Case.objects.get(pk=int(ref[2:])).version


def seed() -> World:
    """The demo, with a login of each role for every case it can reach."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        ensure_demo()
        ensure_web_demo()
    quiet = _login(QUIET_HR, "hr")
    cover_org(quiet, "")
    cases = list(Case.objects.select_related("employee__manager__user").order_by("id"))
    reach: dict[str, dict[str, User]] = {role: {} for role in ROLES}
    panelist = User.objects.get(username="demo-panelist")
    for case in cases:
        employee = case.employee
        assert employee is not None, case.ref
        if employee.user is None:
            employee.user = _login(f"employee-{employee.employee_id}", "employee")
            employee.save(update_fields=["user"])
        reach["employee"][case.ref] = employee.user
        boss = employee.manager
        if boss is not None:
            if boss.user is None:
                boss.user = _login(f"manager-{boss.employee_id}", "manager")
                boss.save(update_fields=["user"])
            else:
                boss.user.groups.add(Group.objects.get_or_create(name="manager")[0])
            reach["manager"][case.ref] = boss.user
        for role in ("hr", "counsel", "admin"):
            reach[role][case.ref] = User.objects.get(username=f"demo-{role}")
        if case.projection.stage == "appeal":
            if not case.panel.filter(user=panelist).exists():
                hr = Actor("tests", None, "", "hr")
                record(case, "seat_panel", actor=hr, panelists=[panelist.username])
            reach["panelist"][case.ref] = panelist
    refs = tuple(c.ref for c in cases)
    for ref in refs:
        record_complaint(ref, note="Reported the broken guard rail to the safety officer.")
    retracted = next(r for r in refs if r in reach["manager"] and r in reach["panelist"])
    seq = record_complaint(retracted, kind="discrimination_complaint")
    _act(quiet, retracted, "retract", {"entry": seq, "reason": RETRACTION_REASON})
    return World(refs, reach, retracted)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """The demo seeded once for this module, in a transaction undone when it ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)


# What a role can reach for one case.

PAGES = ("/cases/{ref}/", "/cases/{ref}/case-file.json")
API_READS = ("", "/casefile", "/events", "/review", "/deadlines", "/options", "/actions")
HOME = {"employee": "/me/", "manager": "/team/", "panelist": "/panels/", "hr": "/dashboard/"}


def answers(user: User, role: str, ref: str, *, home: bool = True) -> dict[str, str]:
    """Every page and API answer ``user`` gets for the case, by where it came from (and
    the role's own start page, which lists the case, unless told not to)."""
    client = Client()
    client.force_login(user)
    got: dict[str, Response] = {}
    for page in PAGES:
        got[page] = client.get(page.format(ref=ref))
    if home and role in HOME:
        got[HOME[role]] = client.get(HOME[role])
    for part in API_READS:
        got[f"api{part or ' case'}"] = client.get(f"{API}/cases/{ref}{part}")
    got["api list"] = client.get(f"{API}/cases?limit=500")
    ledger_page = client.get(f"/cases/{ref}/ledger.json")
    ledger_api = client.get(f"{API}/cases/{ref}/ledger")
    for where, response in got.items():
        assert response.status_code == 200, f"{where} as {role} for {ref}"
    whole = role not in RESTRICTED
    assert ledger_page.status_code == (200 if whole and role != "employee" else 403), ref
    assert ledger_api.status_code == (200 if whole and role != "employee" else 403), ref
    if whole and role != "employee":
        got["ledger.json"], got["api/ledger"] = ledger_page, ledger_api
    return {where: r.content.decode() for where, r in got.items()}


# The facts of a case, as strings that would give them away.


@dataclass(frozen=True)
class Facts:
    """What a case holds that some roles may not see, as strings an answer would contain."""

    age: set[str]
    pay: set[str]
    offer_amounts: set[str]
    demographics: set[str]
    protected: set[str]
    retraction_reasons: set[str]
    hidden_authors: set[str]


AGE_TEXT = re.compile(r"\baged? \d{1,3}(?![\d+])|aged 40 or over", re.IGNORECASE)
COUNT_TEXT = re.compile(r"\+\d+ HR only|\d+ findings? (?:is|are) visible to HR only")
# An entry's number says how many entries came before it, the withheld ones too.
NUMBER_TEXT = re.compile(r"\b[Ee]ntry \d+|\bentries? \d+|chain of \d+")


def _dates_elsewhere(full: dict[str, Any], *leave_out: str) -> set[str]:
    rest = json.dumps({k: v for k, v in full.items() if k not in leave_out})
    return set(re.findall(r"\d{4}-\d{2}-\d{2}", rest))


def facts_of(ref: str) -> Facts:
    """The case's facts only some may see (from the whole case file and ledger)."""
    case = Case.objects.get(pk=int(ref[2:]))
    full = export_case(case)
    employee = full["employee"]
    currency = employee.get("currency", "USD")
    age = {"birth_date", '"age"', "owbpa.", "release.tender_back"}
    if employee.get("birth_date"):
        elsewhere = _dates_elsewhere(
            {**full, "employee": {k: v for k, v in employee.items() if k != "birth_date"}}
        )
        age |= {employee["birth_date"]} - elsewhere
    salary = employee["base_salary"]
    pay = {"base_salary", money(salary, currency), f": {salary}", '"equity"', '"bonuses"'}
    pay |= {"share_price", "vesting.forfeiture", "equity_forfeited"}
    pay |= {money(b["amount"], currency) for b in full.get("bonuses", [])}
    offers = [e["offer"] for e in full["events"] if e.get("offer")]
    offer_amounts = {money(o["amount"], currency) for o in offers if o["amount"]}
    offer_amounts |= {'"amount"'} if offers else set()
    demographics = {"demographics", "race_ethnicity"}
    demographics |= {v for v in employee.get("demographics", {}).values() if len(v) > 5}
    activities = full.get("protected_activities", [])
    elsewhere = _dates_elsewhere(full, "protected_activities")
    # The claim deadlines listed only after a leave, a safety complaint or concerted activity.
    protected = {"protected_activit", "restricted", "fmla_suit", "osha_11c", "nlrb_charge"}
    protected |= {"retaliation.", "leave.adjacent", "ca.no_rehire"}
    for activity in activities:
        kind = activity["kind"]
        if kind != "other":  # "other" is a word every page has
            protected |= {kind, activity_label(kind).lower(), ACTIVITY_NAMES[kind].lower()}
        protected |= {activity[k] for k in ("date", "end_date") if k in activity} - elsewhere
        if activity.get("note"):
            protected.add(activity["note"].lower())
    entries = list(LedgerEntry.objects.filter(case=case).order_by("seq"))
    reasons = {json.loads(e.payload)["reason"] for e in entries if e.kind == "retraction"}
    hidden = {"protected_activity", "equity", "bonus", "retraction"}
    authors = {e.recorded_by for e in entries if e.kind in hidden}
    authors -= {e.recorded_by for e in entries if e.kind not in hidden}
    return Facts(age, pay, offer_amounts, demographics, protected, reasons, authors)


def leaks(role: str, text: str, facts: Facts) -> set[str]:
    """What ``text`` gives away that ``role`` may not see."""
    found = {m for m in facts.age | facts.pay | facts.demographics if m in text}
    found |= {m for m in facts.protected if m in text.lower()}
    found |= {m for m in facts.retraction_reasons | facts.hidden_authors if m in text}
    found |= set(AGE_TEXT.findall(text)) | set(COUNT_TEXT.findall(text))
    found |= set(NUMBER_TEXT.findall(text))
    if role == "panelist":
        found |= {m for m in facts.offer_amounts if m in text}
    return found


def cases_for(role: str, world: World) -> list[tuple[str, User]]:
    return sorted(world.reach[role].items())


@pytest.mark.parametrize("role", RESTRICTED)
def test_managers_and_panelists_get_no_fact_they_may_not_see_in_any_case(
    role: str, world: World, subtests: pytest.Subtests
) -> None:
    reached = cases_for(role, world)
    assert len(reached) >= (10 if role == "manager" else 1)
    for ref, user in reached:
        facts = facts_of(ref)
        for where, text in answers(user, role, ref).items():
            with subtests.test(msg=f"{where} as {role} for {ref}"):
                assert leaks(role, text, facts) == set()


@pytest.mark.parametrize("role", ["employee", "hr", "counsel", "admin"])
def test_the_employee_hr_counsel_and_admins_get_the_whole_case(
    role: str, world: World, subtests: pytest.Subtests
) -> None:
    reached = cases_for(role, world)
    assert len(reached) == len(world.refs)
    for ref, user in reached:
        with subtests.test(msg=f"{role} for {ref}"):
            full = export_case(Case.objects.get(pk=int(ref[2:])))
            stored = review_document(CaseProjection.objects.get(case__pk=int(ref[2:])).review)
            got = answers(user, role, ref, home=False)
            assert json.loads(got["api/casefile"]) == full
            assert json.loads(got["api/review"]) == stored
            assert json.loads(got["api/deadlines"])["deadlines"] == stored["deadlines"]
            facts = facts_of(ref)
            page = got["/cases/{ref}/"]
            labels = {activity_label(a["kind"]) for a in full["protected_activities"]}
            assert labels
            assert all(label in page for label in labels)
            assert all(reason in page for reason in facts.retraction_reasons)


# The probes of issue 12, each a test of its own.


def test_a_managers_ledger_lists_only_the_entries_they_may_see(world: World) -> None:
    ref = world.retracted
    manager = world.reach["manager"][ref]
    page = answers(manager, "manager", ref)["/cases/{ref}/"]
    hr_page = answers(world.reach["hr"][ref], "hr", ref)["/cases/{ref}/"]
    ledger = page[page.find('<table class="ledger">') :]

    assert RETRACTION_REASON in hr_page
    assert QUIET_HR in hr_page
    assert RETRACTION_REASON not in page
    assert QUIET_HR not in page
    assert "Restricted" not in ledger
    assert "restricted" not in ledger
    assert "The ledger entries you may see" in page
    entries = LedgerEntry.objects.filter(case__pk=int(ref[2:]))
    shown = {"opened", "event", "person", "rating", "promotion", "hold", "signoff"}
    shown |= {"panel_vote", "document", "statement", "reply", "panel_seated", "panel_recused"}
    seen = {e.seq for e in entries if e.kind in shown}
    retractions = [e for e in entries if e.kind == "retraction"]
    seen |= {e.seq for e in retractions if json.loads(e.payload)["entry"] in seen}
    assert any(e.seq not in seen for e in entries)
    assert ledger.count("<tr") - 1 == len(seen)


def normalised(text: str) -> str:
    """An answer without what changes with every entry: versions and CSRF tokens."""
    text = re.sub(r'name="version" value="\d+"', 'name="version" value=""', text)
    text = re.sub(r'"version":\s?\d+', '"version":0', text)
    text = re.sub(r'name="form_key" value="[^"]*"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("role", RESTRICTED)
def test_nothing_a_manager_or_panelist_gets_moves_when_hr_records_or_retracts_a_complaint(
    role: str, world: World
) -> None:
    ref = next(
        r for r in world.refs if r in world.reach["manager"] and r in world.reach["panelist"]
    )
    user = world.reach[role][ref]
    hr = world.reach["hr"][ref]
    with transaction.atomic():
        before = {k: normalised(v) for k, v in answers(user, role, ref).items()}
        hr_before = answers(hr, "hr", ref)["api/review"]
        seq = record_complaint(ref, kind="fmla_leave")
        after = {k: normalised(v) for k, v in answers(user, role, ref).items()}
        hr_after = answers(hr, "hr", ref)["api/review"]
        _act(User.objects.get(username=QUIET_HR), ref, "retract", {"entry": seq, "reason": "x"})
        retracted = {k: normalised(v) for k, v in answers(user, role, ref).items()}
        transaction.set_rollback(True)

    assert hr_after != hr_before  # the complaint changed the review HR sees
    assert after == before
    assert retracted == before


def test_a_manager_never_reads_an_age_and_a_panelist_never_reads_pay(world: World) -> None:
    stored = {p.case.ref: p.review for p in CaseProjection.objects.select_related("case")}
    older = [ref for ref in world.refs if "owbpa." in json.dumps(stored[ref])]
    assert {r for r in older if r in world.reach["manager"]}, "a release to someone 40+"
    for ref in older:
        client = Client()
        client.force_login(world.reach["hr"][ref])
        hr_review = client.get(f"{API}/cases/{ref}/review").content.decode()
        assert "aged 40 or over" in hr_review
        assert '"age"' in hr_review
        for role in RESTRICTED:
            user = world.reach[role].get(ref)
            if user is None:
                continue
            for where, text in answers(user, role, ref).items():
                assert "owbpa." not in text, (role, where)
                assert '"age"' not in text, (role, where)
                assert not AGE_TEXT.findall(text), (role, where)


@pytest.mark.parametrize("role", RESTRICTED)
def test_the_case_file_a_manager_or_panelist_downloads_has_no_birth_date_age_or_salary(
    role: str, world: World
) -> None:
    for ref, user in cases_for(role, world):
        full = export_case(Case.objects.get(pk=int(ref[2:])))
        client = Client()
        client.force_login(user)
        downloaded = json.loads(client.get(f"/cases/{ref}/case-file.json").content)
        employee = downloaded["employee"]
        assert "birth_date" in full["employee"] or "age" in full["employee"]
        assert not {"birth_date", "age", "base_salary", "demographics"} & set(employee)
        assert not {"protected_activities", "equity", "bonuses", "share_price"} & set(downloaded)
        amounts = [e["offer"].get("amount") for e in downloaded["events"] if e.get("offer")]
        if role == "panelist":
            assert amounts == [None] * len(amounts)
        else:
            assert amounts == [e["offer"]["amount"] for e in full["events"] if e.get("offer")]


def test_a_held_steps_justification_is_labelled_as_seen_by_hr_and_the_employee(
    world: World,
) -> None:
    ref = next(
        r
        for r in world.refs
        if Case.objects.get(pk=int(r[2:])).projection.stage == "closed_passed"
        and r in world.reach["manager"]
    )
    manager = world.reach["manager"][ref]
    client = Client()
    client.force_login(manager)
    form = client.get(f"/cases/{ref}/").content.decode()
    assert "Why (if HR reviews the step first, HR and the employee read this)" in form
    with transaction.atomic():
        # A leave the manager knew of, ended last week: a new Focus now is held for HR.
        back = today(SYSTEM_CLOCK) - timedelta(days=25)
        record_complaint(ref, kind="fmla_leave", day=back, lasted=20)
        version = Case.objects.get(pk=int(ref[2:])).version
        response = _api(
            manager,
            "POST",
            f"/cases/{ref}/actions/start_focus",
            {"version": version, "inputs": {"justification": "Missed every goal since May."}},
        )
        employee = Client()
        employee.force_login(world.reach["employee"][ref])
        mine = employee.get("/me/").content.decode()
        managers = client.get(f"/cases/{ref}/").content.decode()
        hr = Client()
        hr.force_login(world.reach["hr"][ref])
        hrs = hr.get(f"/cases/{ref}/").content.decode()
        transaction.set_rollback(True)

    assert response.status_code == 202
    assert response.json()["findings"] == []
    assert "leave.adjacent" in hrs
    for page in (mine, managers, hrs):
        assert "Missed every goal since May." in page
        assert "(seen by HR and by the employee)" in page
    assert "HR reviews the step before it is recorded; why is visible to HR only" in managers
    assert "leave.adjacent" not in managers
    assert "FMLA" not in managers
