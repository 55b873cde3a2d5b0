"""The patterns planted in the synthetic org, and their record (``patterns.json``).

Per-case patterns go to one case in ``EVERY`` each, to the next case that can carry them
(an OWBPA defect needs someone 40 or over, an exit before a vest needs time to exit), so
an org of 1,000 or more people has at least one of each. Org-level patterns each take one
org big enough to show them, chosen from the tree's shape before anyone is drawn. With
``plant="none"`` nothing is planted: the same people, and the same background cases, since
each case draws from its own random stream.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from fairpivot.synth.people import YEAR, Person, age_on
from fairpivot.synth.shape import Shape, leaf_counts

PER_CASE = {
    "retaliation_after_fmla_leave": "retaliation.timing",
    "hidden_focus": "focus.undisclosed",
    "owbpa_defective_release": "owbpa.consideration_period",
    "exit_before_vest": "vesting.forfeiture",
    "resignation_label": "unemployment.resignation_label",
}
QUOTA, IMPACT, GROUP = "quota_clustering", "focus_disparity_by_sex", "hidden_group_program"
ORG_LEVEL = {
    QUOTA: "quota.clustering",
    IMPACT: "impact.four_fifths",
    GROUP: "owbpa.hidden_group_program",
}
PLANTS = ("all", "none")
EVERY = 50
ORG_PATTERNS_FROM = 2000  # employees
MIN_ORG = 200  # individual contributors under an org that carries an org-level pattern
GROUP_SIZE, GROUP_GAP = 4, 12  # release offers, days apart
# Focus chances by the latest rating: mostly the lowest rating, some HV3 (about 6% a year).
CHANCE = {"LE": 1.0, "HV3": 0.28}
BOOSTED = {"LE": 1.0, "HV3": 1.0, "HV2": 0.3, "HV1": 0.1}
QUOTA_CHANCE = {"LE": 1.0, "HV3": 0.4}


def eligible(pattern: str, person: Person, start: int, as_of: int) -> bool:
    """Whether a case starting Focus on ``start`` has the time and facts for ``pattern``."""
    if pattern == "owbpa_defective_release":
        return start <= as_of - 65 and age_on(person.birth, start) >= 40
    if pattern == "exit_before_vest":
        return start <= as_of - 110 and person.hire <= start - 400
    if pattern == "resignation_label":
        return start <= as_of - 110
    if pattern == "retaliation_after_fmla_leave":
        return person.hire <= start - 120
    return True


class Scheduler:
    """Hands out each per-case pattern once every ``EVERY`` Amazon-policy cases."""

    def __init__(self, as_of: date, *, plant: bool = True) -> None:
        self.as_of, self.count, self.pending = as_of.toordinal(), 0, list[str]()
        self.plant = plant
        self.records: list[dict[str, Any]] = []

    def assign(self, person: Person, start: int) -> str | None:
        """The pattern this case carries, if any."""
        if not self.plant:
            return None
        if self.count % EVERY == 0:
            self.pending.extend(PER_CASE)
        self.count += 1
        for pattern in self.pending:
            if eligible(pattern, person, start, self.as_of):
                self.pending.remove(pattern)
                self.records.append(
                    {
                        "pattern": pattern,
                        "expect_code": PER_CASE[pattern],
                        "case_file": f"cases/{person.employee_id}.json",
                        "employee_id": person.employee_id,
                    }
                )
                return pattern
        return None


def quarter_windows(as_of: date, days: int = 30) -> list[tuple[int, int]]:
    """The last ``days`` days of each calendar quarter wholly in the year before ``as_of``."""
    today, out = as_of.toordinal(), []
    for year in (as_of.year - 1, as_of.year):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            end = date(year, month, day).toordinal()
            if end - days + 1 >= today - YEAR and end < today:
                out.append((end - days + 1, end))
    return out


class OrgPatterns:
    """Which org carries each org-level pattern, and what was placed there."""

    def __init__(self, shape: Shape, as_of: date, employees: int, *, plant: bool = True) -> None:
        self.as_of, self.tier, self.nodes = as_of.toordinal(), 0, dict[int, str]()
        self.orgs: dict[str, str] = {}
        self.windows = quarter_windows(as_of)
        self.quota = [0, 0]  # placements, in a quarter-end window
        self.impact = {"female": [0, 0], "male": [0, 0]}  # headcount, placed
        self.group: list[str] = []
        self.group_org = ""
        if plant and employees >= ORG_PATTERNS_FROM:
            self._choose(shape)

    def _choose(self, shape: Shape) -> None:
        for tier in range(shape.org_levels, 0, -1):
            counts = leaf_counts(shape, tier)
            big = sorted((-c, i) for i, c in enumerate(counts) if c >= MIN_ORG)
            if len(big) >= 3 or tier == 1:
                self.tier = tier
                chosen = big[:3] if len(big) >= 3 else sorted((-c, i) for i, c in enumerate(counts))
                for (_, index), pattern in zip(chosen, (QUOTA, IMPACT, GROUP), strict=False):
                    self.nodes[index] = pattern
                return

    def tag(self, tier: int, index: int, org: str) -> str | None:
        """The org-level pattern of this org node, if it carries one."""
        pattern = self.nodes.get(index) if tier == self.tier else None
        if pattern:
            self.orgs[pattern] = org
        return pattern

    def start(self, tag: str | None, rng: random.Random) -> int:
        """The day a Focus would start: in the quota org, mostly just before a quarter ends."""
        if tag == QUOTA and self.windows and rng.random() < 0.95:
            low, high = rng.choice(self.windows)
            return rng.randint(low, high)
        return self.as_of - 1 - int(rng.random() * YEAR)

    def chance(self, tag: str | None, person: Person, rating: str) -> float:
        """The chance that a person with this latest rating is placed on Focus."""
        if tag == QUOTA:
            return QUOTA_CHANCE.get(rating, 0.0)
        if tag == IMPACT and person.sex == "female":
            return BOOSTED.get(rating, 0.0)
        return CHANCE.get(rating, 0.0)

    def group_pivot(self, tag: str | None, person: Person) -> int:
        """The forced Pivot day for the next 40+ person of the group-program org, or 0."""
        first = self.as_of - 120
        if tag != GROUP or len(self.group) >= GROUP_SIZE or person.hire > first - 150:
            return 0
        if age_on(person.birth, first) < 41:
            return 0
        # One decisional unit: the people of one org path. An org's people come one after
        # another, so a unit with too few older workers is left for the next one.
        if person.org != self.group_org:
            if len(self.group) >= 3:
                return 0
            self.group, self.group_org = [], person.org
        self.group.append(f"cases/{person.employee_id}.json")
        return first + GROUP_GAP * (len(self.group) - 1)

    def count(self, tag: str | None, person: Person, start: int) -> None:
        """Note a person of a pattern org, placed on Focus on ``start`` (0: not placed)."""
        if tag == QUOTA and start:
            self.quota[0] += 1
            self.quota[1] += any(low <= start <= high for low, high in self.windows)
        elif tag == IMPACT and person.sex in self.impact:
            cell = self.impact[person.sex]
            cell[0] += 1
            cell[1] += bool(start)

    def records(self) -> list[dict[str, Any]]:
        """The ``patterns.json`` entries of the org-level patterns that took."""
        out: list[dict[str, Any]] = []
        placed, bunched = self.quota
        if QUOTA in self.orgs and placed >= 8 and bunched >= 0.7 * placed:
            detail: dict[str, Any] = {"placements": placed, "in_window": bunched, "window_days": 30}
            out.append(self._record(QUOTA, detail))
        women, men = self.impact["female"], self.impact["male"]
        if IMPACT in self.orgs and men[0] and women[1] * men[0] >= 2 * men[1] * women[0]:
            counts = {sex: {"headcount": h, "placed": p} for sex, (h, p) in self.impact.items()}
            detail = {"dimension": "sex", "stage": "focus", "group": "female", "counts": counts}
            out.append(self._record(IMPACT, detail))
        if GROUP in self.orgs and len(self.group) >= 3:
            detail = {"case_files": self.group, "consideration_days": 21, "within_days": 60}
            out.append(self._record(GROUP, detail))
        return out

    def _record(self, pattern: str, detail: dict[str, Any]) -> dict[str, Any]:
        org = self.group_org if pattern == GROUP else self.orgs[pattern]
        return {"pattern": pattern, "expect_code": ORG_LEVEL[pattern], "org": org, **detail}
