"""The demo's synthetic org: a VP, directors, managers and their teams, made from a seed.

Everything comes from one ``random.Random`` and the day the demo is made, so the same
seed on the same day gives the same people. Dates are relative to that day: hire dates
and ages stay plausible whenever the demo is run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fairpivot.records.models import Demographics, Employee

# Each org family: its teams with the state most of the team works in, and its job titles
# (individual contributor, manager).
FAMILIES: dict[str, tuple[tuple[tuple[str, str], ...], str, str]] = {
    "Retail": (
        (("Checkout", "WA"), ("Search", "WA"), ("Payments", "CA")),
        "Software Development Engineer",
        "Software Development Manager",
    ),
    "Ops": (
        (("Planning", "TX"), ("Fulfillment", "TX"), ("Transportation", "GA")),
        "Operations Analyst",
        "Operations Manager",
    ),
    "Sales": (
        (("Southeast", "GA"), ("Northeast", "NY"), ("West", "CA")),
        "Account Executive",
        "Sales Manager",
    ),
    "Devices": (
        (("Firmware", "CA"), ("Quality", "WA")),
        "Hardware Engineer",
        "Engineering Manager",
    ),
}
STATES = ("WA", "CA", "TX", "GA", "NY")
# Individual contributors' levels, how common each is, base pay, and an age range.
IC_LEVELS = (
    ("L4", 40, 118_000, (22, 40)),
    ("L5", 38, 152_000, (26, 55)),
    ("L6", 16, 188_000, (29, 60)),
    ("L7", 6, 228_000, (33, 63)),
)
FIRST_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "Avery Blake Casey Dana Devon Eli Emerson Frankie Gray Harper Hayden Indira Jae Jordan "
    "Kai Kendall Lane Logan Marisol Morgan Noor Parker Priya Quinn Reese Riley Rowan Sage "
    "Sam Shay Sidney Tatum Teagan Toni Wren Yusuf Zhen Ana Tomas Keiko"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Abebe Alvarez Banerjee Brooks Castillo Chen Dubois Eriksen Fofanah Garcia Haddad Hughes "
    "Ivanova Jensen Kaur Kim Lindqvist Lopez Mbeki Moreau Nakamura Novak Okafor Olsen Patel "
    "Quispe Reyes Rossi Sato Schmidt Silva Singh Tanaka Thompson Umarov Vargas Walsh Yilmaz "
    "Zhang Zielinski"
).split()
SEXES = (("female", 46), ("male", 52), ("nonbinary", 2))
RACES = (
    ("White", 45),
    ("Asian", 22),
    ("Hispanic or Latino", 16),
    ("Black", 12),
    ("Two or more races", 5),
)


@dataclass(slots=True)
class Staff:
    """One person in the demo org: their HRIS row and the facts case files also need."""

    row: Employee
    birth_date: date
    hire_date: date
    base_salary: int
    family: str
    sex: str
    race_ethnicity: str
    manager: Staff | None = None
    reports: list[Staff] = field(default_factory=list)

    def age_on(self, day: date) -> int:
        """Whole years of age on ``day``."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


@dataclass(slots=True)
class Org:
    """The whole demo org, top down: the VP first, then directors, managers, ICs."""

    today: date
    tiers: list[list[Staff]]

    @property
    def people(self) -> list[Staff]:
        """Everyone, top down."""
        return [staff for tier in self.tiers for staff in tier]

    @property
    def managers(self) -> list[Staff]:
        """The first-line managers."""
        return self.tiers[2]

    @property
    def ics(self) -> list[Staff]:
        """The individual contributors."""
        return self.tiers[3]


