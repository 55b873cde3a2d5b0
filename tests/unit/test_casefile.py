"""Reading case files: well-formed ones pass, malformed ones get one message per problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fairpivot.domain.casefile import parse_case_file, read_case_file
from fairpivot.domain.casefile.load import MAX_BYTES, MAX_DEPTH
from fairpivot.domain.errors import MalformedCaseFile
from tests.builders import MANAGER, case, event, load, pivot, plan


def problems_of(data: bytes | dict[str, Any]) -> list[str]:
    """The messages a malformed file gets (fails the test if it is accepted)."""
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    with pytest.raises(MalformedCaseFile) as caught:
        parse_case_file(raw)
    return list(caught.value.problems)


def test_it_accepts_a_plain_case() -> None:
    loaded = load(case(events=[event("concern_documented", "2025-01-02", by=MANAGER)]))
    assert loaded.file.employee.id == "E-1"
    assert loaded.policy.name == "amazon-pivot"


def test_it_names_the_field_and_the_bad_date() -> None:
    doc = case(
        events=[
            event("concern_documented", "2025-01-02"),
            event("concern_documented", "2025-01-03"),
            event("concern_documented", "2025-01-04"),
            event("concern_documented", "2025-13-01"),
        ]
    )
    assert problems_of(doc) == ['events[3].date: not a date (got "2025-13-01")']


@pytest.mark.parametrize("text", ["2025-1-01", "20250101", "2025-02-30", "2025-01-01T00:00"])
def test_it_refuses_dates_not_written_yyyy_mm_dd(text: str) -> None:
    assert problems_of(case(as_of=text)) == [f'as_of: not a date (got "{text}")']


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "(file): empty"),
        (b"   \n", "(file): empty"),
        (b"{not json", "(file): not JSON"),
        (b"\xff\xfe{}", "(file): not UTF-8 text"),
        (b"[]", "(top level): must be an object (got [])"),
        (b'"text"', "(top level): must be an object"),
    ],
)
def test_it_refuses_what_is_not_a_json_object(data: bytes, message: str) -> None:
    (problem,) = problems_of(data)
    assert problem.startswith(message)


def test_it_refuses_a_file_over_ten_megabytes() -> None:
    padding = " " * MAX_BYTES
    data = json.dumps(case()).encode()[:-1] + padding.encode() + b"}"
    assert problems_of(data) == [f"(file): larger than {MAX_BYTES:,} bytes"]


def test_it_accepts_a_file_just_under_the_size_limit() -> None:
    data = json.dumps(case()).encode()
    padded = data[:-1] + b" " * (MAX_BYTES - len(data)) + b"}"
    assert len(padded) == MAX_BYTES
    assert parse_case_file(padded).file.employee.id == "E-1"


def _nested(depth: int) -> bytes:
    doc = case()
    inner: Any = 1
    for _ in range(depth - 3):  # top level, employee and note already count 2 levels
        inner = [inner]
    doc["employee"]["note"] = inner
    return json.dumps(doc).encode()


def test_it_refuses_nesting_deeper_than_the_limit() -> None:
    (problem,) = problems_of(_nested(MAX_DEPTH + 2))
    assert problem.endswith(f"nests deeper than {MAX_DEPTH} levels")


def test_it_reads_nesting_at_the_limit_as_far_as_the_schema() -> None:
    # At the limit the file is read; the schema then refuses the unknown key.
    assert problems_of(_nested(MAX_DEPTH)) == ["employee.note: unknown key"]


def test_it_refuses_nesting_that_would_exhaust_the_parser() -> None:
    data = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    (problem,) = problems_of(data)
    assert f"nests deeper than {MAX_DEPTH} levels" in problem


def test_it_names_each_duplicate_key() -> None:
    data = b'{"format": "fairpivot.casefile/1", "format": "x", "employee": {"id": "a", "id": "b"}}'
    problems = problems_of(data)
    assert problems == ["format: duplicate key", "employee.id: duplicate key"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_it_refuses_numbers_json_does_not_allow(constant: str) -> None:
    data = json.dumps(case()).replace('"base_salary": 156000', f'"base_salary": {constant}')
    assert problems_of(data.encode()) == [
        f"employee.base_salary: {constant} is not allowed in a case file"
    ]


def test_it_refuses_null_in_place_of_a_value() -> None:
    doc = case()
    doc["employee"]["title"] = None
    assert problems_of(doc) == ["employee.title: null is not allowed; leave the key out"]


def test_it_refuses_unknown_keys_at_every_level() -> None:
    doc = case(events=[event("checkin", "2025-01-02", held=True, mood="good")], extra=1)
    assert problems_of(doc) == ["events[0].mood: unknown key", "extra: unknown key"]


def test_it_names_every_missing_required_key() -> None:
    doc = case()
    del doc["employee"]["hire_date"], doc["events"]
    assert problems_of(doc) == ["employee.hire_date: required", "events: required"]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("employee", "base_salary"),
            "lots",
            'employee.base_salary: must be a number (got "lots")',
        ),
        (("employee", "base_salary"), 1000.123, "employee.base_salary: has more than 2 decimal"),
        (("employee", "base_salary"), -1, "employee.base_salary: must be at least 0"),
        (
            ("employee", "supervisor"),
            "yes",
            'employee.supervisor: must be true or false (got "yes")',
        ),
        (("employee", "age"), True, "employee.age: must be an integer (got true)"),
        (
            ("employee", "work_state"),
            "wa",
            "employee.work_state: not a US state, DC, PR, GU, VI, AS, MP or XX (outside the US) "
            '(got "wa")',
        ),
        (("employee", "work_state"), "", "employee.work_state: must not be empty"),
        (("employee", "id"), "has space", "employee.id: is not in the expected form"),
        (("employee", "id"), "x" * 65, "employee.id: must be at most 64 characters"),
        (("employer", "headcount"), 0, "employer.headcount: must be at least 1 (got 0)"),
        (("format",), "fairpivot.casefile/2", 'format: must be "fairpivot.casefile/1"'),
    ],
)
def test_it_names_the_field_and_the_problem(
    path: tuple[str, ...], value: object, message: str
) -> None:
    doc = case()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    (problem,) = problems_of(doc)
    assert problem.startswith(message)


def test_it_accepts_money_with_two_decimal_places() -> None:
    assert load(case(employee={"base_salary": 1000.25})).file.employee.base_salary == 1000.25


def test_it_names_an_unknown_event_type() -> None:
    doc = case(events=[event("focus_begun", "2025-01-02")])
    assert problems_of(doc) == ['events[0].type: unknown type (got "focus_begun")']


def test_it_names_a_missing_event_type() -> None:
    assert problems_of(case(events=[{"date": "2025-01-02"}])) == ["events[0].type: required"]


def test_it_names_fields_inside_an_event_without_the_type_tag() -> None:
    doc = case(events=[event("pivot_offered", "2025-01-02", decision_days=0, plan={})])
    problems = problems_of(doc)
    assert "events[0].offer: required" in problems
    assert "events[0].decision_days: must be at least 1 (got 0)" in problems
    assert "events[0].plan.start: required" in problems


def test_it_refuses_a_rating_off_the_policy_scale() -> None:
    doc = case(ratings=[{"date": "2024-04-01", "value": "3"}])
    (problem,) = problems_of(doc)
    assert (
        problem == 'ratings[0].value: not on the amazon-pivot scale LE, HV3, HV2, HV1, TT (got "3")'
    )


def test_it_checks_ratings_against_the_named_policy() -> None:
    doc = case(policy="standard-pip", ratings=[{"date": "2024-04-01", "value": "3"}])
    assert load(doc).policy.name == "standard-pip"


def test_it_refuses_an_unknown_policy() -> None:
    (problem,) = problems_of(case(policy="hunger-games"))
    assert problem.startswith("policy: unknown policy 'hunger-games' (known: amazon-pivot")


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            [event("concern_documented", "2025-01-02", by="X-9")],
            'events[0].by: unknown person "X-9" (not in people)',
        ),
        (
            [event("appeal_decided", "2025-01-02", outcome="upheld", panel=[MANAGER, "P-7"])],
            'events[0].panel[1]: unknown person "P-7" (not in people)',
        ),
        (
            [event("transferred", "2025-01-02", to_manager="M-404")],
            'events[0].to_manager: unknown person "M-404" (not in people)',
        ),
        (
            [event("concern_documented", "2025-02-02"), event("concern_documented", "2025-02-01")],
            "events[1].date: before the event above it (2025-02-01 < 2025-02-02)",
        ),
        (
            [event("concern_documented", "2026-01-01")],
            "events[0].date: after as_of (2026-01-01 > 2025-12-31)",
        ),
        (
            [event("plan_started", "2025-01-02", plan=plan("2025-02-01", "2025-02-01"))],
            "events[0].plan.end: must be after plan.start (2025-02-01 <= 2025-02-01)",
        ),
    ],
)
def test_it_checks_facts_that_span_keys(events: list[dict[str, Any]], message: str) -> None:
    assert problems_of(case(events=events)) == [message]


def test_it_accepts_events_on_the_same_day_in_file_order() -> None:
    doc = case(events=[event("concern_documented", "2025-02-02"), pivot("2025-02-02")])
    assert len(load(doc).file.events) == 2


def test_it_allows_the_employee_to_act_in_their_own_case() -> None:
    doc = case(events=[event("option_chosen", "2025-01-02", by="E-1", option="plan")])
    assert load(doc).file.events[0].by == "E-1"


def test_it_requires_exactly_one_of_birth_date_and_age() -> None:
    both = case(employee={"age": 40})
    neither = case()
    del neither["employee"]["birth_date"]
    expected = ["employee: give exactly one of birth_date and age"]
    assert problems_of(both) == expected
    assert problems_of(neither) == expected


def test_it_checks_people_ids() -> None:
    doc = case()
    doc["people"] += [
        {"id": MANAGER, "name": "Twin", "role": "peer"},
        {"id": "E-1", "name": "Self", "role": "other"},
    ]
    assert problems_of(doc) == [
        'people[2].id: duplicate id "M-1"',
        'people[3].id: same as the employee\'s id "E-1"',
    ]


def test_it_requires_the_manager_to_be_in_people() -> None:
    assert problems_of(case(employee={"manager": "E-1"})) == [
        'employee.manager: unknown person "E-1" (not in people)'
    ]


def test_it_checks_protected_activity_dates_and_witnesses() -> None:
    doc = case(
        protected_activities=[
            {
                "date": "2025-03-10",
                "kind": "fmla_leave",
                "end_date": "2025-03-09",
                "known_to": ["Z-1"],
            }
        ]
    )
    assert problems_of(doc) == [
        'protected_activities[0].known_to[0]: unknown person "Z-1" (not in people)',
        "protected_activities[0].end_date: before its date (2025-03-09 < 2025-03-10)",
    ]


def test_it_requires_a_share_price_with_equity() -> None:
    doc = case(equity=[{"grant": "G-1", "vests": [{"date": "2026-03-01", "shares": 10}]}])
    assert problems_of(doc) == ["share_price: required when equity is given"]
    doc["share_price"] = 100.0
    assert load(doc).file.share_price == 100.0


def test_it_reports_every_problem_once() -> None:
    doc = case(as_of="soon", extra=True)
    doc["employee"]["base_salary"] = "a lot"
    problems = problems_of(doc)
    assert problems == [
        'as_of: not a date (got "soon")',
        'employee.base_salary: must be a number (got "a lot")',
        "extra: unknown key",
    ]


def test_it_says_when_a_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(MalformedCaseFile) as caught:
        read_case_file(tmp_path / "missing.json")
    assert caught.value.problems == (
        f"{tmp_path / 'missing.json'}: cannot read (no such file or directory)",
    )
