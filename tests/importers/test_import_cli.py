"""`rebal import` and `rebal init` as run by a user: exit codes, messages, files written or not."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.store.load import load

Cli = Callable[..., Any]


def unchanged(path: Path, text: str) -> bool:
    return path.read_text() == text and not path.with_name(path.name + ".bak").exists()


# ---------------------------------------------------------------- rebal import


def test_dry_run_prints_the_diff_and_writes_nothing(
    cli: Cli, portfolio: Path, fixtures: Path
) -> None:
    before = portfolio.read_text()
    run = cli(
        "import",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        "--into",
        portfolio,
        "--account",
        "ACME 401(k)=87654",
        "--dry-run",
    )
    assert run.code == 0
    assert "  FXAIX: 200 -> 210.512 shares" in run.out
    assert "  cash: 500 -> 2942.19" in run.out
    assert "rows: 6 holding, 2 cash, 0 total, 1 pending, 5 ignored, 0 error" in run.out
    assert "dry run, nothing was written" in run.err
    assert unchanged(portfolio, before)


def test_import_applies_and_check_reads_the_result(
    cli: Cli, portfolio: Path, fixtures: Path
) -> None:
    run = cli(
        "import",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        "--into",
        portfolio,
        "--account",
        "ACME 401(k)=87654",
    )
    assert run.code == 0, run.err
    assert "updated" in run.err
    assert load(portfolio).portfolio.account("Individual").cash == Decimal("2942.19")
    assert cli("check", portfolio).code in (0, 1)


def test_an_unmatched_account_in_a_script_is_refused(
    cli: Cli, portfolio: Path, fixtures: Path
) -> None:
    before = portfolio.read_text()
    run = cli("import", fixtures / "Portfolio_Positions_Nov-20-2026.csv", "--into", portfolio)
    assert run.code == 2
    assert f"{portfolio}: error: cannot tell which account" in run.err
    assert '--account "ACME 401(k)"=87654' in run.err
    assert run.out == ""
    assert unchanged(portfolio, before)


def test_skip_leaves_a_broker_account_out(cli: Cli, portfolio: Path, fixtures: Path) -> None:
    run = cli(
        "import",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        "--into",
        portfolio,
        "--skip",
        "87654",
    )
    assert run.code == 0, run.err
    assert "skipped ACME CORP 401(K) (87654)" in run.out
    assert load(portfolio).portfolio.account("ACME 401(k)").broker_id is None


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_user_is_asked(
    cli: Cli, portfolio: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", FakeTerminal("7\n1\n"))  # a wrong answer, then account 1
    run = cli("import", fixtures / "Portfolio_Positions_Nov-20-2026.csv", "--into", portfolio)
    assert run.code == 0, run.err
    assert "Which account is ACME CORP 401(K) (87654)" in run.err
    assert "1) ACME 401(k)" in run.err
    assert "type a number from 1 to 2" in run.err
    assert load(portfolio).portfolio.account("ACME 401(k)").broker_id == "87654"


def test_quitting_the_question_writes_nothing(
    cli: Cli, portfolio: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = portfolio.read_text()
    monkeypatch.setattr("sys.stdin", FakeTerminal("q\n"))
    run = cli("import", fixtures / "Portfolio_Positions_Nov-20-2026.csv", "--into", portfolio)
    assert run.code == 2
    assert unchanged(portfolio, before)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"date,amount\n2026-01-02,12.00\n", "export.csv:1: error: unknown format"),
        (
            b"account,ticker,shares,price\nIRA,VTI,3,301.20\nIRA,BND,three,72\n",
            "export.csv:3: error: shares: 'three' is not a number",
        ),
        (
            b'"Positions for account Individual ...123 as of 11:31 AM ET, 2026/11/19"\n\n'
            b'"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)",\n'
            b'"SCHB","SCHWAB US BROAD MARKET ETF","1,21',
            "export.csv:4: error: a quoted field opened on this line is never closed",
        ),
    ],
    ids=["unknown format", "unparseable row", "truncated"],
)
def test_bad_exports_name_file_and_line_and_write_nothing(
    cli: Cli, portfolio: Path, tmp_path: Path, content: bytes, expected: str
) -> None:
    before = portfolio.read_text()
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    run = cli("import", export, "--into", portfolio)
    assert run.code == 2
    assert expected in run.err
    assert "Traceback" not in run.err
    assert "nothing was written" in run.err
    assert unchanged(portfolio, before)


def test_unknown_forced_format(cli: Cli, portfolio: Path, fixtures: Path) -> None:
    run = cli("import", fixtures / "generic_one_account.csv", "--into", portfolio, "--format", "x")
    assert run.code == 2
    assert "generic_one_account.csv: error: unknown format 'x'" in run.err


@pytest.mark.parametrize(
    "encoded",
    [
        "\ufeffaccount,ticker,shares,price\nSpouse IRA,VTI,13,301.20\n".encode(),
        "account,ticker,shares,price,name\nSpouse IRA,VTI,13,301.20,Fonds été\n".encode("latin-1"),
    ],
    ids=["utf-8 with BOM", "latin-1"],
)
def test_bom_and_latin1_exports_import(
    cli: Cli, portfolio: Path, tmp_path: Path, encoded: bytes
) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(encoded)
    run = cli("import", export, "--into", portfolio)
    assert run.code == 0, run.err
    assert load(portfolio).portfolio.account("Spouse IRA").holdings == {"VTI": 13}


def test_an_invalid_portfolio_is_not_touched(cli: Cli, tmp_path: Path, fixtures: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[portfolio\nname = 1\n")
    run = cli("import", fixtures / "generic_one_account.csv", "--into", broken)
    assert run.code == 2
    assert f"{broken}:1:" in run.err
    assert broken.read_text() == "[portfolio\nname = 1\n"


def test_importing_into_a_file_that_does_not_exist_points_to_init(
    cli: Cli, tmp_path: Path, fixtures: Path
) -> None:
    missing = tmp_path / "my household.toml"
    export = fixtures / "generic_one_account.csv"
    run = cli("import", export, "--into", missing)

    assert run.code == 2
    assert f"{missing}: error: there is no such portfolio file" in run.err
    assert f"rebal init --from {export} '{missing}'" in run.err
    assert not missing.exists()


def test_the_same_export_given_twice_is_named_once(
    cli: Cli, portfolio: Path, fixtures: Path
) -> None:
    export = fixtures / "generic_one_account.csv"
    before = portfolio.read_text()
    run = cli("import", export, export, "--into", portfolio)

    assert run.code == 2
    assert f"{export}: error: this file is given twice; give each export once" in run.err
    assert "would replace account" not in run.err
    assert unchanged(portfolio, before)


# ---------------------------------------------------------------- rebal init


def test_init_from_three_brokers_then_import_updates_by_broker_id(
    cli: Cli, tmp_path: Path, fixtures: Path
) -> None:
    output = tmp_path / "household.toml"
    run = cli(
        "init",
        "--from",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        fixtures / "schwab_all_accounts.csv",
        fixtures / "vanguard_several_accounts.csv",
        output,
    )
    assert run.code == 0, run.err
    loaded = load(output)
    names = [a.name for a in loaded.portfolio.accounts]
    assert names == [
        "Fidelity ROTH IRA",
        "Fidelity ACME CORP 401(K)",
        "Fidelity Individual",
        "Schwab Individual",
        "Schwab Roth Contributory IRA",
        "Vanguard 12340001",
        "Vanguard 12340002",
    ]
    kinds = {a.name: a.kind for a in loaded.portfolio.accounts}
    assert kinds["Fidelity ROTH IRA"] == "roth"
    assert kinds["Fidelity Individual"] == "taxable"
    assert kinds["Fidelity ACME CORP 401(K)"] == "traditional"
    assert loaded.portfolio.targets == {"Unclassified": 100}
    assert "REPLACE THIS PLACEHOLDER" in loaded.text
    assert all(s.asset_class is None for s in loaded.portfolio.securities.values())
    assert cli("check", output).code == 1  # cash has a 0% target until the user sets one

    # The user classifies a fund, then imports newer exports: the edit survives.
    edited = loaded.text.replace(
        '[securities.FXAIX]\nname = "FIDELITY 500 INDEX FUND"',
        '[securities.FXAIX]\nname = "FIDELITY 500 INDEX FUND"\nclass = "US Stocks"  # mine',
    )
    output.write_text(edited)
    run = cli("import", fixtures / "Portfolio_Positions_Nov-21-2026.csv", "--into", output)
    assert run.code == 0, run.err
    updated = load(output)
    assert 'class = "US Stocks"  # mine' in updated.text
    roth = updated.portfolio.account("Fidelity ROTH IRA")
    assert roth.holdings["VXUS"] == 600
    assert "matched by broker id" in run.out

    # One command for all three brokers: every account is found by its broker id.
    run = cli(
        "import",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        fixtures / "schwab_all_accounts.csv",
        fixtures / "vanguard_several_accounts.csv",
        "--into",
        output,
    )
    assert run.code == 0, run.err
    assert run.out.count("matched by broker id") == 7
    assert 'class = "US Stocks"  # mine' in output.read_text()
    assert load(output).portfolio.account("Fidelity ROTH IRA").holdings["FXAIX"] == Decimal(
        "210.512"
    )


def test_init_refuses_to_overwrite(cli: Cli, portfolio: Path, fixtures: Path) -> None:
    before = portfolio.read_text()
    run = cli("init", "--from", fixtures / "generic_one_account.csv", "-o", portfolio)
    assert run.code == 2
    assert "already exists" in run.err
    assert portfolio.read_text() == before


def test_init_refuses_a_dangling_symlink(cli: Cli, tmp_path: Path, fixtures: Path) -> None:
    # Failed before: the link counted as "not there", and init created the
    # file it points to, wherever that is (a planted link in a shared folder).
    elsewhere = tmp_path / "elsewhere.toml"
    link = tmp_path / "portfolio.toml"
    link.symlink_to(elsewhere)
    run = cli("init", "--from", fixtures / "generic_one_account.csv", "-o", link)
    assert run.code == 2
    assert "already exists" in run.err
    assert not elsewhere.exists()
    # Failed before: it suggested `rebal import --into` the link, which cannot be read.
    assert run.err == (
        f"{link}: already exists; rebal init never overwrites a file (cannot read the file: "
        f"it is a symbolic link to {elsewhere}, which does not exist; choose another name)\n"
    )


def test_init_defaults_to_portfolio_toml(
    cli: Cli, tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run = cli("init", "--from", fixtures / "statement_v1.ofx")
    assert run.code == 0, run.err
    portfolio = load(tmp_path / "portfolio.toml").portfolio
    assert portfolio.accounts[0].holdings == {"VTI": 85, "BND": 140}
    assert portfolio.securities["VTI"].cusip == "922908769"


def test_init_from_a_bad_export_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("account,ticker,shares\nIRA,VTI,-3\n")
    output = tmp_path / "new.toml"
    run = cli("init", "--from", export, output)
    assert run.code == 2
    assert f"{export}:2: error: VTI: negative quantity" in run.err
    assert not output.exists()


def test_init_into_a_missing_folder_says_so(cli: Cli, tmp_path: Path, fixtures: Path) -> None:
    output = tmp_path / "no such folder" / "portfolio.toml"
    run = cli("init", "--from", fixtures / "statement_v1.ofx", output)

    assert run.code == 2
    assert "the folder" in run.err
    assert "does not exist; create it first" in run.err
    assert "Traceback" not in run.err


def test_a_failed_write_leaves_the_portfolio_and_explains(
    cli: Cli, portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = portfolio.read_text()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("rebal.store.apply_import.write_atomic", disk_full)
    export = portfolio.with_name("export.csv")
    export.write_text("account,ticker,shares,price\nSpouse IRA,VTI,13,301.20\n")
    run = cli("import", export, "--into", portfolio)

    assert run.code == 2
    assert f"{portfolio}: error: cannot write it: No space left on device" in run.err
    assert "the file is unchanged" in run.err
    assert portfolio.read_text() == before


# ---------------------------------------------------------------- nothing imported

ALL_THREE = ("--skip", "87654", "--skip", "Z23456789", "--skip", "X98765432")


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_an_import_with_every_account_skipped_changes_nothing(
    cli: Cli, portfolio: Path, fixtures: Path, dry_run: bool
) -> None:
    """Failed before: the file was written with as_of moved to the export's date,
    and the command said "updated"."""
    before = portfolio.read_bytes()
    export = fixtures / "Portfolio_Positions_Nov-20-2026.csv"

    run = cli("import", export, "--into", portfolio, *ALL_THREE, *(["--dry-run"] * dry_run))

    assert run.code == 0
    assert "portfolio as_of" not in run.out
    assert "skipped Individual (X98765432)" in run.out
    assert (
        f"{portfolio}: nothing imported (every broker account was skipped), "
        "the file is unchanged\n"
    ) in run.err
    assert "updated" not in run.err
    assert portfolio.read_bytes() == before
    assert not portfolio.with_name(portfolio.name + ".bak").exists()


def generic_export(tmp_path: Path, as_of: str, rows: str, name: str = "later.csv") -> Path:
    path = tmp_path / name
    path.write_text(f"# as of {as_of}\naccount,ticker,shares,price\n{rows}")
    return path


def test_as_of_moves_to_the_newest_price_written_not_to_a_skipped_files_date(
    cli: Cli, portfolio: Path, fixtures: Path, tmp_path: Path
) -> None:
    """Failed before: the skipped account's file was the newest, and as_of took its date
    although no price of that day was written."""
    later = generic_export(tmp_path, "2026-11-25", "Elsewhere 5566,VTI,3,305.00\n")

    run = cli(
        "import",
        fixtures / "Portfolio_Positions_Nov-20-2026.csv",
        later,
        "--into",
        portfolio,
        "--account",
        "ACME 401(k)=87654",
        "--skip",
        "Elsewhere 5566",
    )

    assert run.code == 0, run.err
    assert "portfolio as_of: 2026-10-31 -> 2026-11-20" in run.out
    imported = load(portfolio).portfolio
    assert imported.portfolio.as_of == dt.date(2026, 11, 20)
    assert imported.securities["VTI"].price == Decimal("301.20")  # the Nov-20 price, not 305


def test_holdings_without_prices_move_no_date(
    cli: Cli, portfolio: Path, tmp_path: Path
) -> None:
    """An export of share counts only updates the holdings; the prices, and so as_of,
    are as they were (failed before: as_of took the export's date)."""
    shares_only = tmp_path / "shares.csv"
    shares_only.write_text("# as of 2026-11-25\naccount,ticker,shares\nIndividual,VTI,130\n")

    run = cli("import", shares_only, "--into", portfolio)

    assert run.code == 0, run.err
    imported = load(portfolio).portfolio
    assert imported.account("Individual").holdings["VTI"] == 130
    assert imported.portfolio.as_of == dt.date(2026, 10, 31)
    assert imported.securities["VTI"].price_as_of is None
    assert "portfolio as_of" not in run.out


def test_a_second_import_while_another_writes_is_refused_naming_it(
    cli: Cli, portfolio: Path, fixtures: Path
) -> None:
    """Two imports into one file at once: the second waits for the writer lock, then
    refuses with exit 2 and writes nothing; the first's write is whole."""
    import os
    import threading

    from rebal.store.atomic import WriteStep, write_atomic

    loaded = load(portfolio)
    inside, release = threading.Event(), threading.Event()

    def hold(step: WriteStep) -> None:
        if step == "temp-written":
            inside.set()
            release.wait(30)

    first = threading.Thread(
        target=write_atomic,
        args=(portfolio, loaded.text + "# the first import\n", loaded.fingerprint),
        kwargs={"on_step": hold},
    )
    first.start()
    try:
        assert inside.wait(30)
        run = cli(
            "import", fixtures / "Portfolio_Positions_Nov-21-2026.csv", "--into", portfolio
        )
    finally:
        release.set()
        first.join()

    assert run.code == 2
    assert (
        f"{portfolio}: another rebal (process {os.getpid()}) is writing this file; nothing "
        "was written after waiting 3 s (try again when it has finished)"
    ) in run.err
    assert "Traceback" not in run.err
    assert portfolio.read_text() == loaded.text + "# the first import\n"
    assert portfolio.with_name(portfolio.name + ".bak").read_text() == loaded.text
