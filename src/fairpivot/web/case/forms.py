"""The commands' fields as HTML forms: one form per command a person may run now.

The forms are plain data for the template (``_action_form.html``); parsing and checking the
posted values stays with ``commands.take``, the same code the API runs. A form starts from
what the case suggests (the policy's amount, the legal minimum days); a form that failed is
shown again with what was typed, and the problems next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse

from fairpivot.records.cases import limits
from fairpivot.records.cases.commands import CLAUSE_TEXT, GOAL_ROWS, Command, Situation
from fairpivot.records.cases.negotiation import policy_adds
from fairpivot.web.errors import WebError
from fairpivot.web.wording import humanize

Options = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Failure:
    """A form post that was refused: which form, what was typed, and why."""

    case_pk: int
    action: str
    values: Mapping[str, str]
    error: WebError
    key: str = ""  # tells apart several forms of one action on a page (one per hold)

    @property
    def anchor(self) -> str:
        """The id of the form that was refused, to link to it."""
        return form_id(self.case_pk, self.action, self.key)


def form_id(case_pk: int, action: str, key: str) -> str:
    """The HTML id of an action's form: unique on a page that shows several cases."""
    return f"c{case_pk}-{action}" + (f"-{key.replace('=', '').replace(',', '-')}" if key else "")


@dataclass(frozen=True, slots=True)
class Input:
    """One field of a form, ready to render."""

    name: str
    kind: str
    label: str
    id: str
    required: bool
    value: str
    options: Options
    hint: str
    problem: str
    chosen: tuple[str, ...] = ()  # the ticked boxes of a multi-choice field
    # A goal field's rows, each of three cells: (name, label, value, id).
    rows: tuple[tuple[tuple[str, str, str, str], ...], ...] = ()

    @property
    def max_length(self) -> int | None:
        """The most characters the field takes (``web/limits.py``), for ``maxlength``."""
        return {"textarea": limits.TEXT_MAX, "text": limits.NAME_MAX}.get(self.kind)

    @property
    def described_by(self) -> str:
        """The ids of the hint and the problem shown with the field, for screen readers."""
        ids = [f"{self.id}-hint"] if self.hint else []
        return " ".join([*ids, *([f"{self.id}-problem"] if self.problem else [])])

    @property
    def short_label(self) -> str:
        """The label without its parenthesised help: ``Offer``."""
        return self.label.partition(" (")[0]


@dataclass(frozen=True, slots=True)
class ActionForm:
    """One action's form."""

    name: str
    label: str
    id: str
    url: str
    version: int
    page: str
    next: str
    inputs: tuple[Input, ...]
    hidden: tuple[tuple[str, str], ...] = ()
    note: str = ""
    key: str = ""
    problems: tuple[str, ...] = field(default=())
    message: str = ""
    expanded: bool = False  # shown open: it was refused, or the page was asked to open it
    confirm: str = ""  # what the step gives up, said above its confirmation box

    @property
    def failed(self) -> bool:
        """Whether this form is shown again after a refused post."""
        return bool(self.message)


def problems_by_field(error: WebError) -> tuple[dict[str, str], list[str]]:
    """Each ``name: message`` problem under its field; the rest on their own."""
    by_field: dict[str, str] = {}
    rest: list[str] = []
    for problem in error.problems:
        name, sep, text = problem.partition(": ")
        if sep and name.isidentifier():
            by_field[name] = f"{by_field[name]}; {text}" if name in by_field else text
        else:
            rest.append(problem)
    return by_field, rest


