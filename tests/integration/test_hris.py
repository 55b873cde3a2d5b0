"""The HRIS import on this run's database: every file loaded, every bad row named, all or nothing.

The export below is small enough to count by hand. On TODAY (2025-06-30):

- Retail: E1 (55, female, white) and E5 (no demographics); both active, none rated LE.
- Retail/Ops: E2 (exactly 40 today, male, asian), E3 (39, female, black; LE once, then
  HV2), E6 (no birth date, nonbinary, hispanic_latino; latest rating LE), and E4, who left
  (rated LE, so a count that forgot exit_date would show it).
- E1 manages E2 and E5; E2 manages E3, E4 and E6. E3's row comes before its manager's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.hris.importing import BadHrisExport, HrisImportReport, import_hris
from fairpivot.records.models import (
    Case,
    Demographics,
    Employee,
    ManagerHeadcount,
    OrgHeadcount,
    OrgTarget,
    Promotion,
    Rating,
    Vest,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 30)
GOOD = {
    "employees.csv": """\
employee_id,name,title,level,org,manager_id,work_state,hire_date,exit_date
E1,Ada,Director,L8,Retail,,WA,2015-01-05,
E3,Cy,Engineer,L4,Retail/Ops,E2,CA,2020-06-15,
E2,Ben,Manager,L6,Retail/Ops,E1,WA,2018-03-01,
E4,Di,Engineer,L4,Retail/Ops,E2,TX,2021-02-01,2024-12-31
E5,Ed,Analyst,L5,Retail,E1,NY,2019-09-09,
E6,Flo,Analyst,L3,Retail/Ops,E2,GA,2022-01-10,
""",
    "ratings.csv": """\
employee_id,date,value
E3,2024-03-01,LE
E3,2025-03-01,HV2
E6,2024-03-01,HV1
E6,2025-03-01,LE
E5,2025-03-01,TT
E4,2025-03-01,LE
""",
    "promotions.csv": "employee_id,date,level\nE2,2022-01-01,L6\n",
    "vests.csv": "employee_id,grant_id,date,shares\nE3,G-1,2025-09-01,100\nE3,G-1,2026-09-01,120\n",
    "demographics.csv": """\
employee_id,birth_date,sex,race_ethnicity
E1,1970-05-01,female,white
E2,1985-06-30,male,asian
E3,1985-07-01,female,black
E6,,nonbinary,hispanic_latino
""",
    "targets.csv": "org,year,ura_target\nRetail,2025,0.06\nRetail/Ops,2025,0.1\n",
}
MODELS: tuple[type[models.Model], ...] = (
    Employee,
    Rating,
    Promotion,
    Vest,
    Demographics,
    OrgTarget,
    OrgHeadcount,
    ManagerHeadcount,
)


def export(folder: Path, changes: Mapping[str, str | None] | None = None) -> Path:
    """Write the good export with some files replaced (or, for None, left out)."""
    folder.mkdir(exist_ok=True)
    for name, text in {**GOOD, **(changes or {})}.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def with_row(name: str, row: str) -> dict[str, str | None]:
    """The good export's file with one more row at its end."""
    return {name: GOOD[name] + row + "\n"}


def run(folder: Path, *, skip_bad: bool = False) -> HrisImportReport:
    return import_hris(folder, skip_bad=skip_bad, today=TODAY)


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the import writes: ids too, but a rebuilt headcount's."""
    rows = {}
    for model in MODELS:
        fields = [f.attname for f in model._meta.concrete_fields]
        if model is OrgHeadcount:
            fields.remove("id")
        rows[model.__name__] = sorted(model._default_manager.values_list(*fields), key=repr)
    return rows


def refused(folder: Path, *, skip_bad: bool = False) -> list[str]:
    """The problems an import reports as it refuses the export, having written nothing."""
    before = snapshot()
    with pytest.raises(InvalidInput) as caught:
        run(folder, skip_bad=skip_bad)
    assert snapshot() == before
    return list(caught.value.problems)


def headcounts() -> set[tuple[str, str, str, int, int]]:
    return set(
        OrgHeadcount.objects.values_list("org", "dimension", "value", "headcount", "low_rated")
    )


