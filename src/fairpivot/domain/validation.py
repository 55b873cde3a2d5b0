"""Check a JSON value against typed records, collecting one message per problem.

msgspec converts a value to a type quickly but stops at its first error. A case file
must report every problem, so this walks the records itself: objects key by key, arrays
item by item, and hands each leaf (a number, a date, a list of strings) to msgspec.
Messages read ``where: what (got …)``, where is ``events[3].offer.tier``.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

import msgspec

T = TypeVar("T", bound=msgspec.Struct)
TAG = "type"  # the key that tells the records of a union apart
Loc = tuple[str | int, ...]


class Problems(list[str]):
    """The messages gathered so far, in the order the problems were found."""

    def add(self, loc: Loc, what: str, value: object = msgspec.UNSET) -> None:
        """Record one problem at ``loc``, showing the offending value when given."""
        got = "" if value is msgspec.UNSET else f" (got {render_value(value)})"
        self.append(f"{render_path(loc)}: {what}{got}")


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


def convert(value: object, cls: type[T], problems: Problems, loc: Loc = ()) -> T | None:
    """Convert a JSON object to ``cls``; on any problem record it and return None."""
    converted = _value(value, cls, problems, loc)
    return converted if isinstance(converted, cls) else None


def _value(value: object, tp: Any, problems: Problems, loc: Loc) -> object:
    base, limits = _unwrap(tp)
    optional = _optional_inner(base)
    if optional is not None and value is not None:
        return _value(value, optional, problems, loc)
    if _is_struct(base):
        return _struct(value, base, problems, loc)
    if tags := _tags(base):
        return _tagged(value, tags, problems, loc)
    origin, args = typing.get_origin(base), typing.get_args(base)
    if origin is list and _needs_walk(args[0]):
        return _list(value, args[0], limits, problems, loc)
    if origin is dict:
        return _mapping(value, args[1], problems, loc)
    return _leaf(value, tp, problems, loc)


def _leaf(value: object, tp: Any, problems: Problems, loc: Loc) -> object:
    try:
        return msgspec.convert(value, type=tp)
    except msgspec.ValidationError as exc:
        _leaf_problem(str(exc), value, tp, problems, loc)
        return None


def _struct(value: object, cls: type[msgspec.Struct], problems: Problems, loc: Loc) -> object:
    if not isinstance(value, dict):
        problems.add(loc, "must be an object", value)
        return None
    before = len(problems)
    fields, known = _fields(cls)
    converted: dict[str, object] = {}
    for field in fields:
        if field.encode_name not in value:
            if field.required:
                problems.add((*loc, field.encode_name), "required")
            continue
        item = value[field.encode_name]
        converted[field.name] = _value(item, field.type, problems, (*loc, field.encode_name))
    for key in value:
        if key not in known:
            problems.add((*loc, key), "unknown key")
    if len(problems) > before:
        return None
    return cls(**converted)


@cache
def _fields(
    cls: type[msgspec.Struct],
) -> tuple[tuple[msgspec.structs.FieldInfo, ...], frozenset[str | None]]:
    """A record's fields and the keys it knows (its tag included); msgspec re-reads them."""
    fields = msgspec.structs.fields(cls)
    return fields, frozenset({f.encode_name for f in fields} | {cls.__struct_config__.tag_field})


def _list(value: object, item: Any, limits: dict[str, Any], problems: Problems, loc: Loc) -> object:
    if not isinstance(value, list):
        problems.add(loc, "must be an array", value)
        return None
    at_least = limits.get("min_length")
    if at_least is not None and len(value) < at_least:
        problems.add(loc, f"must have at least {at_least} item{'s' if at_least != 1 else ''}")
        return None
    before = len(problems)
    items = [_value(v, item, problems, (*loc, i)) for i, v in enumerate(value)]
    return items if len(problems) == before else None


def _mapping(value: object, item: Any, problems: Problems, loc: Loc) -> object:
    # Walked key by key so a problem names its key (msgspec says only ``$[...]``).
    if not isinstance(value, dict):
        problems.add(loc, "must be a table of keys and values", value)
        return None
    before = len(problems)
    items = {key: _value(v, item, problems, (*loc, str(key))) for key, v in value.items()}
    return items if len(problems) == before else None


