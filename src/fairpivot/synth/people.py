"""One person of the synthetic org: their HRIS facts, drawn from the seed.

Dates are proleptic ordinals (``date.toordinal``) until they are written: the generator
makes millions of them and ordinals are plain ints.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from fairpivot.synth import vocab

YEAR = 365
# Hire dates spread over 12 years, more of them recent (the company grew).
HIRE_SPAN_DAYS = 12 * YEAR


class _IsoDates(dict[int, str]):
    """Ordinals to ``YYYY-MM-DD``, each formatted once."""

    # Millions of rows share a few thousand dates; a lookup is far cheaper than formatting.

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = date.fromordinal(ordinal).isoformat()
        return text


ISO = _IsoDates()


def iso(ordinal: int) -> str:
    """An ordinal as ``YYYY-MM-DD``."""
    return ISO[ordinal]


@cache
def add_years(ordinal: int, years: int) -> int:
    """The same calendar day ``years`` later (28 February for 29 February)."""
    day = date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:
        return day.replace(year=day.year + years, day=28).toordinal()


def age_on(birth: int, ordinal: int) -> int:
    """Whole years of age on that day."""
    born, day = date.fromordinal(birth), date.fromordinal(ordinal)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(slots=True)
class Grant:
    """One equity grant: its id and every vest (ordinal, shares), earliest first."""

    grant_id: str
    vests: list[tuple[int, int]]


@dataclass(slots=True)
class Person:
    """One row of ``employees.csv`` with the facts the other files and case files need."""

    number: int
    name: str
    title: str
    level: int
    org: str
    manager: int  # 0 for the CEO
    state: str
    birth: int
    hire: int
    salary: int
    sex: str
    race: str
    ratings: list[tuple[int, str]] = field(default_factory=list)
    promotion: int = 0
    grant: Grant | None = None
    exit: int = 0

    @property
    def employee_id(self) -> str:
        """The HRIS id."""
        return employee_id(self.number)


def employee_id(number: int) -> str:
    """The HRIS id of person ``number`` (breadth-first, the CEO is 1)."""
    return f"E{number:07d}"


class Drawer:
    """Draws people's facts from one ``random.Random``, relative to ``as_of``."""

    def __init__(self, rng: random.Random, as_of: date) -> None:
        self.rng, self.as_of = rng, as_of.toordinal()
        self.states, self.state_edges = vocab.cumulative(vocab.STATES)
        self.sexes, self.sex_edges = vocab.cumulative(vocab.SEXES)
        self.races, self.race_edges = vocab.cumulative(vocab.RACES)
        self.curve, self.curve_edges = vocab.cumulative(vocab.CURVE)
        weights = tuple((str(level), weight) for level, weight, _, _ in vocab.IC_LEVELS)
        self.ic_edges = vocab.cumulative(weights)[1]
        april = date(as_of.year, 4, 1)
        last = april if as_of >= april else april.replace(year=as_of.year - 1)
        self.cycles = (last.replace(year=last.year - 1).toordinal(), last.toordinal())

    def pick(self, values: tuple[str, ...], edges: tuple[float, ...]) -> str:
        """One value of a cumulative table."""
        return values[min(bisect_left(edges, self.rng.random()), len(values) - 1)]

    def name(self) -> str:
        """A first and last name (repeats happen, as in any large company)."""
        first, last, rand = vocab.FIRST_NAMES, vocab.LAST_NAMES, self.rng.random
        return f"{first[int(rand() * len(first))]} {last[int(rand() * len(last))]}"

    def state(self, team_state: str) -> str:
        """Mostly the team's state; some work from elsewhere."""
        if self.rng.random() < 0.75:
            return team_state
        return self.pick(self.states, self.state_edges)

    def ic_level(self, manager_level: int) -> tuple[int, int, tuple[int, int]]:
        """An individual contributor's level, pay and age range, below the manager's level."""
        row = vocab.IC_LEVELS[min(bisect_left(self.ic_edges, self.rng.random()), 3)]
        while row[0] >= manager_level and row[0] > 4:
            row = vocab.IC_LEVELS[row[0] - 5]
        return row[0], row[2], row[3]

    def person(
        self, pay: int, ages: tuple[int, int], *, senior: bool = False
    ) -> tuple[int, int, int, str, str]:
        """Birth, hire, salary, sex and race; ``senior`` people have longer tenure."""
        rand, today = self.rng.random, self.as_of
        # random() arithmetic rather than randint(): this runs for every person.
        age = ages[0] + int(rand() * (ages[1] - ages[0] + 1))
        birth = today - age * YEAR - int(rand() * YEAR)
        share = rand() ** (0.8 if senior else 1.3)
        tenure = max(30, min(int(HIRE_SPAN_DAYS * share), today - birth - 21 * YEAR))
        salary = round(pay * (0.9 + 0.22 * rand()), -2)
        sex = self.pick(self.sexes, self.sex_edges)
        return birth, today - tenure, int(salary), sex, self.pick(self.races, self.race_edges)

    def ratings(self, hire: int, leaves: int) -> list[tuple[int, str]]:
        """A rating per cycle the person was there for; half repeat the one before."""
        out: list[tuple[int, str]] = []
        for cycle in self.cycles:
            if hire <= cycle - 90 and (not leaves or leaves > cycle):
                keep = out and self.rng.random() < 0.5
                out.append((cycle, out[-1][1] if keep else self.pick(self.curve, self.curve_edges)))
        return out

    def voluntary_exit(self, hire: int) -> int:
        """The day a person left of their own accord in the last two years, or 0."""
        rand = self.rng.random
        if rand() >= 0.065:
            return 0
        start = max(hire + 60, self.as_of - 2 * YEAR)
        return start + int(rand() * (self.as_of - start + 1)) if start < self.as_of else 0

    def promotion(self, person: Person) -> None:
        """About one person in ten was promoted to their level in the last three years."""
        rng = self.rng
        if person.level > 4 and rng.random() < 0.12:
            start = max(person.hire + 180, self.as_of - 3 * YEAR)
            end = person.exit - 1 if person.exit else self.as_of
            if start < end:
                person.promotion = rng.randint(start, end)

    def grant(self, person: Person, granted: int | None = None) -> None:
        """Half the staff hold one grant: the hire grant, or a refresh within four years."""
        rng = self.rng
        if granted is None:
            if rng.random() >= 0.5:
                return
            granted = person.hire
            if granted < self.as_of - 4 * YEAR:
                years = (self.as_of - granted) // YEAR - 1 - rng.randint(0, 2)
                granted = add_years(granted, years)
        total = vocab.GRANT_SHARES[person.level]
        shares = [max(1, round(total * part)) for part in vocab.VEST_SCHEDULE]
        vests = [(add_years(granted, n + 1), shares[n]) for n in range(4)]
        kind = "H" if granted == person.hire else "R"
        person.grant = Grant(f"G-{person.employee_id}-{kind}{iso(granted)[:4]}", vests)

    def grant_vesting_after(self, person: Person, left: int, rng: random.Random) -> None:
        """In place of the person's grant, one with a vest a few days after ``left``."""
        vests_on = left + rng.randint(5, 20)
        for years in (3, 2, 1):
            granted = add_years(vests_on, -years)
            if granted >= person.hire or years == 1:
                self.grant(person, granted)
                return

    def remaining_vests(self, person: Person) -> list[tuple[int, int]]:
        """The vests still to come on the day the person left, or on ``as_of``."""
        if person.grant is None:
            return []
        cut = person.exit or self.as_of
        return [vest for vest in person.grant.vests if vest[0] > cut]
