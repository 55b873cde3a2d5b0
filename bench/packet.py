"""Render time of counsel's case packet for the demo's longest case, against a bare one-page
WeasyPrint render measured in the same run.

Run with ``make bench-packet`` (or ``.venv/bin/python bench/packet.py --runs 7``). Seeds the
demo into a throwaway SQLite database, picks the case with the most ledger entries, and
renders its packet ``--runs`` times after one warm-up, each from a cold record (the page's
kept records forgotten), reporting the median and the slowest. The budget is 2 s a packet.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

BUDGET_SECONDS = 2.0
PARAGRAPH = "<p>One paragraph of a one-page letter, set in the house style.</p>"
ONE_PAGE = "<h1>A letter</h1>" + PARAGRAPH * 12


def timings(run: Callable[[], object], runs: int) -> list[float]:
    """Seconds each of ``runs`` calls of ``run`` took, after one warm-up call."""
    run()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        out.append(time.perf_counter() - started)
    return out


def page_count(pdf: bytes) -> str:
    """The PDF's number of pages, as poppler's pdfinfo reads it ("?" without poppler)."""
    if shutil.which("pdfinfo") is None:
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run(["pdfinfo", file.name], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return found.group(1) if found else "?"


def main() -> int:
    """Seed the demo, time both renders, print the table; exit 1 over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fairpivot-bench-packet-") as folder:
        os.environ["FAIRPIVOT_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        return measure(args.runs)


def measure(runs: int) -> int:
    """Time the bare render and the packet on a freshly seeded demo."""
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from fairpivot.demo.seed import ensure_demo  # noqa: PLC0415
    from fairpivot.demo.web import ensure_web_demo  # noqa: PLC0415
    from fairpivot.documents.render import pdf  # noqa: PLC0415
    from fairpivot.records.models import Case  # noqa: PLC0415
    from fairpivot.records.schema import migrate  # noqa: PLC0415
    from fairpivot.web import privacy  # noqa: PLC0415
    from fairpivot.web.case import caserecord, packet  # noqa: PLC0415

    migrate()
    ensure_demo()
    ensure_web_demo()
    case = Case.objects.order_by("-version", "id").first()
    if case is None:
        print("bench-packet: the demo made no case", file=sys.stderr)
        return 1

    def cold_packet() -> bytes:
        caserecord.forget()  # a download builds its record; none is kept from a page
        return packet.render(case, privacy.FULL).pdf

    bare = timings(lambda: pdf(ONE_PAGE), runs)
    made = timings(cold_packet, runs)
    pages = page_count(cold_packet())
    print(f"{runs} runs each, after one warm-up; seconds per render")
    print(f"{'render':<44} {'median':>7} {'slowest':>8}")
    print(f"{'bare WeasyPrint, one page':<44} {statistics.median(bare):>7.3f} {max(bare):>8.3f}")
    label = f"packet of {case.ref} ({case.version} entries, {pages} pages)"
    print(f"{label:<44} {statistics.median(made):>7.3f} {max(made):>8.3f}")
    ratio = statistics.median(made) / statistics.median(bare)
    verdict = "met" if statistics.median(made) < BUDGET_SECONDS else "MISSED"
    print(f"packet / bare: {ratio:.1f}x; budget {BUDGET_SECONDS} s: {verdict}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
