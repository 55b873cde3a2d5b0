"""What each person may do to a case: one registry that the pages and the API both use.

An action names who may take it (their relation to the case), the fields it takes and
the use case it runs. Whether an event action is open at the case's stage is the
policy's stage table's call.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.policy import event_key, load_policy
from fairpivot.domain.review import Review
from fairpivot.records import corrections, usecases, workflow
from fairpivot.records.errors import Conflict
from fairpivot.records.models import Case
from fairpivot.records.usecases import Actor
from fairpivot.web import limits
from fairpivot.web.access import Viewer, reporting_line, visible_by_hr
from fairpivot.web.models import PanelAssignment
from fairpivot.web.services import assign_panel, panel_ids


@dataclass(frozen=True, slots=True)
class Field:
    """One input an action takes."""

    name: str
    kind: str  # text, textarea, date, int, bool, choice, json
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What taking an action did."""

    review: Review | None
    held: int | None = None
    findings: tuple[str, ...] = ()


Runner = Callable[[Case, Actor, dict[str, Any], int], Outcome]


@dataclass(frozen=True, slots=True)
class Action:
    """A step someone may take on a case."""

    name: str
    label: str
    relations: frozenset[str]
    run: Runner
    fields: tuple[Field, ...] = ()
    event: str | None = None  # the stage-table key, for event actions
    guarded: bool = False
    stages: frozenset[str] = frozenset()  # for actions outside the stage table: where offered
    help: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


def relations(viewer: Viewer, case: Case) -> frozenset[str]:
    """How the viewer stands to the case: employee, manager, hr, panelist, counsel, admin."""
    found = set()
    if viewer.person_id is not None and viewer.person_id == case.employee_ref:
        found.add("employee")
    if (
        viewer.has("manager")
        and viewer.employee is not None
        and case.employee_id is not None
        and case.employee_id in reporting_line(viewer.employee)
    ):
        found.add("manager")
    if viewer.has("hr") and visible_by_hr(viewer, case):
        found.add("hr")
    if (
        viewer.has("panelist")
        and PanelAssignment.objects.filter(case=case, user=viewer.user).exists()
    ):
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


def available(viewer: Viewer, case: Case, stage: str) -> list[tuple[Action, str]]:
    """The actions open to the viewer on this case now, each with the relation it uses."""
    mine = relations(viewer, case)
    policy = load_policy(case.policy)
    out: list[tuple[Action, str]] = []
    for action in ACTIONS.values():
        relation = next(
            (
                r
                for r in ("employee", "manager", "hr", "admin", "panelist")
                if r in mine and r in action.relations
            ),
            None,
        )
        if relation is None:
            continue
        if action.event is not None and not policy.allows(stage, action.event):
            continue
        if action.stages and stage not in action.stages:
            continue
        out.append((action, relation))
    return out


def take(
    viewer: Viewer, case: Case, name: str, *, raw: Mapping[str, Any], version: int, stage: str
) -> Outcome:
    """Take the action ``name`` with raw inputs (form strings or JSON values)."""
    match = next(((a, r) for a, r in available(viewer, case, stage) if a.name == name), None)
    if match is None:
        raise InvalidInput([f"action: {name} is not open to you on {case.ref} now"])
    action, relation = match
    values = parse_fields(action.fields, raw)
    return (
        action.run(case, actor_for(viewer, relation), values, version)
        if not (action.guarded and relation == "manager")
        else _guarded(action, case, actor_for(viewer, relation), values, version)
    )


