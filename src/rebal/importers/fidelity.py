"""Fidelity "Portfolio_Positions_Mmm-dd-yyyy.csv": every account in one table.

Handles the three header generations (Title Case with `Cost Basis` or `Cost
Basis Total`, and 2025's sentence case) and customised views with fewer
columns, the trailing comma on data rows, `SPAXX**`-style core cash,
`Pending Activity` rows, `$ + , --` in numbers and the disclaimer footer whose
`Date downloaded` line gives the as-of date.
"""

from __future__ import annotations

from pathlib import Path

from rebal.importers.model import ImportResult, RowClass, RowLedger
from rebal.importers.tables import (
    AccountBuilder,
    Columns,
    basis,
    build_accounts,
    clean,
    find_columns,
    header_width,
    number,
)
from rebal.importers.text import NotANumber, Row, as_of_fallback, csv_rows, date_in_text

ALIASES = {
    "account": ("account number",),
    "account_name": ("account name",),
    "symbol": ("symbol",),
    "description": ("description",),
    "quantity": ("quantity",),
    "price": ("last price",),
    "value": ("current value",),
    # The position's total basis: "Cost Basis" until 2022, "Cost Basis Total" since.
    "cost_basis": ("cost basis total", "cost basis"),
}
REQUIRED = ("account", "symbol", "quantity", "value")


def find_header(rows: list[Row]) -> tuple[int, Columns] | None:
    for index, row in enumerate(rows):
        columns = find_columns(row, ALIASES, REQUIRED)
        if columns is not None:
            return index, columns
    return None


def parse(path: Path, text: str) -> ImportResult:
    ledger = RowLedger(path)
    rows = list(csv_rows(text))
    found = find_header(rows)
    if found is None:
        ledger.fail(
            1,
            "no Fidelity positions header (Account Number, Symbol, Quantity, Current Value)",
            "export Positions from Fidelity again, or pass the right --format",
        )
        ledger.raise_if_errors()
        raise AssertionError("unreachable")
    header_index, columns = found
    # Every data row has at least the header's fields (usually one more: a
    # trailing comma); a shorter row means the file was cut off mid-row.
    width = header_width(rows[header_index])
    accounts: dict[str, AccountBuilder] = {}
    as_of = None
    as_of_line: int | None = None
    in_footer = False
    footer_lines = 0
    last_line = rows[header_index].line
    for row in rows[header_index + 1 :]:
        last_line = row.line if not row.blank else last_line
        if row.blank:
            # The first blank line ends the table; everything after is the footer.
            in_footer = in_footer or bool(accounts)
            continue
        if in_footer:
            ledger.count(RowClass.IGNORED)
            footer_lines += 1
            if "date downloaded" in " ".join(row.cells).lower():
                as_of = date_in_text(" ".join(row.cells))
                as_of_line = row.line
            continue
        _read_row(row, columns, width, accounts, ledger)
    if not accounts and not ledger.errors:
        ledger.fail(None, "the file has a header but no positions", "is the file truncated?")
    if accounts and not footer_lines:
        # Fidelity always ends the table with a blank line and a disclaimer; a
        # file that stops at a table row (or at the blank line after it) was
        # cut short, and its last account may be missing holdings that the
        # import would then remove.
        ledger.error(
            last_line,
            "the file ends inside the positions table, with no footer after it: it looks cut short",
            "download it again (a file that ends with the disclaimer and 'Date downloaded' "
            "lines is complete)",
        )
    built = build_accounts(accounts.values(), ledger)
    if as_of is None:
        as_of, source = as_of_fallback(path)
        ledger.warn(
            None,
            f"no 'Date downloaded' line in the footer; using {source} as the as-of date",
        )
    else:
        source = "the file's 'Date downloaded' line"
    return ledger.result("fidelity", built, as_of, source, as_of_line)


def _read_row(
    row: Row,
    columns: Columns,
    width: int,
    accounts: dict[str, AccountBuilder],
    ledger: RowLedger,
) -> None:
    if len(row.cells) < width:
        ledger.error(
            row.line,
            f"the row has {len(row.cells)} fields where the header has at least {width}",
            "the file looks truncated or edited; download it again",
        )
        return
    account_id = row.get(columns["account"])
    symbol = row.get(columns["symbol"])
    description = row.get(columns.get("description"))
    if not account_id:
        ledger.error(row.line, "the row has no account number")
        return
    label = row.get(columns.get("account_name")) or account_id
    if not (
        clean(row.line, ledger, "account", account_id) and clean(row.line, ledger, "account", label)
    ):
        return
    builder = accounts.setdefault(account_id, AccountBuilder("fidelity", account_id, label))
    try:
        value = number(row, columns, "value", ledger, "Current Value")
        # Pending activity sits in the Symbol column in most files and in the
        # Description column in some.
        if any(cell.lower().startswith("pending activity") for cell in (symbol, description)):
            ledger.count(RowClass.PENDING)
            ledger.warn(
                row.line,
                f"pending activity of {value} in {builder.label} is not added to the "
                "holdings or cash (it has not settled)",
            )
            return
        # Core cash: `SPAXX**`-style symbols, described "HELD IN MONEY MARKET"
        # (or "HELD IN FCASH" for the FCASH core).
        if symbol.endswith("**") or description.upper().startswith("HELD IN "):
            # Core position: Fidelity's sweep money market, i.e. the account's cash.
            quantity = number(row, columns, "quantity", ledger, "Quantity")
            price = number(row, columns, "price", ledger, "Last Price")
            if value is None:
                value = quantity
            if value is None:
                ledger.error(row.line, f"core cash {symbol} has no value")
                return
            fund = symbol.rstrip("*")
            if not clean(row.line, ledger, "ticker", fund):
                return
            ledger.count(RowClass.CASH)
            if fund:
                builder.add_cash_fund(row.line, fund, quantity, price, value)
            else:
                builder.add_cash(value)
            return
        if not symbol:
            ledger.count(RowClass.IGNORED)
            builder.skipped_value += value or 0
            ledger.warn(
                row.line,
                f"row {description!r} has no symbol (e.g. a BrokerageLink wrapper); "
                "it is not imported",
            )
            return
        if symbol.startswith("-"):
            ledger.count(RowClass.IGNORED)
            builder.skipped_value += value or 0
            ledger.warn(row.line, f"option {symbol} is not imported (options are not tracked)")
            return
        shares = number(row, columns, "quantity", ledger, "Quantity")
        price = number(row, columns, "price", ledger, "Last Price")
        cost = basis(row, columns, ledger)
    except NotANumber:
        return
    builder.add_holding(
        row.line,
        ledger,
        symbol=symbol,
        shares=shares,
        price=price,
        value=value,
        name=description,
        basis=cost,
    )
