"""The portfolio file's schema (pydantic v2). No I/O here."""

from rebal.model.constants import UNCLASSIFIED
from rebal.model.portfolio import (
    Account,
    Bands,
    Flow,
    HistorySnapshot,
    HoldingDecision,
    Lot,
    PlannedTrade,
    Portfolio,
    PortfolioInfo,
    SavedPlan,
    Security,
    TaxSettings,
)

__all__ = [
    "UNCLASSIFIED",
    "Account",
    "Bands",
    "Flow",
    "HistorySnapshot",
    "HoldingDecision",
    "Lot",
    "PlannedTrade",
    "Portfolio",
    "PortfolioInfo",
    "SavedPlan",
    "Security",
    "TaxSettings",
]
