"""Every screen of the app, on a hostile portfolio, puts no control character on the terminal.

The file is written with placeholders (so it passes a loader that refuses
control characters in names) and the injected loader swaps escape sequences in
after loading: the screens are tested on their own. Each screen's text, as the
compositor hands it to the terminal, must hold visible escapes only. Failed
before: names, tickers, classes, notes, reasons, warnings and file names were
shown raw (an OSC 52 in a name could write to the clipboard).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rebal.model import Portfolio
from rebal.store.load import Loaded
from rebal.tui.app import RebalApp
from rebal.tui.services import real_loader
from tui.helpers import FIXTURES, fixed_clock, screen_text, wait_until

HOSTILE = {
    "ZZOSC52ZZ": "\u001b]52;c;SEFDS0VE\u0007",
    "ZZOSC0ZZ": "\u001b]0;pwned\u0007\u202e",
    "ZZCSIZZ": "\u001b[2J",
    "ZZC1ZZ": "\u009b2J\u007f",
}
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
FILE_NAME = "house\u001b]0;title\u0007.toml"

SAVED_PLAN = """
[plan]
mode = "full"
created = 2026-11-21
[[plan.trades]]
account = "Taxable"
ticker = "VO"
action = "sell"
shares = 1
amount = 260
reason = "why ZZOSC52ZZ"
status = "placed"
[[plan.decisions]]
ticker = "VO"
decision = "keep"
note = "note ZZCSIZZ"
"""


def placeholder_household(folder: Path) -> Path:
    text = (FIXTURES / "household.toml").read_text()
    for old, new in {
        'name = "Rivera household"': 'name = "Rivera ZZOSC52ZZ"',
        'name = "Vanguard Large-Cap ETF"': 'name = "Large ZZOSC0ZZ"',
        '"Bonds"': '"BondsZZCSIZZ"',
        'name = "IRA"': 'name = "IRAZZC1ZZ"',
        "VXUS": "VXZZCSIZZUS",
        "Technology": "TechZZOSC0ZZ",
        # Held without a target: a warning that quotes the class name.
        'class = "Small Cap Stock"': 'class = "SmallZZOSC52ZZ"',
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    path = folder / FILE_NAME
    path.write_text(text + SAVED_PLAN)
    return path


def hostile(text: str) -> str:
    for token, value in HOSTILE.items():
        text = text.replace(token, value)
    return text


def hostile_loader(real: Callable[[Path], Loaded]) -> Callable[[Path], Loaded]:
    def load(path: Path) -> Loaded:
        loaded = real(path)
        dumped = json.dumps(loaded.portfolio.model_dump(mode="json", by_alias=True))
        for token, value in HOSTILE.items():
            dumped = dumped.replace(token, json.dumps(value)[1:-1])
        warnings = [replace(w, message=hostile(w.message), path=hostile(w.path),
                            hint=hostile(w.hint)) for w in loaded.warnings]
        return replace(loaded, portfolio=Portfolio.model_validate(json.loads(dumped)),
                       warnings=warnings)

    return load


def assert_clean(app: RebalApp, where: str) -> None:
    text = screen_text(app)
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: {found!r} in\n{text}"


async def on_mode(pilot: Pilot[None], app: RebalApp, mode: str) -> None:
    await wait_until(pilot, lambda: app.current_mode == mode and app.screen.is_current,
                     what=f"mode {mode}")
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_screen_of_a_hostile_portfolio_is_terminal_safe(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    path = placeholder_household(tmp_path)
    (tmp_path / "evil\u001b[2J.csv").write_text("account,ticker,shares\nX,VV,1\n")
    (tmp_path / "positions.csv").write_text(
        "account,ticker,shares,price,name\n"
        "BROKER\u001b]0;t\u0007,VV,1,250,x\u001b[2J\n"
        "Z9,NEW\u001b[2J,1,1,New \u001b]52;c;SEFDS0VE\u0007\n"
    )
    app = RebalApp(path, clock=fixed_clock, loader=hostile_loader(real_loader))
    async with app.run_test(size=size, notifications=True) as pilot:
        await on_mode(pilot, app, "target")
        assert app.session is not None
        assert app.session.loaded.portfolio.portfolio.name.endswith(HOSTILE["ZZOSC52ZZ"])
        await wait_until(pilot, lambda: "held but" in screen_text(app), what="the warning")
        assert_clean(app, "step 1 with the warnings")
        for key in ("question_mark", "escape", "t", "escape", "a", "escape", "d", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"step 1 after {key}")
        await pilot.press("2")
        await on_mode(pilot, app, "compare")
        assert_clean(app, "step 2")
        await pilot.press("3")
        await on_mode(pilot, app, "misalignment")
        for key in ("s", "y", "c", "h", "down", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"step 3 after {key}")
        await pilot.press("escape")
        await pilot.press("4")
        await on_mode(pilot, app, "rebalance")
        if app.session.saved_plan is not None:  # listed as it was saved: names from the file
            await wait_until(pilot, lambda: bool(app.screen.query("#saved-trades"))
                             and app.screen.query_one("#saved-trades").row_count > 0,
                             what="the saved plan")
            await pilot.pause()
            assert_clean(app, "step 4, the saved plan")
            await pilot.press("r")  # a new plan
        await wait_until(pilot, lambda: app.session is not None
                         and app.session.plan_state in ("done", "failed"), tries=500,
                         what="the plan")
        await pilot.pause()
        assert_clean(app, "step 4")
        for key in ("down", "x", "ctrl+s"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"step 4 after {key}")
        await pilot.press("escape")
        await pilot.press("i")
        await pilot.pause()
        assert_clean(app, "import, unsaved changes")
        await pilot.press("y")  # import anyway
        await wait_until(pilot, lambda: "evil" in screen_text(app), what="the import screen")
        assert "evil\\x1b[2J.csv" in screen_text(app)
        assert_clean(app, "import")
        await pilot.press(*"positions.csv", "enter")
        # Refused (the importer refuses control characters in accounts and tickers) or
        # shown: either way the preview replaces the prompt, and says it safely.
        await wait_until(pilot, lambda: "Pick a file" not in screen_text(app), what="the preview")
        assert_clean(app, "import preview")


async def test_the_problem_screen_of_a_hostile_file_is_terminal_safe(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    text = (FIXTURES / "household.toml").read_text()
    path.write_text(text.replace("price = 250", 'price = "2\\u001b]52;c;SEFDS0VE\\u0007"'))
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await on_mode(pilot, app, "problems")
        shown = screen_text(app)
        assert "house\\x1b]0;title\\x07.toml" in shown
        assert "cannot" in shown
        assert_clean(app, "problems")
