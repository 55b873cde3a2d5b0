"""The synthetic org's case files: well-formed, true to the HRIS, and the patterns show."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from math import comb
from pathlib import Path
from typing import Any

import pytest

from fairpivot.domain.casefile import parse_case_file
from fairpivot.domain.review import review
from fairpivot.synth import generate_org
from fairpivot.synth.patterns import ORG_LEVEL, PER_CASE

AS_OF = date(2025, 6, 30)


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def findings(path: Path) -> set[str]:
    loaded = parse_case_file(path.read_bytes())
    return {finding.code for finding in review(loaded.file, loaded.policy).findings}


def cases(out: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: json.loads(p.read_bytes()) for p in sorted((out / "cases").glob("*.json"))}


def patterns(out: Path) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((out / "patterns.json").read_text())
    return loaded


def in_org(person_org: str, org: str) -> bool:
    return person_org == org or person_org.startswith(org + "/")


def fisher_greater(a: int, row_a: int, b: int, row_b: int) -> float:
    """One-sided Fisher's exact p: group a's count this high or higher by chance."""
    placed, total = a + b, row_a + row_b
    top = min(placed, row_a)
    tail = sum(comb(row_a, k) * comb(row_b, placed - k) for k in range(a, top + 1))
    return tail / comb(total, placed)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "org"
    generate_org(out, 2500, 11, AS_OF)
    return out


def test_it_writes_case_files_that_parse_and_follow_the_process(org: Path) -> None:
    written = sorted((org / "cases").glob("*.json"))
    assert written
    for path in written:
        loaded = parse_case_file(path.read_bytes())
        codes = {f.code for f in review(loaded.file, loaded.policy).findings}
        assert not {c for c in codes if c.startswith("procedure.")}, path.name
        days = [e.date for e in loaded.file.events]
        assert days == sorted(days)
        assert days[-1] <= AS_OF


def test_it_places_about_six_percent_of_staff_on_focus_in_a_year(org: Path) -> None:
    policies = Counter(doc["policy"] for doc in cases(org).values())
    assert 0.04 <= sum(policies.values()) / 2500 <= 0.10
    assert policies["standard-pip"] >= 1
    assert policies["amazon-pivot"] > 10 * policies["standard-pip"]


def test_it_copies_the_hris_facts_into_each_case_file(org: Path) -> None:
    people = {p["employee_id"]: p for p in rows(org, "employees.csv")}
    born = {p["employee_id"]: p["birth_date"] for p in rows(org, "demographics.csv")}
    rated: dict[str, list[str]] = {}
    for rating in rows(org, "ratings.csv"):
        rated.setdefault(rating["employee_id"], []).append(rating["value"])
    for me, doc in cases(org).items():
        employee, row = doc["employee"], people[me]
        assert employee["id"] == me
        assert employee["org"] == row["org"]
        assert employee["manager"] == row["manager_id"] == doc["people"][0]["id"]
        assert employee["work_state"] == row["work_state"]
        assert employee["hire_date"] == row["hire_date"]
        assert employee["birth_date"] == born[me]
        if doc["policy"] == "amazon-pivot":
            assert [r["value"] for r in doc.get("ratings", [])] == rated.get(me, [])
        left = [e["date"] for e in doc["events"] if e["type"] == "separated"]
        assert row["exit_date"] == (left[0] if left else "")


def test_it_raises_the_pattern_codes_only_where_a_pattern_was_injected(org: Path) -> None:
    # Older workers' releases are compliant, Focus is disclosed, exits are labelled as
    # what they were. (Forfeited vests also happen by chance, as in life.)
    injected = {p["case_file"] for p in patterns(org) if "case_file" in p}
    for path in sorted((org / "cases").glob("*.json")):
        if f"cases/{path.name}" not in injected:
            codes = findings(path)
            assert not {c for c in codes if c.startswith(("owbpa.", "retaliation."))}, path
            assert not codes & {"focus.undisclosed", "unemployment.resignation_label"}, path


def test_it_raises_the_expected_code_for_every_per_case_pattern(org: Path) -> None:
    listed = [p for p in patterns(org) if "case_file" in p]
    assert {p["pattern"] for p in listed} == set(PER_CASE)
    for pattern in listed:
        assert pattern["expect_code"] == PER_CASE[pattern["pattern"]]
        assert pattern["expect_code"] in findings(org / pattern["case_file"]), pattern


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_injects_every_per_case_pattern_from_a_thousand_people(
    tmp_path: Path, seed: int
) -> None:
    generate_org(tmp_path, 1000, seed, AS_OF)
    listed = [p for p in patterns(tmp_path) if "case_file" in p]
    assert {p["pattern"] for p in listed} == set(PER_CASE)
    for pattern in listed:
        assert pattern["expect_code"] in findings(tmp_path / pattern["case_file"]), pattern
    assert not [p for p in patterns(tmp_path) if "org" in p]  # org-level from 2,000


def test_it_lists_every_org_level_pattern_from_two_thousand_people(org: Path) -> None:
    listed = {p["pattern"]: p for p in patterns(org) if "org" in p}
    assert set(listed) == set(ORG_LEVEL)
    assert len({p["org"] for p in listed.values()}) == 3
    orgs = {p["org"] for p in rows(org, "employees.csv")}
    for pattern in listed.values():
        assert pattern["expect_code"] == ORG_LEVEL[pattern["pattern"]]
        assert any(in_org(o, pattern["org"]) for o in orgs)


def test_it_bunches_one_orgs_placements_before_quarter_ends(org: Path) -> None:
    quota = next(p for p in patterns(org) if p["pattern"] == "quota_clustering")
    starts = [
        date.fromisoformat(e["date"])
        for doc in cases(org).values()
        if in_org(doc["employee"]["org"], quota["org"])
        for e in doc["events"]
        if e["type"] in ("focus_started", "plan_started")
    ]
    ends = [date(d.year, (d.month - 1) // 3 * 3 + 3, 1) for d in starts]
    quarter_end = [date(e.year + e.month // 12, e.month % 12 + 1, 1) for e in ends]
    late = [s for s, q in zip(starts, quarter_end, strict=True) if (q - s).days <= 30]
    assert len(starts) >= 8
    assert len(late) >= 0.7 * len(starts)


def test_it_places_women_on_focus_at_twice_the_rate_of_men_in_one_org(org: Path) -> None:
    impact = next(p for p in patterns(org) if p["pattern"] == "focus_disparity_by_sex")
    members = {
        p["employee_id"] for p in rows(org, "employees.csv") if in_org(p["org"], impact["org"])
    }
    sex = {d["employee_id"]: d["sex"] for d in rows(org, "demographics.csv")}
    placed = {me for me, doc in cases(org).items() if me in members}
    heads = Counter(sex[me] for me in members)
    hits = Counter(sex[me] for me in placed)
    women, men = hits["female"] / heads["female"], hits["male"] / heads["male"]
    assert women >= 2 * men
    assert fisher_greater(hits["female"], heads["female"], hits["male"], heads["male"]) < 0.05


def test_it_sends_one_org_a_group_of_individual_releases_to_older_workers(org: Path) -> None:
    group = next(p for p in patterns(org) if p["pattern"] == "hidden_group_program")
    offers = []
    for name in group["case_files"]:
        doc = json.loads((org / name).read_bytes())
        assert doc["employee"]["org"] == group["org"]
        pivot = next(e for e in doc["events"] if e["type"] == "pivot_offered")
        day, born = (
            date.fromisoformat(pivot["date"]),
            date.fromisoformat(doc["employee"]["birth_date"]),
        )
        assert (day - born).days // 365.25 >= 40
        assert pivot["offer"]["consideration_days"] == 21
        assert not pivot["offer"].get("group_program", False)
        offers.append(day)
    assert len(offers) >= 3
    assert (max(offers) - min(offers)).days <= 60


# --- terms against the formula, and an org with nothing planted ------------------------------


def release_offers(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each release offer in a case file, with its date."""
    return [
        (e["date"], e["offer"])
        for e in doc["events"]
        if "offer" in e and "release_of_claims" in e["offer"]["clauses"]
    ]


