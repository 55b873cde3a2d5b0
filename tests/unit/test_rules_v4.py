"""review-v4.md sections 1, 2, 4 and 6: the law as the law is, in the finding rules.

Wording that must not promise more than the law (section 1), knowledge and a prior concern
in the timing rules (items 9-10), the strict work_state (item 12), the two new codes
(section 4) and the notice (section 6). Deadlines are in test_deadlines_v4.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from fairpivot.domain.casefile.model import WORK_STATES
from fairpivot.domain.errors import MalformedCaseFile
from fairpivot.domain.review.model import NOTICE, RULES_CHECKED_ON
from tests.builders import MANAGER, case, codes, event, findings, load, offer, pivot, review_of

TIMING = "retaliation.timing"
NO_PRIOR = "retaliation.no_prior_concern"
CUT = "procedure.window_cut_short"
CA_TERMS = "ca.separation_terms"
STEP = "2025-07-01"
FOCUS = event("focus_started", STEP, by=MANAGER, disclosed=True)
COMPLAINT = "discrimination_complaint"


# --- section 1: say what the law does, not more ------------------------------------------

OWBPA_OFFERS: dict[str, dict[str, Any]] = {
    "owbpa.consideration_period": {"consideration_days": 10},
    "owbpa.revocation_period": {"revocation_days": 3},
    "owbpa.adea_not_named": {"names_adea": False},
    "owbpa.attorney_advice": {"advises_attorney": False},
    "owbpa.group_disclosures": {
        "group_program": True,
        "consideration_days": 45,
        "group_disclosures": False,
    },
}


@pytest.mark.parametrize("code", list(OWBPA_OFFERS))
def test_it_says_a_failed_owbpa_condition_leaves_adea_claims_unwaived_not_the_release_void(
    code: str,
) -> None:
    doc = case(events=[event("offer_made", "2025-06-02", offer=offer(**OWBPA_OFFERS[code]))])
    [found] = findings(review_of(doc), code)
    text = f"{found['message']} {found['basis']}".lower()
    assert "does not waive adea claims" in text
    assert "invalid" not in text
    assert "void" not in text
    assert "aged 40 or over" in found["message"]
    assert "29 U.S.C. 626(f)(1)" in found["basis"]


def test_it_cites_the_attorney_advice_condition_exactly() -> None:
    doc = case(events=[event("offer_made", "2025-06-02", offer=offer(advises_attorney=False))])
    [found] = findings(review_of(doc), "owbpa.attorney_advice")
    assert "29 U.S.C. 626(f)(1)(E)" in found["basis"]


@pytest.mark.parametrize(("state", "cites_wa"), [("WA", True), ("TX", False), ("CA", False)])
def test_it_says_a_resignation_label_may_be_treated_as_a_discharge(
    state: str, cites_wa: bool
) -> None:
    events = [
        event("focus_started", "2025-03-03", disclosed=True),
        pivot("2025-05-01"),
        event("separated", "2025-05-20", reason="resignation"),
    ]
    [found] = findings(
        review_of(case(events=events, employee={"work_state": state})),
        ("unemployment.resignation_label"),
    )
    assert "may treat it as a discharge" in found["message"]
    assert "benefits" in found["message"]
    assert "will receive" not in found["message"]
    assert ("RCW 50.04.294" in found["basis"]) is cites_wa


def test_it_says_a_california_no_rehire_term_may_be_void_and_states_the_statutes_conditions() -> (
    None
):
    doc = case(
        employee={"work_state": "CA"},
        protected_activities=[{"date": "2025-05-01", "kind": COMPLAINT}],
        events=[
            event(
                "offer_made",
                "2025-06-02",
                offer=offer(clauses=["release_of_claims", "no_rehire"]),
            )
        ],
    )
    [found] = findings(review_of(doc), "ca.no_rehire")
    assert "may be void" in found["message"]
    assert "1002.5" in found["basis"]
    assert "good faith" in found["basis"]
    assert "sexual harassment" in found["basis"]


def test_it_says_broad_confidentiality_may_restrict_section_7_rights_under_board_law() -> None:
    clauses = ["release_of_claims", "confidentiality", "carve_out_illegal_conduct"]
    doc = case(events=[event("offer_made", "2025-06-02", offer=offer(clauses=clauses))])
    [found] = findings(review_of(doc), "nlra.broad_confidentiality")
    assert "may restrict rights under section 7" in found["message"]
    assert "McLaren Macomb, 372 NLRB No. 58 (2023)" in found["basis"]
    assert "later Board decisions may change" in found["basis"]


def test_it_states_burlington_northerns_standard_in_the_timing_basis() -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}])
    [found] = findings(review_of(doc), TIMING)
    assert "might well dissuade" in found["basis"]


def _vesting(state: str) -> dict[str, Any]:
    return case(
        employee={"work_state": state},
        share_price=100.0,
        equity=[{"grant": "RSU-1", "vests": [{"date": "2025-06-15", "shares": 500}]}],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            event("separated", "2025-06-01", reason="termination_performance"),
        ],
    )


@pytest.mark.parametrize(
    ("state", "fortune"), [("MA", True), ("WA", False), ("CA", False), ("TX", False)]
)
def test_it_rests_vesting_forfeiture_on_the_implied_covenant_only_where_the_state_does(
    state: str, fortune: bool
) -> None:
    [found] = findings(review_of(_vesting(state)), "vesting.forfeiture")
    assert "Reeves v. Sanderson Plumbing" in found["basis"]
    assert (
        "ERISA section 510 (29 U.S.C. 1140), where the value lost is under a benefit plan"
        in (found["basis"])
    )
    assert ("Fortune v. National Cash Register" in found["basis"]) is fortune


# --- item 9: counted from the manager's knowledge ---------------------------------------


@pytest.mark.parametrize(
    ("known_on", "days", "severity"),
    [
        ("2025-06-01", 30, "high"),  # 30 days from knowledge: still high
        ("2025-05-31", 31, "medium"),  # 31 days: medium
        ("2025-04-02", 90, "medium"),
        ("2025-04-01", 91, "low"),
    ],
)
def test_it_counts_timing_from_the_day_the_manager_learned_of_the_activity(
    known_on: str, days: int, severity: str
) -> None:
    activity = {"date": "2025-03-01", "kind": COMPLAINT, "known_on": known_on}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[activity])), TIMING)
    assert found["evidence"]["days"] == days
    assert found["evidence"]["activity_date"] == known_on
    assert found["evidence"]["known_on"] == known_on
    assert found["severity"] == severity


@pytest.mark.parametrize(("known_on", "counts"), [(STEP, True), ("2025-07-02", False)])
def test_it_leaves_out_an_activity_the_manager_learned_of_only_after_the_step(
    known_on: str, counts: bool
) -> None:
    activity = {"date": "2025-06-25", "kind": COMPLAINT, "known_on": known_on}
    result = review_of(case(events=[FOCUS], protected_activities=[activity]))
    assert len(findings(result, TIMING)) == int(counts)


def test_it_counts_a_leave_from_the_later_of_its_return_and_the_managers_knowledge() -> None:
    leave = {
        "date": "2025-05-01",
        "end_date": "2025-06-05",
        "kind": "fmla_leave",
        "known_on": "2025-06-10",
    }
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), TIMING)
    assert found["evidence"]["days"] == 21  # from 2025-06-10, not the return on 06-05
    # leave.adjacent still uses the leave's own dates (reading 49)
    assert findings(review_of(case(events=[FOCUS], protected_activities=[leave])), "leave.adjacent")


def test_it_accepts_a_known_on_before_the_activity_for_notice_of_a_leave() -> None:
    leave = {"date": "2025-06-21", "kind": "fmla_leave", "known_on": "2025-06-01"}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), TIMING)
    assert found["evidence"]["days"] == 0  # the step falls during the leave


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", 20250601])
def test_it_refuses_a_malformed_known_on(bad: object) -> None:
    activity = {"date": "2025-06-21", "kind": COMPLAINT, "known_on": bad}
    with pytest.raises(MalformedCaseFile) as caught:
        load(case(events=[FOCUS], protected_activities=[activity]))
    [problem] = caught.value.problems
    assert problem.startswith("protected_activities[0].known_on: ")


# --- item 10: a concern documented first lowers the timing ------------------------------


@pytest.mark.parametrize(
    ("concern_on", "severity", "no_prior"),
    [
        ("2025-06-20", "medium", False),  # the day before the complaint: lowered
        ("2025-06-21", "high", True),  # the same day: not before it
    ],
)
def test_it_lowers_timing_one_level_when_a_concern_was_documented_before_the_activity(
    concern_on: str, severity: str, no_prior: bool
) -> None:
    events = [event("concern_documented", concern_on, by=MANAGER), FOCUS]
    doc = case(events=events, protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}])
    result = review_of(doc)
    [found] = findings(result, TIMING)
    assert found["severity"] == severity
    assert found["evidence"]["severity_by_days"] == "high"
    assert (found["evidence"]["lowered_for"] == ["prior_documented_concern"]) is not no_prior
    assert (NO_PRIOR in codes(result)) is no_prior


@pytest.mark.parametrize(
    ("activity_on", "by_days", "lowered"),
    [
        ("2025-06-21", "high", "low"),
        ("2025-04-15", "medium", "info"),
        ("2025-01-15", "low", "info"),
    ],
)
def test_it_adds_both_lowerings_and_never_goes_below_info(
    activity_on: str, by_days: str, lowered: str
) -> None:
    events = [event("concern_documented", "2025-01-02", by=MANAGER), FOCUS]
    activity = {"date": activity_on, "kind": COMPLAINT, "known_to": ["H-1"]}
    [found] = findings(review_of(case(events=events, protected_activities=[activity])), TIMING)
    assert found["evidence"]["severity_by_days"] == by_days
    assert found["severity"] == lowered
    assert found["evidence"]["lowered_for"] == ["not_known_to_manager", "prior_documented_concern"]


# --- item 12: work_state ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["WA", "CA", "NY", "DC", "PR", "GU", "VI", "AS", "MP", "XX"])
def test_it_accepts_every_state_territory_and_xx(state: str) -> None:
    assert load(case(employee={"work_state": state})).file.employee.work_state == state


@pytest.mark.parametrize("state", ["ZZ", "UK", "QQ", "XY"])
def test_it_refuses_a_work_state_outside_the_accepted_set_with_one_line(state: str) -> None:
    with pytest.raises(MalformedCaseFile) as caught:
        load(case(employee={"work_state": state}))
    [problem] = caught.value.problems
    assert problem.startswith("employee.work_state: ")
    assert f'"{state}"' in problem
    assert "XX" in problem


def test_it_knows_fifty_states_dc_and_the_five_territories() -> None:
    assert len(WORK_STATES) == 57
    assert len(set(WORK_STATES)) == 57


def test_it_still_reads_a_stored_record_with_a_work_state_v4_refuses() -> None:
    from fairpivot.domain.casefile import check_case_document  # noqa: PLC0415

    doc = case(employee={"work_state": "ZZ"}, events=[FOCUS])
    loaded = check_case_document(doc, stored=True)
    assert loaded.file.employee.work_state == "ZZ"
    with pytest.raises(MalformedCaseFile):
        check_case_document(doc)


# --- section 4: procedure.window_cut_short ----------------------------------------------

PIVOT_ON = "2025-05-01"  # decision_days 21: pivot_decide_by 2025-05-22


def _cut(*events: dict[str, Any], policy: str = "amazon-pivot") -> list[dict[str, Any]]:
    focus = event("focus_started", "2025-03-03", disclosed=True)
    return findings(review_of(case(policy=policy, events=[focus, *events])), CUT)


@pytest.mark.parametrize(("separated_on", "fires"), [("2025-05-21", True), ("2025-05-22", False)])
def test_it_flags_a_termination_before_the_pivot_decision_window_closes(
    separated_on: str, fires: bool
) -> None:
    found = _cut(
        pivot(PIVOT_ON), event("separated", separated_on, reason="termination_performance")
    )
    assert len(found) == int(fires)
    if fires:
        assert found[0]["severity"] == "high"
        assert found[0]["date"] == separated_on
        assert found[0]["evidence"]["windows"] == [
            {"deadline": "pivot_decide_by", "opened_on": PIVOT_ON, "closes_on": "2025-05-22"}
        ]
        assert "Reeves" in found[0]["basis"]


@pytest.mark.parametrize(
    ("reason", "fires"),
    [
        ("termination_performance", True),
        ("layoff", True),
        ("resignation", False),
        ("resignation_with_severance", False),
        ("termination_misconduct", False),
    ],
)
def test_it_flags_only_performance_terminations_and_layoffs(reason: str, fires: bool) -> None:
    assert len(_cut(pivot(PIVOT_ON), event("separated", "2025-05-10", reason=reason))) == int(fires)


@pytest.mark.parametrize(
    ("between", "fires"),
    [
        (event("option_chosen", "2025-05-05", option="plan"), False),
        (event("option_chosen", "2025-05-05", option="severance"), False),
        (event("offer_signed", "2025-05-05", tier=1), False),
        (event("concern_documented", "2025-05-05"), True),
    ],
    ids=["plan-chosen", "severance-chosen", "offer-signed", "a-note"],
)
def test_it_leaves_a_window_the_employee_already_used_alone(
    between: dict[str, Any], fires: bool
) -> None:
    separated = event("separated", "2025-05-10", reason="termination_performance")
    assert len(_cut(pivot(PIVOT_ON), between, separated)) == int(fires)


def test_it_counts_a_signing_revoked_before_the_separation_as_none() -> None:
    events = [
        pivot(PIVOT_ON),
        event("offer_signed", "2025-05-05", tier=1),
        event("offer_revoked", "2025-05-06", tier=1),
        event("separated", "2025-05-10", reason="termination_performance"),
    ]
    assert len(_cut(*events)) == 1


def test_it_counts_a_signing_revoked_after_the_separation_as_standing_then() -> None:
    events = [
        pivot(PIVOT_ON),
        event("offer_signed", "2025-05-05", tier=1),
        event("separated", "2025-05-10", reason="termination_performance"),
        event("offer_revoked", "2025-05-11", tier=1),
    ]
    assert _cut(*events) == []


def _failed(appeal_days: int | None = 5) -> list[dict[str, Any]]:
    fields = {} if appeal_days is None else {"appeal_days": appeal_days}
    return [
        pivot(PIVOT_ON),
        event("option_chosen", "2025-05-02", option="plan"),
        event("plan_failed", "2025-07-14", by=MANAGER, **fields),  # a Monday
    ]


@pytest.mark.parametrize(("separated_on", "fires"), [("2025-07-18", True), ("2025-07-21", False)])
def test_it_flags_a_termination_before_the_appeal_election_closes(
    separated_on: str, fires: bool
) -> None:
    # 5 business days from Monday 2025-07-14: Friday 2025-07-18 is the 4th... the 5th is
    # Monday 2025-07-21, so a separation on the 18th is inside the window.
    found = _cut(*_failed(), event("separated", separated_on, reason="termination_performance"))
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["windows"] == [
            {"deadline": "appeal_elect_by", "opened_on": "2025-07-14", "closes_on": "2025-07-21"}
        ]


def test_it_gives_no_election_window_to_a_failure_stating_no_appeal_days() -> None:
    found = _cut(*_failed(None), event("separated", "2025-07-15", reason="layoff"))
    assert found == []


def test_it_leaves_a_separation_while_an_appeal_is_pending_to_out_of_order() -> None:
    events = [
        *_failed(),
        event("appeal_elected", "2025-07-15"),
        event("separated", "2025-07-16", reason="termination_performance"),
    ]
    doc = case(events=[event("focus_started", "2025-03-03", disclosed=True), *events])
    result = review_of(doc)
    assert CUT not in codes(result)
    assert "procedure.out_of_order" in codes(result)


def test_it_cuts_no_window_after_an_earlier_separation() -> None:
    events = [
        pivot(PIVOT_ON),
        event("separated", "2025-05-05", reason="resignation"),
        event("separated", "2025-05-10", reason="termination_performance"),
    ]
    assert _cut(*events) == []


def test_it_applies_outside_the_us_and_at_any_size() -> None:
    doc = case(
        employee={"work_state": "XX"},
        employer={"headcount": 2},
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot(PIVOT_ON),
            event("separated", "2025-05-10", reason="layoff"),
        ],
    )
    assert len(findings(review_of(doc), CUT)) == 1


# --- section 4: ca.separation_terms -----------------------------------------------------


def _ca(days: int, on: str = "2025-06-30", **fields: Any) -> list[dict[str, Any]]:
    made = event("offer_made", on, offer=offer(consideration_days=days, **fields))
    return findings(review_of(case(employee={"work_state": "CA"}, events=[made])), CA_TERMS)


@pytest.mark.parametrize(
    ("days", "business", "fires"),
    [(7, 4, True), (8, 5, False), (0, 0, True)],
)
def test_it_counts_business_days_to_consider_a_california_separation_agreement(
    days: int, business: int, fires: bool
) -> None:
    # Monday 2025-06-30; 4 July is a holiday (reading 56's own examples).
    found = _ca(days)
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["business_days"] == business
        assert found[0]["evidence"]["reasons"] == ["short_period"]
        assert found[0]["severity"] == "high"
        assert "12964.5" in found[0]["basis"]


def test_it_names_every_missing_california_term_in_one_finding() -> None:
    found = _ca(3, advises_attorney=False, clauses=["release_of_claims", "non_disparagement"])
    [one] = found
    assert one["evidence"]["reasons"] == ["short_period", "no_attorney_advice", "no_carve_out"]


@pytest.mark.parametrize(
    ("clauses", "fires"),
    [
        (["release_of_claims", "confidentiality"], True),
        (["release_of_claims", "confidentiality", "preserves_section7_rights"], True),
        (["release_of_claims", "confidentiality", "carve_out_illegal_conduct"], False),
        (["release_of_claims"], False),
    ],
)
def test_it_asks_a_california_gag_clause_for_the_illegal_conduct_carve_out(
    clauses: list[str], fires: bool
) -> None:
    assert len(_ca(21, clauses=clauses)) == int(fires)


def test_it_reads_a_missing_advises_attorney_as_false_in_california() -> None:
    made = {k: v for k, v in offer(consideration_days=21).items() if k != "advises_attorney"}
    doc = case(
        employee={"work_state": "CA"}, events=[event("offer_made", "2025-06-30", offer=made)]
    )
    [found] = findings(review_of(doc), CA_TERMS)
    assert found["evidence"]["reasons"] == ["no_attorney_advice"]


@pytest.mark.parametrize(("state", "fires"), [("CA", True), ("WA", False)])
def test_it_judges_california_terms_in_california_only_and_at_any_age_or_size(
    state: str, fires: bool
) -> None:
    made = event("offer_made", "2025-06-30", offer=offer(consideration_days=3))
    doc = case(
        employee={"work_state": state, "birth_date": "2000-01-01"},
        employer={"headcount": 3},
        events=[made],
    )
    assert len(findings(review_of(doc), CA_TERMS)) == int(fires)


def test_it_takes_the_shorter_of_consideration_and_decision_days_for_a_pivot() -> None:
    doc = case(
        employee={"work_state": "CA"},
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-06-30", decision_days=3, consideration_days=21),
        ],
    )
    [found] = findings(review_of(doc), CA_TERMS)
    assert found["evidence"]["business_days"] == 3  # Tue 07-01 to Thu 07-03; 3, not 21
    assert found["evidence"]["period_ends"] == "2025-07-03"


def test_it_counts_a_period_past_the_calendar_400_years_earlier() -> None:
    made = event("offer_made", "9999-12-30", offer=offer(consideration_days=3))
    doc = case(as_of="9999-12-31", employee={"work_state": "CA"}, events=[made])
    [found] = findings(review_of(doc), CA_TERMS)
    assert found["evidence"]["period_ends"] is None
    assert found["evidence"]["business_days"] < 5


# --- section 6: the notice --------------------------------------------------------------


def test_it_ends_every_review_with_the_one_fixed_notice() -> None:
    first = review_of(case(events=[FOCUS])).to_json()
    second = review_of(case(employee={"work_state": "XX"})).to_json()
    assert list(first)[-1] == "notice"
    assert first["notice"] == second["notice"] == NOTICE


@pytest.mark.parametrize(
    "says",
    [
        "not legal advice",
        "no lawyer-client relationship",
        "US federal law",
        "Washington, California, Massachusetts",
        RULES_CHECKED_ON.isoformat(),
        "estimates",
        "earliest",
        "consult their own lawyer",
    ],
)
def test_it_says_in_the_notice_what_the_review_is(says: str) -> None:
    assert says in NOTICE


@pytest.mark.parametrize(("supervisor", "listed"), [(False, True), (True, False)])
def test_it_promises_no_nlrb_charge_deadline_to_a_supervisor(
    supervisor: bool, listed: bool
) -> None:
    doc = case(
        employee={"supervisor": supervisor},
        protected_activities=[{"date": "2025-06-21", "kind": "concerted_activity"}],
        events=[FOCUS],
    )
    dates = [d.date.isoformat() for d in review_of(doc).deadlines if d.code == "nlrb_charge"]
    assert dates == (["2026-01-01"] if listed else [])
