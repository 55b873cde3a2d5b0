"""Every step a person takes on a case, in one place: the command layer.

A command names the event or ledger entry it records, the inputs it takes (typed, each
checked at the edge by ``limits``), who may run it (their relation to the case: the
employee, their representative, a manager in the chain, HR in scope, a seated panelist,
counsel, an administrator), whether a manager's request waits for HR (guarded), and when
it is open: the case's own policy stage table, plus what the case holds (an offer to sign,
a signing still revocable, a hold to decide). The pages, the forms, the API, the demo and
the tests all run commands through ``take``; nothing else records a step.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, get_args

from django.contrib.auth.models import User
from django.db import transaction

from fairpivot.documents.letters import available as letters_available
from fairpivot.domain.casefile import LoadedCase
from fairpivot.domain.casefile.entries import SHARE_PRICE, Fact
from fairpivot.domain.casefile.model import ActivityKind, Clause
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.fold import CaseState, fold
from fairpivot.domain.offers import DEFAULT_CLAUSES, open_offers, revocable, suggested_terms
from fairpivot.domain.policy import event_key
from fairpivot.domain.review import Review
from fairpivot.records.cases import corrections, issuing, limits, negotiation, panel, workflow
from fairpivot.records.cases.usecases import Actor, check_appended, record_event, record_fact
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case
from fairpivot.records.screen import projection

Options = tuple[tuple[str, str], ...]
CLAUSES: tuple[str, ...] = get_args(Clause)
PROTECTED_KINDS: tuple[str, ...] = get_args(ActivityKind)

# How a person may stand to a case, in the order a command picks the one it acts as.
RELATIONS = ("employee", "representative", "manager", "hr", "admin", "panelist", "counsel")
MANAGING = frozenset({"manager", "hr", "admin"})
HR = frozenset({"hr", "admin"})
EMPLOYEE = frozenset({"employee"})
EMPLOYEE_SIDE = frozenset({"employee", "representative"})
# The adverse steps: a manager's request for one is guarded (review-v4.md section 8 item 6).
ADVERSE_EVENTS = frozenset(
    {"focus_started", "pivot_offered", "plan_started", "plan_failed", "separated"}
)


@dataclass(frozen=True, slots=True)
class Field:
    """One input a command takes.

    Kinds: ``text``, ``textarea``, ``date``, ``int``, ``money``, ``bool``, ``choice`` (one of
    ``choices``), ``pick`` (one of the options the case offers now), ``multi`` (any of
    ``choices``), ``people`` (any of the options the case offers now), ``goals`` (rows of
    text, measure and due date).
    """

    name: str
    kind: str
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What running a command did: recorded (the new review) or held for HR."""

    review: Review | None
    held: int | None = None
    findings: tuple[str, ...] = ()


class Situation:
    """A case as everything reads it: its facts (the case's ledger then the employee's
    history), its checked file with retractions applied, the fold, the held steps, the
    panel, the open requests and the review. The one read model: the commands decide
    from it, the pages render it, and its review is the API's (``projection.current``).

    Built once per request (a page keeps it with the rest of its record while the case
    and the history stand still); each part is worked out the first time it is asked for.
    """

    def __init__(
        self, case: Case, clock: Clock = SYSTEM_CLOCK, facts: list[Fact] | None = None
    ) -> None:
        self.case, self.clock = case, clock
        self.today = today(clock)
        self.facts = chains.facts_of(case) if facts is None else facts

    @cached_property
    def loaded(self) -> LoadedCase:
        """The case file assembled from the ledger, checked."""
        return check_appended(self.facts, [], self.clock)

    @cached_property
    def state(self) -> CaseState:
        """The fold of the case's events under its policy."""
        return fold(self.loaded.file.events, self.loaded.policy)

    @property
    def stage(self) -> str:
        """The case's stage now."""
        return self.state.stage

    @cached_property
    def holds(self) -> list[workflow.Hold]:
        """The steps waiting for HR."""
        return workflow.pending_holds_in(self.facts)

    @cached_property
    def panel(self) -> panel.Panel:
        """The appeal's panel as seated now."""
        return panel.current(self.case, self.state, self.loaded.policy, self.loaded.file.events)

    @cached_property
    def review(self) -> Review:
        """The review as of today: the projection's, made again first if it is stale."""
        currency = self.loaded.file.employee.currency
        return projection.current(self.case, self.clock, self.facts, currency)

    @cached_property
    def votes(self) -> dict[str, str]:
        """The seated panel's votes on the open appeal, by voter."""
        return {k: v for k, v in workflow.votes_in(self.facts).items() if k in self.panel.ids}

    @cached_property
    def statements(self) -> list[workflow.Statement]:
        """Both sides' appeal statements in force, oldest first."""
        return workflow.statements_in(self.facts)

    @cached_property
    def requests(self) -> list[negotiation.Request]:
        """The employee's requests for other terms that HR has not answered."""
        return negotiation.open_requests(self.facts)


