"""The web's edge (fairpivot.records.cases.limits): every rule on both sides of its threshold."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from fairpivot.records.cases.limits import (
    DAYS_MAX,
    MONEY_MAX,
    NAME_MAX,
    TEXT_MAX,
    TIER_MAX,
    Refused,
    field,
    tree,
)


def refusal(value: Any) -> str:
    with pytest.raises(Refused) as caught:
        tree(value)
    return str(caught.value)


def test_it_takes_a_note_of_exactly_the_limit_and_refuses_one_character_more() -> None:
    assert field("note", "textarea", "x" * TEXT_MAX, required=True) == "x" * TEXT_MAX
    with pytest.raises(Refused, match=r"longer than 10,000 characters \(got 10,001\)"):
        field("note", "textarea", "x" * (TEXT_MAX + 1), required=True)


def test_it_takes_a_title_of_exactly_the_limit_and_refuses_one_character_more() -> None:
    assert field("title", "text", "t" * NAME_MAX, required=True) == "t" * NAME_MAX
    with pytest.raises(Refused, match=r"longer than 200 characters"):
        field("title", "text", "t" * (NAME_MAX + 1), required=True)


def test_it_limits_prose_in_a_json_value_to_the_note_size_and_names_to_the_name_size() -> None:
    assert tree({"goals": [{"text": "g" * TEXT_MAX}]})
    assert refusal({"goals": [{"text": "g" * (TEXT_MAX + 1)}]}).startswith("goals[0].text is")
    assert tree({"name": "n" * NAME_MAX})
    assert refusal({"name": "n" * (NAME_MAX + 1)}).startswith("name is longer than 200")


def test_it_refuses_a_lone_surrogate_anywhere_and_takes_a_real_astral_character() -> None:
    assert field("note", "textarea", "ok \U0001f600", required=True) == "ok \U0001f600"
    with pytest.raises(Refused, match=r"lone surrogate, U\+D800"):
        field("note", "textarea", "bad \ud800", required=True)
    assert "plan.goals[0].text has a character that is not text" in refusal(
        {"plan": {"goals": [{"text": "\udfff"}]}}
    )
    assert "lone surrogate" in refusal({"\ud800": 1})  # a key is text too


def test_it_refuses_control_characters_but_keeps_tabs_and_line_breaks() -> None:
    assert field("note", "textarea", "a\tb\r\nc", required=True) == "a\tb\r\nc"
    with pytest.raises(Refused, match=r"control character at position 2 \(U\+0000\)"):
        field("note", "textarea", "a\x00b", required=True)


def test_it_normalises_text_to_nfc() -> None:
    decomposed = "Rene\u0301e"
    assert unicodedata.is_normalized("NFC", decomposed) is False
    assert field("note", "textarea", decomposed, required=True) == "Ren\u00e9e"
    assert tree({"name": decomposed}) == {"name": "Ren\u00e9e"}


def test_it_refuses_blanks_alone_in_a_required_field_but_not_in_an_optional_one() -> None:
    with pytest.raises(Refused, match="required"):
        field("note", "textarea", " \t\n", required=True)
    assert field("note", "textarea", "", required=False) == ""
    assert field("note", "textarea", "x", required=True) == "x"
    assert refusal({"name": "   "}) == "name is only blanks"


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [("tier", 1, TIER_MAX), ("decision_days", 0, DAYS_MAX), ("revocation_days", 0, DAYS_MAX)],
)
def test_it_bounds_whole_numbers_on_both_sides(key: str, low: int, high: int) -> None:
    assert tree({key: low}) == {key: low}
    assert tree({key: high}) == {key: high}
    assert refusal({key: low - 1}) == f"{key} must be from {low:,} to {high:,} (got {low - 1})"
    assert refusal({key: high + 1}) == f"{key} must be from {low:,} to {high:,} (got {high + 1})"
    assert field(key, "int", high, required=True) == high
    with pytest.raises(Refused):
        field(key, "int", high + 1, required=True)


def test_it_bounds_money_and_its_decimals() -> None:
    assert tree({"amount": float(MONEY_MAX)}) == {"amount": MONEY_MAX}
    assert tree({"amount": 0}) == {"amount": 0}
    assert tree({"amount": 1234.56}) == {"amount": 1234.56}
    assert "amount must be from 0 to 10,000,000,000" in refusal({"amount": 1e308})
    assert "amount must be from 0" in refusal({"amount": MONEY_MAX + 1})
    assert "amount must be from 0" in refusal({"amount": -0.5})
    assert refusal({"amount": 1234.567}) == "amount has more than 2 decimal places (got 1234.567)"
    assert "base_salary must be" in refusal({"base_salary": float("inf")})


def test_it_names_a_huge_whole_number_by_its_digits_not_by_printing_it() -> None:
    assert refusal({"tier": 10**5000}).endswith("(got a number of more than 15 digits)")
    assert refusal({"tier": -(10**15)}).endswith("(got a number of more than 15 digits)")


def test_it_bounds_dates_to_the_years_1900_to_9999() -> None:
    assert tree({"date": "1900-01-01"}) == {"date": "1900-01-01"}
    assert tree({"end": "9999-12-31"}) == {"end": "9999-12-31"}
    assert refusal({"date": "1899-12-31"}) == (
        "date must be a year from 1900 to 9999 (got 1899-12-31)"
    )
    assert field("end", "date", "9999-12-31", required=True) == "9999-12-31"
    with pytest.raises(Refused, match="1900 to 9999"):
        field("end", "date", "0001-01-01", required=True)
    # Not a date at all: the case file's own checks name it, as they always have.
    assert tree({"date": "soon"}) == {"date": "soon"}


def test_it_refuses_json_nested_deeper_than_a_case_file_may() -> None:
    deep: Any = "x"
    for _ in range(40):
        deep = [deep]
    assert "nests deeper than 32 levels" in refusal(deep)
