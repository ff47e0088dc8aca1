"""Issue 11 in the app: step 3's tax view and step 4's tax figures and options, driven by
real key presses at 80x24 and 120x40 on sample_portfolios/taxable.toml with the real
planner. The figures are the CLI's (`rebal plan` / `rebal check` on the same file, see
tests/cli/test_cli_tax.py); the words are checked against the CLI's own text output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent

from rebal.cli import main
from rebal.commands.plan import InputError
from rebal.commands.plan import parse_trade_date as cli_parse
from rebal.commands.rich_text import renderables
from rebal.present.tax import TextTable, holdings_tax_blocks, tax_blocks
from rebal.store import load as load_module
from rebal.tui.app import RebalApp
from rebal.tui.view.plan import table_lines
from rebal.tui.widgets.options_table import parse_trade_date as app_parse
from rebal.tui.widgets.trades_table import TradesTable
from tui.helpers import FIXTURES, fixed_clock, read_text, screen_text, wait_until, write_text
from tui.test_terminal_safety import HOSTILE, assert_clean, hostile_loader

SAMPLES = Path(__file__).resolve().parents[2] / "sample_portfolios"
SIZES = [(80, 24), (120, 40)]


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as one space: wrapping differs by width."""
    return re.sub(r"\s+", " ", text)


def shown(app: RebalApp) -> str:
    return flat(screen_text(app))


def cli_text(renderables: list[object]) -> str:
    """What the CLI prints for `renderables`, wide enough that nothing is cut."""
    console = Console(width=400, file=io.StringIO(), color_system=None, record=True)
    for part in renderables:
        console.print(part)
    return flat(console.export_text(styles=False))


@pytest.fixture
def taxable(tmp_path: Path) -> Path:
    path = tmp_path / "taxable.toml"
    shutil.copyfile(SAMPLES / "taxable.toml", path)
    return path


async def to_step(pilot: Pilot[None], app: RebalApp, key: str, mode: str) -> None:
    await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
    await pilot.press(key)
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=mode)
    await pilot.pause()


async def planned(pilot: Pilot[None], app: RebalApp) -> None:
    await wait_until(pilot, lambda: app.session is not None
                     and app.session.plan_state == "done", tries=800, what="the plan")
    await pilot.pause()


async def shows(pilot: Pilot[None], app: RebalApp, words: str) -> None:
    await wait_until(pilot, lambda: words in shown(app), what=repr(words))


# ------------------------------------------------------------------ step 3


@pytest.mark.parametrize("size", SIZES)
async def test_step_3_tax_view_shows_unrealized_gains_and_location(
    taxable: Path, size: tuple[int, int]
) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "3", "misalignment")
        keys = shown(app)
        assert "g Tax" in keys
        assert "w Location" in keys
        assert "Tax (g)" in keys  # the tab names its key
        await pilot.press("g")
        await wait_until(pilot, lambda: app.screen.query_one(TabbedContent).active == "tax",
                         what="the tax view")
        title = "Unrealized gains in taxable accounts (if sold on 2026-11-20)"
        await shows(pilot, app, title)
        # The highlighted row in full: at 80 columns the table cuts its right columns.
        await shows(pilot, app, "Joint Brokerage: Class US Stocks, Value 174,507.18, "
                    "Cost 117,430.50, Short-term -971.32, Long-term 58,048.00, "
                    "Unknown basis 0.00")
        await pilot.press("down", "down")
        await shows(pilot, app, "Joint Brokerage: Class Bonds, Value 30,030.00, "
                    "Cost 32,500.00, Short-term 0.00, Long-term -2,470.00")

        await pilot.press("w")
        await shows(pilot, app, "Asset location (value by tax treatment)")
        await shows(pilot, app, "US Stocks: taxable 174,507.18, traditional 10,770.00, "
                    "roth 13,527.00, Preferred taxable > roth > hsa > traditional (default), "
                    "In first choice 87.8%")
        await pilot.press("down", "down")
        await shows(pilot, app, "Bonds: taxable 30,030.00, traditional 108,540.00, roth 0.00, "
                    "Preferred traditional > hsa > roth > taxable, In first choice 78.3%")
    # The same titles and figures as `rebal check` prints.
    assert app.session is not None
    cli = cli_text(renderables(holdings_tax_blocks(app.session.loaded.portfolio)))
    for words in (title, "Asset location (value by tax treatment)",
                  "traditional > hsa > roth > taxable 78.3%", "58,048.00"):
        assert words in cli


