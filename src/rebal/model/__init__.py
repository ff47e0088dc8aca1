"""The portfolio file's schema (pydantic v2). No I/O here."""

from rebal.model.constants import UNCLASSIFIED
from rebal.model.portfolio import (
    Account,
    Bands,
    Flow,
    HistorySnapshot,
    HoldingDecision,
    PlannedTrade,
    Portfolio,
    PortfolioInfo,
    SavedPlan,
    Security,
)

__all__ = [
    "UNCLASSIFIED",
    "Account",
    "Bands",
    "Flow",
    "HistorySnapshot",
    "HoldingDecision",
    "PlannedTrade",
    "Portfolio",
    "PortfolioInfo",
    "SavedPlan",
    "Security",
]
