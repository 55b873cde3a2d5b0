"""Review v4 deadlines, from the spec text alone (spec/review-v4.md and its readings).

Section 3 (the new claim deadlines), item 8 and section 8 item 12 (claim deadlines follow the
employer size table, reading 47), item 11 (`notified_on`, reading 50), section 5 (settled
deadlines, readings 58-62) and item 14 (dates far ahead, readings 68-69).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairpivot.domain.errors import MalformedCaseFile
from fairpivot.domain.review import Review
from tests.builders import (
    MANAGER,
    case,
    deadline_dates,
    event,
    findings,
    load,
    offer,
    pivot,
    plan,
    review_of,
)

CLAIM_CODES = (
    "eeoc_charge",
    "state_agency",
    "fmla_suit",
    "nlrb_charge",
    "osha_11c",
    "ca_crd_complaint",
    "wa_wlad_suit",
)
SECTION_3_CODES = ("fmla_suit", "nlrb_charge", "osha_11c", "ca_crd_complaint", "wa_wlad_suit")


def activity(kind: str, on: str, end: str | None = None, **fields: Any) -> dict[str, Any]:
    """One protected activity; ``end`` is the return date of a leave."""
    return {"date": on, "kind": kind, **({"end_date": end} if end else {}), **fields}


# Every activity a section-3 deadline keys on, each before 2025-03-01.
EVERY_ACTIVITY = [
    activity("fmla_leave", "2025-01-06", "2025-01-31"),
    activity("safety_complaint", "2025-02-03"),
    activity("concerted_activity", "2025-02-04"),
]


def settled(result: Review, code: str) -> list[tuple[str, bool]]:
    """(date, settled) of each deadline of one code, in the review's order."""
    return [(d.date.isoformat(), d.settled) for d in result.deadlines if d.code == code]


def focus_case(
    on: str, *, state: str = "WA", activities: list[dict[str, Any]], **overrides: Any
) -> dict[str, Any]:
    """A case whose one adverse step is a Focus disclosed on ``on``."""
    return case(
        employee={"work_state": state},
        protected_activities=activities,
        events=[event("focus_started", on, disclosed=True)],
        **overrides,
    )


# --- section 3: the five new claim deadlines -----------------------------------------------


def test_it_gives_fmla_suit_two_years_after_each_adverse_step_after_an_fmla_leave() -> None:
    doc = case(
        protected_activities=[activity("fmla_leave", "2025-01-06", "2025-01-31")],
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-04-01")],
    )

    assert deadline_dates(review_of(doc), "fmla_suit") == ["2027-03-03", "2027-04-01"]


def test_it_gives_osha_11c_thirty_days_after_each_adverse_step_after_a_safety_complaint() -> None:
    doc = case(
        protected_activities=[activity("safety_complaint", "2025-02-03")],
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-04-01")],
    )

    assert deadline_dates(review_of(doc), "osha_11c") == ["2025-04-02", "2025-05-01"]


def test_it_gives_nlrb_charge_six_months_after_each_adverse_step_after_concerted_activity() -> None:
    doc = case(
        protected_activities=[activity("concerted_activity", "2025-02-04")],
        events=[event("focus_started", "2025-03-31", disclosed=True), pivot("2025-04-01")],
    )

    assert deadline_dates(review_of(doc), "nlrb_charge") == ["2025-09-30", "2025-10-01"]


def test_it_gives_ca_crd_complaint_three_years_after_each_adverse_step_in_california() -> None:
    doc = case(
        employee={"work_state": "CA"},
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-04-01")],
    )

    result = review_of(doc)

    assert deadline_dates(result, "ca_crd_complaint") == ["2028-03-03", "2028-04-01"]
    assert deadline_dates(result, "wa_wlad_suit") == []


def test_it_gives_wa_wlad_suit_three_years_after_each_adverse_step_in_washington() -> None:
    doc = case(
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-04-01")],
    )

    result = review_of(doc)

    assert deadline_dates(result, "wa_wlad_suit") == ["2028-03-03", "2028-04-01"]
    assert deadline_dates(result, "ca_crd_complaint") == []


@pytest.mark.parametrize("state", ["NY", "OR", "TX", "PR"])
def test_it_lists_the_state_suit_deadlines_only_in_their_state(state: str) -> None:
    result = review_of(focus_case("2025-03-03", state=state, activities=EVERY_ACTIVITY))

    assert deadline_dates(result, "ca_crd_complaint") == []
    assert deadline_dates(result, "wa_wlad_suit") == []
    assert deadline_dates(result, "fmla_suit") == ["2027-03-03"]


@pytest.mark.parametrize(
    ("state", "step", "code", "expected"),
    [
        pytest.param("WA", "2025-03-03", "fmla_suit", "2027-03-03", id="fmla-plain"),
        pytest.param("WA", "2024-02-29", "fmla_suit", "2026-02-28", id="fmla-29-february"),
        pytest.param("WA", "2024-03-01", "fmla_suit", "2026-03-01", id="fmla-1-march"),
        pytest.param("WA", "2024-02-28", "fmla_suit", "2026-02-28", id="fmla-28-february"),
        pytest.param("WA", "2024-02-29", "wa_wlad_suit", "2027-02-28", id="wlad-29-february"),
        pytest.param("CA", "2024-02-29", "ca_crd_complaint", "2027-02-28", id="crd-29-february"),
        pytest.param("WA", "2025-03-03", "wa_wlad_suit", "2028-03-03", id="wlad-plain"),
        pytest.param("CA", "2025-03-03", "ca_crd_complaint", "2028-03-03", id="crd-plain"),
        pytest.param("WA", "2025-08-31", "nlrb_charge", "2026-02-28", id="nlrb-31-august"),
        pytest.param("WA", "2023-08-31", "nlrb_charge", "2024-02-29", id="nlrb-leap-february"),
        pytest.param("WA", "2025-03-31", "nlrb_charge", "2025-09-30", id="nlrb-31-march"),
        pytest.param("WA", "2025-12-31", "nlrb_charge", "2026-06-30", id="nlrb-31-december"),
        pytest.param("WA", "2025-07-31", "nlrb_charge", "2026-01-31", id="nlrb-31-july"),
        pytest.param("WA", "2024-02-29", "nlrb_charge", "2024-08-29", id="nlrb-29-february"),
        pytest.param("WA", "2025-03-03", "osha_11c", "2025-04-02", id="osha-plain"),
        pytest.param("WA", "2024-02-29", "osha_11c", "2024-03-30", id="osha-leap"),
        pytest.param("WA", "2025-12-15", "osha_11c", "2026-01-14", id="osha-over-new-year"),
    ],
)
def test_it_dates_each_new_claim_deadline_on_its_exact_day(
    state: str, step: str, code: str, expected: str
) -> None:
    activities = [
        activity("fmla_leave", "2023-01-09", "2023-01-31"),
        activity("safety_complaint", "2023-02-01"),
        activity("concerted_activity", "2023-02-02"),
    ]
    doc = focus_case(step, state=state, activities=activities, as_of="2025-12-31")

    assert deadline_dates(review_of(doc), code) == [expected]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("fmla_leave", "fmla_suit"),
        ("safety_complaint", "osha_11c"),
        ("concerted_activity", "nlrb_charge"),
    ],
)
@pytest.mark.parametrize(
    ("activity_on", "listed"),
    [
        pytest.param("2025-03-02", True, id="activity-the-day-before-the-step"),
        pytest.param("2025-03-03", True, id="activity-on-the-step-day"),
        pytest.param("2025-03-04", False, id="activity-the-day-after-the-step"),
    ],
)
def test_it_counts_a_step_on_or_after_the_day_the_activity_began(
    kind: str, code: str, activity_on: str, listed: bool
) -> None:
    # Reading 53: a step dated on the activity's own day counts; one the day before does not.
    doc = focus_case("2025-03-03", activities=[activity(kind, activity_on)])

    assert bool(deadline_dates(review_of(doc), code)) is listed


