"""The record works on this run's database: import a case, verify its chain."""

from __future__ import annotations

import json

import pytest

from fairpivot.records.cases.transfer import check_files, export_case, import_one
from fairpivot.records.ledger import chains
from tests.builders import EXAMPLES

pytestmark = pytest.mark.django_db


def test_it_imports_a_case_and_verifies_its_chain() -> None:
    (item,) = check_files([EXAMPLES / "retaliation-after-leave.json"])
    result = import_one(item)
    assert result.created
    assert export_case(result.case) == json.loads(item.path.read_text())
    assert chains.verify_all().breaks == []
