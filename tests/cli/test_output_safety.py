"""The human renderers of `rebal check` and `rebal plan`, fed hostile names directly.

The portfolio is built in Python, past the loader (which refuses control
characters in names), so every renderer is tested on its own: what reaches the
console shows escapes, never the characters, and markup stays literal text.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path

from rich.console import Console

from cli.test_terminal_safety import FIXTURES, FORBIDDEN_TEXT, OSC0, OSC52, hostile_household
from rebal.commands.rich_text import renderables
from rebal.core.planner import plan as make_plan
from rebal.core.planner.types import PlanOptions
from rebal.core.report import build_report
from rebal.model import Portfolio
from rebal.present.plan_text import plan_blocks
from rebal.present.report_text import report_blocks

AS_OF = dt.date(2026, 11, 20)


def rendered(parts: list[object]) -> str:
    out = io.StringIO()
    console = Console(file=out, width=160, highlight=False, emoji=False, color_system=None)
    for part in parts:
        console.print(part)
    return out.getvalue()


def portfolio_from(path: Path) -> Portfolio:
    return Portfolio.model_validate(tomllib.loads(path.read_text()))


def test_check_and_plan_tables_show_escapes_not_controls(tmp_path: Path) -> None:
    portfolio = portfolio_from(hostile_household(tmp_path))
    report = build_report(portfolio)
    name = Path(f"file{OSC0}.toml")
    options = PlanOptions(new_money={"IRA\u009b2J": portfolio.accounts[0].cash + 1000})
    plan = make_plan(portfolio, options)
    for text in (
        rendered(renderables(report_blocks(report, as_of=AS_OF, file=name))),
        rendered(renderables(plan_blocks(report, plan, as_of=AS_OF, file=name))),
    ):
        assert "\x1b" not in text
        assert "\x07" not in text
        assert FORBIDDEN_TEXT.search(text) is None
        assert "Rivera\\x1b]52;c;SEFDS0VE\\x07" in text
        assert "Bonds\\x1b[2J" in text
        assert "IRA\\x9b2J" in text
        assert "file\\x1b]0;pwned\\x07.toml" in text


def test_markup_in_names_is_shown_literally(tmp_path: Path) -> None:
    text = (FIXTURES / "household.toml").read_text()
    markup = "[bold]Big[/bold] [link=https://example.com]click[/link] [/]"
    text = text.replace('name = "Rivera household"', f'name = "{markup}"')
    text = text.replace('name = "IRA"', 'name = "[red]IRA"')
    portfolio = Portfolio.model_validate(tomllib.loads(text))
    report = build_report(portfolio)
    plan = make_plan(portfolio, PlanOptions())
    shown = rendered(renderables(plan_blocks(report, plan, as_of=AS_OF, file=Path("f.toml"))))
    assert markup in shown
    assert "[red]IRA" in shown
    assert OSC52 not in shown
