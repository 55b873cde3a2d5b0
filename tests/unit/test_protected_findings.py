"""Which findings reveal a protected fact is said by the rules that raise them (``rests_on``),
and each rule's word is checked: take the fact away and its findings go, leave it and they
stay. The web's privacy views are built from these sets (``web/privacy.py``)."""

from __future__ import annotations

import copy
import json
from typing import Any

from fairpivot.domain.casefile import check_case_document
from fairpivot.domain.policy import load_policy
from fairpivot.domain.review import review
from fairpivot.domain.review.rules import RULES, codes_resting_on
from fairpivot.web import privacy
from tests.builders import EXAMPLES

RETALIATION = json.loads((EXAMPLES / "retaliation-after-leave.json").read_text())


def codes(document: dict[str, Any]) -> set[str]:
    loaded = check_case_document(document, resolve=load_policy)
    return {f.code for f in review(loaded.file, loaded.policy).findings}


def test_the_rules_say_which_findings_rest_on_each_protected_fact() -> None:
    assert codes_resting_on("protected_activity") == {
        "retaliation.timing",
        "retaliation.no_prior_concern",
        "leave.adjacent",
        "ca.no_rehire",
    }
    assert codes_resting_on("age") == {
        "owbpa.consideration_period",
        "owbpa.revocation_period",
        "owbpa.adea_not_named",
        "owbpa.attorney_advice",
        "owbpa.group_disclosures",
        "release.tender_back",
    }
    assert codes_resting_on("pay") == {"vesting.forfeiture"}
    assert {r.code for r in RULES} >= codes_resting_on("age")


def test_the_privacy_views_are_built_from_the_rules() -> None:
    assert codes_resting_on("protected_activity") == privacy.PROTECTED_FINDINGS
    assert codes_resting_on("age") == privacy.AGE_FINDINGS
    assert codes_resting_on("pay") == privacy.PAY_FINDINGS
    assert privacy.MANAGER.findings >= privacy.PROTECTED_FINDINGS | privacy.AGE_FINDINGS


def test_without_the_protected_activities_their_findings_go_and_the_rest_stay() -> None:
    raised = codes(RETALIATION)
    resting = codes_resting_on("protected_activity")
    assert {"retaliation.timing", "leave.adjacent"} <= raised & resting
    without = copy.deepcopy(RETALIATION)
    without["protected_activities"] = []
    assert codes(without) == raised - resting


def test_under_40_the_age_findings_go_and_the_rest_stay() -> None:
    raised = codes(RETALIATION)
    resting = codes_resting_on("age")
    assert {"owbpa.consideration_period", "owbpa.adea_not_named"} <= raised & resting
    younger = copy.deepcopy(RETALIATION)
    younger["employee"]["birth_date"] = "1990-02-11"  # 35 at the offer
    assert codes(younger) == raised - resting


def test_without_equity_the_pay_findings_go_and_the_rest_stay() -> None:
    raised = codes(RETALIATION)
    assert "vesting.forfeiture" in raised
    unvested = copy.deepcopy(RETALIATION)
    unvested["equity"] = []
    assert codes(unvested) == raised - codes_resting_on("pay")