@pytest.mark.parametrize("size", SIZES)
async def test_step_3_without_tax_keys_has_no_tax_view(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "household.toml"
    shutil.copyfile(FIXTURES / "household.toml", path)
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "3", "misalignment")
        text = shown(app)
        assert "Tax (g)" not in text
        assert "g Tax" not in text
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "stocks"


async def test_step_3_tax_view_without_a_taxable_account_says_why(tmp_path: Path) -> None:
    text = (SAMPLES / "taxable.toml").read_text()
    start = text.index("[[accounts]]\nname = \"Joint Brokerage\"")
    path = tmp_path / "iras.toml"
    # The [tax] table stays (so the view is shown); the taxable account goes.
    path.write_text(text[:start])
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_step(pilot, app, "3", "misalignment")
        await pilot.press("g")
        await shows(pilot, app, "No taxable account in this household")
        await pilot.press("w")
        await shows(pilot, app, "Asset location (value by tax treatment)")


# ------------------------------------------------------------------ step 4


async def highlight(pilot: Pilot[None], app: RebalApp, account: str, ticker: str) -> None:
    table = app.screen.query_one(TradesTable)
    for _ in range(len(table.trades)):
        trade = table.trade_at_cursor()
        if trade is not None and (trade.account, trade.ticker) == (account, ticker):
            return
        await pilot.press("down")
    raise AssertionError(f"no trade of {ticker} in {account}")


@pytest.mark.parametrize("size", SIZES)
async def test_step_4_shows_each_sale_s_tax_the_total_the_wash_sale_and_the_harvest(
    taxable: Path, size: tuple[int, int]
) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        assert "g Tax" in shown(app)
        await highlight(pilot, app, "Joint Brokerage", "VTI")
        await shows(pilot, app, "Why sell VTI in Joint Brokerage")
        await shows(pilot, app, "Trade total -353.94, tax -123.88")
        await shows(pilot, app, "Lot 2026-10-15: Shares 72.527920, Cost 21,395.74, "
                    "Proceeds 21,041.80, Gain -353.94, Term short")
        if size == (120, 40):  # room for the gain and tax columns beside the trade
            await shows(pilot, app, "$21,041.80 -353.94 -123.88")
        await pilot.press("g")
        realized = ("Realized: short-term -353.94, long-term 0.00; estimated tax -123.88 "
                    "(at 35.00% / 18.80%)")
        await shows(pilot, app, realized)
        await pilot.press("pagedown")
        text = shown(app)
        assert "wash-sale · Joint Brokerage · VTI" in text
        # Which purchase, and how many days before.
        assert "1.5 VTI were acquired in Joint Brokerage (taxable) on 2026-11-08, " \
               "12 days before" in text
        await pilot.press("pagedown")
        await shows(pilot, app, "Joint Brokerage · SCHZ: Lot 2021-08-02, Shares 1300, "
                    "Loss 2,470.00, Buy instead 414.779006 BND")
        await shows(pilot, app, "optional: add --harvest to trade it; the class mix is "
                    "unchanged")
        assert app.session is not None
        assert app.session.plan is not None
        cli = cli_text(renderables(tax_blocks(app.session.plan.tax)))
    assert realized in cli
    assert "12 days before" in cli
    assert "414.779006 BND optional: add --harvest to trade it" in cli


async def tax_option(pilot: Pilot[None], app: RebalApp, field: str) -> None:
    """Open the options and tab to `field` (a real key walk, as a user would)."""
    await pilot.press("o")
    for _ in range(12):
        focused = app.screen.focused
        if focused is not None and focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{field}")


@pytest.mark.parametrize("size", SIZES)
async def test_step_4_options_avoid_wash_sales_and_harvest_as_the_cli_flags_do(
    taxable: Path, size: tuple[int, int]
) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        await tax_option(pilot, app, "no-wash-sales")
        await shows(pilot, app, "No wash sales (--no-wash-sales)")
        await pilot.press("space")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.options.avoid_wash_sales, tries=800,
                         what="the plan without wash sales")
        plan = app.session.plan
        assert plan is not None
        assert plan.tax is not None
        assert not [w for w in plan.tax.warnings if w.kind == "wash-sale"]
        assert ("Joint Brokerage", "VTI", "sell") not in {
            (t.account, t.ticker, t.action) for t in plan.trades
        }
        await pilot.press("tab")
        assert app.screen.focused is not None
        assert app.screen.focused.id == "harvest"
        await pilot.press("space")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.options.harvest, tries=800,
                         what="the plan with the harvest")
        plan = app.session.plan
        assert plan is not None
        assert ("Joint Brokerage", "SCHZ", "sell") in {
            (t.account, t.ticker, t.action) for t in plan.trades
        }
        await pilot.press("escape", "g")
        await shows(pilot, app, "in this plan (--harvest)")
        # The tax section's notes follow its tables: page down to them, as a user would.
        note = "Tax note: --no-wash-sales: not selling VTI in Joint Brokerage"
        for _ in range(8):
            if note in shown(app):
                break
            await pilot.press("pagedown")
        await shows(pilot, app, note)
        if size == (80, 24):  # folded: the summary line names the choices
            await pilot.press("home")
            await shows(pilot, app, "no wash sales · harvest losses")


