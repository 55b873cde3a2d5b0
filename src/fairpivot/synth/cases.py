"""Case files for the synthetic org: a plausible timeline per case, then the document.

Every timeline is drawn whole (Focus to exit) and cut at ``as_of``: a prefix of an allowed
sequence of events is itself allowed, so open cases need no separate logic. Background
cases keep to the rules: the ADEA named, an attorney advised, 7 days to revoke, and for
anyone 40 or over the policy's formula offered as what it is, a group program (45 days
to consider and the decisional-unit disclosures, 29 C.F.R. 1625.22(f)). The defects come
only from the planted patterns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from fairpivot.domain.dates import whole_years_between
from fairpivot.domain.policy import Policy, load_policy
from fairpivot.synth import vocab
from fairpivot.synth.people import Person, age_on, employee_id, iso

Event = dict[str, Any]
AMAZON, STANDARD = "amazon-pivot", "standard-pip"
CLAUSES = [
    "release_of_claims",
    "non_disparagement",
    "carve_out_illegal_conduct",
    "preserves_section7_rights",
]


@dataclass(slots=True)
class Timeline:
    """A case's dated events (ordinal, event) and facts, before the cut at ``as_of``."""

    boss: str
    panelist: tuple[str, str]
    events: list[tuple[int, Event]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    appealed: bool = False

    def add(self, day: int, kind: str, by: str | None = None, **fields: Any) -> int:
        """Append an event by ``by`` (the manager unless named); return its day."""
        event: Event = {"date": iso(day), "type": kind, "by": by or self.boss, **fields}
        self.events.append((day, event))
        return day


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """What the generator asks for: when Focus starts, the policy, any pattern to inject."""

    start: int
    policy: str = AMAZON
    pattern: str | None = None
    pivot_on: int = 0  # a forced Pivot date (the org-level group-program pattern)
    panelist: tuple[str, str] = ("", "")


@cache
def _amazon_policy() -> Policy:
    return load_policy(AMAZON)


def formula_amount(person: Person, day: int, tier: int) -> float:
    """The amazon-pivot policy's severance for ``tier`` on ``day``: its formula, to the cent."""
    policy = _amazon_policy()
    tenure = whole_years_between(date.fromordinal(person.hire), date.fromordinal(day))
    tier1 = policy.tier1_amount(person.salary, tenure) or Decimal(0)
    amount = tier1 if tier == 1 else policy.tier_amount(tier, tier1) or Decimal(0)
    return float(amount)


class CaseBuilder:
    """Draws one case's timeline from its own random stream, relative to ``as_of``."""

    def __init__(self, rng: random.Random, as_of: date, headcount: int) -> None:
        self.rng, self.as_of, self.headcount = rng, as_of.toordinal(), headcount

    def timeline(self, person: Person, request: CaseRequest) -> Timeline:
        """The case's whole timeline, as if nothing stopped it at ``as_of``."""
        line = Timeline(employee_id(person.manager), request.panelist)
        if request.policy == STANDARD:
            self._standard(line, person, request)
        else:
            self._amazon(line, person, request)
        return line

    def cut(self, line: Timeline) -> tuple[list[Event], int]:
        """The events on or before ``as_of``, and the separation day among them (or 0)."""
        kept = [event for day, event in line.events if day <= self.as_of]
        left = [day for day, event in line.events if event["type"] == "separated"]
        return kept, left[0] if left and left[0] <= self.as_of else 0

    def _goals(self, due: int = 0) -> list[dict[str, str]]:
        text, measure = self.rng.choice(vocab.GOAL_TEXTS)
        goal = {"text": text, "measure": measure}
        return [{**goal, "due": iso(due)}] if due else [goal]

    def _offer(
        self, person: Person, day: int, tier: int, days: int, *, group: bool = False
    ) -> dict[str, Any]:
        """An offer on the policy's formula; ``group`` runs it as a group program."""
        offer = {
            "tier": tier,
            "amount": formula_amount(person, day, tier),
            "consideration_days": days,
            "revocation_days": 7,
            "names_adea": True,
            "advises_attorney": True,
        }
        if group:
            offer |= {"group_program": True, "group_disclosures": True}
        return {**offer, "clauses": list(CLAUSES)}

    def _amazon(self, line: Timeline, person: Person, request: CaseRequest) -> None:
        rng, start, pattern = self.rng, request.start, request.pattern
        if pattern == "retaliation_after_fmla_leave":
            back = start - rng.randint(3, 25)
            leave = {"date": iso(back - rng.randint(14, 84)), "kind": "fmla_leave"}
            line.activities.append({**leave, "end_date": iso(back), "known_to": [line.boss]})
        if rng.random() < 0.6:
            line.add(start - rng.randint(10, 45), "concern_documented")
        forced = request.pivot_on or pattern in ("owbpa_defective_release", *EXITS)
        ends = request.pivot_on or start + rng.randint(30, 58)
        pivot = forced or rng.random() < 0.6
        # Outside the pattern, a Focus kept quiet is disclosed later, before it ends and
        # before as_of; one that could not be is disclosed from the start.
        told = start + rng.randint(5, 20)
        later = rng.random() >= 0.85 and told < ends and told <= self.as_of
        hidden = pattern == "hidden_focus"
        line.add(start, "focus_started", disclosed=not (hidden or later), goals=self._goals())
        if later and not hidden:
            line.add(told, "focus_disclosed")
        if not pivot:
            line.add(ends, "focus_removed")
            return
        self._pivot(line, person, request, ends)

    def _pivot(self, line: Timeline, person: Person, request: CaseRequest, day: int) -> None:
        rng, pattern = self.rng, request.pattern
        older = age_on(person.birth, day) >= 40
        # The planted hidden program hands the formula to older workers one at a time
        # (21 days, no disclosures); the planted defective release gives one 5 days.
        group = older and not request.pivot_on and pattern != "owbpa_defective_release"
        days = GROUP_DAYS if group else (21 if older and request.pivot_on else 5)
        begins = day + days + 2
        ends = begins + rng.randint(30, 60)
        plan = {
            "start": iso(begins),
            "end": iso(ends),
            "goals": self._goals(),
            "checkin_every_days": 7,
        }
        offer = self._offer(person, day, 1, days, group=group)
        line.add(day, "pivot_offered", offer=offer, plan=plan, decision_days=days)
        chose = day + rng.randint(1, days)
        me = person.employee_id
        if pattern in EXITS or (not request.pivot_on and rng.random() < 0.45):
            line.add(chose, "option_chosen", me, option="severance")
            line.add(chose, "offer_signed", me, tier=1)
            label = "resignation_with_severance" if pattern == "resignation_label" else None
            self._separate(line, chose + rng.randint(10, 21), label)
            return
        line.add(chose, "option_chosen", me, option="plan")
        self._plan(line, person, begins, ends)

    def _plan(self, line: Timeline, person: Person, begins: int, ends: int) -> None:
        rng, me = self.rng, person.employee_id
        missed = rng.random() < 0.03
        for day in range(begins + 7, ends, 7):
            line.add(day, "checkin", held=not missed)
            missed = False
        if rng.random() < 0.45:
            line.add(ends, "plan_passed")
            return
        line.add(ends, "plan_failed", appeal_days=5)
        tier, day = 2, ends + 6
        if rng.random() < 0.35:
            line.add(ends + rng.randint(1, 3), "appeal_elected", me)
            day = ends + rng.randint(18, 34)
            line.appealed, won = True, rng.random() < 0.3
            outcome = "overturned" if won else "upheld"
            panel = [line.panelist[0]]
            line.add(day, "appeal_decided", vocab.HR_ID, outcome=outcome, panel=panel)
            if won:
                return
            tier, day = 3, day + 1
        self._final_offer(line, person, tier, day)

    def _final_offer(self, line: Timeline, person: Person, tier: int, day: int) -> None:
        rng = self.rng
        group = age_on(person.birth, day) >= 40
        days = GROUP_DAYS if group else 21
        offer = self._offer(person, day, tier, days, group=group)
        line.add(day, "offer_made", vocab.HR_ID, offer=offer)
        if rng.random() < 0.7:
            signed = line.add(
                day + rng.randint(2, 20), "offer_signed", person.employee_id, tier=tier
            )
            self._separate(line, signed + rng.randint(8, 14))
        else:
            self._separate(line, day + days + 1)

    def _separate(self, line: Timeline, day: int, label: str | None = None) -> None:
        reason = label or "termination_performance"
        line.add(day, "separated", vocab.HR_ID, reason=reason, no_rehire=True)

    def _standard(self, line: Timeline, person: Person, request: CaseRequest) -> None:
        rng, start = self.rng, request.start
        if rng.random() < 0.8:
            line.add(start - rng.randint(10, 45), "concern_documented")
        ends = start + rng.choice((60, 90))
        plan = {"start": iso(start), "end": iso(ends), "goals": self._goals(ends - 7)}
        line.add(start, "plan_started", plan={**plan, "checkin_every_days": 14})
        for day in range(start + 14, ends, 14):
            line.add(day, "checkin", held=True)
        if rng.random() < 0.5:
            line.add(ends, "plan_passed")
            return
        line.add(ends, "plan_failed")
        if rng.random() < 0.5:
            offer = {**self._offer(person, ends + 1, 1, 21), "amount": round(person.salary / 13)}
            line.add(ends + 1, "offer_made", vocab.HR_ID, offer=offer)
            signed = line.add(ends + rng.randint(4, 15), "offer_signed", person.employee_id, tier=1)
            self._separate(line, signed + rng.randint(8, 14))
        else:
            self._separate(line, ends + 3)


EXITS = ("exit_before_vest", "resignation_label")
GROUP_DAYS = 45  # to consider a release offered in a group program (29 U.S.C. 626(f)(1)(F)(ii))
