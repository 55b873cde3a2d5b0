"""The demo's imported cases: one per stage, most showing a pattern the review flags.

Each function writes a case file for a ``Story`` (offsets are days from today, negative
in the past). ``HISTORY`` lists them with the employee each needs; the first is the case
of the demo's employee login.
"""

from __future__ import annotations

from typing import Any

from fairpivot.demo.cases import HR, SHARE_PRICE, Scenario, Story

Document = dict[str, Any]
HR_ID = HR["id"]


def leave_then_pivot(s: Story) -> Document:
    """Hidden Focus 15 days after FMLA leave; a Pivot letter breaking OWBPA and WA law."""
    letter = s.offer(
        -2,
        consideration_days=5,
        revocation_days=0,
        names_adea=False,
        advises_attorney=False,
        clauses=["release_of_claims", "confidentiality", "non_disparagement"],
    )
    return s.document(
        ratings=[{"date": s.day(-420), "value": "HV1"}],
        equity=[s.grant(300, -150, 30, 210)],
        share_price=SHARE_PRICE,
        protected_activities=[
            {
                "date": s.day(-130),
                "kind": "fmla_leave",
                "end_date": s.day(-85),
                "known_to": [s.boss.row.employee_id],
            }
        ],
        events=[
            s.event(-70, "focus_started", disclosed=False, goals=s.goals()),
            s.event(-2, "pivot_offered", offer=letter, plan=s.plan(5, 50), decision_days=5),
        ],
    )


def hidden_focus(s: Story) -> Document:
    """Focus the employee was never told of, open past its 60-day target."""
    return s.document(
        events=[
            s.event(-100, "concern_documented", note="Missed two sprint commitments."),
            s.event(-75, "focus_started", disclosed=False, goals=s.goals()),
        ]
    )


def focus_lifted(s: Story) -> Document:
    """Focus, disclosed and documented, ended with the employee back in good standing."""
    return s.document(
        events=[
            s.event(-120, "concern_documented", note="Quarterly targets missed twice."),
            s.event(-110, "focus_started", disclosed=True, goals=s.goals()),
            s.event(-50, "focus_removed"),
        ]
    )


def quota_plan(s: Story) -> Document:
    """A plan with missed check-ins, in an org short of its attrition target."""
    context = {
        "ura_target": 0.06,
        "ura_actual": 0.031,
        "period_end": s.day(45),
        "quota_language": [f"{s.subject.row.org} still needs two more URA exits this quarter."],
    }
    return s.document(
        org_context=context,
        events=[
            s.event(-110, "concern_documented", note="Forecasts late three weeks running."),
            s.event(-100, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -40, "pivot_offered", offer=s.offer(-40), plan=s.plan(-33, 12), decision_days=21
            ),
            s.event(-36, "option_chosen", s.me, option="plan"),
            *s.checkins(-26, -5, missed=(-19, -12)),
        ],
    )


def failed_early(s: Story) -> Document:
    """A plan declared failed a week before its end, with 3 days to appeal, after a promotion."""
    return s.document(
        promotions=[{"date": s.day(-300), "to_level": s.subject.row.level}],
        events=[
            s.event(-130, "concern_documented", note="Code reviews returned for rework."),
            s.event(-120, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -60, "pivot_offered", offer=s.offer(-60), plan=s.plan(-53, 7), decision_days=21
            ),
            s.event(-56, "option_chosen", s.me, option="plan"),
            *s.checkins(-46, -39, -32, -25, -18, -11, -4),
            s.event(-1, "plan_failed", appeal_days=3),
        ],
    )


def appeal_pending(s: Story) -> Document:
    """A failed plan under appeal, waiting for the panel."""
    return s.document(
        events=[
            s.event(-160, "concern_documented", note="Pipeline below half of target."),
            s.event(-150, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -95,
                "pivot_offered",
                offer=s.offer(-95),
                plan=s.plan(-88, -28, 14),
                decision_days=21,
            ),
            s.event(-90, "option_chosen", s.me, option="plan"),
            *s.checkins(-74, -60, -46, -32),
            s.event(-26, "plan_failed", appeal_days=5),
            s.event(-23, "appeal_elected", s.me),
        ]
    )


def appeal_lost(s: Story) -> Document:
    """Focus 15 days after a discrimination complaint; appeal lost; a CA no-rehire offer."""
    final = s.offer(-9, tier=3, clauses=["release_of_claims", "no_rehire", "confidentiality"])
    return s.document(
        panel=True,
        protected_activities=[
            {
                "date": s.day(-140),
                "kind": "discrimination_complaint",
                "known_to": [s.boss.row.employee_id],
            }
        ],
        events=[
            s.event(-125, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -100, "pivot_offered", offer=s.offer(-100), plan=s.plan(-93, -48), decision_days=21
            ),
            s.event(-96, "option_chosen", s.me, option="plan"),
            *s.checkins(-86, -79, -72, -65, -58, -51),
            s.event(-46, "plan_failed", appeal_days=5),
            s.event(-44, "appeal_elected", s.me),
            s.event(-10, "appeal_decided", HR_ID, outcome="upheld", panel=s.panel_ids()),
            s.event(-9, "offer_made", HR_ID, offer=final),
        ],
    )


