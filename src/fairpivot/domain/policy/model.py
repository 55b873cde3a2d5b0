"""A process policy: the stage table, the rating scale, severance tiers and every threshold.

Thresholds that stand for a legal minimum (OWBPA's 21/45/7 days, the EEOC's 180/300 days,
Washington's 6 months, the ADEA's and FMLA's coverage) may be made stricter by a policy,
never looser: a policy that tries is invalid.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal

import msgspec

from fairpivot.domain.vocabulary import EVENT_TYPES, STAGES

BEFORE_SIGNING = "@before_signing"
_VARIANTS: dict[str, frozenset[str]] = {
    "option_chosen": frozenset({"severance", "plan", "appeal"}),
    "appeal_decided": frozenset({"upheld", "overturned"}),
}
PositiveInt = Annotated[int, msgspec.Meta(ge=1)]
Days = Annotated[int, msgspec.Meta(ge=0)]
StateCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
CENT = Decimal("0.01")
_SHORT_CLOCK_STATES = frozenset({"AL", "AR", "GA", "MS", "NC"})


class Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every policy section: typed, no unknown keys, immutable."""


class Scale(Section, frozen=True, kw_only=True):
    values: Annotated[list[Annotated[str, msgspec.Meta(min_length=1)]], msgspec.Meta(min_length=2)]


class Severance(Section, frozen=True, kw_only=True):
    tier1_weeks_of_base: Annotated[float, msgspec.Meta(ge=0)] | None = None
    tier1_percent_of_base_per_year: Annotated[float, msgspec.Meta(ge=0)] = 0.0
    tier_fractions: dict[str, str] = {}
    release_required: bool = True


class Rehire(Section, frozen=True, kw_only=True):
    after_severance: bool
    after_plan_failure: bool
    after_negotiated_offer: bool


class Windows(Section, frozen=True, kw_only=True):
    pivot_decision_days: PositiveInt
    plan_days: PositiveInt
    checkin_every_days: PositiveInt
    appeal_election_business_days: PositiveInt


class Appeal(Section, frozen=True, kw_only=True):
    tie_goes_to: Literal["employee", "manager"] = "employee"
    # A panel of peers decides (its size odd, so a full panel cannot tie); without one, HR
    # records the decision itself (review-v4.md section 8 item 2).
    panel: bool = True
    panel_size: Annotated[int, msgspec.Meta(ge=1, le=15)] = 3
    decide_within_days: PositiveInt = 14


class Guardrails(Section, frozen=True, kw_only=True):
    # ``all_adverse``: every adverse step a manager asks for waits for HR; ``risky_only``:
    # only a step that would add a high finding (review-v4.md section 8 item 6).
    hold: Literal["all_adverse", "risky_only"] = "all_adverse"


class Thresholds(Section, frozen=True, kw_only=True):
    retaliation_high_days: Days
    retaliation_medium_days: Days
    retaliation_low_days: Days
    leave_adjacent_days: Days
    strong_rating_days: Days
    strong_rating_top_values: PositiveInt
    promotion_days: Days
    focus_target_days: PositiveInt
    plan_min_days: PositiveInt
    checkins_held_ratio: Annotated[float, msgspec.Meta(gt=0, le=1)]
    appeal_min_business_days: PositiveInt
    vesting_window_days: PositiveInt
    # Legal minimums: the bounds below are the law's, so a policy can only tighten them.
    owbpa_min_age: Annotated[int, msgspec.Meta(ge=18, le=40)]
    owbpa_consideration_days: Annotated[int, msgspec.Meta(ge=21)]
    owbpa_group_consideration_days: Annotated[int, msgspec.Meta(ge=45)]
    owbpa_revocation_days: Annotated[int, msgspec.Meta(ge=7)]
    adea_min_headcount: Annotated[int, msgspec.Meta(ge=1, le=20)]
    fmla_min_headcount: Annotated[int, msgspec.Meta(ge=1, le=50)]
    eeoc_charge_days: Annotated[int, msgspec.Meta(ge=1, le=300)]
    eeoc_charge_days_without_state_agency: Annotated[int, msgspec.Meta(ge=1, le=180)]
    eeoc_states_without_state_agency: list[StateCode]
    state_agency_months: dict[str, PositiveInt]


def event_key(event_type: str, variant: str | None = None) -> str:
    """The stage table's name for an event: its type, or ``type:variant``."""
    return f"{event_type}:{variant}" if variant else event_type


