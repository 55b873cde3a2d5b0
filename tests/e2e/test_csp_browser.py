"""The Content-Security-Policy in a real browser: nothing on the pages or in the API docs is
blocked by it, and the docs' Swagger UI draws, from this server's own files.

The integration tests check the header and that no page has inline script or style; only
a browser says whether what a page loads, and what its scripts then do, keeps to the
policy. One server on a fresh SQLite demo for the module; Chromium reports each blocked
load or script on the console, and each such report fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.browsing import TIMEOUT_MS, chromium, serving
from tests.e2e.server import Demo, logins


@dataclass(frozen=True, slots=True)
class Site:
    """The running demo: its address and a login per role."""

    url: str
    logins: dict[str, tuple[str, str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_demo: Demo) -> Iterator[Site]:
    """A demo on a fresh SQLite database, served on a free port."""
    folder = tmp_path_factory.mktemp("csp")
    env, printed = sqlite_demo.copy(folder)
    with serving(env, folder) as url:
        yield Site(url, logins(printed))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    with chromium() as launched:
        yield launched


@dataclass
class Watched:
    """A signed-in page and what the browser reported while it was used."""

    page: Page
    reports: list[str]


def signed_in(site: Site, browser: Browser, role: str) -> Iterator[Watched]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: reports.append(f"page error: {e}"))
    username, password = site.logins[role]
    page.goto(f"{site.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    try:
        yield Watched(page, reports)
    finally:
        context.close()


@pytest.fixture
def hr(site: Site, browser: Browser) -> Iterator[Watched]:
    """The demo HR partner, signed in."""
    yield from signed_in(site, browser, "hr")


def blocked(reports: list[str]) -> list[str]:
    return [r for r in reports if "Content Security Policy" in r or "page error" in r]


def test_no_page_breaks_the_policy(site: Site, hr: Watched) -> None:
    page = hr.page
    for path in ("/dashboard/", "/access-log/", "/analytics/"):
        page.goto(site.url + path)
        page.wait_for_load_state("load")
    page.goto(site.url + "/dashboard/")
    page.locator("main a[href^='/cases/C-']").first.click()
    page.wait_for_load_state("load")

    assert "/cases/C-" in page.url
    assert blocked(hr.reports) == []


def test_the_api_docs_draw_swagger_ui_within_the_policy(site: Site, hr: Watched) -> None:
    page = hr.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))

    page.goto(f"{site.url}/api/v1/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    page.locator(".opblock").first.wait_for()

    assert "fairpivot" in title.inner_text()
    assert requested
    assert all(url.startswith(site.url) for url in requested), requested
    assert blocked(hr.reports) == []
