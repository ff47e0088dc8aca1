"""The words of the review's steps 1-3 that are not a single figure: the band rule, a
class's own width, a holding's classes and accounts, money with its sign.

Plain strings (the app's widgets make them terminal-safe and style them), so a
sentence reads the same wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from rebal.core.numbers import HUNDRED, round_half_up
from rebal.core.tax.treatment import is_taxable
from rebal.model import Portfolio
from rebal.model.portfolio import Bands
from rebal.present.figures import as_written, money, percent, points, whole_money

# A fund held in hundreds of accounts made a table cell thousands of columns wide
# and a detail dozens of lines long, drawn and wrapped again on every cursor move.
LISTED_ACCOUNTS = 8


def band_rule(bands: Bands) -> str:
    """The band kind and common width in words, computed from the policy itself."""
    if bands.kind == "relative":
        words = f"relative, {as_written(bands.width)}% of each target either side"
        if bands.floor:
            words += f", never narrower than {points(bands.floor, long=True)}"
        return words
    if bands.kind == "absolute":
        return f"absolute, {points(bands.width, long=True)} either side"
    return (f"{as_written(bands.absolute)}/{as_written(bands.relative)}, the smaller of "
            f"{points(bands.absolute, long=True)} and {as_written(bands.relative)}% of the "
            "target either side")


def width_words(bands: Bands, width: Decimal) -> str:
    """A class's own width with its unit: "25% of its target" (relative) or "1 point"."""
    if bands.kind == "relative":
        return f"{as_written(width)}% of its target"
    return points(width)


def signed_money(value: Decimal, currency: str) -> str:
    """Money with its sign, whole units: +$12,400 over, -$3,100 under, $0 on target."""
    shown = whole_money(value, currency)
    return shown if shown.startswith("-") or round_half_up(value, 0) == 0 else "+" + shown


def account_parts(by_account: Mapping[str, Decimal], over: bool, currency: str) -> str:
    """Each account's part of a class's excess (over) or shortfall, the accounts that
    hold most of it first; past a few accounts, the rest summed: "and 492 more
    accounts +$1,200" (a line per account of 500 is no line to read, and it was
    seconds of wrapping)."""
    sign = 1 if over else -1
    ordered = sorted(by_account.items(), key=lambda kv: (-sign * kv[1], kv[0]))
    listed, rest = ordered[:LISTED_ACCOUNTS], ordered[LISTED_ACCOUNTS:]
    words = " · ".join(f"{account} {signed_money(value, currency)}" for account, value in listed)
    if rest:
        total = sum((value for _, value in rest), Decimal(0))
        words += f" · and {len(rest)} more accounts {signed_money(total, currency)}"
    return words


def class_mix(classes: Mapping[str, Decimal]) -> str:
    """A security's classes: "US Stocks" when it is all one, else each with its share."""
    return ", ".join(
        name if weight == HUNDRED else f"{name} {percent(weight, 0)}"
        for name, weight in classes.items()
    )


def accounts_cell(accounts: Mapping[str, Decimal]) -> str:
    """The holdings table's Accounts cell: the names, or how many (the detail lists them)."""
    names = list(accounts)
    return ", ".join(names) if len(names) <= LISTED_ACCOUNTS else f"{len(names)} accounts"


def held_in(accounts: Mapping[str, Decimal], currency: str) -> str:
    """Each account's value of a holding; past a few accounts the largest, then the rest."""
    listed = list(accounts.items())
    rest: list[tuple[str, Decimal]] = []
    if len(listed) > LISTED_ACCOUNTS:
        ordered = sorted(listed, key=lambda kv: (-kv[1], kv[0]))
        listed, rest = ordered[:LISTED_ACCOUNTS], ordered[LISTED_ACCOUNTS:]
    words = ", ".join(f"{account} {money(value, currency)}" for account, value in listed)
    if rest:
        total = sum((value for _, value in rest), Decimal(0))
        words += f" and {len(rest)} more accounts ({money(total, currency)})"
    return words


def split_share(stocks: Decimal) -> str:
    """A stocks / bonds-and-cash split as the age hint lists it: " 60% / 40%"."""
    shown = round_half_up(stocks, 1)
    return f"{as_written(shown):>5}% / {as_written(HUNDRED - shown)}%"


def no_gains_sentence(portfolio: Portfolio) -> str:
    """Why the unrealized gains table is empty."""
    if not any(is_taxable(account) for account in portfolio.accounts):
        return (
            "No taxable account in this household: sales in IRAs, 401(k)s, Roth and HSA "
            "accounts owe no capital-gains tax, so there are no unrealized gains to show."
        )
    return "No taxable account holds anything with a price: no unrealized gains to show."
