"""Import case files into the record and export them back out, with their ledgers."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from fairpivot.domain.casefile import LoadedCase, parse_case_file
from fairpivot.domain.casefile.entries import (
    PERSON_KINDS,
    Fact,
    assemble,
    retracted,
    same_fact,
    split,
    with_history,
)
from fairpivot.domain.errors import MalformedCaseFile
from fairpivot.domain.ledger import GENESIS, Entry
from fairpivot.records import bulk, ledger
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, Employee, case_number
from fairpivot.records.projection import write
from fairpivot.records.reviewing import (
    Reviewed,
    review_facts,
    review_loaded,
    rows_of,
    scale_of,
    shipped_policy,
)
from fairpivot.records.screen import facts_by_case

IMPORTER = "import"


@dataclass(frozen=True, slots=True)
class CaseFileToImport:
    """A case file that has been read and checked, ready to import."""

    path: Path
    digest: str
    loaded: LoadedCase


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one file did."""

    path: Path
    case: Case
    created: bool


def check_files(paths: Sequence[Path]) -> list[CaseFileToImport]:
    """Read and check every file first; raise MalformedCaseFile naming each problem's file."""
    checked, problems = [], []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: cannot read ({(exc.strerror or 'error').lower()})")
            continue
        try:
            loaded = parse_case_file(data, resolve=shipped_policy)
        except MalformedCaseFile as exc:
            problems += [f"{path}: {problem}" for problem in exc.problems]
            continue
        checked.append(CaseFileToImport(path, hashlib.sha256(data).hexdigest(), loaded))
    if problems:
        raise MalformedCaseFile(problems)
    return checked


def import_one(item: CaseFileToImport, clock: Clock = SYSTEM_CLOCK) -> ImportResult:
    """Record one checked case file as a case, whole or not at all.

    The file is the historical record and is taken as it is: departures from the policy
    are for the review to flag, not for the import to refuse. A file imported before is
    not imported twice.
    """
    return _import_batch([item], clock)[0]


def import_many(
    items: Sequence[CaseFileToImport], clock: Clock = SYSTEM_CLOCK, batch_size: int = 100
) -> Iterator[ImportResult]:
    """Record checked case files a batch at a time: each batch whole or not at all.

    The same as ``import_one`` for each file, in a few statements per batch instead of a
    few per case: what makes importing a hundred thousand files take minutes, not hours.
    """
    for start in range(0, len(items), batch_size):
        yield from _import_batch(items[start : start + batch_size], clock)


def _import_batch(items: Sequence[CaseFileToImport], clock: Clock) -> list[ImportResult]:
    found = Case.objects.filter(source_digest__in=[i.digest for i in items])
    seen = {str(digest): pk for digest, pk in found.values_list("source_digest", "pk")}
    fresh: dict[str, CaseFileToImport] = {}
    for item in items:
        if item.digest not in seen:
            fresh.setdefault(item.digest, item)
    refs = {item.loaded.file.employee.id for item in fresh.values()}
    people = dict(Employee.objects.filter(employee_id__in=refs).values_list("employee_id", "pk"))
    moment = clock.now()
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            Case(
                employee_ref=item.loaded.file.employee.id,
                employee_id=people.get(item.loaded.file.employee.id),
                policy=item.loaded.policy.name,
                opened_at=moment,
                source_digest=digest,
            )
            for digest, item in fresh.items()
        )
        histories = History(refs)
        rows, heads, split_files = [], [], []
        for case, item in zip(cases, fresh.values(), strict=True):
            entries = split(item.loaded.raw)
            if case.employee_ref:
                histories.add(case.employee_ref, entries)
            chained = ledger.links(case.ref, entries, IMPORTER, moment, after=0, head=GENESIS)
            case.version, case.head_hash = len(chained), chained[-1]["hash"]
            heads.append((case.pk, case.version, case.head_hash))
            rows += [(case.pk, fields) for fields in chained]
            split_files.append(entries)
        bulk.insert_case_entries(rows, moment)
        bulk.set_case_heads(heads)
        grown = histories.record(moment)
        day = today(clock)
        reviewed = [
            _review(case, item.loaded, entries, histories, day)
            for case, item, entries in zip(cases, fresh.values(), split_files, strict=True)
        ]
        others = list(
            Case.objects.filter(employee_ref__in=grown)
            .exclude(pk__in=[case.pk for case in cases])
            .values_list("pk", flat=True)
        )
        reviewed += [review_facts(pk, facts, day) for pk, facts in facts_by_case(others).items()]
        write(rows_of(reviewed), clock)
    return _results(items, seen, cases, fresh)


