"""The org analytics page and API: who may see which org, what they show, and bad input.

The org and its numbers are test_org_analytics.py's: Eng (Eng/Web, Eng/Data) and Ops.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django import DjangoDbBlocker

from fairpivot.domain.analytics import OrgScreenSettings
from fairpivot.records import analytics
from fairpivot.records.clock import FixedClock
from fairpivot.records.models import Employee, ImpactTest, OrgFinding
from fairpivot.records.screen.screening import screen_org
from fairpivot.web.models import AccessLogEntry
from fairpivot.web.services import cover_org
from tests.integration.seeding import kept_for_module
from tests.integration.test_org_analytics import AS_OF, formula_cases, seed_org

pytestmark = pytest.mark.django_db

PAGE = "/analytics/"
API = "/api/v1/analytics"
DAY = AS_OF.isoformat()


@pytest.fixture(scope="module")
def org_once(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The org, seeded once for the module; each test undoes what it writes (seeding.py)."""
    folder = tmp_path_factory.mktemp("org")
    with kept_for_module(django_db_blocker, lambda: seed_org(folder)):
        yield


@pytest.fixture
def org(org_once: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def as_role(role: str, *scopes: str) -> Client:
    """A client signed in as a new user of ``role`` (HR covering ``scopes``)."""
    user = User.objects.create_user(f"{role}-{'-'.join(scopes) or 'all'}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    for prefix in scopes:
        cover_org(user, prefix)
    if role == "manager":
        Employee.objects.filter(employee_id="M-1").update(user=user)
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_it_shows_counsel_every_section_as_charts_with_tables(org: None) -> None:
    response = as_role("counsel").get(PAGE, {"org": "Eng", "as_of": DAY})

    page = text_of(response)
    assert response.status_code == 200
    assert "Org analytics: Eng" in page
    for section in ("ura", "quarters", "managers", "funnel", "impact", "org-findings"):
        assert f'id="{section}"' in page, section
    # Each chart is an SVG image with a title, a caption, and a table of its figures.
    charts = page.count('<svg class="chart" role="img"')
    assert charts == 2 + 1 + 4  # attrition by org and per quarter, the funnel, 4 stages
    assert page.count("<figcaption>") == 7
    assert page.count("<table>") >= 8
    # Eng/Web: 3 of 20 = 15.0% against a 10.0% target, said in words as well as in red.
    assert "15.0% (3 of 20) · over target" in page
    assert "over target by 5.0 points" in page
    assert "Eng/Data" in page
    assert "within target" in page
    assert "Morgan One" in page
    assert "25.0%" in page
    assert "60.0% of the step before" in page  # 3 of 5 on Focus were offered Pivot
    assert "2025 Q2" in page


def test_it_shows_hidden_groups_as_words_without_their_numbers(org: None) -> None:
    response = as_role("counsel").get(
        PAGE, {"org": "Eng", "as_of": DAY, "dimension": "race_ethnicity"}
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "fewer than 5 people — not shown" in page
    assert "hidden so a small group can't be worked out" in page
    assert "Race and ethnicity" in page


def test_it_opens_on_the_first_org_hr_covers_and_logs_no_case(org: None) -> None:
    client = as_role("hr", "Eng")

    response = client.get(PAGE, {"as_of": DAY})

    assert response.status_code == 200
    assert "Org analytics: Eng" in text_of(response)
    assert client.get(PAGE, {"org": "Eng/Web", "as_of": DAY}).status_code == 200
    # Aggregates, not a person's demographics: nothing for the per-case access log.
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("asked", ["Ops", "", "Engineering", "En"])
def test_it_answers_404_to_hr_for_an_org_outside_their_scope(org: None, asked: str) -> None:
    response = as_role("hr", "Eng").get(PAGE, {"org": asked})

    assert response.status_code == 404


def test_it_gives_hr_covering_everything_the_whole_company(org: None) -> None:
    response = as_role("hr", "").get(PAGE, {"as_of": DAY})

    assert response.status_code == 200
    assert "Org analytics: the whole company" in text_of(response)


@pytest.mark.parametrize("role", ["manager", "employee", "panelist"])
def test_it_keeps_the_page_and_the_api_from_other_roles(org: None, role: str) -> None:
    client = as_role(role)

    assert client.get(PAGE).status_code == 403
    response = client.get(f"{API}/impact", {"org": "Eng"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_it_links_the_page_for_hr_and_counsel_only(org: None) -> None:
    hr = as_role("hr", "Eng").get("/access-log/").content.decode()
    manager = as_role("manager").get("/team/").content.decode()

    assert f'href="{PAGE}"' in hr
    assert f'href="{PAGE}"' not in manager


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"dimension": "height"}, "dimension:"),
        ({"as_of": "2025-13-01"}, "as_of:"),
        ({"as_of": "0001-01-01"}, "as_of:"),
        ({"org": "Eng\x00"}, "org:"),
    ],
)
def test_it_names_a_bad_parameter_on_the_page_with_a_400(
    org: None, query: dict[str, str], field: str
) -> None:
    response = as_role("counsel").get(PAGE, query)

    assert response.status_code == 400
    assert field in text_of(response)
    assert "<svg" not in text_of(response)


def test_it_shows_the_stored_org_findings_and_when_the_screen_ran(
    org: None, tmp_path: Path
) -> None:
    formula_cases(tmp_path)
    screen_org(FixedClock(datetime(2025, 7, 1, 6, tzinfo=UTC)), AS_OF)

    page = text_of(as_role("counsel").get(PAGE, {"org": "Legal", "as_of": DAY}))

    assert "<code>owbpa.hidden_group_program</code> · Legal" in page
    assert "may form a group termination program" in page
    assert "2025-07-01 06:00 UTC" in page
    assert "29 C.F.R. 1625.22(f)" in page
    # The findings come first on the page, with a count per code.
    assert page.index('id="org-findings"') < page.index('id="ura"')
    counts = '<th scope="row"><code>owbpa.hidden_group_program</code></th><td>1</td><td>0</td>'
    assert counts in page


def seed_findings() -> None:
    """Stored findings, medium ones first, as a screen could leave them."""
    moment = datetime(2025, 7, 1, 6, tzinfo=UTC)
    for code, severity, org in (
        ("quota.clustering", "medium", "Eng/Web"),
        ("impact.four_fifths", "medium", "Eng"),
        ("impact.four_fifths", "high", "Eng/Data"),
        ("quota.clustering", "medium", "Eng"),
        ("owbpa.hidden_group_program", "high", "Eng"),
    ):
        OrgFinding.objects.create(
            code=code, severity=severity, org=org, date=AS_OF, message=f"[{code} in {org}]",
            evidence={"org": org}, basis="", screened_at=moment,
        )  # fmt: skip


def test_it_lists_high_findings_first_with_a_count_per_code(org: None) -> None:
    seed_findings()
    client = as_role("counsel")

    page = text_of(client.get(PAGE, {"org": "Eng", "as_of": DAY}))
    body = client.get(f"{API}/findings", {"org": "Eng"}).json()

    severities = [f["severity"] for f in body["findings"]]
    assert severities == ["high", "high", "medium", "medium", "medium"]
    assert body["counts"] == [
        {"code": "impact.four_fifths", "total": 2, "high": 1, "medium": 1},
        {"code": "owbpa.hidden_group_program", "total": 1, "high": 1, "medium": 0},
        {"code": "quota.clustering", "total": 2, "high": 0, "medium": 2},
    ]
    shown = [page.index(f["message"]) for f in body["findings"]]
    assert shown == sorted(shown)


def test_it_shows_every_group_s_shortfall_and_raw_and_adjusted_p(
    org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Eng's 14 men make a comparison group once the test size is 10 (30 by default).
    monkeypatch.setattr(analytics, "SETTINGS", OrgScreenSettings(min_test_group=10))
    screen_org(FixedClock(datetime(2025, 7, 1, 6, tzinfo=UTC)), AS_OF)
    stored = ImpactTest.objects.get(org="Eng", dimension="sex", stage="focus", group="female")
    client = as_role("counsel")

    body = client.get(f"{API}/impact", {"org": "Eng", "as_of": DAY, "dimension": "sex"}).json()
    focus = next(s for s in body["stages"] if s["stage"] == "focus")
    female = next(g for g in focus["groups"] if g["group"] == "female")
    page = text_of(client.get(PAGE, {"org": "Eng", "as_of": DAY}))
    later = client.get(f"{API}/impact", {"org": "Eng", "as_of": "2025-07-01"}).json()

    assert (body["min_test_group"], body["fdr_q"], body["min_shortfall"]) == (10, 0.05, 2.0)
    assert body["tests"] == stored.family
    assert female["shortfall"] == pytest.approx(3 - 16 * 2 / 14)
    assert female["p_value"] == pytest.approx(stored.p_value)
    assert female["adjusted_p_value"] == pytest.approx(stored.adjusted_p)
    assert female["finding"] is False
    assert f"<td>0.7</td><td>{stored.p_value:.3g}</td><td>{stored.adjusted_p:.3g}</td>" in page
    assert f"({stored.family} tests in the last screen)" in page
    # Another day than the screen's: the raw p still, the screen's adjustment not.
    later_female = next(
        g
        for s in later["stages"]
        if s["stage"] == "focus"
        for g in s["groups"]
        if g["group"] == "female"
    )
    assert later_female["p_value"] is not None
    assert (later["tests"], later_female["adjusted_p_value"]) == (None, None)


def test_the_api_gives_attrition_by_org_quarter_and_manager(org: None) -> None:
    body = as_role("hr", "Eng").get(f"{API}/ura", {"as_of": DAY}).json()

    assert (body["org"], body["as_of"], body["target"]) == ("Eng", DAY, 0.1)
    web = next(row for row in body["by_org"] if row["org"] == "Eng/Web")
    assert web == {
        "org": "Eng/Web",
        "headcount": 20,
        "exits": 3,
        "rate": 0.15,
        "target": 0.1,
        "over_target": True,
    }
    assert [p["exits"] for p in body["over_time"]] == [0, 0, 1, 0, 1, 0, 1, 1]
    assert [m["manager_ref"] for m in body["by_manager"]] == ["M-1", "M-2"]


def test_the_api_gives_the_funnel(org: None) -> None:
    body = as_role("counsel").get(f"{API}/funnel", {"org": "Eng", "as_of": DAY}).json()

    assert [(s["name"], s["count"]) for s in body["steps"]] == [
        ("low_rated", 6),
        ("focus", 5),
        ("pivot", 3),
        ("plan_taken", 2),
        ("plan_outcome", 2),
        ("appeal", 1),
        ("exit", 3),
    ]
    assert body["steps"][2]["rate"] == 0.6


def test_the_api_gives_adverse_impact_with_hidden_groups_empty(org: None) -> None:
    response = as_role("counsel").get(
        f"{API}/impact", {"org": "Eng", "as_of": DAY, "dimension": "race_ethnicity"}
    )

    body = response.json()
    focus = next(s for s in body["stages"] if s["stage"] == "focus")
    groups = {g["group"]: g for g in focus["groups"]}
    assert (body["min_group"], body["four_fifths"]) == (5, 0.8)
    assert groups["asian"]["suppressed"] == "small"
    assert groups["asian"]["at_risk"] is None
    assert groups["asian"]["adverse"] is None
    assert groups["black"]["suppressed"] == "complementary"
    assert (groups["white"]["at_risk"], groups["white"]["adverse"]) == (14, 3)


def test_the_api_gives_the_stored_findings_in_the_org(org: None, tmp_path: Path) -> None:
    formula_cases(tmp_path)
    screen_org(FixedClock(datetime(2025, 7, 1, 6, tzinfo=UTC)), AS_OF)

    legal = as_role("hr", "Legal").get(f"{API}/findings").json()
    eng = as_role("hr", "Eng").get(f"{API}/findings").json()

    assert legal["screened_at"].startswith("2025-07-01T06:00")
    assert [(f["code"], f["org"]) for f in legal["findings"]] == [
        ("owbpa.hidden_group_program", "Legal")
    ]
    assert legal["counts"] == [
        {"code": "owbpa.hidden_group_program", "total": 1, "high": 1, "medium": 0}
    ]
    assert (eng["findings"], eng["counts"]) == ([], [])


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("impact", {"dimension": "height"}, "dimension:"),
        ("ura", {"as_of": "30/06/2025"}, "as_of:"),
        ("funnel", {"as_of": "9999-12-31"}, "as_of:"),
        ("findings", {"org": "x" * 400}, "org:"),
    ],
)
def test_the_api_names_a_bad_parameter_with_a_400(
    org: None, path: str, query: dict[str, str], field: str
) -> None:
    response = as_role("counsel").get(f"{API}/{path}", query)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "bad_request"
    assert [p for p in error["problems"] if p.startswith(field)]


def test_the_api_answers_404_for_an_org_outside_hrs_scope(org: None) -> None:
    response = as_role("hr", "Eng").get(f"{API}/ura", {"org": "Ops"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_documents_the_analytics_endpoints(org: None) -> None:
    paths = as_role("hr").get("/api/v1/openapi.json").json()["paths"]

    for name in ("ura", "funnel", "impact", "findings"):
        assert f"/api/v1/analytics/{name}" in paths