def test_it_counts_a_step_during_an_fmla_leave_from_when_the_leave_began() -> None:
    doc = focus_case("2025-03-03", activities=[activity("fmla_leave", "2025-02-17", "2025-04-30")])

    assert deadline_dates(review_of(doc), "fmla_suit") == ["2027-03-03"]


@pytest.mark.parametrize(
    ("leave_on", "known_on", "listed"),
    [
        pytest.param("2025-02-01", "2025-04-01", ["2027-03-03"], id="known-only-after-the-step"),
        pytest.param("2025-03-10", "2025-02-01", [], id="known-ahead-of-a-leave-after-the-step"),
    ],
)
def test_it_judges_after_an_activity_by_its_date_not_known_on(
    leave_on: str, known_on: str, listed: list[str]
) -> None:
    # Reading 49: known_on changes nothing for the section-3 "after an activity" conditions.
    leave = activity("fmla_leave", leave_on, "2025-03-20", known_on=known_on)
    doc = focus_case("2025-03-03", activities=[leave])

    assert deadline_dates(review_of(doc), "fmla_suit") == listed


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        pytest.param("medical_leave", "fmla_suit", id="medical-leave-is-not-fmla"),
        pytest.param("whistleblower_report", "osha_11c", id="whistleblowing-is-not-safety"),
        pytest.param("wage_complaint", "nlrb_charge", id="a-wage-complaint-is-not-concerted"),
        pytest.param("discrimination_complaint", "osha_11c", id="discrimination-not-safety"),
    ],
)
def test_it_keys_each_new_deadline_on_its_own_activity_only(kind: str, code: str) -> None:
    doc = focus_case("2025-03-03", activities=[activity(kind, "2025-02-03")])

    assert deadline_dates(review_of(doc), code) == []


def test_it_lists_no_activity_keyed_deadline_without_the_activity() -> None:
    result = review_of(focus_case("2025-03-03", activities=[]))

    assert deadline_dates(result, "fmla_suit") == []
    assert deadline_dates(result, "osha_11c") == []
    assert deadline_dates(result, "nlrb_charge") == []
    assert deadline_dates(result, "wa_wlad_suit") == ["2028-03-03"]


def test_it_leaves_out_activities_and_steps_after_as_of() -> None:
    doc = case(
        protected_activities=[activity("fmla_leave", "2025-05-01", "2025-05-20")],
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-06-02")],
    )

    # The Focus came before the leave; the Pivot after it, but after the as_of too.
    assert deadline_dates(review_of(doc, as_of="2025-05-15"), "fmla_suit") == []
    assert deadline_dates(review_of(doc), "fmla_suit") == ["2027-06-02"]


def test_it_keeps_an_activity_and_a_step_dated_on_as_of() -> None:
    doc = focus_case("2025-03-03", activities=[activity("safety_complaint", "2025-03-03")])

    assert deadline_dates(review_of(doc, as_of="2025-03-03"), "osha_11c") == ["2025-04-02"]
    assert deadline_dates(review_of(doc, as_of="2025-03-02"), "osha_11c") == []


def test_it_lists_each_new_deadline_once_per_distinct_date() -> None:
    doc = case(
        protected_activities=EVERY_ACTIVITY,
        ratings=[{"date": "2025-03-03", "value": "LE"}],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-01", option="plan"),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "fmla_suit") == ["2027-03-03", "2027-04-01"]
    assert deadline_dates(result, "osha_11c") == ["2025-04-02", "2025-05-01"]
    assert deadline_dates(result, "nlrb_charge") == ["2025-09-03", "2025-10-01"]
    assert deadline_dates(result, "wa_wlad_suit") == ["2028-03-03", "2028-04-01"]


def test_it_lists_each_ca_crd_complaint_date_once() -> None:
    doc = case(
        employee={"work_state": "CA"},
        ratings=[{"date": "2025-03-03", "value": "LE"}],
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    assert deadline_dates(review_of(doc), "ca_crd_complaint") == ["2028-03-03"]


# nlrb_charge from an offer that raises nlra.broad_confidentiality (reading 54)


def _case_with_offer_made(
    clauses: list[str], *, supervisor: bool = False, state: str = "WA"
) -> dict[str, Any]:
    return case(
        employee={"work_state": state, "supervisor": supervisor},
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("offer_made", "2025-08-31", offer=offer(2, 10000, clauses=clauses)),
        ],
    )


@pytest.mark.parametrize(
    ("clauses", "supervisor", "expected"),
    [
        pytest.param(
            ["release_of_claims", "confidentiality"], False, ["2026-02-28"], id="confidentiality"
        ),
        pytest.param(
            ["release_of_claims", "non_disparagement"],
            False,
            ["2026-02-28"],
            id="non-disparagement",
        ),
        pytest.param(
            ["release_of_claims", "confidentiality", "carve_out_illegal_conduct"],
            False,
            ["2026-02-28"],
            id="a-carve-out-is-not-section-7",
        ),
        pytest.param(
            ["release_of_claims", "confidentiality", "preserves_section7_rights"],
            False,
            [],
            id="section-7-preserved",
        ),
        pytest.param(
            ["release_of_claims", "non_disparagement", "preserves_section7_rights"],
            False,
            [],
            id="section-7-preserved-non-disparagement",
        ),
        pytest.param(["release_of_claims"], False, [], id="no-confidentiality"),
        pytest.param(["release_of_claims", "confidentiality"], True, [], id="a-supervisor"),
    ],
)
def test_it_gives_nlrb_charge_six_months_after_an_offer_raising_broad_confidentiality(
    clauses: list[str], supervisor: bool, expected: list[str]
) -> None:
    result = review_of(_case_with_offer_made(clauses, supervisor=supervisor))

    assert bool(findings(result, "nlra.broad_confidentiality")) is bool(expected)
    assert deadline_dates(result, "nlrb_charge") == expected


def test_it_gives_nlrb_charge_from_a_pivot_offer_raising_broad_confidentiality() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-08-01", disclosed=True),
            pivot("2025-08-31", clauses=["release_of_claims", "confidentiality"]),
        ],
    )

    assert deadline_dates(review_of(doc), "nlrb_charge") == ["2026-02-28"]


def test_it_shares_one_nlrb_charge_list_between_steps_and_offers() -> None:
    doc = case(
        protected_activities=[activity("concerted_activity", "2025-02-04")],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            # Both an adverse step after concerted activity and an offer raising the finding.
            pivot("2025-04-01", clauses=["release_of_claims", "confidentiality"]),
        ],
    )

    assert deadline_dates(review_of(doc), "nlrb_charge") == ["2025-09-03", "2025-10-01"]


# notice dates (reading 54)


@pytest.mark.parametrize(
    ("state", "code", "expected"),
    [
        ("WA", "fmla_suit", "2027-04-14"),
        ("WA", "osha_11c", "2025-05-14"),
        ("WA", "nlrb_charge", "2025-10-14"),
        ("WA", "wa_wlad_suit", "2028-04-14"),
        ("CA", "ca_crd_complaint", "2028-04-14"),
    ],
)
def test_it_runs_each_new_deadline_of_an_undisclosed_focus_from_its_disclosure(
    state: str, code: str, expected: str
) -> None:
    doc = case(
        employee={"work_state": state},
        protected_activities=EVERY_ACTIVITY,
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("focus_disclosed", "2025-04-14"),
        ],
    )

    assert deadline_dates(review_of(doc), code) == [expected]


