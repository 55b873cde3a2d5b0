"""The review's notice, settled deadlines, ``known_on`` and ``notified_on``: pages and API.

review-v4.md sections 5 and 6 and items 9 and 11. Pat's case (imported, reviewed as of
today) had a Pivot offer 18 days ago, chose severance and signed the offer 2 days ago: the
offer's ``offer_expires`` and the Pivot's ``pivot_decide_by`` (in 3 days) are settled,
``revoke_by`` (in 5 days) is still to be met.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.fixtures import Settings

from fairpivot.demo.cases import import_document
from fairpivot.domain.casefile.model import Separated
from fairpivot.domain.review import Deadline, Review
from fairpivot.domain.review.model import NOTICE
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.ledger.chains import facts_of
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    Employee,
    LedgerEntry,
)
from fairpivot.records.screen import projection
from fairpivot.web.case import casefacts, casepage
from fairpivot.web.org import overview
from fairpivot.web.services import cover_org, issue_token
from tests.builders import EMPLOYEE, MANAGER, case, event, pivot

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = today(SYSTEM_CLOCK)
ACTIVITY = {"date": "2026-01-05", "kind": "discrimination_complaint", "known_to": [MANAGER]}
# What a form or an API caller sends for ACTIVITY: the manager's knowledge is a checkbox.
ACTIVITY_INPUTS: dict[str, Any] = {
    "date": ACTIVITY["date"],
    "kind": ACTIVITY["kind"],
    "known_to_manager": True,
}


def day(offset: int) -> str:
    """The ISO date ``offset`` days from today."""
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture(autouse=True)
def org(settings: Settings) -> None:
    """Pat (who signs in as ``pat``), their manager, and ``harper``, HR for the whole org."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = Employee.objects.create(employee_id=MANAGER, name="Morgan Manager", org="Devices")
    pat = User.objects.create_user("pat")
    pat.groups.add(Group.objects.get_or_create(name="employee")[0])
    Employee.objects.create(
        employee_id=EMPLOYEE, name="Pat Example", org="Devices", manager=manager, user=pat
    )
    harper = User.objects.create_user("harper")
    harper.groups.add(Group.objects.get_or_create(name="hr")[0])
    cover_org(harper, "")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def signed_offer() -> Case:
    """Pat's case: Pivot offered 18 days ago, severance chosen, the offer signed 2 days ago."""
    document = case(
        as_of=TODAY.isoformat(),
        events=[
            pivot(day(-18)),
            event("option_chosen", day(-16), option="severance"),
            event("offer_signed", day(-2), tier=1),
        ],
    )
    return import_document(document, SYSTEM_CLOCK)


def good_standing() -> Case:
    """Pat's case with nothing recorded yet: HR may record facts and a separation."""
    return import_document(case(as_of=TODAY.isoformat()), SYSTEM_CLOCK)


def text_of(response: Any) -> str:
    assert response.status_code == 200, response.content[:2000]
    return str(response.content.decode())


