"""A process policy: the stage table, the rating scale, severance tiers and every threshold.

Thresholds that stand for a legal minimum (OWBPA's 21/45/7 days, the EEOC's 180/300 days,
Washington's 6 months, the ADEA's and FMLA's coverage) may be made stricter by a policy,
never looser: a policy that tries is invalid.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fairpivot.domain.vocabulary import EVENT_TYPES, STAGES

BEFORE_SIGNING = "@before_signing"
_VARIANTS: dict[str, frozenset[str]] = {
    "option_chosen": frozenset({"severance", "plan", "appeal"}),
    "appeal_decided": frozenset({"upheld", "overturned"}),
}
PositiveInt = Annotated[int, Field(ge=1)]
CENT = Decimal("0.01")


class Section(BaseModel):
    """Base of every policy section: strict, no unknown keys, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Scale(Section):
    values: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=2)]

    @field_validator("values")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        if len(set(values)) != len(values):
            raise ValueError("rating values must be unique")
        return values


class Severance(Section):
    tier1_weeks_of_base: Annotated[float, Field(ge=0)] | None = None
    tier1_percent_of_base_per_year: Annotated[float, Field(ge=0)] = 0.0
    tier_fractions: dict[str, str] = Field(default_factory=dict)
    release_required: bool = True

    @field_validator("tier_fractions")
    @classmethod
    def _fractions(cls, fractions: dict[str, str]) -> dict[str, str]:
        for tier, text in fractions.items():
            if not tier.isdigit() or int(tier) < 2:
                raise ValueError(f"tier {tier!r} must be a whole number of 2 or more")
            try:
                value = Fraction(text)
            except (ValueError, ZeroDivisionError):
                raise ValueError(f"tier {tier}: {text!r} is not a fraction such as 1/3") from None
            if not 0 < value <= 1:
                raise ValueError(f"tier {tier}: {text} must be more than 0 and at most 1")
        return fractions


class Rehire(Section):
    after_severance: bool
    after_plan_failure: bool
    after_negotiated_offer: bool


class Windows(Section):
    pivot_decision_days: PositiveInt
    plan_days: PositiveInt
    checkin_every_days: PositiveInt
    appeal_election_business_days: PositiveInt


class Appeal(Section):
    tie_goes_to: Literal["employee", "manager"] = "employee"


class Thresholds(Section):
    retaliation_high_days: Annotated[int, Field(ge=0)]
    retaliation_medium_days: Annotated[int, Field(ge=0)]
    retaliation_low_days: Annotated[int, Field(ge=0)]
    leave_adjacent_days: Annotated[int, Field(ge=0)]
    strong_rating_days: Annotated[int, Field(ge=0)]
    strong_rating_top_values: PositiveInt
    promotion_days: Annotated[int, Field(ge=0)]
    focus_target_days: PositiveInt
    plan_min_days: PositiveInt
    checkins_held_ratio: Annotated[float, Field(gt=0, le=1)]
    appeal_min_business_days: PositiveInt
    vesting_window_days: PositiveInt
    # Legal minimums: the bounds below are the law's, so a policy can only tighten them.
    owbpa_min_age: Annotated[int, Field(ge=18, le=40)]
    owbpa_consideration_days: Annotated[int, Field(ge=21)]
    owbpa_group_consideration_days: Annotated[int, Field(ge=45)]
    owbpa_revocation_days: Annotated[int, Field(ge=7)]
    adea_min_headcount: Annotated[int, Field(ge=1, le=20)]
    fmla_min_headcount: Annotated[int, Field(ge=1, le=50)]
    eeoc_charge_days: Annotated[int, Field(ge=1, le=300)]
    eeoc_charge_days_without_state_agency: Annotated[int, Field(ge=1, le=180)]
    eeoc_states_without_state_agency: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]]
    state_agency_months: dict[str, Annotated[int, Field(ge=1)]]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not (
            self.retaliation_high_days <= self.retaliation_medium_days <= self.retaliation_low_days
        ):
            raise ValueError(
                "retaliation_high_days <= retaliation_medium_days <= retaliation_low_days must hold"
            )
        # Every state where a fair-employment agency shares EEOC charges gets 300 days;
        # dropping one of the five 180-day states from the list would lengthen its clock.
        missing = {"AL", "AR", "GA", "MS", "NC"} - set(self.eeoc_states_without_state_agency)
        if missing:
            raise ValueError(
                "eeoc_states_without_state_agency must list AL, AR, GA, MS and NC"
                f" (missing {', '.join(sorted(missing))})"
            )
        wa_months = self.state_agency_months.get("WA")
        if wa_months is not None and wa_months > 6:
            raise ValueError("state_agency_months.WA must be at most 6 (RCW 49.60.230)")
        return self


def event_key(event_type: str, variant: str | None = None) -> str:
    """The stage table's name for an event: its type, or ``type:variant``."""
    return f"{event_type}:{variant}" if variant else event_type


class Policy(Section):
    """A process policy, loaded from a TOML file and checked key by key."""

    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
    title: str
    initial_stage: Literal[STAGES]  # type: ignore[valid-type]
    scale: Scale
    severance: Severance
    rehire: Rehire
    windows: Windows
    appeal: Appeal = Appeal()
    thresholds: Thresholds
    stages: dict[str, dict[str, str]]

    @field_validator("stages")
    @classmethod
    def _stage_table(cls, table: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for stage, moves in table.items():
            if stage not in STAGES:
                raise ValueError(f"unknown stage {stage!r} (stages: {', '.join(STAGES)})")
            for key, target in moves.items():
                _check_move(stage, key, target)
        return table

    @model_validator(mode="after")
    def _initial_stage_listed(self) -> Self:
        if self.initial_stage not in self.stages:
            raise ValueError(f"initial_stage {self.initial_stage!r} has no [stages] table")
        return self

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


def _check_move(stage: str, key: str, target: str) -> None:
    event_type, _, variant = key.partition(":")
    if event_type not in EVENT_TYPES:
        raise ValueError(f"{stage}.{key}: unknown event {event_type!r}")
    if variant and variant not in _VARIANTS.get(event_type, frozenset()):
        raise ValueError(f"{stage}.{key}: {event_type!r} has no variant {variant!r}")
    if target == BEFORE_SIGNING:
        if event_type != "offer_revoked":
            raise ValueError(f"{stage}.{key}: {BEFORE_SIGNING} is only for offer_revoked")
    elif target not in STAGES:
        raise ValueError(f"{stage}.{key}: unknown stage {target!r}")