@pytest.mark.parametrize("state", ["WA", "CA"])
def test_it_gives_no_new_deadline_for_a_focus_the_employee_never_learned_of(state: str) -> None:
    doc = case(
        employee={"work_state": state},
        protected_activities=EVERY_ACTIVITY,
        events=[event("focus_started", "2025-03-03", disclosed=False)],
    )

    result = review_of(doc)

    assert all(deadline_dates(result, code) == [] for code in SECTION_3_CODES)
    assert deadline_dates(result, "focus_review_by") == ["2025-05-02"]


def test_it_judges_after_the_activity_by_the_steps_own_date_not_its_notice_date() -> None:
    # Reading 53 counts "a step on or after the activity's date"; an undisclosed Focus is
    # dated when it started, so a leave begun before its disclosure but after it began does not
    # make it a step after the leave.
    doc = case(
        protected_activities=[activity("fmla_leave", "2025-03-10", "2025-03-20")],
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("focus_disclosed", "2025-04-14"),
        ],
    )

    assert deadline_dates(review_of(doc), "fmla_suit") == []


@pytest.mark.parametrize(
    ("notified", "expected"),
    [
        pytest.param(
            None,
            {
                "eeoc_charge": "2026-05-27",
                "state_agency": "2026-01-31",
                "fmla_suit": "2027-07-31",
                "osha_11c": "2025-08-30",
                "nlrb_charge": "2026-01-31",
                "wa_wlad_suit": "2028-07-31",
            },
            id="from-the-separation",
        ),
        pytest.param(
            "2025-07-15",
            {
                "eeoc_charge": "2026-05-11",
                "state_agency": "2026-01-15",
                "fmla_suit": "2027-07-15",
                "osha_11c": "2025-08-14",
                "nlrb_charge": "2026-01-15",
                "wa_wlad_suit": "2028-07-15",
            },
            id="from-notified-on",
        ),
    ],
)
def test_it_runs_the_claim_deadlines_of_a_separation_from_notified_on(
    notified: str | None, expected: dict[str, str]
) -> None:
    fields = {"notified_on": notified} if notified else {}
    doc = case(
        protected_activities=EVERY_ACTIVITY,
        events=[event("separated", "2025-07-31", reason="layoff", **fields)],
    )

    result = review_of(doc)

    assert {code: deadline_dates(result, code) for code in expected} == {
        code: [day] for code, day in expected.items()
    }


def test_it_counts_an_activity_between_notified_on_and_the_separation() -> None:
    # Reading 53 judges "after the activity" by the step's date (the separation's), and
    # reading 50 runs the clock from notified_on.
    doc = case(
        protected_activities=[activity("safety_complaint", "2025-07-20")],
        events=[event("separated", "2025-07-31", reason="layoff", notified_on="2025-07-15")],
    )

    assert deadline_dates(review_of(doc), "osha_11c") == ["2025-08-14"]


def test_it_runs_ca_crd_complaint_of_a_separation_from_notified_on() -> None:
    doc = case(
        employee={"work_state": "CA"},
        events=[event("separated", "2025-07-31", reason="layoff", notified_on="2025-07-15")],
    )

    assert deadline_dates(review_of(doc), "ca_crd_complaint") == ["2028-07-15"]


def test_it_lists_no_new_deadline_outside_the_us() -> None:
    doc = case(
        employee={"work_state": "XX"},
        protected_activities=EVERY_ACTIVITY,
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", clauses=["release_of_claims", "confidentiality"]),
            event("separated", "2025-05-01", reason="layoff", notified_on="2025-04-20"),
        ],
    )

    result = review_of(doc)

    assert [d.code for d in result.deadlines if d.code in CLAIM_CODES] == []
    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-22"]


@pytest.mark.parametrize(
    ("as_of", "passed"),
    [("2025-04-01", False), ("2025-04-02", False), ("2025-04-03", True)],
)
def test_it_marks_a_new_deadline_passed_only_after_its_date(as_of: str, passed: bool) -> None:
    doc = focus_case("2025-03-03", activities=[activity("safety_complaint", "2025-02-03")])

    (deadline,) = [d for d in review_of(doc, as_of=as_of).deadlines if d.code == "osha_11c"]

    assert deadline.date == date(2025, 4, 2)
    assert deadline.passed is passed


def test_it_marks_every_new_deadline_passed_against_as_of() -> None:
    doc = case(
        employee={"work_state": "CA"},
        protected_activities=EVERY_ACTIVITY,
        events=[
            event("focus_started", "2024-03-04", disclosed=True),
            pivot("2025-08-01", clauses=["release_of_claims", "confidentiality"]),
        ],
        as_of="2025-12-31",
    )

    result = review_of(doc)
    new = [d for d in result.deadlines if d.code in SECTION_3_CODES]

    assert {d.code for d in new} == {"fmla_suit", "nlrb_charge", "osha_11c", "ca_crd_complaint"}
    assert any(d.passed for d in new)
    assert any(not d.passed for d in new)
    assert all(d.passed is (d.date < date(2025, 12, 31)) for d in new)


@pytest.mark.parametrize(
    ("state", "step", "code", "weekend_day"),
    [
        pytest.param("WA", "2025-03-06", "fmla_suit", "2027-03-06", id="fmla-saturday"),
        pytest.param("WA", "2025-03-06", "osha_11c", "2025-04-05", id="osha-saturday"),
        pytest.param("WA", "2025-09-01", "nlrb_charge", "2026-03-01", id="nlrb-sunday"),
        pytest.param("WA", "2025-03-04", "wa_wlad_suit", "2028-03-04", id="wlad-saturday"),
        pytest.param("CA", "2025-03-04", "ca_crd_complaint", "2028-03-04", id="crd-saturday"),
    ],
)
def test_it_says_a_new_deadline_on_a_weekend_may_roll_to_the_next_business_day(
    state: str, step: str, code: str, weekend_day: str
) -> None:
    doc = focus_case(step, state=state, activities=EVERY_ACTIVITY)

    (deadline,) = [d for d in review_of(doc).deadlines if d.code == code]

    assert deadline.date.isoformat() == weekend_day
    assert deadline.date.weekday() >= 5
    assert "may roll to the next business day" in deadline.basis


@pytest.mark.parametrize(
    ("state", "code", "citation"),
    [
        ("WA", "fmla_suit", "2617(c)(1)"),
        ("WA", "fmla_suit", "2617(c)(2)"),
        ("WA", "nlrb_charge", "160(b)"),
        ("WA", "osha_11c", "660(c)(2)"),
        ("CA", "ca_crd_complaint", "12960(e)"),
        ("WA", "wa_wlad_suit", "4.16.080(2)"),
    ],
)
def test_it_cites_the_law_behind_each_new_deadline(state: str, code: str, citation: str) -> None:
    doc = focus_case("2025-03-03", state=state, activities=EVERY_ACTIVITY)

    (deadline,) = [d for d in review_of(doc).deadlines if d.code == code]

    assert citation in deadline.basis


# --- claim deadlines follow the employer size table (item 8, section 8 item 12, reading 47) --


