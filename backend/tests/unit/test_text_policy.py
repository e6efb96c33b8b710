"""The text policy (domain/text.py): what can be stored, and what others may read."""

from __future__ import annotations

import pytest

from rapat.domain.text import display_problem, first_storable_problem, storable_problem


@pytest.mark.parametrize(
    "value", ["", "Ana Lim", "Dewi 🌱", "漢字", "שלום\u200f", "line\nbreak", "tab\there"]
)
def test_ordinary_text_is_storable(value: str) -> None:
    assert storable_problem(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [("a\x00b", "NUL"), ("a\ud800", "surrogate"), ("\udfff", "surrogate")],
)
def test_nul_and_lone_surrogates_are_not(value: str, words: str) -> None:
    problem = storable_problem(value)
    assert problem is not None
    assert words in problem


def test_nested_values_are_searched_keys_included() -> None:
    assert first_storable_problem({"a": ["ok", {"b": 1}]}) is None
    assert first_storable_problem({"a": ["ok", {"b": "x\x00"}]}) is not None
    assert first_storable_problem({"k\x00": 1}) is not None
    assert first_storable_problem(("ok", frozenset({"\ud800"}))) is not None
    assert first_storable_problem(42) is None


@pytest.mark.parametrize(
    "value",
    ["x\x07", "x\x1b[31m", "x\x7f", "x\x85y", "x\u202ey", "x\u202ay", "x\u2066y", "x\u2069"],
)
def test_text_others_read_refuses_controls_and_overrides(value: str) -> None:
    assert display_problem(value) is not None
    assert display_problem(value, multiline=True) is not None


def test_line_breaks_and_tabs_only_where_several_lines_are_allowed() -> None:
    for value in ("a\nb", "a\tb", "a\r\nb"):
        assert display_problem(value) is not None
        assert display_problem(value, multiline=True) is None


def test_direction_marks_stay_allowed() -> None:
    assert display_problem("مرحبا\u200f Ana\u200e \u061c") is None
