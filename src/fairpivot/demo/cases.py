"""How the demo writes its cases: the case-file pieces for one employee, and the import.

A ``Story`` holds one employee of the demo org and the day the demo is made; its helpers
build events, plans, offers and the whole case file with dates counted from that day, so
the open cases have live deadlines. ``import_document`` records a finished file exactly as
``fairpivot import`` would.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fairpivot.demo.org import Staff
from fairpivot.domain.casefile import parse_case_file
from fairpivot.domain.casefile.model import FORMAT
from fairpivot.records.cases.transfer import CaseFileToImport, import_one
from fairpivot.records.clock import Clock
from fairpivot.records.models import Case

EMPLOYER = "Northwind Commerce"
HR = {"id": "HR-1", "name": "Harper Lin", "role": "hr"}
SHARE_PRICE = 185.0
GOALS: dict[str, tuple[dict[str, str], ...]] = {
    "Retail": (
        {"text": "Ship the checkout latency fix", "measure": "p99 under 300 ms"},
        {"text": "Clear the on-call backlog", "measure": "no ticket older than 14 days"},
    ),
    "Ops": (
        {"text": "Publish the weekly capacity plan", "measure": "on time 4 weeks in 4"},
        {"text": "Cut the forecast error", "measure": "MAPE under 8%"},
    ),
    "Sales": (
        {"text": "Build qualified pipeline", "measure": "$1.2M at stage 2 or later"},
        {"text": "Close three new accounts"},
    ),
    "Devices": (
        {"text": "Fix the firmware regressions assigned", "measure": "no open P1"},
        {"text": "Raise boot-loader test coverage", "measure": "80% of lines"},
    ),
}


@dataclass(frozen=True, slots=True)
class Story:
    """One case being written: the employee, the appeal panel, the day it is reviewed."""

    subject: Staff
    today: date
    headcount: int
    panel: tuple[Staff, ...] = ()

    @property
    def me(self) -> str:
        """The employee's id."""
        return self.subject.row.employee_id

    @property
    def boss(self) -> Staff:
        """The employee's manager."""
        if self.subject.manager is None:
            raise ValueError(f"{self.me} has no manager to run a case")
        return self.subject.manager

    def day(self, offset: int) -> str:
        """The date ``offset`` days from today (negative: in the past)."""
        return (self.today + timedelta(days=offset)).isoformat()

    def event(self, offset: int, kind: str, by: str | None = None, **fields: Any) -> dict[str, Any]:
        """One case event, by the manager unless ``by`` names someone else."""
        return {
            "date": self.day(offset),
            "type": kind,
            "by": by or self.boss.row.employee_id,
            **fields,
        }

    def checkins(self, *offsets: int, missed: tuple[int, ...] = ()) -> list[dict[str, Any]]:
        """Check-ins on those days, held unless listed in ``missed``."""
        return [self.event(o, "checkin", held=o not in missed) for o in sorted(offsets + missed)]

    def goals(self) -> list[dict[str, str]]:
        """Goals that fit the employee's line of work."""
        return [dict(goal) for goal in GOALS[self.subject.family]]

    def plan(self, start: int, end: int, every: int = 7) -> dict[str, Any]:
        """An improvement plan from ``start`` to ``end`` days from today."""
        return {
            "start": self.day(start),
            "end": self.day(end),
            "goals": self.goals(),
            "checkin_every_days": every,
        }

    def tier1(self, offset: int) -> int:
        """The policy's tier-1 amount on that day: ten weeks' pay plus 1% a year of tenure."""
        years = (self.today + timedelta(days=offset) - self.subject.hire_date).days // 365
        return round(self.subject.base_salary * (10 / 52 + 0.01 * years))

    def offer(self, offset: int, tier: int = 1, **changes: Any) -> dict[str, Any]:
        """A release offer that meets every rule the review checks, but for ``changes``."""
        return {
            "tier": tier,
            "amount": round(self.tier1(offset) / {1: 1, 2: 3, 3: 6}[tier]),
            "consideration_days": 21,
            "revocation_days": 7,
            "names_adea": True,
            "advises_attorney": True,
            "clauses": [
                "release_of_claims",
                "non_disparagement",
                "carve_out_illegal_conduct",
                "preserves_section7_rights",
            ],
            **changes,
        }

    def grant(self, shares: int, *offsets: int) -> dict[str, Any]:
        """A stock grant vesting ``shares`` on each of those days."""
        vests = [{"date": self.day(o), "shares": shares} for o in offsets]
        return {"grant": f"G-{self.me}-refresh", "vests": vests}

    def employee(self) -> dict[str, Any]:
        """The case file's ``employee`` object, from the HRIS row."""
        staff, row = self.subject, self.subject.row
        return {
            "id": row.employee_id,
            "name": row.name,
            "birth_date": staff.birth_date.isoformat(),
            "hire_date": staff.hire_date.isoformat(),
            "title": row.title,
            "level": row.level,
            "org": row.org,
            "manager": self.boss.row.employee_id,
            "work_state": row.work_state,
            "supervisor": False,
            "base_salary": staff.base_salary,
            "demographics": {"sex": staff.sex, "race_ethnicity": staff.race_ethnicity},
        }

    def people(self, *, panel: bool = False) -> list[dict[str, str]]:
        """The manager and HR, and the appeal panel when asked."""
        boss = {"id": self.boss.row.employee_id, "name": self.boss.row.name, "role": "manager"}
        return [boss, HR, *(self.panel_people() if panel else [])]

    def panel_people(self) -> list[dict[str, str]]:
        """The appeal panel as case-file people: peers from other teams."""
        return [{"id": p.row.employee_id, "name": p.row.name, "role": "peer"} for p in self.panel]

    def panel_ids(self) -> list[str]:
        """The appeal panel's ids."""
        return [p.row.employee_id for p in self.panel]

    def document(
        self, *, policy: str = "amazon-pivot", panel: bool = False, **facts: Any
    ) -> dict[str, Any]:
        """The whole case file; ``facts`` in the format's key order, ``events`` last."""
        return {
            "format": FORMAT,
            "as_of": self.day(0),
            "policy": policy,
            "employer": {"name": EMPLOYER, "headcount": self.headcount},
            "employee": self.employee(),
            "people": self.people(panel=panel),
            **facts,
        }


@dataclass(frozen=True, slots=True)
class Scenario:
    """A case to write, and the kind of employee it needs."""

    write: Callable[[Story], dict[str, Any]]
    state: str | None = None
    min_age: int = 0
    max_age: int = 200


def import_document(document: dict[str, Any], clock: Clock) -> Case:
    """Import one case file exactly as ``fairpivot import`` would: checked, then recorded."""
    data = json.dumps(document, indent=2).encode()
    path = Path("demo") / f"{document['employee']['id']}.json"
    item = CaseFileToImport(path, hashlib.sha256(data).hexdigest(), parse_case_file(data))
    return import_one(item, clock).case