def test_it_loads_every_file_of_a_good_export(tmp_path: Path) -> None:
    report = run(export(tmp_path))
    assert [(f.name, f.loaded, f.skipped) for f in report.files] == [
        ("employees.csv", 6, 0),
        ("ratings.csv", 6, 0),
        ("promotions.csv", 1, 0),
        ("vests.csv", 2, 0),
        ("demographics.csv", 4, 0),
        ("targets.csv", 2, 0),
    ]
    assert report.problems == ()
    assert counts() == {
        "Employee": 6,
        "Rating": 6,
        "Promotion": 1,
        "Vest": 2,
        "Demographics": 4,
        "OrgTarget": 2,
        "OrgHeadcount": 17,
        "ManagerHeadcount": 2,
    }
    di = Employee.objects.get(employee_id="E4")
    assert (di.name, di.title, di.level, di.org, di.work_state) == (
        "Di",
        "Engineer",
        "L4",
        "Retail/Ops",
        "TX",
    )
    assert (di.hire_date, di.exit_date) == (date(2021, 2, 1), date(2024, 12, 31))
    assert Employee.objects.get(employee_id="E1").exit_date is None
    assert Vest.objects.get(date=date(2026, 9, 1)).shares == 120
    assert Demographics.objects.get(employee__employee_id="E6").birth_date is None
    assert OrgTarget.objects.get(org="Retail/Ops", year=2025).ura_target == 0.1


def test_it_links_a_manager_defined_further_down_the_file(tmp_path: Path) -> None:
    run(export(tmp_path))
    managers = dict(Employee.objects.values_list("employee_id", "manager__employee_id"))
    assert managers == {"E1": None, "E2": "E1", "E3": "E2", "E4": "E2", "E5": "E1", "E6": "E2"}


def test_it_counts_the_active_people_of_each_org_and_group(tmp_path: Path) -> None:
    run(export(tmp_path))
    assert headcounts() == {
        ("Retail", "all", "all", 2, 0),
        ("Retail", "sex", "female", 1, 0),
        ("Retail", "sex", "unknown", 1, 0),
        ("Retail", "race_ethnicity", "white", 1, 0),
        ("Retail", "race_ethnicity", "unknown", 1, 0),
        ("Retail", "age_band", "40_plus", 1, 0),
        ("Retail", "age_band", "unknown", 1, 0),
        ("Retail/Ops", "all", "all", 3, 1),
        ("Retail/Ops", "sex", "male", 1, 0),
        ("Retail/Ops", "sex", "female", 1, 0),
        ("Retail/Ops", "sex", "nonbinary", 1, 1),
        ("Retail/Ops", "race_ethnicity", "asian", 1, 0),
        ("Retail/Ops", "race_ethnicity", "black", 1, 0),
        ("Retail/Ops", "race_ethnicity", "hispanic_latino", 1, 1),
        ("Retail/Ops", "age_band", "40_plus", 1, 0),
        ("Retail/Ops", "age_band", "under_40", 1, 0),
        ("Retail/Ops", "age_band", "unknown", 1, 1),
    }
    assert set(ManagerHeadcount.objects.values_list("manager_ref", "org", "headcount")) == {
        ("E1", "Retail", 2),
        ("E2", "Retail/Ops", 2),
    }


def test_it_dates_ages_by_the_day_it_is_given(tmp_path: Path) -> None:
    import_hris(export(tmp_path), today=date(2025, 6, 29))  # E2 is still 39
    assert ("Retail/Ops", "age_band", "under_40", 2, 0) in headcounts()


def test_it_links_cases_to_the_people_they_concern(tmp_path: Path) -> None:
    opened = datetime(2025, 1, 1, tzinfo=UTC)
    case = Case.objects.create(employee_ref="E3", policy="us-default", opened_at=opened)
    stranger = Case.objects.create(employee_ref="E77", policy="us-default", opened_at=opened)
    report = run(export(tmp_path))
    assert report.linked_cases == 1
    case.refresh_from_db()
    stranger.refresh_from_db()
    assert case.employee is not None
    assert case.employee.employee_id == "E3"
    assert stranger.employee is None


def test_it_changes_nothing_when_the_same_export_comes_again(tmp_path: Path) -> None:
    run(export(tmp_path))
    first = snapshot()
    report = run(tmp_path)
    assert snapshot() == first
    assert report.loaded("ratings.csv") == 6


