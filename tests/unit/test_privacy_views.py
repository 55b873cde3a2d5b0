"""Each audience's view of a case, from its one list of facts (``fairpivot.web.privacy``).

No database: the filters take the case file and the review as values. Each rule is tested
on both sides: what the whole-case audience keeps, and what a manager's or a panelist's
view leaves out.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any

import pytest

from fairpivot.domain.review import Deadline, Finding, Option, Review
from fairpivot.web import privacy

CASE_FILE: dict[str, Any] = {
    "format": "fairpivot.casefile/1",
    "as_of": "2025-06-30",
    "employee": {
        "id": "E-1",
        "name": "Pat Doe",
        "birth_date": "1969-04-02",
        "hire_date": "2015-01-05",
        "work_state": "WA",
        "base_salary": 150000,
        "demographics": {"sex": "female", "race_ethnicity": "hispanic_or_latino"},
    },
    "equity": [{"grant": "G-1", "vests": [{"date": "2025-09-01", "shares": 40}]}],
    "share_price": 120.0,
    "bonuses": [{"date": "2025-07-01", "amount": 5000}],
    "protected_activities": [{"date": "2025-05-01", "kind": "fmla_leave"}],
    "ratings": [{"date": "2025-01-15", "value": "LE"}],
    "events": [
        {"date": "2025-06-01", "type": "offer_made", "offer": {"tier": 2, "amount": 20000}},
        {"date": "2025-06-02", "type": "checkin", "held": True},
    ],
}

REVIEW: dict[str, Any] = {
    "findings": [
        {"code": "leave.adjacent", "evidence": {}},
        {"code": "owbpa.revocation_period", "evidence": {"age": 56}},
        {"code": "release.tender_back", "evidence": {"age": 56}},
        {"code": "vesting.forfeiture", "evidence": {"value_lost": 9800.0, "largest_offer": 2e4}},
        {"code": "plan.short", "evidence": {"days": 20, "age": 56, "largest_offer": 2e4}},
    ],
    "deadlines": [
        {"code": "fmla_suit", "date": "2027-06-01", "passed": False, "settled": False},
        {"code": "eeoc_charge", "date": "2026-03-01", "passed": False, "settled": False},
        {"code": "offer_expires", "date": "2025-06-10", "passed": False, "settled": True},
    ],
    "options": [{"option": "severance", "cash": 20000, "equity_forfeited": 4800.0}],
}


def test_the_whole_case_audience_gets_everything_as_it_is() -> None:
    assert privacy.case_file(privacy.FULL, CASE_FILE) is CASE_FILE
    assert privacy.review_document(privacy.FULL, REVIEW) is REVIEW


@pytest.mark.parametrize("sight", [privacy.MANAGER, privacy.PANELIST], ids=["manager", "panelist"])
def test_a_restricted_case_file_has_no_age_pay_demographics_or_protected_activity(
    sight: privacy.Sight,
) -> None:
    before = deepcopy(CASE_FILE)
    shown = privacy.case_file(sight, CASE_FILE)

    assert set(shown["employee"]) == {"id", "name", "hire_date", "work_state"}
    assert not {"equity", "share_price", "bonuses", "protected_activities"} & set(shown)
    assert shown["ratings"] == CASE_FILE["ratings"]
    assert before == CASE_FILE  # the whole file is not changed in place


def test_a_manager_sees_offer_amounts_and_a_panelist_does_not() -> None:
    manager = privacy.case_file(privacy.MANAGER, CASE_FILE)["events"]
    panelist = privacy.case_file(privacy.PANELIST, CASE_FILE)["events"]

    assert manager[0]["offer"] == {"tier": 2, "amount": 20000}
    assert panelist[0]["offer"] == {"tier": 2}
    assert panelist[1] == CASE_FILE["events"][1]


@pytest.mark.parametrize("sight", [privacy.MANAGER, privacy.PANELIST], ids=["manager", "panelist"])
def test_a_restricted_review_has_no_finding_or_deadline_resting_on_hidden_facts(
    sight: privacy.Sight,
) -> None:
    shown = privacy.review_document(sight, REVIEW)

    assert [f["code"] for f in shown["findings"]] == ["plan.short"]
    assert "age" not in shown["findings"][0]["evidence"]
    assert shown["findings"][0]["evidence"]["days"] == 20
    assert [d["code"] for d in shown["deadlines"]] == ["eeoc_charge", "offer_expires"]
    assert privacy.next_deadline(shown) == date(2026, 3, 1)


def test_a_manager_gets_the_options_without_what_they_forfeit_and_a_panelist_none() -> None:
    manager = privacy.review_document(privacy.MANAGER, REVIEW)["options"]
    panelist = privacy.review_document(privacy.PANELIST, REVIEW)["options"]

    assert manager == [{"option": "severance", "cash": 20000}]
    assert panelist == []
    assert privacy.review_document(privacy.PANELIST, REVIEW)["findings"][0]["evidence"] == {
        "days": 20
    }
    assert privacy.review_document(privacy.MANAGER, REVIEW)["findings"][0]["evidence"] == {
        "days": 20,
        "largest_offer": 2e4,
    }


def test_the_next_deadline_counts_only_the_deadlines_still_to_be_met() -> None:
    assert privacy.next_deadline(REVIEW) == date(2026, 3, 1)
    assert privacy.next_deadline({"deadlines": []}) is None


def test_any_owbpa_code_added_later_is_withheld_too() -> None:
    assert not privacy.MANAGER.shows_finding("owbpa.some_new_rule")
    assert not privacy.MANAGER.shows_finding("retaliation.some_new_rule")
    assert privacy.MANAGER.shows_finding("plan.short")
    assert privacy.FULL.shows_finding("owbpa.some_new_rule")


def test_a_held_steps_reasons_go_only_to_the_whole_case_audience() -> None:
    codes = ["retaliation.timing", "plan.short"]

    assert privacy.finding_codes(privacy.FULL, codes) == tuple(codes)
    assert privacy.finding_codes(privacy.MANAGER, codes) == ()
    assert privacy.finding_codes(privacy.PANELIST, codes) == ()


def _review() -> Review:
    day = date(2025, 6, 1)
    return Review(
        case="C-1",
        as_of=day,
        policy="amazon-pivot",
        stage="pivot_offered",
        currency="USD",
        findings=(
            Finding("owbpa.adea_not_named", "high", day, "aged 40 or over", {"age": 56}, "b"),
            Finding("plan.short", "medium", day, "short", {"days": 20}, "b"),
        ),
        deadlines=(
            Deadline("osha_11c", date(2025, 7, 1), False, "b"),
            Deadline("pivot_decide_by", date(2025, 6, 5), False, "b"),
        ),
        options=(Option("severance", 1, 20000.0, 4800.0, day, True, False),),
    )


def test_the_domains_review_is_cut_down_the_same_way() -> None:
    full = _review()
    manager = privacy.review(privacy.MANAGER, full)
    panelist = privacy.review(privacy.PANELIST, full)

    assert privacy.review(privacy.FULL, full) is full
    assert [f.code for f in manager.findings] == ["plan.short"]
    assert [d.code for d in manager.deadlines] == ["pivot_decide_by"]
    assert [o.equity_forfeited for o in manager.options] == [None]
    assert [o.cash for o in manager.options] == [20000.0]
    assert panelist.options == ()
    assert len(full.findings) == 2  # the whole review is not changed
