"""What a case's pages show to one viewer: the review, the timeline, the notes, the ledger
and the forms of the actions the viewer may take.

Who is which audience is ``fairpivot.web.access``'s; what each audience may see is
``fairpivot.web.privacy``'s. This module builds the page from the case file, the review
and the ledger as the viewer's audience may see them (never the whole and then hidden),
and logs every view of protected facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fairpivot.domain.ledger import Entry, first_break, head_matches
from fairpivot.domain.review import Finding, Option, Review
from fairpivot.domain.wording import days_left, money
from fairpivot.records.cases import commands, corrections, documents, workflow
from fairpivot.records.cases.commands import Command, Situation
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case
from fairpivot.web import access, privacy
from fairpivot.web.access import Viewer
from fairpivot.web.case import acting, casefacts, caserecord, forms, ledgerrows, papers, timeline
from fairpivot.web.privacy import Sight
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

    seq: int | None  # its ledger entry, for those who see entry numbers
    step: str
    date: str
    findings: tuple[str, ...]  # why it is held, for those told (HR, the employee)
    told_why: bool  # whether the viewer is told why at all (review-v4.md 8 item 6)
    justification: str
    requested_by: str
    form: forms.ActionForm | None


def case_review(case: Case, clock: Clock = SYSTEM_CLOCK) -> tuple[dict[str, Any], Review]:
    """The case file the ledger describes (its JSON value) and its review now, as the
    pages and the API give it (``Situation.review``)."""
    situation = Situation(case, clock)
    return situation.loaded.raw, situation.review


def visible_findings(result: Review, sight: Sight) -> list[Finding]:
    """The findings the audience may see; nothing says how many others there are."""
    return list(privacy.review(sight, result).findings)


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


def option_columns(result: Review, now: date, sight: Sight = privacy.FULL) -> list[OptionColumn]:
    """The options open now, each worded with its currency and days left."""
    return [_option(o, result.currency, now, sight) for o in result.options]


def _option(o: Option, currency: str, now: date, sight: Sight) -> OptionColumn:
    heading = o.option.capitalize() + (f" (tier {o.tier})" if o.tier is not None else "")
    decide_by = o.decide_by.isoformat() if o.decide_by else "no date set"
    decide_left = days_left(o.decide_by, now) if o.decide_by else ""
    if not sight.equity_value:
        equity = "not shown to you"  # the same words whatever the employee would lose
    elif o.equity_forfeited is not None:
        equity = money(o.equity_forfeited, currency)
    else:
        equity = "—"
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


@dataclass(frozen=True, slots=True)
class Seen:
    """What every view of a case's page does before anything is shown: the facts the
    viewer may see, the case's record (its ledger read and checked), the access log's row
    when protected activities are in view, and how the viewer stands to the case."""

    sight: Sight
    record: caserecord.Record
    relations: frozenset[str]


def see(viewer: Viewer, case: Case, clock: Clock = SYSTEM_CLOCK) -> Seen:
    """Read and check the case's record for the viewer, logging the view when it is of
    protected activities: every view, whether its page is kept or built."""
    now = today(clock)
    sight = access.sight_for(viewer, case)
    record = caserecord.record_of(
        case, now, sight.audience, lambda entries: _record(case, entries, sight, now, clock)
    )
    if sight.everything and record.raw.get("protected_activities"):
        access.log_access(viewer, case, "protected_activities")
    return Seen(sight, record, acting.relations(viewer, case))


def build(
    viewer: Viewer,
    case: Case,
    where: Where,
    *,
    failure: forms.Failure | None = None,
    reply_to: str = "",
    clock: Clock = SYSTEM_CLOCK,
    seen: Seen | None = None,
) -> dict[str, Any]:
    """The template context of a case's page (and of the employee's own page), from what
    ``see`` found (``seen``, when the caller has already looked)."""
    if seen is None:
        seen = see(viewer, case, clock)
    sight, record, relations = seen.sight, seen.record, seen.relations
    sensitive = sight.everything
    # The record's: the held steps' sign-off form and the list of forms both need it.
    situation = record.situation
    key = (relations, where.page, where.next_url)
    kept = record.forms.get(key) if failure is None and not reply_to else None
    if kept is None:
        open_now = commands.available(situation, relations)
        shown = _forms(
            situation,
            open_now,
            where,
            options=record.choices,
            failure=failure,
            reply_to=reply_to,
        )
        if failure is None and not reply_to:
            record.forms[key] = (open_now, shown)
    else:
        open_now, shown = kept
    return {
        **record.context,
        "record": record,
        "case": case,
        "sensitive": sensitive,
        "sight": sight,
        "holds": _holds(
            sight,
            record.holds,
            open_now=open_now,
            where=where,
            situation=situation,
            failure=failure,
        ),
        "forms": shown,
        "relations": relations,
        "repliable": record.choices["reply"]["to"],
        # Who has which issued document is the viewer's, not the audience's: never kept.
        "papers": papers.rows(case, relations, record.issued),
        "letter_previews": papers.previews(situation, relations, record.result.findings),
        "can_read_ledger": access.may_read_ledger(viewer, case),
        "can_take_record": access.may_take_own_record(viewer, case),
    }


def record_for(case: Case, sight: Sight, clock: Clock = SYSTEM_CLOCK) -> caserecord.Record:
    """What the case's ledger says as ``sight`` may see it (the pages' and the papers')."""
    now = today(clock)
    return caserecord.record_of(
        case, now, sight.audience, lambda entries: _record(case, entries, sight, now, clock)
    )