def build(
    command: Command,
    situation: Situation,
    *,
    page: str,
    next_url: str,
    options: Mapping[str, Options] | None = None,
    fixed: Mapping[str, str] | None = None,
    initial: Mapping[str, str] | None = None,
    failure: Failure | None = None,
    note: str = "",
) -> ActionForm:
    """The form of ``command`` on the case; ``fixed`` fields are sent hidden; ``options``
    are the entries the viewer may pick (those they may see) for fields that name one."""
    case = situation.case
    fixed = fixed or {}
    key = ",".join(f"{k}={v}" for k, v in sorted(fixed.items()))
    failed = (
        failure
        if failure is not None
        and failure.case_pk == case.pk
        and failure.action == command.name
        and failure.key == key
        else None
    )
    by_field, rest = problems_by_field(failed.error) if failed else ({}, [])
    prefix = form_id(case.pk, command.name, key)
    offered = {
        **(command.choices(situation) if command.choices is not None else {}),
        **(options or {}),
    }
    start = {**(command.initial(situation) if command.initial else {}), **(initial or {})}
    values: Mapping[str, str] = failed.values if failed else start
    inputs = []
    for f in command.fields:
        if f.name in fixed:
            continue
        value = str(values.get(f.name, ""))
        kind, choices = f.kind, offered.get(f.name, ())
        if kind == "choice":
            kind, choices = "select", tuple((c, humanize(c)) for c in f.choices)
        elif kind == "multi":
            choices = tuple(
                (c, f"{humanize(c)}: {CLAUSE_TEXT.get(c, '')}".rstrip(": ")) for c in f.choices
            )
        elif kind == "people":
            pass  # a checkbox for each person the case offers now (its choices)
        elif kind == "pick" or choices:
            kind = "select"
        inputs.append(
            Input(
                f.name,
                kind,
                _label(f.label, f.kind, situation),
                f"{prefix}-{f.name}",
                f.required and f.kind != "bool",
                value,
                choices,
                f.hint,
                by_field.pop(f.name, ""),
                tuple(v for v in value.split(",") if v) if f.kind in ("multi", "people") else (),
                _goal_rows(f.name, f"{prefix}-{f.name}", values) if f.kind == "goals" else (),
            )
        )
    # Problems naming a field the person cannot change (a hidden one, or the step itself)
    # are shown at the top of the form.
    rest += [f"{name}: {text}" for name, text in by_field.items()]
    return ActionForm(
        command.name,
        command.label,
        prefix,
        reverse("take_action", args=[case.ref, command.name]),
        case.version,
        page,
        next_url,
        tuple(inputs),
        tuple(fixed.items()),
        " ".join(t for t in (note or command.help, _policy_note(command, situation)) if t),
        key,
        tuple(rest),
        failed.error.message if failed else "",
        failed is not None or bool(initial),
        command.confirm(situation) if command.confirm is not None else "",
    )


def _label(label: str, kind: str, situation: Situation) -> str:
    """A field's label, money with its currency: ``Amount (USD)``."""
    return f"{label} ({situation.loaded.file.employee.currency})" if kind == "money" else label


def _goal_rows(
    name: str, prefix: str, values: Mapping[str, str]
) -> tuple[tuple[tuple[str, str, str, str], ...], ...]:
    """The goal rows of a plan form, each of its three cells (name, label, value, id)."""
    return tuple(
        tuple(
            (
                f"{name}-{i}-{part}",
                f"{label} {i + 1}",
                str(values.get(f"{name}-{i}-{part}", "")),
                f"{prefix}-{i}-{part}",
            )
            for part, label in (("text", "Goal"), ("measure", "Measure"), ("due", "Due"))
        )
        for i in range(GOAL_ROWS)
    )


def _policy_note(command: Command, situation: Situation) -> str:
    """What the policy says of an offer: its formula amount, and what it adds if negotiated."""
    if command.name not in ("offer_pivot", "make_offer"):
        return ""
    start = command.initial(situation) if command.initial else {}
    amount = start.get("amount")
    currency = situation.loaded.file.employee.currency
    said = (
        f"The policy's amount for tier {start.get('tier')} for this employee: "
        f"{currency} {float(amount):,.2f}."
        if amount
        else "The policy sets no amount for this tier: HR decides it."
    )
    if command.name == "make_offer":
        said += " If negotiated: " + policy_adds(situation.loaded)
    return said
