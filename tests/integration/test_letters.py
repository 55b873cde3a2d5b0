"""Letters issued from the record, read back from their PDFs with pdftotext.

The cases are opened and taken through their steps once for the module (seeding.py), each
by the command layer as HR; every test issues its letters in a savepoint of its own. A
letter's figures are checked against the review of the same record on the day of issue
(its options and deadlines), not against literals alone.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_django import DjangoDbBlocker

from fairpivot.documents.letters.facts import days_from, say_date
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.review import Review, review
from fairpivot.domain.wording import money
from fairpivot.records.cases import documents, usecases
from fairpivot.records.cases.usecases import Actor, get_case
from fairpivot.records.clock import FixedClock
from fairpivot.records.models import Case, DocumentFile
from fairpivot.records.screen import projection
from tests.commanding import record, take
from tests.integration.seeding import kept_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cases")]

HR = Actor("harper", "H-1", "Harper HR", "hr")
MANAGER = "M-1"
ISSUED = "2025-06-03"
CARVE_OUTS = ["release_of_claims", "carve_out_illegal_conduct", "preserves_section7_rights"]


def on(day: str) -> FixedClock:
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def offer(**fields: Any) -> dict[str, Any]:
    """A release offer meeting every OWBPA condition unless ``fields`` say otherwise."""
    return {
        "tier": 1,
        "amount": 30000,
        "consideration_days": 21,
        "revocation_days": 7,
        "names_adea": True,
        "advises_attorney": True,
        "clauses": [*CARVE_OUTS, "confidentiality"],
        **fields,
    }


def plan() -> dict[str, Any]:
    return {
        "start": "2025-06-09",
        "end": "2025-08-08",
        "goals": [
            {"text": "Ship the checkout migration", "measure": "live in production"},
            {
                "text": "Close the on-call backlog",
                "measure": "under 10 tickets",
                "due": "2025-07-31",
            },
        ],
        "checkin_every_days": 14,
    }


def opened(employee_id: str, state: str, birth: str) -> Case:
    return usecases.open_case(
        employee={
            "id": employee_id,
            "name": f"Pat {employee_id}",
            "birth_date": birth,
            "hire_date": "2020-01-06",
            "manager": MANAGER,
            "work_state": state,
            "base_salary": 156000,
            "title": "Software engineer",
        },
        employer={"name": "Example Co", "headcount": 5000},
        people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
        actor=HR,
        clock=on("2025-04-01"),
    )


def hr(case: Case, name: str, day: str, **raw: Any) -> None:
    record(case, name, actor=HR, relation="hr", clock=on(day), **raw)


def pivoted(employee_id: str, state: str, birth: str, **offered: Any) -> str:
    """A case at the Pivot: Focus on May 1, the Pivot letter's offer on June 2."""
    case = opened(employee_id, state, birth)
    goals = [{"text": "Ship the report", "measure": "reviewed by the team", "due": "2025-05-30"}]
    hr(case, "start_focus", "2025-05-01", note="Two launches missed.", goals=goals)
    decision = offered.pop("decision_days", 21)
    hr(
        case,
        "offer_pivot",
        "2025-06-02",
        offer=offer(**offered),
        plan=plan(),
        decision_days=decision,
    )
    return case.ref


def seed() -> dict[str, str]:
    refs = {
        "wa45": pivoted("E-WA", "WA", "1980-01-15"),
        "ca45": pivoted("E-CA", "CA", "1980-01-15"),
        # 39 on the offer's date; a short offer without the ADEA's terms, lawful for them.
        "tx39": pivoted(
            "E-TX",
            "TX",
            "1985-09-01",
            consideration_days=5,
            revocation_days=0,
            names_adea=False,
            advises_attorney=False,
            clauses=CARVE_OUTS,
            decision_days=5,
        ),
        # Silencing terms with no carve-out: wa.silenced_no_more and nlra.broad_confidentiality
        # (the OWBPA's findings never reach the record live: such an offer is refused).
        "flagged": pivoted(
            "E-FL", "WA", "1980-01-15", clauses=["release_of_claims", "confidentiality"]
        ),
    }
    focus = opened("E-FO", "WA", "1980-01-15")
    hr(focus, "start_focus", "2025-05-01", note="Two launches missed.")
    refs["focus"] = focus.ref
    planned = get_case(pivoted("E-PL", "WA", "1980-01-15"))
    me = Actor("pat", "E-PL", "Pat E-PL", "other")
    record(planned, "choose_plan", actor=me, relation="employee", clock=on("2025-06-03"))
    hr(planned, "fail_plan", "2025-08-08", appeal_days=3, note="Neither goal met.")
    hr(planned, "make_offer", "2025-08-11", offer=offer(tier=2, amount=12600))
    refs["plan"] = planned.ref
    return refs