@pytest.mark.parametrize(
    ("state", "code", "headcount", "listed"),
    [
        pytest.param("NY", "eeoc_charge", 14, False, id="eeoc-14"),
        pytest.param("NY", "eeoc_charge", 15, True, id="eeoc-15"),
        pytest.param("WA", "eeoc_charge", 14, False, id="eeoc-14-wa"),
        pytest.param("WA", "eeoc_charge", 15, True, id="eeoc-15-wa"),
        pytest.param("CA", "eeoc_charge", 14, False, id="eeoc-14-ca"),
        pytest.param("WA", "state_agency", 7, False, id="wa-agency-7"),
        pytest.param("WA", "state_agency", 8, True, id="wa-agency-8"),
        pytest.param("WA", "fmla_suit", 49, False, id="fmla-49"),
        pytest.param("WA", "fmla_suit", 50, True, id="fmla-50"),
        pytest.param("CA", "fmla_suit", 49, False, id="fmla-49-ca"),
        pytest.param("CA", "fmla_suit", 50, True, id="fmla-50-ca"),
        pytest.param("CA", "ca_crd_complaint", 4, False, id="crd-4"),
        pytest.param("CA", "ca_crd_complaint", 5, True, id="crd-5"),
        pytest.param("WA", "wa_wlad_suit", 7, False, id="wlad-7"),
        pytest.param("WA", "wa_wlad_suit", 8, True, id="wlad-8"),
        pytest.param("WA", "nlrb_charge", 1, True, id="nlrb-any-size"),
        pytest.param("WA", "osha_11c", 1, True, id="osha-any-size"),
        pytest.param("CA", "nlrb_charge", 1, True, id="nlrb-any-size-ca"),
        pytest.param("CA", "osha_11c", 1, True, id="osha-any-size-ca"),
    ],
)
def test_it_lists_a_claim_deadline_only_for_an_employer_its_law_covers(
    state: str, code: str, headcount: int, listed: bool
) -> None:
    doc = focus_case(
        "2025-03-03",
        state=state,
        activities=EVERY_ACTIVITY,
        employer={"name": "Small Co", "headcount": headcount},
    )

    assert bool(deadline_dates(review_of(doc), code)) is listed


def test_it_lists_the_nlrb_charge_of_an_offer_at_any_size() -> None:
    doc = _case_with_offer_made(["release_of_claims", "confidentiality"])
    doc["employer"] = {"name": "Tiny Co", "headcount": 1}

    assert deadline_dates(review_of(doc), "nlrb_charge") == ["2026-02-28"]


def test_it_keeps_every_process_deadline_at_any_size() -> None:
    doc = case(
        employer={"name": "Tiny Co", "headcount": 1},
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
            event("offer_made", "2025-06-23", offer=offer(2, 10000)),
            event("offer_signed", "2025-06-30", tier=2),
        ],
    )
    open_focus = case(
        employer={"name": "Tiny Co", "headcount": 1},
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    result = review_of(doc)

    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-22"]
    assert deadline_dates(result, "offer_expires") == ["2025-04-22", "2025-07-14"]
    assert deadline_dates(result, "plan_ends") == ["2025-06-07"]
    assert deadline_dates(result, "appeal_elect_by") == ["2025-06-25"]
    assert deadline_dates(result, "revoke_by") == ["2025-07-07"]
    assert deadline_dates(review_of(open_focus), "focus_review_by") == ["2025-05-02"]
    assert deadline_dates(result, "eeoc_charge") == []
    assert deadline_dates(result, "wa_wlad_suit") == []


@pytest.mark.parametrize(
    ("state", "employer", "codes"),
    [
        pytest.param(
            "WA",
            {"name": "Unknown Size Co"},
            {"eeoc_charge", "state_agency", "fmla_suit", "nlrb_charge", "osha_11c", "wa_wlad_suit"},
            id="wa-no-headcount",
        ),
        pytest.param(
            "CA",
            {"name": "Unknown Size Co"},
            {"eeoc_charge", "fmla_suit", "nlrb_charge", "osha_11c", "ca_crd_complaint"},
            id="ca-no-headcount",
        ),
        pytest.param(
            "WA",
            None,
            {"eeoc_charge", "state_agency", "fmla_suit", "nlrb_charge", "osha_11c", "wa_wlad_suit"},
            id="wa-no-employer",
        ),
    ],
)
def test_it_lists_every_claim_deadline_without_a_headcount(
    state: str, employer: dict[str, Any] | None, codes: set[str]
) -> None:
    doc = focus_case("2025-03-03", state=state, activities=EVERY_ACTIVITY)
    if employer is None:
        del doc["employer"]
    else:
        doc["employer"] = employer

    result = review_of(doc)

    assert {d.code for d in result.deadlines if d.code in CLAIM_CODES} == codes


# --- item 11: notified_on on a separation (reading 50) -----------------------------------------


def test_it_runs_only_that_separations_clocks_from_notified_on() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            event("separated", "2025-07-31", reason="layoff", notified_on="2025-07-15"),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "eeoc_charge") == ["2025-12-28", "2026-05-11"]
    assert deadline_dates(result, "state_agency") == ["2025-09-03", "2026-01-15"]
    assert deadline_dates(result, "wa_wlad_suit") == ["2028-03-03", "2028-07-15"]


def test_it_times_retaliation_from_the_separation_date_not_notified_on() -> None:
    doc = case(
        protected_activities=[activity("fmla_leave", "2025-04-01", "2025-04-30")],
        events=[event("separated", "2025-07-15", reason="layoff", notified_on="2025-05-05")],
    )

    (timing,) = findings(review_of(doc), "retaliation.timing")

    assert timing["date"] == "2025-07-15"
    assert timing["evidence"]["days"] == 76
    assert timing["severity"] == "medium"


@pytest.mark.parametrize(
    ("notified_on", "separated_on", "adjacent"),
    [
        # Told during the leave, separated 46 days after the return: not adjacent.
        pytest.param("2025-06-15", "2025-08-15", False, id="told-during-leave-separated-later"),
        # Told before the leave, separated 15 days after the return: adjacent.
        pytest.param("2025-03-01", "2025-07-15", True, id="told-before-leave-separated-soon"),
    ],
)
def test_it_judges_leave_adjacency_by_the_separation_date_not_notified_on(
    notified_on: str, separated_on: str, adjacent: bool
) -> None:
    doc = case(
        protected_activities=[activity("fmla_leave", "2025-04-01", "2025-06-30")],
        events=[
            event("separated", separated_on, reason="layoff", notified_on=notified_on),
        ],
    )

    assert bool(findings(review_of(doc), "leave.adjacent")) is adjacent


def test_it_notices_an_undisclosed_focus_at_the_separations_own_date() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("separated", "2025-05-30", reason="layoff", notified_on="2025-05-01"),
        ],
    )

    result = review_of(doc)

    # The separation runs from 2025-05-01; the Focus, noticed at the separation, from 2025-05-30.
    assert deadline_dates(result, "eeoc_charge") == ["2026-02-25", "2026-03-26"]
    assert deadline_dates(result, "state_agency") == ["2025-11-01", "2025-11-30"]
    assert deadline_dates(result, "wa_wlad_suit") == ["2028-05-01", "2028-05-30"]


def test_it_runs_the_new_deadlines_of_a_focus_noticed_at_a_separation_from_its_own_date() -> None:
    doc = case(
        protected_activities=EVERY_ACTIVITY,
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("separated", "2025-05-30", reason="layoff", notified_on="2025-05-01"),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "fmla_suit") == ["2027-05-01", "2027-05-30"]
    assert deadline_dates(result, "osha_11c") == ["2025-05-31", "2025-06-29"]
    assert deadline_dates(result, "nlrb_charge") == ["2025-11-01", "2025-11-30"]


def test_it_leaves_out_a_separation_after_as_of_even_when_notified_before() -> None:
    doc = case(
        events=[event("separated", "2025-07-31", reason="layoff", notified_on="2025-07-15")],
    )

    result = review_of(doc, as_of="2025-07-20")

    assert deadline_dates(result, "eeoc_charge") == []
    assert result.stage == "good_standing"


