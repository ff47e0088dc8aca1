"""The trade planner across accounts. See docs/planner.md for the formulation."""

from rebal.core.planner.types import (
    NewMoneyToBand,
    Plan,
    PlanError,
    PlanOptions,
    Residual,
    Skipped,
    Trade,
)

__all__ = [
    "NewMoneyToBand",
    "Plan",
    "PlanError",
    "PlanOptions",
    "Residual",
    "Skipped",
    "Trade",
]