def test_it_updates_people_adds_ratings_and_replaces_demographics(tmp_path: Path) -> None:
    run(export(tmp_path / "one"))
    later = {
        "employees.csv": GOOD["employees.csv"].replace("E6,Flo,Analyst,L3", "E6,Flo,Lead,L4"),
        "ratings.csv": "employee_id,date,value\nE6,2025-03-01,TT\nE6,2026-03-01,HV1\n",
        "demographics.csv": (
            "employee_id,birth_date,sex,race_ethnicity\nE6,1990-01-01,female,white\n"
        ),
        "targets.csv": "org,year,ura_target\nRetail,2025,0.08\n",
    }
    run(export(tmp_path / "two", later))
    flo = Employee.objects.get(employee_id="E6")
    assert (flo.title, flo.level) == ("Lead", "L4")
    ratings = Rating.objects.filter(employee=flo).order_by("date")
    assert [(r.date.isoformat(), r.value) for r in ratings] == [
        ("2024-03-01", "HV1"),
        ("2025-03-01", "LE"),  # the rating already recorded for that day stays
        ("2026-03-01", "HV1"),
    ]
    assert Demographics.objects.get(employee=flo).sex == "female"
    assert OrgTarget.objects.get(org="Retail", year=2025).ura_target == 0.08
    assert Employee.objects.count() == 6


def test_it_accepts_references_to_people_already_in_the_record(tmp_path: Path) -> None:
    run(export(tmp_path / "one"))
    newcomer = {
        "employees.csv": GOOD["employees.csv"].splitlines()[0]
        + "\nE8,Hal,,,Retail,E1,WA,2025-05-01,\n",
        "ratings.csv": "employee_id,date,value\nE3,2025-06-01,LE\n",
        "promotions.csv": None,
        "vests.csv": None,
        "demographics.csv": None,
        "targets.csv": None,
    }
    report = run(export(tmp_path / "two", newcomer))
    assert report.problems == ()
    hal = Employee.objects.get(employee_id="E8")
    assert hal.manager is not None
    assert hal.manager.employee_id == "E1"
    assert ("Retail/Ops", "all", "all", 3, 2) in headcounts()  # E3's latest is LE now


BAD_ROWS = [
    (
        with_row("employees.csv", "E7,Gus,,,Retail,E1,WA,2024-13-01,"),
        "employees.csv:8: hire_date: not a date YYYY-MM-DD (got '2024-13-01')",
    ),
    (
        with_row("employees.csv", "E2,Ben,,,Retail,E1,WA,2020-01-01,"),
        "employees.csv:8: employee_id: appears again (first on line 4) (got 'E2')",
    ),
    (
        with_row("employees.csv", "E7,Gus,,,Retail,E7,WA,2020-01-01,"),
        "employees.csv:8: manager_id: the person themself (got 'E7')",
    ),
    (
        with_row("employees.csv", "E7,Gus,,,Retail,E99,WA,2020-01-01,"),
        "employees.csv:8: manager_id: no such person in employees.csv or the record (got 'E99')",
    ),
    (
        with_row("employees.csv", "E7,Gus,,,Retail,E1,ZZ,2020-01-01,"),
        "employees.csv:8: work_state: not a US state or territory code (got 'ZZ')",
    ),
    (
        with_row("employees.csv", "E7,Gus,,,Retail,E1,WA,2020-01-01,2019-12-31"),
        "employees.csv:8: exit_date: before hire_date 2020-01-01 (got '2019-12-31')",
    ),
    (
        with_row("employees.csv", "E7,,,,Retail//Ops,E1,WA,2020-01-01,"),
        "employees.csv:8: name: blank, but required (got '')\n"
        "employees.csv:8: org: not an org path like Retail/Ops/Planning (got 'Retail//Ops')",
    ),
    (
        with_row("employees.csv", "E7,Gus,Retail,E1,WA,2020-01-01,"),
        "employees.csv:8: 7 cells, but the header has 9",
    ),
    (
        with_row("ratings.csv", "E3,2025-04-01,GREAT"),
        "ratings.csv:8: value: not one of TT, HV1, HV2, HV3, LE (got 'GREAT')",
    ),
    (
        with_row("ratings.csv", "E99,2025-04-01,TT"),
        "ratings.csv:8: employee_id: no such person in employees.csv or the record (got 'E99')",
    ),
    (
        with_row("vests.csv", "E3,G-1,2027-09-01,0"),
        "vests.csv:4: shares: not a whole number above 0 (got '0')",
    ),
    (
        with_row("vests.csv", "E3,G-1,2027-09-01,-5"),
        "vests.csv:4: shares: not a whole number above 0 (got '-5')",
    ),
    (
        with_row("demographics.csv", "E5,1980-01-01,other,white"),
        "demographics.csv:6: sex: not one of female, male, nonbinary, undisclosed (got 'other')",
    ),
    (
        with_row("demographics.csv", "E5,1980-01-01,male,martian"),
        "demographics.csv:6: race_ethnicity: not an EEO-1 category in docs/hris.md (got 'martian')",
    ),
    (
        with_row("demographics.csv", "E1,1970-05-01,female,white"),
        "demographics.csv:6: employee_id: a second row for this person (first on line 2) "
        "(got 'E1')",
    ),
    (
        with_row("targets.csv", "Retail/Ops,2025,0.2"),
        "targets.csv:4: year: a second target for Retail/Ops (first on line 3) (got '2025')",
    ),
    (
        with_row("targets.csv", "Retail,2026,1.5"),
        "targets.csv:4: ura_target: not a fraction from 0 to 1 (got '1.5')",
    ),
    (
        with_row("targets.csv", "Retail,26,-0.1"),
        "targets.csv:4: year: not a four-digit year (got '26')\n"
        "targets.csv:4: ura_target: not a fraction from 0 to 1 (got '-0.1')",
    ),
    (
        with_row("promotions.csv", "E2,2023-02-30,L7"),
        "promotions.csv:3: date: not a date YYYY-MM-DD (got '2023-02-30')",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), BAD_ROWS, ids=lambda v: str(v)[-40:])
