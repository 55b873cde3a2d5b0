"""The case file's JSON Schema, generated from the records so the two never disagree."""

from __future__ import annotations

from typing import Any

import msgspec

from fairpivot.domain.casefile.load import MAX_BYTES, MAX_DEPTH
from fairpivot.domain.casefile.model import WORK_STATES, CaseFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _without_nulls(node: Any) -> Any:
    """Optional keys are left out of a case file, never null: say so in the schema."""
    if isinstance(node, list):
        return [_without_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _without_nulls(v) for k, v in node.items() if not (k == "default" and v in (None, []))
    }
    options = out.get("anyOf")
    if options is not None:
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1:
            out.pop("anyOf")
            out.update(kept[0])
        else:
            out["anyOf"] = kept
    return out


def case_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``fairpivot.casefile/1``."""
    schema = _without_nulls(msgspec.json.schema(CaseFile))
    # review-v4.md item 12: the accepted set, checked on input rather than by the record
    # type, so records stored before v4 stay readable.
    work_state = schema["$defs"]["Employee"]["properties"]["work_state"]
    work_state.pop("pattern", None)
    work_state["enum"] = list(WORK_STATES)
    return {
        "$schema": DIALECT,
        "title": "fairpivot case file, version 1",
        "description": (
            "One employee's performance-management case (spec/casefile.md). Beyond this "
            "schema: ids named in manager, by, known_to, panel and to_manager must be the "
            "employee's or a people id; events are in date order and on or before as_of; "
            "exactly one of birth_date and age; a separation's notified_on is on or before "
            "its date; a plan_extended ends after the start of the plan it extends; ratings "
            "are on the policy's scale; share_price is required with equity; money has at "
            "most 2 decimal places; files over "
            f"{MAX_BYTES:,} bytes or nested deeper than {MAX_DEPTH} levels are refused."
        ),
        **schema,
    }
