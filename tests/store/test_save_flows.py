"""Flows in the file: added by hand, recorded for a plan's new money, moved into a snapshot."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rebal.core.planner.types import NewMoneyToBand, Plan, PlanOptions, Trade
from rebal.core.report import build_report
from rebal.model import Flow
from rebal.store.atomic import SaveRefused
from rebal.store.load import Loaded, load
from rebal.store.save import add_flow, save_review

D = Decimal
CREATED = dt.datetime(2026, 11, 21, 9, 30, 12)


def household_plan(loaded: Loaded, **options: Any) -> Plan:
    """One hand-built buy for the household sample (the planner is tested elsewhere)."""
    rows = tuple(build_report(loaded.portfolio).classes)
    return Plan(
        options=PlanOptions(**options),
        method="hand-built for tests",
        trades=(Trade("Sam Roth IRA", "VXUS", "buy", D(10), D("648.00"), "under"),),
        skipped=(),
        before=rows,
        after=rows,
        leftover_cash={},
        residual=(),
        new_money_to_band=NewMoneyToBand(None, {}, (), "not computed for tests"),
    )


def raw(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(), parse_float=Decimal)


def flow(day: int, amount: int, account: str = "Brokerage", note: str = "") -> Flow:
    return Flow(date=dt.date(2026, 6, day), account=account, amount=D(amount), note=note)


def test_adding_flows_keeps_everything_else_and_the_users_comments(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")
    path.write_text(
        path.read_text() + "\n# money moved this year\n[[flows]]\ndate = 2026-06-01  # payday\n"
        'account = "Brokerage"\namount = 100\n'
    )
    before = raw(path)
    add_flow(load(path), flow(2, 250))
    add_flow(load(path), flow(2, 250))  # the same flow twice is two flows
    text = path.read_text()
    assert "# money moved this year" in text
    assert "date = 2026-06-01  # payday" in text
    after = raw(path)
    assert {k: v for k, v in after.items() if k != "flows"} == {
        k: v for k, v in before.items() if k != "flows"
    }
    assert [f.amount for f in load(path).portfolio.flows] == [100, 250, 250]


def test_a_flow_not_after_the_latest_snapshot_is_refused(tmp_copy: Callable[[str], Path]) -> None:
    path = tmp_copy("seed_return")
    old = Flow(date=dt.date(2025, 11, 20), account="Brokerage", amount=D(5))
    with pytest.raises(SaveRefused, match="not after the latest"):
        add_flow(load(path), old)


def test_a_review_moves_flows_up_to_its_date_into_the_new_snapshot(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")  # prices of 2026-11-20
    add_flow(load(path), flow(2, 250))
    add_flow(load(path), Flow(date=dt.date(2026, 12, 3), account="Brokerage", amount=D(9)))
    save_review(load(path), plan=None, created=CREATED)
    portfolio = load(path).portfolio
    assert [f.amount for f in portfolio.history[-1].flows] == [250]
    assert [f.amount for f in portfolio.flows] == [9]  # after the snapshot: still pending


def test_resaving_the_same_snapshot_keeps_the_flows_it_records(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")
    add_flow(load(path), flow(2, 250))
    save_review(load(path), plan=None, created=CREATED)
    save_review(load(path), plan=None, created=CREATED)
    assert [f.amount for f in load(path).portfolio.history[-1].flows] == [250]


def test_a_plans_new_money_is_a_pending_flow_withdrawn_when_the_plan_is_replaced(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("household")
    new_money = {"Sam Roth IRA": D(5000)}
    save_review(load(path), plan=household_plan(load(path), new_money=new_money), created=CREATED)
    pending = load(path).portfolio.flows
    assert [(f.date, f.account, f.amount) for f in pending] == [
        (CREATED.date(), "Sam Roth IRA", 5000)
    ]
    later = CREATED + dt.timedelta(hours=2)
    save_review(load(path), plan=household_plan(load(path)), created=later)
    assert load(path).portfolio.flows == []
    assert "flows" not in raw(path)


def test_files_without_the_new_keys_load_unchanged(samples: Path) -> None:
    for name in ("household", "seed_bands", "seed_return"):
        portfolio = load(samples / f"{name}.toml").portfolio
        assert portfolio.flows == []
        assert all(h.flows == [] for h in portfolio.history)
        assert "flows" not in portfolio.model_fields_set


def test_a_hand_written_flow_the_return_would_misread_is_warned_about(
    tmp_copy: Callable[[str], Path],
) -> None:
    path = tmp_copy("seed_return")  # latest snapshot 2025-11-20
    path.write_text(
        path.read_text() + '\n[[flows]]\ndate = 2025-11-01\naccount = "Brokrage"\namount = 5\n'
    )
    warnings = {(w.path, w.message) for w in load(path).warnings}
    assert (
        "flows[0].date",
        "flow dated 2025-11-01, not after the latest snapshot (2025-11-20): it is counted as "
        "money added after that snapshot",
    ) in warnings
    assert ("flows[0].account", "flow into 'Brokrage', which is not an account in the file") in (
        warnings
    )


FAR_FLOW = '\n[[flows]]\ndate = 2026-12-01\naccount = "Brokerage"\namount = 100\n\n' \
    '[[flows]]\ndate = {date}\naccount = "Brokerage"\namount = 5000\n'


@pytest.mark.parametrize("date", ["2099-06-01", "2027-11-22"], ids=["2099", "a year and 2 days"])
def test_a_pending_flow_dated_long_after_the_prices_is_warned_about(
    tmp_copy: Callable[[str], Path], date: str
) -> None:
    """A year typed wrong (2099) would count the money in every return from now on."""
    path = tmp_copy("seed_return")  # as_of 2026-11-20, latest snapshot 2025-11-20
    path.write_text(path.read_text() + FAR_FLOW.format(date=date))

    loaded = load(path)

    (warning,) = [w for w in loaded.warnings if w.path.startswith("flows")]
    assert warning.path == "flows[1].date"
    assert warning.severity == "warning"
    assert warning.line == path.read_text().splitlines().index(f"date = {date}") + 1
    assert warning.message == (
        f"flow dated {date}, more than a year after the prices' date (2026-11-20): a flow "
        "records money that has already moved, and this one is counted in the return as if it had"
    )
    assert warning.hint == (
        "correct the date to the day the money moved (the year?); if it did move then, "
        "update the prices and [portfolio] as_of (rebal import)"
    )


def test_pending_flows_within_a_year_of_the_prices_are_not_warned_about(
    tmp_copy: Callable[[str], Path],
) -> None:
    """rebal itself dates a plan's new money by the day of the save, after the prices'
    date; a year after it is still a flow of the coming review. Before the prices' date
    (and after the snapshot) is the period the return measures."""
    path = tmp_copy("seed_return")
    path.write_text(
        path.read_text() + FAR_FLOW.format(date="2027-11-20")
        + '\n[[flows]]\ndate = 2025-11-21\naccount = "Brokerage"\namount = 7\n'
    )
    assert [w for w in load(path).warnings if w.path.startswith("flows")] == []