def formula(doc: dict[str, Any], day: str, tier: int) -> float:
    """amazon-pivot's tier formula, worked here from its published terms."""
    hired, on = date.fromisoformat(doc["employee"]["hire_date"]), date.fromisoformat(day)
    years = on.year - hired.year - ((on.month, on.day) < (hired.month, hired.day))
    base = float(doc["employee"]["base_salary"])
    tier1 = base * 10 / 52 + base * 0.01 * years
    return tier1 * {1: 1, 2: 1 / 3, 3: 1 / 6}[tier]


def test_it_offers_the_policy_s_formula_and_runs_it_as_a_group_program_for_older_workers(
    org: Path,
) -> None:
    # Background offers keep to v4's reading: the same formula to several workers aged 40+
    # is a group program, so it is run as one (45 days, the disclosures).
    planted = {
        name.removeprefix("cases/").removesuffix(".json")
        for p in patterns(org)
        for name in [p.get("case_file", ""), *p.get("case_files", [])]
    }
    older = 0
    for me, doc in cases(org).items():
        if doc["policy"] != "amazon-pivot":
            continue
        born = date.fromisoformat(doc["employee"]["birth_date"])
        for day, offer in release_offers(doc):
            assert offer["amount"] == pytest.approx(formula(doc, day, offer["tier"]), abs=0.01)
            on = date.fromisoformat(day)
            over_40 = on.year - born.year - ((on.month, on.day) < (born.month, born.day)) >= 40
            if over_40 and me not in planted:
                older += 1
                assert offer["consideration_days"] == 45, me
                assert offer["group_program"] is offer["group_disclosures"] is True, me
    assert older >= 10