def test_it_refuses_notified_on_after_the_separation() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            event("separated", "2025-05-30", reason="layoff", notified_on="2025-05-31"),
        ],
    )

    with pytest.raises(MalformedCaseFile) as refused:
        load(doc)

    (problem,) = refused.value.problems
    assert "events[1].notified_on" in problem


def test_it_reports_a_notified_on_that_is_not_a_date_once() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            event("separated", "2025-05-30", reason="layoff", notified_on="2025-02-30"),
        ],
    )

    with pytest.raises(MalformedCaseFile) as refused:
        load(doc)

    (problem,) = refused.value.problems
    assert "events[1].notified_on" in problem
    assert "not a date" in problem


def test_it_refuses_notified_on_on_an_event_other_than_a_separation() -> None:
    doc = case(
        events=[event("focus_started", "2025-03-03", disclosed=True, notified_on="2025-03-01")],
    )

    with pytest.raises(MalformedCaseFile) as refused:
        load(doc)

    (problem,) = refused.value.problems
    assert "events[0]" in problem
    assert "notified_on" in problem


@pytest.mark.parametrize(
    ("notified_on", "eeoc"),
    [
        pytest.param("2025-05-30", "2026-03-26", id="on-the-separation-day"),
        pytest.param("2025-05-29", "2026-03-25", id="the-day-before"),
        pytest.param("2025-01-02", "2025-10-29", id="before-earlier-events"),
    ],
)
def test_it_accepts_notified_on_on_or_before_the_separation(notified_on: str, eeoc: str) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            event("separated", "2025-05-30", reason="layoff", notified_on=notified_on),
        ],
    )

    assert load(doc).file is not None
    assert eeoc in deadline_dates(review_of(doc), "eeoc_charge")


# --- section 5: settled deadlines (readings 58-62) --------------------------------------------

FOCUS = event("focus_started", "2025-03-03", disclosed=True)


def _review_events(*events: dict[str, Any], policy: str = "amazon-pivot") -> Review:
    return review_of(case(policy=policy, events=list(events)))


# offer_expires


@pytest.mark.parametrize(
    ("after", "is_settled"),
    [
        pytest.param([], False, id="open"),
        pytest.param([event("offer_signed", "2025-04-10", tier=1)], True, id="signed"),
        pytest.param(
            [
                event("offer_signed", "2025-04-10", tier=1),
                event("offer_revoked", "2025-04-12", tier=1),
            ],
            False,
            id="signed-then-revoked",
        ),
        pytest.param([event("separated", "2025-04-15", reason="layoff")], True, id="separated"),
        pytest.param(
            [event("option_chosen", "2025-04-03", option="plan")], False, id="plan-chosen"
        ),
    ],
)
def test_it_settles_an_offer_expiry_when_that_offer_is_signed_or_the_case_separates(
    after: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(FOCUS, pivot("2025-04-01"), *after)

    assert settled(result, "offer_expires") == [("2025-04-22", is_settled)]


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_it_settles_an_offer_expiry_when_a_later_offer_of_any_tier_is_made(tier: int) -> None:
    later = offer(tier, 40000, consideration_days=30, negotiated=True)
    result = _review_events(
        FOCUS, pivot("2025-04-01"), event("offer_made", "2025-04-05", offer=later)
    )

    assert settled(result, "offer_expires") == [("2025-04-22", True), ("2025-05-05", False)]


def test_it_settles_each_offer_expiry_but_the_latest_offers() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("option_chosen", "2025-04-03", option="plan"),
        event("plan_failed", "2025-06-20"),
        event("offer_made", "2025-06-23", offer=offer(2, 10000, consideration_days=21)),
        event("offer_made", "2025-06-30", offer=offer(3, 12000, consideration_days=30)),
    )

    assert settled(result, "offer_expires") == [
        ("2025-04-22", True),
        ("2025-07-14", True),
        ("2025-07-30", False),
    ]


@pytest.mark.parametrize("offered_on", ["2025-07-01", "2025-07-10"])
def test_it_does_not_settle_an_offer_made_after_the_exit_by_that_exit(offered_on: str) -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("option_chosen", "2025-04-03", option="plan"),
        event("plan_failed", "2025-06-20"),
        event("separated", "2025-07-01", reason="termination_performance"),
        event("offer_made", offered_on, offer=offer(2, 10000, consideration_days=21)),
    )

    expires = settled(result, "offer_expires")

    assert expires[0] == ("2025-04-22", True)
    assert expires[1][1] is False
    assert len(expires) == 2


def test_it_does_not_settle_a_later_offer_by_signing_an_earlier_one() -> None:
    negotiated = offer(2, 40000, consideration_days=30, negotiated=True)
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("offer_made", "2025-04-05", offer=negotiated),
        event("offer_signed", "2025-04-10", tier=1),
    )

    # The Pivot offer is signed (and followed by a later offer); the tier-2 offer is neither.
    assert settled(result, "offer_expires") == [("2025-04-22", True), ("2025-05-05", False)]


# pivot_decide_by


@pytest.mark.parametrize(
    ("after", "is_settled"),
    [
        pytest.param([], False, id="open"),
        pytest.param([event("option_chosen", "2025-04-03", option="plan")], True, id="plan"),
        pytest.param(
            [event("option_chosen", "2025-04-03", option="severance")], True, id="severance"
        ),
        pytest.param([event("offer_signed", "2025-04-10", tier=1)], True, id="signed"),
        pytest.param(
            [
                event("offer_signed", "2025-04-10", tier=1),
                event("offer_revoked", "2025-04-12", tier=1),
            ],
            False,
            id="signed-then-revoked",
        ),
        pytest.param(
            [
                event("option_chosen", "2025-04-03", option="severance"),
                event("offer_signed", "2025-04-05", tier=1),
                event("offer_revoked", "2025-04-08", tier=1),
            ],
            False,
            id="severance-chosen-signed-then-revoked",
        ),
        pytest.param([event("separated", "2025-04-15", reason="layoff")], True, id="separated"),
        pytest.param(
            [event("separated", "2025-04-01", reason="layoff")], True, id="separated-same-day"
        ),
    ],
)
def test_it_settles_pivot_decide_by_when_the_choice_is_made_or_can_no_longer_be(
    after: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(FOCUS, pivot("2025-04-01"), *after)

    assert settled(result, "pivot_decide_by") == [("2025-04-22", is_settled)]


def test_it_does_not_settle_pivot_decide_by_by_a_separation_recorded_before_the_pivot() -> None:
    result = _review_events(
        FOCUS, event("separated", "2025-04-01", reason="layoff"), pivot("2025-04-01")
    )

    assert settled(result, "pivot_decide_by") == [("2025-04-22", False)]


@pytest.mark.parametrize(
    ("chosen_on", "expected"),
    [
        pytest.param(
            "2025-04-12", [("2025-04-20", True), ("2025-05-01", False)], id="after-the-later-pivot"
        ),
        pytest.param(
            "2025-04-05", [("2025-04-20", False), ("2025-05-01", True)], id="before-the-later-pivot"
        ),
    ],
)
def test_it_gives_a_choice_to_the_latest_pivot_before_it(
    chosen_on: str, expected: list[tuple[str, bool]]
) -> None:
    choice = event("option_chosen", chosen_on, option="plan")
    first = pivot("2025-04-01", decision_days=30)
    second = pivot("2025-04-10", decision_days=10)
    ordered = [first, choice, second] if chosen_on < "2025-04-10" else [first, second, choice]

    result = _review_events(FOCUS, *ordered)

    assert settled(result, "pivot_decide_by") == expected


def test_it_does_not_settle_pivot_decide_by_by_a_choice_recorded_before_the_pivot() -> None:
    result = _review_events(
        FOCUS, event("option_chosen", "2025-04-01", option="plan"), pivot("2025-04-01")
    )

    assert settled(result, "pivot_decide_by") == [("2025-04-22", False)]


def test_it_settles_pivot_decide_by_by_signing_that_pivot_offer_only() -> None:
    # Reading 58: "a standing signing of that Pivot offer"; the signing here is of the
    # negotiated offer made after it (section 8 item 1), which is not the Pivot offer.
    negotiated = offer(1, 40000, consideration_days=30, negotiated=True)
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("offer_made", "2025-04-05", offer=negotiated),
        event("offer_signed", "2025-04-10", tier=1),
    )

    assert settled(result, "pivot_decide_by") == [("2025-04-22", False)]
    assert settled(result, "offer_expires") == [("2025-04-22", True), ("2025-05-05", True)]


