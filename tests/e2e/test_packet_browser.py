"""Counsel downloads a case packet in a real browser, and the PDF reads back as the case.

Counsel signs in, opens the first case the dashboard lists with high findings, downloads
its packet from the case page's link, and the PDF's text (pdftotext) names the case and
the first finding the page shows. The server and the browser are the journeys' own
fixtures (a fresh demo, the production server, Debian's Chromium; failing, not skipping,
under CI=true).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.test_journeys import (  # the journeys' server and browser, as fixtures
    Journey,
    browser,
    journey,
    shots,
    site,
)

__all__ = ["browser", "journey", "shots", "site"]  # fixtures pytest finds by name
CASE_REF = re.compile(r"C-\d+")


def test_counsel_downloads_a_case_packet_that_shows_the_case_and_a_finding(
    journey: Journey, tmp_path: Path
) -> None:
    counsel = journey.as_("demo-counsel")
    counsel.goto("/dashboard/")
    high = counsel.get_by_role("region", name="Cases with high findings")
    first = high.get_by_role("link", name=CASE_REF).first
    ref = first.inner_text().strip()
    first.click()
    expect(counsel.get_by_role("heading", level=1)).to_be_visible()
    code = counsel.locator(".finding code").first.inner_text().strip()

    with counsel.expect_download() as waited:
        counsel.get_by_role("link", name="Download case packet (PDF)").click()
    download = waited.value
    assert download.suggested_filename == f"{ref}.packet.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert f"Case packet {ref}" in text
    assert code in text


def test_the_employee_sees_no_packet_link_on_their_case(journey: Journey) -> None:
    employee = journey.as_("demo-employee")
    employee.goto("/me/")
    expect(employee.get_by_role("link", name=re.compile("^Download my record"))).to_be_visible()
    expect(employee.get_by_role("link", name="Download case packet (PDF)")).to_have_count(0)