def _tagged(
    value: object, tags: dict[str, type[msgspec.Struct]], problems: Problems, loc: Loc
) -> object:
    if not isinstance(value, dict):
        problems.add(loc, "must be an object", value)
        return None
    if TAG not in value:
        problems.add((*loc, TAG), "required")
        return None
    cls = tags.get(value[TAG]) if isinstance(value[TAG], str) else None
    if cls is None:
        problems.add((*loc, TAG), "unknown type", value[TAG])
        return None
    return _struct(value, cls, problems, loc)


def _unwrap(tp: Any) -> tuple[Any, dict[str, Any]]:
    """Strip ``Annotated``, keeping msgspec's constraints (``min_length`` and the like)."""
    limits: dict[str, Any] = {}
    while typing.get_origin(tp) is typing.Annotated:
        tp, *metadata = typing.get_args(tp)
        for meta in metadata:
            if isinstance(meta, msgspec.Meta) and meta.min_length is not None:
                limits["min_length"] = meta.min_length
    return tp, limits


def _optional_inner(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
    return None


def _is_struct(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, msgspec.Struct)


def _needs_walk(tp: Any) -> bool:
    base, _ = _unwrap(tp)
    return _is_struct(base) or bool(_tags(base))


@cache
def _tags(tp: Any) -> dict[str, type[msgspec.Struct]]:
    """For a union of records told apart by a ``type`` tag: tag to record."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return {}
    tags: dict[str, type[msgspec.Struct]] = {}
    for member in typing.get_args(tp):
        config = getattr(member, "__struct_config__", None)
        if not _is_struct(member) or config is None or config.tag_field != TAG:
            return {}
        tags[str(config.tag)] = member
    return tags


_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "bool": "true or false",
    "array": "an array",
    "object": "an object",
}
_BOUNDS = {">=": "at least", ">": "greater than", "<=": "at most", "<": "less than"}
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$")


def _leaf_problem(message: str, value: object, tp: Any, problems: Problems, loc: Loc) -> None:
    match = _AT.match(message)
    assert match is not None  # the pattern matches any text
    what, path = match["what"], match["path"] or ""
    for part in re.findall(r"\[(\d+)\]|\.(\w+)", path):
        index, key = part
        value = value[int(index)] if index else value[key]  # type: ignore[index]
        loc = (*loc, int(index) if index else key)
    problems.add(loc, _phrase(what, tp), value)


def _length(match: re.Match[str]) -> str:
    if match[1] == "str":
        if match[2] == ">=" and match[3] == "1":
            return "must not be empty"
        return f"must be {_BOUNDS[match[2]]} {match[3]} characters long"
    return f"must have {_BOUNDS[match[2]]} {match[3]} items"


# msgspec's wording of a failed conversion, and fairpivot's wording of the same problem.
_PHRASES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"Expected `(\w+)`, got `\w+`"),
        lambda m: f"must be {_TYPE_WORDS.get(m[1], m[1])}",
    ),
    (
        re.compile(r"Expected `(?:int|float)` (>=|>|<=|<) (\S+)"),
        lambda m: f"must be {_BOUNDS[m[1]]} {m[2]}",
    ),
    (re.compile(r"Expected `(str|array|object)` of length (>=|<=) (\d+)"), _length),
    (re.compile(r"Expected `str` matching regex .*"), lambda m: "is not in the expected form"),
    (re.compile(r"Invalid RFC3339 encoded date"), lambda m: "not a date"),
]


def _phrase(what: str, tp: Any) -> str:
    if what.startswith("Invalid enum value"):
        allowed = _literal_values(tp)
        if len(allowed) <= 2:
            return "must be " + " or ".join(allowed)
        return "must be one of " + ", ".join(allowed)
    for pattern, phrase in _PHRASES:
        if match := pattern.fullmatch(what):
            return phrase(match)
    return what[:1].lower() + what[1:]


def _literal_values(tp: Any) -> list[str]:
    base, _ = _unwrap(tp)
    while typing.get_origin(base) is list:
        base, _ = _unwrap(typing.get_args(base)[0])
    return [json.dumps(v) for v in typing.get_args(base)]
