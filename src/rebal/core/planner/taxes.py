"""The tax stage after a plan is solved: lots, gains, estimated tax, wash sales, harvests.

The solver prices the lots of taxable sales (tax_costs.py); this stage reads the
solved trades and
(docs/planner.md, "Tax"):
- picks each taxable sale's lots, least tax first, and reports its gains and tax;
- flags possible wash sales, and with `avoid_wash_sales` re-plans without them:
  a triggering buy is frozen when the buying account has a replacement fund
  (same class weights, outside the wash group), so the planner buys another
  fund there; otherwise, and for a wash against a recorded lot, the loss sale
  is frozen, and the drift that leaves is reported;
- lists harvestable loss lots, and with `harvest` adds their swaps to the plan;
- reports `gain_budget` (the solver holds the plan's gains under it): when the
  cap binds, the drift it leaves, against the plan solved without it; a warning
  when the sales the plan cannot do without realize more.
Files without [tax], lots or cost_basis in a taxable account pass through unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from rebal.core.numbers import CENT, HUNDRED, ZERO, cents, div, mul
from rebal.core.planner.apply import apply_trades
from rebal.core.planner.lp import budget_margin
from rebal.core.planner.problem import exposure_of, planning_targets, weights_by_ticker
from rebal.core.planner.tax_costs import TaxCosts, tax_costs
from rebal.core.planner.tax_costs import plan_date as trade_day
from rebal.core.planner.types import Action, Plan, PlanError, PlanOptions, Trade
from rebal.core.report import ClassRow, class_table
from rebal.core.tax.gains import Gains, estimated_tax, linear_tax, realized, tax_applies
from rebal.core.tax.harvest import Harvest, harvest_candidates, replacement_fund, shares_for
from rebal.core.tax.lots import (
    HeldLot,
    Rates,
    anniversary,
    held_lots,
    remaining_lots,
    select_lots,
)
from rebal.core.tax.summary import DriftLeft, GainBudget, PlanTax, TaxWarning, TradeTax
from rebal.core.tax.treatment import is_taxable
from rebal.core.tax.wash import Buy, Sale, WashFlag, unseen_purchases_note, wash_flags
from rebal.model import Portfolio
from rebal.present.figures import plural

Solver = Callable[[Portfolio, PlanOptions], Plan]
# A short-term gain lot this close to turning long-term gets a note.
SOON_DAYS = 30


def plan_date(portfolio: Portfolio, options: PlanOptions) -> dt.date:
    return trade_day(portfolio, options.trade_date)


def rates_of(portfolio: Portfolio) -> Rates | None:
    tax = portfolio.tax
    return None if tax is None else Rates.from_percent(tax.short_term_rate, tax.long_term_rate)


def with_taxes(portfolio: Portfolio, options: PlanOptions, solve: Solver) -> Plan:
    """`solve`'s plan with its tax figures, re-planned without wash sales when asked."""
    solved = solve(portfolio, options)
    if not tax_applies(portfolio):
        return solved
    planned = annotate(portfolio, options, solved)
    notes: list[str] = []
    if options.avoid_wash_sales:
        planned, notes = _avoid_wash_sales(portfolio, options, solve, planned)
    if options.harvest:
        planned = _add_harvests(portfolio, planned, notes)
    elif notes:
        planned = annotate(portfolio, options, planned, notes)
    return _with_budget(portfolio, planned, solve)


