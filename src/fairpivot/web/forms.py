"""The action registry's fields as HTML forms: one form per action a person may take.

The forms are plain data for the template (``_action_form.html``); parsing and checking the
posted values stays with ``actions.take``, the same code the API runs. A form that failed
is shown again with what was typed, and the problems next to the fields they name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse

from fairpivot.records.models import Case
from fairpivot.web import limits
from fairpivot.web.actions import Action
from fairpivot.web.errors import WebError
from fairpivot.web.wording import humanize

Options = tuple[tuple[str, str], ...]

# Examples for the JSON fields, shown as placeholders: the case file's own shapes.
EXAMPLES: dict[str, str] = {
    "offer": (
        '{"tier": 1, "amount": 30000, "consideration_days": 21, "revocation_days": 7, '
        '"names_adea": true, "advises_attorney": true, "clauses": ["release_of_claims", '
        '"carve_out_illegal_conduct", "preserves_section7_rights"]}'
    ),
    "plan": (
        '{"start": "2026-01-05", "end": "2026-02-27", "goals": [{"text": "Ship the '
        'migration", "measure": "done by the end date"}], "checkin_every_days": 7}'
    ),
    "record_protected_activity": (
        '{"date": "2026-01-05", "kind": "fmla_leave", "end_date": "2026-02-20", '
        '"known_to": ["E-1037"], "note": "told my manager by email"}'
    ),
    "record_rating": '{"date": "2026-01-15", "value": "HV2", "cycle": "2025"}',
    "record_promotion": '{"date": "2026-01-15", "to_level": "L6"}',
    "record_equity": '{"grant": "G-2026-1", "vests": [{"date": "2027-01-15", "shares": 40}]}',
    "record_bonus": '{"date": "2026-03-01", "amount": 5000, "label": "sign-on, second half"}',
}


# What an action's choices mean, where the label alone would leave someone guessing.
NOTES: dict[str, str] = {
    "vote": "Upheld: the failed plan stands. Overturned: the employee stays, in good standing.",
    "sign_off": "Approving records the held step as of today; rejecting records only the decision.",
    "elect_appeal": "A panel of peers reads a written statement from each side, then votes.",
}


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
    placeholder: str
    problem: str

    @property
    def max_length(self) -> int | None:
        """The most characters the field takes (``web/limits.py``), for ``maxlength``."""
        return {"textarea": limits.TEXT_MAX, "text": limits.NAME_MAX}.get(self.kind)

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
    action: Action,
    case: Case,
    *,
    page: str,
    next_url: str,
    options: Mapping[str, Options] | None = None,
    fixed: Mapping[str, str] | None = None,
    initial: Mapping[str, str] | None = None,
    failure: Failure | None = None,
    note: str = "",
) -> ActionForm:
    """The form of ``action`` on ``case``; ``fixed`` fields are sent hidden."""
    options, fixed, initial = options or {}, fixed or {}, initial or {}
    key = ",".join(f"{k}={v}" for k, v in sorted(fixed.items()))
    failed = (
        failure
        if failure is not None
        and failure.case_pk == case.pk
        and failure.action == action.name
        and failure.key == key
        else None
    )
    by_field, rest = problems_by_field(failed.error) if failed else ({}, [])
    prefix = form_id(case.pk, action.name, key)
    inputs = []
    for f in action.fields:
        if f.name in fixed:
            continue
        choices: Options = options.get(f.name, ())
        if f.kind == "choice":
            choices = tuple((c, humanize(c)) for c in f.choices)
        value = failed.values.get(f.name, "") if failed else initial.get(f.name, "")
        inputs.append(
            Input(
                f.name,
                "select" if choices else f.kind,
                f.label,
                f"{prefix}-{f.name}",
                f.required and f.kind != "bool",
                str(value),
                choices,
                EXAMPLES.get(action.name, EXAMPLES.get(f.name, "")) if f.kind == "json" else "",
                by_field.pop(f.name, ""),
            )
        )
    # Problems naming a field the person cannot change (a hidden one, or the step itself)
    # are shown at the top of the form.
    rest += [f"{name}: {text}" for name, text in by_field.items()]
    return ActionForm(
        action.name,
        action.label,
        prefix,
        reverse("take_action", args=[case.ref, action.name]),
        case.version,
        page,
        next_url,
        tuple(inputs),
        tuple(fixed.items()),
        note or action.help or NOTES.get(action.name, ""),
        key,
        tuple(rest),
        failed.error.message if failed else "",
        failed is not None or bool(initial),
    )
