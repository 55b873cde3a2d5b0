"""A group program's OWBPA disclosure, read back from its PDF: every person of the decisional
unit by title and age on the program's date, the factors and time limits, and its issue."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytest_django import DjangoDbBlocker

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import documents, programs, usecases
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, Demographics, Employee, GroupProgram
from tests.builders import HR, MANAGER
from tests.integration.seeding import kept_for_module
from tests.integration.test_corrections import PAT, on

HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")
UNIT = "Acme/Widgets"
DAY = "2025-06-02"
ELIGIBILITY = "Everyone in Acme/Widgets whose role moves to the Reno site."
SELECTION = "Lowest two years of ratings among those whose role moves."

# (id, org, title, level, birth date, hire date, exit date, selected)
PEOPLE: list[tuple[str, str, str, str, str, str | None, str | None, bool]] = [
    ("W01", UNIT, "Engineer", "L5", "1980-06-02", "2010-01-04", None, True),  # 45 on the day
    ("W02", UNIT, "Engineer", "L5", "1980-06-03", "2010-01-04", None, False),  # 45 the next
    ("W03", UNIT, "Engineer", "L5", "1980-06-01", "2012-03-05", None, True),
    ("W04", UNIT, "Engineer", "L4", "1995-01-10", "2020-02-03", None, False),
    ("W05", UNIT, "Engineer", "L4", "1996-03-03", "2021-05-03", None, False),
    ("W06", UNIT, "Analyst", "", "1970-12-31", "2001-09-10", None, True),
    ("W07", UNIT, "Analyst", "", "1985-07-07", "2015-06-01", None, False),
    ("W08", UNIT, "Analyst", "", "1985-07-07", "2016-06-01", None, False),
    ("W09", UNIT, "Manager", "M1", "1965-02-02", "1995-04-03", None, True),
    ("W10", UNIT, "Manager", "M1", "1990-05-05", "2018-04-02", None, False),
    ("W11", UNIT + "/Line", "Technician", "T2", "2000-06-02", "2022-08-01", None, False),
    ("W12", UNIT + "/Line", "Technician", "T2", "1975-11-11", "2005-08-01", DAY, False),
    # Not in the unit on the day: left the day before, hired the day after, a sibling org
    # whose name starts with the unit's, another org.
    ("X01", UNIT, "Fitter", "F1", "1950-01-01", "1990-01-01", "2025-06-01", False),
    ("X02", UNIT, "Rigger", "R1", "1999-01-01", "2025-06-03", None, False),
    ("X03", "Acme/Widgetsmith", "Welder", "W1", "1960-01-01", "2000-01-01", None, False),
    ("X04", "Acme/Other", "Engineer", "L5", "1961-01-01", "2000-01-01", None, False),
]
SELECTED = [p[0] for p in PEOPLE if p[7]]
WITH_CASES = ("W01", "W03", "W06")  # W09 has no case in fairpivot
# What the disclosure must print: (title, grade, age) -> (selected, not selected).
EXPECTED = {
    ("Engineer", "L5", 45): (2, 0),
    ("Engineer", "L5", 44): (0, 1),
    ("Engineer", "L4", 30): (0, 1),
    ("Engineer", "L4", 29): (0, 1),
    ("Analyst", "-", 54): (1, 0),
    ("Analyst", "-", 39): (0, 2),
    ("Manager", "M1", 60): (1, 0),
    ("Manager", "M1", 35): (0, 1),
    ("Technician", "T2", 25): (0, 1),
    ("Technician", "T2", 49): (0, 1),
}


def form(**changes: Any) -> dict[str, Any]:
    """HR's values for the program, with ``changes``."""
    values: dict[str, Any] = {
        "name": "Reno move 2025",
        "unit": UNIT,
        "eligibility_factors": ELIGIBILITY,
        "selection_factors": SELECTION,
        "consideration_days": 45,
        "revocation_days": 7,
        "program_date": DAY,
        "selected": SELECTED,
    }
    return values | changes


def seed_unit() -> tuple[GroupProgram, bytes]:
    """The unit of PEOPLE, cases for WITH_CASES, the program and its disclosure's PDF."""
    day = date.fromisoformat
    for ref, org, title, level, born, hired, left, _ in PEOPLE:
        person = Employee.objects.create(
            employee_id=ref,
            name=f"Person {ref}",
            title=title,
            level=level,
            org=org,
            hire_date=day(hired) if hired else None,
            exit_date=day(left) if left else None,
        )
        Demographics.objects.create(
            employee=person, birth_date=day(born), sex="female", race_ethnicity="white"
        )
    for ref in WITH_CASES:
        usecases.open_case(
            employee=PAT | {"id": ref, "name": f"Person {ref}"},
            actor=HR_ACTOR,
            people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
            clock=on("2025-03-03"),
        )
    program = programs.set_up(form(), actor=HR_ACTOR, clock=on(DAY))
    return program, programs.rendered(program)


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[GroupProgram, bytes]]:
    """The unit of PEOPLE, its program and its disclosure's PDF, made once for the module."""
    with kept_for_module(django_db_blocker, seed_unit) as made:
        yield made


@pytest.fixture
def program(seeded: tuple[GroupProgram, bytes]) -> GroupProgram:
    """The module's group program."""
    return seeded[0]


