"""Build case files for tests: a plain, valid case to start from and small event helpers.

Tests state only what matters to them: ``case(events=[...], employee={"work_state": "CA"})``
starts from a 45-year-old Washington employee of a large employer, with a manager, and
merges the overrides in.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fairpivot.domain.casefile import LoadedCase, parse_case_file
from fairpivot.domain.review import Review, review

EXAMPLES = Path(__file__).parent / "fixtures" / "examples"
MANAGER = "M-1"
HR = "H-1"
EMPLOYEE = "E-1"


def case(**overrides: Any) -> dict[str, Any]:
    """A valid amazon-pivot case file as a dict; ``employee`` overrides merge key by key."""
    doc: dict[str, Any] = {
        "format": "fairpivot.casefile/1",
        "as_of": "2025-12-31",
        "policy": "amazon-pivot",
        "employer": {"name": "Example Co", "headcount": 5000},
        "employee": {
            "id": EMPLOYEE,
            "name": "Pat Example",
            "birth_date": "1980-01-15",
            "hire_date": "2020-01-06",
            "manager": MANAGER,
            "work_state": "WA",
            "base_salary": 156000,
        },
        "people": [
            {"id": MANAGER, "name": "Morgan Manager", "role": "manager"},
            {"id": HR, "name": "Harper HR", "role": "hr"},
        ],
        "events": [],
    }
    employee = overrides.pop("employee", {})
    doc.update(overrides)
    doc["employee"] = {**doc["employee"], **employee}
    return doc


def event(kind: str, on: str, **fields: Any) -> dict[str, Any]:
    """One event: ``event("focus_started", "2025-03-01", disclosed=True)``."""
    return {"date": on, "type": kind, **fields}


def plan(start: str, end: str, **fields: Any) -> dict[str, Any]:
    """A plan with one goal."""
    return {"start": start, "end": end, "goals": [{"text": "Ship the thing"}], **fields}


def offer(tier: int = 1, amount: float = 30000, **fields: Any) -> dict[str, Any]:
    """An offer that meets every OWBPA rule unless ``fields`` say otherwise."""
    return {
        "tier": tier,
        "amount": amount,
        "consideration_days": 21,
        "revocation_days": 7,
        "names_adea": True,
        "advises_attorney": True,
        "clauses": ["release_of_claims", "carve_out_illegal_conduct"],
        **fields,
    }


def pivot_form(**fields: str) -> dict[str, str]:
    """The Pivot form's fields as a page posts them (flat, with one goal row)."""
    return {
        "tier": "1",
        "amount": "30000.00",
        "consideration_days": "21",
        "revocation_days": "7",
        "plan_start": "2026-01-05",
        "plan_end": "2026-03-05",
        "goals-0-text": "Ship the report",
        "checkin_every_days": "7",
        "decision_days": "21",
        **fields,
    }


def pivot(
    on: str,
    *,
    decision_days: int = 21,
    plan_fields: dict[str, Any] | None = None,
    **offer_fields: Any,
) -> dict[str, Any]:
    """A ``pivot_offered`` event with a compliant offer and a 60-day plan starting a week on."""
    start = date.fromisoformat(on) + timedelta(days=7)
    end = start + timedelta(days=60)
    return event(
        "pivot_offered",
        on,
        by=MANAGER,
        decision_days=decision_days,
        offer=offer(**offer_fields),
        plan=plan(start.isoformat(), end.isoformat(), **(plan_fields or {})),
    )


def load(doc: dict[str, Any]) -> LoadedCase:
    """Check a case-file dict exactly as the command line would."""
    return parse_case_file(json.dumps(doc).encode())


def review_of(doc: dict[str, Any], as_of: str | None = None) -> Review:
    """Review a case-file dict."""
    loaded = load(doc)
    when = date.fromisoformat(as_of) if as_of else None
    return review(loaded.file, loaded.policy, as_of=when)


def codes(result: Review) -> list[str]:
    """The finding codes of a review, in its order."""
    return [finding.code for finding in result.findings]


def findings(result: Review, code: str) -> list[dict[str, Any]]:
    """The review's findings of one code, as JSON objects."""
    return [f.to_json() for f in result.findings if f.code == code]


def deadline_dates(result: Review, code: str) -> list[str]:
    """The dates the review lists for one deadline code."""
    return [d.date.isoformat() for d in result.deadlines if d.code == code]
