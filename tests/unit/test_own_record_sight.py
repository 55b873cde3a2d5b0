"""The employee's own record (``privacy.OWN_RECORD``): their case, without what is HR's."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any

from fairpivot.domain.review import Finding, Review
from fairpivot.web import privacy
from tests.unit.test_privacy_views import CASE_FILE

OWN = privacy.OWN_RECORD
ACTIVITY = {
    "date": "2025-05-01",
    "kind": "discrimination_complaint",
    "known_to": ["M-1"],
    "known_on": "2025-05-03",
    "note": "said in an HR interview",
}


def with_activity() -> dict[str, Any]:
    document = deepcopy(CASE_FILE)
    document["protected_activities"] = [dict(ACTIVITY)]
    return document


def test_the_employee_keeps_their_protected_activity_without_hrs_notes_on_it() -> None:
    seen = privacy.case_file(OWN, with_activity())
    assert seen["protected_activities"] == [
        {"date": "2025-05-01", "kind": "discrimination_complaint"}
    ]
    assert privacy.case_file(privacy.FULL, with_activity())["protected_activities"] == [ACTIVITY]


def test_the_employee_keeps_their_pay_and_age_but_not_their_demographics() -> None:
    seen = privacy.case_file(OWN, with_activity())["employee"]
    assert "demographics" not in seen
    assert seen["base_salary"] == 150000
    assert seen["birth_date"] == "1969-04-02"


def test_the_employee_keeps_every_finding_without_who_knew_and_when() -> None:
    finding = Finding(
        code="retaliation.timing",
        severity="high",
        date=date(2025, 6, 1),
        message="Focus started 31 days after a discrimination complaint.",
        evidence={"activity": "discrimination_complaint", "days": 31, "known_to_manager": True},
        basis="Burlington Northern v. White, 548 U.S. 53 (2006)",
    )
    result = Review(
        case="C-1",
        as_of=date(2025, 6, 30),
        policy="amazon-pivot",
        stage="focus",
        currency="USD",
        findings=(finding,),
    )
    seen = privacy.review(OWN, result)
    assert [f.code for f in seen.findings] == ["retaliation.timing"]
    assert seen.findings[0].evidence == {"activity": "discrimination_complaint", "days": 31}


def test_the_employees_ledger_leaves_out_the_panels_votes_and_hrs_workflow() -> None:
    for kind in ("hold", "signoff", "panel_vote"):
        assert kind not in OWN.ledger_kinds
    for kind in ("opened", "event", "person", "document", "statement", "reply", "panel_seated"):
        assert kind in OWN.ledger_kinds


def test_only_the_whole_case_and_the_employees_record_show_protected_activities() -> None:
    assert privacy.FULL.shows_activities
    assert OWN.shows_activities
    assert not privacy.MANAGER.shows_activities
    assert not privacy.PANELIST.shows_activities
