"""What a case's pages show to one viewer: the review, the timeline, the notes, the ledger
and the forms of the actions the viewer may take.

The access rules are ``fairpivot.web.access``'s; this module applies them to the parts of a
case (protected activities, the findings that rest on them) and logs every sensitive view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fairpivot.domain.ledger import Entry, first_break
from fairpivot.domain.review import Finding, Option, Review, review
from fairpivot.domain.wording import days_left, money
from fairpivot.records import projection, workflow
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.models import Case
from fairpivot.web import access, actions, casefacts, caserecord, forms, ledgerrows, timeline
from fairpivot.web.access import Viewer
from fairpivot.web.wording import deadline_label, event_label, stage_label, yes_no

# Actions shown elsewhere on the page than in the list of forms.
PLACED_ELSEWHERE = frozenset({"sign_off"})


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    """A deadline with its days left."""

    code: str
    label: str
    date: date
    left: str
    passed: bool
    basis: str


@dataclass(frozen=True, slots=True)
class OptionColumn:
    """One option, worded for the side-by-side table."""

    heading: str
    cash: str
    equity: str
    decide_by: str
    decide_left: str  # the days left to decide, when there is a date
    release: str
    rehire: str


@dataclass(frozen=True, slots=True)
class HoldRow:
    """A step held for HR sign-off, and HR's form to decide it."""

    seq: int
    step: str
    date: str
    findings: tuple[str, ...]  # those the viewer may be told of
    hidden_findings: int  # the rest: they would reveal a protected activity
    justification: str
    requested_by: str
    form: forms.ActionForm | None


def live_review(case: Case, clock: Clock = SYSTEM_CLOCK) -> tuple[dict[str, Any], Review]:
    """The case file the ledger describes (its JSON value) and its review now."""
    loaded = projection.load_case(case, clock)
    return loaded.raw, review(loaded.file, loaded.policy, case_id=case.ref)


def visible_findings(result: Review, sensitive: bool) -> tuple[list[Finding], int]:
    """The findings the viewer may see, and how many are left out."""
    if sensitive:
        return list(result.findings), 0
    shown = [f for f in result.findings if f.code not in access.SENSITIVE_FINDINGS]
    return shown, len(result.findings) - len(shown)


def deadline_rows(result: Review, now: date) -> list[DeadlineRow]:
    """The review's unsettled deadlines with the days left from ``now``.

    A settled deadline (its decision made, or no longer possible) is not something anyone
    must act by: it is shown on the timeline only (review-v4.md section 5).
    """
    return [
        DeadlineRow(
            d.code, deadline_label(d.code), d.date, days_left(d.date, now), d.date < now, d.basis
        )
        for d in result.open_deadlines
    ]


def option_columns(result: Review, now: date) -> list[OptionColumn]:
    """The options open now, each worded with its currency and days left."""
    return [_option(o, result.currency, now) for o in result.options]


def _option(o: Option, currency: str, now: date) -> OptionColumn:
    heading = o.option.capitalize() + (f" (tier {o.tier})" if o.tier is not None else "")
    decide_by = o.decide_by.isoformat() if o.decide_by else "no date set"
    decide_left = days_left(o.decide_by, now) if o.decide_by else ""
    equity = money(o.equity_forfeited, currency) if o.equity_forfeited is not None else "—"
    return OptionColumn(
        heading,
        money(o.cash, currency),
        equity,
        decide_by,
        decide_left,
        yes_no(o.release_required),
        yes_no(o.rehire_eligible),
    )


@dataclass(frozen=True, slots=True)
class Where:
    """Where a page's forms come from and go back to."""

    page: str  # case, me or panels: the page shown again when a post is refused
    next_url: str


def build(
    viewer: Viewer,
    case: Case,
    where: Where,
    *,
    failure: forms.Failure | None = None,
    reply_to: str = "",
    clock: Clock = SYSTEM_CLOCK,
) -> dict[str, Any]:
    """The template context of a case's page (and of the employee's own page)."""
    now = today(clock)
    sensitive = access.sees_sensitive(viewer, case)
    record = caserecord.record_of(
        case, now, sensitive, lambda entries: _record(case, entries, sensitive, now, clock)
    )
    if sensitive and record.raw.get("protected_activities"):
        access.log_access(viewer, case, "protected_activities")
    # Asked once: the held steps' sign-off form and the list of forms both need it.
    open_now = actions.available(viewer, case, record.result.stage)
    return {
        **record.context,
        "record": record,
        "case": case,
        "sensitive": sensitive,
        "holds": _holds(
            viewer, case, record.holds, open_now=open_now, where=where, failure=failure
        ),
        "forms": _forms(
            case, open_now, where, options=record.choices, failure=failure, reply_to=reply_to
        ),
        "repliable": record.choices["reply"]["to"],
        "can_read_ledger": access.may_read_ledger(viewer, case),
    }


