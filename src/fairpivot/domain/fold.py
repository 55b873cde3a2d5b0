"""The case fold: replay a case's events under its policy to get where the case stands.

Events the policy does not allow at that point are recorded as departures and then
applied anyway, as the record is the record (spec/review.md, "The stage table").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later
from fairpivot.domain.policy import Policy, event_key
from fairpivot.domain.policy.model import BEFORE_SIGNING

# Where an event leads when the current stage does not list it and the policy's table
# lists it nowhere as a move: the stage the event means (spec/review.md, "The stage table").
NATURAL_NEXT: dict[str, str] = {
    "focus_started": "focus",
    "focus_removed": "good_standing",
    "pivot_offered": "pivot_offered",
    "option_chosen:plan": "in_plan",
    "option_chosen:severance": "exiting",
    "option_chosen:appeal": "appeal",
    "plan_started": "in_plan",
    "plan_passed": "closed_passed",
    "plan_failed": "plan_failed",
    "appeal_elected": "appeal",
    "appeal_decided:upheld": "appeal_lost",
    "appeal_decided:overturned": "closed_retained",
    "offer_signed": "exiting",
    "offer_revoked": BEFORE_SIGNING,
    "separated": "separated",
}


@dataclass(slots=True)
class FocusSpell:
    """One stretch of Focus, from ``focus_started`` to whatever ended it."""

    index: int
    started: date
    disclosed: bool
    by: str | None
    disclosed_on: date | None = None
    ended: date | None = None
    ended_by: str | None = None

    @property
    def hidden(self) -> bool:
        """Whether the employee was never told while the Focus ran."""
        return not self.disclosed and self.disclosed_on is None


@dataclass(slots=True)
class Signing:
    """One signing of an offer (``offer_signed``) and its revocation, if any."""

    index: int
    signed_on: date
    revoked_on: date | None = None
    revoked_index: int | None = None
    undoes_choice_of: OfferState | None = None  # the Pivot whose severance choice led here


@dataclass(slots=True)
class OfferState:
    """A severance offer, from the Pivot letter or a later ``offer_made``, and its fate.

    Dates the offer sets that would fall past 9999-12-31 are None (review-v4.md item 14).
    """

    index: int
    made_on: date
    source: str
    offer: m.Offer
    decide_by: date | None
    consider_days: int
    signed_on: date | None = None
    revoked_on: date | None = None
    stage_before_signing: str | None = None
    signings: list[Signing] = field(default_factory=list)
    # For a Pivot offer: the option first chosen while it was the latest Pivot, and where.
    chosen: str | None = None
    chosen_index: int | None = None

    @property
    def expires(self) -> date | None:
        """The end of the consideration period: the offer's date plus its days."""
        return days_later(self.made_on, self.offer.consideration_days)

    @property
    def in_force(self) -> bool:
        """Whether the offer is signed and not revoked."""
        return self.signed_on is not None and self.revoked_on is None

    @property
    def standing_signing(self) -> Signing | None:
        """The signing of this offer that stands (not revoked), if any."""
        return next((s for s in self.signings if s.revoked_on is None), None)


@dataclass(slots=True)
class PlanState:
    """An improvement plan offered or started, with its check-ins and outcome."""

    index: int
    offered_on: date
    plan: m.Plan
    source: str
    taken_up: bool
    end: date  # as it stands, after every extension applied to it
    latest_end: date  # the latest end it ever had (review-v4.md item 13)
    checkins: list[tuple[date, bool]] = field(default_factory=list)
    outcome: str | None = None
    outcome_on: date | None = None
    outcome_index: int | None = None
    appeal_days: int | None = None

    @property
    def start(self) -> date:
        """The plan's first day."""
        return self.plan.start


@dataclass(slots=True)
class AppealState:
    """An appeal from election to decision."""

    elected_on: date | None
    decided_on: date | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class Departure:
    """An event the policy did not allow where it came: ``procedure.out_of_order``."""

    index: int
    event: m.Event
    key: str
    stage: str
    allowed: tuple[str, ...]
    reason: str


