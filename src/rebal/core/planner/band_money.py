"""How much new money, with no sells, puts every class back in its band (rebalancing-math §2.4).

With E_c the money in class c outside account cash, P the household total,
K the accounts' cash (which can be invested without selling) and C the new
money, P' = P + C, some buys d_c >= 0 with sum d = C + K must give
lo_c P' <= E_c + d_c <= hi_c P' for every class. That is possible exactly when

    (a) E_c <= hi_c (P + C) for every class         C >= E_c / hi_c - P
    (b) sum_c max(0, lo_c (P + C) - E_c) <= C + K

(b)'s left side minus the right is convex, piecewise linear and
non-increasing in C (slope sum of active lo - 1 <= 0), so the least C is found
exactly by walking its breakpoints C = E_c / lo_c - P. A class held above a 0%
target (hi = 0) can never be brought in band without selling.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from rebal.core.bands import band_for
from rebal.core.numbers import CENT, HUNDRED, ZERO, cents, div, exact, mul
from rebal.core.planner.problem import (
    exposure_of,
    planning_targets,
    tradeable,
    weights_by_ticker,
)
from rebal.core.planner.types import NewMoneyToBand, Trade
from rebal.model import Bands, Portfolio

SHARE_PLACES = Decimal("0.000001")


def _money(amount: Decimal, currency: str) -> str:
    sign = "-" if amount < 0 else ""
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{symbol}{cents(abs(amount)):,.2f}"


def _least_money(
    exposure: Mapping[str, Decimal],
    low: Mapping[str, Decimal],
    high: Mapping[str, Decimal],
    total: Decimal,
    cash: Decimal,
) -> Decimal | None:
    start = ZERO
    for name, held in exposure.items():
        if held <= 0:
            continue
        if high[name] <= 0:
            return None
        start = max(start, div(held, high[name]) - total)

    def gap(c: Decimal) -> Decimal:
        need = sum((max(ZERO, mul(low[n], total + c) - exposure[n]) for n in exposure), ZERO)
        return need - c - cash

    amount = start
    breakpoints = sorted({div(exposure[n], low[n]) - total for n in exposure if low[n] > 0})
    while True:
        value = gap(amount)
        if value <= 0:
            return amount
        active = sum(
            (low[n] for n in exposure if low[n] > 0 and div(exposure[n], low[n]) - total <= amount),
            ZERO,
        )
        slope = active - 1
        following = next((b for b in breakpoints if b > amount), None)
        if slope < 0:
            root = amount - div(value, slope)
            if following is None or root <= following:
                return root
        if following is None:
            return None
        amount = following


def _cannot_place(
    portfolio: Portfolio, weights: Mapping[str, Mapping[str, Decimal]], name: str
) -> str:
    """Why no account can take new money into `name` (this estimate buys single-class funds)."""
    funds = sorted(
        t
        for t, security in portfolio.securities.items()
        if tradeable(security) and name in weights.get(t, {})
    )
    if not funds:
        return (
            f"no security in the file is {name}: add one under [securities] to buy it; "
            "until then new money alone cannot put it in band"
        )
    plain = [t for t in funds if len(weights[t]) == 1]
    if not plain:
        return (
            f"{name} comes only inside split funds ({', '.join(funds[:3])}), which bring "
            "other classes with them: this estimate needs a fund of that class alone"
        )
    # Every account has a menu (one without a menu may buy anything), and none has these.
    return (
        f"no account can buy {name}: no menu offers {', '.join(plain[:3])}, "
        "so new money alone cannot put it in band"
    )


@exact
def new_money_to_band(
    portfolio: Portfolio,
    targets: Mapping[str, Decimal] | None = None,
    policy: Bands | None = None,
) -> NewMoneyToBand:
    """The least new money that, with no sells, puts every class in its band, and where it goes.

    The money may go to any account whose menu allows what is needed; cash
    already in the accounts is used first, in the accounts that hold it.
    """
    return least_new_money(
        portfolio,
        planning_targets(portfolio, targets),
        weights_by_ticker(portfolio),
        portfolio.bands if policy is None else policy,
    )


@exact
def least_new_money(
    portfolio: Portfolio,
    targets: Mapping[str, Decimal],
    weights: Mapping[str, Mapping[str, Decimal]],
    policy: Bands,
    exposure: Mapping[str, Decimal] | None = None,
    only: frozenset[str] | None = None,
) -> NewMoneyToBand:
    """new_money_to_band with the targets (0% for held extras), the class weights and,
    optionally, the class exposure of `portfolio` already known.

    `only` (`rebal plan --only`): the money goes to, and the cash used is in, those
    accounts alone; cash in the others stays where it is.
    """
    currency = portfolio.portfolio.currency
    cash_class = portfolio.cash_class
    goals = dict(targets)
    exposure = dict(exposure_of(portfolio, weights) if exposure is None else exposure)
    goals.setdefault(cash_class, ZERO)
    for name in goals:
        exposure.setdefault(name, ZERO)
    for name in exposure:
        goals.setdefault(name, ZERO)
    usable = [a for a in portfolio.accounts if only is None or a.name in only]
    account_cash = sum((a.cash for a in usable), ZERO)
    total = sum(exposure.values(), ZERO)
    invested = dict(exposure)
    invested[cash_class] = invested.get(cash_class, ZERO) - account_cash
    low: dict[str, Decimal] = {}
    high: dict[str, Decimal] = {}
    for name in invested:
        band = band_for(goals[name], policy, name)
        low[name], high[name] = div(band.low, HUNDRED), div(band.high, HUNDRED)

    blocked = sorted(n for n, held in invested.items() if held > 0 and high[n] <= 0)
    if blocked:
        return NewMoneyToBand(
            None,
            {},
            (),
            f"{', '.join(blocked)} {'is' if len(blocked) == 1 else 'are'} held above a 0% "
            "target: only a sale can put it in band",
        )
    least = _least_money(invested, low, high, total, account_cash)
    if least is None:
        return NewMoneyToBand(None, {}, (), "no amount of new money puts every class in its band")
    amount = least.quantize(CENT, rounding=ROUND_CEILING)
    new_total = total + amount
    # Bring each class up to its lower edge, then the rest toward target (never past it).
    buys: dict[str, Decimal] = {
        n: max(ZERO, mul(low[n], new_total) - invested[n]) for n in invested
    }
    spare = amount + account_cash - sum(buys.values(), ZERO)

    def shortfall(n: str) -> Decimal:
        return invested[n] + buys[n] - div(mul(goals[n], new_total), HUNDRED)

    for name in sorted(invested, key=lambda n: (shortfall(n), n)):
        if spare <= 0:
            break
        room = div(mul(goals[name], new_total), HUNDRED) - invested[name] - buys[name]
        if room > 0:
            take = min(room, spare)
            buys[name] += take
            spare -= take
    # Whatever is left is kept as cash (in band by (a) and (b)).
    buys.pop(cash_class, None)

    # Where: existing cash first, then new money to the first account able to buy the class.
    available = {a.name: max(ZERO, a.cash) for a in usable}
    by_account: dict[str, Decimal] = {}
    for account in usable:
        if account.cash < 0:
            by_account[account.name] = -account.cash  # covers the overdraft first
    trades: list[Trade] = []
    # Per account, the fund each class would be bought with (menu order, else ticker order).
    tradeable_sorted = sorted(t for t, s in portfolio.securities.items() if tradeable(s))
    fund_for: list[tuple[str, dict[str, str]]] = []
    for account in usable:
        candidates = account.menu if account.menu is not None else tradeable_sorted
        funds: dict[str, str] = {}
        for ticker in candidates:
            fractions = weights.get(ticker, {})
            if len(fractions) == 1 and tradeable(portfolio.securities.get(ticker)):
                funds.setdefault(next(iter(fractions)), ticker)
        fund_for.append((account.name, funds))
    for name in [n for n in goals if buys.get(n, ZERO) >= CENT / 2]:
        need = buys[name]
        choices = [(account_name, funds[name]) for account_name, funds in fund_for if name in funds]
        if not choices:
            reason = (
                f"no account that --only names can buy {name}"
                if only is not None
                else _cannot_place(portfolio, weights, name)
            )
            return NewMoneyToBand(None, {}, (), reason)
        spent: dict[tuple[str, str], Decimal] = {}
        for account_name, fund in choices:
            take = min(need, available[account_name])
            if take > 0:
                spent[(account_name, fund)] = take
                available[account_name] -= take
                need -= take
        if need > 0:
            account_name, fund = choices[0]
            spent[(account_name, fund)] = spent.get((account_name, fund), ZERO) + need
            by_account[account_name] = by_account.get(account_name, ZERO) + need
        for (account_name, fund), money in spent.items():
            price = portfolio.securities[fund].price
            shares = div(money, price).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)
            trades.append(
                Trade(
                    account_name,
                    fund,
                    "buy",
                    shares,
                    cents(money),
                    f"brings {name} into its band",
                )
            )
    # New money not needed for buys (or overdrafts) is simply kept as cash.
    placed = sum(by_account.values(), ZERO)
    if amount > placed and usable:
        first = usable[0].name
        by_account[first] = by_account.get(first, ZERO) + amount - placed
    by_account = {k: cents(v) for k, v in by_account.items() if cents(v) != 0}
    if amount == 0:
        reason = (
            "every class is already in its band"
            if not trades
            else "the cash already in the accounts is enough to put every class in its band"
        )
    else:
        reason = (
            f"{_money(amount, currency)} of new money, with no sells, puts every class in its band"
        )
    return NewMoneyToBand(amount, by_account, tuple(trades), reason)


__all__ = ["least_new_money", "new_money_to_band"]