def test_it_names_each_bad_row_and_writes_nothing(
    tmp_path: Path, changes: dict[str, str | None], expected: str
) -> None:
    run(export(tmp_path / "before"))  # something in the record, so "nothing" means something
    assert refused(export(tmp_path / "bad", changes)) == expected.split("\n")


def test_it_reports_every_problem_in_file_and_line_order(tmp_path: Path) -> None:
    changes = {
        "employees.csv": GOOD["employees.csv"].replace("2018-03-01", "2018-3-1"),
        "ratings.csv": GOOD["ratings.csv"] + "E9,2025-01-01,TT\nE5,2025-01-01,BAD\n",
        "targets.csv": GOOD["targets.csv"] + "Retail,2026,2\n",
    }
    assert refused(export(tmp_path, changes)) == [
        "employees.csv:4: hire_date: not a date YYYY-MM-DD (got '2018-3-1')",
        "ratings.csv:8: employee_id: no such person in employees.csv or the record (got 'E9')",
        "ratings.csv:9: value: not one of TT, HV1, HV2, HV3, LE (got 'BAD')",
        "targets.csv:4: ura_target: not a fraction from 0 to 1 (got '2')",
    ]


def test_it_prints_fifty_problems_and_counts_the_rest(tmp_path: Path) -> None:
    rows = "".join(f"E1,2020-01-{day:02d},NOPE\n" for day in range(1, 29))
    rows += "".join(f"E1,2021-01-{day:02d},NOPE\n" for day in range(1, 29))
    with pytest.raises(BadHrisExport) as caught:
        run(export(tmp_path, {"ratings.csv": "employee_id,date,value\n" + rows}))
    assert len(caught.value.problems) == 51
    assert caught.value.problems[-1] == "and 6 more problems"
    assert len(caught.value.all_problems) == caught.value.count == 56


def test_it_names_the_line_a_row_starts_on_when_a_cell_spans_lines(tmp_path: Path) -> None:
    employees = GOOD["employees.csv"].replace("Director", '"Director,\nRetail"')
    employees += "E7,Gus,,,Retail,E1,WA,2020-01-01,yesterday\n"
    assert refused(export(tmp_path, {"employees.csv": employees})) == [
        "employees.csv:9: exit_date: not a date YYYY-MM-DD (got 'yesterday')"
    ]