@pytest.fixture(scope="module")
def cases(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, str]]:
    with kept_for_module(django_db_blocker, seed) as made:
        yield made


def issue(ref: str, letter: str, day: str = ISSUED, **raw: Any) -> documents.Issued:
    take(ref, "issue_letter", actor=HR, relation="hr", clock=on(day), letter=letter, **raw)
    return documents.issued_in(get_case(ref))[-1]


def text_of(ref: str, issued: documents.Issued, tmp_path: Path) -> str:
    """The PDF's text as ``pdftotext -layout`` reads it, its whitespace run together."""
    _, content = documents.file_of(get_case(ref), issued.seq)
    path = tmp_path / issued.filename
    path.write_bytes(content)
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def review_on(ref: str, day: str = ISSUED) -> Review:
    loaded = projection.load_case(get_case(ref), on(day))
    return review(loaded.file, loaded.policy, as_of=date.fromisoformat(day), case_id=ref)


def deadline(result: Review, code: str) -> date:
    (found,) = [d.date for d in result.deadlines if d.code == code and not d.settled]
    return found


def test_the_pivot_letter_shows_the_reviews_amount_and_deadlines(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ref = cases["wa45"]
    issued = issue(ref, "pivot_letter")
    text = text_of(ref, issued, tmp_path)
    result = review_on(ref)
    (severance,) = [o for o in result.options if o.option == "severance"]
    decide_by = deadline(result, "pivot_decide_by")
    today = date.fromisoformat(ISSUED)

    assert issued.media_type == "application/pdf"
    assert issued.audience == ("employee",)
    assert money(severance.cash, result.currency) in text
    assert ("not eligible" in text) is not severance.rehire_eligible  # rehire, as the review has it
    assert f"{say_date(decide_by)} ({days_from(decide_by, today)})" in text
    assert "20 days from the date of this letter" in text  # June 3 to June 23
    # The tier formula with the employee's figures: 10 weeks of 156,000 plus 1% a year.
    assert "10 weeks of base pay plus 1% of base pay for each whole year" in text
    assert "156,000.00 USD" in text
    assert "37,800.00 USD" in text
    assert "The amount offered is 30,000.00 USD, not the formula's 37,800.00 USD" in text
    assert "Ship the checkout migration" in text
    assert "under 10 tickets" in text
    assert "not legal advice" not in text  # letters do not carry the review's notice


def test_a_40_plus_agreement_has_every_owbpa_element(cases: dict[str, str], tmp_path: Path) -> None:
    ref = cases["wa45"]
    text = text_of(ref, issue(ref, "separation_agreement"), tmp_path)
    expires = deadline(review_on(ref), "offer_expires")

    assert "claims under the Age Discrimination in Employment Act of 1967 (ADEA)" in text
    assert "You are advised in writing to consult an attorney" in text
    assert "You have 21 days from June 2, 2025 to consider this agreement" in text
    assert f"until {say_date(expires)}" in text
    assert "you may revoke this agreement within 7 days" in text
    assert "You do not release rights or claims that arise after the date you sign it" in text
    assert "Equal Employment Opportunity Commission" in text
    assert "section 7 of the National Labor Relations Act" in text
    assert "30,000.00 USD" in text


def test_a_39_year_olds_agreement_claims_no_adea_terms_it_lacks(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ref = cases["tx39"]
    text = text_of(ref, issue(ref, "separation_agreement"), tmp_path)

    assert "Age Discrimination in Employment Act" not in text
    assert "Older Workers Benefit Protection Act" not in text
    assert "consult an attorney" not in text
    assert "revoke" not in text
    assert "You have 5 days from June 2, 2025 to consider this agreement" in text
    assert "This agreement takes effect when you sign it" in text
    assert "Equal Employment Opportunity Commission" in text  # open to every age


def test_a_washington_agreement_has_the_carve_out_and_others_do_not(
    cases: dict[str, str], tmp_path: Path
) -> None:
    wa = text_of(cases["wa45"], issue(cases["wa45"], "separation_agreement"), tmp_path)
    tx = text_of(cases["tx39"], issue(cases["tx39"], "separation_agreement"), tmp_path)

    assert "RCW 49.44.211" in wa
    for kind in ("illegal discrimination", "illegal harassment", "illegal retaliation"):
        assert kind in wa
    assert "a wage and hour violation, or sexual assault" in wa
    assert "RCW 49.44.211" not in tx
    assert "reasonably believe to be illegal" in tx  # its own recorded carve-out, plainly


def test_a_california_agreement_has_the_terms_of_gov_code_12964_5(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ca = text_of(cases["ca45"], issue(cases["ca45"], "separation_agreement"), tmp_path)
    wa = text_of(cases["wa45"], issue(cases["wa45"], "separation_agreement"), tmp_path)

    sentence = "information about unlawful acts in the workplace, such as harassment or"
    assert sentence in ca
    assert "Gov. Code 12964.5" in ca
    assert "right to consult an attorney about this agreement, and at least 5 business" in ca
    assert sentence not in wa
    assert "12964.5" not in wa


def test_an_agreement_for_an_offer_the_review_flags_is_refused_and_nothing_is_written(
    cases: dict[str, str],
) -> None:
    ref = cases["flagged"]
    before = (get_case(ref).version, DocumentFile.objects.count())

    with pytest.raises(InvalidInput) as refused:
        issue(ref, "separation_agreement")

    assert "nlra.broad_confidentiality, wa.silenced_no_more" in str(refused.value)
    assert "no separation agreement is issued" in str(refused.value)
    assert (get_case(ref).version, DocumentFile.objects.count()) == before
    assert documents.issued_in(get_case(ref)) == []


def test_a_letter_the_record_does_not_hold_yet_is_not_offered(cases: dict[str, str]) -> None:
    ref = cases["focus"]
    version = get_case(ref).version

    with pytest.raises(InvalidInput) as refused:
        issue(ref, "pivot_letter")

    assert "letter: must be one of focus_notice (got 'pivot_letter')" in str(refused.value)
    assert get_case(ref).version == version
    assert documents.issued_in(get_case(ref)) == []
    assert issue(ref, "focus_notice").document == "focus_notice"


def test_the_plan_letter_lists_its_goals_measures_and_every_check_in(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ref = cases["plan"]
    text = text_of(ref, issue(ref, "plan", "2025-08-11"), tmp_path)

    assert "from June 9, 2025 to August 8, 2025 (60 days)" in text
    assert "Close the on-call backlog under 10 tickets July 31, 2025" in text
    assert "every 14 days" in text
    checkins = ["June 23, 2025", "July 7, 2025", "July 21, 2025", "August 4, 2025"]
    assert all(day in text for day in checkins)
    assert "August 18, 2025" not in text  # the plan ended before a fifth


def test_the_plan_outcome_gives_the_appeal_deadline_the_review_lists(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ref = cases["plan"]
    text = text_of(ref, issue(ref, "plan_outcome", "2025-08-11"), tmp_path)
    elect_by = deadline(review_on(ref, "2025-08-11"), "appeal_elect_by")

    assert "was recorded as not passed on August 8, 2025" in text
    assert f"within 3 business days: by {say_date(elect_by)}" in text


def test_a_further_offer_shows_its_tier_formula_and_its_own_deadline(
    cases: dict[str, str], tmp_path: Path
) -> None:
    ref = cases["plan"]
    text = text_of(ref, issue(ref, "further_offer", "2025-08-11"), tmp_path)
    expires = deadline(review_on(ref, "2025-08-11"), "offer_expires")

    assert "12,600.00 USD, tier 2" in text
    assert "then 1/3 of that tier-1 amount" in text
    assert f"Decide by {say_date(expires)}" in text


def test_a_letter_with_pay_terms_is_not_copied_to_the_manager(cases: dict[str, str]) -> None:
    ref = cases["wa45"]
    version = get_case(ref).version

    with pytest.raises(InvalidInput) as refused:
        issue(ref, "pivot_letter", copy_to_manager=True)

    assert "copy_to_manager:" in str(refused.value)
    assert get_case(ref).version == version
    shared = issue(ref, "focus_notice", copy_to_manager=True)
    assert shared.audience == ("employee", "manager")


def test_the_same_record_on_the_same_moment_is_the_same_file(cases: dict[str, str]) -> None:
    ref = cases["wa45"]

    first, second = issue(ref, "pivot_letter"), issue(ref, "pivot_letter")

    assert first.sha256 == second.sha256
    assert second.seq == first.seq + 1
