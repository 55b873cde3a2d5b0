"""The Pivot letter in a real browser: HR previews and issues it from the case page, and the
employee finds it on My case, downloads it, and reads the offer's amount and date in it.

One server (``fairpivot serve``) on a fresh demo, SQLite or its own database on the
throwaway PostgreSQL server with ``--db=postgres``; Debian's Chromium through Playwright.
The downloaded PDF is read with ``pdftotext`` (poppler-utils), and its figures are checked
against what My case shows the employee: the severance option's cash and its decide-by
date, as the review gives them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from fairpivot.documents.letters.facts import say_date
from tests.e2e.browsing import TIMEOUT_MS, chromium, serving
from tests.e2e.server import Demo, logins

ISSUE = "Issue a letter"

expect.set_options(timeout=TIMEOUT_MS)


@dataclass(frozen=True, slots=True)
class Site:
    """The running demo: its address and a login per role."""

    url: str
    logins: dict[str, tuple[str, str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> Iterator[Site]:
    """A fresh demo served by the production server on a free port."""
    folder = tmp_path_factory.mktemp("letters")
    env, printed = demo.copy(folder)
    with serving(env, folder) as url:
        yield Site(url, logins(printed))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright (a failure, not a skip, in CI)."""
    with chromium() as launched:
        yield launched


def signed_in(site: Site, browser: Browser, role: str) -> Page:
    """A page of a browser context of its own, signed in through the login form."""
    context = browser.new_context(base_url=site.url, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    username, password = site.logins[role]
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def pdf_text(path: Path) -> str:
    """The PDF's text as ``pdftotext -layout`` reads it, its whitespace run together."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: .ci/run installs it"
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def severance_terms(page: Page) -> tuple[str, date]:
    """The severance option's cash and decide-by date, as My case shows them."""
    options = page.locator("table.options")
    heading = options.locator("thead th").filter(has_text=re.compile(r"^Severance"))
    expect(heading).to_have_count(1)
    column = int(heading.evaluate("th => th.cellIndex"))
    cash = options.locator("tbody tr").nth(0).locator("td, th").nth(column).inner_text()
    decide = options.locator("tbody tr").nth(2).locator("td, th").nth(column).inner_text()
    day = re.search(r"\d{4}-\d{2}-\d{2}", decide)
    assert day is not None, decide
    return cash.strip(), date.fromisoformat(day.group())


def test_hr_issues_the_pivot_letter_and_the_employee_downloads_it(
    site: Site, browser: Browser, tmp_path: Path
) -> None:
    employee = signed_in(site, browser, "employee")
    employee.goto("/me/")
    whole = employee.get_by_role("link", name=re.compile(r"^See the whole case C-"))
    ref = re.sub(r".*(C-\d+).*", r"\1", whole.inner_text())
    cash, decide_by = severance_terms(employee)

    hr = signed_in(site, browser, "hr")
    blocked: list[str] = []
    hr.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    hr.goto(f"/cases/{ref}/")
    hr.get_by_role("link", name="Preview the pivot letter").click()
    expect(hr.get_by_role("heading", name="Pivot letter")).to_be_visible()
    expect(hr.get_by_text("Option 1: leave with severance")).to_be_visible()
    # The letter's own style sheets are let in by hash: the table is drawn with its borders.
    cell = hr.locator("table.side td").first
    assert cell.evaluate("td => getComputedStyle(td).borderTopStyle") == "solid"
    assert blocked == []
    hr.go_back()
    summary = hr.locator("summary").filter(has_text=re.compile(f"^{ISSUE}$"))
    summary.click()
    form = hr.get_by_role("form", name=ISSUE)
    form.get_by_label("Letter").select_option(label="Pivot letter")
    form.get_by_role("button", name=ISSUE).click()
    expect(hr.locator(".messages")).to_contain_text("Recorded.")
    expect(hr.locator("#papers table.papers")).to_contain_text("Pivot letter")

    employee.goto("/me/")
    letters = employee.locator("section").filter(
        has=employee.get_by_role("heading", name="Your letters")
    )
    with employee.expect_download() as downloading:
        letters.get_by_role("link", name="Pivot letter").click()
    download = downloading.value
    assert download.suggested_filename.startswith(f"{ref}-pivot-letter-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = pdf_text(saved)

    assert cash in text
    assert say_date(decide_by) in text
    assert f"Choose an option {say_date(decide_by)}" in text
