"""What an import does to an account's `cost_basis`, and why: pure, one account at a time.

A positions export that has a cost basis column (Fidelity "Cost Basis Total",
Schwab "Cost Basis") gives the total basis of each position, or says it does
not know ("--", "Incomplete", an empty cell). The rules, in order:

- Lots the user typed are never changed. A ticker with `lots` keeps them and
  gets no `cost_basis`; if the import changes its share count, the lots no
  longer add up to the holding and the import is refused, naming the lots to
  correct, because only the user knows the new purchase's date and cost.
- A position that is no longer held loses its `cost_basis` (a basis of
  nothing held is refused by the loader, and the sale realised it).
- In a taxable account, a known basis from the export becomes `cost_basis`.
  Other accounts realise no gains, so no basis is written there.
- An unknown basis never erases one the file has: the broker's "--" usually
  means the lots were transferred in without their history, which the user
  may have typed from old statements. The summary says the typed basis was
  kept, and warns when the share count changed under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rebal.core.numbers import cents
from rebal.core.tax.treatment import is_taxable
from rebal.model import Account
from rebal.problems import Problem


@dataclass(frozen=True)
class BasisLine:
    """One ticker's cost_basis before and after (None: absent), and what the summary says."""

    ticker: str
    before: Decimal | None
    after: Decimal | None
    why: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class BasisAfter:
    """An account's cost_basis after the import, what the summary says, and refusals."""

    cost_basis: dict[str, Decimal]
    lines: tuple[BasisLine, ...]
    # Taxable holdings whose basis neither the export nor the file knows.
    unknown: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def changed(self) -> bool:
        return any(line.changed for line in self.lines)


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _lots_hint(ticker: str, missing: Decimal) -> str:
    """What to do when the lots would add up to `missing` shares fewer than the holding
    (negative: more than it): say which change the lots lack."""
    change = (
        f"add the {_shown(missing)} shares bought to lots.{ticker} (their date and cost)"
        if missing > 0
        else f"remove the {_shown(-missing)} shares sold from lots.{ticker}"
    )
    return f"{change}, or delete lots.{ticker} to use the broker's cost basis; then import again"


def _why_kept(in_export: bool, held_before: Decimal, held_after: Decimal) -> str:
    """What the summary says of a typed basis kept ("" when there is nothing to say)."""
    why = (
        "kept: the export does not know the basis ('--', 'Incomplete' or empty)"
        if in_export
        else "kept: the export has no cost basis column"
    )
    if held_before != held_after:
        return (
            f"{why}; the shares change from {_shown(held_before)} to {_shown(held_after)}, "
            "so check it"
        )
    return why if in_export else ""


def basis_after_import(
    portfolio_file: Path,
    index: int,
    account: Account,
    holdings_after: Mapping[str, Decimal],
    reported: Mapping[str, Decimal | None],
) -> BasisAfter:
    """The account's cost_basis once its holdings are `holdings_after`.

    `reported` holds, for each position the export gave with a basis column,
    its total basis (None: the broker does not know it). `index` is the
    account's place in [[accounts]], for the refusals' dotted keys.
    """
    taxable = is_taxable(account)
    after: dict[str, Decimal] = {}
    lines: list[BasisLine] = []
    problems: list[Problem] = []
    unknown: list[str] = []
    for ticker, lots in account.lots.items():
        typed = sum((lot.shares for lot in lots), Decimal(0))
        held = holdings_after.get(ticker, Decimal(0))
        if held != typed:
            problems.append(
                Problem(
                    portfolio_file,
                    f"{account.name!r} would hold {_shown(held)} shares of {ticker} after "
                    f"the import, but its lots (typed in the file) add up to {_shown(typed)}; "
                    "rebal never changes lots you typed",
                    path=f"accounts[{index}].lots.{ticker}",
                    hint=_lots_hint(ticker, held - typed),
                )
            )
        elif taxable and (broker := reported.get(ticker)) is not None:
            why = f"the export's cost basis {_shown(broker)} is not used: the lots typed for "
            lines.append(BasisLine(ticker, None, None, why + f"{ticker} are kept"))
    for ticker, before in account.cost_basis.items():
        if ticker in account.lots:
            after[ticker] = before  # the loader warns that the lots win; not the import's business
        elif not holdings_after.get(ticker):
            lines.append(BasisLine(ticker, before, None, "no longer held"))
    for ticker, shares in holdings_after.items():
        if ticker in account.lots or not shares:
            continue
        typed_basis = account.cost_basis.get(ticker)
        broker = reported.get(ticker)
        if taxable and broker is not None:
            after[ticker] = cents(broker)
            lines.append(BasisLine(ticker, typed_basis, after[ticker]))
            continue
        if typed_basis is not None:
            after[ticker] = typed_basis
            held_before = account.holdings.get(ticker, Decimal(0))
            why = _why_kept(ticker in reported, held_before, shares)
            if taxable and why:
                lines.append(BasisLine(ticker, typed_basis, typed_basis, why))
        elif taxable and ticker in reported:
            unknown.append(ticker)
    ordered = {t: after[t] for t in account.cost_basis if t in after}
    ordered.update({t: b for t, b in after.items() if t not in ordered})
    return BasisAfter(ordered, tuple(lines), tuple(unknown), tuple(problems))
