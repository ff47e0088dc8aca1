"""What the app calls beyond itself: the planner, the loader, the saver (and the
import screen's export reader).

RebalApp takes each as a constructor argument defaulting to the real one, so
tests hand it fakes instead of patching modules. The real ones import their
modules on first use: the planner (and its solvers) and the writer (tomlkit)
are never paid for at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rebal.core.planner.types import Plan, PlanOptions
    from rebal.importers import ImportFailed, ImportResult
    from rebal.model import Portfolio
    from rebal.model.portfolio import TradeStatus
    from rebal.store.apply_import import ImportPlan
    from rebal.store.atomic import Backup
    from rebal.store.load import Loaded

Planner = Callable[["Portfolio", "PlanOptions"], "Plan"]
Loader = Callable[[Path], "Loaded"]


class ExportReader(Protocol):
    """Reads broker exports, each path with its result (rebal.importers.read_each_export)."""

    def __call__(
        self, paths: Sequence[Path], *, today: dt.date | None = None
    ) -> Iterable[tuple[Path, ImportResult | ImportFailed]]: ...


class ImportWriter(Protocol):
    """Writes a prepared import into the file (rebal.store.apply_import.apply_import)."""

    def __call__(self, plan: ImportPlan, *, backup: Backup) -> Loaded: ...


class Saver(Protocol):
    """Writes into the portfolio file (rebal.store.save's and apply_import's contracts)."""

    def preview_review(self, loaded: Loaded, **review: Any) -> str: ...

    def save_review(self, loaded: Loaded, *, backup: Backup, **review: Any) -> Loaded: ...

    def mark_trades(
        self, loaded: Loaded, statuses: Mapping[int, TradeStatus], *, backup: Backup
    ) -> Loaded: ...

    def apply_import(self, plan: ImportPlan, *, backup: Backup) -> Loaded: ...


def real_planner(portfolio: Portfolio, options: PlanOptions) -> Plan:
    from rebal.core.planner import plan

    return plan(portfolio, options)


def real_loader(path: Path) -> Loaded:
    from rebal.store.load import load

    return load(path)


class StoreSaver:
    """rebal.store.save, imported on the first save."""

    def preview_review(self, loaded: Loaded, **review: Any) -> str:
        from rebal.store import save

        return save.preview_review(loaded, **review)

    def save_review(self, loaded: Loaded, *, backup: Backup, **review: Any) -> Loaded:
        from rebal.store import save

        return save.save_review(loaded, backup=backup, **review)

    def mark_trades(
        self, loaded: Loaded, statuses: Mapping[int, TradeStatus], *, backup: Backup
    ) -> Loaded:
        from rebal.store import save

        return save.mark_trades(loaded, statuses, backup=backup)

    def apply_import(self, plan: ImportPlan, *, backup: Backup) -> Loaded:
        from rebal.store.apply_import import apply_import

        return apply_import(plan, backup=backup)
