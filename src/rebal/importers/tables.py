"""Column roles, position rows and the checks every CSV layout shares."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rebal.core.numbers import round_half_up
from rebal.importers.model import BrokerAccount, Position, RowClass, RowLedger
from rebal.importers.text import (
    NotANumber,
    Row,
    control_character,
    normalise_header,
    parse_number,
    within_limits,
)

CENT = Decimal("0.01")

# A CUSIP: 9 characters, letters and digits, ending in a check digit, with a digit
# early on (tickers such as "VTSAX" never have one in the first three places).
_CUSIP = re.compile(r"^[0-9]{3}[0-9A-Z]{5}[0-9]$")


def looks_like_cusip(symbol: str) -> bool:
    return bool(_CUSIP.match(symbol.upper()))


Columns = dict[str, int]


@dataclass(frozen=True)
class Basis:
    """A row's cost basis cell: `column` when the file has one, `amount` None when unknown."""

    column: bool
    amount: Decimal | None


NO_BASIS = Basis(column=False, amount=None)


# Longer than any ticker, CUSIP, ISIN (12) or option symbol (21): a damaged row.
MAX_SYMBOL_LENGTH = 32
# The first characters of a cell a spreadsheet runs as a formula ("-" starts no ticker either).
FORMULA_STARTS = ("=", "+", "-", "@")


def clean(line: int | None, ledger: RowLedger, what: str, text: str) -> bool:
    """False (and an error row) when `text` (an account, ticker or name) holds a control character.

    Such a name could rewrite the user's terminal or clipboard wherever it is
    printed, and it is never a real account number, ticker or fund name.
    """
    found = control_character(text)
    if found is None:
        return True
    ledger.error(
        line,
        f"the {what} holds a control character ({found}); rebal never imports one",
        "the file is damaged or was made to attack the terminal: fix or remove the row",
    )
    return False


def find_columns(
    row: Row, aliases: Mapping[str, Sequence[str]], required: Sequence[str]
) -> Columns | None:
    """Map each role to its column when `row` is a header holding every required role."""
    names = [normalise_header(cell) for cell in row.cells]
    columns: Columns = {}
    for role, accepted in aliases.items():
        for index, name in enumerate(names):
            if name in accepted:
                columns[role] = index
                break
    if all(role in columns for role in required):
        return columns
    return None


def header_width(header: Row) -> int:
    """How many fields a header has, not counting empty cells at its end."""
    cells = list(header.cells)
    while cells and not cells[-1].strip():
        cells.pop()
    return len(cells)


def number(row: Row, columns: Columns, role: str, ledger: RowLedger, label: str) -> Decimal | None:
    """The number in `role`'s column; records an error row (and raises) when it does not parse."""
    try:
        return parse_number(row.get(columns.get(role)))
    except NotANumber as error:
        ledger.error(row.line, f"{label}: {error}", "fix or remove the row and export again")
        raise


def basis(row: Row, columns: Columns, ledger: RowLedger) -> Basis:
    """The row's total cost basis; "--", "Incomplete" or an empty cell: the broker does not know.

    Records an error row (and raises NotANumber) when the cell is not a number.
    """
    if "cost_basis" not in columns:
        return NO_BASIS
    return Basis(True, number(row, columns, "cost_basis", ledger, "Cost Basis"))