def _review(
    case: Case,
    loaded: LoadedCase,
    entries: list[tuple[str, Any]],
    histories: History,
    day: date,
) -> Reviewed:
    """A new case's review, from its file as checked when its record assembles to that file.

    The record is the file's entries and whatever its person's history holds beyond them;
    when that assembles to the file itself (the person's first case, say), the file is
    reviewed as checked, not assembled and checked a second time.
    """
    own = [Fact(seq, kind, payload) for seq, (kind, payload) in enumerate(entries, start=1)]
    history = histories.facts_of(case.employee_ref)
    facts = with_history(own, history, scale_of(case.policy)) if history else own
    if assemble(facts, day) == loaded.raw:
        return review_loaded(case.pk, loaded)
    return review_facts(case.pk, facts, day)


def _results(
    items: Sequence[CaseFileToImport],
    seen: dict[str, int],
    cases: list[Case],
    fresh: dict[str, CaseFileToImport],
) -> list[ImportResult]:
    before = Case.objects.in_bulk(list(seen.values()))
    by_digest = {case.source_digest: case for case in cases}
    results = []
    for item in items:
        if item.digest in seen:
            results.append(ImportResult(item.path, before[seen[item.digest]], False))
        else:
            first = fresh[item.digest] is item
            results.append(ImportResult(item.path, by_digest[item.digest], created=first))
    return results


class History:
    """The person entries a batch of files brings that their people's histories lack.

    An entry is already recorded when the person's history holds one of equal kind and
    fields (its date among them) that is not retracted; a file holding two equal entries
    needs two. The case's own ledger keeps every entry of its file, so a file exported
    and imported into an empty database gives back the same file (review-v4.md 8.4).
    """

    def __init__(self, refs: Iterable[str]) -> None:
        refs = list(refs)
        # The heads first: facts read after them are at most as new, and a history moved
        # in between fails the conditional update in ``record``.
        self.heads = bulk.history_heads(refs)
        self.facts = ledger.histories_facts(refs)
        self.known: dict[str, Counter[str]] = {}
        for ref, facts in self.facts.items():
            gone = retracted(facts)
            live = (f for f in facts if f.seq not in gone and f.kind in PERSON_KINDS)
            self.known[ref] = Counter(same_fact(f.kind, f.payload) for f in live)
        self.new: dict[str, list[tuple[str, Any]]] = {}

    def add(self, ref: str, entries: list[tuple[str, Any]]) -> None:
        """Keep for ``ref``'s history the person entries of a file it does not hold yet."""
        recorded = Counter(self.known.get(ref, Counter()))
        for kind, payload in entries:
            if kind not in PERSON_KINDS:
                continue
            fact = same_fact(kind, payload)
            if recorded[fact] > 0:
                recorded[fact] -= 1
                continue
            self.new.setdefault(ref, []).append((kind, payload))
            self.known.setdefault(ref, Counter())[fact] += 1

    def record(self, moment: datetime) -> list[str]:
        """Append the new entries to each person's history; return whose grew."""
        bulk.append_histories(self.new, self.heads, IMPORTER, moment)
        return list(self.new)

    def facts_of(self, ref: str) -> list[Fact]:
        """``ref``'s history as facts once ``record`` has run: what it held, then the new."""
        held = self.facts.get(ref, [])
        after = self.heads[ref][1] if ref in self.heads else 0
        added = self.new.get(ref, [])
        return held + [Fact(after + n, kind, p) for n, (kind, p) in enumerate(added, start=1)]


def find_case(ident: str) -> Case:
    """A case by its id (``C-42``), else an employee's latest case by their employee id."""
    number = case_number(ident) if ident.startswith("C-") else None
    if number is not None:
        by_id = Case.objects.filter(pk=number).first()
        if by_id is not None:
            return by_id
    case = Case.objects.filter(employee_ref=ident).order_by("-id").first()
    if case is None:
        raise CaseNotFound(ident)
    return case


def export_case(case: Case, clock: Clock = SYSTEM_CLOCK) -> dict[str, Any]:
    """The case file the ledger and the employee's history describe, retracted entries left out."""
    return assemble(ledger.facts_of(case), today(clock))


def export_ledger(case: Case) -> list[Entry]:
    """The case's whole ledger, retractions and retracted entries included."""
    return ledger.entries_of(case)
