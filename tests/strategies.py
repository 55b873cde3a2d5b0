"""Hypothesis strategies for well-formed case files, shared by the unit and record tests."""

from __future__ import annotations

import typing
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from fairpivot.domain.casefile.model import Clause
from fairpivot.domain.vocabulary import EVENT_TYPES
from tests.builders import HR, MANAGER, case

AS_OF = date(2026, 6, 30)
EARLIEST = date(2024, 1, 1)
PEOPLE = [MANAGER, HR]

days = st.dates(min_value=EARLIEST, max_value=AS_OF)
money = st.integers(min_value=0, max_value=500_000).map(float)
clauses = st.lists(
    st.sampled_from(typing.get_args(Clause)),
    unique=True,
    max_size=4,
)


@st.composite
def offers(draw: st.DrawFn) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "tier": draw(st.integers(1, 3)),
        "amount": draw(money),
        "consideration_days": draw(st.integers(0, 60)),
        "revocation_days": draw(st.integers(0, 14)),
    }
    for flag in (
        "names_adea",
        "advises_attorney",
        "group_program",
        "group_disclosures",
        "negotiated",
    ):
        if draw(st.booleans()):
            offer[flag] = draw(st.booleans())
    if draw(st.booleans()):
        offer["clauses"] = draw(clauses)
    return offer


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(days)
    plan: dict[str, Any] = {
        "start": start.isoformat(),
        "end": (start + timedelta(days=draw(st.integers(1, 120)))).isoformat(),
        "goals": [{"text": "Goal"}],
    }
    if draw(st.booleans()):
        plan["checkin_every_days"] = draw(st.integers(1, 21))
    return plan


def _fields(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    match kind:
        case "focus_started":
            return {"disclosed": draw(st.booleans())}
        case "pivot_offered":
            return {
                "offer": draw(offers()),
                "plan": draw(plans()),
                "decision_days": draw(st.integers(1, 30)),
            }
        case "option_chosen":
            return {"option": draw(st.sampled_from(["severance", "plan", "appeal"]))}
        case "plan_started":
            return {"plan": draw(plans())}
        case "checkin":
            return {"held": draw(st.booleans())}
        case "plan_extended":
            return {"end": draw(days).isoformat()}
        case "plan_failed":
            return {"appeal_days": draw(st.integers(1, 10))} if draw(st.booleans()) else {}
        case "appeal_decided":
            return {"outcome": draw(st.sampled_from(["upheld", "overturned"]))}
        case "offer_made":
            return {"offer": draw(offers())}
        case "offer_signed" | "offer_revoked":
            return {"tier": draw(st.integers(1, 3))}
        case "separated":
            return {
                "reason": draw(
                    st.sampled_from(
                        [
                            "resignation",
                            "resignation_with_severance",
                            "termination_performance",
                            "termination_misconduct",
                            "layoff",
                        ]
                    )
                )
            }
    return {}


EVENT_KINDS = list(EVENT_TYPES)


def _valid_extensions(events: list[dict[str, Any]]) -> None:
    """Move each extension's end after the start of the plan it extends (review-v4 13)."""
    start = None
    for item in events:
        if item["type"] in ("pivot_offered", "plan_started"):
            start = date.fromisoformat(item["plan"]["start"])
        elif item["type"] == "plan_extended" and start is not None:
            end = max(date.fromisoformat(item["end"]), start + timedelta(days=1))
            item["end"] = end.isoformat()


@st.composite
def case_files(draw: st.DrawFn) -> dict[str, Any]:
    policy = draw(st.sampled_from(["amazon-pivot", "standard-pip"]))
    scale = ["LE", "HV3", "HV2", "HV1", "TT"] if policy == "amazon-pivot" else list("12345")
    events = []
    for when in sorted(draw(st.lists(days, max_size=14))):
        kind = draw(st.sampled_from(EVENT_KINDS))
        events.append(
            {
                "date": when.isoformat(),
                "type": kind,
                "by": draw(st.sampled_from(PEOPLE)),
                **_fields(draw, kind),
            }
        )
    _valid_extensions(events)
    for item in events:
        if item["type"] == "separated" and draw(st.booleans()):
            told = date.fromisoformat(item["date"]) - timedelta(days=draw(st.integers(0, 30)))
            item["notified_on"] = told.isoformat()
    activities = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(days)
        activity: dict[str, Any] = {
            "date": start.isoformat(),
            "kind": draw(
                st.sampled_from(
                    [
                        "fmla_leave",
                        "medical_leave",
                        "agency_charge",
                        "discrimination_complaint",
                        "concerted_activity",
                        "safety_complaint",
                    ]
                )
            ),
        }
        if draw(st.booleans()):
            activity["end_date"] = (start + timedelta(days=draw(st.integers(0, 90)))).isoformat()
        if draw(st.booleans()):
            activity["known_to"] = draw(st.lists(st.sampled_from(PEOPLE), unique=True))
        if draw(st.booleans()):
            activity["known_on"] = draw(days).isoformat()
        activities.append(activity)
    employee: dict[str, Any] = {
        "work_state": draw(st.sampled_from(["WA", "CA", "GA", "TX", "MA", "XX"])),
        "supervisor": draw(st.booleans()),
    }
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        employee["birth_date"] = None
        employee["age"] = draw(st.integers(18, 80))
    if draw(st.booleans()):
        extra["employer"] = {"headcount": draw(st.integers(1, 100_000))}
    if draw(st.booleans()):
        extra["equity"] = [
            {
                "grant": "G",
                "vests": [
                    {"date": d.isoformat(), "shares": 10}
                    for d in draw(st.lists(st.dates(EARLIEST, date(2028, 1, 1)), max_size=4))
                ],
            }
        ]
        extra["share_price"] = 100.0
    if draw(st.booleans()):
        extra["org_context"] = {
            "ura_target": 0.06,
            "ura_actual": draw(st.sampled_from([0.02, 0.06, 0.1])),
        }
    doc = case(
        as_of=AS_OF.isoformat(),
        policy=policy,
        employee=employee,
        events=events,
        protected_activities=activities,
        ratings=[
            {"date": d.isoformat(), "value": draw(st.sampled_from(scale))}
            for d in draw(st.lists(days, max_size=3))
        ],
        **extra,
    )
    doc["employee"] = {k: v for k, v in doc["employee"].items() if v is not None}
    return doc
