"""The synthetic org's HRIS files: deterministic, in the documented columns, a sound tree."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from fairpivot.domain.errors import InvalidInput
from fairpivot.synth import check_arguments, generate_org
from fairpivot.synth.shape import MAX_SPAN, MIN_SPAN, plan_shape, tier_sizes

AS_OF = date(2025, 6, 30)
HRIS_DOC = Path(__file__).resolve().parents[2] / "docs" / "hris.md"


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def documented_columns() -> dict[str, list[str]]:
    """The columns of each file, in order, from the table in docs/hris.md."""
    columns: dict[str, list[str]] = {}
    current = ""
    for line in HRIS_DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[1].startswith("`"):
            continue
        if cells[0]:
            current = cells[0].strip("`")
        columns.setdefault(current, []).append(cells[1].strip("`"))
    return columns


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "org"
    generate_org(out, 3000, 7, AS_OF)
    return out


def test_it_writes_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate_org(first, 400, 3, AS_OF)
    generate_org(second, 400, 3, AS_OF)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_it_writes_different_people_for_another_seed(tmp_path: Path) -> None:
    generate_org(tmp_path / "a", 200, 1, AS_OF)
    generate_org(tmp_path / "b", 200, 2, AS_OF)
    a, b = (tmp_path / "a" / "employees.csv"), (tmp_path / "b" / "employees.csv")
    assert a.read_bytes() != b.read_bytes()


def test_it_writes_exactly_the_documented_columns(org: Path) -> None:
    expected = documented_columns()
    assert set(expected) == {
        "employees.csv",
        "ratings.csv",
        "promotions.csv",
        "vests.csv",
        "demographics.csv",
        "targets.csv",
    }
    for name, columns in expected.items():
        header = (org / name).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == columns, name


def test_it_writes_every_employee_once_with_a_manager_in_the_file(org: Path) -> None:
    people = rows(org, "employees.csv")
    ids = [p["employee_id"] for p in people]
    assert len(ids) == 3000 == len(set(ids))
    managers = {p["employee_id"]: p["manager_id"] for p in people}
    assert [i for i, m in managers.items() if not m] == ["E0000001"]
    assert all(m in managers and m != i for i, m in managers.items() if m)


def test_it_writes_a_tree_without_cycles(org: Path) -> None:
    managers = {p["employee_id"]: p["manager_id"] for p in rows(org, "employees.csv")}
    for person in managers:
        seen, current = set(), person
        while managers[current]:
            assert current not in seen, f"cycle through {current}"
            seen.add(current)
            current = managers[current]
        assert current == "E0000001"


def test_it_gives_managers_five_to_twelve_reports_in_a_large_org() -> None:
    import random  # noqa: PLC0415

    shape = plan_shape(300_000, random.Random(1))  # noqa: S311
    for spans in shape.spans[1:]:
        assert min(spans) >= MIN_SPAN
        assert max(spans) <= MAX_SPAN
    assert sum(tier_sizes(1_500_000)) == 1_500_000


def test_it_writes_valid_rows(org: Path) -> None:
    day = re.compile(r"\d{4}-\d{2}-\d{2}$")
    states = Counter(p["work_state"] for p in rows(org, "employees.csv"))
    assert all(re.fullmatch(r"[A-Z]{2}", s) for s in states)
    assert {"WA", "CA", "TX", "NY"} <= set(states)
    for person in rows(org, "employees.csv"):
        assert len(person["org"].split("/")) <= 3
        assert day.match(person["hire_date"])
        assert not person["exit_date"] or person["exit_date"] > person["hire_date"]
    sexes = {"female", "male", "nonbinary", "undisclosed"}
    for person in rows(org, "demographics.csv"):
        assert person["sex"] in sexes
        age = (AS_OF - date.fromisoformat(person["birth_date"])).days // 365.25
        assert 21 <= age <= 66
    for vest in rows(org, "vests.csv"):
        assert int(vest["shares"]) > 0
    per_person = Counter(v["employee_id"] for v in rows(org, "vests.csv"))
    assert max(per_person.values()) <= 4


def test_it_exits_about_eight_percent_in_the_last_two_years(org: Path) -> None:
    exits = [p["exit_date"] for p in rows(org, "employees.csv") if p["exit_date"]]
    assert 0.05 <= len(exits) / 3000 <= 0.12
    assert min(exits) >= "2023-06-30"
    assert max(exits) <= AS_OF.isoformat()


def test_it_rates_on_the_forced_curve(org: Path) -> None:
    ratings = rows(org, "ratings.csv")
    assert {r["date"] for r in ratings} == {"2024-04-01", "2025-04-01"}
    counts = Counter(r["value"] for r in ratings)
    share = {value: counts[value] / len(ratings) for value in counts}
    assert share["TT"] == pytest.approx(0.20, abs=0.03)
    assert share["HV1"] + share["HV2"] + share["HV3"] == pytest.approx(0.75, abs=0.03)
    assert share["LE"] == pytest.approx(0.05, abs=0.015)
    assert max(Counter(r["employee_id"] for r in ratings).values()) <= 2


def test_it_sets_a_six_percent_target_for_each_top_level_org(org: Path) -> None:
    targets = rows(org, "targets.csv")
    tops = {p["org"].split("/")[0] for p in rows(org, "employees.csv")}
    assert {(t["org"], t["year"]) for t in targets} == {
        (top, year) for top in tops for year in ("2024", "2025")
    }
    assert {t["ura_target"] for t in targets} == {"0.06"}


@pytest.mark.parametrize(("employees", "flag"), [(9, "--employees"), (5_000_001, "--employees")])
def test_it_refuses_a_size_out_of_range(tmp_path: Path, employees: int, flag: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_arguments(tmp_path / "new", employees)
    assert len(error.value.problems) == 1
    assert error.value.problems[0].startswith(flag)


@pytest.mark.parametrize("plant", ["maybe", "", "ALL"])
def test_it_refuses_a_plant_other_than_all_or_none(tmp_path: Path, plant: str) -> None:
    with pytest.raises(InvalidInput) as error:
        generate_org(tmp_path / "new", 100, 1, AS_OF, plant=plant)
    assert error.value.problems == (f"--plant: must be all or none (got {plant!r})",)
    assert not (tmp_path / "new").exists()


def test_it_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(InvalidInput, match=r"^--out: "):
        generate_org(tmp_path, 100, 1, AS_OF)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_it_writes_into_an_empty_folder(tmp_path: Path) -> None:
    summary = generate_org(tmp_path, 50, 1, AS_OF)
    assert summary.employees == 50
    assert (tmp_path / "employees.csv").exists()
    assert "50 employees" in summary.line()
