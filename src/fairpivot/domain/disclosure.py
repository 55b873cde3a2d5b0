"""The OWBPA decisional-unit disclosure of a group exit program, worked out with no I/O.

When a release is asked of a group of employees (an exit incentive or another group
termination program), the ADEA's waiver is knowing and voluntary only if each of them is
told in writing, in a way they can understand, who was covered and how they were chosen:
29 U.S.C. 626(f)(1)(H) and 29 C.F.R. 1625.22(f)(4). The information runs (i) the
decisional unit and the class, unit or group covered, (ii) the eligibility factors, (iii)
the selection factors, (iv) the time limits, and (v) the job titles and ages of everyone
eligible or selected and the ages of everyone in the unit who was not, ages by single
years (bands wider than one year do not do: 1625.22(f)(4)(iv)(A)), broken down by grade
level where the job title has several (1625.22(f)(4)(iv)(B)), and counted over the whole
decisional unit even when only part of it was picked from (1625.22(f)(4)(iv)(D)).

The factors are text HR gives when the program is set up; the people come from the HRIS
as of the program's date (CLARIFICATIONS.md). No name is printed: the law asks for titles
and ages, and the paper goes to every selected employee.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from fairpivot.domain.errors import InvalidInput

# 29 C.F.R. 1625.22(e)(1)(ii) and (e)(5): at least 45 days to consider a release asked for
# in a group program, and 7 days after signing to revoke it, neither to be shortened.
MIN_CONSIDERATION_DAYS = 45
MIN_REVOCATION_DAYS = 7
MAX_DAYS = 365  # a longer period is a typing slip, not a program
MAX_TEXT = 5000
MAX_NAME = 200
MAX_UNIT = 300
MAX_REF = 64  # an employee id's length in the HRIS
MAX_SELECTED = 10_000


@dataclass(frozen=True, slots=True)
class GroupProgram:
    """A group exit program as HR set it up: what the disclosure says of it."""

    name: str
    unit: str  # the decisional unit: an org path of the HRIS; empty for the whole company
    covered: str  # the class, unit or group covered, if narrower than the unit
    eligibility_factors: str
    selection_factors: str
    consideration_days: int
    revocation_days: int
    program_date: date
    selected: tuple[str, ...]  # the employee ids of those selected


@dataclass(frozen=True, slots=True)
class UnitMember:
    """One person of the HRIS, as the disclosure needs them."""

    ref: str
    org: str
    title: str
    level: str
    birth_date: date | None
    hire_date: date | None
    exit_date: date | None


@dataclass(frozen=True, slots=True)
class AgeRow:
    """How many of one job title, grade and age were selected and not selected."""

    title: str
    level: str
    age: int
    selected: int
    not_selected: int


@dataclass(frozen=True, slots=True)
class Disclosure:
    """What the disclosure prints: the program and the unit's counts by title and age."""

    program: GroupProgram
    rows: tuple[AgeRow, ...]

    @property
    def selected(self) -> int:
        """How many in the unit were selected."""
        return sum(row.selected for row in self.rows)

    @property
    def not_selected(self) -> int:
        """How many in the unit were not selected."""
        return sum(row.not_selected for row in self.rows)

    def titles(self) -> list[tuple[str, str, list[AgeRow]]]:
        """The rows grouped by job title and grade, in the order they are printed."""
        groups: dict[tuple[str, str], list[AgeRow]] = {}
        for row in self.rows:
            groups.setdefault((row.title, row.level), []).append(row)
        return [(title, level, rows) for (title, level), rows in groups.items()]


def age_on(birth: date, day: date) -> int:
    """Age in whole years on ``day``: a birthday counts from the day itself."""
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - (1 if before_birthday else 0)


def in_unit(org: str, unit: str) -> bool:
    """Whether the org path ``org`` lies in the decisional unit ``unit`` (empty: all)."""
    return not unit or org == unit or org.startswith(unit.rstrip("/") + "/")


def on_roll(member: UnitMember, day: date) -> bool:
    """Whether ``member`` worked for the employer on ``day``: hired by then, not yet gone.

    Someone whose last day is ``day`` itself was still in the unit when it was decided.
    """
    hired = member.hire_date is None or member.hire_date <= day
    return hired and (member.exit_date is None or member.exit_date >= day)


