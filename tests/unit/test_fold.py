"""The case fold against the stage tables of the shipped policies (spec/review.md).

Each stage is reached by a path of allowed events dated before ``LATER`` (2025-06-16); the
event under test comes on ``LATER``. Under amazon-pivot the Pivot letter of 2025-03-03
offers tier 1 and a plan from 2025-03-10 to 2025-05-09; under standard-pip the plan runs
from 2025-03-03 to 2025-05-02.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from fairpivot.domain.fold import CaseState, fold
from fairpivot.domain.policy import STAGES, event_key, load_policy
from fairpivot.domain.policy.load import parse_policy
from tests.builders import MANAGER, case, event, load, offer, pivot, plan, review_of

AMAZON = "amazon-pivot"
STANDARD = "standard-pip"
LATER = "2025-06-16"
Events = list[dict[str, Any]]

# Paths to every stage under amazon-pivot, each event allowed where it comes.
FOCUS = event("focus_started", "2025-02-03", by=MANAGER, disclosed=True)
PIVOT = pivot("2025-03-03")
TAKE_PLAN = event("option_chosen", "2025-03-07", option="plan")
SIGN_PIVOT_OFFER = event("offer_signed", "2025-03-07", tier=1)
PASS = event("plan_passed", "2025-05-09")
FAIL = event("plan_failed", "2025-05-09", by=MANAGER, appeal_days=5)
ELECT = event("appeal_elected", "2025-05-12")
UPHELD = event("appeal_decided", "2025-05-30", outcome="upheld")
OVERTURNED = event("appeal_decided", "2025-05-30", outcome="overturned")
LEAVE_WITH_SEVERANCE = event("separated", "2025-03-28", reason="resignation_with_severance")

AMAZON_PATHS: dict[str, Events] = {
    "good_standing": [],
    "focus": [FOCUS],
    "pivot_offered": [FOCUS, PIVOT],
    "in_plan": [FOCUS, PIVOT, TAKE_PLAN],
    "plan_failed": [FOCUS, PIVOT, TAKE_PLAN, FAIL],
    "appeal": [FOCUS, PIVOT, TAKE_PLAN, FAIL, ELECT],
    "appeal_lost": [FOCUS, PIVOT, TAKE_PLAN, FAIL, ELECT, UPHELD],
    "exiting": [FOCUS, PIVOT, SIGN_PIVOT_OFFER],
    "separated": [FOCUS, PIVOT, SIGN_PIVOT_OFFER, LEAVE_WITH_SEVERANCE],
    "closed_passed": [FOCUS, PIVOT, TAKE_PLAN, PASS],
    "closed_retained": [FOCUS, PIVOT, TAKE_PLAN, FAIL, ELECT, OVERTURNED],
}

# Paths to every stage standard-pip has.
PIP = event("plan_started", "2025-03-03", by=MANAGER, plan=plan("2025-03-03", "2025-05-02"))
PIP_PASS = event("plan_passed", "2025-05-02")
PIP_FAIL = event("plan_failed", "2025-05-02", by=MANAGER)
PIP_OFFER = event("offer_made", "2025-05-05", offer=offer(tier=1))
PIP_SIGN = event("offer_signed", "2025-05-08", tier=1)
PIP_FIRED = event("separated", "2025-05-20", reason="termination_performance")

STANDARD_PATHS: dict[str, Events] = {
    "good_standing": [],
    "in_plan": [PIP],
    "plan_failed": [PIP, PIP_FAIL],
    "exiting": [PIP, PIP_FAIL, PIP_OFFER, PIP_SIGN],
    "separated": [PIP, PIP_FAIL, PIP_OFFER, PIP_SIGN, PIP_FIRED],
    "closed_passed": [PIP, PIP_PASS],
}

PATHS = {AMAZON: AMAZON_PATHS, STANDARD: STANDARD_PATHS}

# The events under test, all on LATER.
CONCERN = event("concern_documented", LATER, by=MANAGER)
FOCUS_STARTED = event("focus_started", LATER, by=MANAGER, disclosed=True)
TRANSFERRED = event("transferred", LATER, to_manager=MANAGER)
SEPARATED = event("separated", LATER, reason="termination_performance")
FOCUS_DISCLOSED = event("focus_disclosed", LATER)
FOCUS_REMOVED = event("focus_removed", LATER)
PIVOT_OFFERED = pivot(LATER)
CHOSE_PLAN = event("option_chosen", LATER, option="plan")
CHOSE_SEVERANCE = event("option_chosen", LATER, option="severance")
CHOSE_APPEAL = event("option_chosen", LATER, option="appeal")
PLAN_STARTED = event("plan_started", LATER, plan=plan(LATER, "2025-08-15"))
CHECKIN = event("checkin", LATER, held=True)
PLAN_EXTENDED = event("plan_extended", LATER, end="2025-07-31")
PLAN_PASSED = event("plan_passed", LATER)
PLAN_FAILED = event("plan_failed", LATER, by=MANAGER)
APPEAL_ELECTED = event("appeal_elected", LATER)
APPEAL_UPHELD = event("appeal_decided", LATER, outcome="upheld")
APPEAL_OVERTURNED = event("appeal_decided", LATER, outcome="overturned")
OFFER_MADE_1 = event("offer_made", LATER, offer=offer(tier=1))
NEGOTIATED_1 = event("offer_made", LATER, offer=offer(tier=1, amount=36000, negotiated=True))
OFFER_MADE_2 = event("offer_made", LATER, offer=offer(tier=2, amount=10000))
OFFER_MADE_3 = event("offer_made", LATER, offer=offer(tier=3, amount=5000))
SIGNED_1 = event("offer_signed", LATER, tier=1)
SIGNED_2 = event("offer_signed", LATER, tier=2)
SIGNED_3 = event("offer_signed", LATER, tier=3)
REVOKED_1 = event("offer_revoked", LATER, tier=1)


def row(policy: str, stage: str, events: Events, expected: str) -> Any:
    """One row of a stage table: ``events`` (the last one under test) taken at ``stage``."""
    last = events[-1]
    key = event_key(last["type"], last.get("option") or last.get("outcome"))
    return pytest.param(policy, stage, events, expected, id=f"{policy}:{stage}:{key}")


def _rows_for_closed_and_good_standing(policy: str, stage: str, start: dict[str, Any]) -> Any:
    return [
        row(policy, stage, [CONCERN], stage),
        row(policy, stage, [start], "focus" if policy == AMAZON else "in_plan"),
        row(policy, stage, [TRANSFERRED], stage),
        row(policy, stage, [SEPARATED], "separated"),
    ]


AMAZON_ROWS = [
    *_rows_for_closed_and_good_standing(AMAZON, "good_standing", FOCUS_STARTED),
    *_rows_for_closed_and_good_standing(AMAZON, "closed_passed", FOCUS_STARTED),
    *_rows_for_closed_and_good_standing(AMAZON, "closed_retained", FOCUS_STARTED),
    row(AMAZON, "focus", [CONCERN], "focus"),
    row(AMAZON, "focus", [FOCUS_DISCLOSED], "focus"),
    row(AMAZON, "focus", [FOCUS_REMOVED], "good_standing"),
    row(AMAZON, "focus", [PIVOT_OFFERED], "pivot_offered"),
    row(AMAZON, "focus", [SEPARATED], "separated"),
    row(AMAZON, "pivot_offered", [CONCERN], "pivot_offered"),
    # A negotiated offer at the Pivot (review-v4.md section 8 item 1): the stage stays.
    row(AMAZON, "pivot_offered", [NEGOTIATED_1], "pivot_offered"),
    row(AMAZON, "pivot_offered", [CHOSE_PLAN], "in_plan"),
    row(AMAZON, "pivot_offered", [CHOSE_SEVERANCE], "exiting"),
    row(AMAZON, "pivot_offered", [SIGNED_1], "exiting"),
    row(AMAZON, "pivot_offered", [SEPARATED], "separated"),
    row(AMAZON, "in_plan", [CONCERN], "in_plan"),
    row(AMAZON, "in_plan", [CHECKIN], "in_plan"),
    row(AMAZON, "in_plan", [PLAN_EXTENDED], "in_plan"),
    row(AMAZON, "in_plan", [PLAN_PASSED], "closed_passed"),
    row(AMAZON, "in_plan", [PLAN_FAILED], "plan_failed"),
    row(AMAZON, "in_plan", [SEPARATED], "separated"),
    row(AMAZON, "plan_failed", [CONCERN], "plan_failed"),
    row(AMAZON, "plan_failed", [APPEAL_ELECTED], "appeal"),
    row(AMAZON, "plan_failed", [OFFER_MADE_2], "plan_failed"),
    row(AMAZON, "plan_failed", [OFFER_MADE_2, SIGNED_2], "exiting"),
    row(AMAZON, "plan_failed", [SEPARATED], "separated"),
    row(AMAZON, "appeal", [CONCERN], "appeal"),
    row(AMAZON, "appeal", [APPEAL_UPHELD], "appeal_lost"),
    row(AMAZON, "appeal", [APPEAL_OVERTURNED], "closed_retained"),
    row(AMAZON, "appeal_lost", [CONCERN], "appeal_lost"),
    row(AMAZON, "appeal_lost", [OFFER_MADE_3], "appeal_lost"),
    row(AMAZON, "appeal_lost", [OFFER_MADE_3, SIGNED_3], "exiting"),
    row(AMAZON, "appeal_lost", [SEPARATED], "separated"),
    row(AMAZON, "exiting", [CONCERN], "exiting"),
    row(AMAZON, "exiting", [OFFER_MADE_2], "exiting"),
    row(AMAZON, "exiting", [OFFER_MADE_2, SIGNED_2], "exiting"),
    # The path signed the Pivot offer at pivot_offered: revoking it goes back there.
    row(AMAZON, "exiting", [REVOKED_1], "pivot_offered"),
    row(AMAZON, "exiting", [SEPARATED], "separated"),
    row(AMAZON, "separated", [OFFER_MADE_2], "separated"),
    row(AMAZON, "separated", [OFFER_MADE_2, SIGNED_2], "separated"),
    row(AMAZON, "separated", [REVOKED_1], "separated"),
]

STANDARD_ROWS = [
    *_rows_for_closed_and_good_standing(STANDARD, "good_standing", PLAN_STARTED),
    *_rows_for_closed_and_good_standing(STANDARD, "closed_passed", PLAN_STARTED),
    row(STANDARD, "in_plan", [CONCERN], "in_plan"),
    row(STANDARD, "in_plan", [CHECKIN], "in_plan"),
    row(STANDARD, "in_plan", [PLAN_EXTENDED], "in_plan"),
    row(STANDARD, "in_plan", [PLAN_PASSED], "closed_passed"),
    row(STANDARD, "in_plan", [PLAN_FAILED], "plan_failed"),
    row(STANDARD, "in_plan", [SEPARATED], "separated"),
    row(STANDARD, "plan_failed", [CONCERN], "plan_failed"),
    row(STANDARD, "plan_failed", [OFFER_MADE_1], "plan_failed"),
    row(STANDARD, "plan_failed", [OFFER_MADE_1, SIGNED_1], "exiting"),
    row(STANDARD, "plan_failed", [SEPARATED], "separated"),
    row(STANDARD, "exiting", [CONCERN], "exiting"),
    row(STANDARD, "exiting", [OFFER_MADE_1], "exiting"),
    row(STANDARD, "exiting", [OFFER_MADE_1, SIGNED_1], "exiting"),
    # The path signed its offer at plan_failed: revoking it goes back there.
    row(STANDARD, "exiting", [REVOKED_1], "plan_failed"),
    row(STANDARD, "exiting", [SEPARATED], "separated"),
    row(STANDARD, "separated", [OFFER_MADE_1], "separated"),
    row(STANDARD, "separated", [OFFER_MADE_1, SIGNED_1], "separated"),
    row(STANDARD, "separated", [REVOKED_1], "separated"),
]


def folded(events: Events, policy: str = AMAZON) -> CaseState:
    """The fold of a case with ``events`` under ``policy``."""
    loaded = load(case(policy=policy, events=events))
    return fold(loaded.file.events, loaded.policy)


def departure_keys(state: CaseState) -> list[str]:
    """The events the fold recorded as out of order, in order."""
    return [departure.key for departure in state.departures]


# Every stage is reachable, every row of each table moves where it says


@pytest.mark.parametrize("stage", STAGES)
def test_it_reaches_every_stage_the_spec_lists_under_amazon_pivot(stage: str) -> None:
    state = folded(AMAZON_PATHS[stage])
    assert state.stage == stage
    assert state.departures == []


@pytest.mark.parametrize("stage", sorted(STANDARD_PATHS))
def test_it_reaches_every_stage_of_standard_pip(stage: str) -> None:
    state = folded(STANDARD_PATHS[stage], STANDARD)
    assert state.stage == stage
    assert state.departures == []


def test_it_starts_a_case_with_no_events_in_good_standing() -> None:
    assert folded([]).stage == "good_standing"
    assert review_of(case(events=[])).stage == "good_standing"


@pytest.mark.parametrize(("policy", "stage", "events", "expected"), AMAZON_ROWS + STANDARD_ROWS)
def test_it_moves_each_allowed_event_to_the_stage_its_table_gives(
    policy: str, stage: str, events: Events, expected: str
) -> None:
    state = folded(PATHS[policy][stage] + events, policy)
    assert state.departures == []
    assert state.stage == expected


@pytest.mark.parametrize(
    ("policy", "rows"), [(AMAZON, AMAZON_ROWS), (STANDARD, STANDARD_ROWS)], ids=[AMAZON, STANDARD]
)
def test_it_checks_exactly_the_rows_each_shipped_policy_file_lists(policy: str, rows: Any) -> None:
    tested = {(param.values[1], param.id.split(":", 2)[2]) for param in rows}
    listed = {(stage, key) for stage, moves in load_policy(policy).stages.items() for key in moves}
    assert tested == listed


def test_it_reports_the_folded_stage_in_the_review() -> None:
    doc = case(events=AMAZON_PATHS["appeal_lost"])
    assert review_of(doc).stage == "appeal_lost"
    assert review_of(doc, as_of="2025-05-12").stage == "appeal"


# Events out of order: recorded, then applied as if allowed


def test_it_records_plan_started_under_amazon_pivot_and_moves_to_in_plan() -> None:
    state = folded([PLAN_STARTED])
    assert state.stage == "in_plan"
    assert departure_keys(state) == ["plan_started"]
    departure = state.departures[0]
    assert departure.stage == "good_standing"
    assert departure.index == 0
    assert set(departure.allowed) == {
        "concern_documented",
        "focus_started",
        "transferred",
        "separated",
    }


def test_it_records_an_appeal_chosen_at_the_pivot_offer_and_moves_to_appeal() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], CHOSE_APPEAL])
    assert state.stage == "appeal"
    assert departure_keys(state) == ["option_chosen:appeal"]
    assert state.departures[0].stage == "pivot_offered"


def test_it_records_a_checkin_during_focus_and_stays_in_focus() -> None:
    state = folded([*AMAZON_PATHS["focus"], CHECKIN])
    assert state.stage == "focus"
    assert departure_keys(state) == ["checkin"]


def test_it_records_a_pivot_offer_with_no_focus_and_moves_to_pivot_offered() -> None:
    state = folded([PIVOT_OFFERED])
    assert state.stage == "pivot_offered"
    assert departure_keys(state) == ["pivot_offered"]
    assert state.departures[0].stage == "good_standing"


def test_it_records_an_appeal_decided_with_no_appeal_elected() -> None:
    state = folded([*AMAZON_PATHS["plan_failed"], APPEAL_UPHELD])
    assert state.stage == "appeal_lost"
    assert departure_keys(state) == ["appeal_decided:upheld"]


def test_it_records_a_separation_while_an_appeal_is_pending() -> None:
    state = folded([*AMAZON_PATHS["appeal"], SEPARATED])
    assert state.stage == "separated"
    assert departure_keys(state) == ["separated"]
    assert state.departures[0].stage == "appeal"


def test_it_records_every_out_of_order_event_and_keeps_going() -> None:
    state = folded([PLAN_STARTED, CHECKIN, PLAN_FAILED, CHOSE_APPEAL, APPEAL_OVERTURNED])
    # Once the plan has started, in_plan allows the check-in and the failure; the appeal
    # chosen at plan_failed is the second departure, and the panel's decision is allowed.
    assert departure_keys(state) == ["plan_started", "option_chosen:appeal"]
    assert state.stage == "closed_retained"


def test_it_records_offer_signed_with_no_offer_of_that_tier() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], SIGNED_2])
    assert departure_keys(state) == ["offer_signed"]
    assert "tier 2" in state.departures[0].reason
    # The signing is applied anyway: the case moves as pivot_offered's table says.
    assert state.stage == "exiting"


def test_it_records_offer_signed_after_a_failed_plan_with_no_later_offer() -> None:
    state = folded([*AMAZON_PATHS["plan_failed"], SIGNED_2])
    assert departure_keys(state) == ["offer_signed"]
    assert state.departures[0].stage == "plan_failed"


def test_it_records_offer_signed_with_no_offer_at_all_under_standard_pip() -> None:
    state = folded([*STANDARD_PATHS["plan_failed"], SIGNED_1], STANDARD)
    assert departure_keys(state) == ["offer_signed"]


def test_it_records_offer_revoked_with_no_signed_offer_and_stays_put() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], CHOSE_SEVERANCE, REVOKED_1])
    assert departure_keys(state) == ["offer_revoked"]
    assert "tier 1" in state.departures[0].reason
    assert state.stage == "exiting"


def test_it_records_offer_revoked_twice_as_out_of_order_the_second_time() -> None:
    state = folded([*AMAZON_PATHS["exiting"], REVOKED_1, REVOKED_1])
    assert departure_keys(state) == ["offer_revoked"]
    assert state.departures[0].index == len(AMAZON_PATHS["exiting"]) + 1
    assert state.departures[0].stage == "pivot_offered"


def test_it_records_offer_revoked_in_a_separated_case_with_nothing_signed() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], SEPARATED, REVOKED_1])
    assert departure_keys(state) == ["offer_revoked"]
    assert state.stage == "separated"


# offer_revoked: back to the stage before the signing


def test_it_returns_to_pivot_offered_when_a_signing_in_pivot_offered_is_revoked() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], SIGNED_1, REVOKED_1])
    assert state.stage == "pivot_offered"
    assert state.departures == []


def test_it_returns_to_before_choosing_severance_when_that_signing_is_revoked() -> None:
    events = [*AMAZON_PATHS["pivot_offered"], CHOSE_SEVERANCE, SIGNED_1, REVOKED_1]
    state = folded(events)
    assert state.stage == "pivot_offered"
    assert state.departures == []
    assert [stage for _, stage in state.stages][-3:] == [
        "pivot_offered",
        "exiting",
        "pivot_offered",
    ]


def test_it_lets_the_plan_be_chosen_after_revoking_a_chosen_severance() -> None:
    events = [*AMAZON_PATHS["pivot_offered"], CHOSE_SEVERANCE, SIGNED_1, REVOKED_1, CHOSE_PLAN]
    state = folded(events)
    assert state.stage == "in_plan"
    assert state.departures == []


def test_it_returns_to_plan_failed_when_a_tier_two_signing_is_revoked() -> None:
    revoked = event("offer_revoked", LATER, tier=2)
    state = folded([*AMAZON_PATHS["plan_failed"], OFFER_MADE_2, SIGNED_2, revoked])
    assert state.stage == "plan_failed"
    assert state.departures == []


def test_it_returns_to_appeal_lost_when_a_tier_three_signing_is_revoked() -> None:
    revoked = event("offer_revoked", LATER, tier=3)
    state = folded([*AMAZON_PATHS["appeal_lost"], OFFER_MADE_3, SIGNED_3, revoked])
    assert state.stage == "appeal_lost"
    assert state.departures == []


def test_it_stays_exiting_when_a_second_signing_made_while_exiting_is_revoked() -> None:
    revoked = event("offer_revoked", LATER, tier=2)
    state = folded([*AMAZON_PATHS["exiting"], OFFER_MADE_2, SIGNED_2, revoked])
    assert state.stage == "exiting"
    assert state.departures == []


@pytest.mark.parametrize("policy", [AMAZON, STANDARD])
def test_it_keeps_a_separated_case_separated_when_an_offer_is_revoked(policy: str) -> None:
    state = folded([*PATHS[policy]["separated"], REVOKED_1], policy)
    assert state.stage == "separated"
    assert state.departures == []
    assert state.offers[-1].revoked_on is not None


def test_it_keeps_a_separated_case_separated_after_choosing_severance_and_signing() -> None:
    events = [*AMAZON_PATHS["pivot_offered"], CHOSE_SEVERANCE, SIGNED_1, SEPARATED, REVOKED_1]
    state = folded(events)
    assert state.stage == "separated"
    assert state.departures == []


# concern_documented, focus_removed and the missing appeal under standard-pip


@pytest.mark.parametrize("stage", [s for s in STAGES if s != "separated"])
def test_it_allows_a_documented_concern_in_every_stage_but_separated(stage: str) -> None:
    state = folded([*AMAZON_PATHS[stage], CONCERN])
    assert state.departures == []
    assert state.stage == stage


@pytest.mark.parametrize("policy", [AMAZON, STANDARD])
def test_it_records_a_documented_concern_after_separation(policy: str) -> None:
    state = folded([*PATHS[policy]["separated"], CONCERN], policy)
    assert departure_keys(state) == ["concern_documented"]
    assert state.stage == "separated"


def test_it_returns_to_good_standing_when_focus_is_removed() -> None:
    state = folded([*AMAZON_PATHS["focus"], FOCUS_REMOVED])
    assert state.stage == "good_standing"
    assert state.open_focus is None
    assert state.focus[0].ended_by == "focus_removed"
    assert state.focus[0].ended is not None
    assert state.focus[0].ended.isoformat() == LATER


def test_it_allows_a_new_focus_after_focus_is_removed() -> None:
    state = folded(
        [
            *AMAZON_PATHS["focus"],
            FOCUS_REMOVED,
            event("focus_started", "2025-07-01", disclosed=True),
        ]
    )
    assert state.stage == "focus"
    assert state.departures == []
    assert len(state.focus) == 2


def test_it_records_an_appeal_elected_under_standard_pip() -> None:
    state = folded([*STANDARD_PATHS["plan_failed"], APPEAL_ELECTED], STANDARD)
    assert departure_keys(state) == ["appeal_elected"]
    departure = state.departures[0]
    assert departure.stage == "plan_failed"
    assert set(departure.allowed) == {
        "concern_documented",
        "offer_made",
        "offer_signed",
        "separated",
    }


def test_it_records_a_focus_under_standard_pip() -> None:
    state = folded([FOCUS_STARTED], STANDARD)
    assert departure_keys(state) == ["focus_started"]


def test_it_takes_up_the_pivot_plan_when_it_fails_with_no_choice_recorded() -> None:
    state = folded([*AMAZON_PATHS["pivot_offered"], PLAN_FAILED])
    assert departure_keys(state) == ["plan_failed"]
    assert state.stage == "plan_failed"
    assert state.current_plan is state.plans[0]
    assert state.plans[0].outcome == "plan_failed"
    assert state.plans[0].outcome_on is not None
    assert state.plans[0].outcome_on.isoformat() == LATER


def test_it_leaves_a_decided_plan_alone_when_a_second_outcome_comes() -> None:
    state = folded([*AMAZON_PATHS["closed_passed"], PLAN_FAILED])
    assert departure_keys(state) == ["plan_failed"]
    assert [(p.outcome, p.taken_up) for p in state.plans] == [("plan_passed", True)]


def test_it_sends_an_out_of_order_event_where_the_policys_own_table_sends_it() -> None:
    text = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()
    custom = parse_policy(
        text.replace('focus_removed = "good_standing"', 'focus_removed = "closed_retained"'),
        source="custom.toml",
    )
    events = load(case(events=[event("focus_removed", "2025-01-02")])).file.events
    shipped = fold(events, load_policy("amazon-pivot"))
    own = fold(events, custom)
    assert [len(shipped.departures), len(own.departures)] == [1, 1]
    assert (shipped.stage, own.stage) == ("good_standing", "closed_retained")
