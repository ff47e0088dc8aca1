"""Each broker layout, read from synthetic fixtures in the real shape: what lands, what not."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.importers import (
    BrokerAccount,
    ImportFailed,
    ImportResult,
    RowClass,
    detect_format,
    read_export,
)
from rebal.importers.text import BadText, decode

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str, format_name: str | None = None) -> ImportResult:
    return read_export(FIXTURES / name, format_name)


def account(result: ImportResult, broker_id: str) -> BrokerAccount:
    return next(a for a in result.accounts if a.broker_id == broker_id)


def shares(broker: BrokerAccount) -> dict[str, Decimal]:
    return {p.key: p.shares for p in broker.positions}


def warnings_text(result: ImportResult) -> str:
    return "\n".join(str(w) for w in result.warnings)


# ---------------------------------------------------------------- Fidelity


def test_fidelity_several_accounts_with_the_awkward_rows() -> None:
    result = read("Portfolio_Positions_Nov-20-2026.csv")  # BOM, 2023-25 header
    assert result.format == "fidelity"
    assert [a.broker_id for a in result.accounts] == ["Z23456789", "87654", "X98765432"]
    roth = account(result, "Z23456789")
    assert roth.label == "ROTH IRA"
    assert shares(roth) == {
        "FXAIX": Decimal("210.512"),
        "FTIHX": Decimal("1500"),
        "FXNAX": Decimal("605.25"),
    }
    # SPAXX** is the account's cash; the pending -$250.00 is reported, not added.
    assert roth.cash == Decimal("1523.17")
    fxaix = next(p for p in roth.positions if p.key == "FXAIX")
    assert (fxaix.price, fxaix.value) == (Decimal("198.40"), Decimal("41765.58"))
    # The 401(k) names its fund by CUSIP only.
    plan = account(result, "87654")
    (contra,) = plan.positions
    assert (contra.ticker, contra.cusip, contra.shares) == (None, "31617E745", Decimal("812.443"))
    individual = account(result, "X98765432")
    assert shares(individual) == {"VTI": Decimal("120"), "BND": Decimal("95.5")}
    assert individual.cash == Decimal("2942.19")
    assert result.counts == {
        RowClass.HOLDING: 6,
        RowClass.CASH: 2,
        RowClass.PENDING: 1,
        RowClass.IGNORED: 5,  # BrokerageLink wrapper, option, three footer lines
    }
    text = warnings_text(result)
    assert ":6: warning: pending activity of -250.00 in ROTH IRA" in text
    assert ":8: warning: row 'BROKERAGELINK' has no symbol" in text
    assert ":11: warning: option -SNDK270917C1500 is not imported" in text
    assert result.as_of == dt.date(2026, 11, 20)
    assert "Date downloaded" in result.as_of_source


def test_fidelity_sentence_case_header_and_dashes() -> None:
    result = read("Portfolio_Positions_Nov-21-2026.csv")
    (roth,) = result.accounts
    assert shares(roth) == {
        "FXAIX": Decimal("230.004"),
        "FTIHX": Decimal("300"),
        "VXUS": Decimal("600"),
    }
    assert roth.cash == Decimal("310.40")
    assert result.counts[RowClass.PENDING] == 1
    assert result.as_of == dt.date(2026, 11, 21)  # "Date downloaded Nov-21-2026 at 7:04 p.m ET"


def test_fidelity_2022_header_in_windows_1252() -> None:
    result = read("Portfolio_Positions_Jan-25-2022_cp1252.csv")
    (go,) = result.accounts
    assert go.label == "Fidelity Go® Roth"
    assert shares(go) == {"VTI": Decimal("25")}
    assert go.cash == Decimal("88.20")
    assert result.notes == ("not UTF-8; read as Windows-1252",)
    assert result.as_of == dt.date(2022, 1, 25)


def test_fidelity_footer_without_a_date_warns_and_dates_from_the_file_name(
    tmp_path: Path,
) -> None:
    table = (FIXTURES / "Portfolio_Positions_Nov-21-2026.csv").read_text().split("\n\n")[0]
    path = tmp_path / "Portfolio_Positions_Nov-19-2026.csv"
    path.write_text(table + '\n\n"Brokerage services are provided by Fidelity."\n')
    result = read_export(path)
    assert result.as_of == dt.date(2026, 11, 19)
    assert result.as_of_source == "the file name"
    assert "no 'Date downloaded' line in the footer" in warnings_text(result)


def test_fidelity_cut_at_a_row_boundary_is_refused(tmp_path: Path) -> None:
    # Cut after whole rows: every row parses, but the last account may be missing
    # holdings, which an import would remove. Only the missing footer tells.
    lines = (FIXTURES / "Portfolio_Positions_Nov-20-2026.csv").read_text().splitlines()
    path = tmp_path / "Portfolio_Positions_Nov-20-2026.csv"
    path.write_text("\n".join(lines[:4]) + "\n")
    text = problem_text(path)
    assert f"{path}:4: error: the file ends inside the positions table" in text
    assert "cut short" in text


# ---------------------------------------------------------------- Schwab


def test_schwab_all_accounts() -> None:
    result = read("schwab_all_accounts.csv")
    assert result.format == "schwab"
    individual = account(result, "...123")
    assert individual.label == "Individual"
    assert shares(individual) == {
        "SCHB": Decimal("1210"),  # "1,210" in the file
        "SCHZ": Decimal("333.333"),
        "SWVXX": Decimal("1000"),  # a money-market fund held as a position stays a holding
    }
    assert individual.cash == Decimal("9312.90")
    assert individual.reported_total == Decimal("88109.60")
    roth = account(result, "...456")
    assert roth.label == "Roth Contributory IRA"
    assert shares(roth) == {"SCHF": Decimal("140")}  # the option row is skipped
    assert result.counts == {
        RowClass.HOLDING: 4,
        RowClass.CASH: 2,
        RowClass.TOTAL: 2,
        RowClass.IGNORED: 1,
    }
    # The skipped option is part of the total, so the cross-check still balances.
    assert "total row says" not in warnings_text(result)
    assert result.as_of == dt.date(2026, 11, 20)


def test_schwab_single_account_title_with_year_first_date() -> None:
    result = read("schwab_single_account.csv")
    (individual,) = result.accounts
    assert (individual.label, individual.broker_id) == ("Individual", "...123")
    assert individual.cash == Decimal("480.25")
    assert result.as_of == dt.date(2026, 11, 19)
    assert result.warnings == ()


def test_schwab_2021_padded_layout() -> None:
    result = read("schwab_custaccs_2021.csv")
    (joint,) = result.accounts
    assert (joint.label, joint.broker_id) == ("Joint Tenant", "...789")
    assert shares(joint) == {"SCHB": Decimal("88")}
    assert joint.cash == Decimal("75.68")
    assert result.as_of == dt.date(2021, 3, 5)
    assert result.warnings == ()


def test_schwab_total_a_cent_off_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (FIXTURES / "schwab_custaccs_2021.csv").read_bytes()
    path = tmp_path / "Positions.csv"
    path.write_bytes(text.replace(b"$8,800.00", b"$8,800.01"))
    assert (
        f"{path}:7: error: account Joint Tenant (...789): holdings plus cash come to "
        "8800.00, but the file's total row says 8800.01"
    ) in problem_text(path)


# ---------------------------------------------------------------- Vanguard


def test_vanguard_transactions_are_not_holdings() -> None:
    result = read("vanguard_one_account.csv")
    (brokerage,) = result.accounts
    assert shares(brokerage) == {"VTI": Decimal("85.000")}
    # VMFXX is the settlement fund: the account's cash, remembered by name.
    assert brokerage.cash == Decimal("512.34")
    assert [f.key for f in brokerage.cash_funds] == ["VMFXX"]
    assert result.counts == {RowClass.HOLDING: 1, RowClass.CASH: 1, RowClass.IGNORED: 2}


def test_vanguard_several_accounts_sum_repeated_rows() -> None:
    result = read("vanguard_several_accounts.csv")
    assert [a.broker_id for a in result.accounts] == ["12340001", "12340002"]
    admiral = account(result, "12340002")
    assert shares(admiral) == {"VTSAX": Decimal("412.775"), "VBTLX": Decimal("52.000")}
    vtsax = next(p for p in admiral.positions if p.key == "VTSAX")
    assert vtsax.value == Decimal("54696.82")
    # Two transactions and the 401(k) plan row: counted, never read as positions.
    assert result.counts[RowClass.IGNORED] == 3


# ---------------------------------------------------------------- OFX


def test_ofx_v1_sgml_joins_positions_to_tickers_by_cusip() -> None:
    result = read("statement_v1.ofx")
    assert result.format == "ofx"
    (brokerage,) = result.accounts
    assert brokerage.broker_id == "555000111"
    by_key = {p.key: p for p in brokerage.positions}
    assert set(by_key) == {"VTI", "BND"}
    assert by_key["VTI"].cusip == "922908769"
    assert by_key["BND"].price == Decimal("72.48")
    assert brokerage.cash == Decimal("1830.55")
    assert result.as_of == dt.date(2026, 11, 20)
    assert result.counts == {RowClass.HOLDING: 2, RowClass.CASH: 1}


def test_ofx_v2_xml_with_several_statements() -> None:
    result = read("statements_v2.qfx")
    assert [a.broker_id for a in result.accounts] == ["X98765432", "Z23456789"]
    first = account(result, "X98765432")
    assert shares(first) == {"VTI": Decimal("120"), "31617E745": Decimal("812.443")}
    assert first.cash == Decimal("942.19")
    second = account(result, "Z23456789")
    bill = next(p for p in second.positions if p.key == "912797LN5")
    # A T-bill priced per 100 of face value is valued as the broker values it.
    assert bill.price is not None
    assert bill.shares * bill.price == Decimal("9951.20")
    assert "per 100 of face value" in warnings_text(result)


def test_ofx_401k_cash_comes_from_inv401kbal_when_there_is_no_invbal() -> None:
    result = read("statement_401k.ofx")
    (plan,) = result.accounts
    assert plan.broker_id == "401K-778899"
    assert shares(plan) == {"31617E745": Decimal("812.443"), "FXAIX": Decimal("100")}
    # CASHBAL, not the plan's TOTAL or its PRETAX/MATCH sources.
    assert plan.reports_cash
    assert plan.cash == Decimal("312.09")
    assert result.counts == {RowClass.HOLDING: 2, RowClass.CASH: 1}


def test_ofx_availcash_wins_over_cashbal_so_cash_is_not_counted_twice(tmp_path: Path) -> None:
    text = (FIXTURES / "statement_401k.ofx").read_text()
    path = tmp_path / "both.ofx"
    path.write_text(text.replace("<INV401K>", "<INVBAL>\n<AVAILCASH>312.09\n</INVBAL>\n<INV401K>"))
    (plan,) = read_export(path).accounts
    assert plan.cash == Decimal("312.09")


def test_ofx_401k_cashbal_that_is_not_a_number_names_the_line(tmp_path: Path) -> None:
    text = (FIXTURES / "statement_401k.ofx").read_text()
    path = tmp_path / "bad401k.ofx"
    path.write_text(text.replace("<CASHBAL>312.09", "<CASHBAL>3l2.09"))
    line = text.splitlines().index("<CASHBAL>312.09") + 1
    assert f"{path}:{line}: error: INV401KBAL CASHBAL: '3l2.09' is not a number" in (
        problem_text(path)
    )


# ---------------------------------------------------------------- generic


def test_generic_one_account() -> None:
    result = read("generic_one_account.csv")
    (ira,) = result.accounts
    assert ira.broker_id == "Credit union IRA 5566"
    assert shares(ira) == {"VTI": Decimal("10")}
    assert ira.cash == Decimal("1200.50")


def test_generic_several_accounts_with_comments_cash_and_total() -> None:
    result = read("generic_several_accounts.csv")
    hsa = account(result, "HSA-7788")
    assert hsa.cash == Decimal("245.10")
    assert hsa.reported_total == Decimal("1901.70")
    kids = account(result, "Kid's 529, plan 42")
    assert shares(kids) == {"VT": Decimal("1000")}
    assert kids.cash == Decimal("12.00")
    assert result.as_of == dt.date(2026, 11, 20)
    assert result.counts == {
        RowClass.IGNORED: 2,
        RowClass.HOLDING: 2,
        RowClass.CASH: 2,
        RowClass.TOTAL: 1,
    }
    assert result.warnings == ()


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Portfolio_Positions_Nov-20-2026.csv", "fidelity"),
        ("Portfolio_Positions_Nov-21-2026.csv", "fidelity"),
        ("schwab_all_accounts.csv", "schwab"),
        ("schwab_custaccs_2021.csv", "schwab"),
        ("vanguard_several_accounts.csv", "vanguard"),
        ("statement_v1.ofx", "ofx"),
        ("statements_v2.qfx", "ofx"),
        ("generic_several_accounts.csv", "generic"),
    ],
)
def test_format_is_detected_from_the_content(name: str, expected: str) -> None:
    data = (FIXTURES / name).read_bytes()
    assert detect_format(data, decode(data)[0]) == expected


def test_forced_format_that_does_not_fit_is_an_error_with_the_file() -> None:
    with pytest.raises(ImportFailed) as raised:
        read("schwab_single_account.csv", "vanguard")
    assert "schwab_single_account.csv" in str(raised.value)
    assert "no Vanguard holdings section" in str(raised.value)


# ---------------------------------------------------------------- bad input


def problem_text(path: Path, format_name: str | None = None) -> str:
    with pytest.raises(ImportFailed) as raised:
        read_export(path, format_name)
    return str(raised.value)


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("date,amount\n2026-01-02,12.00\n")
    assert f"{path}:1: error: unknown format" in problem_text(path)


def test_unknown_forced_format(tmp_path: Path) -> None:
    assert "unknown format 'etrade'" in problem_text(FIXTURES / "generic_one_account.csv", "etrade")


def test_truncated_fidelity_row_names_the_line(tmp_path: Path) -> None:
    lines = (FIXTURES / "Portfolio_Positions_Nov-21-2026.csv").read_text().splitlines()
    path = tmp_path / "cut.csv"
    path.write_text("\n".join([*lines[:3], lines[3][:40]]))  # cut inside the 4th line
    text = problem_text(path)
    assert f"{path}:4: error: the row has" in text
    assert "truncated" in text


def test_truncated_ofx(tmp_path: Path) -> None:
    data = (FIXTURES / "statement_v1.ofx").read_bytes()
    path = tmp_path / "cut.ofx"
    path.write_bytes(data[: len(data) // 2])
    assert "ends before its closing </OFX>" in problem_text(path)


def test_row_that_does_not_parse_blocks_the_whole_file(tmp_path: Path) -> None:
    text = (FIXTURES / "schwab_single_account.csv").read_text()
    path = tmp_path / "bad.csv"
    path.write_text(text.replace('"$61.27"', '"sixty"'))
    message = problem_text(path)
    assert f"{path}:4: error: Price: 'sixty' is not a number" in message


def test_generic_row_with_too_few_fields(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("account,ticker,shares\nIRA,VTI,3\nIRA,BND\n")
    assert f"{path}:3: error: the row has only 2 fields" in problem_text(path)


def test_utf8_bom_and_latin1_are_read(tmp_path: Path) -> None:
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfaccount,ticker,shares,name\nIRA,VTI,3,Caf\xc3\xa9 fund\n")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"account,ticker,shares,name\nIRA,VTI,3,Caf\xe9 fund\n")
    for path in (bom, latin):
        result = read_export(path)
        assert result.accounts[0].positions[0].name == "Café fund"
    assert read_export(bom).notes == ()
    assert read_export(latin).notes == ("not UTF-8; read as Windows-1252",)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("\n")
    assert f"{path}:1: error: the file is empty" in problem_text(path)


def test_vanguard_legacy_layout_is_refused_with_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_text(
        "Fund Account Number,Fund Name,Price,Shares,Total Value,\n"
        "0585-88880001,Vanguard 500 Index Fund Admiral Shares,$550.10,10.000,$5501.00,\n"
    )
    message = problem_text(path, "vanguard")
    assert f"{path}:1: error: this is Vanguard's legacy mutual-fund layout" in message
    assert "generic CSV" in message


def test_decoding_takes_windows_1252_only_when_the_whole_file_is_in_it() -> None:
    assert decode(b"Caf\xe9") == ("Café", "not UTF-8; read as Windows-1252")
    assert decode(b"\xef\xbb\xbfplain") == ("plain", None)
    # 0x81 is undefined in Windows-1252 (Latin-1 would make it a C1 control).
    with pytest.raises(BadText, match="0x81 is valid neither in UTF-8 nor in Windows-1252") as bad:
        decode(b"ok\nx\x81\n")
    assert bad.value.line == 2
    # One stray byte among UTF-8 letters is damage, not a Windows-1252 file.
    with pytest.raises(BadText, match="0xe9 is not valid UTF-8") as mixed:
        decode("Café\n".encode() + b"Caf\xe9\n")
    assert mixed.value.line == 2


def test_fidelity_pending_in_description_and_fcash_without_symbol(tmp_path: Path) -> None:
    path = tmp_path / "Portfolio_Positions_Nov-23-2026.csv"
    path.write_text(
        "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Current Value,Type\n"
        "X1,Individual,,HELD IN FCASH,,,$40.00,Cash,\n"
        "X1,Individual,,Pending activity,,,-$15.00,,\n"
        "X1,Individual,VTI,VANGUARD TOTAL STK MKT,2,$300.00,$600.00,Cash,\n"
        "\n"
        '"Date downloaded Nov-23-2026 at 9:00 a.m ET"\n'
    )
    result = read_export(path)
    (individual,) = result.accounts
    assert individual.cash == Decimal("40.00")
    assert shares(individual) == {"VTI": Decimal(2)}
    assert result.counts[RowClass.PENDING] == 1


def test_schwab_file_with_one_titled_section_per_account(tmp_path: Path) -> None:
    # Seen in the wild: every account gets its own "Positions for account" title,
    # padded with "" cells, and rows without a trailing comma.
    pad = ',""' * 5
    path = tmp_path / "All-Accounts-Positions-2026-11-20.csv"
    path.write_text(
        f'"Positions for account Individual ...123 as of 12:33 PM ET, 2026/11/20"{pad}\n'
        f'""{pad}\n'
        '"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)","Security Type"\n'
        '"SCHB","SCHWAB US BROAD MARKET ETF","10","$25.00","$250.00","ETFs & Closed End Funds"\n'
        '"Cash & Cash Investments","--","--","--","$5.00","Cash and Money Market"\n'
        '"Positions Total","","--","--","$255.00","--"\n'
        f'""{pad}\n'
        f'"Positions for account Roth IRA ...456 as of 12:33 PM ET, 2026/11/20"{pad}\n'
        '"Symbol","Description","Qty (Quantity)","Price","Mkt Val (Market Value)","Security Type"\n'
        '"SCHF","SCHWAB INTL EQUITY ETF","4","$40.00","$160.00","ETFs & Closed End Funds"\n'
        '"Positions Total","","--","--","$160.00","--"\n'
    )
    result = read_export(path)
    assert [(a.label, a.broker_id) for a in result.accounts] == [
        ("Individual", "...123"),
        ("Roth IRA", "...456"),
    ]
    assert shares(account(result, "...123")) == {"SCHB": Decimal(10)}
    assert shares(account(result, "...456")) == {"SCHF": Decimal(4)}
    assert result.warnings == ()


@pytest.mark.parametrize("keep", [4, 5, 12])  # inside the first table, or the second
def test_schwab_cut_before_an_account_total_is_refused(tmp_path: Path, keep: int) -> None:
    # Schwab ends every account's table with its total row; a file cut after
    # whole rows parses cleanly otherwise, and would drop the missing holdings.
    lines = (FIXTURES / "schwab_all_accounts.csv").read_text().splitlines()
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines[:keep]) + "\n")
    text = problem_text(path)
    assert f"{path}:{keep}: error: the file ends inside the table of" in text
    assert "it looks cut short" in text


def test_the_documented_generic_csv_example_reads_cleanly(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "importing.md"
    example = re.search(r"```csv\n(.*?)```", docs.read_text(), re.DOTALL)
    assert example is not None
    path = tmp_path / "example.csv"
    path.write_text(example.group(1))
    result = read_export(path)
    assert result.format == "generic"
    assert [a.broker_id for a in result.accounts] == ["HSA-7788", "Kid's 529, plan 42"]
    assert account(result, "HSA-7788").cash == Decimal("245.10")
    assert result.as_of == dt.date(2026, 11, 20)
    assert result.warnings == ()
