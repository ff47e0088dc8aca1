"""Modified Dietz against hand-computed figures (tax-and-returns.md section 1), and seed 002."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.numbers import display_percent, exact_context
from rebal.core.returns import (
    DatedAmount,
    describe_period,
    last_completed_period,
    modified_dietz,
    period_return,
    weighted_return,
)
from rebal.model import Flow, HistorySnapshot

D = Decimal
START, END = dt.date(2025, 1, 1), dt.date(2026, 1, 1)  # 365 days


def fraction_percent(numerator: Fraction, denominator: Fraction) -> Fraction:
    return numerator * 100 / denominator


def close(value: Decimal | None, expected: Fraction) -> bool:
    assert value is not None
    return abs(Fraction(value) - expected) < Fraction(1, 10**40)


def test_the_worked_household_example_is_11_11_percent() -> None:
    # +10,000 on 2025-07-02 (183 of 365 days left), -4,000 on 2025-10-01 (92 left).
    flows = [
        DatedAmount(dt.date(2025, 7, 2), D(10000)),
        DatedAmount(dt.date(2025, 10, 1), D(-4000)),
    ]
    result = modified_dietz(START, END, D(50000), D(62000), flows)
    assert result is not None
    assert result.gain == 6000
    assert result.net_flows == 6000
    expected_capital = Fraction(50000) + Fraction(10000 * 183, 365) - Fraction(4000 * 92, 365)
    assert close(result.average_capital, expected_capital)
    assert display_percent(result.average_capital, 2) == "54005.48"
    assert close(result.rate, fraction_percent(Fraction(6000), expected_capital))
    assert display_percent(result.rate, 2) == "11.11"
    assert not result.unreliable


def test_a_contribution_early_in_the_period_weighs_more_than_one_late() -> None:
    # $100,000 grows to $130,000 with $20,000 contributed to the 401(k).
    early = modified_dietz(
        START, END, D(100000), D(130000), [DatedAmount(dt.date(2025, 1, 31), D(20000))]
    )
    late = modified_dietz(
        START, END, D(100000), D(130000), [DatedAmount(dt.date(2025, 12, 2), D(20000))]
    )
    assert early is not None
    assert late is not None
    # By hand: 10,000 / (100,000 + 20,000 * 335/365) and 10,000 / (100,000 + 20,000 * 30/365).
    assert close(early.rate, fraction_percent(Fraction(10000), 100000 + Fraction(20000 * 335, 365)))
    assert close(late.rate, fraction_percent(Fraction(10000), 100000 + Fraction(20000 * 30, 365)))
    assert display_percent(early.rate, 2) == "8.45"
    assert display_percent(late.rate, 2) == "9.84"


def test_a_withdrawal_counts_as_capital_only_while_it_was_there() -> None:
    # $80,000 -> $78,000 after taking out $6,000 on 2025-04-01 (275 of 365 days left).
    result = modified_dietz(
        START, END, D(80000), D(78000), [DatedAmount(dt.date(2025, 4, 1), D(-6000))]
    )
    assert result is not None
    assert result.gain == 4000
    assert close(result.rate, fraction_percent(Fraction(4000), 80000 - Fraction(6000 * 275, 365)))
    assert display_percent(result.rate, 2) == "5.30"


def test_flows_on_the_first_and_last_day_weigh_one_and_zero() -> None:
    first = modified_dietz(START, END, D(1000), D(2100), [DatedAmount(START, D(1000))])
    last = modified_dietz(START, END, D(1000), D(2100), [DatedAmount(END, D(1000))])
    assert first is not None
    assert last is not None
    assert first.average_capital == 2000
    assert first.rate == 5
    assert last.average_capital == 1000
    assert last.rate == 10


def test_withdrawals_beyond_average_capital_give_no_rate() -> None:
    # The reference's edge case: BV 10,000, -19,000 on day 5, EV 1,100.
    result = modified_dietz(
        START, END, D(10000), D(1100), [DatedAmount(dt.date(2025, 1, 6), D(-19000))]
    )
    assert result is not None
    assert result.gain == 10100
    assert display_percent(result.average_capital, 2) == "-8739.73"
    assert result.rate is None


def test_a_period_of_no_days_has_no_return() -> None:
    assert modified_dietz(START, START, D(1), D(2), []) is None
    assert period_return(START, START, {"A": D(1)}, {"A": D(2)}) is None


def test_class_returns_with_class_flows_add_up_to_the_household() -> None:
    # The reference's table: the contribution buys stocks, the withdrawal comes from cash.
    before = {"Stocks": D(35000), "Bonds": D(10000), "Cash": D(5000)}
    after = {"Stocks": D(50150), "Bonds": D(10750), "Cash": D(1100)}
    contribution = DatedAmount(dt.date(2025, 7, 2), D(10000))
    withdrawal = DatedAmount(dt.date(2025, 10, 1), D(-4000))
    result = period_return(
        START,
        END,
        before,
        after,
        [contribution, withdrawal],
        {"Stocks": [contribution], "Cash": [withdrawal]},
    )
    assert result is not None
    assert result.attributed
    by_class = {row.asset_class: row.money_weighted for row in result.per_class}
    assert display_percent(by_class["Stocks"], 3) == "12.871"
    assert display_percent(by_class["Bonds"], 3) == "7.500"
    assert display_percent(by_class["Cash"], 3) == "2.505"
    assert display_percent(result.household.rate, 3) == "11.110"
    # The plain change in value counts the $6,000 of new money as gain.
    assert result.change_in_value == D(24)


def test_account_flows_alone_leave_class_returns_unattributed() -> None:
    result = period_return(
        START,
        END,
        {"Stocks": D(100000)},
        {"Stocks": D(130000)},
        [DatedAmount(dt.date(2025, 7, 2), D(20000))],
    )
    assert result is not None
    assert not result.attributed
    assert result.per_class[0].money_weighted is None
    assert result.per_class[0].change == 30
    assert result.household.rate is not None
    assert result.household.rate < 30


def test_with_no_flows_the_money_weighted_return_is_seed_002s_weighted_average() -> None:
    before = {"Stocks": D(35000), "Bonds": D(10000), "Cash": D(5000)}
    for after, golden in (
        ({"Stocks": D(38500), "Bonds": D(10750), "Cash": D(5275)}, "9.1"),
        ({"Stocks": D(42000), "Bonds": D(10500), "Cash": D(5250)}, "15.5"),
    ):
        result = period_return(dt.date(2025, 11, 20), dt.date(2026, 11, 20), before, after)
        seed = weighted_return(dt.date(2025, 11, 20), before, after)
        assert result is not None
        assert seed is not None
        assert result.household.rate == seed.weighted  # exactly
        assert display_percent(result.household.rate, 1) == golden
        assert result.attributed
        for row, seed_row in zip(result.per_class, seed.per_class, strict=True):
            assert row.money_weighted == seed_row.change


money = st.decimals(min_value=D("0.01"), max_value=D(10**8), places=2)


@settings(max_examples=60, deadline=None)
@given(
    st.tuples(money, money, money, money),
    st.lists(st.tuples(st.integers(0, 365), st.sampled_from(["A", "B"]), money), max_size=4),
)
def test_class_numerators_and_denominators_add_up_to_the_household(
    values: tuple[Decimal, Decimal, Decimal, Decimal],
    raw_flows: list[tuple[int, str, Decimal]],
) -> None:
    before, after = {"A": values[0], "B": values[1]}, {"A": values[2], "B": values[3]}
    flows = {
        name: [
            DatedAmount(START + dt.timedelta(days=day), amount)
            for day, c, amount in raw_flows
            if c == name
        ]
        for name in ("A", "B")
    }
    everything = flows["A"] + flows["B"]
    result = period_return(START, END, before, after, everything, flows)
    assert result is not None
    parts = [modified_dietz(START, END, before[c], after[c], flows[c]) for c in ("A", "B")]
    assert all(p is not None for p in parts)
    with localcontext(exact_context()):
        gain = sum((p.gain for p in parts if p), D(0))
        capital = sum((p.average_capital for p in parts if p), D(0))
    assert gain == result.household.gain
    assert abs(capital - result.household.average_capital) <= D("1e-40") * (capital + 1)


def snapshot(date: dt.date, classes: dict[str, Decimal], flows: list[Flow] = ()) -> HistorySnapshot:  # type: ignore[assignment]
    return HistorySnapshot(
        date=date, total=sum(classes.values(), D(0)), classes=classes, flows=list(flows)
    )


def test_the_last_completed_period_survives_a_new_snapshot() -> None:
    contribution = Flow(date=dt.date(2026, 3, 1), account="401(k)", amount=D(20000))
    history = [
        snapshot(dt.date(2025, 11, 20), {"Stocks": D(100000)}),
        snapshot(dt.date(2026, 11, 20), {"Stocks": D(133000)}, [contribution]),
    ]
    result = last_completed_period(history, dt.date(2026, 11, 20))
    assert result is not None
    assert (result.start, result.end) == (dt.date(2025, 11, 20), dt.date(2026, 11, 20))
    # 13,000 of gain over 100,000 + 20,000 * 264/365 of average capital.
    assert close(
        result.household.rate,
        fraction_percent(Fraction(13000), 100000 + Fraction(20000 * 264, 365)),
    )
    assert result.change_in_value == 33
    assert describe_period(result.start, result.end) == "the year to 2026-11-20"
    assert last_completed_period(history[:1], dt.date(2026, 11, 20)) is None
    # A snapshot dated after the prices is not yet a completed period.
    assert last_completed_period(history, dt.date(2026, 1, 1)) is None


def test_describe_period_in_days() -> None:
    assert describe_period(dt.date(2026, 1, 1), dt.date(2026, 2, 15)) == "the 45 days to 2026-02-15"
