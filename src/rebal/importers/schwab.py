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
from dataclasses import dataclass, field
from decimal import Decimal
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
    "symbol": ("symbol",),
    "description": ("description",),
    "quantity": ("qty (quantity)", "quantity", "qty"),
    "price": ("price",),
    "value": ("mkt val (market value)", "market value", "mkt val"),
    "asset_type": ("asset type", "security type"),
    "cost_basis": ("cost basis",),  # the position's total basis
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
    sections = _Sections(ledger)
    for row in rows[first:]:
        sections.read(row)
    sections.finish()
    accounts = sections.accounts
    if not any(a.positions or a.cash for a in accounts) and not ledger.errors:
        ledger.fail(None, "the file has no positions", "is the file truncated?")
    built = build_accounts(accounts, ledger)
    if sections.dates:
        as_of, as_of_line = max(sections.dates)
        return ledger.result("schwab", built, as_of, "the file's title line", as_of_line)
    as_of, source = as_of_fallback(path)
    return ledger.result("schwab", built, as_of, source)


@dataclass
class _Sections:
    """Walks the file's account sections; each must be whole: label, header, rows, total.

    Schwab closes every account's table with its total row, so a section
    without one (a file cut after a label line, a header or any row) is an
    error: applying it would empty or shrink that account.
    """

    ledger: RowLedger
    accounts: list[AccountBuilder] = field(default_factory=list)
    dates: list[tuple[dt.date, int]] = field(default_factory=list)
    current: AccountBuilder | None = None
    # Where the current account is: "label" (opened, no header yet), "rows", "closed".
    state: str = "closed"
    opened_on: int = 0
    single: bool = False  # inside "Positions for account X" sections: no label lines
    columns: Columns = field(default_factory=dict)
    width: int = 0
    last_line: int = 0

    def read(self, row: Row) -> None:
        if row.blank:
            if self.current is not None and self.state == "rows":
                self._unfinished(row.line, "its table ends at this blank line")
            return
        self.last_line = row.line
        title = _TITLE.match(row.cells[0]) if row.cells else None
        if title is not None:
            self._title(row, title)
            return
        header = find_columns(row, ALIASES, REQUIRED)
        if header is not None:
            if self.current is None:
                self.ledger.fail(
                    row.line, "a positions table without an account label line before it"
                )
                return
            if self.state != "label":
                self.ledger.fail(row.line, f"a second header in the table of {self._name()}")
            self.columns, self.width, self.state = header, header_width(row), "rows"
            return
        if self.state == "closed" and not self.single:
            self._label(row)
            return
        if self.state != "rows":
            self.ledger.count(RowClass.IGNORED)
            self.ledger.warn(row.line, f"unexpected line {' '.join(row.cells)[:60]!r} skipped")
            return
        assert self.current is not None
        if len(row.cells) < self.width:
            self.ledger.error(
                row.line,
                f"the row has {len(row.cells)} fields where the header has {self.width}",
                "the file looks truncated or edited; download it again",
            )
            return
        if _read_row(row, self.columns, self.current, self.ledger):
            self.state = "closed"

    def finish(self) -> None:
        if self.current is None or self.state == "closed":
            return
        where = (
            "before its header"
            if self.state == "label"
            else "before its total row, 'Account Total' or 'Positions Total'"
        )
        self.ledger.error(
            self.last_line,
            f"the file ends inside the table of {self._name()} ({where}): it looks cut short",
            "download it again",
        )
        self.current = None

    def _title(self, row: Row, title: re.Match[str]) -> None:
        # Some files stack one titled section per account; each title starts afresh.
        self._close_before(row.line)
        when = date_in_text(title.group("when"))
        if when is not None:
            self.dates.append((when, row.line))
        who = title.group("who").strip()
        self.single = who.lower().startswith("account ")
        self.current, self.state = None, "closed"
        if self.single:
            self._open(row.line, who[len("account ") :].strip())

    def _label(self, row: Row) -> None:
        """All-Accounts: a label line such as "Individual ...123" opens an account."""
        self._close_before(row.line)
        self._open(row.line, ", ".join(cell.strip() for cell in row.cells if cell.strip()))

    def _open(self, line: int, text: str) -> None:
        label, account_id = split_label(text)
        self.current = AccountBuilder("schwab", account_id, label)
        self.state, self.opened_on = "label", line
        if clean(line, self.ledger, "account", text):
            self.accounts.append(self.current)

    def _close_before(self, line: int) -> None:
        if self.current is not None and self.state != "closed":
            self._unfinished(line, "the next account starts on this line")

    def _unfinished(self, line: int, why: str) -> None:
        self.ledger.error(
            line,
            f"the table of {self._name()} (from line {self.opened_on}) has no total row "
            f"('Account Total' or 'Positions Total'): {why}",
            "the file looks cut short or edited; download it again",
        )
        self.current, self.state = None, "closed"

    def _name(self) -> str:
        assert self.current is not None
        return repr(self.current.label)


def _read_row(row: Row, columns: Columns, account: AccountBuilder, ledger: RowLedger) -> bool:
    """Read one table row into `account`; True when it was the table's total row."""
    symbol = row.get(columns["symbol"])
    lowered = symbol.lower()
    try:
        value = number(row, columns, "value", ledger, "Market Value")
        if lowered in TOTAL_ROWS:
            ledger.count(RowClass.TOTAL)
            account.set_total(row.line, value)
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
        cost = basis(row, columns, ledger)
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
        basis=cost,
    )
    return False