def disclose(program: GroupProgram, people: Iterable[UnitMember]) -> Disclosure:
    """The disclosure of ``program`` over the HRIS's ``people``.

    Raises InvalidInput naming ``selected`` for a selected id not in the unit on the
    program's date, and ``birth_date`` for anyone of the unit whose age is unknown: a
    disclosure that leaves out an age is not the one the regulation asks for.
    """
    day = program.program_date
    unit = [p for p in people if in_unit(p.org, program.unit) and on_roll(p, day)]
    refs = {p.ref for p in unit}
    problems = [
        f"selected: {ref} is not in the decisional unit {program.unit or 'the company'!r} "
        f"on {day.isoformat()}"
        for ref in program.selected
        if ref not in refs
    ]
    problems += [
        f"birth_date: the HRIS has no birth date for {p.ref}; the disclosure needs every age"
        for p in sorted(unit, key=lambda p: p.ref)
        if p.birth_date is None
    ]
    if problems:
        raise InvalidInput(problems)
    chosen = set(program.selected)
    counts: dict[tuple[str, str, int], list[int]] = {}
    for person in unit:
        born = person.birth_date or day  # never: refused above
        key = (person.title or "(no title)", person.level, age_on(born, day))
        tally = counts.setdefault(key, [0, 0])
        tally[0 if person.ref in chosen else 1] += 1
    rows = tuple(AgeRow(t, lv, age, s, n) for (t, lv, age), (s, n) in sorted(counts.items()))
    return Disclosure(program, rows)


def program_from(values: Mapping[str, object]) -> GroupProgram:
    """A group program from a form's or a request's values; InvalidInput names each field."""
    problems: list[str] = []
    name = _text(values, "name", MAX_NAME, problems)
    unit = _text(values, "unit", MAX_UNIT, problems, required=False).strip("/")
    covered = _text(values, "covered", MAX_TEXT, problems, required=False)
    eligibility = _text(values, "eligibility_factors", MAX_TEXT, problems)
    selection = _text(values, "selection_factors", MAX_TEXT, problems)
    consider = _days(values, "consideration_days", MIN_CONSIDERATION_DAYS, problems)
    revoke = _days(values, "revocation_days", MIN_REVOCATION_DAYS, problems)
    day = _date(values, "program_date", problems)
    selected = _selected(values.get("selected"), problems)
    if problems:
        raise InvalidInput(problems)
    return GroupProgram(
        name, unit, covered, eligibility, selection, consider, revoke, day, selected
    )


def _text(
    values: Mapping[str, object],
    key: str,
    limit: int,
    problems: list[str],
    *,
    required: bool = True,
) -> str:
    value = values.get(key)
    if value is None or value == "":
        if required:
            problems.append(f"{key}: required")
        return ""
    if not isinstance(value, str):
        problems.append(f"{key}: must be text")
        return ""
    text = value.strip()
    if required and not text:
        problems.append(f"{key}: required")
    elif len(text) > limit:
        problems.append(f"{key}: at most {limit} characters (got {len(text)})")
    return text


def _days(values: Mapping[str, object], key: str, least: int, problems: list[str]) -> int:
    value = values.get(key)
    if value is None or value == "":
        return least  # absent or left empty: the law's minimum
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{key}: must be a whole number of days (got {value!r})")
        return least
    if not least <= value <= MAX_DAYS:
        problems.append(
            f"{key}: at least {least} days in a group program (29 C.F.R. 1625.22(e)) "
            f"and at most {MAX_DAYS} (got {value})"
        )
    return value


def _date(values: Mapping[str, object], key: str, problems: list[str]) -> date:
    value = values.get(key)
    if isinstance(value, date):
        return value
    if value is None or value == "":
        problems.append(f"{key}: required")
        return date.min
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{key}: must be a date, YYYY-MM-DD (got {value!r})")
        return date.min


def _selected(value: object, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        problems.append("selected: a list of employee ids")
        return ()
    refs = tuple(v.strip() for v in value if v.strip())
    if len(refs) > MAX_SELECTED:
        problems.append(f"selected: at most {MAX_SELECTED} employees (got {len(refs)})")
        return ()
    too_long = [ref[:20] + "…" for ref in refs if len(ref) > MAX_REF]
    if too_long:
        problems.append(f"selected: not an employee id: {', '.join(too_long[:3])}")
    twice = sorted({ref for ref in refs if refs.count(ref) > 1})
    if twice:
        problems.append(f"selected: listed more than once: {', '.join(twice)}")
    if len(refs) < 2:  # 29 C.F.R. 1625.22(f)(1)(iii): offered to two or more employees
        problems.append("selected: a group program is offered to two or more employees")
    return refs
