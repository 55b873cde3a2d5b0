"""Issuing a letter: render it from the case's record, make its PDF, record it as issued.

The command layer's ``issue_letter`` runs this; the page's preview renders the same HTML
(``preview``), so what HR reads first is what the employee is given.
"""

from __future__ import annotations

from datetime import UTC

from fairpivot.documents.letters import Composed, LetterRefused, Source, compose, source_of
from fairpivot.documents.render import PDF, pdf
from fairpivot.domain.casefile import LoadedCase
from fairpivot.records.cases import documents
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import Clock, today
from fairpivot.records.models import Case

EMPLOYEE, MANAGER = "employee", "manager"


def source(case: Case, loaded: LoadedCase, clock: Clock) -> Source:
    """What the case's letters are built from today: its case file, reviewed as of today."""
    return source_of(loaded.file, loaded.policy, ref=case.ref, issued_on=today(clock))


def preview(case: Case, loaded: LoadedCase, name: str, clock: Clock) -> Composed:
    """The letter ``name`` as it would be issued today, as HTML."""
    return compose(source(case, loaded, clock), name)


def issue_letter(
    case: Case,
    loaded: LoadedCase,
    name: str,
    *,
    copy_to_manager: bool,
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> documents.Issued:
    """Render the letter ``name`` to PDF and record it as issued to the employee.

    A copy goes to the manager only for a letter that holds nothing the manager's view of
    the case leaves out (``Letter.manager_copy``); asking for one otherwise is refused.
    """
    composed = preview(case, loaded, name, clock)
    if copy_to_manager and not composed.letter.manager_copy:
        raise LetterRefused(
            [
                f"copy_to_manager: a {composed.letter.title.lower()} holds pay or release "
                "terms that the manager's view of the case leaves out; it goes to the "
                "employee only"
            ]
        )
    content = pdf(composed.html, created=clock.now().astimezone(UTC))
    return documents.issue(
        case,
        document=name,
        title=composed.letter.title,
        filename=composed.filename,
        media_type=PDF,
        content=content,
        audience=[EMPLOYEE, MANAGER] if copy_to_manager else [EMPLOYEE],
        actor=actor,
        expected_version=expected_version,
        clock=clock,
    )