def section(page: str, start: str, end: str) -> str:
    """The part of a page from the first ``start`` to the next ``end`` after it."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def api_get(path: str, username: str = "harper") -> Any:
    token = issue_token(User.objects.get(username=username), "tests")
    return Client().get(API + path, headers={"Authorization": f"Bearer {token}"})


def api_step(case: Case, name: str, inputs: dict[str, Any]) -> Any:
    """Take an action through the API as HR, on the case's current version."""
    case.refresh_from_db()
    token = issue_token(User.objects.get(username="harper"), "tests")
    return Client().post(
        f"{API}/cases/{case.ref}/actions/{name}",
        json.dumps({"version": case.version, "inputs": inputs}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def form_step(case: Case, name: str, **fields: str) -> Any:
    """Post an action's form from the case page as HR, on the case's current version."""
    case.refresh_from_db()
    data = {"version": str(case.version), "page": "case", **fields}
    return signed_in("harper").post(reverse("take_action", args=[case.ref, name]), data)


def case_file_of(case: Case) -> dict[str, Any]:
    """The case file the ledger assembles now: what the review reads."""
    raw: dict[str, Any] = projection.load_case(case, SYSTEM_CLOCK).raw
    return raw


# The notice (section 6)


def test_it_shows_the_employee_the_notice_before_their_deadlines_and_findings() -> None:
    signed_offer()

    page = text_of(signed_in("pat").get(reverse("my_case")))

    notice = page.index(escape(NOTICE))
    assert '<aside class="notice" aria-labelledby="notice-h">' in page
    assert notice < page.index("Next deadline:")
    assert notice < page.index('id="deadlines"')
    assert notice < page.index('id="findings"')
    assert "procedure.out_of_order" in page[page.index('id="findings"') :]


def test_it_shows_hr_the_notice_on_the_case_page_before_findings_and_deadlines() -> None:
    ref = signed_offer().ref

    page = text_of(signed_in("harper").get(reverse("case", args=[ref])))

    notice = page.index(escape(NOTICE))
    assert notice < page.index("Next deadline")
    assert notice < page.index('id="deadlines"')
    assert notice < page.index('id="findings"')


def test_it_shows_the_notice_on_the_dashboard_of_deadlines_and_findings() -> None:
    signed_offer()

    page = text_of(signed_in("harper").get(reverse("dashboard")))

    assert page.index(escape(NOTICE)) < page.index('id="due-h"')


def test_it_ends_every_review_in_the_api_with_the_notice() -> None:
    ref = signed_offer().ref

    review = api_get(f"/cases/{ref}/review").json()
    detail = api_get(f"/cases/{ref}").json()["review"]
    deadlines = api_get(f"/cases/{ref}/deadlines").json()

    assert list(review)[-1] == "notice"
    assert review["notice"] == NOTICE
    assert list(detail)[-1] == "notice"
    assert list(deadlines) == ["case", "as_of", "deadlines", "notice"]
    assert deadlines["notice"] == NOTICE
    for deadline in deadlines["deadlines"]:
        assert list(deadline) == ["code", "date", "passed", "settled", "basis"]


def test_it_gives_the_notice_last_for_a_review_stored_before_reviews_carried_one() -> None:
    stored = signed_offer()
    old = dict(reversed(CaseProjection.objects.get(case=stored).review.items()))
    del old["notice"]
    for deadline in old["deadlines"]:
        del deadline["settled"]
    CaseProjection.objects.filter(case=stored).update(review=old)

    review = api_get(f"/cases/{stored.ref}/review").json()

    keys = list(review)
    assert (keys[0], keys[-1]) == ("format", "notice")
    assert review["notice"] == NOTICE
    assert all(d["settled"] is False for d in review["deadlines"])


# Settled deadlines (section 5): the engine decides which; these cases' states are known.


def test_it_lists_a_settled_deadline_on_the_timeline_but_not_under_deadlines() -> None:
    ref = signed_offer().ref

    page = text_of(signed_in("harper").get(reverse("case", args=[ref])))

    deadlines = section(page, 'id="deadlines"', 'id="options"')
    assert "revoke_by" in deadlines
    assert "offer_expires" not in deadlines
    assert "pivot_decide_by" not in deadlines
    assert "2 deadlines already settled" in deadlines
    timeline = section(page, 'id="timeline"', 'id="goals"')
    assert f"{day(3)}</span> · offer_expires — settled" in timeline
    assert f"{day(3)}</span> · pivot_decide_by — settled" in timeline
    card = section(page, "Next deadline", "</div>")
    assert day(5) in card
    assert day(3) not in card


def test_it_leaves_settled_deadlines_off_the_employees_own_list() -> None:
    signed_offer()

    page = text_of(signed_in("pat").get(reverse("my_case")))

    deadlines = section(page, 'id="deadlines"', "</section>")
    assert "revoke_by" in deadlines
    assert "offer_expires" not in deadlines
    assert f"Next deadline: <strong>{day(5)}</strong>" in page


def test_it_leaves_settled_deadlines_out_of_the_dashboards_soon_list() -> None:
    stored = signed_offer()

    page = text_of(signed_in("harper").get(reverse("dashboard")))

    soon = section(page, 'id="due-h"', 'id="high-h"')
    assert "revoke_by" in soon
    assert "offer_expires" not in soon
    assert "pivot_decide_by" not in soon
    rows = DeadlineProjection.objects.filter(case=stored)
    assert rows.get(code="offer_expires").settled is True
    assert rows.get(code="revoke_by").settled is False
    assert CaseProjection.objects.get(case=stored).next_deadline == date.fromisoformat(day(5))


def test_it_returns_every_deadline_from_the_api_with_its_settled_flag() -> None:
    ref = signed_offer().ref

    deadlines = api_get(f"/cases/{ref}/deadlines").json()["deadlines"]

    settled = {d["code"]: d["settled"] for d in deadlines}
    assert settled["offer_expires"] is True
    assert settled["pivot_decide_by"] is True
    assert settled["revoke_by"] is False


# Settled deadlines on reviews built here: what the web side does with the flag, whatever
# the engine decides.


def settling(result: Review, *codes: str) -> Review:
    """The review with exactly the deadlines of ``codes`` settled."""
    deadlines = tuple(dataclasses.replace(d, settled=d.code in codes) for d in result.deadlines)
    return dataclasses.replace(result, deadlines=deadlines)


def with_deadlines(result: Review, *deadlines: Deadline) -> Review:
    return dataclasses.replace(result, deadlines=deadlines)


def test_it_stores_the_flag_and_keeps_settled_deadlines_out_of_what_is_due() -> None:
    stored = good_standing()
    base = projection.review_facts(stored.pk, facts_of(stored), TODAY)
    settled = Deadline("offer_expires", date.fromisoformat(day(2)), False, "made up", True)
    still_open = Deadline("revoke_by", date.fromisoformat(day(6)), False, "made up", False)
    review = with_deadlines(base.review, settled, still_open)
    projection.store([dataclasses.replace(base, review=review)], SYSTEM_CLOCK)

    cases: QuerySet[Case] = Case.objects.filter(pk=stored.pk)
    due = overview.upcoming_deadlines(cases, TODAY)

    assert [(d.code, d.date.isoformat()) for d in due] == [("revoke_by", day(6))]
    assert CaseProjection.objects.get(case=stored).next_deadline == date.fromisoformat(day(6))
    assert DeadlineProjection.objects.get(case=stored, code="offer_expires").settled is True


def test_it_words_settled_deadlines_for_the_timeline_only() -> None:
    stored = good_standing()
    raw, base = casepage.case_review(stored)
    settled = Deadline("pivot_decide_by", date.fromisoformat(day(-1)), True, "made up", True)
    still_open = Deadline("revoke_by", date.fromisoformat(day(6)), False, "made up", False)
    review = with_deadlines(base, settled, still_open)

    rows = casepage.deadline_rows(review, TODAY)
    items = casefacts.timeline_items(
        raw, review, casefacts.People(raw), sensitive=True, today=TODAY
    )

    assert [r.code for r in rows] == ["revoke_by"]
    marks = {(i.label, i.detail, i.tone) for i in items if i.lane == "deadlines"}
    assert marks == {("pivot_decide_by", "settled", "settled"), ("revoke_by", "", "")}


# known_on (item 9) and notified_on (item 11)


def test_it_records_known_on_from_the_form_into_the_case_file() -> None:
    stored = good_standing()

    response = form_step(
        stored,
        "record_protected_activity",
        date="2026-01-05",
        kind="discrimination_complaint",
        known_to_manager="on",
        known_on="2026-01-09",
    )

    assert response.status_code == 302
    activity = case_file_of(stored)["protected_activities"][0]
    assert activity == {**ACTIVITY, "known_on": "2026-01-09"}
    assert projection.load_case(stored, SYSTEM_CLOCK).file.protected_activities[0].known_on == date(
        2026, 1, 9
    )
    page = text_of(signed_in("harper").get(reverse("case", args=[stored.ref])))
    assert "the manager learned of it on 2026-01-09" in page


def test_it_records_known_on_from_the_api_into_the_case_file() -> None:
    stored = good_standing()

    fields = api_get(f"/cases/{stored.ref}/actions").json()
    response = api_step(
        stored, "record_protected_activity", {**ACTIVITY_INPUTS, "known_on": "2025-12-30"}
    )

    offered = next(a for a in fields if a["name"] == "record_protected_activity")
    known_on = next(f for f in offered["fields"] if f["name"] == "known_on")
    assert (known_on["kind"], known_on["required"]) == ("date", False)
    assert response.status_code == 200, response.json()
    assert case_file_of(stored)["protected_activities"][0]["known_on"] == "2025-12-30"


def test_it_refuses_a_known_on_that_is_not_a_date_naming_the_field() -> None:
    stored = good_standing()
    before = stored.version

    response = api_step(
        stored, "record_protected_activity", {**ACTIVITY_INPUTS, "known_on": "2026-13-01"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["problems"] == [
        "known_on: not a date, as YYYY-MM-DD (got '2026-13-01')"
    ]
    stored.refresh_from_db()
    assert stored.version == before


def test_it_records_notified_on_from_the_form_into_the_case_file() -> None:
    stored = good_standing()

    response = form_step(stored, "separate", reason="layoff", notified_on=day(-3))

    assert response.status_code == 302
    separation = case_file_of(stored)["events"][-1]
    assert separation["type"] == "separated"
    assert (separation["date"], separation["notified_on"]) == (day(0), day(-3))
    recorded = projection.load_case(stored, SYSTEM_CLOCK).file.events[-1]
    assert isinstance(recorded, Separated)
    assert recorded.notified_on == date.fromisoformat(day(-3))


def test_it_records_notified_on_from_the_api_into_the_case_file() -> None:
    stored = good_standing()

    response = api_step(stored, "separate", {"reason": "layoff", "notified_on": day(0)})

    assert response.status_code == 200, response.json()
    assert case_file_of(stored)["events"][-1]["notified_on"] == day(0)


def test_it_refuses_a_notified_on_after_the_separation_on_the_page_and_writes_nothing() -> None:
    stored = good_standing()
    entries = LedgerEntry.objects.filter(case=stored).count()

    response = form_step(stored, "separate", reason="layoff", notified_on=day(1))

    assert response.status_code == 422
    page = response.content.decode()
    problem = (
        f"notified_on</code>): the day the employee was told ({day(1)}) is after the "
        f"separation it tells of ({day(0)})"
    )
    assert page.count(problem) == 1
    assert LedgerEntry.objects.filter(case=stored).count() == entries
    assert CaseProjection.objects.get(case=stored).stage == "good_standing"


def test_it_refuses_a_notified_on_after_the_separation_in_the_api_and_writes_nothing() -> None:
    stored = good_standing()
    before = stored.version

    response = api_step(stored, "separate", {"reason": "layoff", "notified_on": day(1)})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["problems"] == [
        f"notified_on: the day the employee was told ({day(1)}) is after the separation "
        f"it tells of ({day(0)})"
    ]
    stored.refresh_from_db()
    assert stored.version == before
