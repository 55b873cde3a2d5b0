"""The OWBPA decisional-unit disclosure as a paper: HTML from the policy's template, then PDF.

Templates live with the policies (``domain/policies/templates/<policy>/``), with a shared
``default`` set, so another company's process brings its own wording; a policy without its
own disclosure uses the default one. The templates are rendered by Django's template engine
used on its own, escaping on: every value in them is HR's text or the HRIS's.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from django.template import Context, Engine

from fairpivot.documents.render import pdf
from fairpivot.domain.disclosure import Disclosure

TEMPLATE = "owbpa_disclosure.html"
TITLE = "Information about the group program (OWBPA disclosure)"
TEMPLATES = Path(__file__).resolve().parent.parent / "domain" / "policies" / "templates"
DEFAULT = "default"


@cache
def _engine(policy: str) -> Engine:
    """An engine that finds the policy's own templates first, then the default set."""
    dirs = [TEMPLATES / name for name in dict.fromkeys([policy, DEFAULT]) if name]
    return Engine(dirs=[str(d) for d in dirs if d.is_dir()], autoescape=True)


def long_date(day: date) -> str:
    """A date as the papers print it: ``June 2, 2025``."""
    return f"{day:%B} {day.day}, {day.year}"


def html(disclosure: Disclosure, policy: str = DEFAULT) -> str:
    """The disclosure as a self-contained HTML document, in ``policy``'s wording."""
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
    return _engine(policy).get_template(TEMPLATE).render(Context(context))


def disclosure_pdf(disclosure: Disclosure, *, created: datetime, policy: str = DEFAULT) -> bytes:
    """The disclosure's PDF, the same bytes for the same program, people and moment."""
    return pdf(html(disclosure, policy), created=created)
