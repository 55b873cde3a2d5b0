"""A group program in a real browser: HR sets one up over a demo team, reads its disclosure,
issues it, and downloads the PDF, whose table counts the whole team.

One server on a fresh SQLite demo for the module, as test_csp_browser.py runs it; the team's
people are read from that demo's database to pick two to select, as HR would from the HRIS.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from fairpivot.records.clock import SYSTEM_CLOCK, today
from tests.e2e.browsing import TIMEOUT_MS, chromium, serving
from tests.e2e.server import Demo, logins

UNIT = "Retail/Checkout"
DAY = today(SYSTEM_CLOCK)  # the program's date: the demo's team as the server sees it today


@dataclass(frozen=True, slots=True)
class Site:
    """The running demo: its address, a login per role, and the team's people on the day."""

    url: str
    logins: dict[str, tuple[str, str]]
    team: list[str]  # the employee ids of UNIT's people still there today


def _team(database: Path) -> list[str]:
    today = DAY.isoformat()
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT employee_id FROM records_employee WHERE (org = ? OR org LIKE ?) "
            "AND (exit_date IS NULL OR exit_date >= ?) AND (hire_date IS NULL OR hire_date <= ?)"
            " ORDER BY employee_id",
            (UNIT, UNIT + "/%", today, today),
        )
        return [str(row[0]) for row in rows]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_demo: Demo) -> Iterator[Site]:
    """A demo on a fresh SQLite database, served on a free port."""
    folder = tmp_path_factory.mktemp("programs")
    env, printed = sqlite_demo.copy(folder)
    team = _team(folder / "data" / "fairpivot.sqlite3")
    with serving(env, folder) as url:
        yield Site(url, logins(printed), team)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright (a failure, not a skip, under CI)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def hr(site: Site, browser: Browser) -> Iterator[Page]:
    """The demo HR partner, signed in."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    username, password = site.logins["hr"]
    page.goto(f"{site.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    try:
        yield page
    finally:
        context.close()


def test_hr_sets_up_a_program_issues_it_and_downloads_the_disclosure(
    site: Site, hr: Page, tmp_path: Path
) -> None:
    assert len(site.team) >= 3, site.team
    hr.get_by_role("link", name="Group programs").click()
    hr.fill("#program-name", "Checkout consolidation")
    hr.fill("#program-unit", UNIT)
    hr.fill("#program-eligibility", "Everyone in Checkout.")
    hr.fill("#program-selection", "The roles the new platform does not keep.")
    hr.fill("#program-date", DAY.isoformat())
    hr.fill("#program-consider", "30")  # too few for a group program: refused, named
    hr.fill("#program-selected", " ".join(site.team[:2]))
    hr.click("#set-up-program button[type=submit]")
    expect(hr.locator("#problem")).to_contain_text("consideration_days: at least 45 days")

    hr.fill("#program-consider", "45")
    hr.click("#set-up-program button[type=submit]")
    expect(hr.locator("h1")).to_have_text("Checkout consolidation")
    total = hr.locator("main table tr").last
    expect(total).to_contain_text(re.compile(rf"Total\s*2\s*{len(site.team) - 2}$"))

    hr.click("#issue-disclosure")
    expect(hr.locator(".messages")).to_contain_text("Disclosure issued in")

    with hr.expect_download() as caught:
        hr.click("#download-disclosure")
    path = tmp_path / "disclosure.pdf"
    caught.value.save_as(path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert f"The decisional unit is {UNIT}" in " ".join(text.split())
    assert f"Total in the unit: {len(site.team)}" in text
