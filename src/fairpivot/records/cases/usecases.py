"""The use cases: one function per thing a person does to a case.

Each loads the case from its ledger, checks the step (the case-file format always; the
policy's stage table in live use), appends to the ledger and refreshes the projection in
one transaction, and refuses with ``Conflict`` if the case moved on since the caller read
it (``expected_version``). Web pages, the API and the command line all call these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fairpivot.domain.casefile import LoadedCase, parse_case_file
from fairpivot.domain.casefile.entries import HEADER, PERSON_KINDS, Fact, assemble, retracted
from fairpivot.domain.casefile.model import FORMAT
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.fold import fold, step, variant_of
from fairpivot.domain.policy import event_key
from fairpivot.domain.review import Review, review
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.errors import CaseNotFound, TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, Employee, case_number
from fairpivot.records.screen import projection


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: their login, and their id and role in case files."""

    username: str
    person_id: str | None = None
    name: str = ""
    role: str = "other"


def get_case(ref: str) -> Case:
    """The case ``C-42`` (or ``42``); raise CaseNotFound."""
    number = case_number(ref)
    case = None if number is None else Case.objects.filter(pk=number).first()
    if case is None:
        raise CaseNotFound(ref)
    return case


def open_case(
    *,
    employee: dict[str, Any],
    actor: Actor,
    policy: str = "amazon-pivot",
    employer: dict[str, Any] | None = None,
    people: list[dict[str, Any]] | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> Case:
    """Open a live case for an employee, with the people who will act in it."""
    case_file: dict[str, Any] = {"format": FORMAT, "policy": policy}
    if employer is not None:
        case_file["employer"] = employer
    case_file["employee"] = employee
    header = {"keys": [*case_file, "as_of", "people", "events"], "case_file": case_file}
    entries: list[tuple[str, Any]] = [(HEADER, header)]
    entries += [("person", person) for person in people or []]
    _check([*_facts(entries)], clock)
    with transaction.atomic():
        case = Case.objects.create(
            employee_ref=employee.get("id", ""),
            employee=Employee.objects.filter(employee_id=employee.get("id")).first(),
            policy=policy,
            opened_at=clock.now(),
        )
        chains.append(case, entries, actor.username, 0, clock)
        projection.refresh(case, clock)
    return case


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """A live event checked and ready to append: the entries to write and the case after."""

    case: Case
    entries: list[tuple[str, Any]]
    facts: list[Fact]
    after: LoadedCase
    clock: Clock

    def before(self) -> LoadedCase:
        """The case as it stands without the event (only the guardrails need it)."""
        return _check(self.facts, self.clock)


def prepare_event(
    ref: str, event: dict[str, Any], *, actor: Actor, clock: Clock = SYSTEM_CLOCK
) -> PreparedEvent:
    """Check a live event: the format, the policy's stage table and the release rules."""
    case = get_case(ref)
    facts = chains.facts_of(case)
    event = {"date": today(clock).isoformat(), **event}
    entries: list[tuple[str, Any]] = []
    if actor.person_id is not None:
        event.setdefault("by", actor.person_id)
        entries += _introduce(actor, facts)
    entries.append(("event", event))
    after = _check_step([*facts, *_facts(entries, after=len(facts))], clock)
    _refuse_if_not_allowed(after, len(after.file.events) - 1)
    _refuse_unlawful_release(after, len(after.file.events) - 1, actor)
    return PreparedEvent(case, entries, facts, after, clock)


def record_event(
    ref: str,
    event: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record one event in live use: dated today, by the actor, if the policy allows it."""
    prepared = prepare_event(ref, event, actor=actor, clock=clock)
    return commit(prepared.case, prepared.entries, actor, expected_version, clock)


def record_fact(
    ref: str,
    kind: str,
    fact: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a protected activity, rating, promotion, equity grant, bonus or person.

    All but a person (someone acting in the case) belong to the employee: recorded in
    this case's ledger, as the step taken here, and in the employee's history, which
    every case of theirs reads (review-v4.md section 8 item 4).
    """
    case = get_case(ref)
    facts = chains.facts_of(case)
    entries = [(kind, fact)]
    _check([*facts, *_facts(entries, after=len(facts))], clock)
    if kind not in PERSON_KINDS or not case.employee_ref:
        return commit(case, entries, actor, expected_version, clock)
    return commit_history(case, entries, actor, expected_version, clock, history=entries)


def check_appended(facts: list[Fact], entries: list[tuple[str, Any]], clock: Clock) -> LoadedCase:
    """The case with ``entries`` appended after ``facts``, checked as a case file."""
    return _check([*facts, *_facts(entries, after=len(facts))], clock)


def commit(
    case: Case,
    entries: list[tuple[str, Any]],
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> Review:
    """Append entries and refresh the projection, in one transaction."""
    with transaction.atomic():
        chains.append(case, entries, actor.username, expected_version, clock)
        return projection.refresh(case, clock)


def commit_history(
    case: Case,
    entries: list[tuple[str, Any]],
    actor: Actor,
    expected_version: int,
    clock: Clock,
    *,
    history: list[tuple[str, Any]],
) -> Review:
    """Append ``entries`` to the case and ``history`` to its employee's, in one transaction.

    ``expected_version`` is the case's, as in ``commit``: the step is refused if the case
    moved on since the caller read it. Every case of the employee is refreshed, since each
    one's file includes the history.
    """
    with transaction.atomic():
        chains.append(case, entries, actor.username, expected_version, clock)
        chains.append_history(case.employee_ref, history, actor.username, clock)
        return projection.refresh_person(case.employee_ref, clock, case)


def _facts(entries: list[tuple[str, Any]], after: int = 0) -> list[Fact]:
    return [Fact(after + i, kind, payload) for i, (kind, payload) in enumerate(entries, 1)]


def _check(facts: list[Fact], clock: Clock) -> LoadedCase:
    """The case with these entries, checked as a case file (InvalidInput if malformed)."""
    document = assemble(facts, today(clock))
    return parse_case_file(json.dumps(document).encode())


def _introduce(actor: Actor, facts: list[Fact]) -> list[tuple[str, Any]]:
    """A person entry for an actor the case does not name yet (or names only in a retraction)."""
    header = facts[0].payload["case_file"]
    gone = retracted(facts)
    known = {header["employee"]["id"]} | {
        f.payload["id"] for f in facts if f.kind == "person" and f.seq not in gone
    }
    if actor.person_id in known:
        return []
    return [
        (
            "person",
            {"id": actor.person_id, "name": actor.name or actor.username, "role": actor.role},
        )
    ]


def _check_step(facts: list[Fact], clock: Clock) -> LoadedCase:
    """The case with a live step appended, checked; a problem of the step itself names
    its field alone (``notified_on: ...``), so a form shows it next to the field typed in."""
    try:
        return _check(facts, clock)
    except InvalidInput as exc:
        gone = retracted(facts)
        last = sum(1 for f in facts if f.kind == "event" and f.seq not in gone) - 1
        mine = f"events[{last}]."
        raise InvalidInput(
            [p.removeprefix(mine) if p.startswith(mine) else p for p in exc.problems]
        ) from None


def _refuse_if_not_allowed(loaded: LoadedCase, index: int) -> None:
    """In live use, refuse an event the policy does not allow at the case's stage."""
    events, policy = loaded.file.events, loaded.policy
    state = fold(events[:index], policy)
    stage, earlier = state.stage, len(state.departures)
    step(state, index, events[index], policy)
    if len(state.departures) > earlier:
        event = events[index]
        allowed = ", ".join(policy.allowed_events(stage)) or "nothing"
        key = event_key(event.type, variant_of(event))
        raise TransitionRefused(
            [
                f"{key}: not allowed while the case is at stage {stage} under {policy.name} "
                f"({state.departures[-1].reason}); allowed now: {allowed}"
            ]
        )


# Offer terms a release from a worker aged 40+ must meet (OWBPA: any ``owbpa.*`` finding,
# review-v4.md section 8 item 9) and terms no release may hold: in live use such an offer
# is not issued at all, rather than flagged afterwards.
RELEASE_RULES = frozenset(
    {
        "owbpa.consideration_period",
        "owbpa.revocation_period",
        "owbpa.adea_not_named",
        "owbpa.attorney_advice",
        "owbpa.group_disclosures",
        "release.bars_agency_charge",
        "release.tender_back",
    }
)


def _refuse_unlawful_release(loaded: LoadedCase, index: int, actor: Actor) -> None:
    """Refuse an offer whose terms the review's release rules would flag.

    The OWBPA's findings (and a tender-back's at 40+) state the employee's age, which a
    manager is not shown: to them the refusal says what falls short and what a worker of
    any age is owed, not the age.
    """
    event = loaded.file.events[index]
    if event.type not in ("pivot_offered", "offer_made"):
        return
    result = review(loaded.file, loaded.policy)
    flagged = [
        finding
        for finding in result.findings
        if (finding.code in RELEASE_RULES or finding.code.startswith("owbpa."))
        and finding.evidence.get("offer_date") == event.date
        and finding.evidence.get("source") == event.type
    ]
    # A finding that states the employee's age (every OWBPA one, a tender-back at 40+).
    aged = [f for f in flagged if "age" in f.evidence]
    if actor.role == "manager" and aged:
        t = loaded.policy.thresholds
        general = (
            "offer: the release's terms fall short of what the law asks for this employee. "
            f"Terms that hold at any age: {t.owbpa_consideration_days} days to consider "
            f"({t.owbpa_group_consideration_days} in a group program) and as many to decide, "
            f"{t.owbpa_revocation_days} to revoke, the ADEA named, a lawyer advised, no "
            "tender-back term; HR sees the details"
        )
        others = [f"offer: {f.message}" for f in flagged if f not in aged]
        raise TransitionRefused([general, *others])
    if flagged:
        raise TransitionRefused([f"offer: {f.message}" for f in flagged])
