"""Counsel's case packet: one PDF of what the record says of a case, its ledger inside.

A packet is made for one audience (``privacy``): counsel and HR covering the case get the
whole case; the employee's own record gets ``privacy.OWN_RECORD``. Each is built from that
audience's cut of the case file, the review and the ledger (``casepage.record_for``), so a
fact the audience may not see is never in the packet's HTML, never hidden by its template.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from fairpivot.documents.render import Attachment, pdf
from fairpivot.domain.ledger import Entry, first_break, ledger_document
from fairpivot.domain.wording import money
from fairpivot.records.cases import documents
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.ledger.chains import entries_of
from fairpivot.records.models import Case
from fairpivot.web.case import casepage, ledgerrows
from fairpivot.web.case.casefacts import People
from fairpivot.web.privacy import Sight
from fairpivot.web.wording import activity_label, event_label, humanize

TEMPLATE = "fairpivot/papers/packet.html"
# The timeline's colours, inside the SVG: WeasyPrint styles an inline SVG only from its own
# <style> (the site's stylesheet does it on the page).
TIMELINE_STYLE = """
.tl-grid { stroke: #eaeef2; stroke-width: 1; }
.tl-axis { stroke: #d0d7de; stroke-width: 2; }
.tl-tick { font-size: 11px; fill: #57606a; text-anchor: middle; font-family: DejaVu Sans; }
.tl-lane-name { font-size: 12px; font-weight: 600; fill: #111; font-family: DejaVu Sans; }
.tl-mark circle { stroke: #fff; stroke-width: 1.5; }
.tl-mark text { font-size: 10.5px; text-anchor: middle; fill: #111; font-family: DejaVu Sans; }
.tl-events circle { fill: #0969da; }
.tl-adverse circle { fill: #cf222e; }
.tl-plans circle, .tl-plans rect { fill: #8c959f; }
.tl-protected circle, .tl-protected rect { fill: #8250df; }
.tl-ratings circle { fill: #57606a; }
.tl-pay circle { fill: #1a7f37; }
.tl-deadlines circle { fill: #9a6700; }
.tl-passed circle { fill: #afb8c1; }
.tl-settled circle { fill: #fff; stroke: #9a6700; stroke-width: 2; }
.tl-today { stroke: #0969da; stroke-width: 1.5; stroke-dasharray: 4 3; }
.tl-today-label { font-size: 11px; fill: #0969da; text-anchor: middle; font-family: DejaVu Sans; }
"""
EMPLOYEE = "employee"  # the audience of a document given to the employee


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One ledger entry as the packet lists it: every entry, a withheld one by its hash."""

    seq: int
    kind: str
    when: str  # when it was recorded (UTC); empty for a withheld entry
    what: str
    recorded_by: str
    hash: str
    withheld: bool


@dataclass(frozen=True, slots=True)
class Contents:
    """What a packet holds before it is a PDF: its HTML and the files to attach."""

    filename: str
    html: str
    ledger: bytes  # the ledger JSON
    issued: list[tuple[documents.Issued, bytes]]  # the documents, each with its bytes


@dataclass(frozen=True, slots=True)
class Packet:
    """A rendered packet and the files inside it."""

    filename: str
    pdf: bytes
    ledger: bytes  # the ledger JSON attached to the PDF
    issued: list[tuple[documents.Issued, bytes]]  # the documents attached


def ledger_name(case: Case) -> str:
    """The name of the ledger file inside a packet (and in the employee's zip)."""
    return f"{case.ref}.ledger.json"


def document_name(issued: documents.Issued) -> str:
    """An issued document's file name in a packet: numbered by its entry, since two
    documents may share a file name (a letter issued again)."""
    return f"{issued.seq}-{issued.filename}"


def withheld_seqs(entries: list[Entry], sight: Sight) -> set[int]:
    """The entries ``sight`` may not read, listed by number and hash only (review-v4.md 8.5)."""
    if sight.everything:
        return set()
    data = ledgerrows.payloads(entries)
    shown = {e.seq for e in ledgerrows.visible_entries(entries, data, sight)}
    return {e.seq for e in entries if e.seq not in shown or _holds_withheld(e, data, sight)}


def _holds_withheld(entry: Entry, data: dict[int, Any], sight: Sight) -> bool:
    """Whether a kind the audience may read holds a fact they may not (an opening's
    employee demographics, HR's note on an activity)."""
    payload = data[entry.seq]
    if entry.kind == "opened":
        employee = payload.get("case_file", {}).get("employee", {})
        return bool(sight.employee_keys & set(employee))
    if entry.kind == "protected_activity":
        return bool(sight.activity_keys & set(payload))
    return False  # an issued file given to others is left out by ``visible_entries``


def _for_employee_only(sight: Sight) -> bool:
    return sight.audience == "own"


def ledger_file(case: Case, entries: list[Entry], sight: Sight) -> bytes:
    """The ledger JSON as ``sight`` may have it: the case page's format, redacted if need be."""
    document = ledger_document(case.ref, entries, withheld_seqs(entries, sight))
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def issued_files(case: Case, sight: Sight) -> list[tuple[documents.Issued, bytes]]:
    """The documents issued in the case the audience may have, each with its checked bytes."""
    shown = [
        d
        for d in documents.issued_in(case)
        if not _for_employee_only(sight) or EMPLOYEE in d.audience
    ]
    return [documents.file_of(case, d.seq) for d in shown]


def _ledger_lines(entries: list[Entry], withheld: set[int], people: People) -> list[LedgerLine]:
    data = ledgerrows.payloads(entries)
    return [
        LedgerLine(e.seq, "withheld", "", "withheld", "", e.hash, True)
        if e.seq in withheld
        else LedgerLine(
            e.seq,
            e.kind,
            e.recorded_at[:19].replace("T", " ") + " UTC",
            ledgerrows.describe_entry(e.kind, data[e.seq], people),
            e.recorded_by,
            e.hash,
            False,
        )
        for e in entries
    ]


def _activities(raw: dict[str, Any], sight: Sight) -> list[dict[str, str]]:
    """The protected activities in the audience's case file, worded."""
    return [
        {
            "date": str(a.get("date", "")),
            "end": str(a.get("end_date", "")),
            "kind": activity_label(str(a.get("kind", ""))),
            "known_to": ", ".join(str(i) for i in a.get("known_to", [])),
            "note": str(a.get("note", "")),
        }
        for a in raw.get("protected_activities", [])
    ]


def _evidence(evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """A finding's evidence as the audience may see it (``privacy`` cut it), worded."""
    return [(humanize(k), _value(v)) for k, v in evidence.items() if v not in (None, "", [], ())]


def _value(value: object) -> str:
    """An evidence value as a reader reads it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _offers(raw: dict[str, Any], currency: str) -> list[dict[str, str]]:
    """Every offer the case file records, oldest first, worded."""
    return [
        {
            "date": str(e["date"]),
            "event": event_label(str(e["type"])),
            "tier": str(e["offer"].get("tier", "")),
            "amount": money(e["offer"]["amount"], currency) if "amount" in e["offer"] else "",
            "negotiated": "yes" if e["offer"].get("negotiated") else "no",
        }
        for e in raw.get("events", [])
        if isinstance(e.get("offer"), dict)
    ]


def contents(case: Case, sight: Sight, *, clock: Clock = SYSTEM_CLOCK) -> Contents:
    """The packet's HTML for ``sight``, and the files it carries."""
    entries = entries_of(case)
    record = casepage.record_for(case, sight, clock)
    raw, result = record.raw, record.result
    people = People(raw)
    withheld = withheld_seqs(entries, sight)
    issued = issued_files(case, sight)
    ledger = ledger_file(case, entries, sight)
    context = {
        **record.context,
        "case": case,
        "sight": sight,
        "for_employee": _for_employee_only(sight),
        "policy": case.policy,
        "opened": case.opened_at.date(),
        "made_on": today(clock),
        "findings": [(f, _evidence(f.evidence)) for f in record.context["findings"]],
        "activities": _activities(raw, sight),
        "offers": _offers(raw, result.currency),
        "lines": _ledger_lines(entries, withheld, people),
        "withheld": len(withheld),
        "chain_ok": first_break(entries) is None,
        "issued": [d for d, _ in issued],
        "ledger_name": ledger_name(case),
        "result": result,
        "timeline_printed": TIMELINE_STYLE,  # drawn with these colours, and no list
    }
    suffix = "record" if _for_employee_only(sight) else "packet"
    filename = f"{case.ref}.{suffix}.pdf"
    return Contents(filename, render_to_string(TEMPLATE, context), ledger, issued)


def render(case: Case, sight: Sight, *, clock: Clock = SYSTEM_CLOCK) -> Packet:
    """The packet PDF for ``sight``: the ledger JSON and the documents attached inside."""
    made = contents(case, sight, clock=clock)
    attachments = [
        Attachment(ledger_name(case), made.ledger, "The case's ledger: fairpivot ledger verify"),
        *(Attachment(document_name(d), body, d.title) for d, body in made.issued),
    ]
    out = pdf(made.html, attachments=attachments, created=clock.now())
    return Packet(made.filename, out, made.ledger, made.issued)
