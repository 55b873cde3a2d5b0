"""The case file's JSON Schema, generated from the models so the two never disagree."""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from fairpivot.domain.casefile.load import MAX_DEPTH
from fairpivot.domain.casefile.model import CaseFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _NoNulls(GenerateJsonSchema):
    """Optional keys are left out, never null: the schema says so."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        default = schema.get("default")
        if default is None or (isinstance(default, list | dict) and not default):
            return inner
        return super().default_schema(schema)


def case_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``fairpivot.casefile/1``."""
    schema = CaseFile.model_json_schema(schema_generator=_NoNulls)
    return {
        "$schema": DIALECT,
        **schema,
        "description": (
            "One employee's performance-management case (spec/casefile.md). Beyond this "
            "schema: ids named in manager, by, known_to, panel and to_manager must be the "
            "employee's or a people id; events are in date order and on or before as_of; "
            "exactly one of birth_date and age; ratings are on the policy's scale; share_price "
            f"is required with equity; files over 10 MB or nested deeper than {MAX_DEPTH} "
            "levels are refused."
        ),
    }
