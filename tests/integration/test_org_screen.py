"""The whole org pipeline on a small generated org: generate, import, screen, find every pattern.

The generator injects known risky patterns (per case and per org) and lists them in
patterns.json; the screen must find each one where the generator put it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from fairpivot.records import screen as screen_module
from fairpivot.records import transfer
from fairpivot.records.clock import FixedClock
from fairpivot.records.hris import import_hris
from fairpivot.records.models import Case, CaseProjection, FindingProjection, OrgFinding
from fairpivot.records.screen import SETTLED, candidate_ids, screen, screen_cases
from fairpivot.synth.org import generate_org

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
CLOCK = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))


@pytest.fixture(scope="module")
def org_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org") / "export"
    generate_org(folder, employees=2500, seed=11, as_of=AS_OF)
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


def in_org(finding: OrgFinding, org: str) -> bool:
    return finding.org == org or finding.org.startswith(f"{org}/")


def test_it_finds_every_pattern_the_generator_injected(org_folder: Path) -> None:
    refs = load(org_folder)
    report = screen(CLOCK, as_of=AS_OF)
    assert report.cases.cases == len(refs)
    injected = patterns(org_folder)
    kinds = {p["expect_code"] for p in injected}
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
    for pattern in injected:
        code = pattern["expect_code"]
        if "case_file" in pattern:
            number = int(refs[pattern["case_file"]].removeprefix("C-"))
            codes = set(
                FindingProjection.objects.filter(case_id=number).values_list("code", flat=True)
            )
            assert code in codes, pattern
        else:
            found = [f for f in OrgFinding.objects.filter(code=code) if in_org(f, pattern["org"])]
            assert found, pattern
            if "dimension" in pattern:
                assert any(
                    f.org == pattern["org"]
                    and f.evidence["dimension"] == pattern["dimension"]
                    and f.evidence["stage"] == pattern["stage"]
                    and f.evidence["group"] == pattern["group"]
                    for f in found
                ), pattern
            if code == "quota.clustering":
                assert any(f.org == pattern["org"] for f in found), pattern
            if "case_files" in pattern:
                wanted = {refs[name] for name in pattern["case_files"]}
                assert any(wanted <= set(f.evidence["cases"]) for f in found), pattern


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