@dataclass(slots=True)
class CaseState:
    """Where a case stands after its events: the result of the fold."""

    stage: str
    focus: list[FocusSpell] = field(default_factory=list)
    offers: list[OfferState] = field(default_factory=list)
    plans: list[PlanState] = field(default_factory=list)
    appeals: list[AppealState] = field(default_factory=list)
    separation: m.Separated | None = None
    departures: list[Departure] = field(default_factory=list)
    stages: list[tuple[int, str]] = field(default_factory=list)
    severance_chosen_from: str | None = None

    @property
    def open_focus(self) -> FocusSpell | None:
        """The Focus still running, if any."""
        if self.focus and self.focus[-1].ended is None:
            return self.focus[-1]
        return None

    @property
    def current_plan(self) -> PlanState | None:
        """The latest plan the employee took up."""
        return next((plan for plan in reversed(self.plans) if plan.taken_up), None)

    @property
    def pivot_offer(self) -> OfferState | None:
        """The latest Pivot offer."""
        return next((o for o in reversed(self.offers) if o.source == "pivot_offered"), None)

    def offer_of_tier(self, tier: int, *, signed: bool = False) -> OfferState | None:
        """The latest offer of ``tier`` (signed and in force, when ``signed``)."""
        for offer in reversed(self.offers):
            if offer.offer.tier == tier and (not signed or offer.in_force):
                return offer
        return None


def fold(events: Sequence[m.Event], policy: Policy) -> CaseState:
    """Replay ``events`` under ``policy`` and return where the case stands."""
    state = CaseState(stage=policy.initial_stage)
    for index, event in enumerate(events):
        step(state, index, event, policy)
    return state


def step(state: CaseState, index: int, event: m.Event, policy: Policy) -> None:
    """Apply one event: check it against the stage table, record its effects, move on."""
    key = event_key(event.type, variant_of(event))
    listed = policy.next_stage(state.stage, key)
    problem = _precondition(state, event)
    if listed is None or problem:
        reason = problem or f"{key} is not allowed in stage {state.stage}"
        state.departures.append(
            Departure(
                index, event, key, state.stage, tuple(policy.allowed_events(state.stage)), reason
            )
        )
    if listed is not None:
        target: str | None = listed
    else:
        target = policy.leads_to(key) or NATURAL_NEXT.get(key)
    before = state.stage
    _EFFECTS[event.type](state, index, event)
    if target == BEFORE_SIGNING:
        target = _stage_before_signing(state, event, before)
    if target is not None and target != before:
        state.stage = target
        state.stages.append((index, target))


def variant_of(event: m.Event) -> str | None:
    """The option or outcome that names an event in the stage table, if it has one."""
    if isinstance(event, m.OptionChosen):
        return event.option
    if isinstance(event, m.AppealDecided):
        return event.outcome
    return None


def _precondition(state: CaseState, event: m.Event) -> str | None:
    if isinstance(event, m.OfferSigned) and state.offer_of_tier(event.tier) is None:
        return f"offer_signed names tier {event.tier}, but no offer of that tier was made"
    if isinstance(event, m.OfferRevoked) and state.offer_of_tier(event.tier, signed=True) is None:
        return f"offer_revoked names tier {event.tier}, but no signed offer of that tier stands"
    return None


def _stage_before_signing(state: CaseState, event: m.Event, before: str) -> str:
    if before == "separated":
        return "separated"
    assert isinstance(event, m.OfferRevoked)
    revoked = next(
        (o for o in reversed(state.offers) if o.offer.tier == event.tier and o.revoked_on),
        None,
    )
    if revoked is None or revoked.stage_before_signing is None:
        return before
    return revoked.stage_before_signing


def _close_focus(state: CaseState, on: date, by: str) -> None:
    spell = state.open_focus
    if spell is not None:
        spell.ended, spell.ended_by = on, by


def _focus_started(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.FocusStarted)
    _close_focus(state, event.date, "focus_started")
    state.focus.append(FocusSpell(index, event.date, event.disclosed, event.by))


def _focus_disclosed(state: CaseState, index: int, event: m.Event) -> None:
    spell = state.open_focus
    if spell is not None and spell.disclosed_on is None:
        spell.disclosed_on = event.date


def _focus_removed(state: CaseState, index: int, event: m.Event) -> None:
    _close_focus(state, event.date, "focus_removed")


def _pivot_offered(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.PivotOffered)
    _close_focus(state, event.date, "pivot_offered")
    decide_by = days_later(event.date, event.decision_days)
    consider = min(event.offer.consideration_days, event.decision_days)
    state.offers.append(
        OfferState(index, event.date, "pivot_offered", event.offer, decide_by, consider)
    )
    end = event.plan.end
    state.plans.append(PlanState(index, event.date, event.plan, "pivot_offered", False, end, end))


def _option_chosen(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.OptionChosen)
    pivot = state.pivot_offer
    if pivot is not None and pivot.chosen is None:
        pivot.chosen, pivot.chosen_index = event.option, index
    if event.option == "plan":
        offered = next((p for p in reversed(state.plans) if p.source == "pivot_offered"), None)
        if offered is not None:
            offered.taken_up = True
    elif event.option == "severance":
        state.severance_chosen_from = state.stage
    else:
        state.appeals.append(AppealState(elected_on=event.date))


