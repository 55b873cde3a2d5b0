"""The web app in a real browser: each role's part of one case, from Focus to a won appeal.

One server per module, on a fresh SQLite demo, with the journey staged by
``tests/e2e/journey_setup.py``: Jamie Journey, a report of the demo manager, in good
standing ten days after a discrimination complaint the manager knew of. Each of the
manager's adverse steps is held for HR sign-off (every one is, under the policy's
``guardrails.hold = "all_adverse"``), and HR seats a panel of three for the appeal.

The journey tests walk that one case forward and are written in the order they run. Each
is a step of the journey: it first takes, through the browser, any earlier step that has
not run yet, so each passes when run alone too; when an earlier step failed, the later
ones skip. The keyboard and timeline tests stand on their own. The server runs on SQLite
only: the ``--db=postgres`` run leaves this module out (it asks for no database fixture).

Screenshots of the main pages go to the folder ``FAIRPIVOT_SCREENSHOTS`` names (``make
screenshots`` sets it to docs/screenshots), else to a temporary folder.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    ViewportSize,
    expect,
)

from fairpivot.records.clock import SYSTEM_CLOCK, today
from tests.e2e.browsing import TIMEOUT_MS, chromium, serving
from tests.e2e.server import (
    ROLES,
    Demo,
    logins,
    python,
)

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
EMPLOYEE = "journey-employee"
# The demo's panel, seated by HR on the appeal; two of the three vote to overturn.
PANELISTS = ("demo-panelist", "demo-panelist-2", "demo-panelist-3")
VOTES = ("Overturned", "Upheld", "Overturned")
# The demo prints its extra panelists' logins too; ``logins`` keeps one login per role.
MORE_PANELIST_LINE = re.compile(r"^\s+panelist-\d+\s+(demo-panelist-\d+)\s+(\S+)$", re.MULTILINE)
EMPLOYEE_STATEMENT = "Two of the three late reports waited on data from another team."
MANAGER_STATEMENT = "The reports were late after the plan's goals were agreed in writing."

expect.set_options(timeout=TIMEOUT_MS)


def server_today() -> date:
    """Today as the server counts days: in the deployment's time zone, as its settings say."""
    return today(SYSTEM_CLOCK)


@dataclass(frozen=True, slots=True)
class Site:
    """The running server, its logins and the journey's case."""

    url: str
    passwords: dict[str, str]
    case_ref: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_demo: Demo) -> Iterator[Site]:
    """A demo on a fresh SQLite database, the journey staged in it, served on a free port."""
    folder = tmp_path_factory.mktemp("browser")
    env, printed = sqlite_demo.copy(folder)
    passwords = dict(logins(printed).values())
    assert len(passwords) == len(ROLES), printed
    passwords.update(MORE_PANELIST_LINE.findall(printed))
    assert set(PANELISTS) <= set(passwords), printed
    passwords[EMPLOYEE] = secrets.token_urlsafe(16)
    staged = python(env, "-m", "tests.e2e.journey_setup", passwords[EMPLOYEE])
    assert staged.returncode == 0, staged.stderr
    with serving(env, folder) as url:
        yield Site(url, passwords, staged.stdout.strip())


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where screenshots go."""
    named = os.environ.get("FAIRPIVOT_SCREENSHOTS")
    # Not pytest's tmp_path: a folder of its own, kept after the run for looking at.
    folder = Path(named) if named else Path(tempfile.mkdtemp(prefix="fairpivot-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Progress:
    """Which journey steps have run in this module's server, and which failed."""

    taken: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)


@pytest.fixture(scope="module")
def progress() -> Progress:
    """The journey's progress, shared by the module's tests."""
    return Progress()


