"""Turn pydantic's validation errors into fairpivot's messages: ``where: what (got …)``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_LIMITS = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be greater than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters",
    "too_short": "must have at least {min_length} item(s)",
    "too_long": "must have at most {max_length} item(s)",
}
_FIXED = {
    "missing": "required",
    "extra_forbidden": "unknown key",
    "string_pattern_mismatch": "is not in the expected form",
}
_TYPES = {
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false",
    "list_type": "must be an array",
    "model_type": "must be an object",
    "dict_type": "must be an object",
    "model_attributes_type": "must be an object",
    "date_type": "must be a date string YYYY-MM-DD",
    "date_parsing": "not a date",
    "money_precision": "has more than 2 decimal places",
}


def render_value(value: object) -> str:
    """Show an offending input the way it appears in JSON, shortened if long."""
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def render_path(loc: Iterable[str | int]) -> str:
    """Render a location as ``events[3].offer.tier``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "(top level)"


def _what(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}"
    if kind in _LIMITS:
        return _LIMITS[kind].format(**ctx)
    if kind in _TYPES:
        return _TYPES[kind]
    return str(error["msg"])


def describe(error: ErrorDetails, loc: Sequence[str | int]) -> str:
    """One line for one validation error, at the given location."""
    what = _what(error)
    if error["type"] in ("missing", "extra_forbidden"):
        return f"{render_path(loc)}: {what}"
    return f"{render_path(loc)}: {what} (got {render_value(error['input'])})"


def describe_all(exc: ValidationError) -> list[str]:
    """One line per validation error, in the order pydantic found them."""
    return [describe(error, error["loc"]) for error in exc.errors()]
