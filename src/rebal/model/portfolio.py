"""The portfolio file's schema: one pydantic model per TOML table.

The shape is a public contract (docs/portfolio-format.md). Keys may be added,
never renamed or removed. Every model forbids unknown keys so that a typo is
reported (with a "did you mean" hint by the store) instead of silently dropped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from rebal.model.account_kinds import TaxTreatment, tax_treatment
from rebal.model.constants import (
    LARGEST_NUMBER,
    SHARE_SUM_TOLERANCE,
    STYLE_CELLS,
    UNCLASSIFIED,
)
from rebal.model.plan_inputs import RecordedFigures

# NaN and infinity are valid TOML floats, so they are refused explicitly;
# ge=0 makes "negative" an error at the field that holds it, so the message
# names the right path. The upper limit catches typos (see LARGEST_NUMBER). The
# limit on decimal places (MAX_DECIMAL_PLACES), which keeps 1e-999999 from
# overflowing the engine's arithmetic, is the reader's: a float past it is read
# as a TooPrecise (store.syntax), which no field accepts, so the message still
# names its key. Amounts typed on the command line have at most 2 places, and the
# app's fields refuse more than MAX_DECIMAL_PLACES (tui.parse).
_Exact = Field(allow_inf_nan=False)
NonNegative = Annotated[Decimal, Field(ge=0, le=LARGEST_NUMBER), _Exact]
Signed = Annotated[Decimal, Field(ge=-LARGEST_NUMBER, le=LARGEST_NUMBER), _Exact]
Percent = Annotated[Decimal, Field(ge=0, le=100), _Exact]
Positive = Annotated[Decimal, Field(gt=0, le=LARGEST_NUMBER), _Exact]

BandKind = Literal["relative", "absolute", "5/25"]
PlanMode = Literal["full", "band-edge", "cash-flow"]
TradeStatus = Literal["planned", "placed", "done"]
Decision = Literal["keep", "trim", "add", "replace", "hold-for-tax"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PortfolioInfo(_Strict):
    name: str = Field(min_length=1)
    currency: str = Field(default="USD", min_length=3, max_length=3)
    as_of: dt.date
    cash_class: str = Field(default="Cash", min_length=1)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    # Extension: sector share of equity above which step 3 flags a concentration.
    sector_limit: Percent = Decimal(25)
    # Extension: which classes are stocks, for the stocks-vs-bonds/cash view,
    # the style box and sectors. Default: classes whose name says stock/equity.
    equity_classes: list[str] | None = None


class Bands(_Strict):
    kind: BandKind = "relative"
    width: NonNegative = Decimal(5)
    floor: NonNegative = Decimal(0)
    # Width overrides per class, under every kind: relative, percent of the
    # target; absolute and 5/25, percentage points.
    per_class: dict[str, NonNegative] = Field(default_factory=dict)
    # Extension: the pair of kind = "5/25", the smaller of `absolute` points and
    # `relative` percent of the target (Swedroe's 5 and 25 by default).
    absolute: NonNegative = Decimal(5)
    relative: NonNegative = Decimal(25)
    # Extension: seed 001 keeps the edges inside the band ("<19% or >21%");
    # Vanguard's "5 points or more" puts them outside.
    edges: Literal["inside", "outside"] = "inside"


class Security(_Strict):
    name: str | None = None
    price: NonNegative
    asset_class: str | None = Field(default=None, alias="class", min_length=1)
    classes: dict[str, Percent] | None = None
    style: str | dict[str, Percent] | None = None
    sectors: dict[str, Percent] | None = None
    # Extensions written by imports: where the price came from, and an alias.
    price_as_of: dt.date | None = None
    cusip: str | None = None
    # Extension (tax): funds the user treats as substantially identical for wash sales.
    wash_group: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_classification(self) -> Security:
        if self.asset_class is not None and self.classes is not None:
            raise ValueError("give either `class` or `classes`, not both")
        return self

    @field_validator("classes")
    @classmethod
    def _split_sums_to_100(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        # A split fund's weights are hand-copied, often rounded (33.33 x 3), so a
        # small slack is allowed; the engine scales them to exactly 100%.
        if value is not None:
            if not value:
                raise ValueError("`classes` is empty: name at least one class with its percent")
            total = sum(value.values(), Decimal(0))
            if abs(total - 100) > SHARE_SUM_TOLERANCE:
                raise ValueError(f"`classes` must sum to 100 (they sum to {total:f})")
        return value

    @field_validator("style")
    @classmethod
    def _known_cells(
        cls, value: str | dict[str, Decimal] | None
    ) -> str | dict[str, Decimal] | None:
        cells = [value] if isinstance(value, str) else list(value or {})
        for cell in cells:
            if cell not in STYLE_CELLS:
                raise ValueError(
                    f"unknown style-box cell {cell!r}; use one of {', '.join(STYLE_CELLS)}"
                )
        if isinstance(value, dict) and sum(value.values(), Decimal(0)) > 100 + SHARE_SUM_TOLERANCE:
            raise ValueError("style weights add up to more than 100")
        return value

    @field_validator("sectors")
    @classmethod
    def _sectors_at_most_100(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        if value and sum(value.values(), Decimal(0)) > 100 + SHARE_SUM_TOLERANCE:
            raise ValueError("sector weights add up to more than 100")
        return value

    def class_weights(self) -> dict[str, Decimal]:
        """Percent of this security in each asset class (empty when unclassified)."""
        if self.asset_class is not None:
            return {self.asset_class: Decimal(100)}
        return dict(self.classes or {})


class Lot(_Strict):
    """Shares of one purchase: its trade date, share count and total cost (basis)."""

    acquired: dt.date
    shares: Positive
    cost: NonNegative


class Account(_Strict):
    name: str = Field(min_length=1)
    # As the user wrote it ("401k", "Roth IRA"); `tax_treatment` is what it means.
    kind: str = "other"
    # Cash may be negative (an overdraft or unsettled buys): the planner then
    # has to sell in this account. The store warns about it.
    cash: Signed = Decimal(0)
    menu: list[str] | None = None
    avoid_selling: bool | None = None
    holdings: dict[str, NonNegative] = Field(default_factory=dict)
    # Extension written by imports: the broker's account number, for matching.
    broker_id: str | None = None
    # Extension (tax): purchase lots per ticker, or a total basis when lots are not known.
    lots: dict[str, list[Lot]] = Field(default_factory=dict)
    cost_basis: dict[str, NonNegative] = Field(default_factory=dict)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if tax_treatment(value) is None:
            # The store adds the hint: which names rebal knows.
            raise ValueError(f"{value!r} is not an account kind rebal knows")
        return value

    @property
    def tax_treatment(self) -> TaxTreatment:
        """What `kind` means for taxes: "401k" is traditional, "joint" is taxable."""
        # The validator refused every kind without a treatment.
        return tax_treatment(self.kind) or "other"

    @property
    def avoids_selling(self) -> bool:
        """Sales in a taxable account realise gains, so it avoids them by default."""
        if self.avoid_selling is not None:
            return self.avoid_selling
        return self.tax_treatment == "taxable"


class Flow(_Strict):
    """Money added to (+) or withdrawn from (-) one account: an external cash flow."""

    date: dt.date
    account: str = Field(min_length=1)
    amount: Signed
    note: str = ""


def _check_style_cells(
    value: dict[str, Decimal] | None, allow: tuple[str, ...]
) -> dict[str, Decimal] | None:
    for cell in value or {}:
        if cell not in allow:
            raise ValueError(f"unknown style-box cell {cell!r}; use one of {', '.join(allow)}")
    if value and sum(value.values(), Decimal(0)) > 100 + SHARE_SUM_TOLERANCE:
        raise ValueError("style percentages add up to more than 100")
    return value


class HistorySnapshot(_Strict):
    date: dt.date
    total: NonNegative
    classes: dict[str, Signed] = Field(default_factory=dict)
    # Extension: per-security values, so step 3 can show growth per holding.
    holdings: dict[str, Signed] = Field(default_factory=dict)
    # Extension: the stock part's style-box and sector mix at this review, percent
    # of the stock part with data, so step 3 can show what moved since.
    style: dict[str, Percent] | None = None
    sectors: dict[str, Percent] | None = None

    @field_validator("style")
    @classmethod
    def _known_style_cells(cls, value: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        return _check_style_cells(value, allow=(*STYLE_CELLS, UNCLASSIFIED))
    # Extension: the flows between the previous snapshot and this one, so the
    # period's return is money-weighted (Modified Dietz), not the change in value.
    flows: list[Flow] = Field(default_factory=list)


class PlannedTrade(_Strict):
    account: str
    ticker: str
    action: Literal["buy", "sell"]
    shares: NonNegative
    amount: NonNegative
    reason: str = ""
    status: TradeStatus = "planned"
    # Extension: the account's shares of `ticker` when the plan was saved, so a
    # later import can be reconciled with the trade (None in older files).
    shares_before: NonNegative | None = None


class HoldingDecision(_Strict):
    ticker: str
    decision: Decision
    note: str = ""


def _plan_date(value: object) -> dt.date:
    """A date as TOML writes it, or as text "YYYY-MM-DD" typed by hand."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date_type", "Input should be a valid date")