Runner = Callable[[Situation, Actor, str, dict[str, Any], int], Outcome]
Check = Callable[[Situation], str | None]
Choices = Callable[[Situation], Mapping[str, Options]]
Initial = Callable[[Situation], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class Command:
    """A step someone may take on a case."""

    name: str
    label: str
    relations: frozenset[str]
    run: Runner
    fields: tuple[Field, ...] = ()
    event: str | None = None  # the stage-table key, for commands that record an event
    guarded: bool = False
    stages: frozenset[str] = frozenset()  # for commands outside the stage table: where open
    help: str = ""
    when: Check | None = None  # why the command is closed on this case now, or None
    choices: Choices | None = None
    initial: Initial | None = None
    confirm: Callable[[Situation], str] | None = None  # what the person gives up, to confirm
    extra: Mapping[str, Any] = field(default_factory=dict)

    def closed(self, situation: Situation) -> str | None:
        """Why the command cannot run on the case now, or None when it can."""
        policy, stage = situation.loaded.policy, situation.stage
        if self.event is not None and not policy.allows(stage, self.event):
            return f"the {policy.name} policy does not allow it at stage {stage}"
        if self.stages and stage not in self.stages:
            return f"not at stage {stage}"
        return self.when(situation) if self.when is not None else None


def available(situation: Situation, relations: frozenset[str]) -> list[tuple[Command, str]]:
    """The commands open to someone standing in ``relations`` to the case, with the relation
    each acts as."""
    out = []
    for command in COMMANDS.values():
        relation = next((r for r in RELATIONS if r in relations and r in command.relations), None)
        if relation is not None and command.closed(situation) is None:
            out.append((command, relation))
    return out


def take(
    situation: Situation,
    relations: frozenset[str],
    name: str,
    *,
    raw: Mapping[str, Any],
    version: int,
    actor_for: Callable[[str], Actor],
) -> Outcome:
    """Run the command ``name`` with raw inputs (form strings or JSON values).

    A command the person may not run, or that is not open now, is refused naming what is.
    """
    mine = available(situation, relations)
    match = next(((c, r) for c, r in mine if c.name == name), None)
    if match is None:
        allowed = ", ".join(c.name for c, _ in mine) or "nothing"
        command = COMMANDS.get(name)
        why = command.closed(situation) if command is not None else None
        reason = f" ({why})" if why else ""
        raise TransitionRefused(
            [
                f"command: {name} is not open to you on {situation.case.ref} now{reason}; "
                f"open to you: {allowed}"
            ]
        )
    command, relation = match
    values = parse(command, raw, situation)
    return command.run(situation, actor_for(relation), relation, values, version)


def parse(command: Command, raw: Mapping[str, Any], situation: Situation) -> dict[str, Any]:
    """Typed values from raw inputs; InvalidInput naming each field that is wrong."""
    raw, origin = _unfold(raw)
    offered = command.choices(situation) if command.choices is not None else {}
    values: dict[str, Any] = {}
    problems = []
    for f in command.fields:
        value = _raw_value(raw, f)
        if value in (None, "", []):
            if f.kind == "bool":
                values[f.name] = False
            elif f.kind in ("multi", "people"):
                values[f.name] = []
            if f.required and f.kind != "bool":
                problems.append(f"{origin.get(f.name, f.name)}: required")
            continue
        try:
            values[f.name] = _parse(f, value, offered.get(f.name, ()))
        except (ValueError, TypeError) as exc:
            problems.append(f"{origin.get(f.name, f.name)}: {exc}")
    if problems:
        raise InvalidInput(problems)
    return values


def _unfold(raw: Mapping[str, Any]) -> tuple[Mapping[str, Any], dict[str, str]]:
    """An API caller's ``offer`` and ``plan`` objects as the flat fields the forms post, and
    where each unfolded field came from (``offer.tier``), so a problem names what was sent."""
    if not any(isinstance(raw.get(k), dict) for k in ("offer", "plan")):
        return raw, {}
    flat = {k: v for k, v in raw.items() if k not in ("offer", "plan")}
    origin: dict[str, str] = {}
    if isinstance(raw.get("offer"), dict):
        for key, value in raw["offer"].items():
            if key not in flat:
                flat[key], origin[key] = value, f"offer.{key}"
    if isinstance(raw.get("plan"), dict):
        for key, value in raw["plan"].items():
            name = key if key in ("goals", "checkin_every_days") else f"plan_{key}"
            if name not in flat:
                flat[name], origin[name] = value, f"plan.{key}"
    return flat, origin


def _raw_value(raw: Mapping[str, Any], f: Field) -> Any:
    getlist = getattr(raw, "getlist", None)
    if f.kind in ("multi", "people") and getlist is not None:
        return [v for v in getlist(f.name) if v != ""]
    if f.kind == "goals" and f.name not in raw:
        return _goal_rows(raw, f.name)
    return raw.get(f.name)


def _goal_rows(raw: Mapping[str, Any], name: str) -> list[dict[str, str]]:
    """A form's goal rows (``goals-0-text``, ``goals-0-measure``, ``goals-0-due``, ...)."""
    rows = []
    for i in range(GOAL_ROWS):
        row = {k: str(raw.get(f"{name}-{i}-{k}", "")).strip() for k in ("text", "measure", "due")}
        if any(row.values()):
            rows.append(row)
    return rows


GOAL_ROWS = 5


def _parse(f: Field, value: Any, offered: Options) -> Any:
    parser = _PARSERS.get(f.kind)
    if parser is None:
        raise ValueError(f"unknown kind {f.kind}")
    return parser(f, value, offered)


def _text(f: Field, value: Any, offered: Options) -> str:
    return str(limits.field(f.name, f.kind, str(value).strip(), required=f.required))


def _date(f: Field, value: Any, offered: Options) -> str:
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"not a date, as YYYY-MM-DD (got {value!r})") from None
    return limits.day(parsed.isoformat())  # the year's bounds, said as such


