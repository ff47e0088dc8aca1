"""The app shows each warning of the file it opens, in the words `rebal check` prints."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.message import Message
from textual.notifications import Notify

from rebal.store.load import load
from rebal.tui.app import RebalApp
from tui.helpers import wait_until

MakeApp = Callable[..., RebalApp]


async def test_a_far_future_pending_flow_is_shown_as_a_warning(
    make_app: MakeApp, tmp_copy: Callable[[str], Path]
) -> None:
    path = tmp_copy("seed_return")
    path.write_text(
        path.read_text() + '\n[[flows]]\ndate = 2099-06-01\naccount = "Brokerage"\namount = 5000\n'
    )
    (expected,) = [str(w) for w in load(path).warnings]
    shown: list[Notify] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            shown.append(message)

    app = make_app(path)
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await wait_until(pilot, lambda: app.current_mode == "target", what="step 1")
        await wait_until(pilot, lambda: bool(shown), what="the warning")
    (warning,) = [n.notification for n in shown if n.notification.title == "Warning"]
    assert warning.message == expected
    assert "flows[0].date: flow dated 2099-06-01, more than a year after" in expected
    assert warning.severity == "warning"