def _record(
    case: Case, entries: list[Entry], sight: Sight, now: date, clock: Clock
) -> caserecord.Record:
    """What the case's ledger says, as the audience of ``sight`` may see it.

    The case file and the review are cut down to the audience's facts first; everything
    on the page is then made from the cut-down ones.
    """
    situation = Situation(case, clock, chains.facts_from(case, entries))
    raw = privacy.case_file(sight, situation.loaded.raw)
    result = privacy.review(sight, situation.review)
    people = casefacts.People(raw)
    in_file = set(people.names)
    data = ledgerrows.payloads(entries)
    shown = ledgerrows.visible_entries(entries, data, sight)
    mine = corrections.employees_among(case, ((e.seq, e.recorded_by, data[e.seq]) for e in shown))
    choices = ledgerrows.field_choices(case.employee_ref, raw, shown, data, frozenset(mine))
    context = {
        **_review_part(raw, result, people, sight, now),
        **_ledger_part(case, entries, shown=shown, data=data, people=people, sight=sight),
    }
    looked_up = {k: v for k, v in people.names.items() if k not in in_file}
    holds = situation.holds if "hold" in sight.ledger_kinds else []
    issued = documents.issued_among(entries)
    return caserecord.Record(raw, result, context, choices, holds, looked_up, situation, issued)


def _review_part(
    raw: dict[str, Any], result: Review, people: casefacts.People, sight: Sight, now: date
) -> dict[str, Any]:
    """What the case file and its review say: stage, findings, deadlines, options, timeline."""
    findings = visible_findings(result, sight)
    deadlines = deadline_rows(result, now)
    items = casefacts.timeline_items(
        raw, result, people, sensitive=sight.shows_activities, today=now
    )
    return {
        "employee": raw["employee"],
        "manager_name": people.name(raw["employee"].get("manager")),
        "result": result,
        "stage": stage_label(result.stage),
        "today": now,
        "findings": findings,
        # Said the same way whatever is withheld: a count would move with hidden facts.
        "withheld_findings": not sight.everything,
        "deadlines": deadlines,
        "settled_deadlines": len(result.settled_deadlines),
        "next_deadline": next((d for d in deadlines if not d.passed), None),
        "notice": result.notice,
        "options": option_columns(result, now, sight),
        "options_withheld": not sight.options,
        "timeline": timeline.build(items, now),
        "events": casefacts.event_rows(raw, people, result.currency),
        "goals": casefacts.goals_of(raw),
        "checkins": casefacts.checkins_of(raw),
    }


def _ledger_part(
    case: Case,
    entries: list[Entry],
    *,
    shown: list[Entry],
    data: dict[int, Any],
    people: casefacts.People,
    sight: Sight,
) -> dict[str, Any]:
    """What the ledger holds: the notes filed, the entries the audience may see, and
    whether the whole chain verifies (checked on every entry, said without a count or an
    entry's place to those who do not see them all)."""
    broken = first_break(entries)
    head_ok = head_matches(case.version, case.head_hash, entries)
    ok = broken is None and head_ok
    return {
        "notes": ledgerrows.notes(shown, data, people, sight),
        "ledger": ledgerrows.ledger_rows(
            shown, data, people, sight=sight, employee=case.employee_ref
        ),
        "ledger_whole": sight.entry_numbers,
        "ledger_ok": ok,
        "ledger_break": (str(broken) if broken else "") if sight.entry_numbers else "",
    }


def _holds(
    sight: Sight,
    pending: list[workflow.Hold],
    *,
    open_now: list[tuple[Command, str]],
    where: Where,
    situation: Situation,
    failure: forms.Failure | None,
) -> list[HoldRow]:
    """The steps waiting for HR, each with the sign-off form when the viewer may decide it."""
    if "hold" not in sight.ledger_kinds:
        return []
    sign_off = next((a for a, _ in open_now if a.name == "sign_off"), None)
    rows = []
    for hold in pending:
        form = None
        if sign_off is not None:
            form = forms.build(
                sign_off,
                situation,
                page=where.page,
                next_url=where.next_url,
                fixed={"hold": str(hold.seq)},
                failure=failure,
            )
        rows.append(
            HoldRow(
                hold.seq if sight.entry_numbers else None,
                event_label(str(hold.event.get("type", ""))),
                str(hold.event.get("date", "")),
                privacy.finding_codes(sight, hold.findings),
                sight.hold_reasons,
                hold.justification,
                hold.requested_by,
                form,
            )
        )
    return rows


def _forms(
    situation: Situation,
    open_now: list[tuple[Command, str]],
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
        note = ""
        if action.guarded and relation == "manager":
            note = (
                "HR reviews this step before it is recorded."
                if situation.loaded.policy.guardrails.hold == "all_adverse"
                else "HR may review this step before it is recorded."
            )
        out.append(
            forms.build(
                action,
                situation,
                page=where.page,
                next_url=where.next_url,
                options=options.get(action.name, {}),
                initial={"to": reply_to} if action.name == "reply" and reply_to else {},
                failure=failure,
                note=note,
            )
        )
    return out
