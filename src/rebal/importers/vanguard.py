"""Vanguard "OfxDownload.csv": a holdings section, then sections of other kinds.

Only rows under the holdings header (`Account Number,Investment Name,Symbol,
Shares,Share Price,Total Value`) are holdings. The transactions header shares
five column names with it, so each header is recognised by a column only it
has (`Trade Date`, `Plan Number`...), and every row under any other header is
counted as ignored, never read as a position.

The settlement fund (VMFXX and the other money-market funds Vanguard uses to
settle trades) is read as the account's cash: buys are paid from it and sales
land in it, exactly like Fidelity's core position and Schwab's cash row, so
the planner sees the money it can spend. Any other money-market fund stays an
ordinary holding.
"""

from __future__ import annotations

from pathlib import Path

from rebal.importers.model import ImportResult, RowClass, RowLedger
from rebal.importers.tables import (
    AccountBuilder,
    Columns,
    build_accounts,
    clean,
    find_columns,
    number,
)
from rebal.importers.text import NotANumber, Row, as_of_fallback, csv_rows, normalise_header

SETTLEMENT_FUNDS = frozenset({"VMFXX", "VMRXX", "VUSXX"})

ALIASES = {
    "account": ("account number",),
    "name": ("investment name",),
    "symbol": ("symbol",),
    "shares": ("shares",),
    "price": ("share price",),
    "value": ("total value",),
}
REQUIRED = ("account", "name", "symbol", "shares", "value")
# Headers of the other sections: any of these columns marks a non-holdings table.
OTHER_SECTION_MARKERS = ("trade date", "settlement date", "run date", "plan number")
LEGACY_MARKERS = ("fund account number", "fund name")


def is_holdings_header(row: Row) -> bool:
    names = {normalise_header(cell) for cell in row.cells}
    return find_columns(row, ALIASES, REQUIRED) is not None and not names & set(
        OTHER_SECTION_MARKERS
    )


def _other_header(row: Row) -> bool:
    names = {normalise_header(cell) for cell in row.cells}
    return bool(names & set(OTHER_SECTION_MARKERS)) or set(LEGACY_MARKERS) <= names


def parse(path: Path, text: str) -> ImportResult:
    ledger = RowLedger(path)
    accounts: dict[str, AccountBuilder] = {}
    columns: Columns | None = None
    width = 0
    section = "before"  # before | holdings | other
    # The last holdings row not yet followed by a blank line: Vanguard ends each
    # account's rows with one, so a file that stops right after a row was cut.
    unended: int | None = None
    for row in csv_rows(text):
        if row.blank:
            unended = None
            continue
        if is_holdings_header(row):
            columns = find_columns(row, ALIASES, REQUIRED)
            width = len(row.cells)
            section = "holdings"
            continue
        if _other_header(row):
            names = {normalise_header(cell) for cell in row.cells}
            if set(LEGACY_MARKERS) <= names:
                ledger.fail(
                    row.line,
                    "this is Vanguard's legacy mutual-fund layout, which has no ticker column",
                    "download from the Vanguard brokerage account, or write the holdings in "
                    "the generic CSV format (see docs/importing.md)",
                )
            section = "other"
            continue
        if section != "holdings" or columns is None:
            ledger.count(RowClass.IGNORED)
            continue
        _read_row(row, columns, width, accounts, ledger)
        unended = row.line
    if unended is not None:
        ledger.error(
            unended,
            "the file ends right after this holdings row, without the blank line Vanguard "
            "writes after each account's holdings: it looks cut short",
            "download it again; if the file is complete, add an empty line at its end",
        )
    if not accounts and not ledger.errors:
        ledger.fail(
            None,
            "no Vanguard holdings section (Account Number, Investment Name, Symbol, Shares...)",
            "export holdings from Vanguard again, or pass the right --format",
        )
    built = build_accounts(accounts.values(), ledger)
    as_of, source = as_of_fallback(path)
    return ledger.result("vanguard", built, as_of, source)


def _read_row(
    row: Row, columns: Columns, width: int, accounts: dict[str, AccountBuilder], ledger: RowLedger
) -> None:
    # Vanguard ends the header and every row with a comma: a row with fewer
    # fields than the header, even by that last empty one, was cut mid-line.
    if len(row.cells) < width:
        ledger.error(
            row.line,
            f"the row has {len(row.cells)} fields where the holdings header has {width} "
            "(Vanguard ends every line with a comma)",
            "the file looks cut short or edited; download it again",
        )
        return
    account_id = row.get(columns["account"])
    symbol = row.get(columns["symbol"]).upper()
    if not account_id:
        ledger.error(row.line, "the row has no account number")
        return
    if not clean(row.line, ledger, "account", account_id):
        return
    builder = accounts.setdefault(account_id, AccountBuilder("vanguard", account_id, account_id))
    try:
        shares = number(row, columns, "shares", ledger, "Shares")
        price = number(row, columns, "price", ledger, "Share Price")
        value = number(row, columns, "value", ledger, "Total Value")
    except NotANumber:
        return
    if symbol in SETTLEMENT_FUNDS:
        amount = value if value is not None else shares
        if amount is None:
            ledger.error(row.line, f"settlement fund {symbol} has no value")
            return
        ledger.count(RowClass.CASH)
        builder.add_cash_fund(row.line, symbol, shares, price, amount)
        return
    if not symbol:
        ledger.error(
            row.line, "the row has no symbol", "Vanguard rows without a ticker cannot be matched"
        )
        return
    builder.add_holding(
        row.line,
        ledger,
        symbol=symbol,
        shares=shares,
        price=price,
        value=value,
        name=row.get(columns.get("name")),
    )
