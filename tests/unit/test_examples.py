"""The shared example cases review exactly as their ``.expect.json`` files say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fairpivot.domain.casefile import read_case_file
from fairpivot.domain.review import Review, review
from fairpivot.domain.review.model import severity_rank
from tests.builders import EXAMPLES

SHARED = Path(__file__).resolve().parents[3] / "shared" / "examples"
CASES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expect.json"))
EXPECT_KEYS = {"must", "must_not", "deadlines", "stage", "severity"}


def _expectation(case_path: Path) -> dict[str, Any]:
    expect: dict[str, Any] = json.loads(case_path.with_suffix(".expect.json").read_text())
    unknown = set(expect) - EXPECT_KEYS
    assert not unknown, f"the expectation format grew keys this test does not check: {unknown}"
    return expect


def _review(case_path: Path) -> Review:
    loaded = read_case_file(case_path)
    return review(loaded.file, loaded.policy)


def test_it_has_the_examples_to_check() -> None:
    assert len(CASES) >= 3


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_it_raises_every_code_the_example_requires(case_path: Path) -> None:
    raised = {f.code for f in _review(case_path).findings}
    assert set(_expectation(case_path).get("must", [])) <= raised


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_it_raises_no_code_the_example_forbids(case_path: Path) -> None:
    raised = {f.code for f in _review(case_path).findings}
    assert not raised & set(_expectation(case_path).get("must_not", []))


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_it_lists_each_deadline_date_the_example_names(case_path: Path) -> None:
    result = _review(case_path)
    for code, when in _expectation(case_path).get("deadlines", {}).items():
        assert when in [d.date.isoformat() for d in result.deadlines if d.code == code], code


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_it_reaches_the_stage_the_example_names(case_path: Path) -> None:
    expect = _expectation(case_path)
    assert _review(case_path).stage == expect["stage"]


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_it_gives_each_code_the_highest_severity_the_example_names(case_path: Path) -> None:
    result = _review(case_path)
    for code, severity in _expectation(case_path).get("severity", {}).items():
        found = [f.severity for f in result.findings if f.code == code]
        assert found, code
        assert min(found, key=severity_rank) == severity, code


def test_it_carries_the_shared_examples_unchanged() -> None:
    if not SHARED.is_dir():
        pytest.skip("no ../shared beside this checkout; the fixtures stand alone")
    shared = {p.name: p.read_bytes() for p in SHARED.glob("*.json")}
    carried = {p.name: p.read_bytes() for p in EXAMPLES.glob("*.json")}
    assert shared == carried, "refresh tests/fixtures/examples from ../shared/examples"
