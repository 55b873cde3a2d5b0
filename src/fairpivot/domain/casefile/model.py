"""The case file, ``fairpivot.casefile/1``, as typed, immutable records.

The models mirror spec/casefile.md key for key, so their JSON Schema is the format's
schema. Checks that span several keys (ids that must exist, dates in order, ratings on
the policy's scale) live in ``checks.py``; turning validation errors into the spec's
messages lives in ``load.py``.
"""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from fairpivot.domain.dates import parse_iso_date

FORMAT = "fairpivot.casefile/1"


def _as_date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "must be a date string YYYY-MM-DD")
    try:
        return parse_iso_date(value)
    except ValueError:
        raise PydanticCustomError("date_parsing", "not a date") from None


def _at_most_two_decimals(value: float) -> float:
    if Decimal(repr(value)).as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError("money_precision", "has more than 2 decimal places")
    return value


IsoDate = Annotated[date, BeforeValidator(_as_date), Field(json_schema_extra={"format": "date"})]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False), AfterValidator(_at_most_two_decimals)]
PositiveMoney = Annotated[
    float, Field(gt=0, allow_inf_nan=False), AfterValidator(_at_most_two_decimals)
]
Text = Annotated[str, Field(min_length=1)]


class Record(BaseModel):
    """Base of every case-file object: strict types, no unknown keys, immutable."""

    # defer_build: only CaseFile's validator is ever built, once, on first use; building
    # one per record class at import would double the command line's start-up time.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Employer(Record):
    name: str | None = None
    headcount: int | None = Field(default=None, ge=1)


class Demographics(Record):
    sex: str | None = None
    race_ethnicity: str | None = None


class Employee(Record):
    id: Identifier
    name: Text
    birth_date: IsoDate | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    hire_date: IsoDate
    title: str | None = None
    level: str | None = None
    org: str | None = None
    manager: Identifier | None = None
    work_state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    supervisor: bool = False
    base_salary: Money
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    demographics: Demographics | None = None


PersonRole = Literal["manager", "hr", "peer", "executive", "other"]


class Person(Record):
    id: Identifier
    name: Text
    role: PersonRole


class Rating(Record):
    date: IsoDate
    value: str
    cycle: str | None = None


class Promotion(Record):
    date: IsoDate
    to_level: str | None = None


class Vest(Record):
    date: IsoDate
    shares: Annotated[float, Field(gt=0, allow_inf_nan=False)]


class EquityGrant(Record):
    grant: Text
    vests: list[Vest]


class Bonus(Record):
    date: IsoDate
    amount: PositiveMoney
    label: str | None = None


ActivityKind = Literal[
    "fmla_leave",
    "medical_leave",
    "ada_accommodation_request",
    "discrimination_complaint",
    "harassment_complaint",
    "retaliation_complaint",
    "wage_complaint",
    "safety_complaint",
    "whistleblower_report",
    "agency_charge",
    "concerted_activity",
    "other",
]
LEAVE_KINDS: frozenset[str] = frozenset({"fmla_leave", "medical_leave"})
COMPLAINT_KINDS: frozenset[str] = frozenset(
    {
        "discrimination_complaint",
        "harassment_complaint",
        "retaliation_complaint",
        "wage_complaint",
        "safety_complaint",
        "whistleblower_report",
        "agency_charge",
    }
)


class ProtectedActivity(Record):
    date: IsoDate
    kind: ActivityKind
    end_date: IsoDate | None = None
    known_to: list[Identifier] | None = None
    note: str | None = None

    @property
    def is_leave(self) -> bool:
        """Tell whether this is a leave, whose return date counts for timing."""
        return self.kind in LEAVE_KINDS


class OrgContext(Record):
    ura_target: Annotated[float, Field(ge=0, le=1)] | None = None
    ura_actual: Annotated[float, Field(ge=0, le=1)] | None = None
    period_end: IsoDate | None = None
    quota_language: list[Text] | None = None


class Goal(Record):
    text: Text
    measure: str | None = None
    due: IsoDate | None = None


class Plan(Record):
    start: IsoDate
    end: IsoDate
    goals: Annotated[list[Goal], Field(min_length=1)]
    checkin_every_days: int | None = Field(default=None, ge=1)


Clause = Literal[
    "release_of_claims",
    "covenant_not_to_sue",
    "confidentiality",
    "non_disparagement",
    "no_rehire",
    "bars_agency_charge",
    "tender_back",
    "carve_out_illegal_conduct",
    "preserves_section7_rights",
]
RELEASE_CLAUSES: frozenset[str] = frozenset({"release_of_claims", "covenant_not_to_sue"})
GAG_CLAUSES: frozenset[str] = frozenset({"confidentiality", "non_disparagement"})