class Policy(Section, frozen=True, kw_only=True):
    """A process policy, loaded from a TOML file and checked key by key."""

    name: Annotated[str, msgspec.Meta(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
    title: str
    initial_stage: str
    scale: Scale
    severance: Severance
    rehire: Rehire
    windows: Windows
    appeal: Appeal = Appeal()
    guardrails: Guardrails = Guardrails()
    thresholds: Thresholds
    stages: dict[str, dict[str, str]]

    def next_stage(self, stage: str, key: str) -> str | None:
        """The stage an allowed event leads to, or None when the stage does not allow it."""
        moves = self.stages.get(stage, {})
        if key in moves:
            return moves[key]
        base = key.partition(":")[0]
        return moves.get(base)

    def allows(self, stage: str, key: str) -> bool:
        """Tell whether ``stage`` allows the event named ``key``."""
        return self.next_stage(stage, key) is not None

    def leads_to(self, key: str) -> str | None:
        """Where the table sends an event wherever it lists it as a move, if anywhere."""
        for stage in self.stages:
            target = self.next_stage(stage, key)
            if target is not None and target != stage:
                return target
        return None

    def allowed_events(self, stage: str) -> list[str]:
        """The events ``stage`` allows, in the policy file's order."""
        return list(self.stages.get(stage, {}))

    @property
    def appeals_failed_plans(self) -> bool:
        """Whether the employee may appeal a failed plan under this policy."""
        return self.allows("plan_failed", "appeal_elected")

    @property
    def appeals_placement(self) -> bool:
        """Whether the employee may appeal the Pivot placement itself."""
        return self.allows("pivot_offered", "option_chosen:appeal")

    @property
    def lowest_rating(self) -> str:
        """The lowest value on the rating scale."""
        return self.scale.values[0]

    def is_top_rating(self, value: str) -> bool:
        """Tell whether a rating is among the top values the strong-performer rule counts."""
        return value in self.scale.values[-self.thresholds.strong_rating_top_values :]

    @property
    def has_tiers(self) -> bool:
        """Whether the policy defines severance tiers by formula."""
        return self.severance.tier1_weeks_of_base is not None

    def tier1_amount(self, base_salary: float, tenure_years: int) -> Decimal | None:
        """The formula's tier-1 amount, rounded to the cent; None without tiers."""
        weeks = self.severance.tier1_weeks_of_base
        if weeks is None:
            return None
        base = Decimal(repr(base_salary))
        amount = base * Decimal(repr(weeks)) / Decimal(52) + base * Decimal(
            repr(self.severance.tier1_percent_of_base_per_year)
        ) / Decimal(100) * max(tenure_years, 0)
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)

    def tier_amount(self, tier: int, tier1: Decimal) -> Decimal | None:
        """A later tier's amount as the policy's fraction of tier 1; None if undefined."""
        text = self.severance.tier_fractions.get(str(tier))
        if text is None:
            return None
        fraction = Fraction(text)
        amount = tier1 * fraction.numerator / fraction.denominator
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def policy_problems(policy: Policy) -> list[str]:
    """What a well-typed policy still gets wrong: the checks that span keys."""
    problems: list[str] = []
    values = policy.scale.values
    if len(set(values)) != len(values):
        problems.append("scale.values: rating values must be unique")
    for tier, text in policy.severance.tier_fractions.items():
        problem = _fraction_problem(tier, text)
        if problem:
            problems.append(f"severance.tier_fractions.{tier}: {problem}")
    problems += _threshold_problems(policy.thresholds)
    if policy.appeal.panel_size % 2 == 0:
        problems.append(
            f"appeal.panel_size: must be odd, so a full panel cannot tie "
            f"(got {policy.appeal.panel_size})"
        )
    if policy.initial_stage not in STAGES:
        problems.append(f"initial_stage: unknown stage {policy.initial_stage!r}")
    elif policy.initial_stage not in policy.stages:
        problems.append(f"initial_stage: {policy.initial_stage!r} has no [stages] table")
    for stage, moves in policy.stages.items():
        if stage not in STAGES:
            problems.append(f"stages.{stage}: unknown stage (stages: {', '.join(STAGES)})")
        problems += [
            f"stages.{stage}.{key}: {problem}"
            for key, target in moves.items()
            if (problem := _move_problem(key, target))
        ]
    return problems


def _fraction_problem(tier: str, text: str) -> str | None:
    if not tier.isdigit() or int(tier) < 2:
        return "the tier must be a whole number of 2 or more"
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return f"{text!r} is not a fraction such as 1/3"
    if not 0 < value <= 1:
        return f"{text} must be more than 0 and at most 1"
    return None


def _threshold_problems(t: Thresholds) -> list[str]:
    problems = []
    if not t.retaliation_high_days <= t.retaliation_medium_days <= t.retaliation_low_days:
        problems.append(
            "thresholds: retaliation_high_days <= retaliation_medium_days <= "
            "retaliation_low_days must hold"
        )
    # Every state where a fair-employment agency shares EEOC charges gets 300 days;
    # dropping one of the five 180-day states from the list would lengthen its clock.
    missing = _SHORT_CLOCK_STATES - set(t.eeoc_states_without_state_agency)
    if missing:
        problems.append(
            "thresholds.eeoc_states_without_state_agency: must list AL, AR, GA, MS and NC"
            f" (missing {', '.join(sorted(missing))})"
        )
    wa_months = t.state_agency_months.get("WA")
    if wa_months is not None and wa_months > 6:
        problems.append(
            f"thresholds.state_agency_months.WA: must be at most 6, the law's period "
            f"(RCW 49.60.230) (got {wa_months})"
        )
    return problems


def _move_problem(key: str, target: str) -> str | None:
    event_type, _, variant = key.partition(":")
    if event_type not in EVENT_TYPES:
        return f"unknown event {event_type!r}"
    if variant and variant not in _VARIANTS.get(event_type, frozenset()):
        return f"{event_type!r} has no variant {variant!r}"
    if target == BEFORE_SIGNING:
        return (
            None if event_type == "offer_revoked" else f"{BEFORE_SIGNING} is only for offer_revoked"
        )
    if target not in STAGES:
        return f"unknown stage {target!r}"
    return None
