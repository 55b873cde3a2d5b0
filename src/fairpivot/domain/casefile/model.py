"""The case file, ``fairpivot.casefile/1``, as typed, immutable records.

The records mirror spec/casefile.md key for key, so their JSON Schema is the format's
schema. ``validation.py`` checks a JSON value against them one key at a time; checks that
span several keys (ids that must exist, dates in order, ratings on the policy's scale)
live in ``checks.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

FORMAT = "fairpivot.casefile/1"

IsoDate = date  # written YYYY-MM-DD in JSON; msgspec accepts nothing looser

# review-v4.md item 12: the 50 states, DC, the five inhabited territories, and XX (outside
# the US). Checked on input (checks.py), so records stored before v4 stay readable.
US_STATES: tuple[str, ...] = (
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND",
    "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
    "TX", "UT", "VA", "VT", "WA", "WI", "WV", "WY",
)  # fmt: skip
WORK_STATES: tuple[str, ...] = (*US_STATES, "DC", "PR", "GU", "VI", "AS", "MP", "XX")
Identifier = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
]
Money = Annotated[float, msgspec.Meta(ge=0)]
PositiveMoney = Annotated[float, msgspec.Meta(gt=0)]
Text = Annotated[str, msgspec.Meta(min_length=1)]
Count = Annotated[int, msgspec.Meta(ge=0)]
PositiveCount = Annotated[int, msgspec.Meta(ge=1)]
Share = Annotated[float, msgspec.Meta(ge=0, le=1)]


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every case-file object: typed, no unknown keys, immutable.

    Each subclass says ``frozen=True, kw_only=True`` again: msgspec applies ``kw_only``
    class by class (it lets required keys follow optional ones, in the spec's order), and
    mypy reads ``frozen`` class by class.
    """


class Employer(Record, frozen=True, kw_only=True):
    name: str | None = None
    headcount: PositiveCount | None = None


class Demographics(Record, frozen=True, kw_only=True):
    sex: str | None = None
    race_ethnicity: str | None = None


class Employee(Record, frozen=True, kw_only=True):
    id: Identifier
    name: Text
    birth_date: IsoDate | None = None
    age: Annotated[int, msgspec.Meta(ge=0, le=130)] | None = None
    hire_date: IsoDate
    title: str | None = None
    level: str | None = None
    org: str | None = None
    manager: Identifier | None = None
    # One of WORK_STATES, checked on input with a message naming the set (checks.py).
    work_state: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    supervisor: bool = False
    base_salary: Money
    currency: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")] = "USD"
    demographics: Demographics | None = None


PersonRole = Literal["manager", "hr", "peer", "executive", "other"]


class Person(Record, frozen=True, kw_only=True):
    id: Identifier
    name: Text
    role: PersonRole


class Rating(Record, frozen=True, kw_only=True):
    date: IsoDate
    value: str
    cycle: str | None = None


class Promotion(Record, frozen=True, kw_only=True):
    date: IsoDate
    to_level: str | None = None


class Vest(Record, frozen=True, kw_only=True):
    date: IsoDate
    shares: Annotated[float, msgspec.Meta(gt=0)]


class EquityGrant(Record, frozen=True, kw_only=True):
    grant: Text
    vests: list[Vest]


class Bonus(Record, frozen=True, kw_only=True):
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


class ProtectedActivity(Record, frozen=True, kw_only=True):
    date: IsoDate
    kind: ActivityKind
    end_date: IsoDate | None = None
    known_to: list[Identifier] | None = None
    known_on: IsoDate | None = None  # the day the manager learned of it (review-v4 item 9)
    note: str | None = None

    @property
    def is_leave(self) -> bool:
        """Tell whether this is a leave, whose return date counts for timing."""
        return self.kind in LEAVE_KINDS


class OrgContext(Record, frozen=True, kw_only=True):
    ura_target: Share | None = None
    ura_actual: Share | None = None
    period_end: IsoDate | None = None
    quota_language: list[Text] | None = None


class Goal(Record, frozen=True, kw_only=True):
    text: Text
    measure: str | None = None
    due: IsoDate | None = None


class Plan(Record, frozen=True, kw_only=True):
    start: IsoDate
    end: IsoDate
    goals: Annotated[list[Goal], msgspec.Meta(min_length=1)]
    checkin_every_days: PositiveCount | None = None


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


class Offer(Record, frozen=True, kw_only=True):
    tier: PositiveCount
    amount: Money
    consideration_days: Count
    revocation_days: Count
    names_adea: bool = False
    advises_attorney: bool = False
    group_program: bool = False
    group_disclosures: bool = False
    clauses: list[Clause] = msgspec.field(default_factory=_default_clauses)
    negotiated: bool = False

    def has(self, clause: str) -> bool:
        """Tell whether the offer's terms include ``clause``."""
        return clause in self.clauses

    @property
    def is_release(self) -> bool:
        """Tell whether accepting the offer releases claims (a release offer)."""
        return not RELEASE_CLAUSES.isdisjoint(self.clauses)


