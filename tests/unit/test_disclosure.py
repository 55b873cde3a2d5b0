"""The OWBPA disclosure's pure rules: ages on the day, the unit, who was on the roll, the form."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairpivot.domain.disclosure import (
    GroupProgram,
    UnitMember,
    age_on,
    disclose,
    in_unit,
    on_roll,
    program_from,
)
from fairpivot.domain.errors import InvalidInput

DAY = date(2025, 6, 2)


def member(ref: str, **changes: Any) -> UnitMember:
    """Someone of the unit ``Ops`` born 1980-06-02, on the roll, with ``changes``."""
    values: dict[str, Any] = {
        "ref": ref,
        "org": "Ops",
        "title": "Analyst",
        "level": "L5",
        "birth_date": date(1980, 6, 2),
        "hire_date": date(2010, 1, 4),
        "exit_date": None,
    }
    return UnitMember(**(values | changes))


def values(**changes: Any) -> dict[str, Any]:
    """A valid set-up form, with ``changes``."""
    return {
        "name": "Ops move",
        "unit": "Ops",
        "eligibility_factors": "Everyone in Ops.",
        "selection_factors": "Lowest ratings.",
        "program_date": "2025-06-02",
        "selected": "E-1, E-2",
    } | changes


def test_a_birthday_counts_from_the_day_itself() -> None:
    assert age_on(date(1980, 6, 2), DAY) == 45
    assert age_on(date(1980, 6, 3), DAY) == 44
    assert age_on(date(1980, 6, 1), DAY) == 45


def test_someone_born_on_february_29_turns_a_year_older_on_march_1_in_other_years() -> None:
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 1, 1)),
    st.integers(min_value=0, max_value=36_500),
)
def test_an_age_rises_by_at_most_one_from_one_day_to_the_next(birth: date, days: int) -> None:
    day = date.fromordinal(birth.toordinal() + days)
    after = date.fromordinal(day.toordinal() + 1)
    assert age_on(birth, after) - age_on(birth, day) in (0, 1)
    assert days // 366 <= age_on(birth, day) <= days // 365


def test_the_unit_holds_its_subtree_but_not_a_sibling_sharing_its_prefix() -> None:
    assert in_unit("Ops", "Ops")
    assert in_unit("Ops/Planning", "Ops")
    assert not in_unit("Opsec", "Ops")
    assert in_unit("Anything", "")


def test_someone_is_on_the_roll_from_their_hire_to_their_last_day() -> None:
    assert on_roll(member("a", hire_date=DAY), DAY)
    assert not on_roll(member("a", hire_date=date(2025, 6, 3)), DAY)
    assert on_roll(member("a", exit_date=DAY), DAY)
    assert not on_roll(member("a", exit_date=date(2025, 6, 1)), DAY)


def test_the_disclosure_counts_each_title_grade_and_age_selected_and_not() -> None:
    program = program_from(values())
    people = [member("E-1"), member("E-2", level="L6"), member("E-3"), member("E-4", org="HR")]
    found = disclose(program, people)
    assert [(r.title, r.level, r.age, r.selected, r.not_selected) for r in found.rows] == [
        ("Analyst", "L5", 45, 1, 1),
        ("Analyst", "L6", 45, 1, 0),
    ]
    assert (found.selected, found.not_selected) == (2, 1)


def test_a_selected_person_outside_the_unit_and_a_missing_age_are_each_named() -> None:
    program = program_from(values())
    people = [member("E-1"), member("E-2", org="HR"), member("E-3", birth_date=None)]
    with pytest.raises(InvalidInput) as refused:
        disclose(program, people)
    assert refused.value.problems == (
        "selected: E-2 is not in the decisional unit 'Ops' on 2025-06-02",
        "birth_date: the HRIS has no birth date for E-3; the disclosure needs every age",
    )


def test_the_time_limits_default_to_the_laws_minimums_and_cannot_go_below() -> None:
    program = program_from(values())
    assert (program.consideration_days, program.revocation_days) == (45, 7)
    assert program.selected == ("E-1", "E-2")
    assert program_from(values(consideration_days="46")).consideration_days == 46
    with pytest.raises(InvalidInput, match="consideration_days: at least 45"):
        program_from(values(consideration_days=44))
    with pytest.raises(InvalidInput, match="revocation_days: at least 7"):
        program_from(values(revocation_days=6))
    assert program_from(values(revocation_days=8)).revocation_days == 8


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        program_from({"consideration_days": True, "selected": 3})
    assert [p.split(":")[0] for p in refused.value.problems] == [
        "name",
        "eligibility_factors",
        "selection_factors",
        "consideration_days",
        "program_date",
        "selected",
    ]


def test_a_program_is_the_value_it_was_given() -> None:
    program = program_from(values(unit="/Ops/", covered="Analysts only"))
    assert program == GroupProgram(
        "Ops move",
        "Ops",
        "Analysts only",
        "Everyone in Ops.",
        "Lowest ratings.",
        45,
        7,
        DAY,
        ("E-1", "E-2"),
    )


def test_days_left_empty_are_the_laws_minimums() -> None:
    program = program_from(values(consideration_days="", revocation_days=None))
    assert (program.consideration_days, program.revocation_days) == (45, 7)


def test_a_selected_id_too_long_to_be_one_is_refused() -> None:
    with pytest.raises(InvalidInput, match="selected: not an employee id"):
        program_from(values(selected=["E-1", "E" * 65]))
    assert program_from(values(selected=["E-1", "E" * 64])).selected[1] == "E" * 64