def test_it_leaves_out_bad_rows_and_the_rows_of_people_left_out_with_skip_bad(
    tmp_path: Path,
) -> None:
    changes = {
        "employees.csv": GOOD["employees.csv"].replace("2018-03-01", "2018-03-32"),
        "ratings.csv": GOOD["ratings.csv"] + "E1,2025-03-01,MEH\n",
    }
    report = run(export(tmp_path, changes), skip_bad=True)
    # E2's row is bad; E3, E4 and E6 report to E2, so they go too, with all their rows.
    assert list(report.problems) == [
        "employees.csv:3: manager_id: left out with the manager (got 'E2')",
        "employees.csv:4: hire_date: not a date YYYY-MM-DD (got '2018-03-32')",
        "employees.csv:5: manager_id: left out with the manager (got 'E2')",
        "employees.csv:7: manager_id: left out with the manager (got 'E2')",
        "ratings.csv:2: employee_id: left out with the person (got 'E3')",
        "ratings.csv:3: employee_id: left out with the person (got 'E3')",
        "ratings.csv:4: employee_id: left out with the person (got 'E6')",
        "ratings.csv:5: employee_id: left out with the person (got 'E6')",
        "ratings.csv:7: employee_id: left out with the person (got 'E4')",
        "ratings.csv:8: value: not one of TT, HV1, HV2, HV3, LE (got 'MEH')",
        "promotions.csv:2: employee_id: left out with the person (got 'E2')",
        "vests.csv:2: employee_id: left out with the person (got 'E3')",
        "vests.csv:3: employee_id: left out with the person (got 'E3')",
        "demographics.csv:3: employee_id: left out with the person (got 'E2')",
        "demographics.csv:4: employee_id: left out with the person (got 'E3')",
        "demographics.csv:5: employee_id: left out with the person (got 'E6')",
    ]
    assert [(f.name, f.loaded, f.skipped) for f in report.files] == [
        ("employees.csv", 2, 4),
        ("ratings.csv", 1, 6),
        ("promotions.csv", 0, 1),
        ("vests.csv", 0, 2),
        ("demographics.csv", 1, 3),
        ("targets.csv", 2, 0),
    ]
    assert set(Employee.objects.values_list("employee_id", flat=True)) == {"E1", "E5"}
    assert list(Rating.objects.values_list("employee__employee_id", "value")) == [("E5", "TT")]
    assert ("Retail", "all", "all", 2, 0) in headcounts()


def test_it_keeps_the_first_of_two_rows_for_one_person_with_skip_bad(tmp_path: Path) -> None:
    changes = with_row("employees.csv", "E1,Imposter,,,X,,WA,2020-01-01,")
    report = run(export(tmp_path, changes), skip_bad=True)
    assert [(f.loaded, f.skipped) for f in report.files[:1]] == [(6, 1)]
    assert Employee.objects.get(employee_id="E1").name == "Ada"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"employees.csv": None},
            "employees.csv: missing; an HRIS export always has one",
        ),
        (
            {"employees.csv": GOOD["employees.csv"].replace("hire_date", "hired")},
            "employees.csv:1: hired: unknown column; the columns are employee_id, name, title, "
            "level, org, manager_id, work_state, hire_date, exit_date\n"
            "employees.csv:1: hire_date: required column missing",
        ),
        ({"ratings.csv": ""}, "ratings.csv:1: empty file: no header row"),
        (
            {"ratings.csv": "employee_id,date,value,value\n"},
            "ratings.csv:1: value: column appears twice",
        ),
        (
            {"rating.csv": "employee_id,date,value\n"},
            "rating.csv: not a file of an HRIS export; they are employees.csv, ratings.csv, "
            "promotions.csv, vests.csv, demographics.csv, targets.csv",
        ),
    ],
    ids=["no employees.csv", "unknown column", "empty file", "column twice", "unknown file"],
)
def test_it_refuses_an_export_whose_files_are_off_even_with_skip_bad(
    tmp_path: Path, changes: dict[str, str | None], expected: str
) -> None:
    assert refused(export(tmp_path, changes), skip_bad=True) == expected.split("\n")


def test_it_reads_a_file_without_its_optional_columns(tmp_path: Path) -> None:
    employees = "employee_id,name,org,work_state,hire_date\nE1,Ada,Retail,WA,2015-01-05\n"
    only: dict[str, str | None] = dict.fromkeys(GOOD)
    report = run(export(tmp_path, {**only, "employees.csv": employees}))
    assert report.loaded("employees.csv") == 1
    ada = Employee.objects.get(employee_id="E1")
    assert (ada.title, ada.level, ada.manager, ada.exit_date) == ("", "", None, None)


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    folder = export(tmp_path)
    (folder / "ratings.csv").write_bytes(GOOD["ratings.csv"].encode() + b"E3,2025-04-01,\xff\n")
    assert refused(folder, skip_bad=True) == ["ratings.csv:8: not UTF-8 text"]


def test_it_keeps_the_ids_of_people_in_the_record_and_numbers_newcomers_after(
    tmp_path: Path,
) -> None:
    made = Employee.objects.create(employee_id="E2", name="Ben", org="Retail")
    run(export(tmp_path))
    ids = dict(Employee.objects.values_list("employee_id", "id"))
    assert ids["E2"] == made.id  # re-linked to the same person, not a new one
    assert Employee.objects.get(employee_id="E3").manager_id == made.id
    assert min(i for e, i in ids.items() if e != "E2") > made.id
    later = Employee.objects.create(employee_id="E9", name="Ivy", org="Retail")
    assert later.id > max(ids.values())  # the id sequence moved past the import's ids
