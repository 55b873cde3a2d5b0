"""Fisher's exact tests, the binomial tail and Benjamini-Hochberg, against hand-worked figures."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairpivot.domain.analytics.stats import (
    benjamini_hochberg,
    binomial_tail,
    fisher_exact,
    fisher_greater,
)

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


# --- one-sided Fisher ------------------------------------------------------------------------


def test_it_sums_only_the_upper_tail_for_the_one_sided_test() -> None:
    # [[5, 5], [0, 10]]: weights C(10, x) * C(10, 5 - x) over C(20, 5) = 15504:
    #   x=0: 252   x=1: 2100   x=2: 5400   x=3: 5400   x=4: 2100   x=5: 252 (observed)
    # P(X >= 5) = 252/15504 = 0.016254 (the two-sided p counts x=0 as well: 504/15504).
    assert fisher_greater(5, 5, 0, 10) == pytest.approx(252 / 15504, rel=1e-12)
    # [[3, 7], [1, 9]]: column 4 of 20, C(20, 4) = 4845; weights C(10, x) * C(10, 4 - x):
    #   x=0: 210   x=1: 1200   x=2: 2025   x=3: 1200 (observed)   x=4: 210
    # P(X >= 3) = (1200 + 210)/4845 = 1410/4845 = 0.29102.
    assert fisher_greater(3, 7, 1, 9) == pytest.approx(1410 / 4845, rel=1e-12)


def test_it_gives_1_when_the_first_row_could_not_be_lower() -> None:
    # [[0, 10], [5, 5]]: x=0 is the least the margins allow, so P(X >= 0) = 1.
    assert fisher_greater(0, 10, 5, 5) == 1.0
    assert fisher_greater(0, 0, 0, 0) == 1.0


def test_it_sums_the_upper_tail_from_below_the_mode_too() -> None:
    # [[1, 3], [3, 1]]: weights over C(8, 4) = 70: x=0: 1, x=1: 16 (observed), x=2: 36,
    # x=3: 16, x=4: 1, so P(X >= 1) = 69/70, worked as 1 - P(X = 0).
    assert fisher_greater(1, 3, 3, 1) == pytest.approx(69 / 70, rel=1e-12)


def _greater_by_enumeration(a: int, b: int, c: int, d: int) -> float:
    row1, row2, col1 = a + b, c + d, a + c
    high = min(row1, col1)
    tail = sum(math.comb(row1, x) * math.comb(row2, col1 - x) for x in range(a, high + 1))
    return tail / math.comb(row1 + row2, col1)


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=4, max_size=4))
def test_the_one_sided_test_agrees_with_enumerating_every_table(cells: list[int]) -> None:
    a, b, c, d = cells
    expected = _greater_by_enumeration(a, b, c, d)
    assert fisher_greater(a, b, c, d) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_it_tests_a_million_person_table_one_sided() -> None:
    assert fisher_greater(40_000, 710_000, 30_000, 720_000) < 1e-100
    assert fisher_greater(30_000, 720_000, 40_000, 710_000) == pytest.approx(1.0)


def test_the_one_sided_test_refuses_a_negative_cell() -> None:
    with pytest.raises(ValueError, match="negative"):
        fisher_greater(1, -2, 3, 4)


# --- Benjamini-Hochberg ----------------------------------------------------------------------


def test_it_adjusts_a_known_list_of_p_values_by_benjamini_hochberg() -> None:
    # m = 5. Sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4), 0.5 (5).
    #   m * p / rank:  0.025, 0.025, 0.05, 0.05, 0.5
    #   least from each rank up: 0.025, 0.025, 0.05, 0.05, 0.5
    # Given back in the order asked.
    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.005, 0.5])
    assert adjusted == pytest.approx([0.025, 0.05, 0.05, 0.025, 0.5])


def test_it_carries_a_smaller_adjusted_p_down_to_the_ranks_below() -> None:
    # m = 4: 0.02 (rank 1) -> 0.08, 0.03 (2) -> 0.06, 0.035 (3) -> 0.0467, 0.04 (4) -> 0.04.
    # Each takes the least from its rank up, so all four become 0.04: rejected together
    # at q = 0.05, although 0.02 alone would be 0.08.
    assert benjamini_hochberg([0.04, 0.035, 0.03, 0.02]) == pytest.approx([0.04] * 4)


def test_it_caps_adjusted_p_values_at_1_and_keeps_ties_equal() -> None:
    assert benjamini_hochberg([0.9, 0.9, 0.8]) == pytest.approx([0.9, 0.9, 0.9])
    assert benjamini_hochberg([1.0, 1.0]) == [1.0, 1.0]
    assert benjamini_hochberg([]) == []
    assert benjamini_hochberg([0.03]) == [0.03]


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=40))
def test_adjusted_p_values_are_never_below_the_raw_ones_and_keep_their_order(
    p_values: list[float],
) -> None:
    adjusted = benjamini_hochberg(p_values)
    assert all(a >= p - 1e-15 and a <= 1.0 for a, p in zip(adjusted, p_values, strict=True))
    ranked = sorted(zip(p_values, adjusted, strict=True))
    assert all(x[1] <= y[1] + 1e-15 for x, y in itertools.pairwise(ranked))
