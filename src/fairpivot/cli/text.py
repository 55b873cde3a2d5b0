"""A case file's strings must be text: a lone surrogate or a NUL is refused at the command line.

JSON can spell a lone surrogate (``"\\ud800"``), which has no UTF-8 form: no terminal can
print it and no ledger can hash it. PostgreSQL stores no NUL. The case-file reader takes
both as strings; the command line refuses them first, naming where each is, so
``fairpivot review`` and ``fairpivot import`` exit 2 with one line per problem and write
nothing. Anything else malformed is left to the case-file reader, which names it.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_PROBLEMS = 20


def not_text(data: bytes, prefix: str = "") -> list[str]:
    """One ``where: why`` problem per string of the JSON ``data`` that is not text."""
    if b"\\u" not in data and b"\x00" not in data:
        # UTF-8 JSON spells a lone surrogate or a NUL only as a \u escape (raw, neither
        # decodes), so a file without one needs no walk; UTF-16 and 32 hold NUL bytes.
        return []
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return []  # not JSON, or nested past reading: the case-file reader says so
    problems: list[str] = []
    stack: list[tuple[str, Any]] = [("", document)]
    while stack and len(problems) < MAX_PROBLEMS:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                here = f"{where}.{key}" if where else str(key)
                problems += _flaw(key, here, prefix, "key ")
                stack.append((here, item))
        elif isinstance(value, list):
            stack += [(f"{where}[{i}]", item) for i, item in reversed(list(enumerate(value)))]
        elif isinstance(value, str):
            problems += _flaw(value, where, prefix)
    return problems


_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def _flaw(text: str, where: str, prefix: str, what: str = "") -> list[str]:
    found = _NOT_TEXT.search(text)  # not a loop over every character of every string
    if found is None:
        return []
    ch = found.group()
    if ch == "\x00":
        why = "a NUL character, which no database stores"
    else:
        why = f"a lone surrogate, U+{ord(ch):04X}, which is not text"
    shown = where.encode("utf-8", "backslashreplace").decode("utf-8")
    return [f"{prefix}{shown}: {what}has {why} (at position {found.start() + 1})"]
