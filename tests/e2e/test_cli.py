"""The command line as a person or a script uses it: exit codes, output, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.builders import EXAMPLES, case, event, offer, pivot, plan

RETALIATION = EXAMPLES / "retaliation-after-leave.json"
CLEAN = EXAMPLES / "clean-plan-passed.json"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``fairpivot`` in a fresh process, as a person would."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "fairpivot", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def write(tmp_path: Path, doc: dict[str, Any] | str, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def test_it_prints_the_review_as_json() -> None:
    result = run("review", str(RETALIATION), "--json")
    assert result.returncode == 0, result.stderr
    review = json.loads(result.stdout)
    assert review["format"] == "fairpivot.review/1"
    assert review["case"] == "E-1001"
    assert review["stage"] == "separated"
    assert list(review) == [
        "format",
        "case",
        "as_of",
        "policy",
        "stage",
        "findings",
        "deadlines",
        "options",
        "notice",
    ]
    assert set(review["findings"][0]) == {
        "code",
        "severity",
        "date",
        "message",
        "evidence",
        "basis",
    }


def test_it_prints_the_review_for_a_person() -> None:
    result = run("review", str(RETALIATION))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Stage: separated" in out
    assert "HIGH" in out
    assert "retaliation.timing" in out
    assert "Deadlines" in out
    assert "2026-04-16" in out
    assert "\x1b[" not in out  # no colour when not writing to a terminal


def test_it_shows_options_side_by_side_with_money_and_days_left() -> None:
    result = run("review", str(RETALIATION), "--as-of", "2025-06-03")
    assert result.returncode == 0, result.stderr
    assert "Stage: pivot_offered" in result.stdout
    assert "30,000.00 USD" in result.stdout
    assert "2025-06-07 (in 4 days)" in result.stdout


def test_it_reviews_the_case_as_it_stood_on_a_date() -> None:
    result = run("review", str(RETALIATION), "--json", "--as-of", "2025-04-01")
    review = json.loads(result.stdout)
    assert review["as_of"] == "2025-04-01"
    assert review["stage"] == "focus"
    assert "owbpa.consideration_period" not in {f["code"] for f in review["findings"]}


def test_it_reads_standard_input() -> None:
    result = run("review", "-", "--json", stdin=CLEAN.read_bytes())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stage"] == "closed_passed"


@pytest.mark.parametrize(
    ("fail_on", "status"), [("high", 1), ("medium", 1), ("low", 1), ("info", 1)]
)
def test_it_fails_on_a_severity_present(fail_on: str, status: int) -> None:
    assert run("review", str(RETALIATION), "--fail-on", fail_on).returncode == status


def test_it_passes_fail_on_when_nothing_that_severe_is_found(tmp_path: Path) -> None:
    # Only a low finding: Focus open 61 days, disclosed.
    doc = case(as_of="2025-03-03", events=[event("focus_started", "2025-01-01", disclosed=True)])
    path = write(tmp_path, doc)
    assert run("review", str(path), "--fail-on", "medium").returncode == 0
    assert run("review", str(path), "--fail-on", "low").returncode == 1


def test_it_exits_zero_for_a_clean_case_whatever_fail_on_says() -> None:
    assert run("review", str(CLEAN), "--fail-on", "info").returncode == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "(file): empty"),
        ("{", "(file): not JSON"),
        ('{"format": "fairpivot.casefile/1"}', "as_of: required"),
    ],
)
def test_it_refuses_malformed_files_with_status_2_and_no_traceback(
    tmp_path: Path, content: str, message: str
) -> None:
    result = run("review", str(write(tmp_path, content)))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_it_prints_one_line_per_problem(tmp_path: Path) -> None:
    doc = case(as_of="2025-13-01", extra=1)
    result = run("review", str(write(tmp_path, doc)))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'fairpivot: as_of: not a date (got "2025-13-01")',
        "fairpivot: extra: unknown key",
    ]


def test_it_says_when_the_file_is_missing(tmp_path: Path) -> None:
    result = run("review", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read (no such file or directory)" in result.stderr


def test_it_refuses_a_bad_as_of_date() -> None:
    result = run("review", str(CLEAN), "--as-of", "yesterday")
    assert result.returncode == 2
    assert "--as-of: not a date" in result.stderr
    assert "Traceback" not in result.stderr


def test_it_reviews_under_a_policy_file(tmp_path: Path) -> None:
    text = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()
    custom = write(
        tmp_path, text.replace("focus_target_days = 60", "focus_target_days = 10"), "strict.toml"
    )
    doc = case(as_of="2025-01-20", events=[event("focus_started", "2025-01-01", disclosed=True)])
    path = write(tmp_path, doc)
    plain = json.loads(run("review", str(path), "--json").stdout)
    strict = json.loads(run("review", str(path), "--json", "--policy-file", str(custom)).stdout)
    assert "focus.overdue" not in {f["code"] for f in plain["findings"]}
    assert "focus.overdue" in {f["code"] for f in strict["findings"]}


def test_it_refuses_an_invalid_policy_file(tmp_path: Path) -> None:
    bad = write(tmp_path, 'name = "x"\n', "bad.toml")
    result = run("review", str(CLEAN), "--policy-file", str(bad))
    assert result.returncode == 2
    assert "bad.toml: title: required" in result.stderr


def test_it_prints_the_case_file_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    top = schema["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    assert top["additionalProperties"] is False
    assert set(top["required"]) == {"format", "as_of", "employee", "events"}
    assert schema["$defs"]["PivotOffered"]["properties"]["type"] == {"enum": ["pivot_offered"]}
    assert "null" not in result.stdout  # optional keys are left out, never null


def test_it_shows_a_shipped_policy() -> None:
    result = run("policy", "standard-pip")
    assert result.returncode == 0
    assert json.loads(result.stdout)["scale"]["values"] == ["1", "2", "3", "4", "5"]


def test_it_refuses_an_unknown_command() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_it_reviews_a_case_at_a_decision_point_with_options(tmp_path: Path) -> None:
    doc = case(
        as_of="2025-04-05",
        events=[event("focus_started", "2025-02-01", disclosed=True), pivot("2025-04-01")],
    )
    review = json.loads(run("review", str(write(tmp_path, doc)), "--json").stdout)
    assert [o["option"] for o in review["options"]] == ["severance", "plan"]
    assert review["options"][0] == {
        "option": "severance",
        "tier": 1,
        "cash": 30000.0,
        "equity_forfeited": 0.0,
        "decide_by": "2025-04-22",
        "release_required": True,
        "rehire_eligible": False,
    }


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "foo", "DATABASE_URL: not a database URL"),
        ("DATABASE_URL", "mysql://user@host/db", "DATABASE_URL: fairpivot runs on PostgreSQL"),
        ("FAIRPIVOT_DEBUG", "maybe", "FAIRPIVOT_DEBUG: must be true or false"),
        ("FAIRPIVOT_PRODUCTION", "true", "FAIRPIVOT_SECRET_KEY: production needs a secret"),
    ],
)
def test_it_refuses_a_bad_environment_with_status_2_and_no_traceback(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    env = {**os.environ, "FAIRPIVOT_DATA_DIR": str(tmp_path), variable: value}
    env.pop("FAIRPIVOT_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "fairpivot", "ledger", "verify"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_it_prints_the_notice_as_the_last_line_of_the_plain_review(tmp_path: Path) -> None:
    from fairpivot.domain.review.model import NOTICE  # noqa: PLC0415

    result = run("review", str(write(tmp_path, case(events=[pivot("2025-05-01")]))))
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n").splitlines()[-1] == NOTICE


def test_it_keeps_settled_deadlines_apart_in_the_plain_review(tmp_path: Path) -> None:
    events = [pivot("2025-05-01"), event("option_chosen", "2025-05-05", option="plan")]
    out = run("review", str(write(tmp_path, case(events=events)))).stdout
    deadlines, _, settled = out.partition("Settled deadlines, for the timeline")
    assert "pivot_decide_by" in settled
    assert "pivot_decide_by" not in deadlines
    assert "offer_expires" in deadlines


V4_MALFORMED = [
    (
        case(
            protected_activities=[{"date": "2025-03-01", "kind": "fmla_leave", "known_on": "1/3"}]
        ),
        'fairpivot: protected_activities[0].known_on: not a date (got "1/3")',
    ),
    (
        case(
            events=[
                event("separated", "2025-05-01", reason="layoff", notified_on="2025-05-32"),
            ]
        ),
        'fairpivot: events[0].notified_on: not a date (got "2025-05-32")',
    ),
    (
        case(
            events=[
                event("separated", "2025-05-01", reason="layoff", notified_on="2025-05-02"),
            ]
        ),
        "fairpivot: events[0].notified_on: the day the employee was told (2025-05-02) is "
        "after the separation it tells of (2025-05-01)",
    ),
    (
        case(employee={"work_state": "ZZ"}),
        "fairpivot: employee.work_state: not a US state, DC, PR, GU, VI, AS, MP or XX "
        '(outside the US) (got "ZZ")',
    ),
]


@pytest.mark.parametrize(
    ("doc", "line"), V4_MALFORMED, ids=["known_on", "notified_on", "notified_after", "work_state"]
)
def test_it_refuses_a_malformed_v4_key_with_one_line_and_status_2(
    tmp_path: Path, doc: dict[str, Any], line: str
) -> None:
    result = run("review", str(write(tmp_path, doc)))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "doc",
    [
        case(
            as_of="9999-12-31",
            events=[
                event("plan_started", "9999-11-01", plan=plan("9999-11-01", "9999-12-20")),
                event("offer_made", "9999-12-30", offer=offer(consideration_days=10**12)),
            ],
        ),
        case(
            as_of="9999-12-31",
            events=[
                event("focus_started", "9999-09-01", disclosed=True),
                pivot("9999-09-30", decision_days=90, consideration_days=90),
                event("option_chosen", "9999-11-01", option="plan"),
                event("plan_failed", "9999-12-30", appeal_days=5),
            ],
        ),
    ],
    ids=["plan-and-offer-at-the-calendars-end", "pivot-on-the-last-day"],
)
def test_it_reviews_dates_at_the_end_of_the_calendar_without_failing(
    tmp_path: Path, doc: dict[str, Any]
) -> None:
    for args in ((), ("--json",)):
        result = run("review", str(write(tmp_path, doc)), *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
