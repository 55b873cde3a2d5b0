"""The quick structure check of a case file passes exactly the JSON the full one passes.

Every file is walked once quickly; the walk that names each problem runs only when the
quick one finds one, so the two must agree on every input.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairpivot.domain.casefile import load

SCALARS = st.sampled_from(["null", "1", "2.5", "NaN", "-Infinity", '"x"', "true", "[]", "{}"])
KEYS = st.sampled_from(['"a"', '"b"', '"c"'])  # few, so objects often repeat a key
TEXTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]")
        | st.lists(st.tuples(KEYS, inner), max_size=4).map(
            lambda pairs: "{" + ",".join(f"{k}:{v}" for k, v in pairs) + "}"
        )
    ),
    max_leaves=25,
)


def decoded(text: str) -> object:
    return json.loads(text, object_pairs_hook=load._object, parse_constant=load._NonFinite)


@given(TEXTS)
def test_the_quick_check_passes_what_the_full_check_finds_nothing_in(text: str) -> None:
    value = decoded(text)
    assert load._well_formed(value) == (load._structure_problems(value) == [])


@pytest.mark.parametrize("depth", [load.MAX_DEPTH - 1, load.MAX_DEPTH, load.MAX_DEPTH + 1])
@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ('{"a":', "}")])
def test_both_checks_agree_on_nesting_around_the_limit(
    depth: int, opening: str, closing: str
) -> None:
    value = decoded(opening * depth + "1" + closing * depth)
    assert load._well_formed(value) == (load._structure_problems(value) == [])
    assert load._well_formed(value) == (depth <= load.MAX_DEPTH)