def annotate(
    portfolio: Portfolio, options: PlanOptions, plan: Plan, notes: Sequence[str] = ()
) -> Plan:
    """`plan` with a PlanTax: the lots and gains of each sale, the estimate and the warnings."""
    date = plan_date(portfolio, options)
    rates = rates_of(portfolio)
    trades: list[TradeTax] = []
    sales: list[Sale] = []
    remaining: dict[tuple[str, str], list[HeldLot]] = {}
    for account in portfolio.accounts:
        if is_taxable(account):
            for ticker in account.holdings:
                remaining[(account.name, ticker)] = held_lots(account, ticker)
    assumed: list[str] = []
    unknown: list[str] = []
    soon: list[str] = []
    for trade in plan.trades:
        if trade.action != "sell":
            continue
        account = portfolio.account(trade.account)
        if not is_taxable(account):
            trades.append(TradeTax(trade.account, trade.ticker, "sell", False, tax=ZERO))
            continue
        lots = held_lots(account, trade.ticker)
        sold = select_lots(lots, trade.shares, trade.amount, date, rates)
        remaining[(trade.account, trade.ticker)] = remaining_lots(lots, sold)
        gains = realized(sold)
        known = any(lot.cost is not None for lot in sold)
        tax = linear_tax(gains, rates) if rates is not None and known else None
        trades.append(TradeTax(trade.account, trade.ticker, "sell", True, tuple(sold), gains, tax))
        sales.append(Sale(trade.account, trade.ticker, tuple(sold)))
        if any(lot.basis == "cost_basis" for lot in sold):
            assumed.append(f"{trade.ticker} in {trade.account}")
        for lot in sold:
            if lot.acquired is None or lot.term != "short" or (lot.gain or ZERO) <= 0:
                continue
            turns = anniversary(lot.acquired) + dt.timedelta(days=1)
            if (turns - date).days <= SOON_DAYS:
                soon.append(f"{trade.ticker} lot of {lot.acquired} in {trade.account} on {turns}")
        if gains.unknown_basis:
            unknown.append(f"${gains.unknown_basis:,.2f} of {trade.ticker} in {trade.account}")
    buys = [Buy(t.account, t.ticker, t.shares) for t in plan.trades if t.action == "buy"]
    total = sum((t.gains for t in trades), Gains())
    estimate = None if rates is None else estimated_tax(total, rates)
    warnings = [_wash_warning(flag) for flag in wash_flags(portfolio, sales, buys, date)]
    budget = portfolio.tax.gain_budget if portfolio.tax is not None else None
    if budget is not None and total.net > budget:
        warnings.append(
            TaxWarning(
                "gain-budget",
                None,
                None,
                f"the plan realizes a net gain of ${total.net:,.2f}, more than the gain budget "
                f"of ${budget:,.2f}: "
                + (
                    "the sales it cannot do without (a withdrawal, negative cash, whole shares "
                    "rounded up) realize that much"
                    if options.use_tax and options.use_gain_budget
                    else "this plan was asked to ignore the budget"
                ),
            )
        )
    threshold = portfolio.tax.harvest_threshold if portfolio.tax is not None else None
    harvest: list[Harvest] = []
    if threshold is not None:
        harvest = harvest_candidates(
            portfolio, remaining, buys, date, rates, threshold, options.whole_shares
        )
        if options.only is not None:
            # --only: accounts left out do not trade, harvests included.
            harvest = [
                h
                if h.account in options.only or h.blocked
                else dataclasses.replace(h, blocked="--only leaves this account out of the plan")
                for h in harvest
            ]
    found: list[str] = list(notes)
    if sales:
        found.append("choose these lots when you place each sale (specific identification)")
    if assumed:
        found.append(
            "a cost_basis has no purchase date, so its gain is assumed short-term: "
            + ", ".join(assumed)
        )
    if soon:
        found.append(
            "a short-term gain sold here turns long-term soon (waiting would tax it at the "
            "long-term rate): " + ", ".join(soon)
        )
    if unknown:
        found.append("tax unknown for shares sold with unknown basis: " + ", ".join(unknown))
    losers = sorted({s.ticker for s in sales if any((lot.gain or ZERO) < 0 for lot in s.lots)})
    if losers:
        found.append(unseen_purchases_note(losers, date))
    summary = PlanTax(
        date,
        rates,
        tuple(trades),
        total,
        estimate,
        tuple(warnings),
        tuple(harvest),
        False,
        tuple(found),
        None
        if budget is None
        else GainBudget(budget, total.net, counted_gain(trades), False, (), None),
    )
    return dataclasses.replace(plan, tax=summary)


def counted_gain(trades: Sequence[TradeTax]) -> Decimal:
    """The gains the planner holds under gain_budget: each lot's gain, a loss counting 0."""
    return sum(
        (max(ZERO, lot.gain or ZERO) for trade in trades if trade.taxable for lot in trade.lots),
        ZERO,
    )


