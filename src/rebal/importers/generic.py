"""rebal's own generic CSV, for every broker without a dedicated reader.

    # as of 2026-11-20            <- optional comment line giving the date
    account,ticker,shares,price,name
    Joint brokerage 1234,VTI,85,301.20,Vanguard Total Stock Market ETF
    Joint brokerage 1234,CASH,512.34

Columns (any order, names case-insensitive): `account`, `ticker` and `shares`
are required; `price`, `value` and `name` are optional. A row whose ticker is
`CASH` (or `$CASH`, `CASH_BALANCE`) is the account's cash: its amount is
`value` when given, else `shares`. A row whose ticker is `TOTAL` gives the
account's total, checked against holdings + cash. Lines starting with `#` are
comments. Full description: docs/importing.md.
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
from rebal.importers.text import NotANumber, as_of_fallback, csv_rows, date_in_text

CASH_TICKERS = frozenset({"CASH", "$CASH", "CASH_BALANCE"})
TOTAL_TICKERS = frozenset({"TOTAL"})
ALIASES = {
    "account": ("account",),
    "ticker": ("ticker", "symbol"),
    "shares": ("shares", "quantity"),
    "price": ("price",),
    "value": ("value",),
    "name": ("name", "description"),
}
REQUIRED = ("account", "ticker", "shares")


def parse(path: Path, text: str) -> ImportResult:
    ledger = RowLedger(path)
    accounts: dict[str, AccountBuilder] = {}
    columns: Columns | None = None
    as_of = None
    as_of_line: int | None = None
    _refuse_unended_last_line(text, ledger)
    for row in csv_rows(text):
        if row.blank:
            continue
        first = row.cells[0].strip()
        if first.startswith("#"):
            ledger.count(RowClass.IGNORED)
            if as_of is None:
                as_of = date_in_text(",".join(row.cells))
                as_of_line = row.line if as_of is not None else None
            continue
        if columns is None:
            columns = find_columns(row, ALIASES, REQUIRED)
            if columns is None:
                ledger.fail(
                    row.line,
                    "the first line is not a header with account, ticker and shares columns",
                    "see docs/importing.md for the generic CSV format",
                )
                break
            continue
        if len(row.cells) <= max(columns[r] for r in REQUIRED):
            ledger.error(row.line, f"the row has only {len(row.cells)} fields")
            continue
        account_id = row.get(columns["account"])
        ticker = row.get(columns["ticker"]).upper()
        if not account_id or not ticker:
            ledger.error(row.line, "the row needs both an account and a ticker")
            continue
        if not clean(row.line, ledger, "account", account_id):
            continue
        builder = accounts.setdefault(account_id, AccountBuilder("generic", account_id, account_id))
        try:
            shares = number(row, columns, "shares", ledger, "shares")
            price = number(row, columns, "price", ledger, "price")
            value = number(row, columns, "value", ledger, "value")
        except NotANumber:
            continue
        if ticker in CASH_TICKERS or ticker in TOTAL_TICKERS:
            amount = value if value is not None else shares
            if amount is None:
                ledger.error(row.line, f"{ticker} row has no amount", "put the amount in shares")
                continue
            if ticker in CASH_TICKERS:
                ledger.count(RowClass.CASH)
                builder.add_cash(amount)
            else:
                ledger.count(RowClass.TOTAL)
                builder.set_total(row.line, amount)
            continue
        builder.add_holding(
            row.line,
            ledger,
            symbol=ticker,
            shares=shares,
            price=price,
            value=value,
            name=row.get(columns.get("name")),
        )
    if columns is None and not ledger.errors:
        ledger.fail(1, "the file is empty", "see docs/importing.md for the generic CSV format")
    built = build_accounts(accounts.values(), ledger)
    source = "the file's '# as of' comment"
    if as_of is None:
        as_of, source = as_of_fallback(path)
    return ledger.result("generic", built, as_of, source, as_of_line)


def _refuse_unended_last_line(text: str, ledger: RowLedger) -> None:
    """A generic CSV has no total or footer to show it is whole: its line ending must.

    A file cut mid-row (`5.5` cut to `5`) still parses, so a last line without
    its line ending is taken as cut off. Editors and most spreadsheets end the
    last line when they save a CSV; the message says how to fix one that does not.
    """
    if not text or text.endswith(("\n", "\r")):
        return
    ledger.fail(
        text.count("\n") + 1,
        "the last line has no line ending, so the file may have been cut off in the "
        "middle of a row",
        "if the file is complete, end its last line (press Enter after it and save)",
    )
    ledger.raise_if_errors()
