"""The command line's check that a case file's strings are text, fast path and slow."""

from __future__ import annotations

import json

from fairpivot.cli.text import not_text


def test_it_finds_nothing_in_a_file_without_an_escape() -> None:
    assert not_text(json.dumps({"name": "Zoë 😀"}, ensure_ascii=False).encode()) == []


def test_it_finds_nothing_in_escapes_that_are_text() -> None:
    assert not_text(b'{"name": "Zo\\u00eb \\ud83d\\ude00"}') == []


def test_it_names_a_lone_surrogate_and_its_position() -> None:
    assert not_text(b'{"employee": {"name": "Pa\\ud800t"}}', "f.json: ") == [
        "f.json: employee.name: has a lone surrogate, U+D800, which is not text (at position 3)"
    ]


def test_it_names_a_nul_in_a_key() -> None:
    assert not_text(b'{"a\\u0000": 1}') == [
        "a\x00: key has a NUL character, which no database stores (at position 2)"
    ]


def test_it_names_a_lone_surrogate_in_a_file_in_utf_16() -> None:
    data = '{"note": "\\udc00"}'.encode("utf-16")
    assert not_text(data) == [
        "note: has a lone surrogate, U+DC00, which is not text (at position 1)"
    ]
