"""The fast analytics queries return exactly what the old ones did, before and after a re-import.

``ura_by_manager`` now ranks managers in one grouped query, and adverse impact reads each
case's groups from its projection's copy of the demographics instead of joining every case
to the people (records/screen/demographics.py). The old computations are kept in
analytics_before.py; on a generated org, imported as the command line imports it, every
answer must be the same: for the company and its orgs, every dimension, several days, and
after an HRIS re-import that changes people's demographics and links cases to people the
first import did not have.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairpivot.records import analytics
from fairpivot.records.analytics import DIMENSIONS
from fairpivot.records.cases.transfer import check_files, import_many
from fairpivot.records.clock import FixedClock
from fairpivot.records.hris.importing import import_hris
from fairpivot.records.models import CaseProjection, ManagerHeadcount
from fairpivot.records.screen.screening import screen_cases
from fairpivot.synth.org import generate_org
from tests.integration import analytics_before as before

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
CLOCK = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))
DAYS = (AS_OF, AS_OF - timedelta(days=200))
Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org") / "export"
    generate_org(folder, employees=3000, seed=5, as_of=AS_OF)
    return folder


def read(path: Path) -> Rows:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: Rows) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def case_people(folder: Path) -> list[str]:
    """The employees with a case, who manage no one (so they can be left out alone)."""
    managers = {row["manager_id"] for row in read(folder / "employees.csv")}
    people = [json.loads(p.read_text())["employee"]["id"] for p in (folder / "cases").iterdir()]
    return sorted(p for p in set(people) if p not in managers)


def export_without(
    source: Path, folder: Path, missing: set[str], no_demographics: set[str]
) -> Path:
    """A copy of the export without ``missing`` people, nor ``no_demographics``' rows."""
    shutil.copytree(source, folder)
    shutil.rmtree(folder / "cases")
    for path in folder.glob("*.csv"):
        rows = read(path)
        if rows and "employee_id" in rows[0]:
            gone = missing | (no_demographics if path.name == "demographics.csv" else set())
            write(path, [row for row in rows if row["employee_id"] not in gone])
    return folder


def load_cases(source: Path) -> None:
    assert all(r.created for r in import_many(check_files(sorted(source.glob("cases/*.json")))))
    screen_cases(CLOCK, as_of=AS_OF, every_case=True)


def answers(impact: bool = True) -> dict[str, Any]:
    """Every answer of the two queries worth comparing, on this database as it is."""
    orgs = ["", *analytics.top_orgs()]
    deeper = sorted({o for o in CaseProjection.objects.values_list("org", flat=True) if o})[:3]
    out: dict[str, Any] = {}
    for day in DAYS:
        for org in [*orgs, *deeper]:
            for limit in (5, 20, 100_000):
                out[f"managers {day} {org} {limit}"] = analytics.ura_by_manager(day, org, limit)
            if not impact:
                continue
            for dimension in DIMENSIONS:
                out[f"groups {day} {org} {dimension}"] = analytics.group_counts(day, org, dimension)
                out[f"impact {day} {org} {dimension}"] = analytics.impact(day, org, dimension)
        for dimension in DIMENSIONS if impact else ():
            out[f"everywhere {day} {dimension}"] = analytics.impact_everywhere(day, dimension)
    return out


def old_answers(impact: bool = True) -> dict[str, Any]:
    """The same, computed as before the fast paths."""
    with before.impact_by_join(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(analytics, "ura_by_manager", before.ura_by_manager)
        return answers(impact)


def same(new: Callable[[], dict[str, Any]], old: Callable[[], dict[str, Any]]) -> None:
    got, expected = new(), old()
    assert got.keys() == expected.keys()
    for key in expected:
        assert got[key] == expected[key], key


def test_the_fast_paths_answer_as_before_and_after_a_reimport_changes_demographics(
    generated: Path, tmp_path: Path
) -> None:
    people = case_people(generated)
    missing, undisclosed = set(people[:3]), set(people[3:5])
    first = export_without(generated, tmp_path / "first", missing, undisclosed)
    import_hris(first, today=AS_OF)
    load_cases(generated)
    unlinked = CaseProjection.objects.filter(case__employee__isnull=True)
    assert unlinked.count() == len(missing)
    assert set(unlinked.values_list("sex", flat=True)) == {None}
    same(answers, old_answers)
    groups = analytics.group_counts(AS_OF, "", "sex")

    # The full export, with three people's demographics changed: sex, race, and a birth
    # date that moves them across 40 on the day asked about.
    second = tmp_path / "second"
    shutil.copytree(generated, second)
    rows = read(second / "demographics.csv")
    changed = {row["employee_id"]: row for row in rows if row["employee_id"] in people[5:8]}
    a, b, c = (changed[ref] for ref in people[5:8])
    a["sex"] = "female" if a["sex"] == "male" else "male"
    b["race_ethnicity"] = (
        "american_indian_alaska_native"
        if b["race_ethnicity"] != "american_indian_alaska_native"
        else "white"
    )
    c["birth_date"] = "1986-11-01" if c["birth_date"] > "1986-11-01" else "1986-11-02"
    write(second / "demographics.csv", rows)
    import_hris(second, today=AS_OF)

    assert not CaseProjection.objects.filter(case__employee__isnull=True).exists()
    copied = {
        p.case.employee_ref: p
        for p in CaseProjection.objects.select_related("case").filter(
            case__employee_ref__in=[*missing, *undisclosed, *changed]
        )
    }
    for ref, row in changed.items():
        mine = copied[ref]
        born = mine.birth_date.isoformat() if mine.birth_date else None
        assert (mine.sex, mine.race_ethnicity, born) == (
            row["sex"],
            row["race_ethnicity"],
            row["birth_date"],
        )
    assert all(copied[ref].sex is not None for ref in missing | undisclosed)
    assert analytics.group_counts(AS_OF, "", "sex") != groups  # the re-import shows
    same(answers, old_answers)


def test_the_manager_ranking_answers_as_before_for_a_manager_without_a_team(
    generated: Path,
) -> None:
    import_hris(generated, today=AS_OF)
    load_cases(generated)
    ranked = analytics.ura_by_manager(AS_OF, "", 100_000)
    # Managers whose teams are gone (no active reports): ranked as a rate of 0, no org.
    for row in ranked[:3]:
        ManagerHeadcount.objects.filter(manager_ref=row.manager_ref).delete()
    ManagerHeadcount.objects.filter(manager_ref=ranked[-1].manager_ref).update(headcount=0)

    same(lambda: answers(impact=False), lambda: old_answers(impact=False))
    moved = analytics.ura_by_manager(AS_OF, "", 100_000)
    assert sum((r.org, r.headcount, r.rate) == ("", 0, None) for r in moved) == 3