def _int(f: Field, value: Any, offered: Options) -> int:
    if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
        raise ValueError(f"not a whole number (got {value!r})")
    return limits.whole(int(value), f.name)


def _bool(f: Field, value: Any, offered: Options) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "on", "1", "yes")


def _choice(f: Field, value: Any, offered: Options) -> str:
    allowed = list(f.choices) if f.kind == "choice" else [v for v, _ in offered]
    if str(value) not in allowed:
        listed = ", ".join(allowed) or "none open now"
        raise ValueError(f"must be one of {listed} (got {value!r})")
    return str(value)


def _many(f: Field, value: Any, offered: Options) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if f.kind == "people":
        # Who may be chosen is the command's to say, with the reason for each refusal.
        return list(dict.fromkeys(limits.text(str(v), key=f.name) for v in items))
    allowed = list(f.choices)
    wrong = [str(v) for v in items if str(v) not in allowed]
    if wrong:
        raise ValueError(f"not one of {', '.join(allowed) or 'none'} (got {', '.join(wrong)})")
    return list(dict.fromkeys(str(v) for v in items))


def _money(f: Field, value: Any, offered: Options) -> float:
    if isinstance(value, bool):
        raise ValueError(f"not an amount (got {value!r})")
    text = str(value).strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount, as 12345.67 (got {value!r})") from None
    if not amount.is_finite() or amount < 0 or amount > limits.MONEY_MAX:
        raise ValueError(f"must be from 0 to {limits.MONEY_MAX:,} (got {value!r})")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"has more than 2 decimal places (got {value!r})")
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _goals(f: Field, value: Any, offered: Options) -> list[dict[str, str]]:
    rows = json.loads(value) if isinstance(value, str) else value
    if not isinstance(rows, list):
        raise ValueError("must be a list of goals, each with text (and measure, due)")
    goals = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not str(row.get("text", "")).strip():
            raise ValueError(f"goal {i + 1} needs its text")
        goal = {"text": limits.text(str(row["text"]).strip(), key="text", required=True)}
        if str(row.get("measure", "")).strip():
            goal["measure"] = limits.text(str(row["measure"]).strip(), key="measure")
        if str(row.get("due", "")).strip():
            try:
                goal["due"] = date.fromisoformat(str(row["due"]).strip()).isoformat()
            except ValueError:
                raise ValueError(
                    f"goal {i + 1}: due is not a date, as YYYY-MM-DD (got {row['due']!r})"
                ) from None
        goals.append(goal)
    return goals


_PARSERS: dict[str, Callable[[Field, Any, Options], Any]] = {
    "text": _text,
    "textarea": _text,
    "date": _date,
    "int": _int,
    "money": _money,
    "bool": _bool,
    "choice": _choice,
    "pick": _choice,
    "multi": _many,
    "people": _many,
    "goals": _goals,
}


# --- Running a command -----------------------------------------------------------------


def _record(
    sit: Situation,
    actor: Actor,
    relation: str,
    event: dict[str, Any],
    *,
    version: int,
    guarded: bool,
    justification: str = "",
) -> Outcome:
    if guarded and relation == "manager":
        result = workflow.request_step(
            sit.case.ref,
            event,
            actor=actor,
            expected_version=version,
            justification=justification,
            clock=sit.clock,
        )
        return Outcome(result.review, result.held, result.findings)
    return Outcome(
        record_event(sit.case.ref, event, actor=actor, expected_version=version, clock=sit.clock)
    )