@pytest.fixture(scope="module")
def text(seeded: tuple[GroupProgram, bytes], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The disclosure's PDF as ``pdftotext -layout`` reads it."""
    return pdf_text(seeded[1], tmp_path_factory.mktemp("disclosure"))


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def pdf_text(content: bytes, folder: Path) -> str:
    """The text of a PDF, laid out as on the page (poppler's pdftotext)."""
    path = folder / "disclosure.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


ROW = re.compile(r"^\s*(?P<title>\S.*?)\s{2,}(?P<grade>\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$")


def rows_of(text: str) -> dict[tuple[str, str, int], tuple[int, int]]:
    """The age table's rows: (title, grade, age) -> (selected, not selected)."""
    found: dict[tuple[str, str, int], tuple[int, int]] = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if match and not match["title"].startswith("Total"):
            title, grade, age, chosen, others = match.groups()
            found[title, grade, int(age)] = (int(chosen), int(others))
    return found


def test_every_person_of_the_unit_is_counted_by_title_grade_and_age(text: str) -> None:
    rows = rows_of(text)
    assert rows == EXPECTED
    assert sum(a + b for a, b in rows.values()) == 12
    assert re.search(r"Total in the unit: 12\s+4\s+8", text)


def test_selected_and_not_selected_are_counted_apart(text: str) -> None:
    rows = rows_of(text)
    assert sum(chosen for chosen, _ in rows.values()) == len(SELECTED) == 4
    assert rows["Analyst", "-", 39] == (0, 2)
    assert rows["Manager", "M1", 60] == (1, 0)


def test_ages_are_counted_on_the_program_date(text: str) -> None:
    rows = rows_of(text)
    # W01 turns 45 on the day (counted 45); W02 turns 45 the day after (still 44).
    assert rows["Engineer", "L5", 45] == (2, 0)
    assert rows["Engineer", "L5", 44] == (0, 1)
    assert ("Engineer", "L5", 46) not in rows


def test_who_left_before_the_day_or_came_after_or_works_elsewhere_is_not_counted(
    text: str,
) -> None:
    for title in ("Fitter", "Rigger", "Welder"):
        assert title not in text
    # W12's last day is the program's day itself: still in the unit when it was decided.
    assert rows_of(text)["Technician", "T2", 49] == (0, 1)


def test_the_unit_the_factors_and_the_time_limits_are_printed(text: str) -> None:
    flat = " ".join(text.split())
    assert f"The decisional unit is {UNIT}" in flat
    assert ELIGIBILITY in flat
    assert SELECTION in flat
    assert "45 days from the day you receive" in flat
    assert "7 days to revoke" in flat
    assert "June 2, 2025" in flat
    assert "29 C.F.R. 1625.22(f)(4)" in flat


def test_no_name_of_anyone_is_printed(text: str) -> None:
    assert "Person " not in text
    assert not any(ref in text for ref, *_ in PEOPLE)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"consideration_days": 44}, "consideration_days: at least 45 days"),
        ({"revocation_days": 6}, "revocation_days: at least 7 days"),
        ({"consideration_days": "soon"}, "consideration_days: must be a whole number"),
        ({"program_date": "2025-13-01"}, "program_date: must be a date"),
        ({"name": "  "}, "name: required"),
        ({"eligibility_factors": ""}, "eligibility_factors: required"),
        ({"selected": ["W01"]}, "selected: a group program is offered to two or more"),
        ({"selected": ["W01", "W01", "W03"]}, "selected: listed more than once: W01"),
        ({"selected": ["W01", "X03"]}, "selected: X03 is not in the decisional unit"),
        ({"selected": ["W01", "X01"]}, "selected: X01 is not in the decisional unit"),
        ({"unit": "Acme/Nowhere"}, "unit: no one in the HRIS works in 'Acme/Nowhere'"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    changes: dict[str, Any], problem: str
) -> None:
    before = GroupProgram.objects.count()
    with pytest.raises(InvalidInput) as refused:
        programs.set_up(form(**changes), actor=HR_ACTOR, clock=on(DAY))
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems
    assert GroupProgram.objects.count() == before


def test_a_unit_member_without_a_birth_date_refuses_the_program() -> None:
    Demographics.objects.filter(employee__employee_id="W10").update(birth_date=None)
    with pytest.raises(InvalidInput, match="birth_date: the HRIS has no birth date for W10"):
        programs.set_up(form(name="Another"), actor=HR_ACTOR, clock=on(DAY))
    assert not GroupProgram.objects.filter(name="Another").exists()


def test_issuing_records_in_each_selected_case_a_document_whose_hash_is_the_files(
    program: GroupProgram,
) -> None:
    done = programs.issue(program, actor=HR_ACTOR, clock=on("2025-06-03"))
    assert done.without_case == ["W09"]
    assert sorted(case.employee_ref for case, _ in done.issued) == list(WITH_CASES)
    expected = hashlib.sha256(programs.rendered(program)).hexdigest()
    for issued_in, issued in done.issued:
        case = Case.objects.get(pk=issued_in.pk)
        entry = chains.entries_of(case)[-1]
        assert (entry.kind, entry.seq) == ("document", issued.seq)
        again, content = documents.file_of(case, issued.seq)
        assert again.sha256 == hashlib.sha256(content).hexdigest() == expected
        assert (again.document, again.audience) == ("owbpa_disclosure", ("employee",))
    assert Counter(i.sha256 for _, i in done.issued) == Counter({expected: 3})
