"""Charles Schwab "Positions" CSV: a title line, then one table per account.

Single-account files ("Positions for account Individual ...576 as of ...")
have one table and no label line; All-Accounts files (and the older
"CUSTACCS" layout, padded with "" to 17 columns) put a label line such as
`Individual ...123` before each account's table; some files instead repeat
the "Positions for account ..." title before each account. Both header generations
(`Quantity`/`Market Value` and `Qty (Quantity)`/`Mkt Val (Market Value)`)
are accepted. `Cash & Cash Investments` is the account's cash and
`Account Total`/`Positions Total` the total that holdings + cash are checked
against.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from rebal.importers.model import ImportResult, RowClass, RowLedger
from rebal.importers.tables import (
    AccountBuilder,
    Columns,
    build_accounts,
    find_columns,
    header_width,
    number,
)
from rebal.importers.text import NotANumber, Row, as_of_fallback, csv_rows, date_in_text

ALIASES = {
    "symbol": ("symbol",),
    "description": ("description",),
    "quantity": ("qty (quantity)", "quantity", "qty"),
    "price": ("price",),
    "value": ("mkt val (market value)", "market value", "mkt val"),
    "asset_type": ("asset type", "security type"),
}
REQUIRED = ("symbol", "quantity", "value")
TOTAL_ROWS = ("account total", "positions total")
CASH_ROW = "cash & cash investments"
_TITLE = re.compile(r"^\s*Positions for (?P<who>.+?) as of (?P<when>.+)$", re.IGNORECASE)


def is_title(row: Row) -> bool:
    return bool(row.cells) and bool(_TITLE.match(row.cells[0]))


def split_label(text: str) -> tuple[str, str]:
    """`Roth Contributory IRA ...456` -> ("Roth Contributory IRA", "...456")."""
    words = text.split()
    if len(words) > 1 and any(ch.isdigit() for ch in words[-1]):
        return " ".join(words[:-1]), words[-1]
    return text, text


def parse(path: Path, text: str) -> ImportResult:
    ledger = RowLedger(path)
    rows = [row for row in csv_rows(text)]
    first = next((i for i, row in enumerate(rows) if not row.blank), None)
    if first is None or not is_title(rows[first]):
        ledger.fail(
            rows[first].line if first is not None else 1,
            'no Schwab title line ("Positions for ... as of ...")',
            "export Positions from Schwab again, or pass the right --format",
        )
        ledger.raise_if_errors()
    assert first is not None
    accounts: list[AccountBuilder] = []
    current: AccountBuilder | None = None
    single = False  # inside a "Positions for account X" section: no label lines
    dates: list[dt.date] = []
    columns: Columns | None = None
    width = 0
    last_line = rows[first].line
    for row in rows[first:]:
        if not row.blank:
            last_line = row.line
        if row.blank:
            if columns is not None and not single:
                current = None
            columns = None
            continue
        title = _TITLE.match(row.cells[0]) if row.cells else None
        if title is not None:
            # Some files stack one titled section per account; each title starts afresh.
            when = date_in_text(title.group("when"))
            if when is not None:
                dates.append(when)
            who = title.group("who").strip()
            single = who.lower().startswith("account ")
            current, columns = None, None
            if single:
                label, account_id = split_label(who[len("account ") :].strip())
                current = AccountBuilder("schwab", account_id, label)
                accounts.append(current)
            continue
        header = find_columns(row, ALIASES, REQUIRED)
        if header is not None:
            columns, width = header, header_width(row)
            if current is None:
                ledger.fail(row.line, "a positions table without an account label line before it")
            continue
        if columns is None or current is None:
            if single or current is not None:
                ledger.count(RowClass.IGNORED)
                ledger.warn(row.line, f"unexpected line {' '.join(row.cells)[:60]!r} skipped")
                continue
            # All-Accounts: a label line such as "Individual ...123" opens an account.
            label_text = ", ".join(cell.strip() for cell in row.cells if cell.strip())
            label, account_id = split_label(label_text)
            current = AccountBuilder("schwab", account_id, label)
            accounts.append(current)
            continue
        if len(row.cells) < width:
            ledger.error(
                row.line,
                f"the row has {len(row.cells)} fields where the header has {width}",
                "the file looks truncated or edited; download it again",
            )
            continue
        ended = _read_row(row, columns, current, ledger)
        if ended:
            columns = None
            if not single:
                current = None
    if not any(a.positions or a.cash for a in accounts) and not ledger.errors:
        ledger.fail(None, "the file has no positions", "is the file truncated?")
    if columns is not None and current is not None and current.reported_total is None:
        # Schwab closes every account's table with its total row; a file that
        # stops inside a table was cut short, and an import would remove the
        # holdings that are missing from it.
        ledger.error(
            last_line,
            f"the file ends inside the table of {current.label!r}, before its "
            "total row ('Account Total' or 'Positions Total'): it looks cut short",
            "download it again",
        )
    built = build_accounts(accounts, ledger)
    if dates:
        as_of, source = max(dates), "the file's title line"
    else:
        as_of, source = as_of_fallback(path)
    return ledger.result("schwab", built, as_of, source)


def _read_row(row: Row, columns: Columns, account: AccountBuilder, ledger: RowLedger) -> bool:
    """Read one table row into `account`; True when it was the table's total row."""
    symbol = row.get(columns["symbol"])
    lowered = symbol.lower()
    try:
        value = number(row, columns, "value", ledger, "Market Value")
        if lowered in TOTAL_ROWS:
            ledger.count(RowClass.TOTAL)
            account.reported_total = value
            return True
        if lowered.startswith(CASH_ROW):
            ledger.count(RowClass.CASH)
            account.add_cash(value or Decimal(0))
            return False
        asset_type = row.get(columns.get("asset_type")).lower()
        if " " in symbol or asset_type.startswith("option"):
            ledger.count(RowClass.IGNORED)
            account.skipped_value += value or 0
            ledger.warn(row.line, f"option {symbol} is not imported (options are not tracked)")
            return False
        if not symbol:
            ledger.error(row.line, "the row has no symbol")
            return False
        shares = number(row, columns, "quantity", ledger, "Quantity")
        price = number(row, columns, "price", ledger, "Price")
    except NotANumber:
        return False
    account.add_holding(
        row.line,
        ledger,
        symbol=symbol,
        shares=shares,
        price=price,
        value=value,
        name=row.get(columns.get("description")),
    )
    return False