def test_the_planted_group_program_offers_follow_the_formula(org: Path) -> None:
    group = next(p for p in patterns(org) if p["pattern"] == "hidden_group_program")
    for name in group["case_files"]:
        doc = json.loads((org / name).read_bytes())
        (day, offer), *_ = release_offers(doc)
        assert offer["amount"] == pytest.approx(formula(doc, day, 1), abs=0.01)
        assert "group_disclosures" not in offer


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "bare"
    generate_org(out, 2500, 11, AS_OF, plant="none")
    return out


def test_with_nothing_planted_it_writes_the_same_people(org: Path, bare: Path) -> None:
    assert (bare / "demographics.csv").read_bytes() == (org / "demographics.csv").read_bytes()
    assert (bare / "targets.csv").read_bytes() == (org / "targets.csv").read_bytes()
    planted, unplanted = rows(org, "employees.csv"), rows(bare, "employees.csv")
    assert [{**p, "exit_date": ""} for p in planted] == [{**p, "exit_date": ""} for p in unplanted]


def test_with_nothing_planted_it_writes_an_empty_pattern_list_and_no_defect(bare: Path) -> None:
    assert patterns(bare) == []
    for path in sorted((bare / "cases").glob("*.json")):
        codes = findings(path)
        assert not {c for c in codes if c.startswith(("owbpa.", "retaliation."))}, path
        assert not codes & {"focus.undisclosed", "unemployment.resignation_label"}, path


def test_with_nothing_planted_the_unplanted_cases_are_the_same(org: Path, bare: Path) -> None:
    # Each case draws from its own stream: planting a pattern in one changes no other.
    touched = {p["org"] for p in patterns(org) if "org" in p}
    planted = {p["case_file"] for p in patterns(org) if "case_file" in p}
    same = 0
    for path in sorted((bare / "cases").glob("*.json")):
        doc = json.loads(path.read_bytes())
        if f"cases/{path.name}" in planted or any(
            in_org(doc["employee"]["org"], org_) for org_ in touched
        ):
            continue
        assert (org / "cases" / path.name).read_bytes() == path.read_bytes(), path.name
        same += 1
    assert same >= 50
