"""Reading a saved plan's trades against the holdings now, and replacing a plan safely."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rebal.core.plan_record import replacement, saved_key, trade_key
from rebal.core.reconcile import reconcile, trade_progress
from rebal.model import Account, PlannedTrade, Portfolio, PortfolioInfo, SavedPlan, Security

D = Decimal


def trade(
    action: str = "buy", shares: str = "10", before: str | None = "100", **extra: object
) -> PlannedTrade:
    return PlannedTrade.model_validate(
        {
            "account": "Roth",
            "ticker": "VTI",
            "action": action,
            "shares": D(shares),
            "amount": D(shares) * 250,
            "shares_before": None if before is None else D(before),
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("action", "now", "expected"),
    [
        ("buy", "100", "not started"),
        ("buy", "104", "partial"),
        ("buy", "110", "done"),
        ("buy", "110.05", "done"),  # a reinvested dividend is within 1% of the trade
        ("buy", "112", "contradicted"),  # more than the trade
        ("buy", "95", "contradicted"),  # the other way
        ("sell", "90", "done"),
        ("sell", "97", "partial"),
        ("sell", "100", "not started"),
        ("sell", "101", "contradicted"),
    ],
)
def test_each_trade_reads_from_the_change_in_its_position(
    action: str, now: str, expected: str
) -> None:
    assert trade_progress(trade(action), D(now))[0] == expected


def test_a_trade_saved_without_its_position_is_unknown() -> None:
    assert trade_progress(trade(before=None), D(110)) == ("unknown", None)


def household(holdings: dict[str, Decimal]) -> Portfolio:
    return Portfolio(
        portfolio=PortfolioInfo(name="x", as_of=dt.date(2026, 12, 5)),
        targets={"Stocks": D(100)},
        securities={"VTI": Security(price=D(250), **{"class": "Stocks"})},
        accounts=[Account(name="Roth", holdings=holdings)],
    )


def test_reconcile_numbers_trades_and_counts_done_and_placed() -> None:
    plan = SavedPlan(
        mode="full",
        created=dt.datetime(2026, 12, 1, 9, 30),
        trades=[
            trade(),
            trade("buy", "5", "110", status="placed"),
            PlannedTrade(account="Gone", ticker="VTI", action="sell", shares=D(1), amount=D(250)),
        ],
    )
    progress = reconcile(plan, household({"VTI": D(110)}))
    assert [(t.number, t.progress) for t in progress.trades] == [
        (1, "done"),
        (2, "not started"),
        (3, "unknown"),
    ]
    assert progress.done == 1
    assert progress.placed == 1
    assert "Gone" in progress.trades[2].note


def test_a_plan_all_planned_or_all_done_is_replaced_freely() -> None:
    created = dt.datetime(2026, 12, 1)
    for status in ("planned", "done"):
        saved = SavedPlan(
            mode="full",
            created=created,
            trades=[trade(status=status), trade("sell", status=status)],
        )
        assert not replacement(saved, []).needs_consent


def test_a_placed_trade_or_a_half_done_plan_needs_consent_unless_kept() -> None:
    created = dt.datetime(2026, 12, 1)
    placed = trade(status="placed")
    saved = SavedPlan(mode="full", created=created, trades=[trade("sell"), placed])
    result = replacement(saved, [])
    assert result.needs_consent
    assert [n for n, _ in result.lost_placed] == [2]
    assert "#2 buy 10 VTI in Roth" in result.explain()
    # Mid-sentence in the CLI ("nothing was saved: the saved plan ..."), a sentence in the app.
    clause = "saved plan has trades the new one would drop (placed: #2 buy 10 VTI in Roth)"
    assert result.explain() == f"the {clause}"
    assert result.explain(starts_sentence=True) == f"The {clause}"
    # The same order in the new plan keeps its status, so nothing is lost.
    assert not replacement(saved, [saved_key(placed)]).needs_consent
    assert saved_key(placed) == trade_key("Roth", "VTI", "buy", D(10), D("2500.004"))
    half = SavedPlan(mode="full", created=created, trades=[trade(status="done"), trade("sell")])
    assert [n for n, _ in replacement(half, []).lost_done] == [1]
    assert not replacement(None, []).needs_consent


def test_a_reconciled_plan_attributes_the_new_money_to_the_class_it_bought() -> None:
    from fractions import Fraction

    from rebal.core.report import build_report
    from rebal.model import Flow, HistorySnapshot

    # $5,000 arrives in the Roth on 2025-11-21; the plan of 2025-11-22 buys 20 VTI with it.
    portfolio = Portfolio(
        portfolio=PortfolioInfo(name="x", as_of=dt.date(2026, 11, 20)),
        targets={"Stocks": D(90), "Cash": D(10)},
        securities={"VTI": Security(price=D(275), **{"class": "Stocks"})},
        accounts=[Account(name="Roth", cash=D(5000), holdings={"VTI": D(160)})],
        history=[
            HistorySnapshot(
                date=dt.date(2025, 11, 20),
                total=D(40000),
                classes={"Stocks": D(35000), "Cash": D(5000)},
            )
        ],
        plan=SavedPlan(
            mode="cash-flow",
            created=dt.datetime(2025, 11, 22, 10, 0),
            trades=[trade("buy", "20", "140")],
        ),
        flows=[Flow(date=dt.date(2025, 11, 21), account="Roth", amount=D(5000))],
    )
    result = build_report(portfolio).money_weighted
    assert result is not None
    assert result.attributed
    by_class = {row.asset_class: row.money_weighted for row in result.per_class}
    expected = Fraction(4000 * 100) / (35000 + Fraction(5000 * 363, 365))
    assert by_class["Stocks"] is not None
    assert abs(Fraction(by_class["Stocks"]) - expected) < Fraction(1, 10**40)
    assert by_class["Cash"] == 0
    household = Fraction(4000 * 100) / (40000 + Fraction(5000 * 364, 365))
    assert result.household.rate is not None
    assert abs(Fraction(result.household.rate) - household) < Fraction(1, 10**40)
    # The plain change in value counts the $5,000 as gain: 22.5%.
    assert result.change_in_value == D("22.5")


def test_an_unreconciled_plan_leaves_class_returns_unattributed() -> None:
    from rebal.core.report import build_report
    from rebal.model import Flow, HistorySnapshot

    portfolio = household({"VTI": D(95)}).model_copy(
        update={
            "history": [
                HistorySnapshot(
                    date=dt.date(2026, 1, 1), total=D(25000), classes={"Stocks": D(25000)}
                )
            ],
            "plan": SavedPlan(mode="full", created=dt.datetime(2026, 1, 2), trades=[trade()]),
            "flows": [Flow(date=dt.date(2026, 2, 1), account="Roth", amount=D(1000))],
        }
    )
    result = build_report(portfolio).money_weighted
    assert result is not None
    assert not result.attributed  # the buy reads as contradicted: the position shrank


@pytest.mark.parametrize(
    ("planned", "before", "now", "note"),
    [
        ("10", "100", "104", "4 of 10 shares bought"),
        ("1", "100", "100.5", "0.5 of 1 share bought"),
        ("10", "100", "99", "1 share was sold instead"),
        ("10", "100", "97", "3 shares were sold instead"),
        ("1", "100", "102", "2 shares were bought, more than the 1 planned"),
    ],
)
def test_progress_notes_read_as_plain_english(
    planned: str, before: str, now: str, note: str
) -> None:
    saved = SavedPlan(
        mode="full", created=dt.datetime(2026, 12, 1), trades=[trade("buy", planned, before)]
    )
    assert reconcile(saved, household({"VTI": D(now)})).trades[0].note == note
