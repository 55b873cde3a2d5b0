"""The documents issued in a case, as each viewer may have them, and HR's letter previews.

Who gets which issued document, decided here once (the case page, My case and the
downloads all ask): HR covering the case, counsel and administrators get every one; the
employee and the representative they invited get those issued to the employee; a manager
gets those HR gave the manager a copy of (only letters with no pay or release terms may
be: ``Letter.manager_copy``); a panelist gets none. A document someone may not have is not
listed and its download is not found, as for one that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse

from fairpivot.documents.letters.release import flags, latest_open
from fairpivot.domain.review import Finding
from fairpivot.records.cases.commands import Situation, letters_now
from fairpivot.records.cases.documents import Issued
from fairpivot.records.models import Case

# Relations that read every document issued in a case.
EVERY_DOCUMENT = frozenset({"hr", "admin", "counsel"})
AUDIENCE_WORDS = {"employee": "the employee", "manager": "the manager"}


def may_have(relations: frozenset[str], issued: Issued) -> bool:
    """Whether someone standing in ``relations`` to the case may have ``issued``."""
    if relations & EVERY_DOCUMENT:
        return True
    if relations & {"employee", "representative"} and "employee" in issued.audience:
        return True
    return "manager" in relations and "manager" in issued.audience


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """An issued document as the pages list it, with its download link."""

    seq: int
    title: str
    issued_on: str
    given_to: str
    sha256: str
    size: str
    url: str


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"


def rows(case: Case, relations: frozenset[str], issued: Sequence[Issued]) -> list[DocumentRow]:
    """The documents issued in ``case`` (``issued``) that the viewer may have, oldest first."""
    return [
        DocumentRow(
            one.seq,
            one.title,
            one.issued_on.isoformat(),
            " and ".join(AUDIENCE_WORDS.get(a, a) for a in one.audience),
            one.sha256,
            _size(one.size),
            reverse("case_document", args=[case.ref, one.seq]),
        )
        for one in issued
        if may_have(relations, one)
    ]


@dataclass(frozen=True, slots=True)
class Preview:
    """A letter HR may preview (and issue) now, or why it would be refused."""

    name: str
    title: str
    url: str
    refused: str = ""  # the findings that keep an agreement from being issued


def previews(
    situation: Situation, relations: frozenset[str], findings: Sequence[Finding]
) -> list[Preview]:
    """The letters the record supports now, for HR covering the case (and admins), an
    agreement whose offer the review flags (``findings``) said to be refused, and why."""
    if not relations & {"hr", "admin"}:
        return []
    ref = situation.case.ref
    out = []
    for name, title in letters_now(situation):
        refused = ""
        if name == "separation_agreement":
            loaded = situation.loaded
            offer = latest_open(loaded.file.events, situation.state, loaded.policy, situation.today)
            flagged = flags(findings, offer) if offer is not None else []
            refused = ", ".join(sorted({f.code for f in flagged}))
        out.append(Preview(name, title, reverse("letter_preview", args=[ref, name]), refused))
    return out
