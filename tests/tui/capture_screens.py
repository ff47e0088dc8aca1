"""Write plain-text captures of the four steps for the README: docs/screens/stepN.txt.

    .venv/bin/python tests/tui/capture_screens.py

Runs the app at 100x30 on a copy of sample_portfolios/household.toml with a
fixed date and the real planner; step 3 shows its holdings view. Then the
plan is saved and its second trade marked placed: step4-saved.txt is step 4
listing the saved plan as the current one (as reopening the file shows it).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from rebal.tui.app import RebalApp  # noqa: E402
from tui.helpers import fixed_clock, screen_text, wait_until  # noqa: E402

STEPS = {1: ("target", ()), 2: ("compare", ()), 3: ("misalignment", ("h",)), 4: ("rebalance", ())}


async def capture(path: Path, out: Path) -> None:
    app = RebalApp(path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        for number, (mode, keys) in STEPS.items():
            await pilot.press(str(number), *keys)
            await wait_until(pilot, lambda m=mode: app.current_mode == m, what=mode)
            if number == 4:
                await wait_until(pilot, lambda: app.session is not None
                                 and app.session.plan_state in ("done", "failed"),
                                 tries=500, what="the plan")
            await pilot.pause(0.2)
            (out / f"step{number}.txt").write_text(screen_text(app), encoding="utf-8")
        await pilot.press("ctrl+s", "y")
        await wait_until(pilot, lambda: app.session is not None and not app.session.dirty
                         and app.focused is not None and app.focused.id == "saved-trades",
                         what="saved")
        await pilot.press("down", "m")
        await wait_until(pilot, lambda: app.session is not None and app.session.saved_plan
                         is not None and app.session.saved_plan.trades[1].status == "placed",
                         what="marked")
        await pilot.pause(0.2)
        (out / "step4-saved.txt").write_text(screen_text(app), encoding="utf-8")


def main() -> None:
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "household.toml"
        shutil.copyfile(ROOT / "sample_portfolios" / "household.toml", copy)
        asyncio.run(capture(copy, out))
    print(f"wrote {', '.join(f'step{n}.txt' for n in STEPS)}, step4-saved.txt to {out}")


if __name__ == "__main__":
    main()