async def test_step_4_trade_date_moves_the_plan_date_and_refuses_a_non_date(
    taxable: Path,
) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        await tax_option(pilot, app, "trade-date")
        await shows(pilot, app, "(empty: the prices' date, 2026-11-20)")
        await pilot.press(*"2026-13-01")
        await shows(pilot, app, "! trade date: write it as YYYY-MM-DD")
        assert app.session is not None
        assert app.session.options.trade_date is None
        await pilot.press(*["backspace"] * 5, *"12-24")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.tax is not None
                         and app.session.plan.tax.date == dt.date(2026, 12, 24), tries=800,
                         what="the plan dated 2026-12-24")
        assert "! trade date" not in shown(app)
        await pilot.press("escape", "g")
        # 46 days after the dividend lot: out of the 30-day window, no wash sale left.
        await shows(pilot, app, "(as of 2026-12-24)")
        assert "wash-sale ·" not in shown(app)


async def problem_reads(pilot: Pilot[None], app: RebalApp, words: str) -> None:
    """The line under the trade date reads `words`, and it is on screen (wrapped in the
    options border at 80 columns: its first 50 characters are on one line)."""
    problem = app.screen.query_one("#trade-date-problem", Static)
    await wait_until(pilot, lambda: problem.display and str(problem.content) == words,
                     what=repr(words))
    assert words[:50] in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_step_4_trade_date_keeps_rebal_plans_rule(
    taxable: Path, size: tuple[int, int]
) -> None:
    """Failed before: the app planned with any date, before the prices or years after, which
    `rebal plan --trade-date` refuses (core.rules.trade_date_problem), in its words."""
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        assert app.session is not None
        plan = app.session.plan
        assert plan is not None
        await tax_option(pilot, app, "trade-date")
        await pilot.press(*"2026-11-19")
        await problem_reads(pilot, app, "! the trade date 2026-11-19 is before the prices' "
                            "date 2026-11-20: trades are placed on or after the day the "
                            "prices are from")
        await pilot.press(*["backspace"] * 10, *"2027-11-22")
        await problem_reads(pilot, app, "! the trade date 2027-11-22 is more than a year "
                            "after the prices' date 2026-11-20: update the prices (rebal "
                            "import) and plan again")
        await pilot.pause()
        # Neither date reached the options, so the plan was not made again.
        assert app.session.options.trade_date is None
        assert app.session.plan is plan
        await pilot.press("backspace", "0")  # 2027-11-20: within the year is allowed
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.tax is not None
                         and app.session.plan.tax.date == dt.date(2027, 11, 20), tries=800,
                         what="the plan dated 2027-11-20")
        assert "! the trade date" not in shown(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_saved_trade_date_before_newer_prices_is_refused_not_planned(
    taxable: Path, size: tuple[int, int]
) -> None:
    """Failed before: a plan saved for 2026-12-01, reopened once the prices are of
    2026-12-05, was planned again with r for a day before its prices."""
    assert main(["plan", str(taxable), "--save", "--trade-date", "2026-12-01"]) == 0
    write_text(taxable, read_text(taxable).replace("as_of = 2026-11-20", "as_of = 2026-12-05", 1))
    app = RebalApp(taxable, clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.shows_saved_plan, what="the saved plan")
        assert app.session is not None
        assert app.session.options.trade_date == dt.date(2026, 12, 1)
        await pilot.press("r")
        status = app.screen.query_one("#planning", Static)
        refused = ("the trade date 2026-12-01 is before the prices' date 2026-12-05: trades "
                   "are placed on or after the day the prices are from; change it in the "
                   "options (o)")
        await wait_until(pilot, lambda: refused in str(status.content), what="the refusal")
        assert app.session.shows_saved_plan
        assert app.session.plan_state == "failed"  # no plan was made for that day
        await pilot.press("o")
        await problem_reads(pilot, app, "! " + refused.split("; change")[0])


def test_the_app_and_rebal_plan_refuse_a_trade_date_in_the_same_words() -> None:
    as_of = dt.date(2026, 11, 20)
    for typed in ("2026-11-19", "2027-11-22"):
        problem = app_parse(typed, as_of)
        assert isinstance(problem, str)
        with pytest.raises(InputError) as refused:
            cli_parse(typed, as_of)
        assert str(refused.value) == f"--trade-date: {problem}"
    assert app_parse("2026-11-20", as_of) == as_of
    assert app_parse(" ", as_of) is None


# ------------------------------------------------------- terminal safety


def placeholder_taxable(folder: Path) -> Path:
    """taxable.toml with placeholders where hostile_loader puts escape sequences."""
    text = (SAMPLES / "taxable.toml").read_text()
    for old, new in {
        'name = "Joint Brokerage"': 'name = "Joint ZZOSC52ZZ"',
        "Bonds = 33": '"BondsZZCSIZZ" = 33',
        'Bonds = ["traditional"': '"BondsZZCSIZZ" = ["traditional"',
        'class = "Bonds"': 'class = "BondsZZCSIZZ"',
        "VTI": "VTZZC1ZZI",
        '"US total market"': '"US ZZOSC0ZZ"',
        'name = "Schwab U.S. Aggregate Bond ETF"': 'name = "Schwab ZZOSC0ZZ"',
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    path = folder / "taxable.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("size", SIZES)
async def test_the_tax_screens_of_a_hostile_portfolio_are_terminal_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setattr(load_module, "load", hostile_loader(load_module.load))
    app = RebalApp(placeholder_taxable(tmp_path), clock=fixed_clock)
    async with app.run_test(size=size) as pilot:
        await to_step(pilot, app, "3", "misalignment")
        assert app.session is not None
        assert any(HOSTILE["ZZOSC52ZZ"] in a.name for a in app.session.loaded.portfolio.accounts)
        for key in ("g", "down", "down", "w", "down", "down"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"step 3 after {key}")
        assert "Bonds\\x1b[2J: taxable" in screen_text(app)  # shown, escaped
        await pilot.press("4")
        await wait_until(pilot, lambda: app.current_mode == "rebalance", what="step 4")
        await planned(pilot, app)
        assert app.session.plan is not None
        assert app.session.plan.tax is not None
        assert app.session.plan.tax.warnings  # the wash-sale flag quotes the names
        assert_clean(app, "step 4")
        for key in ("down", "down", "down", "down", "down", "g", "pagedown", "pagedown"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"step 4 after {key}")
        await tax_option(pilot, app, "harvest")
        await pilot.press("space")
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan is not None
                         and app.session.plan.options.harvest, tries=800, what="harvest")
        await pilot.press("escape", "g")
        await pilot.pause()
        assert_clean(app, "step 4 with the harvest")


async def test_step_4_gain_and_tax_columns_follow_the_terminal_width(taxable: Path) -> None:
    app = RebalApp(taxable, clock=fixed_clock)
    # 64 columns: no room for them beside this plan's trades (the line under says them).
    async with app.run_test(size=(64, 24)) as pilot:
        await to_step(pilot, app, "4", "rebalance")
        await planned(pilot, app)
        table = app.screen.query_one(TradesTable)
        assert "Gain" not in table.column_titles
        # Wider, still without the Reason column (below 110): the columns fit now.
        await pilot.resize_terminal(100, 30)
        await wait_until(pilot, lambda: "Gain" in table.column_titles,
                         what="the gain and tax columns")
        assert "Reason" not in table.column_titles
        await shows(pilot, app, "$21,041.80 -353.94 -123.88")


def test_a_warning_of_the_whole_plan_is_named_by_its_kind_alone() -> None:
    data = TextTable("Tax warnings", ("Kind", "Account", "Ticker", "Why"), (), (
        ("gain-budget", "—", "—", "the plan realizes a net gain of $6,000.00"),
        ("wash-sale", "Joint", "VTI", "possible wash sale"),
    ))
    lines = [(indent, "".join(text for text, _ in line)) for indent, line in table_lines(data)]
    assert lines == [
        (0, "Tax warnings"),
        (2, "gain-budget"), (4, "the plan realizes a net gain of $6,000.00"),
        (2, "wash-sale · Joint · VTI"), (4, "possible wash sale"),
    ]
