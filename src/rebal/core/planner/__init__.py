"""The trade planner across accounts. See docs/planner.md for the formulation.

Importing this package loads no solver: highspy and numpy are imported inside
the functions that use them, so only planning pays for them.
"""

from rebal.core.planner.apply import apply_trades
from rebal.core.planner.band_money import new_money_to_band
from rebal.core.planner.plan import plan
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
    "apply_trades",
    "new_money_to_band",
    "plan",
]
