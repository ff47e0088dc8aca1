"""The in-app import: preview the change, apply only on confirm, escape leaves the file alone."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from rebal.importers import read_each_export
from rebal.store.apply_import import apply_import
from rebal.store.load import Loaded, load
from rebal.tui.screens.import_screen import ImportScreen

FIXTURES = Path(__file__).parent / "fixtures"
NOTHING = object()


class ImportHost(App[None]):
    """A tiny app that opens the import screen and keeps what it returns."""

    def __init__(self, loaded: Loaded, **screen_options: Any) -> None:
        super().__init__()
        self.loaded = loaded
        self.screen_options = screen_options  # the screen's injected reader and writer
        self.returned: object = NOTHING

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        def keep(result: Loaded | None) -> None:
            self.returned = result

        self.push_screen(ImportScreen(self.loaded, **self.screen_options), keep)


@pytest.fixture
def loaded(tmp_path: Path) -> Loaded:
    path = tmp_path / "portfolio.toml"
    shutil.copy(FIXTURES / "household_test.toml", path)
    return load(path)


async def wait_until(pilot: Pilot[None], predicate: Callable[[], bool]) -> None:
    for _ in range(200):
        if predicate():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never reached the expected state")


def diff_text(app: App[None]) -> str:
    content = app.screen.query_one("#import-diff", Static).render()
    return str(content)


async def type_paths(pilot: Pilot[None], app: App[None], *paths: Path) -> None:
    field = app.screen.query_one("#import-paths", Input)
    field.value = " ".join(str(p) for p in paths)
    field.focus()
    await pilot.press("enter")


async def test_preview_then_apply_writes_and_returns_the_reloaded_file(loaded: Loaded) -> None:
    app = ImportHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")
        await wait_until(pilot, lambda: "FXAIX" in diff_text(app))
        text = diff_text(app)
        assert "account 'Roth IRA' <- ROTH IRA (Z23456789)" in text
        assert "VXUS" in text
        assert loaded.path.read_text() == loaded.text  # previewing writes nothing
        apply = app.screen.query_one("#import-apply", Button)
        assert not apply.disabled
        await pilot.click("#import-apply")
        await wait_until(pilot, lambda: app.returned is not NOTHING)
    assert isinstance(app.returned, Loaded)
    assert app.returned.portfolio.account("Roth IRA").holdings["VXUS"] == Decimal(600)
    assert load(loaded.path).portfolio.account("Roth IRA").holdings["VXUS"] == Decimal(600)


async def test_escape_cancels_and_writes_nothing(loaded: Loaded) -> None:
    app = ImportHost(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")
        await wait_until(pilot, lambda: "FXAIX" in diff_text(app))
        # At 80x24 the change still gets room to be read.
        assert app.screen.query_one("#import-diff-scroll").size.height >= 5
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.returned is not NOTHING)
    assert app.returned is None
    assert loaded.path.read_text() == loaded.text
    assert not loaded.path.with_name("portfolio.toml.bak").exists()


async def test_an_unmatched_account_is_answered_in_the_accounts_field(loaded: Loaded) -> None:
    app = ImportHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")
        await wait_until(pilot, lambda: "needs an answer" in diff_text(app))
        assert "skip BROKER-ID" in diff_text(app)
        assert "ACME CORP 401(K) (87654)" in diff_text(app)
        assert app.screen.query_one("#import-apply", Button).disabled
        accounts = app.screen.query_one("#import-accounts", Input)
        accounts.value = "ACME 401(k)=87654"
        accounts.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "matched by the Accounts field" in diff_text(app))
        assert not app.screen.query_one("#import-apply", Button).disabled
        accounts.value = "skip 87654"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "skipped ACME CORP 401(K) (87654)" in diff_text(app))


async def test_every_account_skipped_offers_nothing_to_apply(loaded: Loaded) -> None:
    """Failed before: the preview offered Apply, which moved as_of to the export's date."""
    app = ImportHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")
        await wait_until(pilot, lambda: "needs an answer" in diff_text(app))
        accounts = app.screen.query_one("#import-accounts", Input)
        accounts.value = "skip 87654; skip Z23456789; skip X98765432"
        accounts.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "skipped Individual (X98765432)" in diff_text(app))
        assert (
            "Nothing imported (every broker account was skipped), the file is unchanged."
            in diff_text(app)
        )
        assert "portfolio as_of" not in diff_text(app)
        assert app.screen.query_one("#import-apply", Button).disabled
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.returned is not NOTHING)
    assert loaded.path.read_text() == loaded.text
    assert not loaded.path.with_name("portfolio.toml.bak").exists()


