"""Draw the first page of each letter, made from the demo, as docs/documents/<letter>.png.

``make letter-pictures`` runs it. The demo is seeded into a throwaway SQLite database; each
letter is made from the first demo case whose record supports it (an agreement the review
flags is passed over), rendered as it would be issued today, and its first page drawn by
``pdftoppm -png -r 60`` (poppler-utils).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "docs" / "documents"


def main() -> int:
    """Seed the demo in a temporary folder, then draw each letter's first page."""
    with tempfile.TemporaryDirectory(prefix="fairpivot-letters-") as folder:
        os.environ.pop("DATABASE_URL", None)
        os.environ["FAIRPIVOT_DATA_DIR"] = folder
        from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

        setup_django()
        from fairpivot.demo.seed import ensure_demo  # noqa: PLC0415
        from fairpivot.records import schema  # noqa: PLC0415

        schema.ensure_schema()
        ensure_demo()
        OUT.mkdir(parents=True, exist_ok=True)
        for name, html in letters().items():
            draw(name, html, Path(folder))
    return 0


def letters() -> dict[str, str]:
    """Each letter's HTML, from the first demo case whose record supports it."""
    from fairpivot.documents.letters import LETTERS, LetterRefused  # noqa: PLC0415
    from fairpivot.records.cases import issuing  # noqa: PLC0415
    from fairpivot.records.cases.commands import Situation, letters_now  # noqa: PLC0415
    from fairpivot.records.models import Case  # noqa: PLC0415

    found: dict[str, str] = {}
    for case in Case.objects.order_by("id"):
        situation = Situation(case)
        for name, _ in letters_now(situation):
            if name in found:
                continue
            try:
                composed = issuing.preview(case, situation.loaded, name, situation.clock)
            except LetterRefused:
                continue
            found[name] = composed.html
        if len(found) == len(LETTERS):
            break
    missing = sorted(set(LETTERS) - set(found))
    if missing:
        print(f"no demo case supports: {', '.join(missing)}", file=sys.stderr)
    return found


def draw(name: str, html: str, folder: Path) -> None:
    """Page 1 of the letter's PDF as ``OUT/name.png``."""
    from fairpivot.documents.render import pdf  # noqa: PLC0415

    path = folder / f"{name}.pdf"
    path.write_bytes(pdf(html, created=datetime.now(UTC)))
    target = OUT / name
    drawer = shutil.which("pdftoppm")
    if drawer is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to draw the pictures")
    page_one = ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([drawer, *page_one, str(path), str(target)], check=True)  # noqa: S603 (our paths)
    print(f"wrote {target}.png", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
