"""Draw page 1 of a sample OWBPA disclosure as a PNG, for docs/documents.md.

Usage: python tools/disclosure_picture.py docs/documents/owbpa-disclosure.png

The unit is made up here (no database): twelve people of three job titles, four selected.
The PDF is rendered exactly as fairpivot renders the disclosures it issues, then its first
page is drawn at 60 dpi by poppler's pdftoppm.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

DAY = date(2025, 6, 2)
# (title, grade, birth date, selected)
UNIT = [
    ("Software Development Engineer", "L5", date(1980, 6, 2), True),
    ("Software Development Engineer", "L5", date(1980, 6, 1), True),
    ("Software Development Engineer", "L5", date(1980, 6, 3), False),
    ("Software Development Engineer", "L4", date(1995, 1, 10), False),
    ("Software Development Engineer", "L4", date(1996, 3, 3), False),
    ("Operations Analyst", "L5", date(1970, 12, 31), True),
    ("Operations Analyst", "L5", date(1985, 7, 7), False),
    ("Operations Analyst", "L5", date(1985, 7, 7), False),
    ("Software Development Manager", "M1", date(1965, 2, 2), True),
    ("Software Development Manager", "M1", date(1990, 5, 5), False),
    ("Operations Analyst", "L4", date(2000, 6, 2), False),
    ("Operations Analyst", "L4", date(1975, 11, 11), False),
]


def main(out: Path) -> None:
    """Render the sample disclosure and draw its first page at ``out``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairpivot.config.settings")
    import django  # noqa: PLC0415  (after the settings are named)

    django.setup()
    from fairpivot.documents.disclosure import disclosure_pdf  # noqa: PLC0415
    from fairpivot.domain.disclosure import GroupProgram, UnitMember, disclose  # noqa: PLC0415

    people = [
        UnitMember(f"E-{n}", "Retail/Checkout", title, grade, born, None, None)
        for n, (title, grade, born, _) in enumerate(UNIT, start=1)
    ]
    program = GroupProgram(
        name="Checkout consolidation 2025",
        unit="Retail/Checkout",
        covered="",
        eligibility_factors="Every engineer, analyst and manager of Retail/Checkout whose "
        "work moves to the Payments platform on July 1, 2025.",
        selection_factors="Among those eligible, the roles the Payments platform does not "
        "keep: one engineering manager, two L5 engineers and one L5 analyst, chosen by the "
        "skills the new platform needs, as written in the consolidation plan.",
        consideration_days=45,
        revocation_days=7,
        program_date=DAY,
        selected=tuple(p.ref for p, row in zip(people, UNIT, strict=True) if row[3]),
    )
    content = disclosure_pdf(disclose(program, people), created=datetime(2025, 6, 2, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "disclosure.pdf"
        pdf.write_bytes(content)
        stem = Path(folder) / "page"
        # poppler's own tool on the PATH, with fixed arguments and our own file.
        draw = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*draw, str(pdf), str(stem)], check=True)  # noqa: S603
        out.write_bytes(stem.with_suffix(".png").read_bytes())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