def _with_budget(portfolio: Portfolio, planned: Plan, solve: Solver) -> Plan:
    """`planned` with what its gain budget costs: when the cap binds, the drift it leaves.

    The cap binds when the plan solved without it ends closer to target and
    realizes more gain than the cap allows; the difference, class by class, is
    the drift the cap leaves. A continuous plan whose budget row had room left is
    the uncapped optimum already, and is not solved again. A whole-share plan
    always is: its last step toward target can be several shares (a sale large
    enough to buy one more share of another fund), however far below the cap.
    Both conditions matter for whole shares: the uncapped search can also end
    closer for its own reasons (a different node limit path) with a plan the cap
    allows, and that is not the cap's doing.
    """
    summary = planned.tax
    options = planned.options
    costs = tax_costs(portfolio, options.trade_date)
    if (
        summary is None
        or summary.budget is None
        or costs is None
        or not (options.use_tax and options.use_gain_budget)
    ):
        return planned
    budget = summary.budget
    lots = sum(
        len(held_lots(a, t)) for a in portfolio.accounts if is_taxable(a) for t in a.holdings
    )
    row = budget.limit - budget_margin(lots)  # what the solver's row allows
    if not options.whole_shares and _row_gain(portfolio, costs, planned) < row - CENT:
        return planned
    free = annotate(
        portfolio, options, solve(portfolio, dataclasses.replace(options, use_gain_budget=False))
    )
    if _row_gain(portfolio, costs, free) <= row:
        return planned
    left, further = _drift_left(planned.after, free.after)
    if further < CENT or not left:
        return planned
    assert free.tax is not None
    bound = dataclasses.replace(
        budget, binds=True, drift_left=tuple(left), uncapped_gain=free.tax.gains.net
    )
    # The residual's reason from the solve cannot see the cap: it is the cap.
    capped = {d.asset_class for d in left}
    why = (
        f"the gain budget of ${budget.limit:,.2f} limits the sales in taxable accounts "
        f"(without it the plan would realize ${free.tax.gains.net:,.2f} of net gain)"
    )
    residual = tuple(
        dataclasses.replace(r, reason=why) if r.asset_class in capped else r
        for r in planned.residual
    )
    return dataclasses.replace(
        planned, residual=residual, tax=dataclasses.replace(summary, budget=bound)
    )


def _row_gain(portfolio: Portfolio, costs: TaxCosts, planned: Plan) -> Decimal:
    """The gain the solver's budget row counts for `planned`'s taxable sales: at least
    the gain they realize (tax_costs.Segment)."""
    return sum(
        (
            costs.budgeted_gain(
                trade.account, trade.ticker, trade.shares, portfolio.securities[trade.ticker].price
            )
            for trade in planned.trades
            if trade.action == "sell"
        ),
        ZERO,
    )


def _drift_left(
    capped: Sequence[ClassRow], free: Sequence[ClassRow]
) -> tuple[list[DriftLeft], Decimal]:
    """Per class, how much further from target `capped` ends than `free` (points and
    money, each class at least a cent further), and how much further in all."""
    total = sum((row.value for row in capped), ZERO)
    free_rows = {row.asset_class: row for row in free}
    left: list[DriftLeft] = []
    further = ZERO
    for row in capped:
        other = free_rows.get(row.asset_class)
        goal = div(mul(row.target, total), HUNDRED)
        away = abs(row.value - goal)
        free_away = abs(other.value - goal) if other is not None else ZERO
        extra = away - free_away
        further += extra
        if extra >= CENT:
            left.append(DriftLeft(row.asset_class, div(mul(extra, HUNDRED), total), cents(extra)))
    return left, further


def _wash_warning(flag: WashFlag) -> TaxWarning:
    return TaxWarning("wash-sale", flag.account, flag.ticker, flag.why, flag)


def _drift_money(rows: Sequence[ClassRow]) -> Decimal:
    total = sum((row.value for row in rows), ZERO)
    return sum((abs(row.value - div(mul(row.target, total), HUNDRED)) for row in rows), ZERO)


