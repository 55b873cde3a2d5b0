"""The disclosure's wording comes from the policy's templates, the default set otherwise,
and whatever HR typed is printed as text, never as markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairpivot.documents import disclosure as paper
from fairpivot.domain.disclosure import Disclosure, UnitMember, disclose, program_from


def sample(**changes: str) -> Disclosure:
    """A two-person unit's disclosure, the program's text changed by ``changes``."""
    values: dict[str, object] = {
        "name": "Ops move",
        "unit": "Ops",
        "eligibility_factors": "Everyone in Ops.",
        "selection_factors": "Lowest ratings.",
        "program_date": "2025-06-02",
        "selected": ["E-1", "E-2"],
    }
    program = program_from(values | changes)
    people = [
        UnitMember(ref, "Ops", title, "L5", date(1980, 6, 2), None, None)
        for ref, title in (("E-1", "Analyst"), ("E-2", ""))
    ]
    return disclose(program, people)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A company's own policies folder, one policy with its own disclosure."""
    (tmp_path / "other-co" / "letters").mkdir(parents=True)
    own = tmp_path / "other-co" / "letters" / f"{paper.TEMPLATE}.html"
    own.write_text("Other Co: {{ program.name }}")
    return tmp_path


def test_a_policy_with_its_own_disclosure_uses_it(root: Path) -> None:
    assert paper.html(sample(), "other-co", root) == "Other Co: Ops move"


def test_a_policy_without_one_uses_the_default_set(root: Path) -> None:
    page = paper.html(sample(), "amazon-pivot", root)
    assert "Other Co" not in page
    assert "Ops move" in page
    assert page == paper.html(sample())


def test_what_hr_typed_is_printed_as_text_not_markup() -> None:
    page = paper.html(sample(selection_factors="<b>Lowest</b> & <script>x</script>"))
    assert "&lt;b&gt;Lowest&lt;/b&gt; &amp; &lt;script&gt;" in page
    assert "<script>" not in page


def test_a_person_without_a_title_is_still_counted_under_no_title() -> None:
    page = paper.html(sample())
    assert "(no title)" in page
    assert "Total in the unit: 2" in page