def test_it_gives_a_signing_to_the_latest_pivots_offer() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01", decision_days=30),
        pivot("2025-04-10", decision_days=10),
        event("offer_signed", "2025-04-12", tier=1),
    )

    assert settled(result, "pivot_decide_by") == [("2025-04-20", True), ("2025-05-01", False)]


# appeal_elect_by

_FAILED = [
    FOCUS,
    pivot("2025-04-01"),
    event("option_chosen", "2025-04-03", option="plan"),
]


@pytest.mark.parametrize(
    ("after", "is_settled"),
    [
        pytest.param([], False, id="open"),
        pytest.param([event("appeal_elected", "2025-06-23")], True, id="elected"),
        pytest.param(
            [event("separated", "2025-06-24", reason="termination_performance")],
            True,
            id="separated",
        ),
        pytest.param([event("offer_made", "2025-06-23", offer=offer(2, 10000))], False, id="offer"),
    ],
)
def test_it_settles_appeal_elect_by_when_an_appeal_is_elected_or_the_case_separates(
    after: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(*_FAILED, event("plan_failed", "2025-06-20", appeal_days=3), *after)

    assert settled(result, "appeal_elect_by") == [("2025-06-25", is_settled)]


def test_it_does_not_settle_appeal_elect_by_by_a_separation_recorded_before_the_failure() -> None:
    result = _review_events(
        *_FAILED,
        event("separated", "2025-06-20", reason="termination_performance"),
        event("plan_failed", "2025-06-20", appeal_days=3),
    )

    assert settled(result, "appeal_elect_by") == [("2025-06-25", False)]


def test_it_does_not_settle_a_later_failures_appeal_by_an_earlier_election() -> None:
    result = _review_events(
        *_FAILED,
        event("plan_failed", "2025-06-20", appeal_days=3),
        event("appeal_elected", "2025-06-23"),
        event("appeal_decided", "2025-07-10", outcome="overturned"),
        event("focus_started", "2025-08-01", disclosed=True),
        pivot("2025-09-01"),
        event("option_chosen", "2025-09-03", option="plan"),
        event("plan_failed", "2025-11-17", appeal_days=3),
    )

    assert settled(result, "appeal_elect_by") == [("2025-06-25", True), ("2025-11-20", False)]


def test_it_settles_appeal_elect_by_by_appeal_elected_only() -> None:
    # Reading 60: "an appeal is elected" is an appeal_elected after the failure.
    result = _review_events(
        *_FAILED,
        event("plan_failed", "2025-06-20", appeal_days=3),
        event("option_chosen", "2025-06-23", option="appeal"),
    )

    assert settled(result, "appeal_elect_by") == [("2025-06-25", False)]


def test_it_settles_an_earlier_failures_appeal_elect_by_by_any_later_election() -> None:
    result = _review_events(
        *_FAILED,
        event("plan_failed", "2025-06-20", appeal_days=3),
        event("focus_started", "2025-08-01", disclosed=True),
        pivot("2025-09-01"),
        event("option_chosen", "2025-09-03", option="plan"),
        event("plan_failed", "2025-11-17", appeal_days=3),
        event("appeal_elected", "2025-11-18"),
    )

    assert settled(result, "appeal_elect_by") == [("2025-06-25", True), ("2025-11-20", True)]


# revoke_by


@pytest.mark.parametrize(
    ("after", "is_settled"),
    [
        pytest.param([], False, id="standing"),
        pytest.param([event("offer_revoked", "2025-04-12", tier=1)], True, id="revoked"),
        pytest.param(
            [event("separated", "2025-04-15", reason="resignation_with_severance")],
            False,
            id="separated",
        ),
    ],
)
def test_it_settles_revoke_by_only_by_its_revocation(
    after: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(
        FOCUS, pivot("2025-04-01"), event("offer_signed", "2025-04-10", tier=1), *after
    )

    assert settled(result, "revoke_by") == [("2025-04-17", is_settled)]


def test_it_settles_the_revoke_by_of_the_signing_revoked_not_of_a_later_one() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("offer_signed", "2025-04-05", tier=1),
        event("offer_revoked", "2025-04-08", tier=1),
        event("offer_signed", "2025-04-10", tier=1),
    )

    assert settled(result, "revoke_by") == [("2025-04-12", True), ("2025-04-17", False)]


def test_it_settles_revoke_by_by_a_revocation_after_the_separation() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("offer_signed", "2025-04-10", tier=1),
        event("separated", "2025-04-11", reason="resignation_with_severance"),
        event("offer_revoked", "2025-04-12", tier=1),
    )

    assert settled(result, "revoke_by") == [("2025-04-17", True)]


def test_it_does_not_settle_revoke_by_by_revoking_another_tier() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("offer_signed", "2025-04-10", tier=1),
        event("offer_revoked", "2025-04-12", tier=2),
    )

    assert settled(result, "revoke_by") == [("2025-04-17", False)]


# plan_ends


@pytest.mark.parametrize(
    ("after", "is_settled"),
    [
        pytest.param([], False, id="open"),
        pytest.param([event("plan_passed", "2025-06-07")], True, id="passed"),
        pytest.param([event("plan_failed", "2025-06-09")], True, id="failed"),
        pytest.param([event("separated", "2025-05-15", reason="layoff")], True, id="separated"),
        pytest.param([event("checkin", "2025-05-01", held=True)], False, id="checkin"),
        pytest.param(
            [event("plan_extended", "2025-06-01", end="2025-06-21")], False, id="extended"
        ),
    ],
)
def test_it_settles_a_pivot_plans_end_when_the_plan_closes_or_the_case_separates(
    after: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(
        FOCUS, pivot("2025-04-01"), event("option_chosen", "2025-04-03", option="plan"), *after
    )

    (entry,) = settled(result, "plan_ends")
    assert entry[1] is is_settled


@pytest.mark.parametrize(
    ("events", "is_settled"),
    [
        pytest.param(
            [
                event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
                event("separated", "2025-04-01", reason="layoff"),
            ],
            True,
            id="separated-the-same-day-after",
        ),
        pytest.param(
            [
                event("separated", "2025-04-01", reason="layoff"),
                event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            ],
            False,
            id="separated-the-same-day-before",
        ),
        pytest.param(
            [
                event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
                event("plan_failed", "2025-06-30"),
            ],
            True,
            id="failed",
        ),
    ],
)
def test_it_settles_a_plans_end_by_what_comes_after_the_plan_started(
    events: list[dict[str, Any]], is_settled: bool
) -> None:
    result = _review_events(*events, policy="standard-pip")

    assert settled(result, "plan_ends") == [("2025-06-30", is_settled)]


def test_it_leaves_a_plan_closed_by_a_new_plan_unsettled() -> None:
    first = event("plan_started", "2025-01-06", plan=plan("2025-01-06", "2025-03-07"))
    second = event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30"))

    open_result = _review_events(first, second, policy="standard-pip")
    separated_result = _review_events(
        first, second, event("separated", "2025-07-15", reason="layoff"), policy="standard-pip"
    )

    assert settled(open_result, "plan_ends") == [("2025-03-07", False), ("2025-06-30", False)]
    assert settled(separated_result, "plan_ends") == [("2025-03-07", True), ("2025-06-30", True)]


def test_it_leaves_a_plan_closed_by_a_new_pivot_unsettled() -> None:
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("option_chosen", "2025-04-03", option="plan"),
        pivot("2025-05-01"),
        event("option_chosen", "2025-05-03", option="plan"),
    )

    assert settled(result, "plan_ends") == [("2025-06-07", False), ("2025-07-07", False)]