def _avoid_wash_sales(
    portfolio: Portfolio, options: PlanOptions, solve: Solver, planned: Plan
) -> tuple[Plan, list[str]]:
    """Re-plan, freezing a triggering buy (when a replacement exists) or the loss sale.

    Each round freezes at least one position the plan trades, so the loop ends.
    """
    first = planned
    frozen = set(options.frozen)
    done: list[str] = []
    while planned.tax is not None:
        flags = [w.wash for w in planned.tax.warnings if w.wash is not None]
        keys: set[tuple[str, str, Action]] = set()
        attempt: list[str] = []
        for flag in flags:
            buyer = portfolio.account(flag.buy_account)
            if flag.source == "plan" and replacement_fund(portfolio, buyer, flag.buy_ticker):
                keys.add((flag.buy_account, flag.buy_ticker, "buy"))
                attempt.append(
                    f"not buying {flag.buy_ticker} in {flag.buy_account} (it would wash the "
                    f"loss on {flag.ticker} in {flag.account}): the planner buys another fund "
                    "of the class instead"
                )
            else:
                keys.add((flag.account, flag.ticker, "sell"))
                attempt.append(
                    f"not selling {flag.ticker} in {flag.account}: its loss would wash against "
                    + (
                        f"this plan's buy of {flag.buy_ticker} in {flag.buy_account}, which "
                        "has no replacement fund there"
                        if flag.source == "plan"
                        else f"{flag.buy_ticker} acquired in {flag.buy_account} on "
                        f"{flag.acquired.isoformat()}"
                    )
                )
        keys -= frozen
        if not keys:
            break
        try:
            replanned = solve(
                portfolio, dataclasses.replace(options, frozen=frozenset(frozen | keys))
            )
        except PlanError as error:
            # E.g. the loss sale is what pays a withdrawal: keep it, and say why.
            done.append(f"could not avoid every wash sale ({error}); the plan keeps them")
            break
        done += attempt
        frozen |= keys
        planned = annotate(portfolio, options, replanned)
    if not done:
        return planned, []
    extra = _drift_money(planned.after) - _drift_money(first.after)
    notes = ["--no-wash-sales: " + "; ".join(dict.fromkeys(done))]
    if extra >= CENT:
        notes.append(
            f"--no-wash-sales leaves ${cents(extra):,.2f} more drift (money off target, all "
            "classes) than the plan with the wash sales"
        )
    return planned, notes


def _add_harvests(portfolio: Portfolio, planned: Plan, notes: Sequence[str]) -> Plan:
    """The plan plus each unblocked harvest: sell the loss lot, buy its replacement."""
    assert planned.tax is not None
    chosen = [h for h in planned.tax.harvest if not h.blocked and h.replacement is not None]
    if not chosen:
        note = "--harvest: no harvest swap to add (none listed, or each is blocked)"
        return annotate(portfolio, planned.options, planned, (*notes, note))
    trades = list(planned.trades)
    for harvest in chosen:
        assert harvest.replacement is not None
        price = portfolio.securities[harvest.replacement].price
        whole = planned.options.whole_shares
        shares = shares_for(harvest.value, price, whole)
        amount = cents(mul(shares, price)) if whole else harvest.value
        why = f"harvests a ${harvest.loss:,.2f} loss (lot of {harvest.acquired}; --harvest)"
        trades = _merge(
            trades,
            Trade(harvest.account, harvest.ticker, "sell", harvest.shares, harvest.value, why),
        )
        if shares > 0:
            trades = _merge(
                trades,
                Trade(
                    harvest.account,
                    harvest.replacement,
                    "buy",
                    shares,
                    amount,
                    f"replaces {harvest.ticker} sold at a loss "
                    "(same class, outside its wash group; --harvest)",
                ),
            )
    position = {a.name: i for i, a in enumerate(portfolio.accounts)}
    trades.sort(key=lambda t: (position[t.account], t.action != "sell", t.ticker))
    after = apply_trades(portfolio, trades, planned.options.new_money)
    targets = planning_targets(portfolio, planned.options.targets)
    exposure = exposure_of(after, weights_by_ticker(after))
    rows = class_table(
        {c: v for c, v in exposure.items() if v or c in targets}, targets, portfolio.bands
    )
    harvested = dataclasses.replace(
        planned,
        trades=tuple(trades),
        after=tuple(rows),
        leftover_cash={a.name: a.cash for a in after.accounts},
    )
    note = f"--harvest: {plural(len(chosen), 'harvest swap')} added to the plan"
    result = annotate(portfolio, planned.options, harvested, (*notes, note))
    assert result.tax is not None
    return dataclasses.replace(
        result, tax=dataclasses.replace(result.tax, harvested=True, harvest=planned.tax.harvest)
    )


def _merge(trades: list[Trade], new: Trade) -> list[Trade]:
    for index, trade in enumerate(trades):
        if (trade.account, trade.ticker, trade.action) == (new.account, new.ticker, new.action):
            merged = Trade(
                trade.account,
                trade.ticker,
                trade.action,
                trade.shares + new.shares,
                trade.amount + new.amount,
                f"{trade.reason}; {new.reason}",
            )
            return [*trades[:index], merged, *trades[index + 1 :]]
    return [*trades, new]


__all__ = ["annotate", "plan_date", "with_taxes"]
