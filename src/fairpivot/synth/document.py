"""One case file (``fairpivot.casefile/1``) from a person's HRIS facts and a case timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from fairpivot.synth import vocab
from fairpivot.synth.cases import AMAZON, Event, Timeline
from fairpivot.synth.people import Person, employee_id, iso

FORMAT = "fairpivot.casefile/1"


def employee_block(person: Person) -> dict[str, Any]:
    """The ``employee`` object: the same facts as the person's HRIS rows."""
    return {
        "id": person.employee_id,
        "name": person.name,
        "birth_date": iso(person.birth),
        "hire_date": iso(person.hire),
        "title": person.title,
        "level": f"L{person.level}",
        "org": person.org,
        "manager": employee_id(person.manager),
        "work_state": person.state,
        "supervisor": False,
        "base_salary": person.salary,
        "demographics": {"sex": person.sex, "race_ethnicity": person.race},
    }


def case_document(
    person: Person,
    boss_name: str,
    line: Timeline,
    events: list[Event],
    *,
    policy: str,
    as_of: date,
    headcount: int,
    vests: list[tuple[int, int]],
) -> dict[str, Any]:
    """The whole case file, keys in the format's order and ``events`` last."""
    people = [{"id": line.boss, "name": boss_name, "role": "manager"}]
    people.append({"id": vocab.HR_ID, "name": vocab.HR_NAME, "role": "hr"})
    if line.appealed and any(e["type"] == "appeal_decided" for e in events):
        people.append({"id": line.panelist[0], "name": line.panelist[1], "role": "other"})
    doc: dict[str, Any] = {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "policy": policy,
        "employer": {"name": vocab.EMPLOYER, "headcount": headcount},
        "employee": employee_block(person),
        "people": people,
    }
    scale = (lambda v: v) if policy == AMAZON else vocab.STANDARD_SCALE.__getitem__
    if person.ratings:
        doc["ratings"] = [
            {"date": iso(day), "value": scale(value), "cycle": iso(day)[:4]}
            for day, value in person.ratings
        ]
    if person.promotion:
        doc["promotions"] = [{"date": iso(person.promotion), "to_level": f"L{person.level}"}]
    if vests and person.grant is not None:
        schedule = [{"date": iso(day), "shares": shares} for day, shares in vests]
        doc["equity"] = [{"grant": person.grant.grant_id, "vests": schedule}]
        doc["share_price"] = vocab.SHARE_PRICE
    if line.activities:
        doc["protected_activities"] = line.activities
    if policy == AMAZON:
        starts = [e["date"] for e in events if e["type"] == "focus_started"]
        started = date.fromisoformat(starts[0]) if starts else as_of
        period_end = date(started.year, 12, 31).isoformat()
        doc["org_context"] = {"ura_target": vocab.URA_TARGET, "period_end": period_end}
    doc["events"] = events
    return doc