async def test_bad_file_and_markup_like_names_are_shown_as_plain_text(
    loaded: Loaded, tmp_path: Path
) -> None:
    export = tmp_path / "odd [b].csv"
    export.write_text("account,ticker,shares,price\n[bold]Spouse,VTI,1,[/]\n")
    app = ImportHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        field = app.screen.query_one("#import-paths", Input)
        field.value = f'"{export}"'
        field.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "not a number" in diff_text(app))
        assert "odd [b].csv:2: error: price: '[/]' is not a number" in diff_text(app)
        assert app.screen.query_one("#import-apply", Button).disabled
    assert loaded.path.read_text() == loaded.text


async def test_the_same_export_picked_twice_is_named_not_read_twice(loaded: Loaded) -> None:
    export = FIXTURES / "Portfolio_Positions_Nov-21-2026.csv"
    app = ImportHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, export, export)
        await wait_until(pilot, lambda: "given twice" in diff_text(app))
        text = diff_text(app)
        assert f"{export}: error: this file is given twice; give each export once" in text
        assert "would replace account" not in text
        assert app.screen.query_one("#import-apply", Button).disabled
    assert loaded.path.read_text() == loaded.text


async def test_preview_and_apply_read_and_write_off_the_ui_thread(loaded: Loaded) -> None:
    """Big exports take a while to parse: the screen keeps drawing and taking keys."""
    import threading

    threads: list[str] = []

    def read(paths, **options):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return read_each_export(paths, **options)

    def apply(plan, **options):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return apply_import(plan, **options)

    app = ImportHost(loaded, read_exports=read, apply=apply)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")
        await wait_until(pilot, lambda: "FXAIX" in diff_text(app))
        await pilot.click("#import-apply")
        await wait_until(pilot, lambda: app.returned is not NOTHING)
    assert isinstance(app.returned, Loaded)
    assert len(threads) == 2
    assert threading.main_thread().name not in threads


class DatedHost(ImportHost):
    """A host whose clock says it is 19 November 2026, as RebalApp's injected clock would."""

    today = dt.date(2026, 11, 19)


async def test_the_screen_refuses_an_export_dated_after_the_apps_today(loaded: Loaded) -> None:
    app = DatedHost(loaded)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")
        await wait_until(pilot, lambda: "after today" in diff_text(app))
        assert "is dated 2026-11-21" in diff_text(app)
        assert app.screen.query_one("#import-apply", Button).disabled
    assert loaded.path.read_text() == loaded.text


TAXABLE = """\
[portfolio]
name = "Basis"
as_of = 2026-11-01

[targets]
Stocks = 100

[securities.VTI]
price = 290
class = "Stocks"

[securities.BND]
price = 72
class = "Stocks"

[securities.VXUS]
price = 60
class = "Stocks"

[securities.ITOT]
price = 118
class = "Stocks"

[[accounts]]
name = "Joint WROS"
kind = "taxable"
holdings = { VTI = 600, BND = 400, VXUS = 300, ITOT = 50 }
cost_basis.VXUS = 15000.00  # typed from an old statement
"""


