"""Messages the step screens post up to the App, which turns them into session changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: the app imports this module before the model
    from collections.abc import Callable
    from decimal import Decimal

    from rebal.core.planner.types import PlanOptions
    from rebal.model.portfolio import BandKind, Decision
    from rebal.tui.session import Session


class TargetEdited(Message):
    def __init__(self, asset_class: str, percent: Decimal) -> None:
        super().__init__()
        self.asset_class = asset_class
        self.percent = percent


class ClassAdded(Message):
    """A new asset class, added in step 1 with a 0% target."""

    def __init__(self, asset_class: str) -> None:
        super().__init__()
        self.asset_class = asset_class


class BandKindChosen(Message):
    def __init__(self, kind: BandKind) -> None:
        super().__init__()
        self.kind = kind


class BandWidthEdited(Message):
    def __init__(self, width: Decimal) -> None:
        super().__init__()
        self.width = width


class ClassBandEdited(Message):
    """A per-class band width; None removes the override."""

    def __init__(self, asset_class: str, width: Decimal | None) -> None:
        super().__init__()
        self.asset_class = asset_class
        self.width = width


class DecisionRecorded(Message):
    def __init__(self, ticker: str, decision: Decision | None, note: str) -> None:
        super().__init__()
        self.ticker = ticker
        self.decision = decision
        self.note = note


class SectorLimitEdited(Message):
    def __init__(self, limit: Decimal) -> None:
        super().__init__()
        self.limit = limit


class PlanOptionsChanged(Message):
    def __init__(self, options: PlanOptions) -> None:
        super().__init__()
        self.options = options

    def can_replace(self, message: Message) -> bool:
        # A burst of keystrokes in an amount field coalesces into the latest options.
        return isinstance(message, PlanOptionsChanged)


class PlanRequested(Message):
    pass


class SessionEdited(Message):
    """An edit as the session transition that makes it (a pure function of tui/session)."""

    def __init__(self, transition: Callable[[Session], Session]) -> None:
        super().__init__()
        self.transition = transition
