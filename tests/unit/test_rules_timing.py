"""The timing rules: ``retaliation.timing``, ``retaliation.no_prior_concern``, ``leave.adjacent``.

Most cases put one adverse step, Focus, on ``STEP`` (2025-07-01) and move a protected
activity around it. Days before STEP: 2025-06-21 is 10, 2025-06-01 is 30, 2025-05-31 is 31,
2025-04-02 is 90, 2025-04-01 is 91, 2025-01-02 is 180 and 2025-01-01 is 181.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from fairpivot.domain.policy import Policy
from fairpivot.domain.policy.load import parse_policy
from fairpivot.domain.review import Review, review
from tests.builders import (
    EMPLOYEE,
    HR,
    MANAGER,
    case,
    codes,
    event,
    findings,
    load,
    pivot,
    plan,
    review_of,
)

STEP = "2025-07-01"
FOCUS = event("focus_started", STEP, by=MANAGER, disclosed=True)
COMPLAINT = "discrimination_complaint"
FMLA = "fmla_leave"
TIMING = "retaliation.timing"
NO_PRIOR = "retaliation.no_prior_concern"
LEAVE = "leave.adjacent"


def amazon_pivot_with(old: str, new: str) -> Policy:
    """The shipped amazon-pivot policy with one line of its TOML replaced."""
    text = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()
    assert old in text
    return parse_policy(text.replace(old, new), source="changed.toml")


# retaliation.timing: each threshold on both sides


@pytest.mark.parametrize(
    ("activity_on", "days", "severity"),
    [
        (STEP, 0, "high"),
        ("2025-06-02", 29, "high"),
        ("2025-06-01", 30, "high"),
        ("2025-05-31", 31, "medium"),
        ("2025-04-03", 89, "medium"),
        ("2025-04-02", 90, "medium"),
        ("2025-04-01", 91, "low"),
        ("2025-01-03", 179, "low"),
        ("2025-01-02", 180, "low"),
    ],
)
def test_it_grades_timing_by_the_days_since_the_activity(
    activity_on: str, days: int, severity: str
) -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": activity_on, "kind": COMPLAINT}])
    [found] = findings(review_of(doc), TIMING)
    assert found["severity"] == severity
    assert found["date"] == STEP
    assert found["evidence"]["days"] == days
    assert found["evidence"]["activity_date"] == activity_on
    assert found["evidence"]["step"] == "focus_started"


def test_it_raises_no_timing_finding_181_days_after_the_activity() -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": "2025-01-01", "kind": COMPLAINT}])
    assert TIMING not in codes(review_of(doc))


def test_it_states_the_thresholds_it_used_in_the_evidence() -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": "2025-06-01", "kind": COMPLAINT}])
    [found] = findings(review_of(doc), TIMING)
    evidence = found["evidence"]
    assert (evidence["high_days"], evidence["medium_days"], evidence["low_days"]) == (30, 90, 180)


def test_it_ignores_an_activity_dated_after_the_step() -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": "2025-07-02", "kind": COMPLAINT}])
    assert TIMING not in codes(review_of(doc))


def test_it_ignores_a_later_activity_even_when_it_is_closer_than_an_earlier_one() -> None:
    activities = [
        {"date": "2025-07-02", "kind": COMPLAINT},
        {"date": "2025-04-02", "kind": COMPLAINT},
    ]
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=activities)), TIMING)
    assert found["evidence"]["activity_date"] == "2025-04-02"
    assert found["severity"] == "medium"


def test_it_times_the_step_from_the_nearest_of_several_activities() -> None:
    activities = [
        {"date": "2025-01-10", "kind": COMPLAINT},
        {"date": "2025-06-21", "kind": "wage_complaint"},
        {"date": "2025-04-02", "kind": COMPLAINT},
    ]
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=activities)), TIMING)
    assert found["evidence"]["activity"] == "wage_complaint"
    assert found["evidence"]["activity_date"] == "2025-06-21"
    assert found["evidence"]["days"] == 10
    assert found["severity"] == "high"


def test_it_takes_the_nearest_activity_even_when_a_farther_one_would_grade_higher() -> None:
    # The spec picks the nearest activity; who knew only lowers that activity's grade.
    activities = [
        {"date": "2025-06-11", "kind": COMPLAINT, "known_to": [MANAGER]},
        {"date": "2025-06-21", "kind": COMPLAINT, "known_to": [HR]},
    ]
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=activities)), TIMING)
    assert found["evidence"]["activity_date"] == "2025-06-21"
    assert found["severity"] == "medium"


def test_it_raises_one_timing_finding_at_the_higher_grade_when_two_are_equally_near() -> None:
    activities = [
        {"date": "2025-06-21", "kind": COMPLAINT, "known_to": []},
        {"date": "2025-06-21", "kind": "harassment_complaint"},
    ]
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=activities)), TIMING)
    assert found["severity"] == "high"
    assert found["evidence"]["activity"] == "harassment_complaint"


def test_it_raises_one_timing_finding_per_adverse_step() -> None:
    events = [
        event("focus_started", "2025-03-01", by=MANAGER, disclosed=True),
        pivot("2025-05-01"),
        event("plan_failed", "2025-07-01", by=MANAGER),
        event("separated", "2025-09-01", reason="termination_performance"),
    ]
    activities = [
        {"date": "2025-02-20", "kind": COMPLAINT},
        {"date": "2025-02-25", "kind": COMPLAINT},
    ]
    found = findings(review_of(case(events=events, protected_activities=activities)), TIMING)
    # 4, 65 and 126 days after the nearer complaint; the separation is 188 days after it.
    assert [(f["date"], f["evidence"]["step"], f["severity"]) for f in found] == [
        ("2025-03-01", "focus_started", "high"),
        ("2025-05-01", "pivot_offered", "medium"),
        ("2025-07-01", "plan_failed", "low"),
    ]
    assert {f["evidence"]["activity_date"] for f in found} == {"2025-02-25"}


@pytest.mark.parametrize(
    "step",
    [
        event("focus_started", STEP, disclosed=False),
        pivot(STEP),
        event("plan_started", STEP, plan=plan(STEP, "2025-08-30")),
        event("plan_failed", STEP),
        event("appeal_decided", STEP, outcome="upheld"),
        event("separated", STEP, reason="layoff"),
    ],
    ids=lambda e: str(e["type"]),
)
def test_it_counts_every_adverse_event_as_a_step(step: dict[str, Any]) -> None:
    doc = case(events=[step], protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}])
    [found] = findings(review_of(doc), TIMING)
    assert found["evidence"]["step"] == step["type"]


@pytest.mark.parametrize(
    "other",
    [
        event("concern_documented", STEP, by=MANAGER),
        event("appeal_decided", STEP, outcome="overturned"),
        event("transferred", STEP),
        event("plan_passed", STEP),
    ],
    ids=["concern_documented", "appeal_overturned", "transferred", "plan_passed"],
)
def test_it_raises_nothing_for_an_event_that_is_not_adverse(other: dict[str, Any]) -> None:
    doc = case(events=[other], protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}])
    assert TIMING not in codes(review_of(doc))


def test_it_counts_a_lowest_scale_rating_as_an_adverse_step() -> None:
    doc = case(
        ratings=[{"date": STEP, "value": "LE"}, {"date": "2025-07-02", "value": "HV3"}],
        protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT, "known_to": [MANAGER]}],
    )
    [found] = findings(review_of(doc), TIMING)
    assert found["evidence"]["step"] == "lowest_rating"
    assert found["date"] == STEP
    # A rating has no ``by``; the employee's manager knew, so it is not lowered.
    assert found["severity"] == "high"


# retaliation.timing: leaves, timed from the return


@pytest.mark.parametrize(
    ("end", "days", "severity"),
    [
        ("2025-06-02", 29, "high"),
        ("2025-06-01", 30, "high"),
        ("2025-05-31", 31, "medium"),
        ("2025-04-02", 90, "medium"),
        ("2025-04-01", 91, "low"),
        ("2025-01-02", 180, "low"),
    ],
)
def test_it_times_a_step_after_a_leave_from_the_return(end: str, days: int, severity: str) -> None:
    leave = {"date": "2024-11-01", "kind": FMLA, "end_date": end}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), TIMING)
    assert found["severity"] == severity
    assert found["evidence"]["days"] == days
    assert found["evidence"]["seen_from"] == end
    assert found["evidence"]["activity_date"] == end


def test_it_reports_the_return_as_the_activity_date_as_the_spec_example_does() -> None:
    leave = {"date": "2025-02-03", "kind": FMLA, "end_date": "2025-03-20", "known_to": [MANAGER]}
    focus = event("focus_started", "2025-04-02", by=MANAGER, disclosed=True)
    [found] = findings(review_of(case(events=[focus], protected_activities=[leave])), TIMING)
    assert found["message"] == (
        "Focus started 13 days after the employee returned from FMLA leave,"
        " which the manager knew of."
    )
    example = {
        "activity": "fmla_leave",
        "activity_date": "2025-03-20",
        "step": "focus_started",
        "days": 13,
    }
    assert {key: found["evidence"][key] for key in example} == example


def test_it_raises_no_timing_finding_181_days_after_the_return_from_leave() -> None:
    leave = {"date": "2024-11-01", "kind": FMLA, "end_date": "2025-01-01"}
    assert TIMING not in codes(review_of(case(events=[FOCUS], protected_activities=[leave])))


LEAVES_AROUND_THE_STEP = pytest.mark.parametrize(
    "leave",
    [
        {"date": "2025-06-01", "kind": FMLA, "end_date": "2025-07-15"},
        {"date": "2025-06-01", "kind": FMLA, "end_date": STEP},
        {"date": STEP, "kind": FMLA, "end_date": "2025-07-15"},
        {"date": STEP, "kind": FMLA, "end_date": STEP},
        {"date": "2024-05-01", "kind": FMLA},
        {"date": "2025-06-01", "kind": "medical_leave", "end_date": "2025-07-15"},
    ],
    ids=[
        "during",
        "returning-on-the-step",
        "starting-on-the-step",
        "one-day-leave",
        "ongoing-no-end-date",
        "medical-leave",
    ],
)


@LEAVES_AROUND_THE_STEP
def test_it_puts_a_step_during_a_leave_at_0_days(leave: dict[str, Any]) -> None:
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), TIMING)
    assert found["evidence"]["days"] == 0
    assert found["severity"] == "high"
    # The activity's date seen from the step: the return once it is on or before the step.
    returned = leave.get("end_date") == STEP
    assert found["evidence"]["activity_date"] == (STEP if returned else leave["date"])


def test_it_times_other_activities_from_their_date_even_with_an_end_date() -> None:
    activity = {"date": "2025-01-02", "kind": COMPLAINT, "end_date": "2025-06-21"}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[activity])), TIMING)
    assert found["evidence"]["days"] == 180
    assert found["severity"] == "low"


def test_it_says_the_step_came_during_the_leave_and_the_manager_knew() -> None:
    leave = {"date": "2025-06-01", "kind": FMLA, "end_date": "2025-07-15", "known_to": [MANAGER]}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), TIMING)
    assert found["message"] == (
        "Focus started during the employee's FMLA leave, which the manager knew of."
    )


# retaliation.timing: who knew


@pytest.mark.parametrize(
    ("known_to", "by", "severity", "known"),
    [
        (None, MANAGER, "high", None),
        ([], MANAGER, "medium", False),
        ([MANAGER], None, "high", True),
        ([MANAGER], HR, "high", True),
        ([HR], HR, "high", True),
        ([HR, EMPLOYEE], MANAGER, "medium", False),
        ([HR], None, "medium", False),
    ],
    ids=[
        "absent",
        "empty",
        "the-manager",
        "the-manager-step-by-someone-else",
        "only-the-steps-by",
        "someone-else",
        "someone-else-step-without-by",
    ],
)
def test_it_lowers_timing_only_when_known_to_names_neither_manager_nor_by(
    known_to: list[str] | None, by: str | None, severity: str, known: bool | None
) -> None:
    activity: dict[str, Any] = {"date": "2025-06-21", "kind": COMPLAINT}
    if known_to is not None:
        activity["known_to"] = known_to
    focus = event("focus_started", STEP, disclosed=True, **({"by": by} if by else {}))
    [found] = findings(review_of(case(events=[focus], protected_activities=[activity])), TIMING)
    assert found["severity"] == severity
    assert found["evidence"]["known_to_manager"] is known


@pytest.mark.parametrize(
    ("activity_on", "severity"),
    [("2025-06-01", "medium"), ("2025-04-02", "low"), ("2025-01-02", "info")],
)
def test_it_lowers_each_grade_by_one_when_the_manager_is_not_shown_to_know(
    activity_on: str, severity: str
) -> None:
    activity = {"date": activity_on, "kind": COMPLAINT, "known_to": [HR]}
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[activity])), TIMING)
    assert found["severity"] == severity


def test_it_still_raises_timing_outside_the_us() -> None:
    doc = case(
        events=[FOCUS],
        protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}],
        employee={"work_state": "XX"},
    )
    [found] = findings(review_of(doc), TIMING)
    assert found["severity"] == "high"


# retaliation.no_prior_concern


@pytest.mark.parametrize(
    ("concern_on", "silenced"),
    [("2025-05-31", True), ("2025-06-01", False), ("2025-06-15", False)],
    ids=["the-day-before", "on-the-activity-date", "after"],
)
def test_it_is_silenced_only_by_a_concern_dated_before_the_activity(
    concern_on: str, silenced: bool
) -> None:
    doc = case(
        events=[event("concern_documented", concern_on, by=MANAGER), FOCUS],
        protected_activities=[{"date": "2025-06-01", "kind": COMPLAINT}],
    )
    result = review_of(doc)
    assert len(findings(result, TIMING)) == 1
    assert len(findings(result, NO_PRIOR)) == (0 if silenced else 1)


@pytest.mark.parametrize(
    ("concern_on", "silenced"),
    [("2025-02-28", True), ("2025-03-01", False), ("2025-05-01", False)],
    ids=["before-the-leave", "on-the-first-day", "during-the-leave"],
)
def test_it_wants_a_concern_before_a_leave_starts_not_before_it_ends(
    concern_on: str, silenced: bool
) -> None:
    doc = case(
        events=[event("concern_documented", concern_on, by=MANAGER), FOCUS],
        protected_activities=[{"date": "2025-03-01", "kind": FMLA, "end_date": "2025-06-21"}],
    )
    result = review_of(doc)
    assert len(findings(result, TIMING)) == 1
    found = findings(result, NO_PRIOR)
    assert [f["evidence"]["activity_date"] for f in found] == ([] if silenced else ["2025-03-01"])


@pytest.mark.parametrize(
    ("activity_on", "known_to", "severity"),
    [
        ("2025-06-01", None, "high"),
        ("2025-04-02", None, "medium"),
        ("2025-01-02", None, "low"),
        ("2025-06-01", [HR], "medium"),
        ("2025-01-02", [HR], "info"),
    ],
)
def test_it_takes_the_severity_of_its_timing_finding(
    activity_on: str, known_to: list[str] | None, severity: str
) -> None:
    activity: dict[str, Any] = {"date": activity_on, "kind": COMPLAINT}
    if known_to is not None:
        activity["known_to"] = known_to
    result = review_of(case(events=[FOCUS], protected_activities=[activity]))
    [timing] = findings(result, TIMING)
    [found] = findings(result, NO_PRIOR)
    assert timing["severity"] == found["severity"] == severity
    assert found["date"] == STEP
    assert found["evidence"]["activity_date"] == activity_on


def test_it_raises_no_prior_concern_only_where_timing_fires() -> None:
    doc = case(events=[FOCUS], protected_activities=[{"date": "2025-01-01", "kind": COMPLAINT}])
    raised = codes(review_of(doc))
    assert TIMING not in raised
    assert NO_PRIOR not in raised


@pytest.mark.parametrize(
    ("rating", "silenced"), [("LE", True), ("HV3", False)], ids=["lowest", "middle"]
)
def test_it_counts_only_a_lowest_scale_rating_as_a_documented_concern(
    rating: str, silenced: bool
) -> None:
    doc = case(
        events=[FOCUS],
        ratings=[{"date": "2024-12-01", "value": rating}],
        protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}],
    )
    assert len(findings(review_of(doc), NO_PRIOR)) == (0 if silenced else 1)


def test_it_counts_an_earlier_focus_as_a_documented_concern() -> None:
    events = [
        event("focus_started", "2024-09-02", by=MANAGER, disclosed=True),
        event("focus_removed", "2024-10-15", by=MANAGER),
        FOCUS,
    ]
    doc = case(events=events, protected_activities=[{"date": "2025-06-21", "kind": COMPLAINT}])
    raised = codes(review_of(doc))
    assert raised.count(TIMING) == 1
    assert NO_PRIOR not in raised


def test_it_checks_each_timing_finding_against_its_own_activity() -> None:
    events = [
        event("focus_started", "2025-02-01", by=MANAGER, disclosed=True),
        event("concern_documented", "2025-03-01", by=MANAGER),
        pivot(STEP),
    ]
    activities = [
        {"date": "2025-01-15", "kind": COMPLAINT},
        {"date": "2025-06-15", "kind": COMPLAINT},
    ]
    result = review_of(case(events=events, protected_activities=activities))
    assert [f["date"] for f in findings(result, TIMING)] == ["2025-02-01", STEP]
    [found] = findings(result, NO_PRIOR)
    assert found["evidence"]["step"] == "focus_started"
    assert found["evidence"]["activity_date"] == "2025-01-15"


# leave.adjacent


@pytest.mark.parametrize(
    ("end", "fires"),
    [("2025-06-02", True), ("2025-06-01", True), ("2025-05-31", False)],
    ids=["29-days", "30-days", "31-days"],
)
def test_it_flags_a_step_within_30_days_after_the_return(end: str, fires: bool) -> None:
    leave = {"date": "2025-03-01", "kind": FMLA, "end_date": end}
    found = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), LEAVE)
    assert len(found) == (1 if fires else 0)
    if fires:
        assert found[0]["severity"] == "high"
        assert found[0]["evidence"]["during_leave"] is False
        assert found[0]["evidence"]["leave_end"] == end
        assert found[0]["evidence"]["window_days"] == 30


@LEAVES_AROUND_THE_STEP
def test_it_flags_a_step_during_a_leave(leave: dict[str, Any]) -> None:
    [found] = findings(review_of(case(events=[FOCUS], protected_activities=[leave])), LEAVE)
    assert found["severity"] == "high"
    assert found["date"] == STEP
    assert found["evidence"]["activity"] == leave["kind"]
    assert found["evidence"]["leave_start"] == leave["date"]


def test_it_ignores_a_leave_that_starts_after_the_step() -> None:
    leave = {"date": "2025-07-02", "kind": FMLA, "end_date": "2025-07-20"}
    assert LEAVE not in codes(review_of(case(events=[FOCUS], protected_activities=[leave])))


def test_it_ignores_activities_that_are_not_leaves() -> None:
    activity = {"date": "2025-06-01", "kind": "ada_accommodation_request", "end_date": STEP}
    raised = codes(review_of(case(events=[FOCUS], protected_activities=[activity])))
    assert LEAVE not in raised
    assert TIMING in raised


def test_it_raises_one_leave_finding_per_adverse_step() -> None:
    events = [FOCUS, pivot("2025-07-20"), event("separated", "2025-09-15", reason="layoff")]
    leaves = [
        {"date": "2025-05-01", "kind": FMLA, "end_date": "2025-06-20"},
        {"date": "2025-06-22", "kind": "medical_leave"},
    ]
    result = review_of(case(events=events, protected_activities=leaves))
    assert [f["date"] for f in findings(result, LEAVE)] == [STEP, "2025-07-20", "2025-09-15"]


# --- employer size per law (review-v4.md item 8, readings 44-46) ---------------------

# (activity kind, work state, the smallest employer a covering law reaches): Title VII and
# the ADA 15, FEHA 5 and WLAD 8 for the discrimination kinds and medical leave; the FMLA 50,
# CFRA 5 in California for FMLA leave.
SIZE_LINES = [
    ("discrimination_complaint", "TX", 15),
    ("harassment_complaint", "NY", 15),
    ("retaliation_complaint", "XX", 15),
    ("agency_charge", "GA", 15),
    ("ada_accommodation_request", "TX", 15),
    ("medical_leave", "TX", 15),
    ("discrimination_complaint", "CA", 5),
    ("medical_leave", "CA", 5),
    ("discrimination_complaint", "WA", 8),
    ("medical_leave", "WA", 8),
    ("fmla_leave", "TX", 50),
    ("fmla_leave", "WA", 50),
    ("fmla_leave", "CA", 5),
]


@pytest.mark.parametrize(("kind", "state", "minimum"), SIZE_LINES)
@pytest.mark.parametrize("above", [False, True], ids=["one-below", "at-the-line"])
def test_it_counts_an_activity_only_where_a_law_protecting_it_covers_the_employer(
    kind: str, state: str, minimum: int, above: bool
) -> None:
    headcount = minimum if above else minimum - 1
    activity = {"date": "2025-06-21", "kind": kind}
    doc = case(
        events=[FOCUS],
        employee={"work_state": state},
        employer={"name": "Small Co", "headcount": headcount},
        protected_activities=[activity],
    )
    result = review_of(doc)
    assert len(findings(result, TIMING)) == int(above)
    if kind in ("fmla_leave", "medical_leave") and state != "XX":
        assert len(findings(result, LEAVE)) == int(above)


@pytest.mark.parametrize(
    "kind",
    ["wage_complaint", "safety_complaint", "whistleblower_report", "concerted_activity", "other"],
)
def test_it_counts_activities_no_size_line_limits_at_any_size(kind: str) -> None:
    activity = {"date": "2025-06-21", "kind": kind}
    doc = case(events=[FOCUS], employer={"headcount": 1}, protected_activities=[activity])
    assert len(findings(review_of(doc), TIMING)) == 1


def test_it_counts_every_activity_when_no_headcount_is_given() -> None:
    leave = {"date": "2025-06-21", "kind": FMLA}
    doc = case(events=[FOCUS], employer={"name": "Unknown Co"}, protected_activities=[leave])
    result = review_of(doc)
    assert len(findings(result, LEAVE)) == 1
    assert len(findings(result, TIMING)) == 1


def test_it_keeps_leave_adjacent_for_medical_leave_at_a_thirty_person_employer() -> None:
    leave = {"date": "2025-06-21", "kind": "medical_leave"}
    doc = case(events=[FOCUS], employer={"headcount": 30}, protected_activities=[leave])
    assert len(findings(review_of(doc), LEAVE)) == 1


def test_it_leaves_out_an_uncovered_activity_before_picking_the_nearest() -> None:
    # At 30 people the FMLA leave 10 days before is no protected activity; the
    # discrimination complaint 40 days before still raises timing (reading 45).
    activities = [
        {"date": "2025-05-22", "kind": COMPLAINT},
        {"date": "2025-06-21", "kind": FMLA},
    ]
    doc = case(events=[FOCUS], employer={"headcount": 30}, protected_activities=activities)
    [found] = findings(review_of(doc), TIMING)
    assert found["evidence"]["activity"] == COMPLAINT
    assert found["severity"] == "medium"
    assert [f["evidence"]["activity"] for f in findings(review_of(doc), NO_PRIOR)] == [COMPLAINT]


def test_it_skips_leave_adjacent_outside_the_us_but_keeps_the_timing_finding() -> None:
    doc = case(
        events=[FOCUS],
        protected_activities=[{"date": "2025-06-21", "kind": FMLA}],
        employee={"work_state": "XX"},
    )
    raised = codes(review_of(doc))
    assert LEAVE not in raised
    assert TIMING in raised


# Thresholds come from the policy


def policy_review(policy: Policy, doc: dict[str, Any]) -> Review:
    """Review a case-file dict under ``policy`` instead of the one it names."""
    return review(load(doc).file, policy)


@pytest.mark.parametrize(
    ("setting", "value", "on_the_line", "past_it", "grades"),
    [
        ("retaliation_high_days", 14, "2025-06-17", "2025-06-16", ("high", "medium")),
        ("retaliation_medium_days", 60, "2025-05-02", "2025-05-01", ("medium", "low")),
        ("retaliation_low_days", 200, "2024-12-13", "2024-12-12", ("low", None)),
    ],
)
def test_it_grades_timing_by_the_policys_thresholds(
    setting: str, value: int, on_the_line: str, past_it: str, grades: tuple[str, str | None]
) -> None:
    default = {"retaliation_high_days": 30, "retaliation_medium_days": 90}.get(setting, 180)
    policy = amazon_pivot_with(f"{setting} = {default}", f"{setting} = {value}")
    key = setting.removeprefix("retaliation_")
    for activity_on, grade in zip((on_the_line, past_it), grades, strict=True):
        doc = case(events=[FOCUS], protected_activities=[{"date": activity_on, "kind": COMPLAINT}])
        found = findings(policy_review(policy, doc), TIMING)
        assert [f["severity"] for f in found] == ([grade] if grade else [])
        assert all(f["evidence"][key] == value for f in found)


def test_it_grades_differently_under_the_shipped_thresholds() -> None:
    # The dates of the test above, under the defaults, grade otherwise: the boundary moved.
    for activity_on, grade in [("2025-06-16", "high"), ("2025-05-01", "medium")]:
        doc = case(events=[FOCUS], protected_activities=[{"date": activity_on, "kind": COMPLAINT}])
        assert [f["severity"] for f in findings(review_of(doc), TIMING)] == [grade]
    doc = case(events=[FOCUS], protected_activities=[{"date": "2024-12-13", "kind": COMPLAINT}])
    assert TIMING not in codes(review_of(doc))


def test_it_moves_the_leave_window_with_the_policy() -> None:
    leave = {"date": "2025-03-01", "kind": FMLA, "end_date": "2025-06-11"}  # 20 days before STEP
    doc = case(events=[FOCUS], protected_activities=[leave])
    assert len(findings(review_of(doc), LEAVE)) == 1
    shorter = amazon_pivot_with("leave_adjacent_days = 30", "leave_adjacent_days = 19")
    assert LEAVE not in codes(policy_review(shorter, doc))
    on_the_line = amazon_pivot_with("leave_adjacent_days = 30", "leave_adjacent_days = 20")
    [found] = findings(policy_review(on_the_line, doc), LEAVE)
    assert found["evidence"]["window_days"] == 20


def test_it_moves_the_fmla_headcount_with_the_policy() -> None:
    doc = case(
        events=[FOCUS],
        employer={"name": "Small Co", "headcount": 49},
        protected_activities=[{"date": "2025-06-21", "kind": FMLA}],
    )
    assert LEAVE not in codes(review_of(doc))
    policy = amazon_pivot_with("fmla_min_headcount = 50", "fmla_min_headcount = 49")
    assert len(findings(policy_review(policy, doc), LEAVE)) == 1
