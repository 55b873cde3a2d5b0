"""The whole org pipeline on a small generated org: generate, import, screen, find every pattern.

The generator plants known risky patterns (per case and per org) and lists them in
patterns.json; the screen must find each one where the generator put it, without burying it
under chance findings. The same org with nothing planted must raise no high org finding.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F

from fairpivot.records.cases import transfer
from fairpivot.records.clock import FixedClock
from fairpivot.records.hris.importing import import_hris
from fairpivot.records.ledger.chains import facts_by_case
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    FindingProjection,
    ImpactTest,
    OrgFinding,
    ReleaseOfferProjection,
)
from fairpivot.records.reviewing import PROJECTED, review_batch
from fairpivot.records.screen import screening as screen_module
from fairpivot.records.screen.screening import candidate_ids, screen, screen_cases
from fairpivot.synth.org import generate_org

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
CLOCK = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))
Row = tuple[Any, ...]


EMPLOYEES = 2500


@pytest.fixture(scope="module")
def org_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org") / "export"
    generate_org(folder, employees=EMPLOYEES, seed=11, as_of=AS_OF)
    return folder


@pytest.fixture(scope="module")
def bare_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bare") / "export"
    generate_org(folder, employees=EMPLOYEES, seed=11, as_of=AS_OF, plant="none")
    return folder


def load(folder: Path) -> dict[str, str]:
    """Import the org and its cases; return each case file's case id."""
    import_hris(folder, today=AS_OF)
    files = sorted((folder / "cases").glob("*.json"))
    refs = {}
    for result in transfer.import_many(transfer.check_files(files), CLOCK):
        refs[f"cases/{result.path.name}"] = result.case.ref
    return refs