@dataclass
class Journey:
    """A test's view of the site: people sign in in their own browser contexts."""

    site: Site
    browser: Browser
    shots: Path
    progress: Progress
    contexts: list[BrowserContext] = field(default_factory=list)

    def page(self, viewport: ViewportSize = DESKTOP) -> Page:
        """A fresh page in a context of its own (its own cookies), with bounded waits."""
        context = self.browser.new_context(base_url=self.site.url, viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def sign_in(self, username: str, viewport: ViewportSize = DESKTOP) -> Page:
        """A page signed in through the login form as ``username``."""
        page = self.page(viewport)
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(self.site.passwords[username])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    def case_page(self, page: Page) -> None:
        """Go to the journey's case page."""
        page.goto(f"/cases/{self.site.case_ref}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Jamie Journey")

    def shoot(self, page: Page, name: str) -> None:
        """Save a full-page screenshot as ``name``.png."""
        page.screenshot(path=self.shots / f"{name}.png", full_page=True)


@pytest.fixture
def journey(site: Site, browser: Browser, shots: Path, progress: Progress) -> Iterator[Journey]:
    """The site for one test; every context it opened is closed after it."""
    found = Journey(site, browser, shots, progress)
    yield found
    for context in found.contexts:
        context.close()


Step = Callable[[Journey], None]
STEPS: list[Step] = []


def journey_step(body: Step) -> Step:
    """Make ``body`` the next journey step: its test first takes the earlier steps not run."""
    earlier = list(STEPS)
    STEPS.append(body)

    @functools.wraps(body)
    def test(journey: Journey) -> None:
        done = journey.progress
        for step in earlier:
            if step.__name__ in done.failed:
                pytest.skip(f"an earlier journey step failed: {step.__name__}")
        for step in earlier:
            if step.__name__ not in done.taken:
                _take(step, journey)
        _take(body, journey)

    return test


def _take(step: Step, journey: Journey) -> None:
    try:
        step(journey)
    except BaseException:
        journey.progress.failed.add(step.__name__)
        raise
    journey.progress.taken.add(step.__name__)


# What the pages show, found as a person finds it


def action_form(page: Page, label: str) -> Locator:
    """The form of an action, opened: its summary names it, and so does the form."""
    page.locator("summary").filter(has_text=re.compile(f"^{re.escape(label)}$")).click()
    return page.get_by_role("form", name=label)


def stage_card(page: Page) -> Locator:
    """The case page's card with the stage the case is at."""
    return page.locator(".card").filter(has=page.get_by_text("Stage", exact=True)).locator("strong")


def expect_stage(page: Page, code: str, label: str) -> None:
    """The case page shows the stage by its label, and carries its code."""
    card = stage_card(page)
    expect(card).to_have_text(label)
    expect(card).to_have_class(re.compile(rf"\bstage-{code}\b"))


def expect_message(page: Page, text: str) -> None:
    """The status message at the top of the page says ``text``."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def approve_the_hold(journey: Journey, step: str) -> Page:
    """HR opens the case from the dashboard's held steps and approves ``step`` in writing."""
    hr = journey.sign_in("demo-hr")
    held = hr.get_by_role("region", name=re.compile(r"^Held for HR sign-off"))
    row = held.get_by_role("row").filter(has_text="Jamie Journey").filter(has_text=step)
    expect(row).to_contain_text("retaliation.timing")
    row.get_by_role("link", name=journey.site.case_ref).click()
    hold = hr.get_by_role("region", name="Held for HR sign-off")
    expect(hold).to_contain_text(
        f"{step} of {server_today().isoformat()}, asked for by demo-manager"
    )
    form = hold.get_by_role("form", name="Decide a held step")
    form.get_by_label("Decision").select_option(label="Approve")
    form.get_by_label("Written justification").fill(
        "The concerns were raised in writing before the complaint; reviewed with counsel."
    )
    form.get_by_role("button", name="Decide a held step").click()
    expect(hr.get_by_role("region", name="Held for HR sign-off")).to_have_count(0)
    return hr


def manager_on_the_case(journey: Journey) -> Page:
    """The manager, signed in, opens Jamie Journey's case from My team."""
    manager = journey.sign_in("demo-manager")
    expect(manager.get_by_role("heading", name="My team")).to_be_visible()
    row = manager.get_by_role("row").filter(has_text="Jamie Journey")
    row.get_by_role("link", name=journey.site.case_ref).click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text("Jamie Journey")
    return manager


def expect_held_for_the_manager(manager: Page, step: str) -> None:
    """The manager is told the step is held, but not which protected facts made it risky."""
    expect_message(manager, "Sent to HR: HR reviews this step before it is recorded.")
    hold = manager.get_by_role("region", name="Held for HR sign-off")
    expect(hold).to_contain_text(
        f"{step} of {server_today().isoformat()}, asked for by demo-manager"
    )
    expect(hold).to_contain_text("visible to HR only")
    expect(manager.get_by_role("main")).not_to_contain_text("retaliation.timing")


# The journey, in order


@journey_step
def test_it_holds_the_managers_start_of_focus_for_hr_sign_off(journey: Journey) -> None:
    manager = manager_on_the_case(journey)
    expect_stage(manager, "good_standing", "Good standing")
    form = action_form(manager, "Start Focus (the employee is told)")
    form.get_by_label("Note").fill("Missed the last two monthly report deadlines.")
    form.get_by_label("Why").fill("Both misses were raised in our one-on-ones.")
    form.get_by_role("button", name="Start Focus (the employee is told)").click()
    expect_held_for_the_manager(manager, "Focus started")
    expect_stage(manager, "good_standing", "Good standing")


@journey_step
def test_it_lets_hr_approve_the_held_focus_in_writing(journey: Journey) -> None:
    hr = journey.sign_in("demo-hr")
    expect(hr.get_by_role("heading", name="Dashboard")).to_be_visible()
    held = hr.get_by_role("region", name=re.compile(r"^Held for HR sign-off"))
    expect(held.get_by_role("row").filter(has_text="Jamie Journey")).to_contain_text(
        "Focus started"
    )
    journey.shoot(hr, "hr-dashboard")
    hr = approve_the_hold(journey, "Focus started")
    expect_message(hr, "Recorded. The case is now at: Focus.")
    expect_stage(hr, "focus", "Focus")


@journey_step
def test_it_holds_the_pivot_offer_until_hr_approves_it(journey: Journey) -> None:
    manager = manager_on_the_case(journey)
    expect_stage(manager, "focus", "Focus")
    start = server_today()
    # The form starts from the policy's terms; the manager sets the amount, dates and goal.
    form = action_form(manager, "Offer Pivot: severance or an improvement plan")
    form.get_by_label("Amount").fill("20000")
    form.get_by_label("Days to consider the offer").fill("21")
    form.get_by_label("Days to revoke after signing").fill("7")
    form.get_by_label("Plan starts").fill(start.isoformat())
    form.get_by_label("Plan ends").fill((start + timedelta(days=45)).isoformat())
    form.locator('[name="goals-0-text"]').fill("Deliver the monthly report on time")
    form.locator('[name="goals-0-measure"]').fill("three in a row")
    form.get_by_label("Check-in every (days)").fill("7")
    form.get_by_label("Days to decide").fill("21")
    form.get_by_role("button", name="Offer Pivot: severance or an improvement plan").click()
    expect_held_for_the_manager(manager, "Pivot offered")
    expect_stage(manager, "focus", "Focus")

    hr = approve_the_hold(journey, "Pivot offered")
    expect_message(hr, "Recorded. The case is now at: Pivot offered.")
    expect_stage(hr, "pivot_offered", "Pivot offered")


@journey_step
def test_it_shows_the_employee_the_options_side_by_side_and_takes_the_plan(
    journey: Journey,
) -> None:
    employee = journey.sign_in(EMPLOYEE)
    expect(employee.get_by_role("heading", level=1)).to_contain_text("My case")
    steps = employee.get_by_role("region", name="Each step of the process")
    expect(steps).to_contain_text("Focus started")
    options = employee.get_by_role("table", name="The options open now, side by side")
    expect(options.get_by_role("columnheader")).to_have_text(["Severance (tier 1)", "Plan"])
    expect(options.get_by_role("row", name=re.compile("^Cash"))).to_contain_text("20,000.00 USD")
    decide_by = (server_today() + timedelta(days=21)).isoformat()
    expect(options.get_by_role("row", name=re.compile("^Decide by"))).to_contain_text(
        re.compile(rf"{decide_by} \(in \d+ days\)")
    )
    journey.shoot(employee, "my-case")
    phone = journey.sign_in(EMPLOYEE, viewport=PHONE)
    expect(phone.get_by_role("table", name="The options open now, side by side")).to_be_visible()
    journey.shoot(phone, "my-case-phone")

    form = action_form(employee, "Take the improvement plan")
    form.get_by_role("button", name="Take the improvement plan").click()
    expect_message(employee, "Recorded. The case is now at: In an improvement plan.")
    status = employee.locator(".status")
    expect(status).to_contain_text("Where it stands: In an improvement plan")


@journey_step
def test_it_holds_the_failed_plan_then_lets_the_employee_appeal(journey: Journey) -> None:
    manager = manager_on_the_case(journey)
    expect_stage(manager, "in_plan", "In an improvement plan")
    form = action_form(manager, "Fail the plan")
    form.get_by_label("Note").fill("The report was late again.")
    form.get_by_role("button", name="Fail the plan").click()
    expect_held_for_the_manager(manager, "Plan failed")

    hr = approve_the_hold(journey, "Plan failed")
    expect_stage(hr, "plan_failed", "Plan failed")

    employee = journey.sign_in(EMPLOYEE)
    form = action_form(employee, "File an appeal")
    form.get_by_role("button", name="File an appeal").click()
    expect_message(employee, "Recorded. The case is now at: Appeal pending.")
    form = action_form(employee, "My appeal statement")
    form.get_by_label("Statement").fill(EMPLOYEE_STATEMENT)
    form.get_by_role("button", name="My appeal statement").click()
    expect_message(employee, "Recorded.")
    journey.case_page(employee)
    expect_stage(employee, "appeal", "Appeal pending")

    manager.reload()
    form = action_form(manager, "Manager's appeal statement")
    form.get_by_label("Statement").fill(MANAGER_STATEMENT)
    form.get_by_role("button", name="Manager's appeal statement").click()
    expect_message(manager, "Recorded.")


@journey_step
def test_it_lets_hr_seat_the_panel_of_three(journey: Journey) -> None:
    hr = journey.sign_in("demo-hr")
    journey.case_page(hr)
    # A checkbox for each panelist HR may seat: the three are ticked and seated at once.
    form = action_form(hr, "Seat the appeal panel")
    for username in PANELISTS:
        form.get_by_role("checkbox", name=re.compile(rf"\({re.escape(username)}\)$")).check()
    form.get_by_role("button", name="Seat the appeal panel").click()
    expect_message(hr, "Recorded.")


@journey_step
def test_it_lets_the_panel_overturn_the_failed_plan(journey: Journey) -> None:
    for cast, (username, vote) in enumerate(zip(PANELISTS, VOTES, strict=True)):
        panelist = journey.sign_in(username)
        expect(panelist.get_by_role("heading", name="My panels")).to_be_visible()
        seat = panelist.get_by_role("region", name=re.compile("^Jamie Journey"))
        expect(seat.get_by_role("heading", level=3)).to_have_text(
            ["The employee's statement", "The manager's statement"]
        )
        expect(seat.get_by_text(EMPLOYEE_STATEMENT)).to_be_visible()
        expect(seat.get_by_text(MANAGER_STATEMENT)).to_be_visible()
        expect(seat).to_contain_text(f"{cast} of 3 votes cast.")
        if cast == 0:
            journey.shoot(panelist, "my-panels")
        form = seat.get_by_role("form", name="Vote on the appeal")
        form.get_by_label("Decision").select_option(label=vote)
        form.get_by_role("button", name="Vote on the appeal").click()
    # The last vote decides, two to one.
    expect_message(panelist, "Recorded. The case is now at: Appeal won.")
    expect(panelist.get_by_role("region", name=re.compile("^Jamie Journey"))).to_have_count(0)

    hr = journey.sign_in("demo-hr")
    journey.case_page(hr)
    expect_stage(hr, "closed_retained", "Appeal won")
    journey.shoot(hr, "case-page-hr")


# On their own


def test_it_signs_in_with_the_keyboard_alone(journey: Journey) -> None:
    page = journey.page()
    page.goto("/login/")
    journey.shoot(page, "login")
    username = page.get_by_label("Username")
    for _ in range(5):  # past the skip link and the brand link
        page.keyboard.press("Tab")
        if username.evaluate("field => field === document.activeElement"):
            break
    expect(username).to_be_focused()
    page.keyboard.type("demo-counsel")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(journey.site.passwords["demo-counsel"])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_it_draws_the_case_timeline_as_an_svg_with_a_title(journey: Journey) -> None:
    hr = journey.sign_in("demo-hr")
    journey.case_page(hr)
    timeline = hr.get_by_role("region", name="Timeline")
    chart = timeline.get_by_role(
        "img", name=re.compile(f"^Timeline of case {journey.site.case_ref}")
    )
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_have_text(f"Timeline of case {journey.site.case_ref}")
    expect(timeline.get_by_text("Discrimination complaint").first).to_be_attached()
