"""The review's output, ``fairpivot.review/1``: findings, deadlines and options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

FORMAT = "fairpivot.review/1"

# The day the rules and their wording were last checked against the law they cite.
RULES_CHECKED_ON = date(2026, 12, 2)

# review-v4.md section 6: one fixed string, the last key of every review.
NOTICE = (
    "This review is not legal advice and creates no lawyer-client relationship. It covers "
    "US federal law, and state law only where a rule names the state (Washington, "
    "California, Massachusetts); the rules were last checked against the law on "
    f"{RULES_CHECKED_ON.isoformat()}. Claim deadlines are estimates: treat the earliest "
    "as the one that controls. An employee may wish to consult their own lawyer."
)
Severity = Literal["high", "medium", "low", "info"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low", "info")


def severity_rank(severity: Severity) -> int:
    """0 for high, 3 for info: the sort key of a severity."""
    return SEVERITIES.index(severity)


def one_level_lower(severity: Severity) -> Severity:
    """The next lower severity; info stays info."""
    return SEVERITIES[min(severity_rank(severity) + 1, len(SEVERITIES) - 1)]


@dataclass(frozen=True, slots=True)
class Finding:
    """One risk in a case, with the facts behind it and the law it rests on."""

    code: str
    severity: Severity
    date: date
    message: str
    evidence: dict[str, Any]
    basis: str

    def to_json(self) -> dict[str, Any]:
        """The finding as the review format's JSON object."""
        return {
            "code": self.code,
            "severity": self.severity,
            "date": self.date.isoformat(),
            "message": self.message,
            "evidence": {k: _json_value(v) for k, v in self.evidence.items()},
            "basis": self.basis,
        }


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date by which someone must act, and whether it has passed."""

    code: str
    date: date
    passed: bool
    basis: str
    settled: bool = False

    def to_json(self) -> dict[str, Any]:
        """The deadline as the review format's JSON object."""
        return {
            "code": self.code,
            "date": self.date.isoformat(),
            "passed": self.passed,
            "settled": self.settled,
            "basis": self.basis,
        }


@dataclass(frozen=True, slots=True)
class Option:
    """One choice open to the employee at a decision point."""

    option: Literal["severance", "plan", "appeal"]
    tier: int | None
    cash: float
    equity_forfeited: float | None
    decide_by: date | None
    release_required: bool
    rehire_eligible: bool

    def to_json(self) -> dict[str, Any]:
        """The option as the review format's JSON object."""
        return {
            "option": self.option,
            "tier": self.tier,
            "cash": self.cash,
            "equity_forfeited": self.equity_forfeited,
            "decide_by": self.decide_by.isoformat() if self.decide_by else None,
            "release_required": self.release_required,
            "rehire_eligible": self.rehire_eligible,
        }


@dataclass(frozen=True, slots=True)
class Review:
    """Everything the review found in one case as of one date."""

    case: str
    as_of: date
    policy: str
    stage: str
    currency: str
    findings: tuple[Finding, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    options: tuple[Option, ...] = field(default=())
    notice: str = NOTICE
    # The first day after as_of on which the review could read differently with no new
    # event (None: never); kept with the projection, not part of the review document.
    expires_on: date | None = None

    @property
    def open_deadlines(self) -> tuple[Deadline, ...]:
        """The deadlines whose decision is still to be made (review-v4.md section 5)."""
        return tuple(d for d in self.deadlines if not d.settled)

    @property
    def settled_deadlines(self) -> tuple[Deadline, ...]:
        """Deadlines whose decision was made or can no longer be: for the timeline only."""
        return tuple(d for d in self.deadlines if d.settled)

    def to_json(self) -> dict[str, Any]:
        """The review as one ``fairpivot.review/1`` JSON document."""
        return {
            "format": FORMAT,
            "case": self.case,
            "as_of": self.as_of.isoformat(),
            "policy": self.policy,
            "stage": self.stage,
            "findings": [finding.to_json() for finding in self.findings],
            "deadlines": [deadline.to_json() for deadline in self.deadlines],
            "options": [option.to_json() for option in self.options],
            "notice": self.notice,
        }

    @classmethod
    def from_json(
        cls, doc: dict[str, Any], *, currency: str, expires_on: date | None = None
    ) -> Review:
        """The review a ``to_json`` document holds (its currency and expiry are not in it).

        Evidence comes back as the document has it: JSON values, dates as ISO text (the
        rules put some dates there as dates and some as text, so none is turned back).
        """
        day = date.fromisoformat
        return cls(
            case=doc["case"],
            as_of=day(doc["as_of"]),
            policy=doc["policy"],
            stage=doc["stage"],
            currency=currency,
            findings=tuple(
                Finding(
                    f["code"],
                    f["severity"],
                    day(f["date"]),
                    f["message"],
                    f["evidence"],
                    f["basis"],
                )
                for f in doc["findings"]
            ),
            deadlines=tuple(
                Deadline(
                    d["code"], day(d["date"]), d["passed"], d["basis"], d.get("settled", False)
                )
                for d in doc["deadlines"]
            ),
            options=tuple(
                Option(
                    o["option"],
                    o["tier"],
                    o["cash"],
                    o["equity_forfeited"],
                    day(o["decide_by"]) if o["decide_by"] else None,
                    o["release_required"],
                    o["rehire_eligible"],
                )
                for o in doc["options"]
            ),
            notice=doc.get("notice", NOTICE),
            expires_on=expires_on,
        )

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None when there are none."""
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=severity_rank)


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value
