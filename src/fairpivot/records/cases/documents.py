"""Documents issued in a case: a ``document`` ledger entry with the file's SHA-256, and
the file itself, stored under that hash.

A ``document`` entry is a document filed in the case: one typed in (``add_document``: a
title and its text) or one issued as a file (here: a title, the file's name, type, size and
SHA-256, and who received it). Only an issued one has a ``sha256``.

The entry is what proves, later, which text was issued: whoever holds the file can hash it
and find the hash in the case's chain (and the chain verifies). The fold reads no
``document`` entry, so issuing a paper never changes the review. An issued document cannot
be retracted: it was given, whatever happened next; a corrected letter is issued again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from fairpivot.domain.ledger import Entry
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import Clock, today
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, DocumentFile, LedgerEntry
from fairpivot.records.screen import projection

DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Issued:
    """One document issued in a case, as its ledger entry records it."""

    seq: int  # the ledger entry's position in the case's chain
    document: str  # what it is: ``pivot_letter``, ``separation_agreement``, ...
    title: str
    filename: str
    media_type: str
    sha256: str
    size: int
    audience: tuple[str, ...]  # who it was given to: ``employee``, ``manager``, ...
    issued_on: date
    recorded_by: str

    def payload(self) -> dict[str, object]:
        """The ledger entry's payload (``date`` first, as every dated entry has it)."""
        return {
            "date": self.issued_on.isoformat(),
            "document": self.document,
            "title": self.title,
            "filename": self.filename,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "size": self.size,
            "audience": list(self.audience),
        }


def issue(
    case: Case,
    *,
    document: str,
    title: str,
    filename: str,
    media_type: str,
    content: bytes,
    audience: Sequence[str],
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> Issued:
    """Record ``content`` as issued in ``case``: store the file, then chain its entry.

    Both in one transaction, refused (Conflict) if the case moved past
    ``expected_version``; the projection's versions are moved on with it.
    """
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        if not DocumentFile.objects.filter(sha256=digest).exists():
            DocumentFile.objects.create(
                sha256=digest, media_type=media_type, size=len(content), content=content
            )
        issued = Issued(
            seq=expected_version + 1,
            document=document,
            title=title,
            filename=filename,
            media_type=media_type,
            sha256=digest,
            size=len(content),
            audience=tuple(audience),
            issued_on=today(clock),
            recorded_by=actor.username,
        )
        chains.append(case, [(DOCUMENT, issued.payload())], actor.username, expected_version, clock)
        projection.refresh(case, clock)
    return issued


def is_issued(payload: object) -> bool:
    """Whether a ``document`` entry's payload is an issued file (it holds a hash), not a
    document filed as text in the case (``workflow.add_document``, the same entry kind)."""
    return isinstance(payload, dict) and "sha256" in payload


def _issued(seq: int, payload: str, recorded_by: str) -> Issued | None:
    data = json.loads(payload)
    if not is_issued(data):
        return None
    return Issued(
        seq=seq,
        document=str(data["document"]),
        title=str(data["title"]),
        filename=str(data["filename"]),
        media_type=str(data["media_type"]),
        sha256=str(data["sha256"]),
        size=int(data["size"]),
        audience=tuple(str(a) for a in data["audience"]),
        issued_on=date.fromisoformat(str(data["date"])),
        recorded_by=recorded_by,
    )


def issued_in(case: Case) -> list[Issued]:
    """Every document issued in ``case``, oldest first."""
    rows = (
        LedgerEntry.objects.filter(case=case, kind=DOCUMENT)
        .order_by("seq")
        .values_list("seq", "payload", "recorded_by")
    )
    found = (_issued(seq, payload, by) for seq, payload, by in rows)
    return [issued for issued in found if issued is not None]


def issued_among(entries: Iterable[Entry]) -> list[Issued]:
    """``issued_in``, from a case's entries already read (the case page's)."""
    found = (_issued(e.seq, e.payload, e.recorded_by) for e in entries if e.kind == DOCUMENT)
    return [issued for issued in found if issued is not None]


def file_of(case: Case, seq: int) -> tuple[Issued, bytes]:
    """The document at entry ``seq`` of ``case`` and its bytes, checked against the hash.

    Raises CaseNotFound (a 404 to the web) if there is no such document; a stored file
    whose bytes no longer hash to the ledger's value is an integrity failure, not a 404.
    """
    row = (
        LedgerEntry.objects.filter(case=case, kind=DOCUMENT, seq=seq)
        .values_list("seq", "payload", "recorded_by")
        .first()
    )
    issued = _issued(*row) if row is not None else None
    if issued is None:
        raise CaseNotFound(f"{case.ref} document {seq}")
    stored = DocumentFile.objects.filter(sha256=issued.sha256).values_list("content", flat=True)
    content = stored.first()
    if content is None or hashlib.sha256(bytes(content)).hexdigest() != issued.sha256:
        raise RuntimeError(f"{case.ref} entry {seq}: the stored file does not match its hash")
    return issued, bytes(content)
