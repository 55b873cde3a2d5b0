"""The case timeline's layout: every item on its lane, labels that never overlap."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from fairpivot.web.case.timeline import CHAR_WIDTH, Item, build

TODAY = date(2026, 3, 2)


def test_it_draws_nothing_for_a_case_with_nothing_dated() -> None:
    assert build([], TODAY) is None


def test_it_puts_each_item_on_its_lane_in_order_and_lists_them_all() -> None:
    items = [
        Item("deadlines", TODAY + timedelta(days=5), "pivot_decide_by"),
        Item("events", TODAY - timedelta(days=40), "Focus started", tone="adverse"),
        Item("protected", TODAY - timedelta(days=90), "FMLA leave", end=TODAY - timedelta(days=55)),
    ]
    timeline = build(items, TODAY)
    assert timeline is not None
    assert [lane.name for lane in timeline.lanes] == [
        "Case events",
        "Protected activities",
        "Deadlines",
    ]
    assert [i.label for i in timeline.items] == ["FMLA leave", "Focus started", "pivot_decide_by"]
    (leave,) = timeline.lanes[1].marks
    assert leave.span
    assert leave.width > 0
    assert timeline.today_x is not None
    assert "1 case events, 1 protected activities, 1 deadlines" in timeline.summary


def test_it_never_overlaps_labels_and_labels_adverse_steps_before_check_ins() -> None:
    checkins = [Item("events", TODAY - timedelta(days=d), "Check-in") for d in range(1, 60, 3)]
    failed = Item("events", TODAY - timedelta(days=30), "Plan failed", tone="adverse")
    timeline = build([*checkins, failed], TODAY)
    assert timeline is not None
    marks = timeline.lanes[0].marks
    assert any(m.label == "Plan failed" for m in marks)
    for row in {m.label_y for m in marks if m.label}:
        spans = sorted(
            (m.x - len(m.label) * CHAR_WIDTH / 2, m.x + len(m.label) * CHAR_WIDTH / 2)
            for m in marks
            if m.label and m.label_y == row
        )
        assert all(a[1] <= b[0] for a, b in pairwise(spans))
    assert all(m.title for m in marks)  # an unlabelled mark still has its tooltip
