"""Fisher's exact test and the binomial tail, checked against tables worked by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairpivot.domain.analytics.stats import binomial_tail, fisher_exact

cell = st.integers(min_value=0, max_value=30)


def test_it_matches_the_hand_worked_3_1_1_3_table() -> None:
    # Margins: rows 4 and 4, first column 4, n = 8, C(8, 4) = 70 tables' worth.
    # x = top-left cell; weight C(4, x) * C(4, 4 - x):
    #   x=0: 1   x=1: 16   x=2: 36   x=3: 16 (observed)   x=4: 1
    # As or less likely than 16: 1 + 16 + 16 + 1 = 34, so p = 34/70 = 0.485714...
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(34 / 70, rel=1e-12)
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857142857)


def test_it_matches_the_hand_worked_8_2_1_5_table() -> None:
    # Margins: rows 10 and 6, first column 9, n = 16, C(16, 9) = 11440.
    # x runs 3..9; weight C(10, x) * C(6, 9 - x):
    #   x=3: 120   x=4: 1260   x=5: 3780   x=6: 4200   x=7: 1800   x=8: 270 (observed)
    #   x=9: 10    (sum 11440)
    # As or less likely than 270: 120 + 270 + 10 = 400, so p = 400/11440 = 0.034965...
    assert fisher_exact(8, 2, 1, 5) == pytest.approx(400 / 11440, rel=1e-12)
    assert fisher_exact(8, 2, 1, 5) == pytest.approx(0.0349650350)


def test_it_handles_a_table_with_zero_cells() -> None:
    # [[0, 5], [5, 0]]: rows 5 and 5, column 5, C(10, 5) = 252.
    #   weights C(5, x)^2 for x = 0..5: 1, 25, 100, 100, 25, 1; observed x=0 weighs 1.
    #   p = (1 + 1)/252 = 0.0079365...
    assert fisher_exact(0, 5, 5, 0) == pytest.approx(2 / 252, rel=1e-12)
    # [[0, 4], [3, 3]]: rows 4 and 6, column 3, C(10, 3) = 120.
    #   x=0: 1*20 = 20 (observed)   x=1: 4*15 = 60   x=2: 6*6 = 36   x=3: 4*1 = 4
    #   p = (20 + 4)/120 = 0.2
    assert fisher_exact(0, 4, 3, 3) == pytest.approx(0.2, rel=1e-12)


def test_it_gives_1_for_the_most_likely_and_for_empty_tables() -> None:
    # [[1, 1], [1, 1]]: weights 1, 4 (observed), 1; every table is as or less likely.
    assert fisher_exact(1, 1, 1, 1) == 1.0
    assert fisher_exact(0, 0, 0, 0) == 1.0
    assert fisher_exact(5, 0, 0, 0) == 1.0


def test_it_counts_the_mirror_table_of_a_symmetric_margin_as_a_tie() -> None:
    # [[4, 0], [0, 4]]: weights 1, 16, 36, 16, 1 over 70; the observed x=4 weighs 1, tied
    # exactly with x=0, so both count: 2/70.
    assert fisher_exact(4, 0, 0, 4) == pytest.approx(2 / 70, rel=1e-12)
    assert fisher_exact(0, 4, 4, 0) == fisher_exact(4, 0, 0, 4)


@given(cell, cell, cell, cell)
def test_it_gives_the_same_p_value_for_swapped_rows_columns_and_transposes(
    a: int, b: int, c: int, d: int
) -> None:
    p = fisher_exact(a, b, c, d)
    assert 0.0 < p <= 1.0
    assert fisher_exact(c, d, a, b) == pytest.approx(p, rel=1e-12)
    assert fisher_exact(b, a, d, c) == pytest.approx(p, rel=1e-12)
    assert fisher_exact(a, c, b, d) == pytest.approx(p, rel=1e-12)


def test_it_stays_exact_at_an_org_s_headcount() -> None:
    # The weights pass 1e308 here; a float version would overflow.
    p = fisher_exact(300, 4700, 150, 4850)
    assert 0.0 < p < 1e-10
    assert fisher_exact(250, 4750, 250, 4750) == 1.0


def test_it_refuses_a_negative_cell() -> None:
    with pytest.raises(ValueError, match="negative"):
        fisher_exact(-1, 2, 3, 4)


def test_it_sums_the_binomial_upper_tail() -> None:
    # X ~ Binomial(3, 1/2): P(X >= 2) = (3 + 1)/8.
    assert binomial_tail(2, 3, 0.5) == pytest.approx(0.5)
    # X ~ Binomial(6, 1/3): P(X >= 4) = (15*4 + 6*2 + 1)/3^6 = 73/729.
    assert binomial_tail(4, 6, 1 / 3) == pytest.approx(73 / 729)
    assert binomial_tail(3, 3, 1 / 3) == pytest.approx(1 / 27)


def test_it_gives_the_binomial_tail_s_edge_values() -> None:
    assert binomial_tail(0, 10, 0.3) == 1.0
    assert binomial_tail(-1, 10, 0.3) == 1.0
    assert binomial_tail(11, 10, 0.3) == 0.0
    assert binomial_tail(1, 10, 0.0) == 0.0
    assert binomial_tail(10, 10, 1.0) == 1.0


def test_it_computes_the_binomial_tail_where_the_coefficients_overflow_a_float() -> None:
    # C(2000, 1000) is about 1e600; the mean is 1000, so P(X >= 1000) is just over a half.
    p = binomial_tail(1000, 2000, 0.5)
    assert p == pytest.approx(0.5 + math.comb(2000, 1000) / 2**2001, rel=1e-9)


def test_it_refuses_a_probability_outside_0_and_1() -> None:
    with pytest.raises(ValueError, match="binomial"):
        binomial_tail(1, 10, 1.5)


def _fisher_by_enumeration(a: int, b: int, c: int, d: int) -> float:
    """Every table with the same margins, in exact integers: the definition, for checking."""
    row1, row2, col1 = a + b, c + d, a + c
    low, high = max(0, col1 - row2), min(row1, col1)
    weights = [math.comb(row1, x) * math.comb(row2, col1 - x) for x in range(low, high + 1)]
    observed = weights[a - low]
    extreme = sum(w for w in weights if w * 10**7 <= observed * (10**7 + 1))
    return min(1.0, extreme / math.comb(row1 + row2, col1))


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=4, max_size=4))
def test_it_agrees_with_enumerating_every_table(cells: list[int]) -> None:
    a, b, c, d = cells
    expected = _fisher_by_enumeration(a, b, c, d)
    assert fisher_exact(a, b, c, d) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_it_tests_a_million_person_table_without_enumerating_it() -> None:
    # 4.0% of 750,000 against 5.3% of 750,000: about 37 standard errors apart.
    p = fisher_exact(30_000, 720_000, 40_000, 710_000)
    assert p < 1e-100
    assert fisher_exact(30_000, 720_000, 30_010, 719_990) > 0.9