@dataclass
class AccountBuilder:
    """Collects one broker account's rows; the same security twice is summed."""

    broker: str
    broker_id: str
    label: str
    positions: dict[str, Position] = field(default_factory=dict)
    cash: Decimal = Decimal(0)
    reported_total: Decimal | None = None
    total_line: int | None = None
    skipped_value: Decimal = Decimal(0)
    cash_funds: list[Position] = field(default_factory=list)
    reports_cash: bool = False

    def set_total(self, line: int, amount: Decimal | None) -> None:
        self.reported_total, self.total_line = amount, line

    def add_cash(self, amount: Decimal) -> None:
        self.cash += amount
        self.reports_cash = True

    def add_cash_fund(
        self, line: int, ticker: str, shares: Decimal | None, price: Decimal | None, value: Decimal
    ) -> None:
        """A money-market fund that is the account's cash: counted as cash, remembered by name."""
        self.add_cash(value)
        price = price or Decimal(1)
        if shares is None:
            shares = round_half_up(value / price, 3).normalize()
        self.cash_funds.append(Position(ticker, None, shares, price, value, None, line))

    def add_holding(
        self,
        line: int | None,
        ledger: RowLedger,
        *,
        symbol: str,
        shares: Decimal | None,
        price: Decimal | None,
        value: Decimal | None,
        name: str | None,
        basis: Basis = NO_BASIS,
    ) -> None:
        """Add a holding row, unless `holding` records it as an error row."""
        position = holding(
            line,
            ledger,
            symbol=symbol,
            shares=shares,
            price=price,
            value=value,
            name=name,
            basis=basis,
        )
        if position is not None:
            self.add(position, ledger)

    def add(self, position: Position, ledger: RowLedger) -> None:
        earlier = self.positions.get(position.key)
        if earlier is None:
            self.positions[position.key] = position
            return
        if (
            earlier.price is not None
            and position.price is not None
            and earlier.price != position.price
        ):
            ledger.warn(
                position.line,
                f"{position.key} appears twice in {self.broker_id} at different prices "
                f"({earlier.price} and {position.price}); using {position.price}",
            )
        values = [v for v in (earlier.value, position.value) if v is not None]
        self.positions[position.key] = Position(
            ticker=position.ticker,
            cusip=position.cusip or earlier.cusip,
            shares=earlier.shares + position.shares,
            price=position.price if position.price is not None else earlier.price,
            value=sum(values, Decimal(0)) if len(values) == 2 else None,
            name=position.name or earlier.name,
            line=earlier.line,
            # Two rows of one security: the basis is known only if both rows know it.
            cost_basis=(
                earlier.cost_basis + position.cost_basis
                if earlier.cost_basis is not None and position.cost_basis is not None
                else None
            ),
            reports_basis=earlier.reports_basis or position.reports_basis,
        )

    def build(self, ledger: RowLedger) -> BrokerAccount:
        account = BrokerAccount(
            broker=self.broker,
            broker_id=self.broker_id,
            label=self.label,
            positions=tuple(self.positions.values()),
            cash=self.cash,
            reported_total=self.reported_total,
            skipped_value=self.skipped_value,
            cash_funds=tuple(self.cash_funds),
            reports_cash=self.reports_cash,
        )
        check_total(account, self.total_line, ledger)
        return account


def build_accounts(
    builders: Iterable[AccountBuilder], ledger: RowLedger
) -> tuple[BrokerAccount, ...]:
    """Every account, its total checked; refuse the file if any row or total failed."""
    ledger.raise_if_errors()
    built = tuple(builder.build(ledger) for builder in builders)
    ledger.raise_if_errors()
    return built


