"""Write a whole synthetic org, one tier at a time, from a seed.

The people are drawn from one ``random.Random`` in a fixed order, and each person's case
from a stream of its own seeded by the seed and the person, so a seed and an ``as_of`` give
the same bytes every time, and planting a pattern in one case leaves every other person
and case as it was. Only the tier above the one being written is held in memory: each
person's manager, org and team state come from it.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fairpivot.domain.errors import InvalidInput
from fairpivot.synth import vocab
from fairpivot.synth.cases import AMAZON, STANDARD, CaseBuilder, CaseRequest
from fairpivot.synth.document import case_document
from fairpivot.synth.files import HEADERS, OrgFiles
from fairpivot.synth.patterns import PLANTS, OrgPatterns, Scheduler
from fairpivot.synth.people import Drawer, Person, employee_id
from fairpivot.synth.shape import Shape, plan_shape

MIN_EMPLOYEES, MAX_EMPLOYEES = 10, 5_000_000
IC_SUFFIX = {4: " I", 5: " II", 6: " III", 7: ", Principal"}
STANDARD_SHARE = 0.05  # of cases, run under standard-pip


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run wrote."""

    out: Path
    employees: int
    cases: int
    files: int
    patterns: int
    seconds: float
    seed: int
    as_of: date
    plant: str = "all"

    def line(self) -> str:
        """The one-line report the command prints."""
        return (
            f"generated {self.employees} employees, {self.cases} cases, {self.patterns} "
            f"patterns (--plant {self.plant}), {self.files} files in {self.seconds:.1f} s "
            f"(seed {self.seed}, as of {self.as_of.isoformat()}) in {self.out}"
        )


@dataclass(frozen=True, slots=True)
class Node:
    """A manager as their reports need them."""

    number: int
    name: str
    org: str
    state: str
    level: int
    family: int
    tag: str | None


def check_arguments(out: Path, employees: int, plant: str = "all") -> None:
    """Refuse a size out of range, an unknown ``plant`` or a folder not new or empty."""
    if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
        raise InvalidInput(
            [f"--employees: must be {MIN_EMPLOYEES} to {MAX_EMPLOYEES} (got {employees})"]
        )
    if plant not in PLANTS:
        raise InvalidInput([f"--plant: must be {' or '.join(PLANTS)} (got {plant!r})"])
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidInput([f"--out: must be a new or empty folder (got {str(out)!r})"])


def generate_org(out: Path, employees: int, seed: int, as_of: date, plant: str = "all") -> Summary:
    """Write the HRIS CSVs, case files and patterns.json of a synthetic org to ``out``.

    ``plant`` is ``all`` (every per-case and org-level pattern) or ``none`` (the same org
    with no pattern of any kind, and an empty patterns.json).
    """
    check_arguments(out, employees, plant)
    began = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (made-up people, not secrets)
    shape = plan_shape(employees, rng)
    with OrgFiles(out) as files:
        writer = _OrgWriter(files, rng, shape, as_of, employees, seed=seed, plant=plant == "all")
        writer.run()
        records = writer.scheduler.records + writer.orgs.records()
        files.patterns(records)
    return Summary(
        out=out,
        employees=employees,
        cases=writer.cases,
        files=len(HEADERS) + 1 + writer.cases,
        patterns=len(records),
        seconds=time.perf_counter() - began,
        seed=seed,
        as_of=as_of,
        plant=plant,
    )