def _event(
    kind: str,
    build: Callable[[Situation, dict[str, Any]], dict[str, Any]] | None = None,
    **fixed: Any,
) -> Runner:
    """A runner that records one event of ``kind`` from the command's values."""

    def run(
        sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
    ) -> Outcome:
        justification = str(values.pop("justification", "") or "")
        body = build(sit, values) if build is not None else _present(values)
        event = {"type": kind, **fixed, **body}
        command = COMMAND_OF_EVENT.get(kind)
        guarded = command is not None and command.guarded
        return _record(
            sit,
            actor,
            relation,
            event,
            version=version,
            guarded=guarded,
            justification=justification,
        )

    return run


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values given: a case file leaves out what is not."""
    return {k: v for k, v in values.items() if v not in (None, "")}


def _fact(kind: str, build: Callable[[Situation, dict[str, Any]], dict[str, Any]]) -> Runner:
    def run(
        sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
    ) -> Outcome:
        fact = build(sit, values)
        return Outcome(
            record_fact(
                sit.case.ref, kind, fact, actor=actor, expected_version=version, clock=sit.clock
            )
        )

    return run


def _call(fn: Callable[..., Review | None], *names: str) -> Runner:
    def run(
        sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
    ) -> Outcome:
        args = [values[n] for n in names]
        return Outcome(
            fn(sit.case.ref, *args, actor=actor, expected_version=version, clock=sit.clock)
        )

    return run


# --- Offers and plans: the fields a form shows and the case-file objects they make -----

OFFER_FIELDS = (
    Field("tier", "int", "Tier"),
    Field("amount", "money", "Amount"),
    Field(
        "consideration_days",
        "int",
        "Days to consider the offer",
        hint="At least 21 (45 in a group program) where the ADEA's waiver rules apply.",
    ),
    Field(
        "revocation_days",
        "int",
        "Days to revoke after signing",
        hint="At least 7 where the ADEA's waiver rules apply.",
    ),
    Field("names_adea", "bool", "The release names the Age Discrimination in Employment Act"),
    Field("advises_attorney", "bool", "The offer advises the employee in writing to see a lawyer"),
    Field("group_program", "bool", "Part of an exit program offered to two or more employees"),
    Field(
        "group_disclosures",
        "bool",
        "The decisional unit's ages and titles were given in writing (group programs)",
    ),
    Field("clauses", "multi", "Terms", required=False, choices=CLAUSES),
)
# What each clause means, in a line, next to its checkbox.
CLAUSE_TEXT = {
    "release_of_claims": "The employee gives up legal claims against the employer.",
    "covenant_not_to_sue": "The employee promises not to sue over the released claims.",
    "confidentiality": "The employee keeps the agreement's terms confidential.",
    "non_disparagement": "The employee does not speak ill of the employer.",
    "no_rehire": "The employee may not be rehired.",
    "bars_agency_charge": "Bars filing a charge with the EEOC or a state agency (not allowed).",
    "tender_back": "The pay must be returned before challenging the release (not allowed).",
    "carve_out_illegal_conduct": "Leaves the employee free to speak of conduct they believe "
    "illegal.",
    "preserves_section7_rights": "Leaves the employee free to discuss pay and working "
    "conditions and to deal with the NLRB.",
}
PLAN_FIELDS = (
    Field("plan_start", "date", "Plan starts"),
    Field("plan_end", "date", "Plan ends"),
    Field(
        "goals", "goals", "Goals", hint="What the employee must do, how it is measured, by when."
    ),
    Field("checkin_every_days", "int", "Check-in every (days)", required=False),
)
_OFFER_BOOLS = ("names_adea", "advises_attorney", "group_program", "group_disclosures")


def offer_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The case file's offer object from a form's offer fields."""
    offer: dict[str, Any] = {
        "tier": values["tier"],
        "amount": values["amount"],
        "consideration_days": values["consideration_days"],
        "revocation_days": values["revocation_days"],
    }
    for key in _OFFER_BOOLS:
        if values.get(key):
            offer[key] = True
    offer["clauses"] = list(values.get("clauses") or [])
    if values.get("negotiated"):
        offer["negotiated"] = True
    return offer


