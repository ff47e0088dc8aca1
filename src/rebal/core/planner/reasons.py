"""Why each trade is made, and why drift is left: one line each, in the user's words.

Every reason is derived from what binds in the solved plan, never guessed
from the mode alone:

- what an account may buy: its menu, `--only`, cash-flow's direction, a
  minimum trade that froze a position (`AccountState.buyable` holds the answer);
- where the money is: the cash an account has left after the trades;
- what an account still holds that it may sell, and whether that is a split
  fund whose classes can only move together;
- whether any security of the class exists at all.

An account is said to be unable to buy a class only when it has no route to
it (no fund of the class it may buy), so a reason never contradicts a buy in
the same plan; a test holds every plan to that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from rebal.core.bands import band_for, status
from rebal.core.numbers import CENT, ZERO, percent_of
from rebal.core.planner.only import may_trade
from rebal.core.planner.problem import AccountState, Problem, tradeable
from rebal.core.planner.rounding import SOLVER_NOISE
from rebal.model import Account, Portfolio
from rebal.present.figures import fraction_as_percent, money, percent


def names_text(names: Sequence[str], noun: str = "accounts", limit: int = 2) -> str:
    """Names joined by "and", or counted past `limit` ("3 accounts"): one line, always."""
    if len(names) > limit:
        return f"{len(names)} {noun}"
    return " and ".join(names)


def _verb(names: Sequence[str], one: str, many: str) -> str:
    return one if len(names) == 1 else many


@dataclass(frozen=True)
class Outcome:
    """The plan as made: the household after its trades, and what is left off target."""

    after: Portfolio
    gap: Mapping[str, Decimal]  # money above (+) or below (-) target per class, after
    # Accounts whose buys the minimum trade left undone.
    skipped_buys: frozenset[str] = frozenset()

    @cached_property
    def accounts(self) -> Mapping[str, Account]:
        # By name once: Portfolio.account() scans, and reasons ask per account and class.
        return {account.name: account for account in self.after.accounts}


class Explainer:
    """Reasons for one plan: trades from the state before them, residuals from the outcome."""

    def __init__(
        self, problem: Problem, currency: str, buys: Sequence[tuple[str, str]] = ()
    ) -> None:
        """`buys`: the plan's buy lines as (account, ticker), for what a sale pays for."""
        self.problem = problem
        self.currency = currency
        self._bought_here: dict[str, list[str]] = {}
        for account, ticker in buys:
            bought = self._bought_here.setdefault(account, [])
            bought += [c for c in problem.weights[ticker] if c not in bought]
        self.drift = {c: problem.exposure[c] - problem.target_money[c] for c in problem.classes}
        self._holders_cache: dict[str, tuple[list[str], frozenset[str]]] = {}
        self._routes: dict[tuple[str, str], list[str]] = {}
        self._securities: dict[str, list[str]] = {}
        self.outcome: Outcome | None = None

    # ------------------------------------------------------------ the facts

    @property
    def _outcome(self) -> Outcome:
        if self.outcome is None:
            raise RuntimeError("residual reasons need the plan's outcome: set Explainer.outcome")
        return self.outcome

    def _weights(self, ticker: str) -> Mapping[str, Decimal]:
        return self.problem.weights[ticker]

    def routes(self, account: AccountState, asset_class: str) -> list[str]:
        """The funds of `asset_class` that `account` may buy in this plan, preferred first."""
        key = (account.name, asset_class)
        if key not in self._routes:
            self._routes[key] = [t for t in account.buyable if asset_class in self._weights(t)]
        return self._routes[key]

    def _securities_of(self, asset_class: str) -> list[str]:
        """Every security of `asset_class` that can be bought at all (priced), by ticker."""
        if asset_class not in self._securities:
            self._securities[asset_class] = sorted(
                t
                for t, security in self.problem.portfolio.securities.items()
                if tradeable(security) and asset_class in self._weights(t)
            )
        return self._securities[asset_class]

    def _cash_left(self, account: str) -> Decimal:
        return self._outcome.accounts[account].cash

    def _over(self, asset_class: str) -> bool:
        return self._outcome.gap.get(asset_class, ZERO) >= CENT

    def _under(self, asset_class: str) -> bool:
        return self._outcome.gap.get(asset_class, ZERO) <= -CENT

    def _sellable_after(self, account: AccountState) -> dict[str, Decimal]:
        """What `account` still holds that it may sell, per ticker (value after the trades)."""
        if not account.may_sell:
            return {}
        after = self._outcome.after
        result: dict[str, Decimal] = {}
        for ticker, shares in self._outcome.accounts[account.name].holdings.items():
            price = after.securities[ticker].price
            if shares > 0 and price > 0:
                result[ticker] = shares * price
        return result

    def _why_no_route(self, account: AccountState, asset_class: str) -> str:
        """Why `account` has no fund of `asset_class` to buy in this plan."""
        if not may_trade(self.problem.options, account.name):
            return "only"
        if not account.may_buy:
            return "withdrawing"
        offered = set(self._securities_of(asset_class))
        if account.menu is not None and not offered.intersection(account.menu):
            return "menu"
        # It could buy one, but the minimum-trade pass froze that buy.
        return "frozen"

    def _no_route_clauses(self, asset_class: str, accounts: Sequence[AccountState]) -> list[str]:
        grouped: dict[str, list[str]] = {}
        for account in accounts:
            grouped.setdefault(self._why_no_route(account, asset_class), []).append(account.name)
        clauses = []
        for why, names in grouped.items():
            who = names_text(names)
            if why == "only":
                clauses.append(f"--only leaves out {who}")
            elif why == "withdrawing":
                clauses.append(f"{who} only {_verb(names, 'sells', 'sell')} (money goes out)")
            elif why == "menu":
                menus = _verb(names, "the menu of", "the menus of")
                clauses.append(f"{menus} {who} {_verb(names, 'has', 'have')} no {asset_class} fund")
            else:
                clauses.append(f"the minimum trade left out the buys in {who}")
        return clauses

    def _split_lock(self, ticker: str, asset_class: str) -> str:
        """`asset_class` inside split fund `ticker` moves only together with its other classes."""
        others = [c for c in self._weights(ticker) if c != asset_class]
        return f"{asset_class} held inside {ticker} can only be sold together with its " + (
            " and ".join(others)
        )

    def _split_buy_lock(self, accounts: Sequence[str], ticker: str, asset_class: str) -> str:
        """`asset_class` reaches `accounts` only inside split fund `ticker`, with its others."""
        weights = self._weights(ticker)
        others = [c for c in weights if c != asset_class]
        over = [c for c in others if self._over(c)]
        text = (
            f"{asset_class} can be bought in {names_text(accounts)} only through {ticker} "
            f"({fraction_as_percent(weights[asset_class])} {asset_class}), which brings "
            f"{' and '.join(others)} with it"
        )
        if over:
            text += f" ({' and '.join(over)} already over target)"
        return text

    # ------------------------------------------------------------ trades

    def _band_side(self, name: str) -> str | None:
        problem = self.problem
        band = band_for(problem.targets[name], problem.portfolio.bands, name)
        actual = percent_of(problem.exposure[name], problem.total)
        side = status(actual, band, problem.portfolio.bands)
        if side == "in" or actual is None:
            return None
        edge = band.high if side == "over" else band.low
        word = "above" if side == "over" else "below"
        sign = ">" if side == "over" else "<"
        return f"{name} is {word} its band ({percent(actual)} {sign} {percent(edge)})"

    def trade(self, account_name: str, ticker: str, selling: bool) -> str:
        """Why this line: the account, action, fund and shares are columns beside it."""
        weights = self._weights(ticker)
        # The class this trade serves: the most over target for a sell, most under for a buy.
        main = max(weights, key=lambda c: ((self.drift[c] if selling else -self.drift[c]), c))
        account = self.problem.account(account_name)
        gap = self.drift[main]
        serves = (selling and gap > 0) or (not selling and gap < 0)
        why = ""
        if self.problem.options.mode == "band-edge" and serves:
            why = self._band_side(main) or ""
        if not why and serves:
            word = "over" if selling else "under"
            why = f"{main} is {money(abs(gap), self.currency)} {word} target"
        if why and len(weights) > 1:
            single = [t for t in self.routes(account, main) if len(self._weights(t)) == 1]
            if not selling and not single:
                share = fraction_as_percent(weights[main])
                why += f"; this account can buy it only through {ticker} ({share})"
            else:
                why += f" ({fraction_as_percent(weights[main])} of this fund)"
        if selling and account.new_money < 0:
            # Cash-flow and withdrawals: the withdrawal is why this account sells.
            cause = f"raises cash for the {money(-account.new_money, self.currency)} withdrawal"
            return f"{cause}; {why}" if why else cause
        if selling and account.cash < 0:
            cause = f"covers this account's negative cash ({money(account.cash, self.currency)})"
            return f"{cause}; {why}" if why else cause
        if not why and selling:
            under = [c for c in self._bought_here.get(account_name, []) if self.drift[c] < 0]
            if under:
                return f"frees cash to buy {' and '.join(under[:2])} in this account"
            return "frees cash for classes under target"
        if not why:
            return "invests idle cash"
        if selling:
            why += self._where_sold(account.name, account.avoids_selling, main)
        return why

    def _where_sold(self, account: str, avoids_selling: bool, asset_class: str) -> str:
        """Why a sale lands in this account, when accounts that avoid selling hold the class too."""
        if avoids_selling:
            return "; sold here although this account avoids selling"
        holders, holder_set = self._avoiding_holders(asset_class)
        # Counted, not listed, past two: a reason stays one line however big the household,
        # and a copy of every holder per sale made reasons quadratic in its size.
        count = len(holders) - (account in holder_set)
        if not count:
            return ""
        if count > 2:
            return f"; {count} accounts that hold it avoid selling"
        spared = [name for name in holders[:3] if name != account][:2]
        verb = "avoids" if len(spared) == 1 else "avoid"
        return f"; {' and '.join(spared)} {verb} selling"

    def _avoiding_holders(self, asset_class: str) -> tuple[list[str], frozenset[str]]:
        """Accounts that avoid selling and hold `asset_class`, in file order (cached per class:
        a scan of every asset for every sale made reasons quadratic in the household's size)."""
        if asset_class not in self._holders_cache:
            holders = list(
                dict.fromkeys(
                    asset.account
                    for asset in self.problem.assets
                    if asset.holdings
                    and asset_class in asset.weights
                    and self.problem.account(asset.account).avoids_selling
                )
            )
            self._holders_cache[asset_class] = (holders, frozenset(holders))
        return self._holders_cache[asset_class]

    # ------------------------------------------------------------ residuals

    def residual(self, name: str, gap: Decimal, unrounded: Decimal, skipped: bool) -> str:
        """Why `name` is left `gap` away from target (`unrounded`: before cents and shares)."""
        options = self.problem.options
        minimum = money(options.min_trade, self.currency)
        if skipped:
            return f"trades under the minimum of {minimum} were skipped"
        if self._rounded_out_of_band(name, unrounded):
            if options.whole_shares:
                return (
                    "the plan puts it in its band, but whole shares leave it just outside, "
                    "and another share would not lower the total drift"
                )
            return "the plan puts it in its band, but rounding to cents leaves it just outside"
        if abs(unrounded) < CENT:
            if options.whole_shares:
                return self._whole_shares(name, gap)
            return "rounding to cents"
        if name == self.problem.cash_class:
            return self._cash_over() if gap > 0 else self._cash_under()
        return self._over_reason(name) if gap > 0 else self._under_reason(name)

    def _rounded_out_of_band(self, name: str, unrounded: Decimal) -> bool:
        """Band-edge: the plan before rounding had `name` in its band; rounding took it out."""
        problem = self.problem
        if problem.options.mode != "band-edge" or name not in problem.targets:
            return False
        low, high = problem.band_money(name)
        # Whole shares aim at the exact edge: the solver's answer may sit a float's
        # noise (a fraction of the household) outside it.
        noise = SOLVER_NOISE * problem.total
        return low - noise <= problem.target_money[name] + unrounded <= high + noise

    def _whole_shares(self, name: str, gap: Decimal) -> str:
        """Drift left by rounding to whole shares: the share that no longer fits, if one."""
        generic = "whole shares: no further share fits in the cash left and lowers the drift"
        if gap > 0 or name == self.problem.cash_class:
            return generic
        for account in self.problem.accounts:
            cash = self._cash_left(account.name)
            funds = self.routes(account, name)
            if cash >= CENT and funds:
                prices = self.problem.portfolio.securities
                fund = min(funds, key=lambda t: (prices[t].price, t))
                if prices[fund].price > cash:
                    return (
                        f"whole shares: the {money(cash, self.currency)} left in {account.name} "
                        f"buys no share of {fund} ({money(prices[fund].price, self.currency)})"
                    )
        return generic

    def _cash_flow_sells(self) -> str:
        if any(a.new_money < 0 or a.cash < 0 for a in self.problem.accounts):
            return "cash-flow mode sells only what the withdrawals need"
        return "cash-flow mode sells only to raise cash for a withdrawal"

    def _over_reason(self, name: str) -> str:
        """`name` is over target after the plan: why the rest of it is not sold."""
        problem = self.problem
        if problem.options.mode == "cash-flow":
            return self._cash_flow_sells()
        after = self._outcome.after
        left_out: list[str] = []
        locked: list[str] = []
        kept: list[AccountState] = []
        for account in problem.accounts:
            holdings = self._outcome.accounts[account.name].holdings
            held = [t for t, q in holdings.items() if q > 0 and name in self._weights(t)]
            if not held:
                continue
            if not may_trade(problem.options, account.name):
                left_out.append(account.name)
                continue
            for ticker in held:
                if after.securities[ticker].price <= 0:
                    continue  # worth nothing here, so not what is over target
                if len(self._weights(ticker)) > 1:
                    locked.append(ticker)
                elif account not in kept:
                    kept.append(account)
        clauses: list[str] = []
        if kept:
            clauses.append(self._kept_clause(name, kept))
        locked = list(dict.fromkeys(locked))
        if locked:
            clauses.append(self._split_lock(locked[0], name))
            if len(locked) > 1:
                clauses[-1] += f" (and so for {names_text(locked[1:], 'more funds')})"
        if left_out:
            clauses.append(
                f"--only leaves out {names_text(left_out)}, which "
                f"{_verb(left_out, 'holds', 'hold')} it"
            )
        return "; ".join(clauses) or f"nothing more of {name} can be sold"

    def _kept_clause(self, name: str, kept: Sequence[AccountState]) -> str:
        """Accounts that hold `name` in plain funds they may sell, yet keep it: why."""
        under = [c for c in self.problem.classes if c != self.problem.cash_class and self._under(c)]
        cannot: list[str] = []
        locked: list[tuple[str, str, str]] = []
        for account in kept:
            buyable = [c for c in under if self.routes(account, c)]
            if not buyable:
                cannot.append(account.name)
                continue
            for c in buyable:
                if all(len(self._weights(t)) > 1 for t in self.routes(account, c)):
                    locked.append((account.name, c, self.routes(account, c)[0]))
        if cannot and len(cannot) == len(kept):
            targets = [
                c for c in under if not any(self.routes(self.problem.account(a), c) for a in cannot)
            ]
            if targets:
                return (
                    f"{names_text(cannot)} {_verb(cannot, 'holds', 'hold')} it but cannot buy "
                    f"{' or '.join(targets)} there"
                )
            return (
                f"{names_text(cannot)} {_verb(cannot, 'holds', 'hold')} it but can buy "
                "nothing under target there"
            )
        if locked:
            account_name, c, ticker = locked[0]
            return self._split_buy_lock([account_name], ticker, c)
        who = [a.name for a in kept]
        return (
            f"selling more of it in {names_text(who)} would not bring the household closer "
            f"to {'its bands' if self.problem.options.mode == 'band-edge' else 'target'}"
        )

    def _under_reason(self, name: str) -> str:
        """`name` is under target after the plan: why no more of it is bought."""
        problem = self.problem
        if not self._securities_of(name):
            return (
                f"no security in the file is {name}: add one under [securities] (with a price) "
                "to buy it"
            )
        buyers = [a for a in problem.accounts if self.routes(a, name)]
        others = [a for a in problem.accounts if not self.routes(a, name)]
        not_buying = self._no_route_clauses(name, others)
        if not buyers:
            return f"no account can buy {name}: " + "; ".join(not_buying)
        clauses = [self._buyers_clause(name, buyers)]
        if not_buying:
            lead = f"only {names_text([a.name for a in buyers])} can buy it"
            clauses.insert(0, f"{lead} ({'; '.join(not_buying)})")
        return "; ".join(clauses)

    def _buyers_clause(self, name: str, buyers: Sequence[AccountState]) -> str:
        options = self.problem.options
        split_only = [
            a for a in buyers if all(len(self._weights(t)) > 1 for t in self.routes(a, name))
        ]
        with_cash = [a for a in buyers if self._cash_left(a.name) >= CENT]
        if split_only and len(split_only) == len(buyers):
            ticker = self.routes(split_only[0], name)[0]
            return self._split_buy_lock([a.name for a in split_only], ticker, name)
        if not with_cash:
            who = [a.name for a in buyers]
            if options.mode == "cash-flow":
                return (
                    f"{names_text(who)} {_verb(who, 'has', 'have')} invested all the money "
                    "coming in (cash-flow mode does not sell to buy)"
                )
            sellable = [
                t
                for a in buyers
                for t in self._sellable_after(a)
                if any(self._over(c) for c in self._weights(t))
            ]
            plain = [t for t in sellable if len(self._weights(t)) == 1]
            if not plain and sellable:
                ticker = sellable[0]
                over = next(c for c in self._weights(ticker) if self._over(c))
                return (
                    f"{names_text(who)} {_verb(who, 'has', 'have')} no cash left, and "
                    + self._split_lock(ticker, over)
                )
            if not sellable:
                tail = "nothing over target left to sell"
                if options.mode == "band-edge":
                    tail += " (band-edge never sells a class past its target)"
                return f"{names_text(who)} {_verb(who, 'has', 'have')} no cash left and {tail}"
            return f"{names_text(who)} {_verb(who, 'has', 'have')} no cash left for it"
        who = [a.name for a in with_cash]
        skipped = [n for n in who if n in self._outcome.skipped_buys]
        if skipped:
            return (
                f"buys under the minimum of {money(options.min_trade, self.currency)} were "
                f"skipped in {names_text(skipped)}, which keeps the cash"
            )
        locked = [
            a for a in with_cash if all(len(self._weights(t)) > 1 for t in self.routes(a, name))
        ]
        if locked and len(locked) == len(with_cash):
            ticker = self.routes(locked[0], name)[0]
            return self._split_buy_lock([a.name for a in locked], ticker, name)
        if options.mode == "cash-flow" and self._cash_as_low_as(name):
            return (
                f"cash-flow mode keeps the cash left in {names_text(who)}: Cash is as far under "
                f"its target as {name}, relative to their targets"
            )
        # Each solver pass minimises drift (band-edge: money outside the bands) first, so a
        # buy that lowered it would have been made.
        closer = "its bands" if options.mode == "band-edge" else "target"
        return (
            f"buying more of it in {names_text(who)} would not bring the household "
            f"closer to {closer}"
        )

    def _cash_as_low_as(self, name: str) -> bool:
        """Whether Cash is at least as far under its target as `name`, relative to the targets."""
        problem = self.problem
        cash_target = problem.target_money.get(problem.cash_class, ZERO)
        target = problem.target_money.get(name, ZERO)
        if cash_target <= 0 or target <= 0:
            return False
        gap = self._outcome.gap
        return gap.get(problem.cash_class, ZERO) / cash_target <= gap.get(name, ZERO) / target

    def _cash_over(self) -> str:
        """Cash is above target after the plan: why the accounts holding it do not invest it."""
        problem = self.problem
        under = [c for c in problem.classes if c != problem.cash_class and self._under(c)]
        idle = [a for a in problem.accounts if self._cash_left(a.name) >= CENT]
        if not idle:
            return "the accounts have no cash left to invest"
        if not under:
            return "no class is under target to invest it in"
        left_out = [a.name for a in idle if not may_trade(problem.options, a.name)]
        stuck = [
            a
            for a in idle
            if may_trade(problem.options, a.name) and not any(self.routes(a, c) for c in under)
        ]
        clauses: list[str] = []
        if left_out:
            clauses.append(
                f"--only leaves out {names_text(left_out)}, which "
                f"{_verb(left_out, 'holds', 'hold')} it"
            )
        if stuck:
            who = [a.name for a in stuck]
            clauses.append(
                f"{names_text(who)} {_verb(who, 'holds', 'hold')} it but cannot buy "
                f"{' or '.join(under)} there"
            )
        free = [a for a in idle if a.name not in left_out and a not in stuck]
        if free:
            if problem.options.whole_shares:
                account = free[0]
                clauses.append(
                    f"whole shares: the {money(self._cash_left(account.name), self.currency)} "
                    f"left in {account.name} buys no share that lowers the drift"
                )
            elif problem.options.mode == "cash-flow":
                clauses.append(
                    "cash-flow mode keeps cash where it is as far under its target as the "
                    "classes it could buy"
                )
            else:
                routes = [
                    (a.name, c, self.routes(a, c)) for a in free for c in under if self.routes(a, c)
                ]
                locked = [
                    (a, c, r[0]) for a, c, r in routes if all(len(self._weights(t)) > 1 for t in r)
                ]
                if locked and len(locked) == len(routes):
                    account_name, c, ticker = locked[0]
                    clauses.append(self._split_buy_lock([account_name], ticker, c))
                else:
                    who = [a.name for a in free]
                    clauses.append(
                        f"investing the cash left in {names_text(who)} would not bring the "
                        "household closer to target"
                    )
        return "; ".join(clauses)

    def _cash_under(self) -> str:
        problem = self.problem
        if problem.options.mode == "cash-flow":
            return self._cash_flow_sells()
        over = [c for c in problem.classes if c != problem.cash_class and self._over(c)]
        if over:
            return f"more cash needs sales of {' or '.join(over)}, and no more can be made"
        return "keeping more cash would not bring the household closer to target"


__all__ = ["Explainer", "Outcome", "money", "names_text"]
