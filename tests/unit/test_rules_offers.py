"""The offer rules: OWBPA releases, terms no release may hold, WA, NLRA and CA limits.

Every case starts from the builders' 45-year-old Washington employee of a 5,000-person
employer, on Focus from 2025-03-03 and given a compliant Pivot offer on 2025-04-01; each
test changes only what its rule reads.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import MANAGER, case, codes, event, findings, offer, pivot, review_of

OFFER_DAY = "2025-04-01"
FOCUS = event("focus_started", "2025-03-03", by=MANAGER, disclosed=True)
# After the Pivot offer: plan taken, failed on its last day, then a tier-2 offer.
TO_TIER_2 = [
    event("option_chosen", "2025-04-03", option="plan"),
    event("plan_failed", "2025-06-07", by=MANAGER),
]
TIER_2_DAY = "2025-06-10"

OWBPA_CODES = (
    "owbpa.consideration_period",
    "owbpa.revocation_period",
    "owbpa.adea_not_named",
    "owbpa.attorney_advice",
    "owbpa.group_disclosures",
)
OFFER_CODES = (
    *OWBPA_CODES,
    "release.bars_agency_charge",
    "release.tender_back",
    "wa.silenced_no_more",
    "nlra.broad_confidentiality",
    "ca.no_rehire",
)
# Offer terms that break exactly one rule each: the rules that depend on age and size.
BREAKS: dict[str, dict[str, Any]] = {
    "owbpa.consideration_period": {"consideration_days": 20},
    "owbpa.revocation_period": {"revocation_days": 6},
    "owbpa.adea_not_named": {"names_adea": False},
    "owbpa.attorney_advice": {"advises_attorney": False},
    "owbpa.group_disclosures": {
        "group_program": True,
        "consideration_days": 45,
        "decision_days": 45,
    },
    "release.tender_back": {
        "clauses": ["release_of_claims", "carve_out_illegal_conduct", "tender_back"]
    },
}
AGE_RULES = pytest.mark.parametrize(("code", "terms"), list(BREAKS.items()))
# Everything a release can get wrong at once.
WORST_TERMS: dict[str, Any] = {
    "consideration_days": 3,
    "revocation_days": 0,
    "names_adea": False,
    "advises_attorney": False,
    "group_program": True,
    "clauses": [
        "release_of_claims",
        "confidentiality",
        "non_disparagement",
        "no_rehire",
        "bars_agency_charge",
        "tender_back",
    ],
}
COMPLAINT = {"date": "2025-02-10", "kind": "wage_complaint"}


# --- who OWBPA protects: age 40 on the offer's date --------------------------------------


def test_it_raises_nothing_for_a_compliant_offer() -> None:
    result = review_of(case(events=[FOCUS, pivot(OFFER_DAY)]))
    assert not set(codes(result)) & set(OFFER_CODES)


@AGE_RULES
def test_it_applies_the_age_rules_from_the_40th_birthday(code: str, terms: dict[str, Any]) -> None:
    doc = case(
        employee={"birth_date": "1985-04-01"},
        events=[FOCUS, pivot(OFFER_DAY, **terms)],
    )
    (found,) = findings(review_of(doc), code)
    assert found["evidence"]["age"] == 40


@AGE_RULES
def test_it_spares_an_employee_whose_40th_birthday_is_the_day_after_the_offer(
    code: str, terms: dict[str, Any]
) -> None:
    doc = case(
        employee={"birth_date": "1985-04-02"},
        events=[FOCUS, pivot(OFFER_DAY, **terms)],
    )
    assert findings(review_of(doc), code) == []


@AGE_RULES
@pytest.mark.parametrize(("as_of", "age_at_offer"), [("2026-03-31", 40), ("2026-04-01", 39)])
def test_it_ages_a_given_age_back_by_whole_years_to_the_offer(
    code: str, terms: dict[str, Any], as_of: str, age_at_offer: int
) -> None:
    doc = case(
        as_of=as_of,
        employee={"age": 40},
        events=[FOCUS, pivot(OFFER_DAY, **terms)],
    )
    del doc["employee"]["birth_date"]
    found = findings(review_of(doc), code)
    assert [f["evidence"]["age"] for f in found] == ([40] if age_at_offer >= 40 else [])


def test_it_counts_age_at_each_offer_not_at_the_review() -> None:
    doc = case(
        employee={"birth_date": "1985-05-01"},
        events=[
            FOCUS,
            pivot(OFFER_DAY, names_adea=False),
            *TO_TIER_2,
            event("offer_made", TIER_2_DAY, offer=offer(tier=2, amount=10000, names_adea=False)),
        ],
    )
    found = findings(review_of(doc), "owbpa.adea_not_named")
    assert [(f["date"], f["evidence"]["age"]) for f in found] == [(TIER_2_DAY, 40)]


# --- employer size: the ADEA covers employers of 20 or more ------------------------------


@AGE_RULES
@pytest.mark.parametrize(("headcount", "applies"), [(19, False), (20, True)])
def test_it_applies_the_adea_rules_only_to_employers_of_20_or_more(
    code: str, terms: dict[str, Any], headcount: int, applies: bool
) -> None:
    doc = case(
        employer={"name": "Small Co", "headcount": headcount},
        events=[FOCUS, pivot(OFFER_DAY, **terms)],
    )
    assert len(findings(review_of(doc), code)) == (1 if applies else 0)


@AGE_RULES
def test_it_applies_the_adea_rules_when_the_headcount_is_not_given(
    code: str, terms: dict[str, Any]
) -> None:
    doc = case(
        employer={"name": "Unknown Size Co"},
        events=[FOCUS, pivot(OFFER_DAY, **terms)],
    )
    assert len(findings(review_of(doc), code)) == 1


def test_it_applies_the_adea_rules_when_no_employer_is_given() -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, names_adea=False)])
    del doc["employer"]
    assert len(findings(review_of(doc), "owbpa.adea_not_named")) == 1


# --- consideration period: 21 days, 45 in a group program --------------------------------


@pytest.mark.parametrize(("days", "fires"), [(20, True), (21, False)])
def test_it_needs_21_days_to_consider_a_release(days: int, fires: bool) -> None:
    doc = case(
        events=[
            FOCUS,
            pivot(OFFER_DAY),
            *TO_TIER_2,
            event("offer_made", TIER_2_DAY, offer=offer(tier=2, consideration_days=days)),
        ]
    )
    found = findings(review_of(doc), "owbpa.consideration_period")
    assert [(f["evidence"]["offer_tier"], f["evidence"]["days_given"]) for f in found] == (
        [(2, days)] if fires else []
    )


def test_it_reports_the_consideration_shortfall_as_high_with_its_evidence() -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, decision_days=20, consideration_days=20)])
    (found,) = findings(review_of(doc), "owbpa.consideration_period")
    assert found["severity"] == "high"
    assert found["date"] == OFFER_DAY
    assert found["evidence"] == {
        "offer_tier": 1,
        "offer_date": OFFER_DAY,
        "source": "pivot_offered",
        "age": 45,
        "days_given": 20,
        "days_required": 21,
        "group_program": False,
    }


@pytest.mark.parametrize(
    ("consideration_days", "decision_days", "given"),
    [(30, 20, 20), (20, 30, 20), (30, 21, None), (21, 30, None)],
)
def test_it_takes_the_shorter_of_consideration_and_decision_days_for_a_pivot_offer(
    consideration_days: int, decision_days: int, given: int | None
) -> None:
    doc = case(
        events=[
            FOCUS,
            pivot(OFFER_DAY, decision_days=decision_days, consideration_days=consideration_days),
        ]
    )
    found = findings(review_of(doc), "owbpa.consideration_period")
    assert [f["evidence"]["days_given"] for f in found] == ([] if given is None else [given])


@pytest.mark.parametrize(("days", "fires"), [(44, True), (45, False)])
def test_it_needs_45_days_to_consider_a_group_program_release(days: int, fires: bool) -> None:
    doc = case(
        events=[
            FOCUS,
            pivot(
                OFFER_DAY,
                decision_days=days,
                consideration_days=days,
                group_program=True,
                group_disclosures=True,
            ),
        ]
    )
    found = findings(review_of(doc), "owbpa.consideration_period")
    assert [(f["evidence"]["days_required"], f["evidence"]["group_program"]) for f in found] == (
        [(45, True)] if fires else []
    )


# --- revocation, naming the ADEA, attorney advice, group disclosures ---------------------


@pytest.mark.parametrize(("days", "fires"), [(6, True), (7, False)])
def test_it_needs_7_days_to_revoke_a_release(days: int, fires: bool) -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, revocation_days=days)])
    found = findings(review_of(doc), "owbpa.revocation_period")
    assert [(f["severity"], f["evidence"]["days_given"]) for f in found] == (
        [("high", 6)] if fires else []
    )


@pytest.mark.parametrize(
    ("code", "term"),
    [("owbpa.adea_not_named", "names_adea"), ("owbpa.attorney_advice", "advises_attorney")],
)
@pytest.mark.parametrize("present", [False, True])
def test_it_needs_a_release_to_name_the_adea_and_advise_an_attorney(
    code: str, term: str, present: bool
) -> None:
    terms: dict[str, Any] = {term: present}
    doc = case(events=[FOCUS, pivot(OFFER_DAY, **terms)])
    found = findings(review_of(doc), code)
    assert [f["severity"] for f in found] == ([] if present else ["high"])


@pytest.mark.parametrize("term", ["names_adea", "advises_attorney"])
def test_it_reads_a_missing_owbpa_term_as_false(term: str) -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY)])
    del doc["events"][1]["offer"][term]
    code = "owbpa.adea_not_named" if term == "names_adea" else "owbpa.attorney_advice"
    assert len(findings(review_of(doc), code)) == 1


@pytest.mark.parametrize(
    ("group_fields", "fires"),
    [
        ({"group_program": True}, True),
        ({"group_program": True, "group_disclosures": False}, True),
        ({"group_program": True, "group_disclosures": True}, False),
        ({"group_program": False}, False),
    ],
)
def test_it_needs_decisional_unit_disclosures_in_a_group_program(
    group_fields: dict[str, Any], fires: bool
) -> None:
    doc = case(
        events=[FOCUS, pivot(OFFER_DAY, decision_days=45, consideration_days=45, **group_fields)]
    )
    found = findings(review_of(doc), "owbpa.group_disclosures")
    assert [f["severity"] for f in found] == (["high"] if fires else [])


# --- which offers are release offers -----------------------------------------------------


def test_it_applies_no_owbpa_rule_to_an_offer_without_a_release() -> None:
    terms = {
        **WORST_TERMS,
        "clauses": ["confidentiality", "carve_out_illegal_conduct", "preserves_section7_rights"],
    }
    doc = case(events=[FOCUS, pivot(OFFER_DAY, **terms)])
    assert not set(codes(review_of(doc))) & set(OWBPA_CODES)


def test_it_treats_a_covenant_not_to_sue_as_a_release() -> None:
    doc = case(
        events=[FOCUS, pivot(OFFER_DAY, **{**WORST_TERMS, "clauses": ["covenant_not_to_sue"]})]
    )
    assert set(OWBPA_CODES) <= set(codes(review_of(doc)))


def test_it_reads_missing_clauses_as_a_release_of_claims() -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, **WORST_TERMS)])
    del doc["events"][1]["offer"]["clauses"]
    assert set(OWBPA_CODES) <= set(codes(review_of(doc)))


# --- one finding per offer; outside the US -----------------------------------------------


@pytest.mark.parametrize("code", OFFER_CODES)
def test_it_raises_one_finding_per_offer(code: str) -> None:
    doc = case(
        employee={"work_state": "WA" if code == "wa.silenced_no_more" else "CA"},
        protected_activities=[COMPLAINT],
        events=[
            FOCUS,
            pivot(OFFER_DAY, **WORST_TERMS),
            *TO_TIER_2,
            event("offer_made", TIER_2_DAY, offer=offer(tier=2, **WORST_TERMS)),
        ],
    )
    found = findings(review_of(doc), code)
    assert [(f["date"], f["evidence"]["offer_tier"]) for f in found] == [
        (OFFER_DAY, 1),
        (TIER_2_DAY, 2),
    ]


@pytest.mark.parametrize(
    ("state", "silent"), [("WA", "ca.no_rehire"), ("CA", "wa.silenced_no_more")]
)
def test_it_raises_every_offer_rule_its_state_has_for_an_offer_that_breaks_them_all(
    state: str, silent: str
) -> None:
    doc = case(
        employee={"work_state": state},
        protected_activities=[COMPLAINT],
        events=[FOCUS, pivot(OFFER_DAY, **WORST_TERMS)],
    )
    assert set(codes(review_of(doc))) & set(OFFER_CODES) == set(OFFER_CODES) - {silent}


def test_it_applies_no_us_offer_rule_outside_the_us() -> None:
    doc = case(
        employee={"work_state": "XX"},
        protected_activities=[COMPLAINT],
        events=[FOCUS, pivot(OFFER_DAY, **WORST_TERMS)],
    )
    result = review_of(doc)
    assert not set(codes(result)) & set(OFFER_CODES)


# --- release.bars_agency_charge and release.tender_back ----------------------------------


@pytest.mark.parametrize(
    "clauses",
    [["release_of_claims", "bars_agency_charge"], ["confidentiality", "bars_agency_charge"]],
)
def test_it_flags_any_offer_that_bars_an_agency_charge_whatever_the_age_or_size(
    clauses: list[str],
) -> None:
    doc = case(
        employee={"birth_date": "1995-06-01"},
        employer={"name": "Tiny Co", "headcount": 5},
        events=[FOCUS, pivot(OFFER_DAY, clauses=[*clauses, "preserves_section7_rights"])],
    )
    (found,) = findings(review_of(doc), "release.bars_agency_charge")
    assert (found["severity"], found["date"]) == ("high", OFFER_DAY)


def test_it_does_not_flag_an_offer_that_leaves_agency_charges_alone() -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, **BREAKS["release.tender_back"])])
    assert findings(review_of(doc), "release.bars_agency_charge") == []


@pytest.mark.parametrize(("clause", "fires"), [("tender_back", True), ("no_rehire", False)])
def test_it_flags_a_tender_back_term_for_an_older_worker_as_medium(
    clause: str, fires: bool
) -> None:
    doc = case(events=[FOCUS, pivot(OFFER_DAY, clauses=["release_of_claims", clause])])
    found = findings(review_of(doc), "release.tender_back")
    assert [(f["severity"], f["evidence"]["age"]) for f in found] == (
        [("medium", 45)] if fires else []
    )


# --- Washington's Silenced No More Act ---------------------------------------------------


@pytest.mark.parametrize(
    ("state", "clauses", "fires"),
    [
        ("WA", ["confidentiality"], True),
        ("WA", ["non_disparagement"], True),
        ("WA", ["confidentiality", "non_disparagement"], True),
        ("WA", ["confidentiality", "non_disparagement", "carve_out_illegal_conduct"], False),
        ("WA", [], False),
        ("OR", ["confidentiality", "non_disparagement"], False),
    ],
)
def test_it_flags_silencing_terms_without_a_carve_out_in_washington_only(
    state: str, clauses: list[str], fires: bool
) -> None:
    doc = case(
        employee={"work_state": state},
        events=[FOCUS, pivot(OFFER_DAY, clauses=["release_of_claims", *clauses])],
    )
    found = findings(review_of(doc), "wa.silenced_no_more")
    expected = [c for c in clauses if c in ("confidentiality", "non_disparagement")]
    assert [(f["severity"], f["evidence"]["clauses"]) for f in found] == (
        [("high", expected)] if fires else []
    )


def test_it_is_not_silenced_in_washington_by_preserving_section7_rights() -> None:
    clauses = ["release_of_claims", "confidentiality", "preserves_section7_rights"]
    doc = case(events=[FOCUS, pivot(OFFER_DAY, clauses=clauses)])
    assert len(findings(review_of(doc), "wa.silenced_no_more")) == 1


# --- NLRA: McLaren Macomb ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "supervisor", "fires"),
    [
        (["confidentiality"], False, True),
        (["non_disparagement"], False, True),
        (["confidentiality", "carve_out_illegal_conduct"], False, True),
        (["confidentiality", "preserves_section7_rights"], False, False),
        (["confidentiality", "non_disparagement"], True, False),
        ([], False, False),
    ],
)
def test_it_flags_broad_gag_terms_offered_to_a_non_supervisor(
    extra: list[str], supervisor: bool, fires: bool
) -> None:
    doc = case(
        employee={"work_state": "NY", "supervisor": supervisor},
        events=[FOCUS, pivot(OFFER_DAY, clauses=["release_of_claims", *extra])],
    )
    found = findings(review_of(doc), "nlra.broad_confidentiality")
    assert [f["severity"] for f in found] == (["medium"] if fires else [])


def test_it_flags_broad_gag_terms_under_the_nlra_in_washington_despite_a_carve_out() -> None:
    clauses = ["release_of_claims", "non_disparagement", "carve_out_illegal_conduct"]
    result = review_of(case(events=[FOCUS, pivot(OFFER_DAY, clauses=clauses)]))
    assert len(findings(result, "nlra.broad_confidentiality")) == 1
    assert findings(result, "wa.silenced_no_more") == []


# --- California: no-rehire terms after a complaint ---------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "discrimination_complaint",
        "harassment_complaint",
        "retaliation_complaint",
        "wage_complaint",
        "safety_complaint",
        "whistleblower_report",
        "agency_charge",
    ],
)
def test_it_flags_a_no_rehire_term_after_any_complaint_kind_in_california(kind: str) -> None:
    doc = case(
        employee={"work_state": "CA"},
        protected_activities=[{"date": "2025-02-10", "kind": kind}],
        events=[FOCUS, pivot(OFFER_DAY, clauses=["release_of_claims", "no_rehire"])],
    )
    (found,) = findings(review_of(doc), "ca.no_rehire")
    assert found["severity"] == "high"
    assert (found["evidence"]["complaint"], found["evidence"]["complaint_date"]) == (
        kind,
        "2025-02-10",
    )


@pytest.mark.parametrize(
    ("complained_on", "fires"),
    [("2025-03-31", True), (OFFER_DAY, True), ("2025-04-02", False)],
)
def test_it_counts_only_a_complaint_dated_on_or_before_the_offer(
    complained_on: str, fires: bool
) -> None:
    doc = case(
        employee={"work_state": "CA"},
        protected_activities=[{"date": complained_on, "kind": "harassment_complaint"}],
        events=[FOCUS, pivot(OFFER_DAY, clauses=["release_of_claims", "no_rehire"])],
    )
    assert len(findings(review_of(doc), "ca.no_rehire")) == (1 if fires else 0)


def test_it_checks_each_offer_against_the_complaints_before_it() -> None:
    no_rehire = ["release_of_claims", "no_rehire"]
    doc = case(
        employee={"work_state": "CA"},
        protected_activities=[{"date": "2025-05-01", "kind": "retaliation_complaint"}],
        events=[
            FOCUS,
            pivot(OFFER_DAY, clauses=no_rehire),
            *TO_TIER_2,
            event("offer_made", TIER_2_DAY, offer=offer(tier=2, clauses=no_rehire)),
        ],
    )
    found = findings(review_of(doc), "ca.no_rehire")
    assert [f["evidence"]["offer_tier"] for f in found] == [2]


@pytest.mark.parametrize(
    ("state", "kind", "clauses"),
    [
        ("CA", "fmla_leave", ["release_of_claims", "no_rehire"]),
        ("CA", "concerted_activity", ["release_of_claims", "no_rehire"]),
        ("CA", "wage_complaint", ["release_of_claims"]),
        ("WA", "wage_complaint", ["release_of_claims", "no_rehire"]),
    ],
)
def test_it_leaves_no_rehire_alone_without_california_a_complaint_and_the_clause(
    state: str, kind: str, clauses: list[str]
) -> None:
    doc = case(
        employee={"work_state": state},
        protected_activities=[{"date": "2025-02-10", "kind": kind}],
        events=[FOCUS, pivot(OFFER_DAY, clauses=clauses)],
    )
    assert findings(review_of(doc), "ca.no_rehire") == []
