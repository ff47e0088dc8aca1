"""Cells and encodings that used to be read wrong without a word: refused or read right.

Each case was a real failure found by the hostile tester: a number written
with a decimal comma imported 100 times too large, a spreadsheet formula
imported as a ticker (moving the user's holding to a new "security"), and a
UTF-16 export reported as an unknown format.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from importers.test_import_refusals import refused
from rebal.importers.text import NotANumber, parse_number

Cli = Callable[..., Any]

FIXTURES = Path(__file__).parent / "fixtures"
SCHWAB_BASIS = FIXTURES / "schwab_cost_basis.csv"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", Decimal("1000")),
        ("$1,234,567.89", Decimal("1234567.89")),
        ("(1,234.50)", Decimal("-1234.50")),
        ("12,345", Decimal("12345")),
        ("1234.5", Decimal("1234.5")),
        ("-$2.97", Decimal("-2.97")),
    ],
)
def test_thousands_separators_are_read(text: str, value: Decimal) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["1,5", "48 000,00", "48000,00", "1,00", "1,0000", "1,000,00", ",5"]
)
def test_a_comma_that_is_not_a_thousands_separator_is_refused(text: str) -> None:
    # These were read with the comma dropped: "48 000,00" became 4800000.
    with pytest.raises(NotANumber, match="comma"):
        parse_number(text)


def test_a_decimal_comma_in_a_share_count_is_refused_at_its_row(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text('account,ticker,shares,price\nX1,VTI,"1,5",300\n', encoding="utf-8")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "'1,5'" in err
    assert "1,234.56" in err  # says how rebal reads numbers


def test_a_decimal_comma_in_a_cost_basis_is_refused_not_read_100_times_larger(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "schwab.csv"
    path.write_text(SCHWAB_BASIS.read_text().replace("$48,000.00", "$48 000,00", 1))
    refused(cli, portfolio, path, f"{path}:4", "--account", "Individual=...789")


@pytest.mark.parametrize("ticker", ["=VTI", "+VTI", "@VTI", "=HYPERLINK(1)"])
def test_a_ticker_that_is_a_spreadsheet_formula_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path, ticker: str
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(f'account,ticker,shares,price\nX1,"{ticker}",1,300\n', encoding="utf-8")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "formula" in err


GENERIC = "account,ticker,shares,price,name\nX1,VTI,10,300,Vanguard Total Stock Märket\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_export_with_a_bom_is_read_like_utf8(
    cli: Cli, tmp_path: Path, portfolio: Path, encoding: str
) -> None:
    path = tmp_path / "holdings.csv"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + GENERIC.encode(encoding))
    run = cli("import", path, "--into", portfolio, "--account", "Individual=X1")
    assert run.code == 0, run.err
    individual = next(
        a for a in tomllib.loads(portfolio.read_text())["accounts"] if a["name"] == "Individual"
    )
    assert individual["holdings"]["VTI"] == 10


def test_a_utf16_export_without_a_bom_is_refused_naming_the_encoding(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_bytes(GENERIC.encode("utf-16-le"))
    err = refused(cli, portfolio, path, f"{path}:1", "--account", "Individual=X1")
    assert "UTF-16" in err
    assert "unknown format" not in err


def test_a_ticker_thousands_of_characters_long_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    # Was imported as a [securities] entry with a 5,000-character name.
    path = tmp_path / "holdings.csv"
    path.write_text(f"account,ticker,shares,price\nX1,{'T' * 5000},1,300\n", encoding="utf-8")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "5000 characters" in err
    assert "T" * 100 not in err  # the message shows the start, not all of it


def test_a_long_but_real_symbol_is_imported(cli: Cli, tmp_path: Path, portfolio: Path) -> None:
    # An option's OCC symbol: 21 characters, with spaces.
    path = tmp_path / "holdings.csv"
    path.write_text("account,ticker,shares,price\nX1,AAPL  261218C00200000,1,3\n", encoding="utf-8")
    run = cli("import", path, "--into", portfolio, "--account", "Individual=X1")
    assert run.code == 0, run.err
