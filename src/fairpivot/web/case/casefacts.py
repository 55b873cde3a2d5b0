"""A case's facts worded for its pages: its events, timeline items, goals and offers.

Everything here reads the case file assembled from the ledger (its JSON value), as the
viewer may see it (``privacy.case_file``): what the viewer may not see is not there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fairpivot.domain.review import Deadline, Review
from fairpivot.domain.wording import money
from fairpivot.records.models import Employee
from fairpivot.web.case.timeline import Item
from fairpivot.web.wording import activity_label, event_label, humanize

# An adverse step (spec/review.md), drawn in the adverse colour on the timeline.
ADVERSE = frozenset({"focus_started", "pivot_offered", "plan_started", "plan_failed", "separated"})


def day(text: str) -> date:
    """An ISO date from the case file."""
    return date.fromisoformat(text)


class People:
    """Names for the ids a case file uses: its employee, its people, then the org."""

    def __init__(self, raw: dict[str, Any]) -> None:
        employee = raw["employee"]
        self.names: dict[str, str] = {employee["id"]: employee["name"]}
        self.names |= {p["id"]: p["name"] for p in raw.get("people", [])}

    def name(self, ident: str | None) -> str:
        """The person's name, or their id when nobody in the case or the org has it."""
        if not ident:
            return ""
        if ident not in self.names:
            row = Employee.objects.filter(employee_id=ident).values_list("name", flat=True)
            self.names[ident] = row.first() or ident
        return self.names[ident]


Details = Callable[[dict[str, Any], str], list[str]]


def _offer(event: dict[str, Any], currency: str) -> list[str]:
    offer = event["offer"]
    if "amount" not in offer:  # withheld from this viewer (``privacy``)
        return [f"tier {offer['tier']} offer"]
    return [f"tier {offer['tier']} offer of {money(offer['amount'], currency)}"]


def _plan(event: dict[str, Any], currency: str) -> list[str]:
    return [f"plan {event['plan']['start']} to {event['plan']['end']}"]


def _tier(event: dict[str, Any], currency: str) -> list[str]:
    return [f"tier {event['tier']}"]


# The facts worth a word for each event type, beyond its date, who and its note.
_DETAILS: dict[str, Details] = {
    "focus_started": lambda e, _: [
        "the employee was told" if e.get("disclosed") else "not disclosed to the employee"
    ],
    "pivot_offered": lambda e, c: [
        *_offer(e, c),
        f"{e['decision_days']} days to decide",
        *_plan(e, c),
    ],
    "offer_made": _offer,
    "plan_started": _plan,
    "option_chosen": lambda e, _: [f"chose {e['option']}"],
    "checkin": lambda e, _: ["held" if e.get("held") else "missed"],
    "plan_extended": lambda e, _: [f"new end {e['end']}"],
    "plan_failed": lambda e, _: (
        [f"{e['appeal_days']} business days to appeal"] if e.get("appeal_days") else []
    ),
    "appeal_decided": lambda e, _: [str(e["outcome"])],
    "offer_signed": _tier,
    "offer_revoked": _tier,
    "separated": lambda e, _: [
        humanize(e["reason"]).lower(),
        *(["not eligible for rehire"] if e.get("no_rehire") else []),
        *([f"the employee was told on {e['notified_on']}"] if e.get("notified_on") else []),
    ],
    "transferred": lambda e, _: [f"to {e.get('org') or e.get('to_manager') or 'another team'}"],
}


def describe_event(event: dict[str, Any], currency: str) -> str:
    """The facts of one event in a line: amounts, dates, the choice made, its note."""
    details = _DETAILS.get(event["type"])
    parts = details(event, currency) if details else []
    if event.get("note"):
        parts.append(str(event["note"]))
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as the pages list it."""

    date: str
    kind: str
    label: str
    by: str
    detail: str


def event_rows(raw: dict[str, Any], people: People, currency: str) -> list[EventRow]:
    """The case's events, oldest first, worded."""
    return [
        EventRow(
            e["date"],
            e["type"],
            event_label(e["type"]),
            people.name(e.get("by")),
            describe_event(e, currency),
        )
        for e in raw.get("events", [])
    ]


def timeline_items(
    raw: dict[str, Any], result: Review, people: People, *, sensitive: bool, today: date
) -> list[Item]:
    """The case's dated facts for its timeline; protected activities only when ``sensitive``."""
    currency = result.currency
    items = [_event_item(e, people, currency) for e in raw.get("events", [])]
    for event in raw.get("events", []):
        plan = event.get("plan")
        if plan:
            items.append(Item("plans", day(plan["start"]), "Plan", "", day(plan["end"])))
    if sensitive:
        items += [_activity_item(a, people) for a in raw.get("protected_activities", [])]
    items += [
        Item("ratings", day(r["date"]), f"Rating {r['value']}", r.get("cycle") or "")
        for r in raw.get("ratings", [])
    ]
    items += [
        Item(
            "ratings",
            day(p["date"]),
            "Promotion",
            f"to {p['to_level']}" if p.get("to_level") else "",
        )
        for p in raw.get("promotions", [])
    ]
    price = raw.get("share_price")
    for grant in raw.get("equity", []):
        for vest in grant["vests"]:
            worth = f", {money(vest['shares'] * price, currency)}" if price else ""
            items.append(Item("pay", day(vest["date"]), "Vest", f"{vest['shares']} shares{worth}"))
    items += [
        Item("pay", day(b["date"]), "Bonus", money(b["amount"], currency) + _label(b))
        for b in raw.get("bonuses", [])
    ]
    items += [_deadline_item(d, today) for d in result.deadlines]
    return items


def _deadline_item(deadline: Deadline, today: date) -> Item:
    """A deadline on the timeline: the only place a settled one is shown (review-v4.md 5)."""
    state = "settled" if deadline.settled else "passed" if deadline.date < today else ""
    return Item("deadlines", deadline.date, deadline.code, state, tone=state)


def _label(bonus: dict[str, Any]) -> str:
    return f" ({bonus['label']})" if bonus.get("label") else ""


def _event_item(event: dict[str, Any], people: People, currency: str) -> Item:
    detail = describe_event(event, currency)
    if event.get("by"):
        detail = f"by {people.name(event['by'])}" + (f"; {detail}" if detail else "")
    adverse = event["type"] in ADVERSE or (
        event["type"] == "appeal_decided" and event.get("outcome") == "upheld"
    )
    return Item(
        "events", day(event["date"]), event_label(event["type"]), detail, tone="adverse" * adverse
    )


def _activity_item(activity: dict[str, Any], people: People) -> Item:
    known = [people.name(i) for i in activity.get("known_to") or []]
    detail = "; ".join(
        part
        for part in (
            f"known to {', '.join(known)}" if known else "",
            f"the manager learned of it on {activity['known_on']}"
            if activity.get("known_on")
            else "",
            str(activity.get("note") or ""),
        )
        if part
    )
    end = day(activity["end_date"]) if activity.get("end_date") else None
    return Item("protected", day(activity["date"]), activity_label(activity["kind"]), detail, end)


def goals_of(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals the employee works to: the latest plan's, else the latest Focus's."""
    goals: list[dict[str, Any]] = []
    for event in raw.get("events", []):
        if event.get("plan"):
            goals = list(event["plan"].get("goals", []))
        elif event["type"] == "focus_started" and event.get("goals"):
            goals = list(event["goals"])
    return goals


def checkins_of(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The check-ins recorded, oldest first."""
    return [e for e in raw.get("events", []) if e["type"] == "checkin"]