def test_it_settles_only_the_plan_a_failure_closes() -> None:
    result = _review_events(
        event("plan_started", "2025-01-06", plan=plan("2025-01-06", "2025-03-07")),
        event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
        event("plan_failed", "2025-06-30"),
        policy="standard-pip",
    )

    assert settled(result, "plan_ends") == [("2025-03-07", False), ("2025-06-30", True)]


def test_it_settles_a_pivot_plan_by_a_separation_after_the_pivot_that_set_it_out() -> None:
    # Reading 58: "a separation after the event that set the plan out (... the Pivot offer
    # for a Pivot plan)"; here the plan is taken up, out of order, after the separation.
    result = _review_events(
        FOCUS,
        pivot("2025-04-01"),
        event("separated", "2025-04-02", reason="layoff"),
        event("option_chosen", "2025-04-03", option="plan"),
    )

    assert settled(result, "plan_ends") == [("2025-06-07", True)]


# focus_review_by, claim deadlines and passed


def test_it_never_settles_focus_review_by_even_once_passed() -> None:
    result = review_of(case(events=[FOCUS]), as_of="2025-06-01")

    (deadline,) = [d for d in result.deadlines if d.code == "focus_review_by"]

    assert (deadline.passed, deadline.settled) == (True, False)


def test_it_never_settles_a_claim_deadline() -> None:
    doc = case(
        protected_activities=EVERY_ACTIVITY,
        events=[
            FOCUS,
            pivot("2025-04-01", clauses=["release_of_claims", "confidentiality"]),
            event("option_chosen", "2025-04-03", option="severance"),
            event("offer_signed", "2025-04-05", tier=1),
            event("separated", "2025-04-30", reason="resignation_with_severance"),
        ],
    )

    result = review_of(doc)
    claims = [d for d in result.deadlines if d.code in CLAIM_CODES]

    assert {d.code for d in claims} == {
        "eeoc_charge",
        "state_agency",
        "fmla_suit",
        "nlrb_charge",
        "osha_11c",
        "wa_wlad_suit",
    }
    assert not any(d.settled for d in claims)
    assert settled(result, "pivot_decide_by") == [("2025-04-22", True)]


def test_it_never_settles_ca_crd_complaint() -> None:
    doc = case(
        employee={"work_state": "CA"},
        events=[FOCUS, event("separated", "2025-04-30", reason="layoff")],
    )

    result = review_of(doc)

    assert settled(result, "ca_crd_complaint") == [("2028-03-03", False), ("2028-04-30", False)]


@pytest.mark.parametrize(
    ("chosen_on", "as_of", "passed", "is_settled"),
    [
        pytest.param(None, "2025-05-01", True, False, id="passed-never-decided"),
        pytest.param("2025-04-03", "2025-04-10", False, True, id="decided-before-the-date"),
        pytest.param("2025-04-03", "2025-05-01", True, True, id="decided-and-passed"),
        pytest.param(None, "2025-04-10", False, False, id="open"),
    ],
)
def test_it_keeps_settled_apart_from_passed(
    chosen_on: str | None, as_of: str, passed: bool, is_settled: bool
) -> None:
    after = [event("option_chosen", chosen_on, option="plan")] if chosen_on else []
    result = review_of(case(events=[FOCUS, pivot("2025-04-01"), *after]), as_of=as_of)

    (deadline,) = [d for d in result.deadlines if d.code == "pivot_decide_by"]

    assert (deadline.passed, deadline.settled) == (passed, is_settled)


@pytest.mark.parametrize(
    ("as_of", "is_settled"),
    [("2025-04-02", False), ("2025-04-03", True)],
)
def test_it_reads_a_choice_as_the_case_stood_at_as_of(as_of: str, is_settled: bool) -> None:
    doc = case(
        events=[FOCUS, pivot("2025-04-01"), event("option_chosen", "2025-04-03", option="plan")]
    )

    assert settled(review_of(doc, as_of=as_of), "pivot_decide_by") == [("2025-04-22", is_settled)]


@pytest.mark.parametrize(
    ("as_of", "is_settled"),
    [("2025-04-11", True), ("2025-04-12", False)],
)
def test_it_counts_a_signing_until_the_revocation_as_of_dates(as_of: str, is_settled: bool) -> None:
    doc = case(
        events=[
            FOCUS,
            pivot("2025-04-01"),
            event("offer_signed", "2025-04-10", tier=1),
            event("offer_revoked", "2025-04-12", tier=1),
        ]
    )

    result = review_of(doc, as_of=as_of)

    assert settled(result, "offer_expires") == [("2025-04-22", is_settled)]
    assert settled(result, "pivot_decide_by") == [("2025-04-22", is_settled)]
    assert settled(result, "revoke_by") == [("2025-04-17", not is_settled)]


def test_it_writes_settled_into_each_deadlines_json_and_the_notice_last() -> None:
    result = _review_events(
        FOCUS, pivot("2025-04-01"), event("option_chosen", "2025-04-03", option="plan")
    )

    document = result.to_json()
    decide_by = [d for d in document["deadlines"] if d["code"] == "pivot_decide_by"]

    assert decide_by == [
        {
            "code": "pivot_decide_by",
            "date": "2025-04-22",
            "passed": True,
            "settled": True,
            "basis": decide_by[0]["basis"],
        }
    ]
    assert all(isinstance(d["settled"], bool) for d in document["deadlines"])
    assert list(document)[-1] == "notice"
    assert document["notice"] == review_of(case()).to_json()["notice"]
    assert json.loads(json.dumps(document)) == document


# --- item 14: dates far ahead (readings 68-69) ------------------------------------------------

END_OF_CALENDAR = date(9999, 12, 31)


def _far_pivot(
    on: str, *, decision_days: int = 21, consideration_days: int = 21, start: str, end: str
) -> dict[str, Any]:
    return event(
        "pivot_offered",
        on,
        by=MANAGER,
        decision_days=decision_days,
        offer=offer(consideration_days=consideration_days),
        plan=plan(start, end),
    )


EQUITY = {
    "equity": [{"grant": "G-1", "vests": [{"date": "2025-06-01", "shares": 100}]}],
    "share_price": 100.0,
}


def test_it_lists_a_plan_ending_late_in_the_last_year() -> None:
    doc = case(
        policy="standard-pip",
        events=[event("plan_started", "2025-04-01", plan=plan("2025-04-01", "9999-12-20"))],
    )

    assert deadline_dates(review_of(doc), "plan_ends") == ["9999-12-20"]


def test_it_gives_no_expiry_to_an_offer_with_more_days_than_the_calendar_holds() -> None:
    doc = case(events=[FOCUS, pivot("2025-04-01", consideration_days=10**12)])

    result = review_of(doc)

    assert deadline_dates(result, "offer_expires") == []
    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-22"]


