"""Five cases taken to each end in a real browser, by the people who take each step.

Each journey opens a new case: the demo manager picks a report without one on My team,
opens it with their annual pay, documents a concern and asks for Focus and then Pivot, each
held for HR, who signs it off on the case page (under ``amazon-pivot`` every adverse step a
manager asks for waits for HR). From there the employee, HR, the manager and three
panelists take it to one end each: a passed plan, signed severance, an appeal won, an appeal
lost with a tier-3 offer signed and then revoked, and a negotiated offer signed. Only pages
and forms: nothing is typed as JSON and nothing is written to the database, except the
logins ``tests/e2e/journey_people.py`` gives the reports before the server starts.

One server (the production one, ``fairpivot serve``) and one browser per module, on a fresh
demo: SQLite, or its own database on the throwaway PostgreSQL server with ``--db=postgres``.
The stage is checked on the page after each step, and no response may be a server error.
Screenshots of the telling moments go to the folder ``FAIRPIVOT_SCREENSHOTS`` names (``make
screenshots`` sets it to docs/screenshots), else to a temporary folder.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Response,
    expect,
)

from fairpivot.records.clock import SYSTEM_CLOCK, today
from tests.e2e.browsing import TIMEOUT_MS, chromium, serving
from tests.e2e.server import Demo, python

# Every login the demo prints, the extra panelists' (``panelist-2 demo-panelist-2 ...``) too.
DEMO_LOGIN = re.compile(r"^\s+[\w-]+\s+(demo-[\w-]+)\s+(\S+)$", re.MULTILINE)
PANELISTS = ("demo-panelist", "demo-panelist-2", "demo-panelist-3")
PIVOT = "Offer Pivot: severance or an improvement plan"
FOCUS = "Start Focus (the employee is told)"
HELD = "Sent to HR: HR reviews this step before it is recorded."

expect.set_options(timeout=TIMEOUT_MS)


def server_today() -> date:
    """Today as the server counts days: in the deployment's time zone, as its settings say."""
    return today(SYSTEM_CLOCK)


@dataclass(frozen=True, slots=True)
class Report:
    """A report of the demo manager with no case yet, and the login they sign in with."""

    username: str
    name: str
    aged_40_or_over: bool


