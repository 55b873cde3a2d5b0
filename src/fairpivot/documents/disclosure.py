"""The OWBPA decisional-unit disclosure as a paper: HTML from the policy's template, then PDF.

Its template lives with the policy's letters (``documents.letters.templates``: the policy's
own folder first, then the shared defaults), so another company's process brings its own
wording; every value in it is HR's text or the HRIS's, escaped.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from fairpivot.documents.letters import templates
from fairpivot.documents.render import pdf
from fairpivot.domain.disclosure import Disclosure

TEMPLATE = "owbpa_disclosure"
TITLE = "Information about the group program (OWBPA disclosure)"
DEFAULT = "default"  # no policy's own folder: the shared defaults


def long_date(day: date) -> str:
    """A date as the papers print it: ``June 2, 2025``."""
    return f"{day:%B} {day.day}, {day.year}"


def html(disclosure: Disclosure, policy: str = DEFAULT, root: Path | None = None) -> str:
    """The disclosure as a self-contained HTML document, in ``policy``'s wording (its own
    folder under ``root``, for a company's own policy files)."""
    program = disclosure.program
    context = {
        "title": TITLE,
        "program": program,
        "program_date": long_date(program.program_date),
        "unit": program.unit or "the whole company",
        "rows": disclosure.rows,
        "selected": disclosure.selected,
        "not_selected": disclosure.not_selected,
        "total": disclosure.selected + disclosure.not_selected,
    }
    return templates.render(policy, TEMPLATE, context, root)


def disclosure_pdf(disclosure: Disclosure, *, created: datetime, policy: str = DEFAULT) -> bytes:
    """The disclosure's PDF, the same bytes for the same program, people and moment."""
    return pdf(html(disclosure, policy), created=created)
