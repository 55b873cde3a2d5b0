"""What the web accepts at its edge: text that is text, of a sane size; numbers and dates in range.

Every value a person types or an integration sends passes here before any use case sees
it, on the pages and in the API alike (``actions.parse_fields``, the API's schemas). Text
is normalised to NFC, so one word has one spelling in the ledger's hashes; a lone
surrogate (which has no UTF-8 form and could never be hashed or stored) or a control
character is refused, as is text longer than a field holds. The domain and the ledger
keep their own rules; these are the web's, and each refusal names its field.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

TEXT_MAX = 10_000  # a note, a justification, a statement, a reply, a document's text
NAME_MAX = 200  # a name, a title, a label, an id, a choice
MONEY_MAX = 10_000_000_000
DAYS_MAX = 3650  # ten years
TIER_MAX = 10
SEQ_MAX = 2**31 - 1  # a ledger entry's number
DEPTH_MAX = 32  # as for a case file (casefile.md, "Errors")
YEARS = (1900, 9999)

# Keys whose strings are prose; every other string is a name, an id or a choice.
PROSE = frozenset(
    {"note", "text", "measure", "justification", "reason", "quota_language", "statement"}
)
DATES = frozenset(
    {
        "date",
        "start",
        "end",
        "due",
        "known_on",
        "notified_on",
        "end_date",
        "birth_date",
        "hire_date",
        "period_end",
        "as_of",
    }
)
MONEY = frozenset({"amount", "base_salary", "share_price"})
# A whole number's bounds by its key; a key ending ``_days`` counts days.
WHOLE: Mapping[str, tuple[int, int]] = {
    "tier": (1, TIER_MAX),
    "to": (1, SEQ_MAX),
    "hold": (1, SEQ_MAX),
    "entry": (1, SEQ_MAX),
    "age": (0, 150),
    "headcount": (1, 100_000_000),
}
_KEEP = {"\t", "\n", "\r"}


class Refused(ValueError):
    """A value the web does not take: why, and where in a JSON value (``goals[0].text``)."""

    def __init__(self, why: str, where: str | None = None) -> None:
        super().__init__(f"{where} {why}" if where else why)
        self.why = why
        self.where = where


def text(value: str, *, key: str = "", required: bool = False) -> str:
    """``value`` as NFC text, checked: no lone surrogates or control characters, not too long."""
    for i, ch in enumerate(value):
        if "\ud800" <= ch <= "\udfff":
            raise Refused(
                f"has a character that is not text at position {i + 1} (a lone surrogate, "
                f"U+{ord(ch):04X})"
            )
        if unicodedata.category(ch) == "Cc" and ch not in _KEEP:
            raise Refused(f"has a control character at position {i + 1} (U+{ord(ch):04X})")
    normal = unicodedata.normalize("NFC", value)
    limit = TEXT_MAX if key in PROSE else NAME_MAX
    if len(normal) > limit:
        raise Refused(f"is longer than {limit:,} characters (got {len(normal):,})")
    if required and not normal.strip():
        raise Refused("required (blanks alone are not a value)")
    return normal


def field(name: str, kind: str, value: Any, *, required: bool) -> Any:
    """A form or API field's parsed value (``actions.Field`` of ``kind``), checked."""
    if kind in ("text", "textarea"):
        return text(str(value), key="text" if kind == "textarea" else name, required=required)
    if kind == "int":
        return whole(value, name)
    if kind == "date":
        return day(value)
    if kind == "json":
        return tree(value)
    return value


def whole(value: int, key: str) -> int:
    """``value`` if it is in the bounds of a whole number called ``key``."""
    low, high = WHOLE.get(key, (0, DAYS_MAX) if key.endswith("_days") else (0, MONEY_MAX))
    if not low <= value <= high:
        # str() of a number of thousands of digits is itself refused: describe it instead.
        shown = value if abs(value) < 10**15 else "a number of more than 15 digits"
        raise Refused(f"must be from {low:,} to {high:,} (got {shown})")
    return value


def number(value: float, key: str) -> float:
    """A JSON number that is not whole: finite, in range, money with at most 2 decimals."""
    if not math.isfinite(value) or abs(value) > MONEY_MAX:
        raise Refused(f"must be from 0 to {MONEY_MAX:,} (got {value!r})")
    if key in MONEY:
        if value < 0:
            raise Refused(f"must be from 0 to {MONEY_MAX:,} (got {value!r})")
        if Decimal(repr(value)).as_tuple().exponent < -2:  # type: ignore[operator]
            raise Refused(f"has more than 2 decimal places (got {value!r})")
    return value


def day(value: str) -> str:
    """An ISO date, its year from 1900 to 9999; a string that is no date is left to the domain."""
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return value
    if not YEARS[0] <= parsed.year <= YEARS[1]:
        raise Refused(f"must be a year from {YEARS[0]} to {YEARS[1]} (got {value})")
    return value


def tree(value: Any, where: str = "", depth: int = 0) -> Any:
    """A JSON value with every string, number and date checked; ``Refused`` names the path."""
    try:
        return _node(value, where, depth)
    except Refused as exc:
        if exc.where is not None:  # named by a deeper level already
            raise
        raise Refused(exc.why, where) from None


def _node(value: Any, where: str, depth: int) -> Any:
    if depth > DEPTH_MAX:
        raise Refused(f"nests deeper than {DEPTH_MAX} levels")
    if isinstance(value, dict):
        return {
            text(str(k), key="key"): tree(v, _join(where, str(k)), depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [tree(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    return _leaf(value, where.rpartition(".")[2].partition("[")[0])


def _leaf(value: Any, key: str) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return whole(value, key)
    if isinstance(value, float):
        return number(value, key)
    if isinstance(value, str):
        checked = text(value, key=key)
        if checked and not checked.strip():
            raise Refused("is only blanks")
        return day(checked) if key in DATES else checked
    return value  # true, false, null


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