def parse_fields(fields: tuple[Field, ...], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values from raw inputs; InvalidInput naming each field that is wrong."""
    values: dict[str, Any] = {}
    problems = []
    for f in fields:
        value = raw.get(f.name)
        if value in (None, ""):
            if f.required and f.kind != "bool":
                problems.append(f"{f.name}: required")
            elif f.kind == "bool":
                values[f.name] = False
            continue
        try:
            # Checked at the edge (limits): a lone surrogate, a 2 MB note or tier 99 never
            # reaches a use case, whether it came from a form or the API.
            values[f.name] = limits.field(f.name, f.kind, _parse(f, value), required=f.required)
        except (ValueError, TypeError) as exc:
            problems.append(f"{f.name}: {exc}")
    if problems:
        raise InvalidInput(problems)
    return values


def _parse(f: Field, value: Any) -> Any:
    if f.kind in ("text", "textarea"):
        return str(value).strip()
    if f.kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"not a date, as YYYY-MM-DD (got {value!r})") from None
    if f.kind == "int":
        if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
            raise ValueError(f"not a whole number (got {value!r})")
        return int(value)
    if f.kind == "bool":
        return value is True or str(value).lower() in ("true", "on", "1", "yes")
    if f.kind == "choice":
        if str(value) not in f.choices:
            raise ValueError(f"must be one of {', '.join(f.choices)} (got {value!r})")
        return str(value)
    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, dict | list):
        raise ValueError("must be a JSON object or array")
    return parsed


def _guarded(
    action: Action, case: Case, actor: Actor, values: dict[str, Any], version: int
) -> Outcome:
    kind = action.event.partition(":")[0] if action.event else ""
    event = {"type": kind, **action.extra, **values}
    justification = str(event.pop("justification", ""))
    result = workflow.request_step(
        case.ref,
        event,
        actor=actor,
        expected_version=version,
        guarded=True,
        justification=justification,
    )
    return Outcome(result.review, result.held, result.findings)


def _event(kind: str, **fixed: Any) -> Runner:
    def run(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
        event = {"type": kind, **fixed, **{k: v for k, v in values.items() if k != "justification"}}
        return Outcome(
            usecases.record_event(case.ref, event, actor=actor, expected_version=version)
        )

    return run


def _fact(kind: str) -> Runner:
    def run(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
        return Outcome(
            usecases.record_fact(
                case.ref, kind, values["fact"], actor=actor, expected_version=version
            )
        )

    return run


def _protected_activity(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
    """Record a protected activity, with the day the manager learned of it when given."""
    activity = values["fact"]
    if not isinstance(activity, dict):
        raise InvalidInput(["fact: must be a JSON object, as in the case file"])
    known_on = values.get("known_on")
    if known_on is not None:
        if activity.get("known_on") not in (None, known_on):
            raise InvalidInput(
                [
                    f"known_on: {known_on} differs from the known_on in the details "
                    f"({activity['known_on']})"
                ]
            )
        activity = {**activity, "known_on": known_on}
    return Outcome(
        usecases.record_fact(
            case.ref, "protected_activity", activity, actor=actor, expected_version=version
        )
    )


def _call(fn: Callable[..., Review], *names: str) -> Runner:
    def run(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
        args = [values[n] for n in names]
        return Outcome(fn(case.ref, *args, actor=actor, expected_version=version))

    return run


def _sign_off(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
    return Outcome(
        workflow.sign_off(
            case.ref,
            values["hold"],
            approve=values["decision"] == "approve",
            justification=values["justification"],
            actor=actor,
            expected_version=version,
        )
    )


def _seat_panel(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
    names = [n.strip() for n in str(values["panelists"]).split(",") if n.strip()]
    users = list(User.objects.filter(username__in=names, groups__name="panelist"))
    missing = sorted(set(names) - {u.username for u in users})
    if missing or not users:
        raise InvalidInput([f"panelists: not panelists: {', '.join(missing) or '(none given)'}"])
    if case.version != version:
        raise Conflict(case.ref, version, case.version)
    assign_panel(case, users, actor=actor)
    return Outcome(None)


def _vote(case: Case, actor: Actor, values: dict[str, Any], version: int) -> Outcome:
    policy = load_policy(case.policy)
    return Outcome(
        workflow.vote(
            case.ref,
            values["vote"],
            panel=panel_ids(case),
            actor=actor,
            expected_version=version,
            tie_goes_to=policy.appeal.tie_goes_to,
        )
    )


MANAGING = frozenset({"manager", "hr", "admin"})
HR = frozenset({"hr", "admin"})
EMPLOYEE = frozenset({"employee"})
NOTE = Field("note", "textarea", "Note", required=False)
WHY = Field(
    "justification",
    "textarea",
    "Why (if the step is held, seen by HR and by the employee)",
    required=False,
)
OFFER = Field(
    "offer", "json", "Offer (JSON: tier, amount, consideration_days, revocation_days, ...)"
)
PLAN = Field("plan", "json", "Plan (JSON: start, end, goals, checkin_every_days)")
FACT = Field("fact", "json", "Details (JSON, as in the case file)")
REASONS = (
    "resignation",
    "resignation_with_severance",
    "termination_performance",
    "termination_misconduct",
    "layoff",
)

_ALL = [
    Action(
        "document_concern",
        "Document a concern",
        MANAGING,
        _event("concern_documented"),
        (Field("note", "textarea", "Concern"),),
        event="concern_documented",
    ),
    Action(
        "start_focus",
        "Start Focus (the employee is told)",
        MANAGING,
        _event("focus_started", disclosed=True),
        (NOTE, WHY),
        event="focus_started",
        guarded=True,
        extra={"disclosed": True},  # the held step must carry it too
    ),
    Action(
        "disclose_focus",
        "Record that the employee was told of Focus",
        HR,
        _event("focus_disclosed"),
        event="focus_disclosed",
    ),
    Action(
        "remove_focus",
        "End Focus: back in good standing",
        MANAGING,
        _event("focus_removed"),
        event="focus_removed",
    ),
    Action(
        "offer_pivot",
        "Offer Pivot",
        MANAGING,
        _event("pivot_offered"),
        (OFFER, PLAN, Field("decision_days", "int", "Days to decide"), WHY),
        event="pivot_offered",
        guarded=True,
    ),
    Action(
        "choose_severance",
        "Take the severance offer",
        EMPLOYEE,
        _event("option_chosen", option="severance"),
        event="option_chosen:severance",
    ),
    Action(
        "choose_plan",
        "Take the improvement plan",
        EMPLOYEE,
        _event("option_chosen", option="plan"),
        event="option_chosen:plan",
    ),
    Action(
        "start_plan",
        "Start an improvement plan",
        MANAGING,
        _event("plan_started"),
        (PLAN, WHY),
        event="plan_started",
        guarded=True,
    ),
    Action(
        "record_checkin",
        "Record a check-in",
        MANAGING,
        _event("checkin"),
        (Field("held", "bool", "Held"), NOTE),
        event="checkin",
    ),
    Action(
        "extend_plan",
        "Extend the plan",
        MANAGING,
        _event("plan_extended"),
        (Field("end", "date", "New end date"),),
        event="plan_extended",
    ),
    Action("pass_plan", "Pass the plan", MANAGING, _event("plan_passed"), event="plan_passed"),
    Action(
        "fail_plan",
        "Fail the plan",
        MANAGING,
        _event("plan_failed"),
        (
            Field("appeal_days", "int", "Business days to elect an appeal", required=False),
            NOTE,
            WHY,
        ),
        event="plan_failed",
        guarded=True,
    ),
    Action(
        "elect_appeal", "File an appeal", EMPLOYEE, _event("appeal_elected"), event="appeal_elected"
    ),
    Action(
        "make_offer",
        "Make a severance offer",
        HR,
        _event("offer_made"),
        (OFFER,),
        event="offer_made",
    ),
    Action(
        "sign_offer",
        "Sign the offer",
        EMPLOYEE,
        _event("offer_signed"),
        (Field("tier", "int", "Tier"),),
        event="offer_signed",
    ),
    Action(
        "revoke_offer",
        "Revoke my signature",
        EMPLOYEE,
        _event("offer_revoked"),
        (Field("tier", "int", "Tier"),),
        event="offer_revoked",
    ),
    Action(
        "separate",
        "Record the separation",
        MANAGING,
        _event("separated"),
        (
            Field("reason", "choice", "Reason", choices=REASONS),
            Field("no_rehire", "bool", "Not eligible for rehire"),
            Field(
                "notified_on",
                "date",
                "Day the employee was told of it (on or before today)",
                required=False,
            ),
            NOTE,
            WHY,
        ),
        event="separated",
        guarded=True,
    ),
    Action(
        "record_protected_activity",
        "Record a protected activity",
        frozenset({"hr", "admin", "employee"}),
        _protected_activity,
        (FACT, Field("known_on", "date", "Day the manager learned of it", required=False)),
    ),
    Action("record_rating", "Record a rating", HR, _fact("rating"), (FACT,)),
    Action("record_promotion", "Record a promotion", HR, _fact("promotion"), (FACT,)),
    Action("record_equity", "Record an equity grant", HR, _fact("equity"), (FACT,)),
    Action("record_bonus", "Record a bonus", HR, _fact("bonus"), (FACT,)),
    Action(
        "reply",
        "Reply in writing",
        EMPLOYEE,
        _call(workflow.reply, "to", "text"),
        (Field("to", "int", "Entry replied to"), Field("text", "textarea", "Reply")),
    ),
    Action(
        "employee_statement",
        "My appeal statement",
        EMPLOYEE,
        _call(lambda ref, text, **kw: workflow.add_statement(ref, "employee", text, **kw), "text"),
        (Field("text", "textarea", "Statement"),),
    ),
    Action(
        "manager_statement",
        "Manager's appeal statement",
        MANAGING,
        _call(lambda ref, text, **kw: workflow.add_statement(ref, "manager", text, **kw), "text"),
        (Field("text", "textarea", "Statement"),),
    ),
    Action(
        "add_document",
        "File a document",
        frozenset({"manager", "hr", "admin", "employee"}),
        _call(workflow.add_document, "title", "text"),
        (Field("title", "text", "Title"), Field("text", "textarea", "Text")),
    ),
    Action(
        "sign_off",
        "Decide a held step",
        HR,
        _sign_off,
        (
            Field("hold", "int", "Held entry"),
            Field("decision", "choice", "Decision", choices=("approve", "reject")),
            Field("justification", "textarea", "Written justification"),
        ),
    ),
    Action(
        "retract",
        "Retract a mistaken entry",
        HR,
        _call(corrections.retract, "entry", "reason"),
        (Field("entry", "int", "Entry"), Field("reason", "textarea", "Reason")),
        help="An entry the employee recorded cannot be retracted: dispute it instead.",
    ),
    Action(
        "dispute",
        "Dispute an entry the employee recorded",
        HR,
        _call(corrections.dispute, "entry", "reason"),
        (Field("entry", "int", "Entry"), Field("reason", "textarea", "Why HR disputes it")),
        help="The entry stays on the record and in the review; the dispute stands beside it.",
    ),
    Action(
        "vote",
        "Vote on the appeal",
        frozenset({"panelist"}),
        _vote,
        (Field("vote", "choice", "Decision", choices=("upheld", "overturned")),),
        # Open while the appeal is (the table names the decision by its outcome).
        event=event_key("appeal_decided", "upheld"),
    ),
]
ACTIONS: dict[str, Action] = {action.name: action for action in _ALL}
EVENT_KEYS = {a.event for a in _ALL if a.event} | {event_key("appeal_decided", "upheld")}
