"""The demo's live cases: acted out step by step through the use cases the web app calls.

Each step runs on its own day (a clock stopped at that day), as if the manager, the
employee and HR had used fairpivot as the case went along; the policy refuses any step
it does not allow, exactly as in live use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from fairpivot.demo.cases import EMPLOYER, HR, Story
from fairpivot.records.cases import commands
from fairpivot.records.cases.commands import Situation
from fairpivot.records.cases.usecases import Actor, open_case, record_event, record_fact
from fairpivot.records.clock import Clock, FixedClock
from fairpivot.records.models import Case
from fairpivot.records.screen import projection


class Replay:
    """One live case, acted out a step at a time on the days the steps name."""

    def __init__(self, story: Story, clock: Clock, opened: int, policy: str) -> None:
        self.story, self.clock = story, clock
        boss, row = story.boss.row, story.subject.row
        self.manager = Actor(boss.employee_id, boss.employee_id, boss.name, "manager")
        self.employee = Actor(row.employee_id, row.employee_id, row.name, "other")
        self.hr = Actor("demo-hr", HR["id"], HR["name"], "hr")
        self.case = open_case(
            employee=story.employee(),
            actor=self.hr,
            policy=policy,
            employer={"name": EMPLOYER, "headcount": story.headcount},
            people=story.people(),
            clock=self.on(opened),
        )

    def on(self, offset: int) -> Clock:
        """A clock stopped mid-morning on that day, and never later than now."""
        day = self.story.today + timedelta(days=offset)
        moment = datetime.combine(day, time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
        return FixedClock(min(moment, self.clock.now()))

    def __call__(
        self,
        offset: int,
        command: str,
        *,
        actor: Actor | None = None,
        relation: str = "manager",
        **raw: Any,
    ) -> commands.Outcome:
        """Run one command on that day, as the manager unless told otherwise."""
        case = Case.objects.get(pk=self.case.pk)
        return commands.take(
            Situation(case, self.on(offset)),
            frozenset({relation}),
            command,
            raw=raw,
            version=case.version,
            actor_for=lambda _relation: actor or self.manager,
        )

    def adverse(self, offset: int, command: str, why: str, **raw: Any) -> None:
        """A manager's adverse step: asked for, held, and signed off by HR the same day."""
        outcome = self(offset, command, justification=why, **raw)
        if outcome.held is not None:
            self(
                offset,
                "sign_off",
                actor=self.hr,
                relation="hr",
                hold=str(outcome.held),
                decision="approve",
                justification="Documented concerns and goals reviewed; the step is consistent.",
            )

    def employee_does(self, offset: int, command: str, **raw: Any) -> None:
        """A step the employee takes."""
        self(offset, command, actor=self.employee, relation="employee", **raw)


def focus_started(r: Replay) -> None:
    """A concern, then Focus, told to the employee as fairpivot always does."""
    r(-21, "document_concern", note="Two launch dates missed this quarter; see the sprint notes.")
    r.adverse(-14, "start_focus", "Two missed launches, documented.", goals=r.story.goals())


def pivot_offered(r: Replay) -> None:
    """Focus, then a Pivot letter with the policy's five days to decide."""
    s = r.story
    r(-80, "document_concern", note="Weekly reports late five times since the last review.")
    r.adverse(-72, "start_focus", "Late reports, documented.", goals=s.goals())
    offer = s.offer(-1, consideration_days=5)
    r.adverse(
        -1, "offer_pivot", "Focus goals not met.", offer=offer, plan=s.plan(6, 51), decision_days=5
    )


def plan_with_missed_checkin(r: Replay) -> None:
    """The plan taken at Pivot, with one weekly check-in missed."""
    s = r.story
    r(-70, "document_concern", note="Pipeline reviews skipped for a month.")
    r.adverse(-65, "start_focus", "Skipped reviews, documented.", goals=s.goals())
    r.adverse(
        -30,
        "offer_pivot",
        "Focus goals not met.",
        offer=s.offer(-30, consideration_days=5),
        plan=s.plan(-25, 20),
        decision_days=5,
    )
    r.employee_does(-27, "choose_plan")
    r(-18, "record_checkin", held=True)
    r(-11, "record_checkin", held=False, note="Manager travelling; not rescheduled.")
    r(-4, "record_checkin", held=True)


def appeal_won(r: Replay) -> None:
    """A failed plan appealed to a panel of peers, who overturned it."""
    s = r.story
    r(-160, "document_concern", note="Firmware builds broken three times in a month.")
    r.adverse(-150, "start_focus", "Broken builds, documented.", goals=s.goals())
    r.adverse(
        -100,
        "offer_pivot",
        "Focus goals not met.",
        offer=s.offer(-100),
        plan=s.plan(-93, -48),
        decision_days=21,
    )
    r.employee_does(-95, "choose_plan")
    for day in (-86, -79, -72, -65, -58, -51):
        r(day, "record_checkin", held=True)
    r.adverse(-45, "fail_plan", "Plan goals not met at the end.", appeal_days=5)
    r.employee_does(-43, "elect_appeal")
    # The panel was seated and voted before panels were kept as seats: its decision is
    # recorded with the peers named, as the record of the time has it.
    for peer in s.panel_people():
        record_fact(
            r.case.ref, "person", peer, actor=r.hr, expected_version=_version(r), clock=r.on(-20)
        )
    decided = {"type": "appeal_decided", "outcome": "overturned", "panel": s.panel_ids()}
    record_event(r.case.ref, decided, actor=r.hr, expected_version=_version(r), clock=r.on(-20))


def pip_started(r: Replay) -> None:
    """A standard plan started this week after a low rating."""
    s = r.story
    r(-10, "record_rating", actor=r.hr, relation="hr", date=s.day(-10), value="2")
    r.adverse(-7, "start_plan", "Rated 2 of 5 this cycle.", plan=s.plan(-7, 83, 14))


def _version(r: Replay) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=r.case.pk)


@dataclass(frozen=True, slots=True)
class LiveScenario:
    """A live case to act out, the day it opens, and the kind of employee it needs."""

    act: Callable[[Replay], None]
    opened: int
    policy: str = "amazon-pivot"
    state: str | None = None
    max_age: int = 200


LIVE = (
    LiveScenario(focus_started, -21, state="WA"),
    LiveScenario(pivot_offered, -80, state="TX", max_age=39),
    LiveScenario(plan_with_missed_checkin, -70, state="NY", max_age=39),
    LiveScenario(appeal_won, -160, state="CA"),
    LiveScenario(pip_started, -10, policy="standard-pip", state="GA"),
)


def act_out(scenario: LiveScenario, story: Story, clock: Clock) -> Case:
    """Open the case and take its steps, then review it as of today."""
    replay = Replay(story, clock, scenario.opened, scenario.policy)
    scenario.act(replay)
    projection.refresh(replay.case, clock)
    return replay.case
