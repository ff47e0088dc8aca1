"""The child of bench_app.py: the real app headless at 80x24, walked through every step.

    .venv/bin/python bench/app_walk.py FILE.toml TIMEOUT [--profile FOLDER]

Prints one JSON object: per phase (a key or a few keys a user presses), when its
data was first painted, the longest event-loop block while it ran and the peak RSS
so far (which phase grows it); then the step 4 measures and the peak RSS.
"Painted" means a widget rendered its data for the screen: the walk wraps the
render methods of Textual's public widget classes (`Static.render`, the line API's
`render_line`) and notes when a widget drew content, so a table counts once its
rows are drawn, not when they are added.

With --profile, each phase runs under cProfile (stdlib) and its statistics are
written to FOLDER/<phase>.prof (for `python -m pstats`); the timings then stretch.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Static, Tree

from rebal.tui.app import RebalApp
from rebal.tui.widgets.trades_table import TradesTable

# The last time each widget (by id) drew content, and a running count of its draws.
painted: dict[str, float] = {}


def note(widget: Any) -> None:
    if widget.id:
        painted[widget.id] = time.perf_counter()


def wrap_static() -> None:
    original = Static.render

    def render(self: Static) -> Any:
        result = original(self)
        if str(self.content):
            note(self)
        return result

    Static.render = render  # type: ignore[method-assign]


def wrap_lines(cls: Any, has_data: Callable[[Any], bool]) -> None:
    original = cls.render_line

    def render_line(self: Any, y: int) -> Any:
        result = original(self, y)
        if y > 0 and has_data(self):
            note(self)
        return result

    cls.render_line = render_line


wrap_static()
wrap_lines(DataTable, lambda table: table.row_count > 0)
wrap_lines(Tree, lambda tree: bool(tree.root.children))
wrap_lines(TradesTable, lambda table: bool(table.trades))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Monitor:
    """The lag monitor: a task that sleeps 10 ms and records how late it wakes."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []  # wall time late, the loop's own CPU
        self.running = True

    async def run(self) -> None:
        while self.running:
            before, cpu = time.perf_counter(), time.thread_time()
            await asyncio.sleep(0.01)
            self.gaps.append((time.perf_counter() - before - 0.01, time.thread_time() - cpu))

    def take(self) -> dict[str, float]:
        """The longest block since the last take: its wall time, and the event loop's
        own CPU time in it (the rest is waiting for a core, or for a worker thread's
        hold on the interpreter); and how many blocks passed 100 ms."""
        gaps, self.gaps = self.gaps, []
        worst = max(gaps, default=(0.0, 0.0))
        return {
            "worst_block_ms": worst[0] * 1000,
            "worst_block_cpu_ms": worst[1] * 1000,
            "blocks_over_100ms": sum(1 for gap, _ in gaps if gap > 0.1),
        }


class Walk:
    def __init__(self, app: RebalApp, pilot: Any, timeout: float, profile: Path | None) -> None:
        self.app, self.pilot, self.timeout, self.profile = app, pilot, timeout, profile
        self.monitor = Monitor()
        self.phases: list[dict[str, object]] = []

    async def wait(self, ready: Callable[[], bool]) -> bool:
        deadline = time.perf_counter() + self.timeout
        while time.perf_counter() < deadline:
            if ready():
                return True
            await asyncio.sleep(0.005)
        return False

    def painted_since(self, started: float, *ids: str) -> Callable[[], bool]:
        return lambda: all(painted.get(i, 0.0) > started for i in ids)

    async def phase(
        self, name: str, keys: tuple[str, ...], shows: tuple[str, ...] = (),
        ready: Callable[[], bool] | None = None,
    ) -> dict[str, object]:
        """Press `keys`; wait until the widgets `shows` drew data after the first key
        (and `ready` holds); let the loop settle; record the longest block meanwhile."""
        profiler = cProfile.Profile() if self.profile else None
        self.monitor.take()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for key in keys:
            await self.pilot.press(key)
        condition = self.painted_since(started, *shows)
        done = await self.wait(lambda: condition() and (ready is None or ready()))
        shown = time.perf_counter()
        await asyncio.sleep(0.3)  # a paint after the last change, and room for late blocks
        await self.pilot.pause()
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(self.profile / f"{len(self.phases):02d}-{name}.prof"))
        result: dict[str, object] = {
            "name": name,
            "shown_ms": (shown - started) * 1000 if shows or ready else None,
            **self.monitor.take(),
            "rss_mib": peak_rss_mib(),
        }
        if not done:
            seen = sorted(i for i, t in painted.items() if t > started)
            result["error"] = f"not on screen after {self.timeout:.0f} s (drawn: {seen})"
        self.phases.append(result)
        return result


