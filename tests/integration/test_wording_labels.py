"""Every deadline code the review can list has words a person reads on the pages."""

from __future__ import annotations

import pytest

from fairpivot.domain.review.deadlines import DEADLINE_CODES
from fairpivot.web.wording import DEADLINE_LABELS, deadline_label


@pytest.mark.parametrize("code", sorted(DEADLINE_CODES))
def test_it_words_every_deadline_code(code: str) -> None:
    assert code in DEADLINE_LABELS
    assert deadline_label(code) == DEADLINE_LABELS[code]


def test_it_words_no_code_the_review_does_not_list() -> None:
    assert set(DEADLINE_LABELS) == DEADLINE_CODES