class _OrgWriter:
    """Draws and writes the people tier by tier, and the cases of the last tier."""

    def __init__(
        self,
        files: OrgFiles,
        rng: random.Random,
        shape: Shape,
        as_of: date,
        employees: int,
        *,
        seed: int,
        plant: bool,
    ) -> None:
        self.files, self.rng, self.shape, self.as_of = files, rng, shape, as_of
        self.employees, self.seed = employees, seed
        self.drawer = Drawer(rng, as_of)
        self.scheduler = Scheduler(as_of, plant=plant)
        self.orgs = OrgPatterns(shape, as_of, employees, plant=plant)
        self.cases = 0

    def case_stream(self, number: int) -> random.Random:
        """Person ``number``'s own random stream for their case, from the seed."""
        return random.Random(f"{self.seed}/{number}")  # noqa: S311

    def run(self) -> None:
        """Write everyone, then the targets of every top-level org."""
        state = "WA"
        ceo = self._manager(1, 0, 10, "Chief Executive Officer", org=vocab.CEO_ORG, state=state)
        parents = [Node(1, ceo.name, vocab.CEO_ORG, state, 10, 0, None)]
        top = [vocab.CEO_ORG]
        for tier in range(1, self.shape.depth + 1):
            parents = self._tier(tier, parents)
            if tier == 1:
                top.extend(node.org for node in parents)
        for org in top if self.shape.depth > 1 else [vocab.CEO_ORG]:
            for year in (self.as_of.year - 1, self.as_of.year):
                self.files.target(org, year, vocab.URA_TARGET)

    def _tier(self, tier: int, parents: list[Node]) -> list[Node]:
        shape, leaf = self.shape, tier == self.shape.depth
        number, index, children = shape.first_id(tier), 0, list[Node]()
        for parent, span in zip(parents, shape.spans[tier - 1], strict=True):
            units = self._units(tier, span) if tier <= shape.org_levels and not leaf else []
            for k in range(span):
                if leaf:
                    self._ic(number, parent, parents)
                else:
                    children.append(self._node(tier, index, number, parent, units[k : k + 1]))
                number += 1
                index += 1
        return children

    def _units(self, tier: int, span: int) -> list[str]:
        if tier == 1:
            names, count = [family for family, _, _ in vocab.FAMILIES], len(vocab.FAMILIES)
            return [names[i % count] + (f" {i // count + 1}" * (i >= count)) for i in range(span)]
        pool = vocab.UNITS
        first = self.rng.sample(pool, min(span, len(pool)))
        return first + [
            f"{pool[i % len(pool)]} {i // len(pool) + 1}" for i in range(len(first), span)
        ]

    def _node(self, tier: int, index: int, number: int, parent: Node, unit: list[str]) -> Node:
        family = index % len(vocab.FAMILIES) if tier == 1 else parent.family
        org = parent.org
        if unit:
            org = unit[0] if tier == 1 else f"{parent.org}/{unit[0]}"
        state = self.drawer.pick(self.drawer.states, self.drawer.state_edges)
        state = state if tier == 1 else self.drawer.state(parent.state)
        level = max(6, 10 - tier)
        name, _, manages = vocab.FAMILIES[family]
        title = {1: f"Vice President, {name}", 2: f"Director, {org.rsplit('/', 1)[-1]}"}.get(
            tier, f"Senior {manages}" if level == 7 else manages
        )
        person = self._manager(number, parent.number, level, title, org=org, state=state)
        tag = self.orgs.tag(tier, index, org) if unit else None
        return Node(number, person.name, org, state, level, family, tag or parent.tag)

    def _manager(
        self, number: int, manager: int, level: int, title: str, *, org: str, state: str
    ) -> Person:
        draw = self.drawer
        ages, pay = vocab.MANAGER_AGES[level], vocab.MANAGER_PAY[level]
        birth, hire, salary, sex, race = draw.person(pay, ages, senior=True)
        person = Person(
            number, draw.name(), title, level, org, manager, state, birth, hire, salary, sex, race
        )
        person.ratings = draw.ratings(hire, 0)
        draw.promotion(person)
        draw.grant(person)
        self.files.person(person, draw.remaining_vests(person))
        return person

    def _ic(self, number: int, boss: Node, managers: list[Node]) -> None:
        draw = self.drawer
        level, pay, ages = draw.ic_level(boss.level)
        birth, hire, salary, sex, race = draw.person(pay, ages)
        title = vocab.FAMILIES[boss.family][1] + IC_SUFFIX[level]
        state = draw.state(boss.state)
        person = Person(
            number,
            draw.name(),
            title,
            level,
            boss.org,
            boss.number,
            state,
            birth,
            hire,
            salary,
            sex,
            race,
        )
        # The person's facts take the same draws whatever happens in their case, so a
        # planted pattern changes no one else.
        person.exit = draw.voluntary_exit(hire)
        pivot_on = 0 if person.exit else self.orgs.group_pivot(boss.tag, person)
        person.ratings = draw.ratings(hire, person.exit)
        draw.promotion(person)
        draw.grant(person)
        rng = self.case_stream(number)
        request = None
        if pivot_on:
            start = pivot_on - rng.randint(35, 50)
            request = CaseRequest(
                start, pivot_on=pivot_on, panelist=self._panelist(boss, managers, rng)
            )
        elif not person.exit:
            request = self._request(person, boss, managers, rng)
        if request is not None:
            self._case(person, boss, request, rng)
        if boss.tag:
            self.orgs.count(boss.tag, person, request.start if request else 0)
        self.files.person(person, draw.remaining_vests(person))

    def _request(
        self, person: Person, boss: Node, managers: list[Node], rng: random.Random
    ) -> CaseRequest | None:
        start = self.orgs.start(boss.tag, rng)
        trigger = ""
        for day, value in person.ratings:
            if day <= start - 14:
                trigger = value
        if not trigger or rng.random() >= self.orgs.chance(boss.tag, person, trigger):
            return None
        policy = STANDARD if rng.random() < STANDARD_SHARE else AMAZON
        pattern = self.scheduler.assign(person, start) if policy == AMAZON else None
        return CaseRequest(start, policy, pattern, panelist=self._panelist(boss, managers, rng))

    def _panelist(self, boss: Node, managers: list[Node], rng: random.Random) -> tuple[str, str]:
        """A manager from another team hears the appeal (reported: one manager)."""
        other = managers[rng.randrange(len(managers))]
        if other.number == boss.number:
            return ("HR-2", "Alex Morgan")
        return (employee_id(other.number), other.name)

    def _case(self, person: Person, boss: Node, request: CaseRequest, rng: random.Random) -> None:
        builder = CaseBuilder(rng, self.as_of, self.employees)
        line = builder.timeline(person, request)
        events, left = builder.cut(line)
        person.exit = left
        if left:
            person.ratings = [rating for rating in person.ratings if rating[0] < left]
        if person.promotion >= request.start:
            person.promotion = 0
        if request.pattern == "exit_before_vest":
            self.drawer.grant_vesting_after(person, left, rng)
        document = case_document(
            person,
            boss.name,
            line,
            events,
            policy=request.policy,
            as_of=self.as_of,
            headcount=self.employees,
            vests=self.drawer.remaining_vests(person),
        )
        self.files.case(person.employee_id, document)
        self.cases += 1