async def step4(walk: Walk) -> dict[str, object]:
    """From pressing 4: "Planning…" painted, the summary and first trades, and the plan."""
    app = walk.app
    walk.monitor.take()
    planning_at: list[float] = []
    original = Static.render

    def render(self: Static) -> Any:
        result = original(self)
        if self.id == "planning" and "Planning" in str(self.content) and not planning_at:
            planning_at.append(time.perf_counter())
        return result

    Static.render = render  # type: ignore[method-assign]
    profiler = cProfile.Profile() if walk.profile else None
    pressed = time.perf_counter()
    if profiler:
        profiler.enable()
    app.simulate_key("4")

    def plan_shown() -> bool:
        session = app.session
        return (
            app.current_mode == "rebalance" and session is not None
            and (session.plan_state == "failed" or (
                session.plan_state == "done" and session.plan is not None
                and painted.get("trades", 0.0) > pressed
                and painted.get("summary", 0.0) > pressed
            ))
        )

    done = await walk.wait(plan_shown)
    shown = time.perf_counter()
    await asyncio.sleep(0.3)
    if profiler and walk.profile:
        profiler.disable()
        profiler.dump_stats(str(walk.profile / f"{len(walk.phases):02d}-4.prof"))
    Static.render = original  # type: ignore[method-assign]
    session = app.session
    result: dict[str, object] = {
        "planning_ms": (planning_at[0] - pressed) * 1000 if planning_at else None,
        "plan_shown_ms": (shown - pressed) * 1000 if done else None,
        **walk.monitor.take(),
        "trades": len(session.plan.trades) if session and session.plan else 0,
    }
    if session is not None and session.plan_state == "failed":
        result["error"] = session.plan_message
    elif not done:
        result["error"] = f"no plan on screen after {walk.timeout:.0f} s"
    walk.phases.append({"name": "4: plan on screen", "shown_ms": result["plan_shown_ms"],
                        **{k: v for k, v in result.items() if "block" in k},
                        "rss_mib": peak_rss_mib()})
    return result


def accounts_listed(app: RebalApp) -> Callable[[], bool]:
    def ready() -> bool:
        trees = app.screen.query("#pane-accounts-tree")
        if not trees or app.session is None:
            return False
        tree = trees.first(Tree)
        return len(tree.root.children) == len(app.session.loaded.portfolio.accounts)

    return ready


def options_listed(app: RebalApp) -> Callable[[], bool]:
    def ready() -> bool:
        tables = app.screen.query("#accounts-options")
        if not tables or app.session is None:
            return False
        table = tables.first(DataTable)
        return table.row_count == len(app.session.loaded.portfolio.accounts)

    return ready


def replanned(app: RebalApp, before: object) -> Callable[[], bool]:
    def ready() -> bool:
        session = app.session
        return (session is not None and session.plan is not None
                and session.plan is not before and painted.get("trades", 0.0) > 0)

    return ready


async def main(path: Path, seconds: float, profile: Path | None) -> dict[str, object]:
    opened = time.perf_counter()
    app = RebalApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = Walk(app, pilot, seconds, profile)
        watcher = asyncio.create_task(walk.monitor.run())
        step1 = await walk.wait(
            lambda: app.current_mode == "target" and painted.get("targets", 0.0) > opened
        )
        walk.phases.append({
            "name": "open: step 1's targets", "shown_ms": (time.perf_counter() - opened) * 1000,
            **walk.monitor.take(), "rss_mib": peak_rss_mib(),
            **({} if step1 else {"error": "step 1 never painted its targets"}),
        })
        if not step1:
            return {"phases": walk.phases}
        await asyncio.sleep(0.3)
        walk.monitor.take()
        await walk.phase("1: edit a target, type 25", ("enter", "2", "5"), ("edit-problem",))
        await walk.phase("1: escape the edit", ("escape",))
        await walk.phase("2: compare", ("2",), ("drift",))
        await walk.phase("3: stocks vs bonds", ("3",), ("stocks-view",))
        await walk.phase("3: style box (y)", ("y",), ("style-view",))
        await walk.phase("3: sectors (c)", ("c",), ("sectors-note",))
        await walk.phase("3: holdings (h)", ("h",), ("holdings-table",))
        await walk.phase("3: holdings cursor and pages",
                         ("down",) * 10 + ("pagedown",) * 3 + ("up",) * 5)
        await walk.phase("a: accounts pane", ("a",), ("pane-accounts-tree",),
                         accounts_listed(app))
        await walk.phase("a: page through accounts, open one",
                         ("pagedown",) * 10 + ("down",) * 10 + ("enter",))
        await walk.phase("d: drift pane", ("d",), ("pane-drift-table",))
        await walk.phase("escape the panes", ("escape",))
        plan = await step4(walk)
        await walk.phase("4: trades cursor and pages",
                         ("down",) * 20 + ("pagedown",) * 10 + ("ctrl+end", "ctrl+home"))
        await walk.phase("4: open the options (o)", ("o",), ("accounts-options",),
                         options_listed(app))
        await walk.phase("4: page the options", ("tab", "tab", "tab") + ("pagedown",) * 5)
        before = app.session.plan if app.session else None
        await walk.phase("4: space (avoid selling), replan", ("space",),
                         ready=replanned(app, before))
        await walk.phase("4: escape to the trades", ("escape",))
        await walk.phase("1: back to step 1", ("1",))
        # A new plan is unsaved: the import asks first (y: import anyway).
        dirty = app.session is not None and app.session.dirty
        await walk.phase("i: import screen", ("i", "y") if dirty else ("i",), ("import-tree",))
        await walk.phase("escape the import", ("escape",))
        walk.monitor.running = False
        await watcher
    return {
        "positions": sum(len(a.holdings) for a in app.session.loaded.portfolio.accounts)
        if app.session else 0,
        "phases": walk.phases,
        "step4": plan,
        "rss_mib": peak_rss_mib(),
    }


if __name__ == "__main__":
    folder = None
    if "--profile" in sys.argv:
        folder = Path(sys.argv[sys.argv.index("--profile") + 1])
        folder.mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(main(Path(sys.argv[1]), float(sys.argv[2]), folder))))