class BaseEvent(Record, frozen=True, kw_only=True, tag_field="type"):
    """An event's common keys; its ``type`` is the record's msgspec tag."""

    date: IsoDate
    by: Identifier | None = None
    note: str | None = None

    @property
    def type(self) -> str:
        """The event type, ``focus_started`` and the like."""
        # Read a few dozen times a case: msgspec builds __struct_config__ on every read.
        kind = self.__class__
        tag = _TAGS.get(kind)
        if tag is None:
            tag = _TAGS[kind] = str(self.__struct_config__.tag)
        return tag


_TAGS: dict[type[BaseEvent], str] = {}


class ConcernDocumented(BaseEvent, frozen=True, kw_only=True, tag="concern_documented"):
    """A written performance concern: a coaching note or feedback."""


class FocusStarted(BaseEvent, frozen=True, kw_only=True, tag="focus_started"):
    """The development plan (Focus) begins."""

    disclosed: bool
    goals: list[Goal] | None = None


class FocusDisclosed(BaseEvent, frozen=True, kw_only=True, tag="focus_disclosed"):
    """The employee is told they are on Focus."""


class FocusRemoved(BaseEvent, frozen=True, kw_only=True, tag="focus_removed"):
    """Focus ends with the employee back in good standing."""


class PivotOffered(BaseEvent, frozen=True, kw_only=True, tag="pivot_offered"):
    """The Pivot letter: leave now with the offer, or take the plan."""

    offer: Offer
    plan: Plan
    decision_days: PositiveCount


class OptionChosen(BaseEvent, frozen=True, kw_only=True, tag="option_chosen"):
    """The employee's choice at Pivot."""

    option: Literal["severance", "plan", "appeal"]


class PlanStarted(BaseEvent, frozen=True, kw_only=True, tag="plan_started"):
    """An improvement plan starts directly (no Pivot offer)."""

    plan: Plan


class Checkin(BaseEvent, frozen=True, kw_only=True, tag="checkin"):
    """A scheduled plan check-in, held or missed."""

    held: bool


class PlanExtended(BaseEvent, frozen=True, kw_only=True, tag="plan_extended"):
    """The plan's end moves."""

    end: IsoDate


class PlanPassed(BaseEvent, frozen=True, kw_only=True, tag="plan_passed"):
    """The plan ends successfully."""


class PlanFailed(BaseEvent, frozen=True, kw_only=True, tag="plan_failed"):
    """The manager declares the plan failed."""

    appeal_days: PositiveCount | None = None


class AppealElected(BaseEvent, frozen=True, kw_only=True, tag="appeal_elected"):
    """The employee elects to appeal."""


class AppealDecided(BaseEvent, frozen=True, kw_only=True, tag="appeal_decided"):
    """The panel's decision: upheld means the manager's decision stands."""

    outcome: Literal["upheld", "overturned"]
    panel: list[Identifier] | None = None


class OfferMade(BaseEvent, frozen=True, kw_only=True, tag="offer_made"):
    """A further severance offer, such as tier 2 after a failed plan."""

    offer: Offer


class OfferSigned(BaseEvent, frozen=True, kw_only=True, tag="offer_signed"):
    """The employee signs the offer of that tier."""

    tier: int


class OfferRevoked(BaseEvent, frozen=True, kw_only=True, tag="offer_revoked"):
    """The employee revokes a signed offer within the revocation period."""

    tier: int


SeparationReason = Literal[
    "resignation",
    "resignation_with_severance",
    "termination_performance",
    "termination_misconduct",
    "layoff",
]


class Separated(BaseEvent, frozen=True, kw_only=True, tag="separated"):
    """Employment ends; ``reason`` is the label the employer recorded."""

    reason: SeparationReason
    no_rehire: bool | None = None
    notified_on: IsoDate | None = None  # the day the employee was told (review-v4 item 11)


class Transferred(BaseEvent, frozen=True, kw_only=True, tag="transferred"):
    """The employee moves to another team."""

    to_manager: Identifier | None = None
    org: str | None = None


Event = (
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
    | Transferred
)


class CaseFile(Record, frozen=True, kw_only=True):
    """One employee's case: who they are, their record, protected activity and events."""

    format: Literal["fairpivot.casefile/1"]
    as_of: IsoDate
    policy: Text = "amazon-pivot"
    employer: Employer | None = None
    employee: Employee
    people: list[Person] = []
    ratings: list[Rating] = []
    promotions: list[Promotion] = []
    equity: list[EquityGrant] = []
    share_price: Money | None = None
    bonuses: list[Bonus] = []
    protected_activities: list[ProtectedActivity] = []
    org_context: OrgContext | None = None
    events: list[Event]
