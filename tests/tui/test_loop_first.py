"""While the reader imports and validates in its thread, the event loop gets the
interpreter back within the short switch interval, and the interval is restored after."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from rebal.store.load import Loaded
from rebal.tui.app import RebalApp
from rebal.tui.responsive import WORKER_SWITCH_INTERVAL, loop_first
from rebal.tui.services import real_loader
from tui.helpers import FIXTURES, fixed_clock, wait_until


async def test_the_reader_runs_with_the_short_interval_and_restores_the_usual_one() -> None:
    usual = sys.getswitchinterval()
    assert usual > WORKER_SWITCH_INTERVAL
    during: list[float] = []

    def loader(path: Path) -> Loaded:
        during.append(sys.getswitchinterval())
        return real_loader(path)

    app = RebalApp(FIXTURES / "household.toml", clock=fixed_clock, loader=loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target" and app.screen.is_current,
                         what="the checked step 1")
        await app.workers.wait_for_complete()
        assert during == [WORKER_SWITCH_INTERVAL]
        assert sys.getswitchinterval() == usual


def test_overlapping_workers_share_one_shortening_and_the_last_restores() -> None:
    usual = sys.getswitchinterval()
    first_in, second_done, first_may_end = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, float] = {}

    def first() -> None:
        with loop_first():
            first_in.set()
            first_may_end.wait(timeout=10)
            seen["first, after the second ended"] = sys.getswitchinterval()

    def second() -> None:
        first_in.wait(timeout=10)
        with loop_first(), loop_first():  # nested, too
            seen["second"] = sys.getswitchinterval()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_done.wait(timeout=10)
    first_may_end.set()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == {"second": WORKER_SWITCH_INTERVAL,
                    "first, after the second ended": WORKER_SWITCH_INTERVAL}
    assert sys.getswitchinterval() == usual


def test_an_error_in_the_block_still_restores_the_interval() -> None:
    usual = sys.getswitchinterval()
    with pytest.raises(ValueError, match="the worker failed"), loop_first():
        raise ValueError("the worker failed")
    assert sys.getswitchinterval() == usual
