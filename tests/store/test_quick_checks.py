"""The loader's quick tests skip the limits scan and the control-character walk only
when those would find nothing: a file gets the same problems either way."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebal.core.rules import control_character_findings
from rebal.model.constants import MAX_NESTING
from rebal.store.load import parse
from rebal.store.syntax import read_toml

PATH = Path("p.toml")
# Any character, the control ones (C0, DEL, C1) and the backslash often.
_text = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(["\x1b", "\x07", "\r", "\x7f", "\x9b", "\x85", "\\", "\t", "\n", "é"]),
    ),
    max_size=12,
)
_scalar = st.one_of(
    _text,
    st.integers(-(10**30), 10**30),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.booleans(),
)
_data = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=12,
)


def _control_problems(text: str) -> list[str]:
    _, problems = parse(PATH, text)
    return [p.message for p in problems if "control character" in p.message]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_text, _data, min_size=1, max_size=4), st.booleans())
def test_a_control_character_is_found_whenever_the_full_walk_finds_one(
    table: dict[str, Any], crlf: bool
) -> None:
    text = tomli_w.dumps({"t": table}, multiline_strings=True)
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError:
        return  # CRLF inside a multi-line literal string written raw: not this test's case
    walked = control_character_findings(data)
    found = _control_problems(text)
    assert bool(found) == bool(walked), (text, found, walked)
    assert len(found) == len(walked)


def _nest(depth: int, opener: str) -> str:
    if opener == "[":
        return "[" * depth + "]" * depth
    return "{ b = " * depth + "1" + " }" * depth


def _assert_nesting_verdict(depth: int, opener: str, table: list[str]) -> None:
    header = f"[{'.'.join(table)}]\n" if table else ""
    text = f"{header}v = {_nest(depth, opener)}\n"
    data, problems = read_toml(PATH, text)
    if depth > MAX_NESTING:
        assert data is None
        [problem] = problems
        assert problem.message == (
            f"arrays or inline tables are nested more than {MAX_NESTING} levels deep"
        )
        assert problem.line == (2 if table else 1)
    else:
        assert problems == []
        assert data is not None


@pytest.mark.parametrize("opener", ["[", "{"])
@pytest.mark.parametrize("depth", [MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 1])
def test_text_nested_at_the_limit(depth: int, opener: str) -> None:
    _assert_nesting_verdict(depth, opener, [])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 40),
    st.sampled_from(["[", "{"]),
    st.lists(st.sampled_from(["x", "y", "z"]), min_size=0, max_size=40),
)
def test_text_nested_past_the_limit_is_refused_at_any_table_depth(
    depth: int, opener: str, table: list[str]
) -> None:
    """Deep [a.b.c...] tables alone pass; brackets nested past the limit never do."""
    _assert_nesting_verdict(depth, opener, table)