class _Maker:
    """Draws people from the seed: unique names, ages, hire dates, pay."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today, self.names, self.count = rng, today, set[str](), 0

    def weighted(self, table: tuple[tuple[Any, int], ...]) -> Any:
        """One value of a (value, weight) table."""
        values, weights = zip(*table, strict=True)
        return self.rng.choices(values, weights)[0]

    def person(
        self, *, title: str, level: str, org: str, state: str, ages: tuple[int, int], pay: int
    ) -> Staff:
        """A new person, numbered after the ones before."""
        age = self.rng.randint(*ages)
        birth = self.today - timedelta(days=age * 365 + self.rng.randint(0, 364))
        tenure = self.rng.randint(120, min(age - 21, 14) * 365)
        self.count += 1
        hired = self.today - timedelta(days=tenure)
        row = Employee(
            employee_id=f"E-{1000 + self.count}",
            name=self._name(),
            title=title,
            level=level,
            org=org,
            work_state=state,
            hire_date=hired,
        )
        salary = int(round(pay * self.rng.uniform(0.9, 1.12), -2))
        sex, race = self.weighted(SEXES), self.weighted(RACES)
        return Staff(row, birth, hired, salary, org.partition("/")[0], sex, race)

    def _name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in self.names:
                self.names.add(name)
                return name


def _report(manager: Staff, staff: Staff) -> Staff:
    staff.manager = manager
    staff.row.manager = manager.row
    manager.reports.append(staff)
    return staff


def build_org(rng: random.Random, today: date, size: int = 300) -> Org:
    """A VP, a director per family, two to four managers a team, and ICs to ``size`` people."""
    make = _Maker(rng, today)
    vp = make.person(
        title="Vice President, Consumer",
        level="L10",
        org="Consumer",
        state="WA",
        ages=(46, 60),
        pay=420_000,
    )
    directors, managers = [], []
    for family, (teams, _, manager_title) in FAMILIES.items():
        director = make.person(
            title=f"Director, {family}",
            level="L8",
            org=family,
            state=teams[0][1],
            ages=(38, 58),
            pay=300_000,
        )
        directors.append(_report(vp, director))
        for team, state in teams:
            for _ in range(rng.choice((2, 3, 3, 4))):
                manager = make.person(
                    title=manager_title,
                    level=rng.choice(("L6", "L7")),
                    org=f"{family}/{team}",
                    state=state,
                    ages=(30, 58),
                    pay=205_000,
                )
                managers.append(_report(director, manager))
    ics = [_ic(make, managers[i % len(managers)]) for i in range(size - make.count)]
    return Org(today, [[vp], directors, managers, ics])


def _ic(make: _Maker, manager: Staff) -> Staff:
    level, _, pay, ages = make.weighted(tuple((row, row[1]) for row in IC_LEVELS))
    title = FAMILIES[manager.family][1]
    # Most people sit with their team; some work remotely from another state.
    state = manager.row.work_state if make.rng.random() < 0.8 else make.rng.choice(STATES)
    suffix = {"L4": " I", "L5": " II", "L6": " III", "L7": ", Principal"}[level]
    staff = make.person(
        title=title + suffix, level=level, org=manager.row.org, state=state, ages=ages, pay=pay
    )
    return _report(manager, staff)


def save_org(org: Org) -> None:
    """Insert the org's rows, a tier at a time so each row's manager already has its key."""
    for tier in org.tiers:
        Employee.objects.bulk_create([staff.row for staff in tier])
    # What an HRIS gives of each person and never shows a manager: the birth date the
    # law's age rules need when a case is opened live, and the groups analytics compares.
    Demographics.objects.bulk_create(
        [
            Demographics(
                employee=staff.row,
                birth_date=staff.birth_date,
                sex=staff.sex,
                race_ethnicity=staff.race_ethnicity,
            )
            for tier in org.tiers
            for staff in tier
        ]
    )


class Picker:
    """Picks case subjects: ICs not picked yet, by state and age, drawn from the seed."""

    def __init__(self, org: Org, rng: random.Random) -> None:
        self.org, self.rng, self.used = org, rng, set[str]()

    def __call__(self, state: str | None = None, min_age: int = 0, max_age: int = 200) -> Staff:
        """An IC not picked yet, in ``state``, aged within range (made to fit if none is)."""
        today = self.org.today
        free = [s for s in self.org.ics if s.row.employee_id not in self.used]
        fits = [
            s
            for s in free
            if state in (None, s.row.work_state) and min_age <= s.age_on(today) <= max_age
        ]
        if fits:
            chosen = self.rng.choice(fits)
        else:  # a small org may have nobody who fits: make the first free IC fit
            chosen = free[0]
            chosen.row.work_state = state or chosen.row.work_state
            age = max(min_age, min(max_age, 45))
            chosen.birth_date = today - timedelta(days=age * 365 + 100)
        self.used.add(chosen.row.employee_id)
        return chosen
