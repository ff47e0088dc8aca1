"""The tax sections' words and figures (rebal.present.tax), which the CLI and the app share,
on hand-made lots: the figures are worked by hand in each test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rebal.core.tax.gains import Gains
from rebal.core.tax.harvest import Harvest
from rebal.core.tax.lots import Rates, SoldLot
from rebal.core.tax.summary import PlanTax, TradeTax
from rebal.present.tax import (
    harvest_table,
    harvest_why,
    lot_cells,
    lots_table,
    realized_line,
    sold_lots_lines,
    trade_gain,
    trade_tax,
)

D = Decimal
DATE = dt.date(2026, 11, 20)
RATES = Rates.from_percent(D(35), D("18.8"))
LONG = SoldLot(dt.date(2019, 3, 4), D(10), D("2901.20"), D("1450.00"), "long", "lot", 0)
ASSUMED = SoldLot(None, D(5), D("324.00"), D("310.00"), "short", "cost_basis", -1)
UNKNOWN = SoldLot(None, D(2), D("129.60"), None, None, "unknown", -1)


def summary(trades: tuple[TradeTax, ...], harvest: tuple[Harvest, ...] = ()) -> PlanTax:
    gains = sum((t.gains for t in trades), Gains())
    return PlanTax(DATE, RATES, trades, gains, D("274.00"), (), harvest, False, ())


def test_a_lot_reads_its_date_cost_gain_and_term_or_says_what_is_unknown() -> None:
    assert lot_cells(LONG) == ("2019-03-04", "10", "1,450.00", "2,901.20", "1,451.20", "long")
    assert lot_cells(ASSUMED) == (
        "date unknown", "5", "310.00", "324.00", "14.00", "short (assumed)"
    )
    assert lot_cells(UNKNOWN) == ("date unknown", "2", "unknown", "129.60", "unknown", "—")


def test_a_sale_s_total_and_its_lots_as_the_app_s_line_says_them() -> None:
    # 1,451.20 long at 18.8% = 272.8256, 14.00 short at 35% = 4.90: 277.73 alone.
    sale = TradeTax("Joint", "VTI", "sell", True, (LONG, ASSUMED),
                    Gains(short=D("14.00"), long=D("1451.20")), D("277.73"))
    assert (trade_gain(sale), trade_tax(sale)) == ("1,465.20", "277.73")
    assert sold_lots_lines(sale) == [
        "Lot 2019-03-04: Shares 10, Cost 1,450.00, Proceeds 2,901.20, Gain 1,451.20, Term long",
        "Lot date unknown: Shares 5, Cost 310.00, Proceeds 324.00, Gain 14.00, "
        "Term short (assumed)",
    ]
    ira = TradeTax("IRA", "VTI", "sell", False, tax=D(0))
    assert (trade_gain(ira), trade_tax(ira)) == ("—", "0.00")
    unknown = TradeTax("Joint", "VXUS", "sell", True, (UNKNOWN,),
                       Gains(unknown_basis=D("129.60")), None)
    assert trade_tax(unknown) == "unknown"
    table = lots_table(summary((sale, ira, unknown)))
    assert table is not None
    assert table.title == "Lots sold in taxable accounts (as of 2026-11-20)"
    # Two lots and a total for the VTI sale, one and a total for VXUS; the IRA sale
    # has no capital-gains tax and no row.
    assert [row[2] for row in table.rows] == [
        "2019-03-04", "date unknown", "trade total", "date unknown", "trade total"
    ]
    assert table.totals == {2, 4}
    assert table.rows[2][-1] == "tax 277.73"
    line = realized_line(summary((sale, unknown)))
    assert line == (
        "Realized: short-term 14.00, long-term 1,451.20; estimated tax 274.00 "
        "(at 35.00% / 18.80%); 129.60 sold with unknown basis (tax unknown)"
    )


def test_a_harvest_names_its_replacement_and_why_it_is_or_is_not_suggested() -> None:
    swap = Harvest("Joint", "SCHZ", dt.date(2021, 8, 2), D(1300), D("32500.00"),
                   D("30030.00"), D("2470.00"), "long", "BND", D("414.779006"), D("-464.36"), "")
    blocked = Harvest("Joint", "VTI", dt.date(2026, 10, 15), D(200), D("59000.00"),
                      D("58024.00"), D("976.00"), "short", None, D(0), None,
                      "Joint may buy no fund of the same class outside VTI's wash group")
    assert harvest_why(swap, harvested=False) == (
        "optional: add --harvest to trade it; the class mix is unchanged"
    )
    assert harvest_why(swap, harvested=True) == "in this plan (--harvest)"
    table = harvest_table(summary((), (swap, blocked)))
    assert table is not None
    assert table.rows[0][3:6] == ("1300", "2,470.00", "414.779006 BND")
    assert table.rows[1][5:] == (
        "—", "not suggested: Joint may buy no fund of the same class outside VTI's wash group"
    )
