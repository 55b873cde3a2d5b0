"""The API's request and response bodies, as they appear in its OpenAPI document.

Case files and reviews travel as the JSON documents their specs define
(``fairpivot.casefile/1``, ``fairpivot.review/1``): they are checked by the domain, which
names every problem, so they are not modelled a second time here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from fairpivot.domain.casefile.schema import case_file_schema
from fairpivot.domain.policy import shipped_policies
from fairpivot.domain.review.model import Severity
from fairpivot.domain.vocabulary import STAGES
from fairpivot.records.cases import limits
from fairpivot.web.models import AccessLogEntry

# The Case's ``version`` column is a PostgreSQL integer: a larger number is no version.
# Offsets share the bound, so no database is asked to skip more rows than it can count.
MAX_VERSION = MAX_OFFSET = 2**31 - 1
MAX_PAGE = 500


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """A case-file schema node with its ``$ref``s replaced by what they name."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _inline(defs[ref.removeprefix("#/$defs/")], defs)
    return {key: _inline(value, defs) for key, value in node.items()}


_CASE_FILE_DEFS: dict[str, Any] = case_file_schema()["$defs"]


def case_file_part(name: str) -> dict[str, Any]:
    """The JSON Schema of one part of a case file (``Employee``, ``Person``, ...)."""
    schema: dict[str, Any] = _inline(_CASE_FILE_DEFS[name], _CASE_FILE_DEFS)
    return schema


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` pages of at most ``MAX_PAGE`` items: ``{"items", "count"}``."""

    class Input(LimitOffsetPagination.Input):
        """The page asked for."""

        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class ErrorBody(Schema):
    """What went wrong: a stable code, a sentence, and one line per problem."""

    code: str = Field(examples=["invalid"])
    message: str
    problems: list[str] = Field(examples=[["body.version: Field required"]])


class ErrorOut(Schema):
    """The API's one error shape."""

    error: ErrorBody


def _known_stage(value: str) -> str:
    if value not in STAGES:
        raise ValueError(f"not a stage (one of {', '.join(STAGES)})")
    return value


Stage = Annotated[
    str, AfterValidator(_known_stage), WithJsonSchema({"type": "string", "enum": list(STAGES)})
]


class CaseFilter(Schema):
    """Which cases to list."""

    stage: Stage | None = None
    severity: Severity | None = Field(None, description="the worst finding's severity")


class CaseRow(Schema):
    """A case in a list: where it stands."""

    id: str = Field(examples=["C-42"])
    employee: str = Field(description="the employee's id in the case file")
    stage: str
    worst_severity: Severity | None
    next_deadline: date | None
    version: int = Field(description="send it back with a step, to catch concurrent changes")


Document = dict[str, Any]


class CaseDetail(CaseRow):
    """A case with its latest review."""

    policy: str
    opened_at: datetime
    review: Document = Field(description="the fairpivot.review/1 document")


class LedgerEntryOut(Schema):
    """One entry of a case's hash chain, exactly as hashed."""

    seq: int
    kind: str
    payload: str
    recorded_by: str
    recorded_at: str
    prev_hash: str
    hash: str


class LedgerOut(Schema):
    """A case's whole ledger (``fairpivot.ledger/1``): ``fairpivot ledger verify --file``."""

    format: str
    case: str
    hash: str = Field(description="how each entry's hash is computed")
    entries: list[LedgerEntryOut]


class EventOut(Schema):
    """One event of the case, with its position in the case's ledger."""

    seq: int = Field(description="the ledger entry; a reply or a retraction names it")
    event: Document


class DeadlinesOut(Schema):
    """The case's deadlines (fairpivot.review/1 ``deadlines``) and the review's notice."""

    case: str
    as_of: date
    deadlines: list[Document] = Field(
        description="every deadline: ``settled`` ones (the decision made, or no longer "
        "possible) are for the timeline; the others are still to be met"
    )
    notice: str = Field(description="what the review is and is not, as in every review")


class OptionsOut(Schema):
    """The choices open at the case's decision point (fairpivot.review/1 ``options``)."""

    case: str
    as_of: date
    stage: str
    options: list[Document]


class FieldOut(Schema):
    """One input an action takes."""

    name: str
    kind: str = Field(
        description=(
            "text, textarea, date, int, money, bool, choice, pick (one of choices, from the "
            "case now), multi (a list of choices), people (a list of choices, from the case "
            "now) or goals (a list of {text, measure?, due?})"
        )
    )
    label: str
    required: bool
    choices: list[str]


class ActionOut(Schema):
    """A step the caller may take on the case now."""

    name: str
    label: str
    acting_as: str = Field(description="the caller's relation to the case this action uses")
    event: str | None = Field(description="the stage-table event the action records, if any")
    guarded: bool = Field(
        description="an adverse step: asked for by a manager, it waits for HR's sign-off "
        "(the policy's guardrails.hold says which)"
    )
    fields: list[FieldOut]


class StepIn(Schema):
    """A step to take: the case version it was decided on, and the action's inputs."""

    version: int = Field(ge=0, le=MAX_VERSION)
    inputs: dict[str, Any] = Field(default_factory=dict)


class RecordedOut(Schema):
    """The step was recorded."""

    recorded: bool = True
    version: int
    review: Document


class HeldOut(Schema):
    """The step was held for HR sign-off: the hold's ledger entry and why."""

    held: int
    findings: list[str]


def _within_limits(value: Any) -> Any:
    """A case-file part with its text, numbers and dates checked at the edge (``limits``)."""
    try:
        return limits.tree(value)
    except limits.Refused as exc:
        raise PydanticCustomError("refused", str(exc)) from None


Checked = AfterValidator(_within_limits)
Employee = Annotated[dict[str, Any], Checked, WithJsonSchema(case_file_part("Employee"))]
Person = Annotated[dict[str, Any], Checked, WithJsonSchema(case_file_part("Person"))]
Employer = Annotated[dict[str, Any], Checked, WithJsonSchema(case_file_part("Employer"))]


class OpenCaseIn(Schema):
    """A live case to open: the employee and the people who will act in it, as in a case file."""

    employee: Employee
    policy: str = Field(
        "amazon-pivot",
        max_length=limits.NAME_MAX,
        json_schema_extra={"enum": list(shipped_policies())},
    )
    employer: Employer | None = None
    people: list[Person] = Field(default_factory=list)


class HoldOut(Schema):
    """A manager's step waiting for HR sign-off."""

    case: str
    seq: int = Field(description="send it as ``hold`` with the sign_off action")
    event: Document
    findings: list[str]
    justification: str
    requested_by: str


class AccessOut(Schema):
    """Someone saw a sensitive part of a case."""

    at: datetime
    user: str
    case: str
    part: str
    via: str

    @staticmethod
    def resolve_user(entry: AccessLogEntry) -> str:
        """Who saw it: their login."""
        return entry.user.get_username()

    @staticmethod
    def resolve_case(entry: AccessLogEntry) -> str:
        """Which case: ``C-42``."""
        return f"C-{entry.case_id}"
