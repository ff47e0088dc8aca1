"""What an import produces: plain, immutable data, independent of any broker's layout.

A parse result says, per broker account, what is held and how much cash there
is, and accounts for every row of the file (holding, cash, total, pending,
ignored or error) so that nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from rebal.problems import Problem, ProblemsError

FORMATS = ("fidelity", "schwab", "vanguard", "ofx", "generic")


class RowClass(StrEnum):
    HOLDING = "holding"
    CASH = "cash"
    TOTAL = "total"
    PENDING = "pending"
    IGNORED = "ignored"
    ERROR = "error"


@dataclass(frozen=True)
class Position:
    """One security held in one broker account, as the file states it."""

    ticker: str | None  # None when the file names the security by CUSIP only
    cusip: str | None
    shares: Decimal
    price: Decimal | None
    value: Decimal | None
    name: str | None
    line: int | None = None
    # The broker's total cost basis of the position. `reports_basis` says the
    # file has a basis column at all: with it, None means the broker does not
    # know ("--", "Incomplete" or empty); without it, the file says nothing.
    cost_basis: Decimal | None = None
    reports_basis: bool = False

    @property
    def key(self) -> str:
        """The security's identity in the file: its ticker, else its CUSIP."""
        identity = self.ticker or self.cusip
        assert identity is not None  # parsers never build a position without one
        return identity


@dataclass(frozen=True)
class BrokerAccount:
    broker: str  # "fidelity", "schwab", ...
    broker_id: str  # account number as the file shows it (possibly masked)
    label: str  # the broker's name for the account ("ROTH IRA", "Individual")
    positions: tuple[Position, ...]
    cash: Decimal
    reported_total: Decimal | None = None  # the file's own total row, when it has one
    # Value of rows read but deliberately not imported (options...): the file's
    # total includes them, so the cross-check must too.
    skipped_value: Decimal = Decimal(0)
    # Money-market funds counted as cash (Fidelity's core position, Vanguard's
    # settlement fund). A portfolio that already holds such a fund as a
    # security keeps it as a holding; see rebal.importers.change.
    cash_funds: tuple[Position, ...] = ()
    # False when the file has no cash line for this account at all: its cash is
    # then unknown, not zero, and an import leaves the portfolio's figure alone.
    reports_cash: bool = True

    @property
    def display(self) -> str:
        if self.label and self.label != self.broker_id:
            return f"{self.label} ({self.broker_id})"
        return self.broker_id


@dataclass(frozen=True)
class ImportResult:
    file: Path
    format: str
    accounts: tuple[BrokerAccount, ...]
    as_of: dt.date
    as_of_source: str  # "the file's date line", "the file name", "the file's modification time"
    counts: Counter[RowClass]
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. the encoding fallback used
    as_of_line: int | None = None  # the line the date was read from, when it is in the file


class ImportFailed(ProblemsError):
    """The file cannot be applied; carries every problem (each with file and line)."""


class ExportGivenTwice(ImportFailed):
    """The same export named twice in one import; the first naming is read, this one is not."""

    def __init__(self, path: Path) -> None:
        super().__init__([Problem(path, "this file is given twice; give each export once")])


@dataclass
class RowLedger:
    """Counts each row's class and collects problems while a parser walks a file."""

    file: Path
    counts: Counter[RowClass] = field(default_factory=Counter)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def count(self, row_class: RowClass) -> None:
        self.counts[row_class] += 1

    def error(self, line: int | None, message: str, hint: str = "") -> None:
        self.counts[RowClass.ERROR] += 1
        self.errors.append(Problem(self.file, message, line=line, hint=hint))

    def fail(self, line: int | None, message: str, hint: str = "") -> None:
        """A problem with the file as a whole (not one row): it is not counted as a row."""
        self.errors.append(Problem(self.file, message, line=line, hint=hint))

    def warn(self, line: int | None, message: str, hint: str = "") -> None:
        self.warnings.append(Problem(self.file, message, line=line, hint=hint, severity="warning"))

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ImportFailed(self.errors)

    def result(
        self,
        file_format: str,
        accounts: tuple[BrokerAccount, ...],
        as_of: dt.date,
        as_of_source: str,
        as_of_line: int | None = None,
    ) -> ImportResult:
        """The parse result, with the rows counted and the warnings collected so far."""
        return ImportResult(
            self.file,
            file_format,
            accounts,
            as_of,
            as_of_source,
            self.counts,
            tuple(self.warnings),
            as_of_line=as_of_line,
        )
