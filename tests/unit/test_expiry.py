"""A review knows when it expires: no day before ``expires_on`` reads differently.

The generated org's cases (every pattern planted) and the shared examples are reviewed on
every day of a span, and each review is compared with the one made on the day it was last
said to change. Then each reason to expire is tested on both sides of its day.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairpivot.domain.casefile import LoadedCase, parse_case_file
from fairpivot.domain.review import Review
from fairpivot.domain.review.engine import review
from fairpivot.synth import generate_org
from tests.builders import case, codes, event, offer, pivot, review_of

SHARED = Path(__file__).resolve().parents[3] / "shared" / "examples"
AS_OF = date(2026, 6, 30)
DAY = timedelta(days=1)


def said(result: Review) -> dict[str, Any]:
    """What a review says, without the day it was made."""
    document = result.to_json()
    del document["as_of"]
    return document


def load(doc: dict[str, Any]) -> LoadedCase:
    return parse_case_file(json.dumps(doc).encode())


def walk(loaded: LoadedCase, first: date, last: date) -> Iterator[tuple[date, Review]]:
    """Each review from ``first`` through ``last``, one for every day its expiry gives."""
    day = first
    while day <= last:
        result = review(loaded.file, loaded.policy, as_of=day)
        yield day, result
        day = min(result.expires_on or last + DAY, last + DAY)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[LoadedCase]:
    out = tmp_path_factory.mktemp("org")
    generate_org(out, 1500, seed=11, as_of=AS_OF)
    return [load(json.loads(p.read_text())) for p in sorted((out / "cases").glob("*.json"))]


def check_every_day(loaded: LoadedCase, first: date, last: date) -> int:
    """Compare each day's review with the one it should equal; return the reviews saved."""
    checked = 0
    for day, result in walk(loaded, first, last):
        until = min(result.expires_on or last + DAY, last + DAY)
        assert until > day
        later = day + DAY
        while later < until:
            again = review(loaded.file, loaded.policy, as_of=later)
            assert said(again) == said(result), (loaded.file.employee.id, day, later)
            later += DAY
            checked += 1
    return checked


def test_no_generated_case_reads_differently_before_its_review_expires(
    generated: list[LoadedCase],
) -> None:
    assert len(generated) >= 50
    saved = 0
    for loaded in generated:
        first = min(e.date for e in loaded.file.events) - 10 * DAY
        saved += check_every_day(loaded, first, AS_OF + 120 * DAY)
    # Most days need no review: the expiry is worth having, not "tomorrow" every time.
    span = sum(
        (AS_OF + 120 * DAY - (min(e.date for e in c.file.events) - 10 * DAY)).days + 1
        for c in generated
    )
    assert saved > span // 2


@pytest.mark.parametrize("path", sorted(SHARED.glob("*[!t].json")), ids=lambda p: p.stem)
def test_no_example_reads_differently_before_its_review_expires(path: Path) -> None:
    loaded = load(json.loads(path.read_text()))
    first = min(e.date for e in loaded.file.events) - 10 * DAY
    check_every_day(loaded, first, loaded.file.as_of + 400 * DAY)


# Each reason on both sides of its day.

FOCUS_ON = "2025-03-03"


def expiry(doc: dict[str, Any], as_of: str) -> date | None:
    loaded = load(doc)
    return review(loaded.file, loaded.policy, as_of=date.fromisoformat(as_of)).expires_on


def test_a_deadline_expires_the_review_the_day_after_it() -> None:
    doc = case(events=[event("focus_started", FOCUS_ON, disclosed=True), pivot("2025-04-01")])
    decide_by = date(2025, 4, 22)  # 21 days to decide: passed from the 23rd
    assert expiry(doc, "2025-04-21") == decide_by + DAY
    assert expiry(doc, "2025-04-22") == decide_by + DAY
    after = expiry(doc, "2025-04-23")
    assert after is not None
    assert after > decide_by + DAY


def test_an_open_focus_expires_when_it_turns_overdue_and_then_daily() -> None:
    doc = case(events=[event("focus_started", FOCUS_ON, disclosed=True)])
    overdue_from = date(2025, 3, 3) + timedelta(days=61)  # the policy's target is 60 days
    assert expiry(doc, (overdue_from - DAY).isoformat()) == overdue_from
    assert expiry(doc, overdue_from.isoformat()) == overdue_from + DAY


