"""Letters built from case files, with no database: which the record supports, what the
release says on each side of its thresholds, and how a policy's templates override the
shared ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairpivot.documents.letters import (
    LETTERS,
    LetterRefused,
    available,
    compose,
    source_of,
    templates,
)
from fairpivot.documents.letters.release import agreement_offer, release_terms
from tests.builders import case, event, load, offer, pivot, plan


def source(doc: dict[str, Any], on: str) -> Any:
    loaded = load({**doc, "as_of": on})
    return source_of(loaded.file, loaded.policy, ref="C-7", issued_on=date.fromisoformat(on))


def names(src: Any) -> list[str]:
    state = src.ctx.state
    return [letter.name for letter in available(state, src.file.events, src.policy, src.issued_on)]


FOCUS = event("focus_started", "2025-05-01", disclosed=True)


def test_a_letter_is_offered_only_once_the_record_holds_what_it_tells() -> None:
    before = source(case(events=[FOCUS]), "2025-05-02")
    after = source(case(events=[FOCUS, pivot("2025-06-02")]), "2025-06-03")

    assert names(before) == ["focus_notice"]
    assert names(after) == ["focus_notice", "pivot_letter", "separation_agreement"]
    with pytest.raises(LetterRefused, match="holds nothing a pivot letter tells"):
        compose(before, "pivot_letter")
    with pytest.raises(LetterRefused, match="no letter called 'memo'"):
        compose(before, "memo")


def test_the_appeal_decision_letter_says_how_the_panel_decided() -> None:
    events = [
        FOCUS,
        pivot("2025-06-02"),
        event("option_chosen", "2025-06-03", option="plan"),
        event("plan_failed", "2025-08-08", appeal_days=3),
        event("appeal_elected", "2025-08-11"),
        event("appeal_decided", "2025-08-25", outcome="overturned", panel=["P-1", "P-2", "P-3"]),
    ]
    peers = [{"id": f"P-{i}", "name": f"Peer {i}", "role": "peer"} for i in (1, 2, 3)]
    doc = case(events=events)
    doc["people"] += peers
    src = source(doc, "2025-08-26")

    html = compose(src, "appeal_decision").html

    assert "appeal_decision" in names(src)
    assert "filed on August 11, 2025, was decided on August 25, 2025 by a panel of 3" in html
    assert "<strong>overturned</strong>" in html
    assert "upheld" not in html


def test_a_letter_escapes_what_the_record_holds() -> None:
    goals = [{"text": "<script>alert(1)</script>", "measure": "a & b"}]
    doc = case(events=[event("focus_started", "2025-05-01", disclosed=True, goals=goals)])

    html = compose(source(doc, "2025-05-02"), "focus_notice").html

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html


@pytest.mark.parametrize(("birth", "owbpa"), [("1985-06-03", False), ("1985-06-02", True)])
def test_the_owbpa_framing_starts_on_the_40th_birthday(birth: str, owbpa: bool) -> None:
    doc = case(events=[FOCUS, pivot("2025-06-02")], employee={"birth_date": birth})
    src = source(doc, "2025-06-03")
    chosen = agreement_offer(src)
    assert chosen is not None

    terms = release_terms(src, chosen)
    html = compose(src, "separation_agreement").html

    assert terms["owbpa"] is owbpa
    assert ("Older Workers Benefit Protection Act" in html) is owbpa
    assert "Age Discrimination in Employment Act" in html  # the offer names it either way


def ca_offer(days: int) -> dict[str, Any]:
    made = offer(consideration_days=days, revocation_days=0, names_adea=False)
    return event("offer_made", "2025-06-06", offer=made)  # a Friday


@pytest.mark.parametrize(("days", "refused"), [(6, True), (7, False)])
def test_a_california_agreement_needs_five_business_days(days: int, refused: bool) -> None:
    events = [
        FOCUS,
        pivot("2025-06-02"),
        event("option_chosen", "2025-06-03", option="plan"),
        event("plan_failed", "2025-06-05", appeal_days=3),
        ca_offer(days),
    ]
    doc = case(events=events, employee={"work_state": "CA", "birth_date": "1990-01-15"})
    src = source(doc, "2025-06-06")

    if refused:
        with pytest.raises(LetterRefused, match=r"ca\.separation_terms"):
            compose(src, "separation_agreement")
    else:
        html = compose(src, "separation_agreement").html
        assert "Gov. Code 12964.5" in html


def test_a_policys_own_template_replaces_only_the_blocks_it_words() -> None:
    doc = case(events=[FOCUS, pivot("2025-06-02")])
    amazon = compose(source(doc, "2025-06-03"), "pivot_letter").html
    pip_doc = case(
        policy="standard-pip",
        events=[event("plan_started", "2025-06-02", plan=plan("2025-06-09", "2025-08-08"))],
    )
    pip = compose(source(pip_doc, "2025-06-03"), "plan").html

    assert "You are being placed in Pivot" in amazon  # amazon-pivot's own opening
    assert "Option 1: leave with severance" in amazon  # the rest is the shared default's
    assert "Performance improvement plan</h1>" in pip
    assert "Your improvement plan runs from" not in pip
    assert templates.folders("standard-pip")[0].parts[-2:] == ("standard-pip", "letters")


def test_a_companys_own_policy_folder_overrides_a_shipped_letter(tmp_path: Path) -> None:
    own = tmp_path / "amazon-pivot" / "letters"
    own.mkdir(parents=True)
    (own / "focus_notice.html").write_text(
        '{% extends "focus_notice.html" %}{% block intro %}<p>Acme wording.</p>{% endblock %}'
    )
    src = source(case(events=[FOCUS]), "2025-05-02")

    html = compose(src, "focus_notice", templates_root=tmp_path).html

    assert "Acme wording." in html
    assert "<h2>Goals</h2>" in html


def test_every_letter_has_a_shared_default_template() -> None:
    shipped = templates.policies_folder() / templates.DEFAULTS
    assert {f"{name}.html" for name in LETTERS} <= {p.name for p in shipped.iterdir()}


@pytest.mark.parametrize(("state", "eeoc"), [("WA", True), ("XX", False)])
def test_the_agreement_names_us_agencies_only_for_work_in_the_us(state: str, eeoc: bool) -> None:
    doc = case(events=[FOCUS, pivot("2025-06-02")], employee={"work_state": state})

    html = compose(source(doc, "2025-06-03"), "separation_agreement").html

    assert ("Equal Employment Opportunity Commission" in html) is eeoc
    assert "filing a" in html  # a charge or complaint stays open everywhere
