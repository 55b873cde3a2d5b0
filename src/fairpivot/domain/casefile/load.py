"""Read a case file: bytes to JSON to typed records, with one message per problem.

Checks run in three passes, each only when the one before found the input readable:
the JSON itself (size, syntax, depth, duplicate keys, NaN, null), the shape of every
object (``validation.py``), then the facts that span keys (``checks.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from fairpivot.domain.casefile.checks import cross_checks
from fairpivot.domain.casefile.model import CaseFile
from fairpivot.domain.errors import InvalidPolicy, MalformedCaseFile
from fairpivot.domain.policy import Policy, load_policy
from fairpivot.domain.validation import Problems, convert, render_path, render_value

MAX_BYTES = 10_000_000
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class LoadedCase:
    """A well-formed case file, the policy it runs under, and the JSON value it came from."""

    file: CaseFile
    policy: Policy
    raw: dict[str, Any]


class _Pairs(dict[str, Any]):
    """A JSON object that remembers the keys it saw more than once."""

    duplicates: tuple[str, ...] = ()


class _NonFinite:
    def __init__(self, text: str) -> None:
        self.text = text


def _object(pairs: list[tuple[str, Any]]) -> _Pairs:
    obj = _Pairs(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        obj.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return obj


def read_case_file(path: Path, policy: Policy | None = None) -> LoadedCase:
    """Read and check the case file at ``path``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise MalformedCaseFile([f"{path}: cannot read ({reason.lower()})"]) from None
    return parse_case_file(data, policy)


def parse_case_file(
    data: bytes,
    policy: Policy | None = None,
    resolve: Callable[[str], Policy] = load_policy,
) -> LoadedCase:
    """Check a case file's bytes; return it with its policy or raise MalformedCaseFile.

    ``policy`` overrides the policy the file names (a company's own policy file).
    """
    return check_case_document(_decode(data), policy, resolve)


def check_case_document(
    raw: dict[str, Any],
    policy: Policy | None = None,
    resolve: Callable[[str], Policy] = load_policy,
    *,
    stored: bool = False,
) -> LoadedCase:
    """Check a case file already decoded from JSON (a ledger's assembly, say); as above.

    ``stored`` reads a record kept in the database as it was stored: the checks v4 added
    are left to ``fairpivot ledger verify`` (review-v4.md section 8 item 11).
    """
    try:
        # msgspec checks a well-formed file in one pass at C speed but stops at the first
        # problem; only a file that fails it is walked again to name every problem.
        case = msgspec.convert(raw, CaseFile)
    except msgspec.ValidationError as exc:
        shape = Problems()
        if convert(raw, CaseFile, shape) is None:
            raise MalformedCaseFile(shape) from None
        raise MalformedCaseFile([str(exc)]) from None
    problems: list[str] = []
    if policy is None:
        try:
            policy = resolve(case.policy)
        except InvalidPolicy as exc:
            raise MalformedCaseFile(exc.problems) from None
    problems.extend(cross_checks(case, policy, raw, strict=not stored))
    if problems:
        raise MalformedCaseFile(problems)
    return LoadedCase(file=case, policy=policy, raw=raw)


def _decode(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise MalformedCaseFile([f"(file): larger than {MAX_BYTES:,} bytes"])
    if not data.strip():
        raise MalformedCaseFile(["(file): empty"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedCaseFile([f"(file): not UTF-8 text (byte {exc.start})"]) from None
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_NonFinite)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise MalformedCaseFile([f"(file): not JSON ({exc.msg}, {where})"]) from None
    except RecursionError:
        raise MalformedCaseFile([f"(file): nests deeper than {MAX_DEPTH} levels"]) from None
    if not _well_formed(value):
        raise MalformedCaseFile(_structure_problems(value))
    if not isinstance(value, dict):
        raise MalformedCaseFile([f"(top level): must be an object (got {render_value(value)})"])
    return value


def _well_formed(value: Any) -> bool:
    """Whether ``_structure_problems`` would find nothing, found without building a path.

    Every file is walked once this way; only one with a problem is walked again, path by
    path, to name each problem (naming them was most of the time of checking a good file).
    """
    if not isinstance(value, dict | list):
        return value is not None and not isinstance(value, _NonFinite)
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        if isinstance(node, _Pairs) and node.duplicates:
            return False
        for child in node.values() if isinstance(node, dict) else node:
            if child is None or isinstance(child, _NonFinite):
                return False
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return True


def _structure_problems(value: Any) -> list[str]:
    """Depth, duplicate keys, NaN/Infinity and nulls, found without recursion."""
    problems: list[str] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, loc = stack.pop()
        if len(loc) >= MAX_DEPTH and isinstance(node, dict | list):
            return [f"{render_path(loc)}: nests deeper than {MAX_DEPTH} levels"]
        if isinstance(node, _Pairs):
            problems.extend(f"{render_path((*loc, key))}: duplicate key" for key in node.duplicates)
            stack.extend((child, (*loc, key)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((child, (*loc, i)) for i, child in reversed(list(enumerate(node))))
        elif isinstance(node, _NonFinite):
            problems.append(f"{render_path(loc)}: {node.text} is not allowed in a case file")
        elif node is None:
            problems.append(f"{render_path(loc)}: null is not allowed; leave the key out")
    return problems