def holding(
    line: int | None,
    ledger: RowLedger,
    *,
    symbol: str,
    shares: Decimal | None,
    price: Decimal | None,
    value: Decimal | None,
    name: str | None,
    basis: Basis = NO_BASIS,
) -> Position | None:
    """A holding row (starting on `line`) as a Position, or an error row (None)."""
    if not (clean(line, ledger, "ticker", symbol) and clean(line, ledger, "name", name or "")):
        return None
    if len(symbol) > MAX_SYMBOL_LENGTH:
        ledger.error(
            line,
            f"the ticker {symbol[:20]!r}... is {len(symbol)} characters long; no ticker, "
            f"CUSIP or option symbol has more than {MAX_SYMBOL_LENGTH}",
            "the row is damaged or the columns are shifted: check it, or remove the row",
        )
        return None
    if symbol.startswith(FORMULA_STARTS):
        # A ticker never starts so; a spreadsheet runs such a cell, and imported
        # as it is, it would move the holding to a new security of that name.
        ledger.error(
            line,
            f"the ticker {symbol[:30]!r} starts with {symbol[0]!r}, as a spreadsheet formula does",
            "the file was edited in a spreadsheet or made to attack one: write the plain "
            "ticker in the cell (e.g. VTI), or remove the row",
        )
        return None
    if basis.amount is not None and basis.amount < 0:
        ledger.error(
            line,
            f"{symbol}: negative cost basis {basis.amount}",
            "a cost basis is what the shares cost, never below zero: fix the cell "
            "(or empty it if the basis is unknown) and import again",
        )
        return None
    if shares is None:
        ledger.error(line, f"{symbol}: the row has no share quantity")
        return None
    if shares < 0:
        ledger.error(
            line,
            f"{symbol}: negative quantity {shares} (a short position)",
            "rebal tracks long holdings only; close the short or leave it out of the export",
        )
        return None
    if price is None and value is not None and shares:
        # A derived price: six places keep shares x price within a cent of the
        # value for any realistic holding, without a 28-digit price in the file.
        price = round_half_up(value / shares, 6).normalize()
        if not within_limits(price):
            ledger.error(
                line,
                f"{symbol}: value / shares gives a price of {price:.0f}, far beyond any real price",
                "check the shares and the value",
            )
            return None
    if price is not None and price < 0:
        ledger.error(line, f"{symbol}: negative price {price}")
        return None
    ledger.count(RowClass.HOLDING)
    cusip = symbol.upper() if looks_like_cusip(symbol) else None
    position = Position(
        ticker=None if cusip else symbol.upper(),
        cusip=cusip,
        shares=shares,
        price=price,
        value=value,
        name=name or None,
        line=line,
        cost_basis=basis.amount,
        reports_basis=basis.column,
    )
    return check_value(position, ledger)


def check_value(position: Position, ledger: RowLedger) -> Position:
    """Quantity x price should equal the stated value; return the position to use.

    The tolerance is a cent plus half a unit of the price's last printed digit
    per share, because brokers print a rounded price next to an exact value.
    Bond prices are quoted per 100 of face value (and muni quantities are
    sometimes 100x): when quantity x price / 100 matches the value, the price
    is divided by 100 so the holding is valued as the broker values it.
    """
    if position.price is None or position.value is None:
        return position
    exponent = position.price.as_tuple().exponent
    price_step = Decimal(1).scaleb(exponent) if isinstance(exponent, int) else CENT
    tolerance = CENT + abs(position.shares) * price_step / 2
    stated = position.shares * position.price
    if abs(stated - position.value) <= tolerance:
        return position
    if abs(stated / 100 - position.value) <= tolerance:
        ledger.warn(
            position.line,
            f"{position.key}: price {position.price} is per 100 of face value; "
            f"recorded as {position.price / 100} per unit so it is worth {position.value}",
        )
        return dataclasses.replace(position, price=position.price / 100)
    ledger.warn(
        position.line,
        f"{position.key}: {position.shares} shares x {position.price} is "
        f"{stated:.2f}, but the file says the value is {position.value}",
        "check the quantity and price before relying on this holding",
    )
    return position


def check_total(account: BrokerAccount, line: int | None, ledger: RowLedger) -> None:
    """The file's own account total must equal holdings + cash to the cent, or the file is refused.

    A total that differs means a row is missing, cut or misread, and applying
    the rows would change the portfolio by that difference. A holding given
    without its value is counted at shares x price, allowed half a cent of
    rounding each.
    """
    if account.reported_total is None:
        return
    computed = account.cash + account.skipped_value
    tolerance = CENT / 2
    for position in account.positions:
        if position.value is not None:
            computed += position.value
        elif position.price is not None:
            computed += position.shares * position.price
            tolerance += CENT / 2
        else:
            ledger.error(
                line,
                f"account {account.display}: the total row cannot be checked, because "
                f"{position.key} has neither a price nor a value",
                "give every holding a price or a value, or remove the total row",
            )
            return
    if abs(computed - account.reported_total) >= tolerance:
        ledger.error(
            line,
            f"account {account.display}: holdings plus cash come to {computed:.2f}, "
            f"but the file's total row says {account.reported_total:.2f}",
            "a row is missing, cut short or misread; download the file again, or correct "
            "the rows or the total",
        )
