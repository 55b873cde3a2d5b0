"""Running commands in the tests, the one way the pages, the API and the demo take steps.

``take`` runs a command as an actor standing in one relation to the case (by default the
one their case-file role implies) and returns its outcome: recorded, or held for HR.
``record`` runs one that must end up recorded: a step a manager asks for that is held for
HR's sign-off (every adverse step under ``guardrails.hold = "all_adverse"``) is signed off
by ``approver``. ``panelists`` and ``decide_by_panel`` seat an appeal panel and have it vote.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User

from fairpivot.domain.review import Review
from fairpivot.records.cases import commands, panel, workflow
from fairpivot.records.cases.commands import Outcome, Situation
from fairpivot.records.cases.panel import PANELIST_GROUP
from fairpivot.records.cases.usecases import Actor, get_case
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case

# The relation a case-file role acts in, when a test does not name one.
RELATION_OF_ROLE = {"manager": "manager", "hr": "hr", "peer": "panelist", "other": "employee"}


def _case(case: Case | str) -> Case:
    return get_case(case.ref if isinstance(case, Case) else case)


def take(
    case: Case | str,
    name: str,
    *,
    actor: Actor,
    clock: Clock = SYSTEM_CLOCK,
    expected_version: int | None = None,
    relation: str | None = None,
    **raw: Any,
) -> Outcome:
    """Run the command ``name`` as ``actor`` with raw inputs; the case's version by default."""
    row = _case(case)
    version = row.version if expected_version is None else expected_version
    as_ = relation or RELATION_OF_ROLE.get(actor.role, "employee")
    return commands.take(
        Situation(row, clock),
        frozenset({as_}),
        name,
        raw=raw,
        version=version,
        actor_for=lambda _relation: actor,
    )


def record(
    case: Case | str,
    name: str,
    *,
    actor: Actor,
    clock: Clock = SYSTEM_CLOCK,
    expected_version: int | None = None,
    relation: str | None = None,
    approver: Actor | None = None,
    **raw: Any,
) -> Review:
    """Run a command that must be recorded; a held step is approved by ``approver`` (HR)."""
    outcome = take(
        case,
        name,
        actor=actor,
        clock=clock,
        expected_version=expected_version,
        relation=relation,
        **raw,
    )
    if outcome.held is not None:
        if approver is None:
            raise AssertionError(f"{name} was held for HR's sign-off: pass an approver")
        outcome = approve(case, actor=approver, clock=clock)
    assert outcome.review is not None
    return outcome.review


def approve(case: Case | str, *, actor: Actor, clock: Clock = SYSTEM_CLOCK) -> Outcome:
    """HR approves the case's latest held step, in writing."""
    hold = workflow.pending_holds(_case(case).ref)[-1]
    return take(
        case,
        "sign_off",
        actor=actor,
        clock=clock,
        relation="hr",
        hold=str(hold.seq),
        decision="approve",
        justification="Reviewed in the test: the step is fair.",
    )


def panelists(*usernames: str) -> list[User]:
    """Users in the panelist group (made if missing), as HR may seat them."""
    group, _ = Group.objects.get_or_create(name=PANELIST_GROUP)
    users = []
    for username in usernames:
        user, _ = User.objects.get_or_create(username=username)
        user.groups.add(group)
        users.append(user)
    return users


def decide_by_panel(
    case: Case | str,
    votes: dict[str, str],
    *,
    hr: Actor,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """HR seats the panelists named in ``votes`` (usernames), then each votes as given."""
    users = panelists(*votes)
    record(case, "seat_panel", actor=hr, clock=clock, panelists=[u.username for u in users])
    review = None
    for user in users:
        voter = Actor(user.username, user.username, user.username, "peer")
        review = record(case, "vote", actor=voter, clock=clock, vote=votes[user.username])
    assert review is not None
    return review


def seat_past(
    case: Case | str, users: list[User], *, actor: Actor, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Seat panelists on the case's latest appeal whatever its stage now: a panel that sat on
    an appeal decided since (the ``seat_panel`` command is open only while it is heard)."""
    row = _case(case)
    sit = Situation(row, clock)
    return panel.seat(
        row,
        sit.state,
        sit.loaded.policy,
        users,
        sit.loaded.file.events,
        actor=actor,
        expected_version=row.version,
        clock=clock,
    )
