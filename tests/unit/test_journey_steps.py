"""The employee's steps of the process: which phase is current, done or not reached."""

from __future__ import annotations

from fairpivot.web.case.casefacts import EventRow
from fairpivot.web.case.journey import progress


def row(kind: str) -> EventRow:
    return EventRow("2026-03-02", kind, kind, "", "")


def statuses(kinds: list[str], stage: str) -> dict[str, str]:
    return {p.name: p.status for p in progress([row(k) for k in kinds], stage, "amazon-pivot")}


def test_a_revoked_signing_leaves_the_exit_not_reached() -> None:
    kinds = ["focus_started", "pivot_offered", "option_chosen", "plan_started", "plan_failed"]
    kinds += ["appeal_elected", "appeal_decided", "offer_made", "offer_signed", "offer_revoked"]
    found = statuses(kinds, "appeal_lost")
    assert found["Exit"] == "not reached"
    assert found["Appeal"] == "current"
    assert found["Focus"] == "done"


def test_a_signing_standing_makes_the_exit_current_and_a_separation_ends_there() -> None:
    kinds = ["focus_started", "pivot_offered", "option_chosen", "offer_signed"]
    assert statuses(kinds, "exiting")["Exit"] == "current"
    assert statuses([*kinds, "separated"], "separated")["Exit"] == "current"
    assert statuses(kinds[:2], "pivot_offered")["Exit"] == "not reached"