@pytest.mark.parametrize(
    ("decision_days", "decide_by"),
    [
        pytest.param(2912717, END_OF_CALENDAR, id="to-9999-12-31"),
        pytest.param(2912718, None, id="one-day-past"),
        pytest.param(10**12, None, id="ten-to-the-twelve"),
    ],
)
def test_it_drops_a_pivot_decide_by_past_the_end_of_the_calendar(
    decision_days: int, decide_by: date | None
) -> None:
    doc = case(**EQUITY, events=[FOCUS, pivot("2025-04-01", decision_days=decision_days)])

    result = review_of(doc)
    (severance,) = [o for o in result.options if o.option == "severance"]

    assert deadline_dates(result, "pivot_decide_by") == (
        [decide_by.isoformat()] if decide_by else []
    )
    assert severance.decide_by == decide_by
    assert severance.equity_forfeited == 0.0
    assert [o.option for o in result.options] == ["severance", "plan"]


def test_it_counts_equity_forfeited_by_a_severance_decided_within_the_calendar() -> None:
    doc = case(**EQUITY, events=[FOCUS, pivot("2025-04-01")])

    (severance,) = [o for o in review_of(doc).options if o.option == "severance"]

    assert severance.decide_by == date(2025, 4, 22)
    assert severance.equity_forfeited == 10000.0


@pytest.mark.parametrize(
    ("days", "listed"),
    [(1, ["9999-12-31"]), (2, []), (21, [])],
)
def test_it_lists_an_offer_on_9999_12_30_only_while_its_window_ends_in_the_calendar(
    days: int, listed: list[str]
) -> None:
    doc = case(
        as_of="9999-12-31",
        events=[
            event("focus_started", "9999-12-01", disclosed=True),
            _far_pivot(
                "9999-12-30",
                decision_days=days,
                consideration_days=days,
                start="9999-12-30",
                end="9999-12-31",
            ),
        ],
    )

    result = review_of(doc)
    (severance,) = [o for o in result.options if o.option == "severance"]

    assert deadline_dates(result, "offer_expires") == listed
    assert deadline_dates(result, "pivot_decide_by") == listed
    assert severance.decide_by == (END_OF_CALENDAR if listed else None)
    assert all(d.date <= END_OF_CALENDAR for d in result.deadlines)


def test_it_drops_claim_deadlines_past_the_end_of_the_calendar() -> None:
    doc = case(
        as_of="9999-12-31",
        protected_activities=[activity("safety_complaint", "9999-05-03")],
        events=[event("focus_started", "9999-06-01", disclosed=True)],
    )

    result = review_of(doc)

    assert deadline_dates(result, "state_agency") == ["9999-12-01"]
    assert deadline_dates(result, "osha_11c") == ["9999-07-01"]
    assert deadline_dates(result, "focus_review_by") == ["9999-07-31"]
    assert deadline_dates(result, "eeoc_charge") == []
    assert deadline_dates(result, "wa_wlad_suit") == []


@pytest.mark.parametrize(
    ("step", "listed"),
    [("9997-12-31", ["9999-12-31"]), ("9998-01-01", [])],
)
def test_it_lists_fmla_suit_up_to_9999_12_31(step: str, listed: list[str]) -> None:
    doc = focus_case(
        step,
        activities=[activity("fmla_leave", "9997-12-01", "9997-12-15")],
        as_of="9999-12-31",
    )

    assert deadline_dates(review_of(doc), "fmla_suit") == listed


@pytest.mark.parametrize(
    ("failed_on", "decide_by"),
    [
        pytest.param("9999-12-29", date(9999, 12, 30), id="wednesday-to-thursday"),
        # 9999-12-31 is a Friday and the observed New Year's Day of year 10000 (reading 69).
        pytest.param("9999-12-30", None, id="thursday-past-the-calendar"),
    ],
)
def test_it_lists_the_appeal_option_with_no_decide_by_when_its_window_closes_past_the_calendar(
    failed_on: str, decide_by: date | None
) -> None:
    doc = case(
        as_of=failed_on,
        events=[
            event("focus_started", "9999-09-01", disclosed=True),
            _far_pivot("9999-10-01", start="9999-10-08", end="9999-12-07"),
            event("option_chosen", "9999-10-05", option="plan"),
            event("plan_failed", failed_on, appeal_days=1),
        ],
    )

    result = review_of(doc)
    (appeal,) = [o for o in result.options if o.option == "appeal"]

    assert result.stage == "plan_failed"
    assert appeal.decide_by == decide_by
    assert deadline_dates(result, "appeal_elect_by") == (
        [decide_by.isoformat()] if decide_by else []
    )


def _far_cases() -> dict[str, dict[str, Any]]:
    return {
        "plan-ending-9999-12-20": case(
            policy="standard-pip",
            **EQUITY,
            events=[event("plan_started", "2025-04-01", plan=plan("2025-04-01", "9999-12-20"))],
        ),
        "consideration-days-10-to-the-12": case(
            **EQUITY,
            events=[
                FOCUS,
                pivot("2025-04-01", consideration_days=10**12, decision_days=10**12),
            ],
        ),
        "offer-on-9999-12-30": case(
            as_of="9999-12-31",
            **EQUITY,
            events=[
                event("focus_started", "9999-12-01", disclosed=True),
                _far_pivot("9999-12-30", start="9999-12-30", end="9999-12-31"),
            ],
        ),
        "offer-made-9999-12-30": case(
            as_of="9999-12-31",
            employee={"work_state": "CA"},
            protected_activities=EVERY_ACTIVITY,
            events=[
                event("focus_started", "9999-09-01", disclosed=True),
                _far_pivot("9999-10-01", start="9999-10-08", end="9999-12-07"),
                event("option_chosen", "9999-10-05", option="plan"),
                event("plan_failed", "9999-12-08"),
                event(
                    "offer_made",
                    "9999-12-30",
                    offer=offer(
                        2,
                        10000,
                        consideration_days=3,
                        revocation_days=10**12,
                        clauses=["release_of_claims", "confidentiality"],
                    ),
                ),
                event("offer_signed", "9999-12-31", tier=2),
            ],
        ),
        "appeal-window-past-the-calendar": case(
            as_of="9999-12-31",
            events=[
                event("focus_started", "9999-09-01", disclosed=True),
                _far_pivot("9999-10-01", start="9999-10-08", end="9999-12-07"),
                event("option_chosen", "9999-10-05", option="plan"),
                event("plan_failed", "9999-12-30", appeal_days=10**12),
            ],
        ),
        "separated-9999-12-31": case(
            as_of="9999-12-31",
            bonuses=[{"date": "9999-12-31", "amount": 5000}],
            protected_activities=EVERY_ACTIVITY,
            events=[
                event("focus_started", "9999-12-01", disclosed=True),
                event("separated", "9999-12-31", reason="layoff", notified_on="9999-12-31"),
            ],
        ),
    }


@pytest.mark.parametrize("name", list(_far_cases()))
def test_it_reviews_a_case_with_dates_far_ahead_without_failing(name: str) -> None:
    result = review_of(_far_cases()[name])

    assert all(d.date <= END_OF_CALENDAR for d in result.deadlines)
    assert all(o.decide_by is None or o.decide_by <= END_OF_CALENDAR for o in result.options)
    assert json.loads(json.dumps(result.to_json()))["format"] == "fairpivot.review/1"


def _run_review(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "fairpivot", "review", str(path), *flags],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("name", list(_far_cases()))
def test_it_runs_the_review_command_on_a_case_with_dates_far_ahead(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(_far_cases()[name]))

    as_json = _run_review(path, "--json")
    for_a_person = _run_review(path)

    assert as_json.returncode == 0, as_json.stderr
    assert "Traceback" not in as_json.stderr + as_json.stdout
    assert list(json.loads(as_json.stdout))[-1] == "notice"
    assert for_a_person.returncode == 0, for_a_person.stderr
    assert "Traceback" not in for_a_person.stderr + for_a_person.stdout