def _plan_started(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.PlanStarted)
    end = event.plan.end
    state.plans.append(PlanState(index, event.date, event.plan, "plan_started", True, end, end))


def _checkin(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.Checkin)
    plan = state.current_plan
    if plan is not None:
        plan.checkins.append((event.date, event.held))


def _plan_extended(state: CaseState, index: int, event: m.Event) -> None:
    """Move the end of the plan in progress, or of the Pivot plan awaiting the choice.

    An extension after the plan was decided (or after severance was chosen over it)
    applies to no plan (review-v4-readings.md 65, 67).
    """
    assert isinstance(event, m.PlanExtended)
    plan = state.plans[-1] if state.plans else None
    if plan is None or plan.outcome is not None:
        return
    if not plan.taken_up:
        pivot = next((o for o in state.offers if o.index == plan.index), None)
        if pivot is None or pivot.chosen is not None:
            return
    plan.end = event.end
    plan.latest_end = max(plan.latest_end, event.end)


def _plan_outcome(state: CaseState, index: int, event: m.Event) -> None:
    plan = state.current_plan
    if plan is None or plan.outcome is not None:
        # A Pivot plan decided though the employee's choice of it was never recorded:
        # the review goes on as if the plan had been taken up, so the plan rules still
        # judge its failure (spec/review.md, procedure.out_of_order).
        latest = state.plans[-1] if state.plans else None
        if latest is None or latest.taken_up or latest.outcome is not None:
            return
        latest.taken_up = True
        plan = latest
    plan.outcome, plan.outcome_on, plan.outcome_index = event.type, event.date, index
    if isinstance(event, m.PlanFailed):
        plan.appeal_days = event.appeal_days


def _appeal_elected(state: CaseState, index: int, event: m.Event) -> None:
    state.appeals.append(AppealState(elected_on=event.date))


def _appeal_decided(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.AppealDecided)
    if not state.appeals or state.appeals[-1].decided_on is not None:
        state.appeals.append(AppealState(elected_on=None))
    state.appeals[-1].decided_on, state.appeals[-1].outcome = event.date, event.outcome


def _offer_made(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.OfferMade)
    expires = days_later(event.date, event.offer.consideration_days)
    state.offers.append(
        OfferState(
            index, event.date, "offer_made", event.offer, expires, event.offer.consideration_days
        )
    )


def _offer_signed(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.OfferSigned)
    offer = state.offer_of_tier(event.tier)
    before = state.stage
    choice_of = None
    if before == "exiting" and state.severance_chosen_from is not None:
        # Choosing severance led to this signing: revoking it undoes the choice too.
        before = state.severance_chosen_from
        choice_of = state.pivot_offer
    state.severance_chosen_from = None
    if offer is not None:
        offer.signed_on, offer.revoked_on, offer.stage_before_signing = event.date, None, before
        offer.signings.append(Signing(index, event.date, undoes_choice_of=choice_of))


def _offer_revoked(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.OfferRevoked)
    offer = state.offer_of_tier(event.tier, signed=True)
    if offer is not None:
        offer.revoked_on = event.date
        signing = offer.standing_signing
        if signing is not None:
            signing.revoked_on, signing.revoked_index = event.date, index
            pivot = signing.undoes_choice_of
            if pivot is not None and pivot.chosen == "severance":
                pivot.chosen = pivot.chosen_index = None


def _separated(state: CaseState, index: int, event: m.Event) -> None:
    assert isinstance(event, m.Separated)
    _close_focus(state, event.date, "separated")
    state.separation = event


def _nothing(state: CaseState, index: int, event: m.Event) -> None:
    """Events that are part of the record but move nothing the fold tracks."""


_EFFECTS: dict[str, Callable[[CaseState, int, m.Event], None]] = {
    "concern_documented": _nothing,
    "focus_started": _focus_started,
    "focus_disclosed": _focus_disclosed,
    "focus_removed": _focus_removed,
    "pivot_offered": _pivot_offered,
    "option_chosen": _option_chosen,
    "plan_started": _plan_started,
    "checkin": _checkin,
    "plan_extended": _plan_extended,
    "plan_passed": _plan_outcome,
    "plan_failed": _plan_outcome,
    "appeal_elected": _appeal_elected,
    "appeal_decided": _appeal_decided,
    "offer_made": _offer_made,
    "offer_signed": _offer_signed,
    "offer_revoked": _offer_revoked,
    "separated": _separated,
    "transferred": _nothing,
}