def _record(
    case: Case, entries: list[Entry], sensitive: bool, now: date, clock: Clock
) -> caserecord.Record:
    """What the case's ledger says, for a viewer who may (or may not) see protected facts."""
    raw, result = live_review(case, clock)
    people = casefacts.People(raw)
    in_file = set(people.names)
    data = ledgerrows.payloads(entries)
    choices = ledgerrows.field_choices(case.employee_ref, raw, entries, data, sensitive)
    context = {
        **_review_part(raw, result, people, sensitive, now),
        **_ledger_part(case, entries, data, people, sensitive),
    }
    looked_up = {k: v for k, v in people.names.items() if k not in in_file}
    holds = workflow.pending_holds(case.ref)
    return caserecord.Record(raw, result, context, choices, holds, looked_up)


def _review_part(
    raw: dict[str, Any], result: Review, people: casefacts.People, sensitive: bool, now: date
) -> dict[str, Any]:
    """What the case file and its review say: stage, findings, deadlines, options, timeline."""
    findings, hidden = visible_findings(result, sensitive)
    deadlines = deadline_rows(result, now)
    items = casefacts.timeline_items(raw, result, people, sensitive=sensitive, today=now)
    return {
        "employee": raw["employee"],
        "manager_name": people.name(raw["employee"].get("manager")),
        "result": result,
        "stage": stage_label(result.stage),
        "today": now,
        "findings": findings,
        "hidden_findings": hidden,
        "deadlines": deadlines,
        "settled_deadlines": len(result.settled_deadlines),
        "next_deadline": next((d for d in deadlines if not d.passed), None),
        "notice": result.notice,
        "options": option_columns(result, now),
        "timeline": timeline.build(items, now),
        "events": casefacts.event_rows(raw, people, result.currency),
        "goals": casefacts.goals_of(raw),
        "checkins": casefacts.checkins_of(raw),
    }


def _ledger_part(
    case: Case,
    entries: list[Entry],
    data: dict[int, Any],
    people: casefacts.People,
    sensitive: bool,
) -> dict[str, Any]:
    """What the ledger holds: the notes filed, every entry, and whether the chain verifies."""
    broken = first_break(entries)
    head_ok = case.version == len(entries) and (not entries or entries[-1].hash == case.head_hash)
    return {
        "notes": ledgerrows.notes(entries, data, people),
        "ledger": ledgerrows.ledger_rows(
            entries, data, people, sensitive=sensitive, employee=case.employee_ref
        ),
        "ledger_ok": broken is None and head_ok,
        "ledger_break": str(broken) if broken else "",
    }


def _holds(
    viewer: Viewer,
    case: Case,
    pending: list[workflow.Hold],
    *,
    open_now: list[tuple[actions.Action, str]],
    where: Where,
    failure: forms.Failure | None,
) -> list[HoldRow]:
    """The steps waiting for HR, each with the sign-off form when the viewer may decide it."""
    sign_off = next((a for a, _ in open_now if a.name == "sign_off"), None)
    rows = []
    for hold in pending:
        shown = access.finding_codes_for(viewer, case, hold.findings)
        form = None
        if sign_off is not None:
            form = forms.build(
                sign_off,
                case,
                page=where.page,
                next_url=where.next_url,
                fixed={"hold": str(hold.seq)},
                failure=failure,
            )
        rows.append(
            HoldRow(
                hold.seq,
                event_label(str(hold.event.get("type", ""))),
                str(hold.event.get("date", "")),
                shown,
                len(hold.findings) - len(shown),
                hold.justification,
                hold.requested_by,
                form,
            )
        )
    return rows


def _forms(
    case: Case,
    open_now: list[tuple[actions.Action, str]],
    where: Where,
    *,
    options: dict[str, dict[str, forms.Options]],
    failure: forms.Failure | None,
    reply_to: str,
) -> list[forms.ActionForm]:
    """One form per action the viewer may take now, but those placed elsewhere on the page."""
    out = []
    for action, relation in open_now:
        if action.name in PLACED_ELSEWHERE:
            continue
        note = (
            "A step the review finds risky is held for HR sign-off."
            if action.guarded and relation == "manager"
            else ""
        )
        out.append(
            forms.build(
                action,
                case,
                page=where.page,
                next_url=where.next_url,
                options=options.get(action.name, {}),
                initial={"to": reply_to} if action.name == "reply" and reply_to else {},
                failure=failure,
                note=note,
            )
        )
    return out
