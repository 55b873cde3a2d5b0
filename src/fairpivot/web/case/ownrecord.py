"""The employee's own record: one zip of everything about them they may see, to take to
their own lawyer.

It holds their case file, their ledger, the documents issued to them and a packet PDF, all
cut to ``privacy.OWN_RECORD``: nothing that is HR's alone (their demographics, what the
review found of who knew of a protected activity, HR's notes, a panelist's vote, the hold
and sign-off workflow). A ledger entry they may not read is listed by number and hash only.
"""

from __future__ import annotations

import io
import json
import zipfile

from fairpivot.records.cases.transfer import export_case
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case
from fairpivot.web import privacy
from fairpivot.web.case import packet

SIGHT = privacy.OWN_RECORD

README = """The record of case {ref}, as fairpivot holds it on {day}.

{ref}.casefile.json   the case file: the events and facts of the case
{ref}.ledger.json     the case's ledger, every entry chained by its SHA-256
{ref}.record.pdf      the same record to read: summary, timeline, findings, deadlines,
                      options, events, statements, documents and every ledger entry
documents/            the documents issued to you, each named by its ledger entry

To check that the ledger is the one recorded, run:
    fairpivot ledger verify --file {ref}.ledger.json
Entries marked "withheld" hold facts kept for HR (such as a panelist's vote, or HR's notes);
they are listed by number and hash, so the chain can still be checked.
A document's SHA-256 (sha256sum) equals the hash its ledger entry holds.
"""


def names(case: Case) -> list[str]:
    """The files of the zip, in order (without the documents)."""
    return [
        "README.txt",
        f"{case.ref}.casefile.json",
        packet.ledger_name(case),
        f"{case.ref}.record.pdf",
    ]


def build(case: Case, *, clock: Clock = SYSTEM_CLOCK) -> bytes:
    """The zip of the employee's own record of ``case``."""
    made = packet.render(case, SIGHT, clock=clock)
    casefile = privacy.case_file(SIGHT, export_case(case))
    now = clock.now()
    readme = README.format(ref=case.ref, day=now.date().isoformat())
    files = dict(
        zip(
            names(case),
            [
                readme.encode("utf-8"),
                json.dumps(casefile, indent=2, ensure_ascii=False).encode("utf-8"),
                made.ledger,
                made.pdf,
            ],
            strict=True,
        )
    )
    files |= {f"documents/{packet.document_name(d)}": body for d, body in made.issued}
    out = io.BytesIO()
    # Dated by the clock, not the machine, so one record at one moment is one zip.
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content)
    return out.getvalue()
