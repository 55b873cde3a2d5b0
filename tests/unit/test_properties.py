"""Properties of the fold and the review over random, well-formed case files."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairpivot.domain.policy import STAGES
from fairpivot.domain.review import review
from fairpivot.domain.review.model import SEVERITIES, severity_rank
from tests.builders import load
from tests.strategies import EARLIEST, case_files

days = st.dates(min_value=EARLIEST, max_value=date(2026, 6, 30))

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(case_files())
def test_it_reviews_any_well_formed_case_without_crashing(doc: dict[str, Any]) -> None:
    loaded = load(doc)
    result = review(loaded.file, loaded.policy)
    out = result.to_json()
    assert out["stage"] in STAGES
    assert all(f["severity"] in SEVERITIES for f in out["findings"])
    json.dumps(out)  # every value serialises


@FAST
@given(case_files())
def test_it_gives_the_same_review_every_time(doc: dict[str, Any]) -> None:
    first = review(load(doc).file, load(doc).policy).to_json()
    again = review(load(json.loads(json.dumps(doc))).file, load(doc).policy).to_json()
    assert first == again


@FAST
@given(case_files())
def test_it_sorts_findings_by_severity_then_date_and_deadlines_by_date(
    doc: dict[str, Any],
) -> None:
    result = review(load(doc).file, load(doc).policy)
    keys = [(severity_rank(f.severity), f.date, f.code) for f in result.findings]
    assert keys == sorted(keys)
    dated = [(d.date, d.code) for d in result.deadlines]
    assert dated == sorted(dated)
    assert all(d.passed == (d.date < result.as_of) for d in result.deadlines)


@FAST
@given(case_files(), days)
def test_it_reviews_as_of_a_date_as_if_later_facts_were_never_recorded(
    doc: dict[str, Any], when: date
) -> None:
    loaded = load(doc)
    as_of_result = review(loaded.file, loaded.policy, as_of=when).to_json()
    cut = when.isoformat()
    earlier = {
        **doc,
        "as_of": cut,
        "events": [e for e in doc["events"] if e["date"] <= cut],
        "ratings": [r for r in doc["ratings"] if r["date"] <= cut],
        "protected_activities": [a for a in doc["protected_activities"] if a["date"] <= cut],
    }
    if "age" in doc["employee"]:
        # An age is stated at the file's as_of, so only the stage can be compared.
        assert as_of_result["stage"] == review(load(earlier).file, loaded.policy).stage
    else:
        assert as_of_result == review(load(earlier).file, loaded.policy).to_json()