def test_a_hidden_focus_expires_every_day_and_a_told_one_does_not() -> None:
    hidden = case(events=[event("focus_started", FOCUS_ON, disclosed=False)])
    told = case(events=[event("focus_started", FOCUS_ON, disclosed=True)])
    assert expiry(hidden, "2025-03-10") == date(2025, 3, 11)
    assert expiry(told, "2025-03-10") != date(2025, 3, 11)


def plan_with_checkins(*held_on: str) -> dict[str, Any]:
    return case(
        events=[
            event("focus_started", FOCUS_ON, disclosed=True),
            pivot("2025-04-01", plan_fields={"checkin_every_days": 7}),
            event("option_chosen", "2025-04-02", option="plan"),
            *(event("checkin", day, held=True) for day in held_on),
        ]
    )


def test_a_running_plan_expires_when_the_next_checkin_falls_due() -> None:
    doc = plan_with_checkins("2025-04-14", "2025-04-21")
    # The plan starts 2025-04-08: check-ins fall due on the 15th, 22nd and 29th (and the
    # one of the 21st enters the review on its day, so on the 15th it expires the 21st).
    assert expiry(doc, "2025-04-15") == date(2025, 4, 21)
    assert expiry(doc, "2025-04-21") == date(2025, 4, 22)
    assert expiry(doc, "2025-04-23") == date(2025, 4, 29)  # the Pivot passed on the 22nd


def test_a_plan_short_of_checkins_expires_every_day_while_it_runs() -> None:
    doc = plan_with_checkins("2025-04-14")  # 1 of 2 due by the 23rd: under 75%
    assert expiry(doc, "2025-04-23") == date(2025, 4, 24)
    assert expiry(doc, "2025-06-07") == date(2025, 6, 8)  # its last day, still counting
    assert expiry(doc, "2025-06-08") != date(2025, 6, 9)  # ended: it counts no more


def test_a_closed_case_expires_when_its_last_deadline_passes_and_then_never() -> None:
    doc = case(
        events=[
            event("focus_started", FOCUS_ON, disclosed=True),
            event("focus_removed", "2025-03-20"),
        ]
    )
    loaded = load(doc)
    result = review(loaded.file, loaded.policy, as_of=date(2025, 3, 21))
    last = max(d.date for d in result.deadlines)
    assert expiry(doc, last.isoformat()) == last + DAY
    assert expiry(doc, (last + DAY).isoformat()) is None


def test_an_offer_dated_after_the_day_enters_on_its_day() -> None:
    doc = case(
        events=[
            event("focus_started", FOCUS_ON, disclosed=True),
            event("offer_made", "2025-03-20", offer=offer()),
        ]
    )
    assert expiry(doc, "2025-03-10") == date(2025, 3, 20)


def failed_plan_with_a_vest(vest_on: str) -> dict[str, Any]:
    return case(
        events=[
            event("focus_started", FOCUS_ON, disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-02", option="plan"),
            event("plan_failed", "2025-06-09", by="M-1"),
        ],
        equity=[{"grant": "G-1", "vests": [{"date": vest_on, "shares": 400}]}],
        share_price=150.0,
    )


def test_a_vest_expires_the_review_when_it_enters_the_window_after_a_sliding_exit() -> None:
    # The failed plan's exit could come any day: the 90 days after it slide with the
    # calendar, and the vest of 2025-12-01 enters them on 2025-09-02.
    doc = failed_plan_with_a_vest("2025-12-01")
    enters = date(2025, 12, 1) - timedelta(days=90)
    before, on = review_of(doc, (enters - DAY).isoformat()), review_of(doc, enters.isoformat())
    assert "vesting.forfeiture" not in codes(before)
    assert "vesting.forfeiture" in codes(on)
    assert expiry(doc, "2025-08-01") == enters
    assert expiry(doc, enters.isoformat()) == enters + DAY  # it names the sliding exit
    check_every_day(load(doc), date(2025, 6, 1), date(2026, 1, 31))