class _TaxInputs(BaseModel):
    """The tax options a saved plan records in `inputs` (written since 2026-12): they
    become the plan's options when it reopens, so a value that is not one is refused
    at its key instead of silently turning an option off."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    avoid_wash_sales: StrictBool = False
    harvest: StrictBool = False
    trade_date: Annotated[dt.date, PlainValidator(_plan_date)] | None = None


class SavedPlan(_Strict):
    mode: PlanMode
    created: dt.date | dt.datetime
    # What the plan was made with; a record for people, so a hand-written number
    # (min_trade = 500) is as good as the text rebal writes (min_trade = "500.00").
    inputs: dict[str, str | Signed | bool | dt.date | list[str]] = Field(default_factory=dict)

    @field_validator("inputs")
    @classmethod
    def _tax_inputs(
        cls, value: dict[str, str | Decimal | bool | dt.date | list[str]]
    ) -> dict[str, str | Decimal | bool | dt.date | list[str]]:
        _TaxInputs.model_validate(value)  # its errors carry the key: plan.inputs.harvest
        RecordedFigures.check(value)
        return value

    @property
    def tax_inputs(self) -> _TaxInputs:
        """The recorded tax options (off and None in files saved before they were)."""
        return _TaxInputs.model_validate(self.inputs)
    trades: list[PlannedTrade] = Field(default_factory=list)
    decisions: list[HoldingDecision] = Field(default_factory=list)


class TaxSettings(_Strict):
    """Marginal rates (percent) for the estimate, and the optional limits of [tax]."""

    short_term_rate: Percent
    long_term_rate: Percent
    # The most net realized gain a plan may create: the planner obeys it (docs/planner.md).
    gain_budget: NonNegative | None = None
    harvest_threshold: NonNegative | None = None


class Portfolio(_Strict):
    portfolio: PortfolioInfo
    targets: dict[str, Percent]
    bands: Bands = Field(default_factory=Bands)
    securities: dict[str, Security] = Field(default_factory=dict)
    accounts: list[Account] = Field(default_factory=list)
    history: list[HistorySnapshot] = Field(default_factory=list)
    plan: SavedPlan | None = None
    # Extension: flows since the latest snapshot; a save moves them into the new one.
    flows: list[Flow] = Field(default_factory=list)
    # Extensions (tax): [tax] rates and limits; [location] ranks tax treatments per class.
    tax: TaxSettings | None = None
    location: dict[str, list[TaxTreatment]] = Field(default_factory=dict)
    # Extension: the style-box mix the stock part should have (percent per cell).
    style_targets: dict[str, Percent] | None = None

    @field_validator("style_targets")
    @classmethod
    def _style_targets_cells(
        cls, value: dict[str, Decimal] | None
    ) -> dict[str, Decimal] | None:
        return _check_style_cells(value, allow=STYLE_CELLS)

    @property
    def cash_class(self) -> str:
        return self.portfolio.cash_class

    def account(self, name: str) -> Account:
        for account in self.accounts:
            if account.name == name:
                return account
        raise KeyError(name)

    def latest_snapshot(self) -> HistorySnapshot | None:
        """The most recent snapshot dated on or before the prices' date."""
        earlier = [h for h in self.history if h.date <= self.portfolio.as_of]
        return max(earlier, key=lambda h: h.date) if earlier else None

    def effective_targets(self) -> dict[str, Decimal]:
        """Targets with every held class present; an untargeted class gets 0%.

        Contract note: cash with no target has an implicit 0% target, and so does
        any other class held but not named (the store also warns about it).
        """
        targets = dict(self.targets)
        held: set[str] = set()
        for account in self.accounts:
            if account.cash:
                held.add(self.cash_class)
            for ticker in account.holdings:
                security = self.securities.get(ticker)
                if security is not None:
                    weights = {c: w for c, w in security.class_weights().items() if w}
                    held.update(weights or {UNCLASSIFIED: Decimal(100)})
        for name in sorted(held):
            targets.setdefault(name, Decimal(0))
        return targets
