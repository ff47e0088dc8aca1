"""Band-edge with fractional shares: cents that keep each class the plan reaches in its band.

The LP aims at the exact band edges (lp.aimed_band), so its answer is the same
fraction of the household at every scale of money; rounding to cents is the one
step that meets a fixed unit, and it rounds toward the bands:

- a line in a class that starts outside its band (and that the solver's answer
  brings into it) rounds toward the class's target
  (a sale of an over-weight class and a buy of an under-weight one both round up
  to the next cent); a split fund's line does so when the classes it moves that
  start outside all want the same way; other lines round by largest remainder;
- the account's cash takes what the directed lines round by, unless the cash class
  itself starts outside its band: then the account's net spending rounds toward
  the cash target.

So each line is within a cent of the solver's amount, on the side that keeps its
class in band, at any scale: the plan at 100 times the money is 100 times the plan
to a cent per line (a fixed two-cent margin inside each edge made them 6.23
cents apart). What the cents of one line cannot see (six-decimal share counts move the
total by a fraction of a cent; a split fund serving two edges) is checked exactly
afterwards: a class the solver's answer has in band that the lines leave outside
gets a cent at a time on the first line that brings it back without taking
another class out (`keep_inside`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from rebal.core.bands import Band, band_for, status
from rebal.core.numbers import CENT, ZERO, exact, percent_of
from rebal.core.planner.exact import Moves
from rebal.core.planner.problem import Problem, exposure_after

# The solver's answer is trusted to a billionth of the household (its rows hold to a
# tenth of that): a class that close to its band is one the plan brings into it.
SOLVER_REACH = Decimal("1e-9")

# Signed money per (account, ticker): + buys, - sells, in cents.
Amounts = dict[str, dict[str, Decimal]]
# How many shares a line of (account, ticker, signed amount) trades: rounding.py's rule.
ShareCount = Callable[[str, str, Decimal], Decimal]
# A class on the edge of an `outside` band is out by nothing: any cent inward helps.
_ON_THE_EDGE = Decimal("1e-30")


def line_direction(weights: Mapping[str, Decimal], toward: Mapping[str, int], cash: str) -> int:
    """Which way a line's signed amount rounds: the way of the classes it moves that
    start outside their bands, when they agree (0: largest remainder decides)."""
    wanted = {toward[c] for c, w in weights.items() if w > 0 and c != cash and c in toward}
    return wanted.pop() if len(wanted) == 1 else 0


def round_toward(amount: Decimal, direction: int, noise: Decimal) -> Decimal:
    """`amount` to a whole cent, up (+1) or down (-1); an amount within `noise` (the
    solver's) of a whole cent is that cent, or the noise would tip a full cent at one
    scale of money and a hundredth of one at 100 times the money."""
    nearest = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(amount - nearest) <= noise:
        return nearest
    rounding = ROUND_CEILING if direction > 0 else ROUND_FLOOR
    return amount.quantize(CENT, rounding=rounding)


@dataclass(frozen=True)
class Aim:
    """What the cents aim at: the classes the solver's answer, before cents, puts in
    their bands (`inside`), and for those of them that start outside their bands and
    end within a cent per line of an edge, which way their lines round (`toward`: +1
    up for a class at its lower edge, -1 down for one at its upper edge). A class the
    answer leaves out of its band steers no rounding: a cent is better spent on one
    it brings in.
    """

    inside: frozenset[str]
    toward: Mapping[str, int]


def aim(problem: Problem, moves: Moves) -> Aim:
    unrounded = exposure_after(problem, moves)
    reach = SOLVER_REACH * problem.total
    # An `outside` edge is itself a breach: the LP aims inside it (lp.aimed_band).
    strict = problem.portfolio.bands.edges == "outside"
    near = CENT * len(moves) + reach
    inside = set()
    toward: dict[str, int] = {}
    for name in problem.classes:
        low, high = problem.band_money(name)
        value = unrounded.get(name, ZERO)
        target = problem.target_money[name]
        if strict:
            reached = low < value < high or value == target
        else:
            reached = low - reach <= value <= high + reach
        if not reached:
            continue
        inside.add(name)
        started = _status(problem, name, problem.exposure.get(name, ZERO), problem.total)
        if started == "in" or abs(value - target) <= reach:
            continue
        # The side it ends on, not the one it started on: forced sales may carry a
        # class across its target (lp.linear_program's second solve). Only a class
        # its lines' cents could take out of its band steers them.
        below = value < target
        if (value - low if below else high - value) <= near:
            toward[name] = 1 if below else -1
    return Aim(frozenset(inside), toward)


def _band(problem: Problem, name: str) -> Band:
    return band_for(problem.targets.get(name, ZERO), problem.portfolio.bands, name)


def _status(problem: Problem, name: str, value: Decimal, total: Decimal) -> str:
    return status(percent_of(value, total), _band(problem, name), problem.portfolio.bands)


def _outside_by(problem: Problem, name: str, value: Decimal, total: Decimal) -> Decimal:
    """How far (in percent) `name` is outside its band; zero when in it."""
    if _status(problem, name, value, total) == "in":
        return ZERO
    actual = percent_of(value, total) or ZERO
    band = _band(problem, name)
    return max(actual - band.high, band.low - actual, ZERO) + _ON_THE_EDGE


class _State:
    """The rounded lines' effect on each class and each account's cash, kept exact."""

    def __init__(
        self,
        problem: Problem,
        amounts: Amounts,
        shares_of: ShareCount,
    ) -> None:
        self.problem = problem
        self.amounts = amounts
        self.shares_of = shares_of
        self.exposure = dict(problem.exposure)
        self.cash = {a.name: a.cash for a in problem.accounts}
        # Each line's side: a cent never turns a buy into a sale.
        self.sign = {
            (account, ticker): Decimal(1).copy_sign(amount)
            for account, lines in amounts.items()
            for ticker, amount in lines.items()
        }
        for account, lines in amounts.items():
            for ticker, amount in lines.items():
                for name, change in self.change(account, ticker, ZERO, amount).items():
                    self.exposure[name] = self.exposure.get(name, ZERO) + change
                self.cash[account] -= amount

    def value(self, account: str, ticker: str, amount: Decimal) -> Decimal:
        """The signed value of the shares a line of `amount` trades."""
        if amount == 0:
            return ZERO
        price = _price(self.problem, ticker)
        shares = self.shares_of(account, ticker, amount)
        return shares * price if amount > 0 else -shares * price

    def change(self, account: str, ticker: str, old: Decimal, new: Decimal) -> dict[str, Decimal]:
        moved = self.value(account, ticker, new) - self.value(account, ticker, old)
        cash = self.problem.cash_class
        change = {c: moved * w for c, w in self.problem.weights[ticker].items()}
        change[cash] = change.get(cash, ZERO) - (new - old)
        return change

    def total(self) -> Decimal:
        return sum(self.exposure.values(), ZERO)


# The smallest share count a line trades in (rounding.SHARE_PLACES).
SHARE_UNIT = Decimal("0.000001")
# One step on one line: (account, ticker, signed change of its amount).
Move = tuple[str, str, Decimal]
# A set of steps must bring a class at least this much money closer to its band
# (less is the shares' rounding moving the total, not a step toward the band).
STEP = CENT / 10
# keep_inside tries at most this many sets of steps: a count, not a clock, so the
# same input gives the same plan on any machine.
MAX_TRIALS = 20_000


@exact
def keep_inside(
    problem: Problem,
    amounts: Amounts,
    fixed: Mapping[str, frozenset[str]],
    shares_of: ShareCount,
    inside: frozenset[str],
) -> None:
    """Move lines a step at a time (in place) until every class in `inside` is in its band.

    A step is a cent, or the value of a millionth of a share where that is more.
    Only lines already in the plan move, never across zero and never a position sold
    whole (`fixed`), each account's cash staying at or above zero. A step is taken on
    one line, or on two lines of one account (one pays for the other); when that takes
    another class of `inside` out, a second such step must bring it back. Stops when
    no step helps, or after MAX_TRIALS tries.
    """
    search = _Search(problem, _State(problem, amounts, shares_of), fixed, inside)
    for _ in range(4 * len(search.order) + 4):
        out = search.first_out()
        if out is None or not search.nudge(out):
            return


class _Search:
    def __init__(
        self,
        problem: Problem,
        state: _State,
        fixed: Mapping[str, frozenset[str]],
        inside: frozenset[str],
    ) -> None:
        self.problem = problem
        self.state = state
        self.inside = sorted(inside)
        self.trials = 0
        self.order = [
            (account.name, ticker)
            for account in problem.accounts
            for ticker in sorted(state.amounts.get(account.name, {}))
            if ticker not in fixed.get(account.name, frozenset())
        ]

    def _out_by(self, exposure: Mapping[str, Decimal], total: Decimal) -> dict[str, Decimal]:
        """How far each class of `inside` is outside its band, in money (none: in band)."""
        result = {}
        for name in self.inside:
            by = _outside_by(self.problem, name, exposure.get(name, ZERO), total)
            if by > 0:
                result[name] = by * total / 100
        return result

    def _closer(
        self, was_out: Mapping[str, Decimal], out: Mapping[str, Decimal], name: str
    ) -> bool:
        by = out.get(name, ZERO)
        return by == 0 or by <= was_out[name] - STEP

    def _better(
        self, was_out: Mapping[str, Decimal], out: Mapping[str, Decimal], name: str
    ) -> bool:
        """`out` brings `name` a real step (a tenth of a cent: not just the shares'
        rounding) closer to its band and takes no class out; the others out go no
        further out, or fewer of them are out (a step that brings two classes in can
        move a third, on its edge too, by a fraction of a cent: six-decimal share
        counts move the total). Either way no class goes out, so the search ends."""
        if not self._closer(was_out, out, name):
            return False
        if any(c not in was_out for c in out):
            return False
        if all(by <= was_out[c] for c, by in out.items() if c != name):
            return True
        return len(out) < len(was_out)

    def first_out(self) -> str | None:
        out = self._out_by(self.state.exposure, self.state.total())
        return next(iter(out), None)

    def _step(self, name: str, exposure: Mapping[str, Decimal], total: Decimal) -> Decimal:
        over = _status(self.problem, name, exposure.get(name, ZERO), total) == "over"
        # A cent more of a buy lowers cash and raises the class bought.
        if name == self.problem.cash_class:
            return CENT if over else -CENT
        return -CENT if over else CENT

    def _candidates(self, name: str, step: Decimal) -> list[list[Move]]:
        """One step (`step`'s sign) on a line that moves `name`, alone or paid for by
        another line of its account. A step is a cent, or the value of a millionth of
        a share where that is more (the share counts have six decimals)."""
        problem = self.problem
        result: list[list[Move]] = []
        for account, ticker in self.order:
            if name != problem.cash_class and not problem.weights[ticker].get(name):
                continue
            unit = _price(problem, ticker) * SHARE_UNIT
            size = max(CENT, unit.quantize(CENT, rounding=ROUND_CEILING)).copy_sign(step)
            result.append([(account, ticker, size)])
            result.extend(
                [(account, ticker, size), (account, other, -size)]
                for other_account, other in self.order
                if other_account == account and other != ticker
            )
        return result

    def _apply(self, moves: list[Move]) -> tuple[dict[str, Decimal], Decimal] | None:
        """The class money and total after `moves`, or None if they are not allowed."""
        problem, state = self.problem, self.state
        self.trials += 1
        new: dict[tuple[str, str], Decimal] = {}
        cash: dict[str, Decimal] = {}
        for account, ticker, delta in moves:
            key = (account, ticker)
            new[key] = new.get(key, state.amounts[account][ticker]) + delta
            cash[account] = cash.get(account, state.cash[account]) - delta
        if any(c < 0 for c in cash.values()):
            return None
        change: dict[str, Decimal] = {}
        for (account, ticker), amount in new.items():
            if amount * state.sign[(account, ticker)] < 0:
                return None  # a buy never becomes a sale, nor a sale a buy
            if amount < 0 and -amount > problem.held_shares(account, ticker) * _price(
                problem, ticker
            ):
                return None
            old = state.amounts[account][ticker]
            for c, v in state.change(account, ticker, old, amount).items():
                change[c] = change.get(c, ZERO) + v
        exposure = {c: state.exposure.get(c, ZERO) + change.get(c, ZERO) for c in problem.classes}
        return exposure, state.total() + sum(change.values(), ZERO)

    def nudge(self, name: str) -> bool:
        """Take the first set of cents (in account, ticker order) that brings `name`
        closer to its band and takes no other class out."""
        state = self.state
        total = state.total()
        was_out = self._out_by(state.exposure, total)
        step = self._step(name, state.exposure, total)
        for first in self._candidates(name, step):
            if self.trials >= MAX_TRIALS:
                return False
            after = self._apply(first)
            if after is None:
                continue
            out = self._out_by(*after)
            if self._better(was_out, out, name):
                return self._take(first)
            broken = [c for c in out if c not in was_out]
            if len(broken) != 1 or not self._closer(was_out, out, name):
                continue
            # One class taken out: a second cent must bring it back.
            second_step = self._step(broken[0], *after)
            for second in self._candidates(broken[0], second_step):
                if self.trials >= MAX_TRIALS:
                    return False
                both = self._apply(first + second)
                if both is not None and self._better(was_out, self._out_by(*both), name):
                    return self._take(first + second)
        return False

    def _take(self, moves: list[Move]) -> bool:
        after = self._apply(moves)
        assert after is not None  # just tried
        state = self.state
        for account, ticker, delta in moves:
            state.amounts[account][ticker] += delta
            state.cash[account] -= delta
        state.exposure.update(after[0])
        return True


def _price(problem: Problem, ticker: str) -> Decimal:
    return problem.portfolio.securities[ticker].price


__all__ = [
    "SOLVER_REACH",
    "Aim",
    "ShareCount",
    "aim",
    "keep_inside",
    "line_direction",
    "round_toward",
]
