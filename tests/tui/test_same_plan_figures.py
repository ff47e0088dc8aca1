"""`rebal plan` and step 4 say a plan the same way (rebal.present.plan_summary): the
trades, the skipped lines, the cash left, the drift left, the classes before and after
and the new-money answer, for the same options on the sample household.

The options are the ones where every part of the summary has something to say: a
cash-flow plan of $20,000 in whole shares with a $500 minimum skips buys, keeps cash
in three accounts and leaves every class off target. The CLI's tables state the
currency once (total ... USD) and give amounts without it; the app's sentences
give each amount with its symbol: the digits are the CLI's.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable

from rebal.cli import main
from rebal.core.planner.types import PlanOptions
from rebal.present.figures import money
from rebal.present.plan_summary import CASH_LEFT_TITLE, RESIDUAL_TITLE, SKIPPED_TITLE
from rebal.present.plan_words import NEW_MONEY_LEAD
from rebal.tui.app import RebalApp
from rebal.tui.messages import PlanOptionsChanged
from rebal.tui.widgets.trades_table import TradesTable
from tui.helpers import fixed_clock, wait_until

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
OPTIONS = PlanOptions(
    mode="cash-flow", new_money={"Joint Brokerage": Decimal(20000)}, whole_shares=True,
    min_trade=Decimal(500),
)
CLI_OPTIONS = ["--mode", "cash-flow", "--new-money", "20000@Joint Brokerage",
               "--whole-shares", "--min-trade", "500"]


def cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def section(lines: list[str], title: str) -> list[list[str]]:
    """The rows of the table under `title` (its column line skipped), up to a blank line."""
    start = lines.index(title) + 2
    rows = []
    for line in lines[start:]:
        if not line.strip():
            break
        rows.append(cells(line))
    return rows


def cli_plan(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    main(["plan", str(path), *CLI_OPTIONS])
    return capsys.readouterr().out.splitlines()


def cli_trades(lines: list[str]) -> list[tuple[str, ...]]:
    """(account, action, ticker, shares, amount) of every trade, in the CLI's order."""
    trades = []
    for line in lines:
        match = re.match(r"^(.+): sell [\d,.]+, buy [\d,.]+", line)
        if match is None:
            continue
        for row in section(lines, line):
            trades.append((match.group(1), *row[:4]))
    return trades


def as_money(cli_amount: str) -> str:
    """A CLI table's amount ("1,231.20") as the app's sentences write it ("$1,231.20")."""
    return money(Decimal(cli_amount.replace(",", "")))


async def test_rebal_plan_and_step_4_say_the_plan_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "household.toml"
    shutil.copyfile(SAMPLES / "household.toml", path)
    lines = cli_plan(path, capsys)

    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await pilot.press("4")
        await wait_until(pilot, lambda: app.current_mode == "rebalance" and app.screen.is_current,
                         what="step 4")
        # What the options form posts once they are set (its keys: tests/tui/test_app.py).
        app.screen.post_message(PlanOptionsChanged(OPTIONS))
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state == "done"
                         and app.session.plan is not None
                         and app.session.plan.options.mode == "cash-flow",
                         tries=1000, what="the cash-flow plan")
        await wait_until(pilot, lambda: bool(app.screen.query("#summary"))
                         and SKIPPED_TITLE in str(app.screen.query_one("#summary").content),
                         what="the summary")
        summary = str(app.screen.query_one("#summary").content).splitlines()
        table = app.screen.query_one(TradesTable)
        account = ""
        app_trades = []
        for index in range(table.row_count):
            name, action, ticker, shares, amount = table.cells(index)[:5]
            account = name or account
            app_trades.append((account, action, ticker, shares, amount))
        classes = app.screen.query_one("#before-after", DataTable)
        app_classes = {
            str(key.value): [str(getattr(cell, "plain", cell)) for cell in classes.get_row(key)]
            for key in classes.rows
        }

    # The trades, in the same order, with the same figures.
    cli = cli_trades(lines)
    assert len(cli) == len(app_trades) == 2
    assert [(a, act, t, s, as_money(amt)) for a, act, t, s, amt in cli] == app_trades

    # Skipped: "Sam Roth IRA: buy 4 BND ($289.60) — reason" against the CLI's rows.
    skipped = section(lines, SKIPPED_TITLE)
    start = summary.index(SKIPPED_TITLE)
    said = summary[start + 1 : start + 1 + len(skipped)]
    assert len(skipped) == 5
    assert said == [
        f"  Sam Roth IRA: {action} {shares} {ticker} ({as_money(amount)}) — {reason}"
        for action, ticker, shares, amount, reason in skipped
    ]

    # The cash left, account by account.
    left = section(lines, CASH_LEFT_TITLE)
    assert f"{CASH_LEFT_TITLE}: " + ", ".join(
        f"{name} {as_money(cash)}" for name, cash in left
    ) in summary
    assert len(left) == 3

    # The drift the plan cannot remove, class by class.
    residual = section(lines, RESIDUAL_TITLE)
    start = summary.index(RESIDUAL_TITLE)
    assert summary[start + 1 : start + 1 + len(residual)] == [
        f"  {name}: {as_money(drift)} — {why}" for name, drift, why in residual
    ]

    # The classes before and after: the same percentages and status words.
    before_after = section(lines, "Classes before and after the trades")
    assert set(app_classes) == {row[0] for row in before_after}
    for name, target, before, after, _value, status in before_after:
        shown = app_classes[name]
        assert shown[1:4] == [target, before, after]
        assert shown[4].split()[-1] == status

    # The new-money answer: one sentence, the app adds its reason after a dash.
    cli_answer = next(line for line in lines if line.startswith(NEW_MONEY_LEAD))
    app_answer = next(line for line in summary if line.startswith(NEW_MONEY_LEAD))
    assert app_answer.startswith(cli_answer + " — ")
