"""A review read back from its document is the review: what the projection stores, the
page and the API both render."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from fairpivot.domain.casefile import LoadedCase, read_case_file
from fairpivot.domain.review import Review, review
from tests.builders import EXAMPLES
from tests.unit.test_expiry import generated  # noqa: F401  (a module fixture, shared)

CASES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expect.json"))


def round_trip(result: Review) -> Review:
    return Review.from_json(
        result.to_json(), currency=result.currency, expires_on=result.expires_on
    )


def _with_lists(result: Review) -> Review:
    """The review as its document gives it back: evidence as JSON values (dates as text,
    tuples as lists); everything else as it was."""
    findings = tuple(replace(f, evidence=f.to_json()["evidence"]) for f in result.findings)
    return replace(result, findings=findings)


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_an_example_review_reads_back_as_itself(case_path: Path) -> None:
    loaded = read_case_file(case_path)
    result = review(loaded.file, loaded.policy)
    again = round_trip(result)
    assert again.to_json() == result.to_json()
    assert again == _with_lists(result)


def test_every_generated_review_reads_back_as_itself(generated: list[LoadedCase]) -> None:  # noqa: F811
    checked = 0
    for loaded in generated:
        result = review(loaded.file, loaded.policy)
        again = round_trip(result)
        assert again.to_json() == result.to_json()
        assert again == _with_lists(result)
        checked += bool(result.findings) and bool(result.deadlines)
    assert checked > 10, "the generated org has cases with findings and deadlines"