def exiting(s: Story) -> Document:
    """Severance chosen at Pivot and signed; the revocation window is still open."""
    return s.document(
        events=[
            s.event(-100, "concern_documented", note="Escalations from two customers."),
            s.event(-90, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -14, "pivot_offered", offer=s.offer(-14), plan=s.plan(-7, 38), decision_days=21
            ),
            s.event(-3, "option_chosen", s.me, option="severance"),
            s.event(-3, "offer_signed", s.me, tier=1),
        ]
    )


def resignation_label(s: Story) -> Document:
    """An exit the employer drove, recorded as a resignation."""
    letter = s.offer(-80, consideration_days=5, revocation_days=0, clauses=["release_of_claims"])
    return s.document(
        events=[
            s.event(-140, "focus_started", disclosed=True, goals=s.goals()),
            s.event(-80, "pivot_offered", offer=letter, plan=s.plan(-73, -28), decision_days=5),
            s.event(-77, "option_chosen", s.me, option="severance"),
            s.event(-77, "offer_signed", s.me, tier=1),
            s.event(-63, "separated", HR_ID, reason="resignation_with_severance", no_rehire=True),
        ]
    )


def exit_before_vest(s: Story) -> Document:
    """Terminated 25 days before a large vest and 40 before a retention bonus."""
    return s.document(
        equity=[s.grant(400, -200, 25)],
        share_price=SHARE_PRICE,
        bonuses=[{"date": s.day(40), "amount": 25000, "label": "retention bonus"}],
        events=[
            s.event(-210, "concern_documented", note="Test plans missing for two releases."),
            s.event(-200, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -140, "pivot_offered", offer=s.offer(-140), plan=s.plan(-133, -73), decision_days=21
            ),
            s.event(-136, "option_chosen", s.me, option="plan"),
            *s.checkins(-126, -119, -112, -105, -98, -91, -84, -77),
            s.event(-72, "plan_failed", appeal_days=3),
            s.event(-70, "offer_made", HR_ID, offer=s.offer(-70, tier=2)),
            s.event(-20, "separated", HR_ID, reason="termination_performance"),
        ],
    )


def passed(s: Story) -> Document:
    """A plan run by the book and passed."""
    return s.document(
        events=[
            s.event(-170, "concern_documented", note="Deal notes incomplete for a quarter."),
            s.event(-160, "focus_started", disclosed=True, goals=s.goals()),
            s.event(
                -110, "pivot_offered", offer=s.offer(-110), plan=s.plan(-100, -40), decision_days=21
            ),
            s.event(-106, "option_chosen", s.me, option="plan"),
            *s.checkins(-93, -86, -79, -72, -65, -58, -51, -44),
            s.event(-40, "plan_passed"),
        ]
    )


def pip_in_plan(s: Story) -> Document:
    """A standard 90-day plan under way."""
    return s.document(
        policy="standard-pip",
        ratings=[{"date": s.day(-100), "value": "2"}],
        events=[
            s.event(-60, "concern_documented", note="Audit findings left open."),
            s.event(-30, "plan_started", plan=s.plan(-30, 60, 14)),
            *s.checkins(-16, -2),
        ],
    )


def pip_after_complaint(s: Story) -> Document:
    """A plan 15 days after a wage complaint, a missed check-in, failed early, terminated."""
    return s.document(
        policy="standard-pip",
        protected_activities=[
            {"date": s.day(-115), "kind": "wage_complaint", "known_to": [s.boss.row.employee_id]}
        ],
        events=[
            s.event(-100, "plan_started", plan=s.plan(-100, -10, 14)),
            *s.checkins(-86, missed=(-72,)),
            s.event(-45, "plan_failed"),
            s.event(-40, "separated", HR_ID, reason="termination_performance"),
        ],
    )


def pip_passed(s: Story) -> Document:
    """A standard plan passed."""
    return s.document(
        policy="standard-pip",
        events=[
            s.event(-170, "concern_documented", note="Two quarters below quota."),
            s.event(-150, "plan_started", plan=s.plan(-150, -60, 14)),
            *s.checkins(-136, -122, -108, -94, -80, -66),
            s.event(-60, "plan_passed"),
        ],
    )


HISTORY = (
    Scenario(leave_then_pivot, state="WA", min_age=41),
    Scenario(hidden_focus, state="NY"),
    Scenario(focus_lifted, state="TX"),
    Scenario(quota_plan, state="TX"),
    Scenario(failed_early, state="CA"),
    Scenario(appeal_pending, state="GA"),
    Scenario(appeal_lost, state="CA"),
    Scenario(exiting, state="WA"),
    Scenario(resignation_label, state="NY", max_age=39),
    Scenario(exit_before_vest, state="WA"),
    Scenario(passed, state="NY"),
    Scenario(pip_in_plan, state="TX"),
    Scenario(pip_after_complaint, state="GA"),
    Scenario(pip_passed, state="NY"),
)