def patterns(folder: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((folder / "patterns.json").read_text())
    return found


def test_it_finds_every_pattern_the_generator_planted(org_folder: Path) -> None:
    refs = load(org_folder)
    screen(CLOCK, as_of=AS_OF)
    assert CaseProjection.objects.count() == len(refs)
    planted = patterns(org_folder)
    kinds = {p["expect_code"] for p in planted}
    assert {
        "retaliation.timing",
        "focus.undisclosed",
        "owbpa.consideration_period",
        "vesting.forfeiture",
        "unemployment.resignation_label",
        "impact.four_fifths",
        "owbpa.hidden_group_program",
        "quota.clustering",
    } <= kinds
    for pattern in planted:
        code = pattern["expect_code"]
        if "case_file" in pattern:
            number = int(refs[pattern["case_file"]].removeprefix("C-"))
            codes = set(
                FindingProjection.objects.filter(case_id=number).values_list("code", flat=True)
            )
            assert code in codes, pattern
        elif code == "impact.four_fifths":
            assert OrgFinding.objects.filter(
                code=code,
                org=pattern["org"],
                evidence__dimension=pattern["dimension"],
                evidence__stage=pattern["stage"],
                evidence__group=pattern["group"],
            ).exists(), pattern
        elif code == "quota.clustering":
            assert OrgFinding.objects.filter(code=code, org=pattern["org"]).exists(), pattern
        else:
            # Found in the decisional unit (the top-level org) holding the planted offers.
            wanted = {refs[name] for name in pattern["case_files"]}
            unit = pattern["org"].split("/")[0]
            found = OrgFinding.objects.filter(code=code, org=unit, severity="high")
            assert any(wanted <= set(f.evidence["cases"]) for f in found), pattern


def test_it_keeps_the_planted_org_patterns_above_a_short_list(org_folder: Path) -> None:
    load(org_folder)
    screen(CLOCK, as_of=AS_OF)
    found = list(OrgFinding.objects.all())
    high = [f for f in found if f.severity == "high"]
    assert len(found) <= 40, Counter(f.code for f in found)
    assert len(high) <= 10, [(f.code, f.org) for f in high]
    assert not OrgFinding.objects.filter(code="quota.clustering", severity="high").exists()
    # Every adverse-impact finding holds all three conditions over the whole family.
    family = ImpactTest.objects.count()
    for finding in OrgFinding.objects.filter(code="impact.four_fifths"):
        evidence = finding.evidence
        assert evidence["tests"] == family > 100
        assert evidence["adverse_ratio"] < 0.8
        assert evidence["adjusted_p_value"] < 0.05
        assert evidence["shortfall"] >= 2


def test_with_nothing_planted_it_raises_no_high_org_finding(bare_folder: Path) -> None:
    load(bare_folder)
    report = screen(CLOCK, as_of=AS_OF, every_case=True)
    assert report.cases.cases > 100
    assert patterns(bare_folder) == []
    assert ImpactTest.objects.count() > 100  # the tests ran; none held up
    high = OrgFinding.objects.filter(severity="high").values_list("code", "org")
    assert list(high) == []
    assert not OrgFinding.objects.filter(code="impact.four_fifths").exists()
    assert not OrgFinding.objects.filter(code="owbpa.hidden_group_program").exists()


def test_a_daily_screen_reviews_only_what_expired_or_moved(org_folder: Path) -> None:
    load(org_folder)
    screen_cases(CLOCK, as_of=AS_OF, every_case=True)
    assert candidate_ids(AS_OF) == []  # all reviewed today: nothing has expired
    later = AS_OF + timedelta(days=30)
    projections = CaseProjection.objects.all()
    expired = set(projections.filter(expires_on__lte=later).values_list("case_id", flat=True))
    assert 0 < len(expired) < projections.count()
    assert set(candidate_ids(later)) == expired
    # A projection written before its case's ledger or history moved is due at once.
    kept = projections.exclude(case_id__in=expired).order_by("case_id")
    ledger_moved, history_moved, untouched = (p.case_id for p in kept[:3])
    projections.filter(case_id=ledger_moved).update(case_version=F("case_version") - 1)
    projections.filter(case_id=history_moved).update(history_version=F("history_version") + 1)
    chosen = set(candidate_ids(AS_OF))
    assert chosen == {ledger_moved, history_moved}
    assert untouched not in chosen
    # A review made for a day after the screen's (a screen run ahead) is made again.
    projections.filter(case_id=untouched).update(as_of=AS_OF + timedelta(days=1))
    assert untouched in set(candidate_ids(AS_OF))
    assert untouched not in set(candidate_ids(AS_OF + timedelta(days=1)))


def stored_rows() -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """What the projection tables hold, as the writer's rows (dates as ISO text)."""
    columns = [c for c in PROJECTED if c not in ("case_version", "history_version")]
    stored = CaseProjection.objects.values_list("case_id", *columns[:-1])
    cases = sorted(_said(row) for row in _iso(stored))
    deadlines = DeadlineProjection.objects.values_list(
        "case_id", "code", "date", "passed", "settled"
    )
    findings = FindingProjection.objects.values_list("case_id", "code", "severity", "date")
    releases = ReleaseOfferProjection.objects.values_list(*ReleaseOfferProjection.COLUMNS)
    return cases, _iso(deadlines), _iso(findings), _iso(releases)


def reviewed_rows(day: date) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """The same rows from a full review of every case as of ``day``, stored nowhere."""
    ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    rows = review_batch(list(facts_by_case(ids).items()), day, day)
    cases = sorted(_said(_iso([row])[0]) for row in rows.projections)
    return cases, _iso(rows.deadlines), _iso(rows.findings), _iso(rows.releases)


def _said(row: Row) -> Row:
    """A projection row without the day it was made (in its column and in its review)."""
    review = row[3] if isinstance(row[3], dict) else json.loads(row[3])
    said = {k: v for k, v in review.items() if k != "as_of"}
    return (*row[:2], json.dumps(said, sort_keys=True), *row[4:])


def _iso(rows: Any) -> list[Row]:
    return sorted(tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows)


def test_sixty_daily_screens_keep_every_projection_equal_to_a_full_review(
    org_folder: Path,
) -> None:
    load(org_folder)
    screened = []
    for offset in range(60):
        day = AS_OF + timedelta(days=offset)
        clock = FixedClock(datetime.combine(day, time(12), tzinfo=UTC))
        screened.append(screen_cases(clock, as_of=day).cases)
        assert stored_rows() == reviewed_rows(day), day
    total = Case.objects.count()
    # The screen costs what changed: on most days a small share of the cases.
    assert sorted(screened)[len(screened) // 2] < total // 4, screened


def test_it_moves_deadlines_with_the_calendar_alone(org_folder: Path) -> None:
    load(org_folder)
    screen_cases(CLOCK, as_of=AS_OF, every_case=True)
    before = dict(CaseProjection.objects.values_list("case_id", "as_of"))
    screen_cases(CLOCK, as_of=date(2026, 12, 1), every_case=True)
    after = dict(CaseProjection.objects.values_list("case_id", "as_of"))
    assert set(after.values()) == {date(2026, 12, 1)}
    assert before != after
    assert Case.objects.count() == len(after)


def test_it_stores_the_same_projections_when_reviewing_in_worker_processes(
    org_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(org_folder)
    serial = screen_cases(CLOCK, as_of=AS_OF, every_case=True)
    rows = sorted(CaseProjection.objects.values_list("case_id", "stage", "review", "exit_on"))
    findings = sorted(FindingProjection.objects.values_list("case_id", "code", "date"))
    monkeypatch.setattr(screen_module, "WORKERS_FROM", 0)
    parallel = screen_cases(CLOCK, as_of=AS_OF, every_case=True, workers=2, batch_size=50)
    assert (parallel.cases, parallel.findings) == (serial.cases, serial.findings)
    assert (
        sorted(CaseProjection.objects.values_list("case_id", "stage", "review", "exit_on")) == rows
    )
    assert sorted(FindingProjection.objects.values_list("case_id", "code", "date")) == findings