@dataclass
class Site:
    """The running server, its logins, and the reports no journey has taken yet."""

    url: str
    passwords: dict[str, str]
    reports: list[Report]

    def claim(self, *, aged_40_or_over: bool | None = None) -> Report:
        """A report no other journey has used (of the age asked for): each journey's own case."""
        for report in self.reports:
            if aged_40_or_over is None or report.aged_40_or_over == aged_40_or_over:
                self.reports.remove(report)
                return report
        pytest.fail(f"no report without a case left (aged 40 or over: {aged_40_or_over})")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo: Demo) -> Iterator[Site]:
    """A fresh demo, its manager's reports given logins, served by the production server."""
    folder = tmp_path_factory.mktemp("journeys")
    env, printed = demo.copy(folder)
    passwords = dict(DEMO_LOGIN.findall(printed))
    assert {"demo-hr", "demo-manager", *PANELISTS} <= set(passwords), printed
    password = secrets.token_urlsafe(16)
    people = python(env, "-m", "tests.e2e.journey_people", password)
    assert people.returncode == 0, people.stderr
    reports = []
    for line in people.stdout.splitlines():
        username, name, age = line.split("\t")
        reports.append(Report(username, name, age == "40+"))
        passwords[username] = password
    with serving(env, folder) as url:
        yield Site(url, passwords, reports)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright; under CI its absence fails the run."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where screenshots go."""
    named = os.environ.get("FAIRPIVOT_SCREENSHOTS")
    # Not pytest's tmp_path: a folder of its own, kept after the run for looking at.
    folder = Path(named) if named else Path(tempfile.mkdtemp(prefix="fairpivot-journeys-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Journey:
    """One case's journey: each person signed in once, in a browser context of their own."""

    site: Site
    browser: Browser
    shots: Path
    report: Report = field(init=False)  # claimed when the manager opens the case
    case_ref: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    contexts: list[BrowserContext] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_(self, username: str) -> Page:
        """``username``'s page, signed in through the login form the first time."""
        if username not in self.pages:
            context = self.browser.new_context(
                base_url=self.site.url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(TIMEOUT_MS)
            self.contexts.append(context)
            page = context.new_page()
            page.on("response", self._note_server_error)
            page.goto("/login/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(self.site.passwords[username])
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
            self.pages[username] = page
        return self.pages[username]

    def _note_server_error(self, response: Response) -> None:
        if response.status >= 500:
            self.errors.append(f"{response.status} {response.request.method} {response.url}")

    @property
    def manager(self) -> Page:
        """The demo manager, on the case page."""
        return self.on_case("demo-manager")

    @property
    def hr(self) -> Page:
        """HR, on the case page."""
        return self.on_case("demo-hr")

    @property
    def employee(self) -> Page:
        """The employee, on My case."""
        page = self.as_(self.report.username)
        page.goto("/me/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"My case · {self.case_ref}")
        return page

    def on_case(self, username: str) -> Page:
        """``username`` on this journey's case page."""
        page = self.as_(username)
        page.goto(f"/cases/{self.case_ref}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(self.report.name)
        return page

    def shoot(self, page: Page, name: str, at: Locator | None = None) -> None:
        """Save what the window shows as ``name``.png, scrolled to ``at`` if given.

        Not the full page: a case page with its ledger is too long to read as one image.
        """
        if at is not None:
            # A little of what is above the form stays in view, for context.
            at.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -150); }")
        page.screenshot(path=self.shots / f"{name}.png")

    def shoot_form(self, form: Locator, name: str) -> None:
        """Save the whole of an opened action form, its summary too, as ``name``.png."""
        form.locator("xpath=..").screenshot(path=self.shots / f"{name}.png")


@pytest.fixture
def journey(browser: Browser, site: Site, shots: Path) -> Iterator[Journey]:
    """A journey for a report of its own; fails if any page it loaded was a server error."""
    found = Journey(site, browser, shots)
    yield found
    for context in found.contexts:
        context.close()
    assert not found.errors, f"server errors: {found.errors}"


# What the pages show, found as a person finds it


def action_form(page: Page | Locator, label: str) -> Locator:
    """The form of an action, opened if it is not already: its summary names it, as does it."""
    summary = page.locator("summary").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    if summary.locator("..").get_attribute("open") is None:
        summary.click()
    return page.get_by_role("form", name=label)


def choose(select: Locator, option: re.Pattern[str]) -> None:
    """Pick the one option of ``select`` whose text matches ``option``."""
    found = select.locator("option").filter(has_text=option)
    expect(found).to_have_count(1)
    select.select_option(label=found.inner_text())


def submit(form: Locator, label: str) -> None:
    """Press the form's button, named after the action."""
    form.get_by_role("button", name=label).click()


def expect_stage(page: Page, label: str) -> None:
    """The case page's stage card says ``label``."""
    card = page.locator(".card").filter(has=page.get_by_text("Stage", exact=True))
    expect(card.locator("strong")).to_have_text(label)


def expect_message(page: Page, text: str) -> None:
    """The status message at the top of the page says ``text``."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_recorded(page: Page, stage: str) -> None:
    """The step was recorded and the case moved to ``stage``."""
    expect_message(page, f"Recorded. The case is now at: {stage}.")


def expect_employee_sees(journey: Journey, stage: str) -> None:
    """My case says where the case stands."""
    status = journey.employee.locator(".status")
    expect(status).to_contain_text(f"Where it stands: {stage}")


def approve_held(journey: Journey, step: str, stage: str) -> Page:
    """HR decides the manager's held ``step`` on the case page: approved, in writing."""
    hr = journey.hr
    hold = hr.get_by_role("region", name="Held for HR sign-off")
    expect(hold).to_contain_text(f"{step} of {server_today().isoformat()}, asked for by")
    form = action_form(hold, "Decide a held step")
    form.get_by_label("Decision").select_option(label="Approve")
    form.get_by_label("Written justification").fill("Read the concern and the record; it holds.")
    submit(form, "Decide a held step")
    expect_recorded(hr, stage)
    expect_stage(hr, stage)
    expect(hr.get_by_role("region", name="Held for HR sign-off")).to_have_count(0)
    return hr


def manager_asks(journey: Journey, form: Locator, label: str, stage: str) -> None:
    """The manager's adverse step is sent to HR, and the case stays where it was."""
    submit(form, label)
    manager = journey.pages["demo-manager"]
    expect_message(manager, HELD)
    expect_stage(manager, stage)


# The first part of every journey


def open_case(journey: Journey, *, aged_40_or_over: bool | None) -> None:
    """The manager opens a case for a report without one from My team, with their annual pay."""
    journey.report = journey.site.claim(aged_40_or_over=aged_40_or_over)
    manager = journey.as_("demo-manager")
    manager.goto("/team/")
    row = manager.get_by_role("row").filter(has_text=journey.report.name)
    expect(row).to_contain_text("No case")
    row.get_by_label(re.compile("^Annual base pay")).fill("96000")
    row.get_by_role("button", name=re.compile("^Open a case")).click()
    expect_message(manager, f"for {journey.report.name}. Take the first step here.")
    heading = manager.get_by_role("heading", level=1)
    expect(heading).to_contain_text(journey.report.name)
    found = re.search(r"case (C-\d+)", heading.inner_text())
    assert found, heading.inner_text()
    journey.case_ref = found.group(1)
    expect_stage(manager, "Good standing")


def up_to_pivot(journey: Journey, *, aged_40_or_over: bool | None = None) -> None:
    """A new case, a concern, Focus and Pivot, each adverse step held for HR and signed off."""
    open_case(journey, aged_40_or_over=aged_40_or_over)
    manager = journey.manager
    form = action_form(manager, "Document a concern")
    form.get_by_label("Concern").fill("Missed the last two monthly report deadlines.")
    submit(form, "Document a concern")
    expect_message(manager, "Recorded.")
    expect_stage(manager, "Good standing")

    form = action_form(manager, FOCUS)
    form.locator('[name="goals-0-text"]').fill("Deliver the monthly report on time")
    manager_asks(journey, form, FOCUS, "Good standing")
    approve_held(journey, "Focus started", "Focus")

    manager = journey.manager
    # The form starts from the policy's offer and a plan of the policy's length.
    form = action_form(manager, PIVOT)
    expect(form.get_by_label("Tier")).to_have_value("1")
    expect(form.get_by_label("Days to consider the offer")).to_have_value("21")
    form.locator('[name="goals-0-text"]').fill("Deliver the monthly report on time")
    form.locator('[name="goals-0-measure"]').fill("three months in a row")
    # The policy's 5 days to decide, prefilled, would cut the 21 days to consider the
    # release below the ADEA's minimum for an employee aged 40 or over, and be refused.
    form.get_by_label("Days to decide").fill("21")
    manager_asks(journey, form, PIVOT, "Focus")
    approve_held(journey, "Pivot offered", "Pivot offered")
    expect_employee_sees(journey, "Pivot offered")


def take_the_plan(journey: Journey) -> None:
    """The employee takes the improvement plan offered with Pivot."""
    employee = journey.employee
    submit(action_form(employee, "Take the improvement plan"), "Take the improvement plan")
    expect_recorded(employee, "In an improvement plan")
    expect_stage(journey.manager, "In an improvement plan")


def fail_the_plan_and_appeal(journey: Journey) -> None:
    """The manager fails the plan (held, signed off); the employee files an appeal."""
    take_the_plan(journey)
    form = action_form(journey.manager, "Fail the plan")
    form.get_by_label("Note").fill("The report was late again in the plan's second month.")
    manager_asks(journey, form, "Fail the plan", "In an improvement plan")
    approve_held(journey, "Plan failed", "Plan failed")
    employee = journey.employee
    submit(action_form(employee, "File an appeal"), "File an appeal")
    expect_recorded(employee, "Appeal pending")


def seat_the_panel(journey: Journey, *, shot: str | None = None) -> None:
    """HR seats the three demo panelists from the case page."""
    hr = journey.hr
    expect_stage(hr, "Appeal pending")
    form = action_form(hr, "Seat the appeal panel")
    for username in PANELISTS:
        form.get_by_label(re.compile(rf"\({re.escape(username)}\)$")).check()
    if shot:
        journey.shoot(hr, shot, at=form)
    submit(form, "Seat the appeal panel")
    expect_message(hr, "Recorded.")
    expect_stage(hr, "Appeal pending")


def panel_votes(journey: Journey, votes: tuple[str, str, str], stage: str) -> Page:
    """Each panelist votes from My panels; the last vote decides."""
    for cast, (username, vote) in enumerate(zip(PANELISTS, votes, strict=True)):
        panelist = journey.as_(username)
        panelist.goto("/panels/")
        seat = panelist.get_by_role("region", name=re.compile(f"^{journey.report.name}"))
        expect(seat).to_contain_text(f"{cast} of 3 votes cast.")
        form = seat.get_by_role("form", name="Vote on the appeal")
        form.get_by_label("Decision").select_option(label=vote)
        submit(form, "Vote on the appeal")
    expect_recorded(panelist, stage)
    expect_stage(journey.hr, stage)
    return panelist


def sign(journey: Journey, offer: re.Pattern[str], stage: str) -> Page:
    """The employee signs the offer named, ticking that they understand what it gives up."""
    employee = journey.employee
    form = action_form(employee, "Sign an offer")
    choose(form.get_by_label("Offer"), offer)
    form.get_by_label("I understand what this gives up").check()
    submit(form, "Sign an offer")
    expect_message(employee, "Recorded.")
    expect(employee.locator(".status")).to_contain_text(f"Where it stands: {stage}")
    return employee


# The journeys, one case each


def test_it_takes_a_case_from_a_concern_to_a_passed_plan(journey: Journey) -> None:
    up_to_pivot(journey)
    take_the_plan(journey)
    manager = journey.manager
    form = action_form(manager, "Record a check-in")
    expect(form.get_by_label(re.compile("^Day of the check-in"))).to_have_value(
        server_today().isoformat()
    )
    form.get_by_label("Note").fill("Two reports on time so far.")
    submit(form, "Record a check-in")
    expect_message(manager, "Recorded.")
    form = action_form(manager, "Pass the plan")
    form.get_by_label("Note").fill("Three reports on time in a row.")
    submit(form, "Pass the plan")
    expect_recorded(manager, "Plan passed")
    expect_stage(manager, "Plan passed")
    journey.shoot(manager, "journey-plan-passed")
    expect_employee_sees(journey, "Plan passed")


def test_it_takes_a_case_from_a_concern_to_signed_severance(journey: Journey) -> None:
    up_to_pivot(journey)
    employee = journey.employee
    form = action_form(employee, "Take the severance offer")
    form.get_by_label("I understand what this gives up").check()
    journey.shoot(employee, "journey-severance-confirm", at=form)
    submit(form, "Take the severance offer")
    expect_recorded(employee, "Exiting")
    sign(journey, re.compile("^Tier 1: "), "Exiting")
    expect_stage(journey.hr, "Exiting")


def test_it_takes_a_case_from_a_concern_to_an_appeal_won(journey: Journey) -> None:
    up_to_pivot(journey)
    fail_the_plan_and_appeal(journey)
    seat_the_panel(journey, shot="journey-panel-seat")
    panel_votes(journey, ("Overturned", "Upheld", "Overturned"), "Appeal won")
    expect_employee_sees(journey, "Appeal won")


def test_it_takes_a_case_from_a_lost_appeal_to_a_revoked_tier_3_signing(
    journey: Journey,
) -> None:
    # Aged 40 or over: the offer's prefilled days give the ADEA's 7 days to revoke.
    up_to_pivot(journey, aged_40_or_over=True)
    fail_the_plan_and_appeal(journey)
    seat_the_panel(journey)
    panel_votes(journey, ("Upheld", "Upheld", "Overturned"), "Appeal lost")

    hr = journey.hr
    form = action_form(hr, "Make a severance offer")
    # A lost appeal's tier, with the ADEA's days for an employee aged 40 or over.
    expect(form.get_by_label("Tier")).to_have_value("3")
    expect(form.get_by_label("Days to consider the offer")).to_have_value("21")
    expect(form.get_by_label("Days to revoke after signing")).to_have_value("7")
    submit(form, "Make a severance offer")
    expect_message(hr, "Recorded.")
    expect_stage(hr, "Appeal lost")
    employee = sign(journey, re.compile("^Tier 3: "), "Exiting")
    form = action_form(employee, "Revoke my signature")
    choose(form.get_by_label("Signing"), re.compile("Tier 3"))
    journey.shoot(employee, "journey-revoke", at=employee.locator(".status"))
    journey.shoot_form(form, "journey-revoke-form")
    submit(form, "Revoke my signature")
    expect_message(employee, "Recorded.")
    expect(employee.locator("summary").filter(has_text="Revoke my signature")).to_have_count(0)
    expect_stage(journey.hr, "Appeal lost")


def test_it_takes_a_case_from_a_concern_to_a_signed_negotiated_offer(journey: Journey) -> None:
    up_to_pivot(journey)
    employee = journey.employee
    form = action_form(employee, "Ask for different terms")
    form.get_by_label("What you ask for, and why").fill(
        "Nine years of service: I ask for three more months of pay."
    )
    form.get_by_label(re.compile("^Amount asked for")).fill("40000")
    submit(form, "Ask for different terms")
    expect_message(employee, "Recorded.")
    expect(employee.locator(".status")).to_contain_text("Where it stands: Pivot offered")

    hr = journey.hr
    form = action_form(hr, "Make a severance offer")
    form.get_by_label("Amount (USD)").fill("40000")
    form.get_by_label("Negotiated: terms above the policy's").check()
    form.get_by_label(re.compile("^In answer to the request")).select_option(index=1)  # the one
    expect(form).to_contain_text("The policy adds a no-rehire term to a negotiated offer.")
    journey.shoot_form(form, "journey-negotiated-offer")
    submit(form, "Make a severance offer")
    expect_message(hr, "Recorded.")
    expect_stage(hr, "Pivot offered")

    sign(journey, re.compile(r"^Tier 1: USD 40,000\.00"), "Exiting")
    expect_stage(journey.hr, "Exiting")