def plan_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The case file's plan object from a form's plan fields."""
    made = {"start": values["plan_start"], "end": values["plan_end"], "goals": values["goals"]}
    if values.get("checkin_every_days") is not None:
        made["checkin_every_days"] = values["checkin_every_days"]
    return made


def offer_initial(sit: Situation, *, knows_age: bool = True) -> dict[str, str]:
    """An offer form's starting values: the policy's tier and amount, the legal minimums.

    For someone who may not know the employee's age (a manager), the form starts from the
    terms the ADEA asks for whatever the age (21 and 7 days, the ADEA named, a lawyer
    advised): lawful for everyone, and a prefill that moved with the age would state it.
    """
    terms = suggested_terms(sit.loaded.file, sit.loaded.policy, sit.stage, sit.today)
    if not knows_age and not terms.older_worker:
        t = sit.loaded.policy.thresholds
        terms = replace(
            terms,
            consideration_days=t.owbpa_consideration_days,
            revocation_days=t.owbpa_revocation_days,
            older_worker=True,
        )
    initial = {
        "tier": str(terms.tier),
        "amount": "" if terms.amount is None else f"{terms.amount:.2f}",
        "consideration_days": str(terms.consideration_days),
        "revocation_days": str(terms.revocation_days),
        "clauses": ",".join(DEFAULT_CLAUSES),
    }
    if terms.older_worker:
        initial |= {"names_adea": "on", "advises_attorney": "on"}
    return initial


def plan_initial(sit: Situation) -> dict[str, str]:
    """A plan form's starting values: from tomorrow, the policy's length and cadence."""
    windows = sit.loaded.policy.windows
    start = date.fromordinal(sit.today.toordinal() + 1)
    end = date.fromordinal(start.toordinal() + windows.plan_days)
    return {
        "plan_start": start.isoformat(),
        "plan_end": end.isoformat(),
        "checkin_every_days": str(windows.checkin_every_days),
    }


def _pivot(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "offer": offer_of(values),
        "plan": plan_of(values),
        "decision_days": values["decision_days"],
        **_present({"note": values.get("note")}),
    }


def _pivot_initial(sit: Situation) -> dict[str, str]:
    # A manager usually sends the Pivot letter: the form states no age to them. The days to
    # decide bound the release's days to consider (the fold takes the shorter), so they start
    # at no fewer than the offer's: the prefilled Pivot is lawful at any age.
    offer = offer_initial(sit, knows_age=False)
    days = max(sit.loaded.policy.windows.pivot_decision_days, int(offer["consideration_days"]))
    return {**offer, **plan_initial(sit), "decision_days": str(days)}


def _plan(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    return {"plan": plan_of(values), **_present({"note": values.get("note")})}


def _offer_made(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    offer = offer_of(values)
    if values.get("request"):
        offer["negotiated"] = True
    if offer.get("negotiated"):
        offer["clauses"] = negotiation.policy_clauses(sit.loaded, offer["clauses"])
    return {"offer": offer}


def _focus(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    body = _present({"note": values.get("note")})
    if values.get("goals"):
        body["goals"] = values["goals"]
    return body


def _checkin(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    held_on = date.fromisoformat(values.get("date") or sit.today.isoformat())
    if held_on > sit.today:
        raise InvalidInput(
            [
                f"date: a check-in is recorded once held, on or before today "
                f"({sit.today.isoformat()}); got {held_on.isoformat()}"
            ]
        )
    events = sit.loaded.file.events
    if events and held_on < events[-1].date:
        raise InvalidInput(
            [
                f"date: must be on or after the case's last step "
                f"({events[-1].date.isoformat()}); got {held_on.isoformat()}"
            ]
        )
    return {
        "date": held_on.isoformat(),
        "held": bool(values.get("held")),
        **_present({"note": values.get("note")}),
    }


# --- When a command is open -------------------------------------------------------------


def _offers_open(sit: Situation) -> str | None:
    if not open_offers(sit.loaded.file.events, sit.state, sit.loaded.policy, sit.today):
        return "no offer is open to sign"
    return None


def _revocable(sit: Situation) -> str | None:
    return (
        None
        if revocable(sit.state, sit.loaded.policy, sit.today)
        else ("no signing is inside its revocation period")
    )


def _has_holds(sit: Situation) -> str | None:
    return None if sit.holds else "no step is waiting for HR"


def _appeal_by_hr(sit: Situation) -> str | None:
    return (
        "a panel of peers decides appeals under this policy"
        if sit.loaded.policy.appeal.panel
        else None
    )


def _seats_open(sit: Situation) -> str | None:
    if not sit.loaded.policy.appeal.panel:
        return "HR decides appeals under this policy"
    return None if sit.panel.open_seats else "the panel is full"


def _panel_full(sit: Situation) -> str | None:
    return None if sit.panel.full else "the panel is not seated in full yet"


def _can_request_terms(sit: Situation) -> str | None:
    policy = sit.loaded.policy
    if not policy.allows(sit.stage, "offer_made"):
        return f"HR cannot make a new offer at stage {sit.stage}"
    if not sit.state.offers:
        return "no offer has been made to answer"
    if sit.requests:
        return "a request is already waiting for HR's answer"
    return None


def _has_requests(sit: Situation) -> str | None:
    return None if sit.requests else "no request for other terms is waiting"


# --- Choices a form offers, from the case ---------------------------------------------------


def _money_label(sit: Situation, amount: float) -> str:
    return f"{sit.loaded.file.employee.currency} {amount:,.2f}"


def _sign_choices(sit: Situation) -> dict[str, Options]:
    offers = open_offers(sit.loaded.file.events, sit.state, sit.loaded.policy, sit.today)
    return {
        "tier": tuple(
            (
                str(o.offer.tier),
                f"Tier {o.offer.tier}: {_money_label(sit, o.offer.amount)}"
                + (" (negotiated)" if o.offer.negotiated else "")
                + (f", decide by {o.decide_by.isoformat()}" if o.decide_by else ""),
            )
            for o in offers
        )
    }


def _revoke_choices(sit: Situation) -> dict[str, Options]:
    return {
        "tier": tuple(
            (
                str(r.offer.offer.tier),
                f"Tier {r.offer.offer.tier}, signed {r.signing.signed_on.isoformat()}: "
                f"revocable until {r.last_day.isoformat()}",
            )
            for r in revocable(sit.state, sit.loaded.policy, sit.today)
        )
    }


def _rating_choices(sit: Situation) -> dict[str, Options]:
    return {"value": tuple((v, v) for v in sit.loaded.policy.scale.values)}


def _hold_choices(sit: Situation) -> dict[str, Options]:
    return {"hold": tuple((str(h.seq), f"#{h.seq} {h.event.get('type', '')}") for h in sit.holds)}


def _panel_choices(sit: Situation) -> dict[str, Options]:
    return {"panelists": tuple((u.username, label) for u, label in sit.panel.eligible)}


def _request_choices(sit: Situation) -> dict[str, Options]:
    return {"request": tuple((str(r.seq), r.label) for r in sit.requests)}


def _make_offer_choices(sit: Situation) -> dict[str, Options]:
    return _request_choices(sit)


# --- What a decision gives up ---------------------------------------------------------------


def _gives_up(sit: Situation) -> str:
    """What taking severance or signing gives up, for the person to confirm."""
    parts = ["You sign a release of legal claims against the employer"]
    if not sit.loaded.policy.rehire.after_severance:
        parts.append("you may not be rehired")
    vests = [v for grant in sit.loaded.file.equity for v in grant.vests if v.date > sit.today]
    if vests:
        shares = sum(v.shares for v in vests)
        parts.append(f"unvested equity ({shares:g} shares yet to vest) is forfeited")
    return "; ".join(parts) + ". Confirm that you understand before you go on."


def _confirmed(run: Runner) -> Runner:
    """A runner that refuses unless the person ticked the confirmation."""

    def checked(
        sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
    ) -> Outcome:
        if not values.pop("confirm", False):
            raise InvalidInput(
                ["confirm: tick the box to confirm you understand what this gives up"]
            )
        return run(sit, actor, relation, values, version)

    return checked


CONFIRM = Field("confirm", "bool", "I understand what this gives up", required=False)


# --- Panel, negotiation and the other steps outside the event table -----------------------


def _seat(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    users = list(User.objects.filter(username__in=values["panelists"]))
    return Outcome(
        panel.seat(
            sit.case,
            sit.state,
            sit.loaded.policy,
            users,
            sit.loaded.file.events,
            actor=actor,
            expected_version=version,
            clock=sit.clock,
        )
    )


def _recuse(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    return Outcome(
        panel.recuse(sit.case, actor, values["reason"], expected_version=version, clock=sit.clock)
    )


def _vote(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    policy = sit.loaded.policy
    return Outcome(
        workflow.vote(
            sit.case.ref,
            values["vote"],
            panel=sit.panel.ids,
            actor=actor,
            expected_version=version,
            tie_goes_to=policy.appeal.tie_goes_to,
            clock=sit.clock,
        )
    )


def _sign_off(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    return Outcome(
        workflow.sign_off(
            sit.case.ref,
            int(values["hold"]),
            approve=values["decision"] == "approve",
            justification=values["justification"],
            actor=actor,
            expected_version=version,
            clock=sit.clock,
        )
    )


def _request_terms(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    return Outcome(
        negotiation.request(
            sit.case, values, actor=actor, expected_version=version, clock=sit.clock
        )
    )


def _refuse_terms(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    return Outcome(
        negotiation.refuse(
            sit.case,
            int(values["request"]),
            values["text"],
            actor=actor,
            expected_version=version,
            clock=sit.clock,
        )
    )


def _activity(sit: Situation, values: dict[str, Any]) -> dict[str, Any]:
    activity = _present(
        {k: values.get(k) for k in ("date", "kind", "end_date", "known_on", "note")}
    )
    manager = sit.loaded.file.employee.manager
    if values.get("known_to_manager") and manager:
        activity["known_to"] = [manager]
    return activity


def _equity(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    """An equity vest, with the price per share that values it when one is given (the
    case file needs one with its first grant)."""
    grant = {
        "grant": values["grant"],
        "vests": [{"date": values["date"], "shares": values["shares"]}],
    }
    price = values.get("share_price")
    if price is None and sit.loaded.file.share_price is None:
        raise InvalidInput(
            ["share_price: required with the case's first equity grant (the price that values it)"]
        )
    ref, clock = sit.case.ref, sit.clock
    with transaction.atomic():
        if price is not None and price != sit.loaded.file.share_price:
            record_fact(
                ref,
                SHARE_PRICE,
                {"value": price},
                actor=actor,
                expected_version=version,
                clock=clock,
            )
            version += 1
        return Outcome(
            record_fact(ref, "equity", grant, actor=actor, expected_version=version, clock=clock)
        )


def _statement(side: str) -> Callable[..., Review]:
    def add(ref: str, text: str, **kw: Any) -> Review:
        return workflow.add_statement(ref, side, text, **kw)

    return add


def _issue_letter(
    sit: Situation, actor: Actor, relation: str, values: dict[str, Any], version: int
) -> Outcome:
    """Render the chosen letter from the record, and record it as issued."""
    issuing.issue_letter(
        sit.case,
        sit.loaded,
        values["letter"],
        copy_to_manager=bool(values.get("copy_to_manager")),
        actor=actor,
        expected_version=version,
        clock=sit.clock,
    )
    return Outcome(None)


def letters_now(sit: Situation) -> Options:
    """The letters the case's record supports today, as a form offers them."""
    found = letters_available(sit.state, sit.loaded.file.events, sit.loaded.policy, sit.today)
    return tuple((letter.name, letter.title) for letter in found)


