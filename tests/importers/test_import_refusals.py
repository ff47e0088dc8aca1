"""Exports that are special files, huge, cut short, inconsistent or hostile: refused whole.

Each case was a real failure (a hang, a traceback, or a partial file applied
with exit 0). Each is refused with the file and line, exit 2, and the
portfolio file byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rebal.files import MAX_FILE_BYTES

Cli = Callable[..., Any]

FIXTURES = Path(__file__).parent / "fixtures"
# Both accounts of schwab_all_accounts.csv, so a cut-short second one would be applied.
SCHWAB_BOTH = ("--account", "Individual=...123", "--account", "Spouse IRA=...456")


def refused(cli: Cli, portfolio: Path, export: Path, where: str, *extra: str) -> str:
    """Import `export` for real; assert it is refused at `where` and nothing changed."""
    before = portfolio.read_bytes()
    run = cli("import", export, "--into", portfolio, *extra)
    assert run.code == 2, run.out + run.err
    assert f"{where}: error: " in run.err, run.err
    assert "nothing was written" in run.err
    assert "Traceback" not in run.err
    assert portfolio.read_bytes() == before
    assert not portfolio.with_name(portfolio.name + ".bak").exists()
    return str(run.err)


def rebal(*args: object, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process, for files that could hang or exhaust memory in-process."""
    return subprocess.run(
        [sys.executable, "-c", "from rebal.cli import entry; entry()", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


# ---------------------------------------------------------------- special files and sizes


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_fifo_as_the_export_is_refused_at_once(tmp_path: Path, portfolio: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    before = portfolio.read_bytes()
    done = rebal("import", fifo, "--into", portfolio)
    assert done.returncode == 2
    assert f"{fifo}: error: cannot read the file: it is a FIFO (named pipe)" in done.stderr
    assert "Traceback" not in done.stderr
    assert portfolio.read_bytes() == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_as_the_export_is_refused_not_read_into_memory(portfolio: Path) -> None:
    done = rebal("import", "/dev/zero", "--into", portfolio)
    assert done.returncode == 2
    assert "/dev/zero: error: cannot read the file: it is a device" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_fifo_as_the_portfolio_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "portfolio.toml"
    os.mkfifo(fifo)
    done = rebal("import", FIXTURES / "generic_one_account.csv", "--into", fifo)
    assert done.returncode == 2
    assert f"{fifo}: error: cannot read the file: it is a FIFO (named pipe)" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_export_over_the_size_limit_is_refused(tmp_path: Path, portfolio: Path) -> None:

    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    before = portfolio.read_bytes()
    done = rebal("import", big, "--into", portfolio)
    assert done.returncode == 2
    assert "larger than 64 MiB, the most rebal reads from one file" in done.stderr
    assert portfolio.read_bytes() == before


def test_a_200000_character_field_is_refused_with_its_line(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "big-field.csv"
    path.write_text("account,ticker,shares,price\nX1,VTI,1," + "1" * 200_000 + "\n")
    err = refused(cli, portfolio, path, f"{path}:2")
    assert "longer than" in err


def test_a_5000_digit_share_count_is_refused_with_its_line(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "digits.csv"
    path.write_text("account,ticker,shares,price\nX1,VTI," + "1" * 5000 + ",10\n")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "too many digits" in err


# ---------------------------------------------------------------- cut short


def test_schwab_cut_after_an_account_label_line_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    lines = (FIXTURES / "schwab_all_accounts.csv").read_text().splitlines(keepends=True)
    assert lines[10].startswith("Roth Contributory IRA")
    path = tmp_path / "Positions.csv"
    path.write_text("".join(lines[:11]))
    err = refused(cli, portfolio, path, f"{path}:11", *SCHWAB_BOTH)
    assert "Roth Contributory IRA" in err


def test_schwab_cut_after_a_titled_section_start_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "Positions.csv"
    path.write_text(
        '"Positions for account Individual ...123 as of 12:33 PM ET, 2026/11/20"\n'
        '"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)"\n'
        '"SCHB","SCHWAB US BROAD MARKET ETF","10","$25.00","$250.00"\n'
        '"Positions Total","","--","--","$250.00"\n'
        '"Positions for account Roth IRA ...456 as of 12:33 PM ET, 2026/11/20"\n'
    )
    refused(cli, portfolio, path, f"{path}:5", *SCHWAB_BOTH)


def test_schwab_cut_leaving_a_lone_quote_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    lines = (FIXTURES / "schwab_all_accounts.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "Positions.csv"
    path.write_text("".join(lines[:11]) + '"')
    refused(cli, portfolio, path, f"{path}:12", *SCHWAB_BOTH)


def test_generic_csv_cut_mid_number_is_refused(cli: Cli, tmp_path: Path, portfolio: Path) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text("account,ticker,shares,price\nX1,VTI,5.5,300\nX1,BND,5")
    err = refused(cli, portfolio, path, f"{path}:3", "--account", "Individual=X1")
    assert "no line ending" in err
    assert "if the file is complete, end its last line" in err


def test_generic_csv_ending_inside_an_open_quote_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    # Failed before: the lenient csv reader closed the quote at the end of the
    # file, so a file cut inside a quoted name was applied with exit 0.
    path = tmp_path / "holdings.csv"
    path.write_text('account,ticker,shares,price,name\nX1,VTI,5.5,300,"Vanguard Total\n')
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "never closed" in err


# ---------------------------------------------------------------- inconsistent


def test_one_bad_byte_in_a_utf8_export_is_refused_not_read_as_windows_1252(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_bytes(
        b"account,ticker,shares,price,name\n"
        b"X1,VTI,1,300,Caf\xc3\xa9 fund\n"
        b"X1,BND,2,70,Bond \xff fund\n"
    )
    err = refused(cli, portfolio, path, f"{path}:3", "--account", "Individual=X1")
    assert "byte 0xff is not valid UTF-8" in err


def test_an_export_dated_in_the_future_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text("# as of 2099-01-01\naccount,ticker,shares,price\nX1,VTI,1,300\n")
    err = refused(cli, portfolio, path, f"{path}:1", "--account", "Individual=X1")
    assert "the file is dated 2099-01-01 (from the file's '# as of' comment)" in err
    assert "which is after today" in err


def test_a_schwab_account_total_that_does_not_match_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    text = (FIXTURES / "schwab_all_accounts.csv").read_text()
    path = tmp_path / "Positions.csv"
    path.write_text(text.replace("$88,109.60", "$88,109.61"))
    err = refused(cli, portfolio, path, f"{path}:9", *SCHWAB_BOTH)
    assert "come to 88109.60, but the file's total row says 88109.61" in err


def test_a_generic_total_that_does_not_match_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text("account,ticker,shares,price,value\nX1,VTI,1,300,300\nX1,TOTAL,,,350\n")
    refused(cli, portfolio, path, f"{path}:3", "--account", "Individual=X1")


# ---------------------------------------------------------------- hostile


@pytest.mark.parametrize(
    ("row", "what"),
    [
        ("X1\x1b]52;c;SEFDS0VE\x07,VTI,1,300", "account"),
        ("X1,VT\x07I,1,300", "ticker"),
        ("X1,\x9b2JVTI,1,300", "ticker"),
        ("X1\x7f,VTI,1,300", "account"),
    ],
)
def test_a_control_character_in_an_account_or_ticker_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path, row: str, what: str
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text(f"account,ticker,shares,price\n{row}\n", encoding="utf-8")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert f"the {what} holds a control character" in err


def test_a_control_character_in_a_holding_name_is_refused(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text("account,ticker,shares,price,name\nX1,VTI,1,300,Total\x1b[2J market\n")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "the name holds a control character (U+001B)" in err


def test_an_ofx_statement_dated_in_the_future_is_refused_at_its_dtasof(
    tmp_path: Path,
) -> None:
    from rebal.importers import ImportFailed, read_export

    text = (FIXTURES / "statement_v1.ofx").read_text(encoding="latin-1")
    path = tmp_path / "statement.ofx"
    path.write_text(text, encoding="latin-1")
    result = read_export(path)
    assert result.as_of_line is not None
    with pytest.raises(ImportFailed) as failed:
        read_export(path, today=result.as_of - dt.timedelta(days=2))
    (problem,) = failed.value.problems
    assert problem.line == result.as_of_line
    assert "which is after today" in problem.message
    # Dated today, or tomorrow (the broker's US Eastern date, late in a western evening).
    for today in (result.as_of, result.as_of - dt.timedelta(days=1)):
        assert read_export(path, today=today).as_of == result.as_of


def test_a_price_derived_beyond_any_real_one_is_refused_at_its_row(
    cli: Cli, tmp_path: Path, portfolio: Path
) -> None:
    path = tmp_path / "holdings.csv"
    path.write_text("account,ticker,shares,value\nX1,VTI,0.000000000001,999999999999999\n")
    err = refused(cli, portfolio, path, f"{path}:2", "--account", "Individual=X1")
    assert "far beyond any real price" in err


def test_init_refuses_an_export_dated_in_the_future(cli: Cli, tmp_path: Path) -> None:
    export = tmp_path / "holdings.csv"
    export.write_text("# as of 2099-01-01\naccount,ticker,shares,price\nX1,VTI,1,300\n")
    output = tmp_path / "new.toml"
    run = cli("init", "--from", export, output)
    assert run.code == 2
    assert f"{export}:1: error: the file is dated 2099-01-01" in run.err
    assert not output.exists()


# ---------------------------------------------------------------- damaged structure


def test_an_ofx_file_without_a_security_list_says_what_is_missing(tmp_path: Path) -> None:
    from rebal.importers import ImportFailed, read_export

    path = tmp_path / "statement.ofx"
    path.write_text(
        "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS>"
        "<CODE>0<SEVERITY>INFO</STATUS></SONRS></SIGNONMSGSRSV1>\n</OFX>\n"
    )
    with pytest.raises(ImportFailed, match="the OFX file has no investment statement"):
        read_export(path)


def test_a_schwab_table_under_a_damaged_title_is_refused_not_an_internal_error(
    tmp_path: Path,
) -> None:
    from rebal.importers import ImportFailed, read_export

    path = tmp_path / "Positions.csv"
    path.write_text(
        # "account" lost its first letter: the title no longer opens an account.
        '"Positions for ccount Individual ...123 as of 11:31 AM ET, 2026/11/19"\n'
        '"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)"\n'
        '"SCHB","SCHWAB US BROAD MARKET ETF","10","$25.00","$250.00"\n'
        '"Positions Total","","--","--","$250.00"\n'
    )
    with pytest.raises(ImportFailed) as failed:
        read_export(path)
    assert f"{path}:2: error: a positions table without an account label line before it" in str(
        failed.value
    )
    assert "please report" not in str(failed.value)


def test_a_control_character_in_a_fidelity_core_cash_symbol_is_refused(tmp_path: Path) -> None:
    from rebal.importers import ImportFailed, read_export

    path = tmp_path / "Portfolio_Positions_Nov-23-2026.csv"
    path.write_text(
        "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Current Value,Type\n"
        "X1,Individual,SPA\x1b]0;pwned\x07XX**,HELD IN MONEY MARKET,,,$40.00,Cash,\n"
        "X1,Individual,VTI,VANGUARD TOTAL STK MKT,2,$300.00,$600.00,Cash,\n"
        "\n"
        '"Date downloaded Nov-23-2026 at 9:00 a.m ET"\n'
    )
    with pytest.raises(ImportFailed, match="the ticker holds a control character") as failed:
        read_export(path)
    assert failed.value.problems[0].line == 2
