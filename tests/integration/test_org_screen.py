"""The whole org pipeline on a small generated org: generate, import, screen, find every pattern.

The generator plants known risky patterns (per case and per org) and lists them in
patterns.json; the screen must find each one where the generator put it, without burying it
under chance findings. The same org with nothing planted must raise no high org finding.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from fairpivot.records import screen as screen_module
from fairpivot.records import transfer
from fairpivot.records.clock import FixedClock
from fairpivot.records.hris import import_hris
from fairpivot.records.models import (
    Case,
    CaseProjection,
    FindingProjection,
    ImpactTest,
    OrgFinding,
)
from fairpivot.records.screen import SETTLED, candidate_ids, screen, screen_cases
from fairpivot.synth.org import generate_org

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
CLOCK = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))


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
    report = screen(CLOCK, as_of=AS_OF)
    assert report.cases.cases == len(refs)
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
    report = screen(CLOCK, as_of=AS_OF)
    assert report.cases.cases > 100
    assert patterns(bare_folder) == []
    assert ImpactTest.objects.count() > 100  # the tests ran; none held up
    high = OrgFinding.objects.filter(severity="high").values_list("code", "org")
    assert list(high) == []
    assert not OrgFinding.objects.filter(code="impact.four_fifths").exists()
    assert not OrgFinding.objects.filter(code="owbpa.hidden_group_program").exists()


def test_it_screens_open_cases_but_not_settled_ones_long_past(org_folder: Path) -> None:
    load(org_folder)
    screen_cases(CLOCK, as_of=AS_OF, every_case=True)
    settled = CaseProjection.objects.filter(stage__in=("separated", "closed_passed"))
    old = settled.filter(last_event_on__lt=date(2026, 9, 1)).values_list("case_id", flat=True)
    recent = settled.filter(last_event_on__gte=date(2026, 9, 2)).values_list("case_id", flat=True)
    open_ = CaseProjection.objects.exclude(stage__in=SETTLED)
    chosen = set(candidate_ids(AS_OF, recent_days=60))  # since 2026-09-02
    assert old
    assert recent
    assert open_.exists()
    assert not chosen & set(old)
    assert set(recent) <= chosen
    assert set(open_.values_list("case_id", flat=True)) <= chosen


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
