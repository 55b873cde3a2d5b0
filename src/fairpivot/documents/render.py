"""HTML to PDF with WeasyPrint, in Debian's DejaVu fonts, with optional files attached.

Every document fairpivot issues goes through ``pdf``, so each is laid out the same way and
carries the same metadata. Nothing is fetched from the network: a document's HTML is
self-contained (its pictures inline), and the URL fetcher refuses any other address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

PDF = "application/pdf"
HTML = "text/html; charset=utf-8"

# The house style of every document: A4/Letter-safe margins, a readable body size, page
# numbers in the footer. A document's own template adds to it.
STYLE = """
@page { size: letter; margin: 22mm 20mm 24mm 20mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font-size: 8.5pt; color: #555; } }
html { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.4; color: #111; }
h1, h2, h3, th { font-family: "DejaVu Sans", sans-serif; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 0.5pt solid #999; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; font-size: 9.5pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.small { font-size: 8.5pt; color: #333; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
"""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file embedded in a PDF (the ledger JSON in counsel's packet, say)."""

    name: str
    content: bytes
    description: str = ""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents are self-contained; refusing to fetch {url}")


def pdf(
    html: str,
    *,
    attachments: Sequence[Attachment] = (),
    created: datetime | None = None,
) -> bytes:
    """The PDF of a self-contained HTML document, with ``attachments`` embedded.

    ``created`` stamps the PDF's creation date (the moment of issue), so a document
    rendered again from the same record and moment is the same file.
    """
    import weasyprint  # noqa: PLC0415  (heavy; only what renders pays for it)

    embedded = [
        weasyprint.Attachment(
            string=item.content,
            name=item.name,
            description=item.description or item.name,
            created=created,
            modified=created,
        )
        for item in attachments
    ]
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetch)
    options: dict[str, Any] = {"stylesheets": [weasyprint.CSS(string=STYLE)]}
    if embedded:
        options["attachments"] = embedded
    if created is not None:
        rendered = document.render(**options)
        stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
        rendered.metadata.created = stamp
        rendered.metadata.modified = stamp
        out: bytes = rendered.write_pdf(**options)
        return out
    out = document.write_pdf(**options)
    return out
