"""Step 4's view (rebal.tui.view.plan), pure: the figures and words each pane shows, on
the sample households, for every state of the plan (planning, ready, failed, saved,
a new plan over a saved one) and the placing order of the trades."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.store.load import load
from rebal.tui import session as ss
from rebal.tui.view.plan import (
    Line,
    TaxLine,
    options_form,
    step_four_view,
    trade_detail,
)

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
CASH_FLOW = PlanOptions(
    mode="cash-flow", new_money={"Joint Brokerage": Decimal(20000)}, whole_shares=True,
    min_trade=Decimal(500),
)


def text(line: Line) -> str:
    return "".join(piece for piece, _ in line)


def texts(lines: tuple[Line, ...]) -> list[str]:
    return [text(line) for line in lines]


def planned(session: ss.Session) -> ss.Session:
    started = ss.plan_started(session)
    return ss.plan_finished(started, make_plan(started.loaded.portfolio,
                                               ss.plan_options_for(started)))


def household(options: PlanOptions | None = None) -> ss.Session:
    session = ss.open_session(load(SAMPLES / "household.toml"))
    return session if options is None else ss.set_options(session, options)


def test_before_a_plan_step_4_says_it_is_planning_and_lists_the_options() -> None:
    view = step_four_view(household())
    assert texts(view.status.lines) == [
        "Planning… (keys keep working; the result appears here)"
    ]
    assert view.status.planning
    assert view.options_summary.text == (
        "full · new money: none · fractional shares · min trade $0.00 "
        "· no sells in: Joint Brokerage"
    )
    assert view.summary is None
    assert view.trades.trades == ()
    assert not view.saved.shown


def test_the_full_plan_of_the_sample_household_in_figures() -> None:
    view = step_four_view(planned(household()))
    assert texts(view.status.lines) == [
        "Plan ready: ctrl+s saves it · x exports CSV · tab: classes after"
    ]
    assert not view.status.planning
    assert view.summary is not None
    assert texts(view.summary.lines) == [
        "Cash left in accounts: Jordan 401(k) $3,255.80",
        "Every class reaches its target (or band) with these trades.",
        "New money to get back in band without selling: $125,833.19 ($70,168.73 to Jordan "
        "Traditional IRA, $55,664.46 to Jordan 401(k)) — $125,833.19 of new money, with no "
        "sells, puts every class in its band",
    ]
    assert [(r.asset_class, r.target, r.before, r.after, r.status)
            for r in view.summary.classes] == [
        ("US Stocks", "55.00%", "66.90%", "55.00%", "in"),
        ("US Small Stocks", "7.00%", "6.80%", "7.00%", "in"),
        ("International Stocks", "15.00%", "8.38%", "15.00%", "in"),
        ("Bonds", "19.00%", "14.13%", "19.00%", "in"),
        ("Cash", "4.00%", "3.79%", "4.00%", "in"),
    ]
    # In placing order (accounts in file order, sells first), the account on its first row.
    assert view.trades.base == (
        ("Jordan 401(k)", "SELL", "FXAIX", "34.655432", "$7,464.78"),
        ("", "buy", "FXNAX", "400.093156", "$4,208.98"),
        ("Jordan Traditional IRA", "SELL", "VTI", "300", "$87,036.00"),
        ("", "buy", "BND", "475.601658", "$34,433.56"),
        ("", "buy", "VB", "5.285162", "$1,296.45"),
        ("", "buy", "VXUS", "811.060803", "$52,556.74"),
        ("Sam Roth IRA", "buy", "VB", "1.264574", "$310.20"),
    )
    assert view.trades.reasons[0] == (
        "US Stocks is $94,500.78 over target; Joint Brokerage avoids selling"
    )
    assert view.trades.base_widths == (22, 6, 6, 10, 10)
    assert view.trades.taxes == ()  # no tax keys: no gain or tax columns
    assert not view.tax.shown
    assert texts(trade_detail(view.plan, view.trades.trades[0])) == [
        "Why sell FXAIX in Jordan 401(k): "
        "US Stocks is $94,500.78 over target; Joint Brokerage avoids selling"
    ]


def test_skips_cash_left_and_drift_left_are_said_in_rebal_plan_s_words() -> None:
    view = step_four_view(planned(household(CASH_FLOW)))
    assert view.summary is not None
    lines = texts(view.summary.lines)
    assert lines[:2] == [
        "Skipped (not traded)",
        "  Sam Roth IRA: buy 4 BND ($289.60) — under the minimum trade of $500.00: "
        "left as it is",
    ]
    assert ("Cash left in accounts: Jordan Traditional IRA $19.55, Sam Roth IRA $310.20, "
            "Joint Brokerage $41.60") in lines
    start = lines.index("Drift the plan cannot remove")
    assert lines[start + 1] == (
        "  US Stocks: $83,500.78 — cash-flow mode sells only to raise cash for a withdrawal"
    )
    assert lines[-1] == ("· new money added to cash before planning: $20,000.00 to Joint "
                         "Brokerage; 'before' includes it")
    assert view.options_summary.text == (
        "cash-flow · new money: Joint Brokerage $20,000.00 · whole shares "
        "· min trade $500.00 · no sells in: Joint Brokerage"
    )


def test_the_saved_plan_with_its_statuses_and_progress(reopened: ss.Session) -> None:
    view = step_four_view(reopened)
    saved_on = ss.plan_date(reopened.saved_plan)  # type: ignore[arg-type]
    assert view.saved_first
    assert texts(view.status.lines) == [
        f"Saved plan of {saved_on}: 2 trades, 1 placed",
        "m marks the highlighted trade placed, then done · r: new plan",
    ]
    assert view.saved.title == "Trades of the saved plan"
    assert [(r.number, r.account, r.trade, r.amount, r.status, r.progress)
            for r in view.saved.rows] == [
        ("1", "Jordan Traditional IRA", "buy 19 VXUS", "$1,231.20", "planned", "not started"),
        ("2", "Joint Brokerage", "buy 308 VXUS", "$19,958.40", "placed", "not started"),
    ]
    assert text(view.saved.rows[1].reason) == (
        "#2 buy VXUS in Joint Brokerage: International Stocks is $55,556.74 under target"
    )


def test_a_new_plan_over_the_saved_one_reads_unsaved(reopened: ss.Session) -> None:
    saved_on = ss.plan_date(reopened.saved_plan)  # type: ignore[arg-type]
    full = ss.set_options(reopened, replace(reopened.options, mode="full"))
    waiting = step_four_view(full)
    assert waiting.options_summary.pending  # over the saved plan: options for the next one
    assert texts(waiting.status.lines)[-1] == (
        "Changed since it was saved: mode cash-flow → full. r makes a new plan with them; "
        "this one stays until you save that."
    )
    asked = ss.plan_started(ss.new_plan_wanted(full))
    assert texts(step_four_view(asked).status.lines)[-1] == (
        "Making a new plan… the saved plan stays until it is ready."
    )
    failed = step_four_view(ss.plan_failed(asked, "the solver gave up"))
    assert texts(failed.status.lines)[-1] == (
        "No new plan: the solver gave up. The saved plan stays."
    )
    new = step_four_view(planned(asked))
    assert not new.saved_first
    assert texts(new.status.lines) == [
        f"New plan (unsaved): ctrl+s saves it in place of the saved plan of {saved_on} "
        "· s: back to the saved plan"
    ]
    assert new.saved.title == (f"Plan saved {saved_on}, until you save the new one "
                               "(s goes back to it; m marks placed/done)")


def test_a_failed_plan_says_why() -> None:
    failed = ss.plan_failed(ss.plan_started(household()), "no account can sell")
    view = step_four_view(failed)
    assert texts(view.status.lines) == ["No plan: no account can sell"]
    assert not view.status.planning


def test_a_taxable_sale_s_gain_tax_and_lots() -> None:
    view = step_four_view(planned(ss.open_session(load(SAMPLES / "taxable.toml"))))
    sale = next(i for i, t in enumerate(view.trades.trades)
                if (t.account, t.ticker) == ("Joint Brokerage", "VTI"))
    assert view.trades.taxes[sale] == ("-353.94", "-123.88")
    assert texts(trade_detail(view.plan, view.trades.trades[sale])) == [
        "Why sell VTI in Joint Brokerage: US Stocks is $28,734.51 over target",
        "Trade total -353.94, tax -123.88",
        "Lot 2026-10-15: Shares 72.527920, Cost 21,395.74, Proceeds 21,041.80, "
        "Gain -353.94, Term short",
    ]
    first: list[TaxLine] = list(view.tax.lines[:3])
    assert [(indent, text(line)) for indent, line in first] == [
        (0, "Lots sold in taxable accounts (as of 2026-11-20)"),
        (2, "Joint Brokerage · VTI: trade total -353.94, tax -123.88"),
        (4, "Lot 2026-10-15: Shares 72.527920, Cost 21,395.74, Proceeds 21,041.80, "
            "Gain -353.94, Term short"),
    ]



def test_the_options_form_lists_each_account_with_its_money_and_no_sell_choice() -> None:
    session = household(replace(CASH_FLOW, avoid_selling={"Jordan 401(k)": True}))
    form = options_form(session)
    assert form.options == session.options
    assert not form.tax_applies
    assert form.as_of == dt.date(2026, 11, 20)
    assert [(r.name, r.kind, r.new_money_cell, r.avoid_cell, r.avoids_by_default)
            for r in form.accounts] == [
        ("Jordan 401(k)", "traditional", "none", "[X] yes", False),
        ("Jordan Traditional IRA", "traditional", "none", "[ ] no", False),
        ("Sam Roth IRA", "roth", "none", "[ ] no", False),
        ("Joint Brokerage", "taxable", "$20,000.00", "[X] yes", True),
    ]
