"""Malformed case files through ``fairpivot review`` and ``fairpivot import``, fuzzed.

Hypothesis takes well-formed case files (the shipped examples and ``case_files()``) and
breaks them: a key dropped, a value swapped for another JSON value (a lone surrogate,
a huge number, a deep nest, a wrong type), a key added, the text cut short or spoiled.
Whatever comes of it, the command either takes the file or exits 2 with one line per
problem, never a traceback; an import that exits 2 writes nothing. The command runs
in-process (``fairpivot.cli.main``), on this test's database for ``import``; one test runs
it in a real process, to check the exit status and the streams as a shell sees them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck
from hypothesis import strategies as st

from fairpivot.cli.main import main
from tests.builders import EXAMPLES
from tests.strategies import case_files

EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expect.json"))
SEED = 20250630
SETTINGS = hypothesis.settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Values a mutation puts in place of another: wrong types, text that is not text, numbers
# at and past every bound, dates past the calendar, nests deeper than a case file may be.
nasty_text = st.sampled_from(
    ["", " ", "\ud800", "a\udfffb", "\x00", "Rene\u0301e", "9999-12-31", "0000-01-01",
     "2025-13-01", "x" * 20_000, "NaN", "\U0001f600"]
)  # fmt: skip
nasty_number = st.sampled_from(
    [0, -1, 1, 2**31, 2**63, 10**30, -(10**30), 1e308, -1e308, 0.001, 1.5, 99]
)
leaf = st.one_of(
    st.none(), st.booleans(), nasty_text, nasty_number, st.text(max_size=8), st.integers()
)
json_values = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as the keys and indexes that lead to it."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        document = document[step]
    return document


def _mutate(draw: st.DrawFn, document: Any) -> None:
    """One mutation, in place: a value replaced, dropped, added, nested deep or spoiled."""
    places = [p for p in _paths(document) if p]
    if not places:
        return
    path = draw(st.sampled_from(places))
    parent, last = _parent(document, path), path[-1]
    how = draw(st.sampled_from(["replace", "drop", "add", "deepen", "spoil"]))
    if how == "spoil":  # one string not text, the file otherwise as it was
        strings = [p for p in places if isinstance(_parent(document, p)[p[-1]], str)]
        if strings:
            spot = draw(st.sampled_from(strings))
            _parent(document, spot)[spot[-1]] += draw(st.sampled_from(["\ud800", "\x00"]))
    elif how == "replace":
        parent[last] = draw(json_values)
    elif how == "drop":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "note", "tier", "date"]))] = draw(json_values)
    elif how == "add":
        parent.append(draw(json_values))
    else:
        nest: Any = parent[last]
        for _ in range(draw(st.sampled_from([2, 40]))):
            nest = [nest]
        parent[last] = nest


@st.composite
def broken(draw: st.DrawFn) -> bytes:
    """A case file with one to three mutations, as the bytes of a file."""
    if draw(st.booleans()):
        document = json.loads(draw(st.sampled_from(EXAMPLE_FILES)).read_text())
    else:
        document = draw(case_files())
    for _ in range(draw(st.integers(1, 3))):
        _mutate(draw, document)
    text = json.dumps(document, ensure_ascii=True)  # a lone surrogate travels as \\ud800
    cut = draw(st.sampled_from(["whole", "whole", "whole", "truncated", "latin1"]))
    if cut == "truncated":
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))].encode()
    if cut == "latin1":
        return text.replace('"', '"\xe9', 1).encode("latin-1")  # not UTF-8
    return text.encode()


def check_refusal(code: int, err: str) -> None:
    """Taken (0), or refused with exit 2 and one ``fairpivot: ...`` line per problem."""
    assert "Traceback" not in err, err
    assert code in (0, 2), (code, err)
    if code == 2:
        lines = err.splitlines()
        assert lines, "exit 2 with no problem named"
        assert all(line.startswith("fairpivot: ") and line[11:].strip() for line in lines), err


@hypothesis.given(data=broken())
@hypothesis.settings(SETTINGS, max_examples=120)
def test_review_takes_a_case_file_or_names_each_problem_on_one_line(
    data: bytes, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "case.json"
    path.write_bytes(data)
    capsys.readouterr()

    as_json = data[-1:] != b"}" or len(data) % 2 == 0  # the person's output, now and then
    code = main(["review", str(path), *(["--json"] if as_json else [])])

    out, err = capsys.readouterr()
    check_refusal(code, err)
    if code == 0 and as_json:
        assert json.loads(out)["format"] == "fairpivot.review/1"


@pytest.mark.django_db
@hypothesis.given(data=broken())
@hypothesis.settings(SETTINGS, max_examples=40)
def test_import_takes_a_case_file_or_names_each_problem_and_writes_nothing(
    data: bytes, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    from fairpivot.records.models import Case, LedgerEntry  # noqa: PLC0415

    path = tmp_path_factory.mktemp("fuzz") / "case.json"
    path.write_bytes(data)
    before = (Case.objects.count(), LedgerEntry.objects.count())
    capsys.readouterr()

    code = main(["import", str(path)])

    _, err = capsys.readouterr()
    check_refusal(code, err)
    after = (Case.objects.count(), LedgerEntry.objects.count())
    if code == 2:
        assert after == before, err
    else:
        assert after[0] in (before[0], before[0] + 1)


@pytest.mark.parametrize("flaw", ["\ud800", "\x00"])
@pytest.mark.django_db
def test_a_file_whose_only_flaw_is_a_string_that_is_not_text_is_refused_and_not_imported(
    flaw: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fairpivot.records.models import Case  # noqa: PLC0415

    document = json.loads(EXAMPLE_FILES[0].read_text())
    document["employee"]["name"] = f"Ann {flaw}"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document, ensure_ascii=True))
    cases = Case.objects.count()

    reviewed = main(["review", str(path)])
    _, review_err = capsys.readouterr()
    imported = main(["import", str(path)])
    _, import_err = capsys.readouterr()

    assert (reviewed, imported) == (2, 2)
    assert review_err.startswith("fairpivot: employee.name: has a ")
    assert import_err.startswith(f"fairpivot: {path}: employee.name: has a ")
    assert len(review_err.splitlines()) == len(import_err.splitlines()) == 1
    assert Case.objects.count() == cases


def test_a_malformed_file_in_a_real_process_exits_2_with_one_line_per_problem(
    tmp_path: Path,
) -> None:
    document = json.loads(EXAMPLE_FILES[0].read_text())
    document["employee"]["name"] = "\ud800"
    document["as_of"] = "2025-13-01"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document, ensure_ascii=True))

    result = subprocess.run(
        [sys.executable, "-m", "fairpivot", "review", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    check_refusal(result.returncode, result.stderr)
    assert result.stderr == (
        "fairpivot: employee.name: has a lone surrogate, U+D800, which is not text "
        "(at position 1)\n"
    )