def _letters_open(sit: Situation) -> str | None:
    return None if letters_now(sit) else "the record holds nothing a letter tells yet"


NOTE = Field("note", "textarea", "Note", required=False)
WHY = Field(
    "justification",
    "textarea",
    "Why (if HR reviews the step first, HR and the employee read this)",
    required=False,
)
REASONS = (
    "resignation",
    "resignation_with_severance",
    "termination_performance",
    "termination_misconduct",
    "layoff",
)
APPEAL_STAGE = frozenset({"appeal"})

_ALL = [
    Command(
        "document_concern",
        "Document a concern",
        MANAGING,
        _event("concern_documented"),
        (Field("note", "textarea", "Concern"),),
        event="concern_documented",
    ),
    Command(
        "start_focus",
        "Start Focus (the employee is told)",
        MANAGING,
        _event("focus_started", _focus, disclosed=True),
        (Field("goals", "goals", "Goals", required=False), NOTE, WHY),
        event="focus_started",
        guarded=True,
    ),
    Command(
        "disclose_focus",
        "Record that the employee was told of Focus",
        HR,
        _event("focus_disclosed"),
        event="focus_disclosed",
    ),
    Command(
        "remove_focus",
        "End Focus: back in good standing",
        MANAGING,
        _event("focus_removed"),
        (NOTE,),
        event="focus_removed",
    ),
    Command(
        "offer_pivot",
        "Offer Pivot: severance or an improvement plan",
        MANAGING,
        _event("pivot_offered", _pivot),
        (*OFFER_FIELDS, *PLAN_FIELDS, Field("decision_days", "int", "Days to decide"), NOTE, WHY),
        event="pivot_offered",
        guarded=True,
        initial=_pivot_initial,
    ),
    Command(
        "choose_severance",
        "Take the severance offer",
        EMPLOYEE,
        _confirmed(_event("option_chosen", option="severance")),
        (CONFIRM,),
        event="option_chosen:severance",
        confirm=_gives_up,
    ),
    Command(
        "choose_plan",
        "Take the improvement plan",
        EMPLOYEE,
        _event("option_chosen", option="plan"),
        event="option_chosen:plan",
    ),
    Command(
        "choose_appeal",
        "Appeal the placement",
        EMPLOYEE,
        _event("option_chosen", option="appeal"),
        event="option_chosen:appeal",
    ),
    Command(
        "start_plan",
        "Start an improvement plan",
        MANAGING,
        _event("plan_started", _plan),
        (*PLAN_FIELDS, NOTE, WHY),
        event="plan_started",
        guarded=True,
        initial=plan_initial,
    ),
    Command(
        "record_checkin",
        "Record a check-in",
        MANAGING,
        _event("checkin", _checkin),
        (
            Field("date", "date", "Day of the check-in (today if left empty)", required=False),
            Field("held", "bool", "It was held (leave unticked for a missed one)"),
            NOTE,
        ),
        event="checkin",
        initial=lambda sit: {"date": sit.today.isoformat(), "held": "on"},
    ),
    Command(
        "extend_plan",
        "Extend the plan",
        MANAGING,
        _event("plan_extended"),
        (Field("end", "date", "New end date"), NOTE),
        event="plan_extended",
    ),
    Command(
        "pass_plan", "Pass the plan", MANAGING, _event("plan_passed"), (NOTE,), event="plan_passed"
    ),
    Command(
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
        initial=lambda sit: (
            {"appeal_days": str(sit.loaded.policy.windows.appeal_election_business_days)}
            if sit.loaded.policy.appeals_failed_plans
            else {}
        ),
    ),
    Command(
        "elect_appeal",
        "File an appeal",
        EMPLOYEE,
        _event("appeal_elected"),
        event="appeal_elected",
        help="A panel of peers reads a written statement from each side, then votes.",
    ),
    Command(
        "decide_appeal",
        "Record the appeal's decision",
        HR,
        _event("appeal_decided"),
        (Field("outcome", "choice", "Decision", choices=("upheld", "overturned")), NOTE),
        event="appeal_decided:upheld",
        when=_appeal_by_hr,
        help="Upheld: the failed plan stands. Overturned: the employee stays, in good standing.",
    ),
    Command(
        "make_offer",
        "Make a severance offer",
        HR,
        _event("offer_made", _offer_made),
        (
            *OFFER_FIELDS,
            Field("negotiated", "bool", "Negotiated: terms above the policy's"),
            Field("request", "pick", "In answer to the request", required=False),
        ),
        event="offer_made",
        initial=offer_initial,
        choices=_make_offer_choices,
    ),
    Command(
        "sign_offer",
        "Sign an offer",
        EMPLOYEE,
        _confirmed(_event("offer_signed", lambda sit, v: {"tier": int(v["tier"])})),
        (Field("tier", "pick", "Offer"), CONFIRM),
        event="offer_signed",
        when=_offers_open,
        choices=_sign_choices,
        confirm=_gives_up,
    ),
    Command(
        "revoke_offer",
        "Revoke my signature",
        EMPLOYEE,
        _event("offer_revoked", lambda sit, v: {"tier": int(v["tier"])}),
        (Field("tier", "pick", "Signing"),),
        event="offer_revoked",
        when=_revocable,
        choices=_revoke_choices,
    ),
    Command(
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
    Command(
        "transfer",
        "Record a transfer to another team",
        HR,
        _event("transferred"),
        (Field("org", "text", "New org (as Retail/Checkout)"), NOTE),
        event="transferred",
    ),
    Command(
        "record_protected_activity",
        "Record a protected activity",
        frozenset({"hr", "admin", "employee"}),
        _fact("protected_activity", _activity),
        (
            Field("date", "date", "Date"),
            Field("kind", "choice", "Kind", choices=PROTECTED_KINDS),
            Field("end_date", "date", "Return date (for a leave)", required=False),
            Field("known_to_manager", "bool", "The manager knew of it"),
            Field("known_on", "date", "Day the manager learned of it", required=False),
            NOTE,
        ),
    ),
    Command(
        "record_rating",
        "Record a rating",
        HR,
        _fact("rating", lambda sit, v: _present(v)),
        (
            Field("date", "date", "Date"),
            Field("value", "pick", "Rating"),
            Field("cycle", "text", "Cycle", required=False),
        ),
        choices=_rating_choices,
    ),
    Command(
        "record_promotion",
        "Record a promotion",
        HR,
        _fact("promotion", lambda sit, v: _present(v)),
        (Field("date", "date", "Date"), Field("to_level", "text", "New level", required=False)),
    ),
    Command(
        "record_equity",
        "Record an equity vest",
        HR,
        _equity,
        (
            Field("grant", "text", "Grant"),
            Field("date", "date", "Vests on"),
            Field("shares", "int", "Shares"),
            Field(
                "share_price",
                "money",
                "Price per share",
                required=False,
                hint="Values the case's equity; needed with its first grant.",
            ),
        ),
        initial=lambda sit: (
            {"share_price": f"{sit.loaded.file.share_price:.2f}"}
            if sit.loaded.file.share_price is not None
            else {}
        ),
    ),
    Command(
        "record_bonus",
        "Record a bonus",
        HR,
        _fact("bonus", lambda sit, v: _present(v)),
        (
            Field("date", "date", "Paid on (employment required that day)"),
            Field("amount", "money", "Amount"),
            Field("label", "text", "Label", required=False),
        ),
    ),
    Command(
        "reply",
        "Reply in writing",
        EMPLOYEE,
        _call(workflow.reply, "to", "text"),
        (Field("to", "int", "Entry replied to"), Field("text", "textarea", "Reply")),
    ),
    Command(
        "employee_statement",
        "My appeal statement",
        EMPLOYEE,
        _call(_statement("employee"), "text"),
        (Field("text", "textarea", "Statement"),),
        stages=APPEAL_STAGE,
    ),
    Command(
        "manager_statement",
        "Manager's appeal statement",
        MANAGING,
        _call(_statement("manager"), "text"),
        (Field("text", "textarea", "Statement"),),
        stages=APPEAL_STAGE,
    ),
    Command(
        "add_document",
        "File a document",
        frozenset({"manager", "hr", "admin", "employee"}),
        _call(workflow.add_document, "title", "text"),
        (Field("title", "text", "Title"), Field("text", "textarea", "Text")),
    ),
    Command(
        "issue_letter",
        "Issue a letter",
        HR,
        _issue_letter,
        (
            Field("letter", "pick", "Letter"),
            Field(
                "copy_to_manager",
                "bool",
                "Give the manager a copy too",
                hint="Only a letter with no pay or release terms: the Focus notice, the plan, "
                "its outcome, the appeal decision.",
            ),
        ),
        when=_letters_open,
        choices=lambda sit: {"letter": letters_now(sit)},
        help="The letter is made from the record as it stands today, as a PDF; its SHA-256 "
        "goes in the ledger. Preview each letter first from the Letters section.",
    ),
    Command(
        "sign_off",
        "Decide a held step",
        HR,
        _sign_off,
        (
            Field("hold", "pick", "Held step"),
            Field("decision", "choice", "Decision", choices=("approve", "reject")),
            Field("justification", "textarea", "Written justification"),
        ),
        when=_has_holds,
        choices=_hold_choices,
        help="Approving records the held step as of today; rejecting records only the decision.",
    ),
    Command(
        "retract",
        "Retract a mistaken entry",
        HR,
        _call(corrections.retract, "entry", "reason"),
        (Field("entry", "int", "Entry"), Field("reason", "textarea", "Reason")),
        help="An entry the employee recorded cannot be retracted: dispute it instead.",
    ),
    Command(
        "dispute",
        "Dispute an entry the employee recorded",
        HR,
        _call(corrections.dispute, "entry", "reason"),
        (Field("entry", "int", "Entry"), Field("reason", "textarea", "Why HR disputes it")),
        help="The entry stays on the record and in the review; the dispute stands beside it.",
    ),
    Command(
        "seat_panel",
        "Seat the appeal panel",
        HR,
        _seat,
        (Field("panelists", "people", "Panelists"),),
        stages=APPEAL_STAGE,
        when=_seats_open,
        choices=_panel_choices,
        help="Not offered: the employee, their management chain, the manager who failed the "
        "plan, their own team, and anyone who sat on an earlier appeal of this case.",
    ),
    Command(
        "recuse",
        "Recuse myself from this panel",
        frozenset({"panelist"}),
        _recuse,
        (Field("reason", "textarea", "Why"),),
        stages=APPEAL_STAGE,
        help="HR seats a replacement.",
    ),
    Command(
        "vote",
        "Vote on the appeal",
        frozenset({"panelist"}),
        _vote,
        (Field("vote", "choice", "Decision", choices=("upheld", "overturned")),),
        stages=APPEAL_STAGE,
        when=_panel_full,
        help="Upheld: the failed plan stands. Overturned: the employee stays, in good standing.",
    ),
    Command(
        "request_terms",
        "Ask for different terms",
        EMPLOYEE_SIDE,
        _request_terms,
        (
            Field("text", "textarea", "What you ask for, and why"),
            Field("amount", "money", "Amount asked for", required=False),
            Field("consideration_days", "int", "Days to consider asked for", required=False),
            Field("drop_clauses", "multi", "Terms to leave out", required=False, choices=CLAUSES),
        ),
        when=_can_request_terms,
        help="HR answers in writing: a new offer, or a refusal with its reasons.",
    ),
    Command(
        "refuse_terms",
        "Refuse the request for different terms",
        HR,
        _refuse_terms,
        (Field("request", "pick", "Request"), Field("text", "textarea", "Reasons, in writing")),
        when=_has_requests,
        choices=_request_choices,
    ),
]
COMMANDS: dict[str, Command] = {command.name: command for command in _ALL}
COMMAND_OF_EVENT: dict[str, Command] = {
    c.event.partition(":")[0]: c for c in _ALL if c.event and c.guarded
}
EVENT_KEYS = frozenset(c.event for c in _ALL if c.event) | {
    event_key("appeal_decided", "overturned")
}


def guarded_events() -> frozenset[str]:
    """The events a manager's request for waits on HR (every adverse step)."""
    return frozenset(COMMAND_OF_EVENT)


def command_names() -> Sequence[str]:
    """Every command's name, in the order pages list them."""
    return list(COMMANDS)
