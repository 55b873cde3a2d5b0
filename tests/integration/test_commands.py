"""The command layer: guarded adverse steps, the appeal panel, negotiation, open offers.

Every step runs through ``commands.take`` as the relation that takes it in real life, on
a fixed clock, and each rule is checked on both sides.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import commands, usecases
from fairpivot.records.cases.commands import Situation
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.models import Case, Employee
from tests import builders
from tests.builders import offer

pytestmark = pytest.mark.django_db

START = date(2026, 3, 2)
MANAGER_ID, HR_ID, EMPLOYEE_ID = "E-100", "HR-1", "E-200"
MANAGER = Actor("morgan", MANAGER_ID, "Morgan Manager", "manager")
HR = Actor("harper", HR_ID, "Harper HR", "hr")
EMPLOYEE = Actor("pat", EMPLOYEE_ID, "Pat Example", "other")


def clock_on(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))


class Walk:
    """A case taken a step at a time, each step on its own day."""

    def __init__(
        self, policy: str = "amazon-pivot", birth: str = "1990-01-15", state: str = "WA"
    ) -> None:
        self.day = START
        self.case = usecases.open_case(
            employee={
                "id": EMPLOYEE_ID,
                "name": "Pat Example",
                "birth_date": birth,
                "hire_date": "2020-01-06",
                "manager": MANAGER_ID,
                "work_state": state,
                "base_salary": 156000,
            },
            employer={"name": "Example Co", "headcount": 5000},
            people=[{"id": MANAGER_ID, "name": "Morgan Manager", "role": "manager"}],
            policy=policy,
            actor=HR,
            clock=clock_on(self.day),
        )

    def situation(self) -> Situation:
        return Situation(Case.objects.get(pk=self.case.pk), clock_on(self.day))

    def run(
        self, name: str, relation: str, actor: Actor, *, days: int = 1, **raw: Any
    ) -> commands.Outcome:
        self.day += timedelta(days=days)
        sit = self.situation()
        return commands.take(
            sit,
            frozenset({relation}),
            name,
            raw=raw,
            version=sit.case.version,
            actor_for=lambda _r: actor,
        )

    def manager(self, name: str, **raw: Any) -> commands.Outcome:
        return self.run(name, "manager", MANAGER, **raw)

    def hr(self, name: str, **raw: Any) -> commands.Outcome:
        return self.run(name, "hr", HR, days=0, **raw)

    def employee(self, name: str, **raw: Any) -> commands.Outcome:
        return self.run(name, "employee", EMPLOYEE, **raw)

    def adverse(self, name: str, **raw: Any) -> None:
        """A manager asks; HR signs off the same day."""
        outcome = self.manager(name, justification="Documented.", **raw)
        assert outcome.held is not None, f"{name} was not held"
        self.hr(
            "sign_off",
            hold=str(outcome.held),
            decision="approve",
            justification="Reviewed the record.",
        )

    @property
    def stage(self) -> str:
        return self.situation().stage

    def open_names(self, relation: str) -> set[str]:
        return {c.name for c, _ in commands.available(self.situation(), frozenset({relation}))}


def plan(start: date, days: int = 45) -> dict[str, Any]:
    return builders.plan(
        start.isoformat(), (start + timedelta(days=days)).isoformat(), checkin_every_days=7
    )


def to_pivot(walk: Walk, decision_days: int = 21) -> None:
    walk.manager("document_concern", note="Two launches missed.")
    walk.adverse("start_focus")
    walk.adverse(
        "offer_pivot",
        offer=offer(),
        plan=plan(walk.day + timedelta(days=decision_days + 3)),
        decision_days=decision_days,
    )


def to_failed_plan(walk: Walk) -> None:
    to_pivot(walk)
    walk.employee("choose_plan")
    walk.day += timedelta(days=60)
    walk.adverse("fail_plan", appeal_days=5)


# --- Guarded steps -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "event", "prepare", "raw"),
    [
        ("amazon-pivot", "start_focus", None, {}),
        ("amazon-pivot", "offer_pivot", "focus", None),
        ("standard-pip", "start_plan", None, None),
        ("amazon-pivot", "fail_plan", "plan", {"appeal_days": 5}),
        ("amazon-pivot", "separate", None, {"reason": "termination_performance"}),
    ],
)
def test_every_adverse_step_a_manager_asks_for_waits_for_hr(
    policy: str, event: str, prepare: str | None, raw: dict[str, Any] | None
) -> None:
    walk = Walk(policy)
    if prepare == "focus":
        walk.adverse("start_focus")
    elif prepare == "plan":
        to_pivot(walk)
        walk.employee("choose_plan")
        walk.day += timedelta(days=60)
    if raw is None:
        raw = (
            {"offer": offer(), "plan": plan(walk.day + timedelta(days=8)), "decision_days": 5}
            if event == "offer_pivot"
            else {"plan": plan(walk.day + timedelta(days=2))}
        )
    before = walk.stage
    outcome = walk.manager(event, **raw)
    assert outcome.held is not None
    assert outcome.review is None
    assert walk.stage == before  # nothing recorded but the hold
    with pytest.raises(InvalidInput, match="already waits for HR"):
        walk.manager(event, days=0, **raw)
    walk.hr("sign_off", hold=str(outcome.held), decision="approve", justification="Reviewed.")
    assert walk.stage != before


def test_hr_taking_an_adverse_step_is_not_held() -> None:
    walk = Walk()
    outcome = walk.run("start_focus", "hr", HR)
    assert outcome.held is None
    assert walk.stage == "focus"


def test_a_rejected_hold_records_nothing_of_the_step() -> None:
    walk = Walk()
    held = walk.manager("start_focus").held
    walk.hr("sign_off", hold=str(held), decision="reject", justification="No documented concern.")
    assert walk.stage == "good_standing"
    assert "sign_off" not in walk.open_names("hr")


# --- What is offered ---------------------------------------------------------------------


def test_only_commands_the_stage_allows_are_offered_and_others_are_refused_naming_them() -> None:
    walk = Walk()
    assert "offer_pivot" not in walk.open_names("manager")
    assert "start_focus" in walk.open_names("manager")
    with pytest.raises(InvalidInput, match=r"offer_pivot is not open.*open to you: .*start_focus"):
        walk.manager("offer_pivot", offer=offer(), plan=plan(START), decision_days=5)
    assert "employee_statement" not in walk.open_names("employee")
    assert "revoke_offer" not in walk.open_names("employee")
    assert "sign_offer" not in walk.open_names("employee")


def test_after_a_failed_plan_only_the_offers_made_since_can_be_signed() -> None:
    walk = Walk()
    to_failed_plan(walk)
    # The Pivot's tier-1 offer lapsed with the failed plan: nothing is open to sign yet.
    assert "sign_offer" not in walk.open_names("employee")
    with pytest.raises(InvalidInput, match="sign_offer is not open"):
        walk.employee("sign_offer", tier="1", confirm=True)
    walk.hr("make_offer", offer=offer(tier=2, amount=10000))
    choices = commands.COMMANDS["sign_offer"].choices(walk.situation())  # type: ignore[misc]
    assert [v for v, _ in choices["tier"]] == ["2"]
    with pytest.raises(InvalidInput, match="tier: must be one of 2"):
        walk.employee("sign_offer", tier="1", confirm=True)
    with pytest.raises(InvalidInput, match="confirm"):
        walk.employee("sign_offer", tier="2")
    walk.employee("sign_offer", tier="2", confirm=True)
    assert walk.stage == "exiting"
    assert "revoke_offer" in walk.open_names("employee")


def test_revoke_is_offered_only_inside_the_window() -> None:
    walk = Walk()
    to_pivot(walk)
    walk.employee("choose_severance", confirm=True)
    walk.employee("sign_offer", tier="1", confirm=True)
    walk.day += timedelta(days=6)  # the 7th day after signing: still open
    assert "revoke_offer" in walk.open_names("employee")
    walk.day += timedelta(days=1)
    assert "revoke_offer" in walk.open_names("employee")  # day 7, the last day
    walk.day += timedelta(days=1)
    assert "revoke_offer" not in walk.open_names("employee")


def test_choosing_severance_needs_a_confirmation() -> None:
    walk = Walk()
    to_pivot(walk)
    with pytest.raises(InvalidInput, match="confirm"):
        walk.employee("choose_severance")
    assert walk.stage == "pivot_offered"
    walk.employee("choose_severance", confirm=True)
    assert walk.stage == "exiting"


# --- The appeal panel --------------------------------------------------------------------


def panelist(
    username: str, employee_id: str | None = None, manager: Employee | None = None
) -> User:
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name="panelist")[0])
    if employee_id is not None:
        Employee.objects.create(
            employee_id=employee_id,
            name=username.title(),
            user=user,
            manager=manager,
            work_state="WA",
        )
    return user


def to_appeal(walk: Walk) -> None:
    to_failed_plan(walk)
    walk.employee("elect_appeal")
    assert walk.stage == "appeal"


def test_hr_seats_a_panel_of_three_who_decide_by_majority() -> None:
    boss = Employee.objects.create(employee_id=MANAGER_ID, name="Morgan", work_state="WA")
    Employee.objects.create(employee_id=EMPLOYEE_ID, name="Pat", manager=boss, work_state="WA")
    peers = [panelist(f"peer{i}") for i in range(4)]
    walk = Walk()
    to_appeal(walk)
    assert "vote" not in {
        c.name for c, _ in commands.available(walk.situation(), frozenset({"panelist"}))
    }
    walk.hr("seat_panel", panelists=[p.username for p in peers[:2]])
    assert walk.situation().panel.open_seats == 1
    with pytest.raises(InvalidInput, match="1 seat"):
        walk.hr("seat_panel", panelists=["peer2", "peer3"])
    with pytest.raises(InvalidInput, match=r"peer0 may not sit on this panel \(has sat on"):
        walk.hr("seat_panel", panelists=["peer0"])  # already seated: not offered again
    walk.hr("seat_panel", panelists=["peer2"])
    panel = walk.situation().panel
    assert panel.full
    assert panel.decide_by == walk.day + timedelta(days=14)
    assert "seat_panel" not in walk.open_names("hr")
    for peer, vote in zip(peers[:3], ("overturned", "upheld", "overturned"), strict=True):
        actor = Actor(peer.username, peer.username, peer.username, "peer")
        walk.run("vote", "panelist", actor, days=0, vote=vote)
    assert walk.stage == "closed_retained"


def test_the_panel_refuses_the_chain_the_team_and_the_manager_who_failed_the_plan() -> None:
    top = Employee.objects.create(
        employee_id="E-1", name="Top", work_state="WA", user=panelist("top")
    )
    boss = Employee.objects.create(
        employee_id=MANAGER_ID, name="Morgan", manager=top, work_state="WA", user=panelist("morgan")
    )
    Employee.objects.create(
        employee_id=EMPLOYEE_ID, name="Pat", manager=boss, work_state="WA", user=panelist("pat")
    )
    panelist("teammate", "E-201", manager=boss)
    panelist("outsider", "E-900", manager=top)
    walk = Walk()
    to_appeal(walk)
    panel = walk.situation().panel
    assert [u.username for u, _ in panel.eligible] == ["outsider"]
    reasons = {User.objects.get(pk=pk).username: why for pk, why in panel.refused.items()}
    assert reasons == {
        "pat": "is the employee",
        "morgan": "is in the employee's management chain",
        "top": "is in the employee's management chain",
        "teammate": "is in the employee's own team",
    }
    with pytest.raises(InvalidInput, match="teammate may not sit"):
        walk.hr("seat_panel", panelists=["teammate"])


def test_a_recused_panelist_is_replaced_and_never_seated_again() -> None:
    peers = [panelist(f"peer{i}") for i in range(4)]
    walk = Walk()
    to_appeal(walk)
    walk.hr("seat_panel", panelists=["peer0", "peer1", "peer2"])
    walk.run(
        "recuse",
        "panelist",
        Actor("peer1", "peer1", "Peer1", "peer"),
        days=0,
        reason="I worked with the employee last year.",
    )
    panel = walk.situation().panel
    assert panel.open_seats == 1
    assert "peer1" not in {u.username for u, _ in panel.eligible}
    walk.hr("seat_panel", panelists=["peer3"])
    assert sorted(walk.situation().panel.ids) == ["peer0", "peer2", "peer3"]
    assert len(peers) == 4


def test_a_decision_needs_every_seated_panelists_vote() -> None:
    [panelist(f"peer{i}") for i in range(3)]
    walk = Walk()
    to_appeal(walk)
    walk.hr("seat_panel", panelists=["peer0", "peer1", "peer2"])
    for name in ("peer0", "peer1"):
        walk.run("vote", "panelist", Actor(name, name, name, "peer"), days=0, vote="upheld")
    assert walk.stage == "appeal"
    walk.run(
        "vote", "panelist", Actor("peer2", "peer2", "peer2", "peer"), days=0, vote="overturned"
    )
    assert walk.stage == "appeal_lost"


# --- Negotiation -------------------------------------------------------------------------


def test_a_negotiated_offer_at_pivot_carries_the_policys_no_rehire() -> None:
    walk = Walk()
    to_pivot(walk)
    walk.employee("request_terms", text="Twelve weeks, please.", amount="36000")
    assert "request_terms" not in walk.open_names("employee")  # one open request at a time
    walk.hr("make_offer", offer=offer(amount=36000), request=str(walk.situation().requests[0].seq))
    assert walk.stage == "pivot_offered"
    latest = walk.situation().state.offers[-1].offer
    assert latest.negotiated
    assert "no_rehire" in latest.clauses
    assert not walk.situation().requests
    walk.employee("choose_severance", confirm=True)
    walk.employee("sign_offer", tier="1", confirm=True)
    signed = walk.situation().state.offers
    assert signed[-1].signings
    assert not signed[0].signings


def test_no_rehire_is_left_out_in_california_with_a_complaint_on_file() -> None:
    walk = Walk(state="CA")
    walk.run(
        "record_protected_activity",
        "hr",
        HR,
        days=0,
        date=START.isoformat(),
        kind="discrimination_complaint",
        known_to_manager=True,
    )
    to_pivot(walk)
    walk.employee("request_terms", text="More, please.")
    walk.hr("make_offer", offer=offer(amount=35000), negotiated=True)
    assert "no_rehire" not in walk.situation().state.offers[-1].offer.clauses


def test_hr_refuses_a_request_in_writing() -> None:
    walk = Walk()
    to_pivot(walk)
    walk.employee(
        "request_terms", text="Drop the confidentiality clause.", drop_clauses=["confidentiality"]
    )
    seq = walk.situation().requests[0].seq
    walk.hr("refuse_terms", request=str(seq), text="The terms are the same for everyone.")
    assert not walk.situation().requests
    assert "request_terms" in walk.open_names("employee")


def test_an_offer_that_would_not_waive_adea_claims_is_refused_for_a_worker_aged_40() -> None:
    walk = Walk(birth="1980-01-15")
    to_pivot(walk)
    walk.employee("request_terms", text="More, please.")
    with pytest.raises(InvalidInput, match="offer: "):
        walk.hr("make_offer", offer=offer(amount=40000, consideration_days=5), negotiated=True)
    walk.hr("make_offer", offer=offer(amount=40000), negotiated=True)


def test_the_same_short_offer_goes_out_for_a_worker_aged_39() -> None:
    walk = Walk(birth="1990-01-15")
    to_pivot(walk)
    walk.hr(
        "make_offer",
        offer=offer(amount=40000, consideration_days=5, revocation_days=0, names_adea=False),
    )
    assert walk.situation().state.offers[-1].offer.consideration_days == 5


def test_the_offer_form_starts_from_the_legal_minimum_for_the_employees_age() -> None:
    older = Walk(birth="1980-01-15")
    to_pivot(older)
    start = commands.COMMANDS["make_offer"].initial(older.situation())  # type: ignore[misc]
    assert (start["consideration_days"], start["revocation_days"]) == ("21", "7")
    assert start["names_adea"] == "on"
    younger = Walk(birth="1995-01-15")
    to_pivot(younger)
    start = commands.COMMANDS["make_offer"].initial(younger.situation())  # type: ignore[misc]
    assert start["revocation_days"] == "0"
    assert "names_adea" not in start


def test_a_checkin_carries_its_day_and_never_a_future_one() -> None:
    walk = Walk()
    to_pivot(walk)
    walk.employee("choose_plan")
    walk.day += timedelta(days=10)
    walk.manager(
        "record_checkin", days=0, held=True, date=(walk.day - timedelta(days=2)).isoformat()
    )
    events = walk.situation().loaded.file.events
    assert events[-1].type == "checkin"
    assert events[-1].date == walk.day - timedelta(days=2)
    with pytest.raises(InvalidInput, match="date: a check-in is recorded once held"):
        walk.manager(
            "record_checkin", days=0, held=True, date=(walk.day + timedelta(days=1)).isoformat()
        )


def test_a_policy_with_an_even_panel_is_refused() -> None:
    import msgspec  # noqa: PLC0415

    from fairpivot.domain.policy import load_policy  # noqa: PLC0415
    from fairpivot.domain.policy.model import policy_problems  # noqa: PLC0415

    shipped = load_policy("amazon-pivot")
    assert policy_problems(shipped) == []
    even = msgspec.structs.replace(
        shipped, appeal=msgspec.structs.replace(shipped.appeal, panel_size=4)
    )
    assert policy_problems(even) == [
        "appeal.panel_size: must be odd, so a full panel cannot tie (got 4)"
    ]


def test_equity_on_a_live_case_needs_a_share_price_with_its_first_grant() -> None:
    walk = Walk()
    vest = {"grant": "G-1", "date": "2026-09-01", "shares": 40}
    with pytest.raises(InvalidInput, match="share_price: required with the case's first"):
        walk.run("record_equity", "hr", HR, days=0, **vest)
    walk.run("record_equity", "hr", HR, days=0, share_price="120.50", **vest)
    walk.run("record_equity", "hr", HR, days=0, **{**vest, "grant": "G-2"})
    file = walk.situation().loaded.file
    assert file.share_price == 120.5
    assert [g.grant for g in file.equity] == ["G-1", "G-2"]


def test_a_managers_short_pivot_for_a_worker_aged_40_is_refused_without_stating_the_age() -> None:
    walk = Walk(birth="1980-01-15")  # 46 on the day
    walk.manager("document_concern", note="Two launches missed.")
    walk.adverse("start_focus")
    short = {"offer": offer(), "plan": plan(walk.day + timedelta(days=9)), "decision_days": 5}
    with pytest.raises(TransitionRefused) as refused:
        walk.manager("offer_pivot", justification="Documented.", **short)
    (said,) = refused.value.problems
    assert "fall short of what the law asks" in said
    assert "21 days to consider" in said
    assert "46" not in said
    assert "40" not in said
    with pytest.raises(TransitionRefused, match="5 days to consider it, fewer than the 21"):
        walk.hr("offer_pivot", **short)  # HR is told the finding itself


def test_a_managers_short_pivot_for_a_worker_aged_39_is_held_for_hr() -> None:
    walk = Walk(birth="1987-01-15")  # 39 on the day
    walk.manager("document_concern", note="Two launches missed.")
    walk.adverse("start_focus")
    short = {"offer": offer(), "plan": plan(walk.day + timedelta(days=9)), "decision_days": 5}
    assert walk.manager("offer_pivot", justification="Documented.", **short).held is not None


def test_the_pivot_form_starts_lawful_at_any_age() -> None:
    for birth in ("1980-01-15", "1995-01-15"):
        walk = Walk(birth=birth)
        walk.manager("document_concern", note="Two launches missed.")
        walk.adverse("start_focus")
        start = commands.COMMANDS["offer_pivot"].initial(walk.situation())  # type: ignore[misc]
        assert (start["consideration_days"], start["decision_days"]) == ("21", "21")
        assert (start["revocation_days"], start["names_adea"]) == ("7", "on")
        form: dict[str, Any] = {**start, "clauses": start["clauses"].split(",")}
        form |= {"goals-0-text": "Ship the report", "justification": "Documented."}
        assert walk.manager("offer_pivot", **form).held is not None  # not refused


def test_a_managers_tender_back_for_a_worker_aged_40_is_refused_without_stating_the_age() -> None:
    walk = Walk(birth="1980-01-15")  # 46 on the day
    walk.manager("document_concern", note="Two launches missed.")
    walk.adverse("start_focus")
    terms = offer(clauses=["release_of_claims", "carve_out_illegal_conduct", "tender_back"])
    asked = {"offer": terms, "plan": plan(walk.day + timedelta(days=25)), "decision_days": 21}
    with pytest.raises(TransitionRefused) as refused:
        walk.manager("offer_pivot", justification="Documented.", **asked)
    said = " ".join(refused.value.problems)
    assert "no tender-back term" in said
    assert "46" not in said
    assert "40" not in said
    with pytest.raises(TransitionRefused, match="aged 40 or over"):
        walk.hr("offer_pivot", **asked)  # HR is told the finding itself