def _default_clauses() -> list[Clause]:
    return ["release_of_claims"]


class Offer(Record):
    tier: int = Field(ge=1)
    amount: Money
    consideration_days: int = Field(ge=0)
    revocation_days: int = Field(ge=0)
    names_adea: bool = False
    advises_attorney: bool = False
    group_program: bool = False
    group_disclosures: bool = False
    clauses: list[Clause] = Field(default_factory=_default_clauses)
    negotiated: bool = False

    def has(self, clause: str) -> bool:
        """Tell whether the offer's terms include ``clause``."""
        return clause in self.clauses

    @property
    def is_release(self) -> bool:
        """Tell whether accepting the offer releases claims (a release offer)."""
        return not RELEASE_CLAUSES.isdisjoint(self.clauses)


class BaseEvent(Record):
    date: IsoDate
    by: Identifier | None = None
    note: str | None = None


class ConcernDocumented(BaseEvent):
    type: Literal["concern_documented"]


class FocusStarted(BaseEvent):
    type: Literal["focus_started"]
    disclosed: bool
    goals: list[Goal] | None = None


class FocusDisclosed(BaseEvent):
    type: Literal["focus_disclosed"]


class FocusRemoved(BaseEvent):
    type: Literal["focus_removed"]


class PivotOffered(BaseEvent):
    type: Literal["pivot_offered"]
    offer: Offer
    plan: Plan
    decision_days: int = Field(ge=1)


class OptionChosen(BaseEvent):
    type: Literal["option_chosen"]
    option: Literal["severance", "plan", "appeal"]


class PlanStarted(BaseEvent):
    type: Literal["plan_started"]
    plan: Plan


class Checkin(BaseEvent):
    type: Literal["checkin"]
    held: bool


class PlanExtended(BaseEvent):
    type: Literal["plan_extended"]
    end: IsoDate


class PlanPassed(BaseEvent):
    type: Literal["plan_passed"]


class PlanFailed(BaseEvent):
    type: Literal["plan_failed"]
    appeal_days: int | None = Field(default=None, ge=1)


class AppealElected(BaseEvent):
    type: Literal["appeal_elected"]


class AppealDecided(BaseEvent):
    type: Literal["appeal_decided"]
    outcome: Literal["upheld", "overturned"]
    panel: list[Identifier] | None = None


class OfferMade(BaseEvent):
    type: Literal["offer_made"]
    offer: Offer


class OfferSigned(BaseEvent):
    type: Literal["offer_signed"]
    tier: int


class OfferRevoked(BaseEvent):
    type: Literal["offer_revoked"]
    tier: int


SeparationReason = Literal[
    "resignation",
    "resignation_with_severance",
    "termination_performance",
    "termination_misconduct",
    "layoff",
]


class Separated(BaseEvent):
    type: Literal["separated"]
    reason: SeparationReason
    no_rehire: bool | None = None


class Transferred(BaseEvent):
    type: Literal["transferred"]
    to_manager: Identifier | None = None
    org: str | None = None


Event = Annotated[
    ConcernDocumented
    | FocusStarted
    | FocusDisclosed
    | FocusRemoved
    | PivotOffered
    | OptionChosen
    | PlanStarted
    | Checkin
    | PlanExtended
    | PlanPassed
    | PlanFailed
    | AppealElected
    | AppealDecided
    | OfferMade
    | OfferSigned
    | OfferRevoked
    | Separated
    | Transferred,
    Field(discriminator="type"),
]


class CaseFile(Record):
    """One employee's case: who they are, their record, protected activity and events."""

    model_config = ConfigDict(
        title="fairpivot case file, version 1",
        json_schema_extra={"$id": "https://fairpivot.invalid/schema/casefile-1.json"},
    )

    format: Literal["fairpivot.casefile/1"]
    as_of: IsoDate
    policy: Annotated[str, Field(min_length=1)] = "amazon-pivot"
    employer: Employer | None = None
    employee: Employee
    people: list[Person] = Field(default_factory=list)
    ratings: list[Rating] = Field(default_factory=list)
    promotions: list[Promotion] = Field(default_factory=list)
    equity: list[EquityGrant] = Field(default_factory=list)
    share_price: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    bonuses: list[Bonus] = Field(default_factory=list)
    protected_activities: list[ProtectedActivity] = Field(default_factory=list)
    org_context: OrgContext | None = None
    events: list[Event]