async def test_the_preview_states_every_cost_basis_change(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_text(TAXABLE)
    app = ImportHost(load(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-24-2026.csv")
        await wait_until(pilot, lambda: "cost_basis" in diff_text(app))
        text = diff_text(app)
        assert "cost_basis VTI: — -> 117000.00" in text
        assert "cost_basis VXUS: 15000.00 kept: the export does not know the basis" in text
        assert "no cost basis for ITOT" in text
        await pilot.click("#import-apply")
        await wait_until(pilot, lambda: app.returned is not NOTHING)
    assert "cost_basis.VTI = 117000.00" in path.read_text()
    assert "cost_basis.VXUS = 15000.00  # typed from an old statement" in path.read_text()


async def test_apply_waits_for_another_rebal_saving_and_says_whom(loaded: Loaded) -> None:
    """Another rebal holds the file's writer lock: the write waits in the worker, the
    screen names that process meanwhile and escape does not leave a write half-known;
    once the lock is free the import is written and the file returned."""
    from tui.test_save_waits import OTHER_PID, another_rebal_saving

    app = ImportHost(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-21-2026.csv")
        await wait_until(pilot, lambda: "FXAIX" in diff_text(app))
        with another_rebal_saving(loaded.path):
            await pilot.click("#import-apply")
            await wait_until(
                pilot, lambda: f"Waiting for another rebal (pid {OTHER_PID})" in diff_text(app)
            )
            await pilot.press("escape")  # the write is under way: the screen stays
            await pilot.pause()
            assert isinstance(app.screen, ImportScreen)
            assert app.returned is NOTHING
            assert loaded.path.read_text() == loaded.text
        for _ in range(400):
            if app.returned is not NOTHING:
                break
            await pilot.pause(0.01)
    assert isinstance(app.returned, Loaded)
    assert load(loaded.path).portfolio.account("Roth IRA").holdings["VXUS"] == Decimal(600)


async def test_a_refusal_no_answer_can_fix_is_not_asked_as_a_question(tmp_path: Path) -> None:
    # Before: the typed-lots refusal was prefaced "The import needs an answer first.
    # Type it in the accounts field ...", though only an edit of the lots fixes it.
    path = tmp_path / "portfolio.toml"
    path.write_text(
        TAXABLE.replace("VTI = 600", "VTI = 550")
        + "lots.VTI = [\n  { acquired = 2019-03-04, shares = 350, cost = 50750.00 },\n"
        "  { acquired = 2026-10-15, shares = 200, cost = 59000.00 },\n]\n"
    )
    before = path.read_bytes()
    app = ImportHost(load(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-24-2026.csv")
        await wait_until(pilot, lambda: "lots.VTI" in diff_text(app))
        text = diff_text(app)
        assert text.startswith("Nothing can be imported until these are fixed:")
        assert "needs an answer" not in text
        assert "would hold 600 shares of VTI" in text
        assert app.screen.query_one("#import-apply", Button).disabled
    assert path.read_bytes() == before


async def test_the_fields_are_labelled_and_say_how_to_write_a_name_with_spaces(
    loaded: Loaded,
) -> None:
    app = ImportHost(loaded)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        labels = [str(label.render()) for label in app.screen.query(".import-field")]
        assert labels == ["Export files", "Accounts (only if the preview asks)"]
        paths = app.screen.query_one("#import-paths", Input)
        assert 'quote a name with spaces: "My Positions.csv"' in paths.placeholder


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_a_malformed_answer_names_the_field_not_the_cli_flag(
    loaded: Loaded, size: tuple[int, int]
) -> None:
    """Failed before: the app said "--account 'ACME 401(k)': write it as ...", a flag the
    app has none of; it names its Accounts field (rebal import keeps --account)."""
    app = ImportHost(loaded)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await type_paths(pilot, app, FIXTURES / "Portfolio_Positions_Nov-20-2026.csv")
        await wait_until(pilot, lambda: "needs an answer" in diff_text(app))
        accounts = app.screen.query_one("#import-accounts", Input)
        accounts.focus()
        await pilot.press(*"ACME 401(k)", "enter")
        expected = "Accounts field 'ACME 401(k)': write it as \"Account name\"=BROKER-ID"
        await wait_until(pilot, lambda: expected in diff_text(app))
        assert "--account" not in diff_text(app)
        assert app.screen.query_one("#import-apply", Button).disabled
