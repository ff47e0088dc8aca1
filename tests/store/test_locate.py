"""locate(): the line and column of a dotted key, for problems that point into the file."""

from __future__ import annotations

import textwrap

from hypothesis import given
from hypothesis import strategies as st

from rebal.store.locate import dotted, key_locations, locate, repeated_keys, split_dotted

TEXT = textwrap.dedent(
    """\
    # a comment with [brackets] and key = "value"
    [portfolio]
    name = "Household"   # trailing comment
    as_of = 2026-11-20

    [targets]
    "US Stocks" = 50
    'Int. Stocks' = 20
    Bonds = 30

    [securities."BRK.B"]
    price = 450.5
    style = { "large-value" = 60, mid = { blend = 40 } }

    [securities.VTI]
    sectors.Technology = 31.2

    [[accounts]]
    name = "401k"
    menu = ["VTI", "BRK.B"]
    holdings = { VTI = 100, "BRK.B" = 2 }

    [[accounts]]
    name = "Roth"
    note = \"\"\"
    [not.a.table]
    cash = 5
    \"\"\"
    cash = 120.5

    [plan]
    mode = "full"
    trades = [
      { account = "401k", ticker = "VTI" },
      { account = "Roth", ticker = "BRK.B" },
    ]

    [[plan.decisions]]
    ticker = "VTI"
    """
)
LOCATIONS = key_locations(TEXT)


def where(*path: str | int) -> tuple[int, int] | None:
    return LOCATIONS.get(path)


def test_tables_and_their_keys() -> None:
    assert where("portfolio") == (2, 1)
    assert where("portfolio", "name") == (3, 1)
    assert where("portfolio", "as_of") == (4, 1)


def test_quoted_keys_are_unquoted() -> None:
    assert where("targets", "US Stocks") == (7, 1)
    assert where("targets", "Int. Stocks") == (8, 1)
    assert where("securities", "BRK.B") == (11, 1)
    assert where("securities", "BRK.B", "price") == (12, 1)


def test_inline_tables_nested_ones_included() -> None:
    assert where("securities", "BRK.B", "style") == (13, 1)
    assert where("securities", "BRK.B", "style", "large-value") == (13, 11)
    assert where("securities", "BRK.B", "style", "mid", "blend") == (13, 39)
    assert where("accounts", 0, "holdings", "VTI") == (21, 14)
    assert where("accounts", 0, "holdings", "BRK.B") == (21, 25)


def test_dotted_keys() -> None:
    assert where("securities", "VTI", "sectors", "Technology") == (16, 1)


def test_arrays_of_tables_are_numbered() -> None:
    assert where("accounts", 0) == (18, 1)
    assert where("accounts", 0, "name") == (19, 1)
    assert where("accounts", 1, "name") == (24, 1)
    assert where("plan", "decisions", 0, "ticker") == (39, 1)


def test_array_elements_and_arrays_over_several_lines() -> None:
    assert where("accounts", 0, "menu", 1) == (20, 16)
    assert where("plan", "trades", 1) == (35, 3)
    assert where("plan", "trades", 1, "ticker") == (35, 23)


def test_the_inside_of_multi_line_strings_is_not_read_as_keys() -> None:
    assert where("not", "a", "table") is None
    assert where("accounts", 1, "cash") == (29, 1)


def test_locate_falls_back_to_the_nearest_written_parent() -> None:
    assert locate(LOCATIONS, ("accounts", 1, "holdings", "VTI")) == (23, 1)
    assert locate(LOCATIONS, ("bands", "kind")) is None


def test_dotted_names_the_path_as_a_person_reads_it() -> None:
    assert dotted(("accounts", 2, "holdings", "VTI")) == "accounts[2].holdings.VTI"
    assert dotted(("targets", "US Stocks")) == 'targets."US Stocks"'


def test_split_dotted_handles_quotes_and_escapes() -> None:
    assert split_dotted('a."b.c".d') == ["a", "b.c", "d"]
    assert split_dotted("a.'x y'") == ["a", "x y"]
    assert split_dotted(r'"say \"hi\""') == ['say "hi"']


@given(st.text(max_size=300))
def test_any_text_gives_locations_without_raising(text: str) -> None:
    for path, (line, column) in key_locations(text).items():
        assert path
        assert line >= 1
        assert column >= 1


def test_repeated_keys_finds_the_second_writing_of_a_key() -> None:
    text = "[a]\nx = 1\ny = 2\n[[b]]\nx = 1\n[[b]]\nx = 1\n[a.c]\nx = 1\n[a]\ny = 3\n"
    assert repeated_keys(text) == [(("a", "y"), (11, 1))]
    assert repeated_keys(TEXT) == []


def test_nested_arrays_of_tables_are_numbered_under_each_parent() -> None:
    text = (
        "[[accounts]]\nname = 'A'\n[[accounts.lots]]\nx = 1\n[[accounts.lots]]\nx = 2\n"
        "[[accounts]]\nname = 'B'\n[accounts.holdings]\nVTI = 1\n[[accounts.lots]]\nx = 3\n"
    )
    locations = key_locations(text)
    assert locations[("accounts", 0, "lots", 1, "x")] == (6, 1)
    assert locations[("accounts", 1, "holdings", "VTI")] == (10, 1)
    assert locations[("accounts", 1, "lots", 0, "x")] == (12, 1)
