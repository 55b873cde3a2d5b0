"""The case file format, ``fairpivot.casefile/1``: model, reading and checking."""

from fairpivot.domain.casefile.load import (
    LoadedCase,
    check_case_document,
    parse_case_file,
    read_case_file,
)
from fairpivot.domain.casefile.model import CaseFile

__all__ = [
    "CaseFile",
    "LoadedCase",
    "check_case_document",
    "parse_case_file",
    "read_case_file",
]
