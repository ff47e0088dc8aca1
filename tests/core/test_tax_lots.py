"""Holding periods, lot selection and the tax estimate, on figures worked by hand.

The lot table is docs/tax-and-returns.md section 3: VTI at $250 on 2026-03-05,
sell 80 shares, short-term rate 24%, long-term 15%.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.core.numbers import cents
from rebal.core.tax.gains import Gains, estimated_tax, linear_tax, realized
from rebal.core.tax.lots import HeldLot, Rates, anniversary, held_lots, select_lots, term_on
from rebal.model import Account

D = Decimal
SALE = dt.date(2026, 3, 5)
RATES = Rates(D("0.24"), D("0.15"))
A = HeldLot(dt.date(2023, 1, 10), D(100), D(18000), "lot")  # LT, +70/share
B = HeldLot(dt.date(2025, 12, 10), D(40), D(10800), "lot")  # ST, -20/share
C = HeldLot(dt.date(2024, 12, 2), D(60), D(14400), "lot")  # LT, +10/share
LOT_D = HeldLot(dt.date(2025, 9, 15), D(30), D(7440), "lot")  # ST, +2/share
LOTS = [A, B, C, LOT_D]


def picked(sold) -> list[tuple[dt.date | None, Decimal]]:
    return [(lot.acquired, lot.shares) for lot in sold]


@pytest.mark.parametrize(
    ("bought", "sold", "term"),
    [
        (dt.date(2025, 3, 4), dt.date(2026, 3, 4), "short"),  # exactly one year
        (dt.date(2025, 3, 4), dt.date(2026, 3, 5), "long"),
        (dt.date(2023, 3, 4), dt.date(2024, 3, 4), "short"),  # 366 days, still one year
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), "short"),
        (dt.date(2024, 2, 29), dt.date(2025, 3, 1), "long"),
        (dt.date(2023, 2, 28), dt.date(2024, 2, 29), "short"),  # month end: Feb 29 next year
        (dt.date(2023, 2, 28), dt.date(2024, 3, 1), "long"),
        (dt.date(2025, 2, 27), dt.date(2026, 2, 28), "long"),  # not a month end
    ],
)
def test_long_term_means_sold_after_the_first_anniversary(bought, sold, term) -> None:
    assert term_on(bought, sold) == term


def test_an_unknown_date_is_assumed_short_term() -> None:
    assert term_on(None, SALE) == "short"
    assert anniversary(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_with_rates_the_cheapest_tax_per_share_goes_first_hifo_row() -> None:
    # B loses 4.80/share, D costs 0.48, C 1.50, A 10.50: a tiny short-term gain
    # before a larger long-term one.
    sold = select_lots(LOTS, D(80), D(20000), SALE, RATES)

    assert picked(sold) == [(B.acquired, D(40)), (LOT_D.acquired, D(30)), (C.acquired, D(10))]
    gains = realized(sold)
    assert (gains.short, gains.long) == (D("-740.00"), D("100.00"))
    assert estimated_tax(gains, RATES) == D("-153.60")
    assert linear_tax(gains, RATES) == D("-162.60")  # -740 x 24% + 100 x 15%, before netting


def test_without_rates_losses_then_long_term_by_highest_basis_then_short_term() -> None:
    sold = select_lots(LOTS, D(80), D(20000), SALE, None)

    assert picked(sold) == [(B.acquired, D(40)), (C.acquired, D(40))]
    gains = realized(sold)
    assert (gains.short, gains.long) == (D("-800.00"), D("400.00"))
    # The doc's MinTax row: net -400, a loss at the short-term rate.
    assert estimated_tax(gains, RATES) == D("-96.00")


def test_a_sale_spanning_lots_splits_proceeds_to_the_cent() -> None:
    lots = [
        HeldLot(dt.date(2019, 3, 4), D(400), D("58000.00"), "lot"),
        HeldLot(dt.date(2026, 10, 15), D(200), D("59000.00"), "lot"),
    ]
    # 250 shares at 290.12 = 72,530.00: the October lot (a loss) goes first, then 50 old shares.
    sold = select_lots(
        lots, D(250), D("72530.00"), dt.date(2026, 11, 20), Rates(D("0.35"), D("0.188"))
    )

    assert picked(sold) == [(dt.date(2026, 10, 15), D(200)), (dt.date(2019, 3, 4), D(50))]
    assert [lot.proceeds for lot in sold] == [D("58024.00"), D("14506.00")]
    assert [lot.cost for lot in sold] == [D("59000.00"), D("7250.00")]
    assert [lot.gain for lot in sold] == [D("-976.00"), D("7256.00")]
    assert [lot.term for lot in sold] == ["short", "long"]
    gains = realized(sold)
    # S -976 < 0 <= L 7,256: net 6,280 long-term at 18.8% = 1,180.64.
    assert estimated_tax(gains, Rates(D("0.35"), D("0.188"))) == D("1180.64")


def test_unknown_basis_is_sold_last_and_has_no_tax() -> None:
    known = HeldLot(dt.date(2020, 1, 2), D(10), D(3000), "lot")
    unknown = HeldLot(None, D(5), None, "unknown")
    sold = select_lots([unknown, known], D(12), D(3600), SALE, RATES)

    assert [(lot.basis, lot.shares) for lot in sold] == [("lot", D(10)), ("unknown", D(2))]
    assert sold[1].gain is None
    assert sold[1].term is None
    gains = realized(sold)
    assert gains == Gains(short=D(0), long=D("0.00"), unknown_basis=D("600.00"))


def test_a_cost_basis_is_one_undated_lot_and_missing_basis_is_unknown() -> None:
    account = Account(
        name="Brokerage",
        kind="taxable",
        holdings={"BND": D(100), "VXUS": D(3)},
        cost_basis={"BND": D("7000.00")},
    )

    assert held_lots(account, "BND") == [HeldLot(None, D(100), D("7000.00"), "cost_basis")]
    assert held_lots(account, "VXUS") == [HeldLot(None, D(3), None, "unknown")]
    sold = select_lots(held_lots(account, "BND"), D(10), D("724.00"), SALE, RATES)
    assert (sold[0].gain, sold[0].term) == (D("24.00"), "short")  # assumed short-term


@pytest.mark.parametrize(
    ("short", "long", "tax"),
    [
        ("0", "5600", "840.00"),  # the doc's FIFO row
        ("1000", "-300", "168.00"),  # net 700, short-term character: 700 x 24%
        ("-300", "1000", "105.00"),  # net 700, long-term: 700 x 15%
        ("-5000", "0", "-720.00"),  # the $3,000 a year against ordinary income
        ("-2000", "-2000", "-720.00"),
        ("0", "0", "0.00"),
    ],
)
def test_netting_and_the_loss_limit(short: str, long: str, tax: str) -> None:
    assert estimated_tax(Gains(D(short), D(long)), RATES) == D(tax)


lot_strategy = st.builds(
    HeldLot,
    st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2026, 11, 20))),
    st.integers(1, 10_000).map(lambda n: D(n) / 100),
    st.one_of(st.none(), st.integers(0, 10_000_000).map(lambda n: D(n) / 100)),
    st.just("lot"),
)


@settings(max_examples=150, deadline=None)
@given(
    lots=st.lists(lot_strategy, min_size=1, max_size=6),
    fraction=st.integers(1, 100),
    price=st.integers(1, 100_000).map(lambda n: D(n) / 100),
    with_rates=st.booleans(),
)
def test_lots_selected_always_sum_to_the_shares_and_the_amount(lots, fraction, price, with_rates):
    held = sum((lot.shares for lot in lots), D(0))
    shares = (held * fraction / 100).quantize(D("0.000001"))
    if shares <= 0:
        return
    amount = (shares * price).quantize(D("0.01"))
    sold = select_lots(lots, shares, amount, dt.date(2026, 11, 20), RATES if with_rates else None)

    assert sum((lot.shares for lot in sold), D(0)) == shares
    assert sum((lot.proceeds for lot in sold), D(0)) == amount
    # Known basis always before unknown basis.
    kinds = [lot.cost is None for lot in sold]
    assert kinds == sorted(kinds)


@settings(max_examples=200, deadline=None)
@given(
    short=st.integers(-(10**8), 10**8).map(lambda n: D(n) / 100),
    long=st.integers(-(10**8), 10**8).map(lambda n: D(n) / 100),
)
def test_the_estimate_follows_the_documented_netting(short: Decimal, long: Decimal) -> None:
    gains = Gains(short, long)
    tax = estimated_tax(gains, RATES)
    if short >= 0 and long >= 0:
        assert tax == linear_tax(gains, RATES)
    if short + long >= 0:
        assert tax >= 0  # never a negative tax for a net gain
        assert tax <= linear_tax(Gains(max(short, D(0)), max(long, D(0))), RATES)
    else:
        assert tax == cents(-min(-(short + long), D(3000)) * RATES.short)
