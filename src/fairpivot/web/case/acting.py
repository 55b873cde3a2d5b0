"""How a signed-in person stands to a case, and running a command as them.

The commands themselves (what each records, who may run it, when it is open) are the
records app's (``fairpivot.records.cases.commands``); this module only says who the viewer is
to the case and which actor a command records them as.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fairpivot.records.cases import commands
from fairpivot.records.cases.commands import Command, Outcome, Situation
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.models import Case
from fairpivot.web.access import Viewer, manages, seated, visible_by_hr


def relations(viewer: Viewer, case: Case) -> frozenset[str]:
    """How the viewer stands to the case: employee, representative, manager, hr, panelist,
    counsel, admin."""
    found = set()
    if viewer.person_id is not None and viewer.person_id == case.employee_ref:
        found.add("employee")
    if viewer.has("representative") and case.employee_ref in viewer.represents:
        found.add("representative")
    if viewer.has("manager") and manages(viewer, case):
        found.add("manager")
    if viewer.has("hr") and visible_by_hr(viewer, case):
        found.add("hr")
    if seated(viewer, case):
        found.add("panelist")
    for role in ("counsel", "admin"):
        if viewer.has(role):
            found.add(role)
    return frozenset(found)


def actor_for(viewer: Viewer, relation: str) -> Actor:
    """The actor a viewer acts as: their login, their id and their role in the case file."""
    role = {"manager": "manager", "hr": "hr", "admin": "hr", "panelist": "peer"}.get(
        relation, "other"
    )
    name = viewer.employee.name if viewer.employee else viewer.user.get_username()
    return Actor(
        viewer.user.get_username(), viewer.person_id or viewer.user.get_username(), name, role
    )


def available(viewer: Viewer, situation: Situation) -> list[tuple[Command, str]]:
    """The commands open to the viewer on the case now, each with the relation it uses."""
    return commands.available(situation, relations(viewer, situation.case))


def take(viewer: Viewer, case: Case, name: str, *, raw: Mapping[str, Any], version: int) -> Outcome:
    """Run the command ``name`` as the viewer, with raw inputs (form strings or JSON)."""
    return commands.take(
        Situation(case),
        relations(viewer, case),
        name,
        raw=raw,
        version=version,
        actor_for=lambda relation: actor_for(viewer, relation),
    )
