"""The app's one immutable state, and the pure transitions that replace it.

The App holds a `Session` in a reactive; every edit builds a new one through a
function below, so each change is a plain value that tests can check without
running Textual. Nothing here imports Textual or does I/O.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeVar

from rebal.core.allocation import class_exposure, equity_classes, rescale_to_stock_share
from rebal.core.bands import width_keeping_band
from rebal.core.numbers import HUNDRED
from rebal.core.plan_record import (
    Replacement,
    bands_record,
    options_from_saved,
    recorded_changes,
    replacement,
    reproduces,
    targets_record,
    trade_key,
)
from rebal.core.reconcile import PlanProgress, reconcile
from rebal.core.report import Report, build_report
from rebal.core.rules import control_character, target_sum
from rebal.model import Portfolio
from rebal.model.portfolio import (
    BandKind,
    Bands,
    Decision,
    HoldingDecision,
    SavedPlan,
)
from rebal.present.figures import money, plural, points
from rebal.present.plan_words import tax_option_changes
from rebal.store.load import Loaded

if TYPE_CHECKING:
    # The planner package loads its solver front end on import: step 1 does not need it.
    from rebal.core.planner.types import Plan, PlanOptions

PlanState = Literal["idle", "running", "done", "failed"]
# Which plan step 4 treats as the current one. "saved": the file's [plan], as
# it was saved (its trades, statuses and options), with no planner run; "new":
# the plan computed in this session, which a save would write. A file with a
# [plan] opens on "saved"; planning again is the user's explicit choice.
PlanView = Literal["saved", "new"]

DECISIONS: tuple[Decision, ...] = ("keep", "trim", "add", "replace", "hold-for-tax")
MAX_CLASS_NAME = 40


Value = TypeVar("Value")

# What the steps derive from the holdings (exposure by class and by account, the
# stock/bond split, look-through views): seconds on a 20,000-position household, so
# computed once per portfolio and kept, and computed first in a thread worker (see
# StepScreen and rebal.tui.view) so the event loop only reads it.
# Up to this many positions (or trades) the app derives figures on the event loop (a few
# milliseconds); above it, in thread workers, and big lists fill in slices.
IN_THREAD_ABOVE = 1_000
MEMO_PER_FUNCTION = 3  # a few edits of the targets; old file reads are let go
_memo: dict[Callable[..., object], list[tuple[Portfolio, tuple[object, ...], object]]] = {}
_memo_lock = threading.Lock()


def keep_from_the_collector(portfolio: Portfolio) -> None:
    """On a big household, leave every object alive now out of Python's cyclic
    collections (`gc.freeze`; the app undoes it when it ends).

    Called when a file read, a plan or step 4's rows are built: these live as long as
    the session, and on 20,000 positions each full collection that walked them again
    blocked the event loop for 100-160 ms at any moment (an escape, a cursor key).
    Objects frozen are still freed when their last reference goes, but cyclic garbage
    frozen stays until the app ends, so all the cyclic garbage since the last freeze
    (a plan's solver model, widgets removed) is collected first: a full collection,
    which walks only what is not frozen yet. Collecting only the younger generations
    left about 3 MiB of removed widgets and old plans frozen on 2,000 positions."""
    if position_count(portfolio) > IN_THREAD_ABOVE:
        gc.collect()
        gc.freeze()


def position_count(portfolio: Portfolio) -> int:
    return sum(len(account.holdings) for account in portfolio.accounts)


def remembered(
    compute: Callable[..., Value], portfolio: Portfolio, *args: object
) -> Value:
    """`compute(portfolio, *args)`, kept for the same portfolio (the object: a file read,
    frozen) and equal arguments. The result is shared: callers never change it."""
    with _memo_lock:
        entries = _memo.setdefault(compute, [])
        for held, held_args, value in entries:
            if held is portfolio and held_args == args:
                return value  # type: ignore[return-value]
    value = compute(portfolio, *args)
    with _memo_lock:
        entries.insert(0, (portfolio, args, value))
        del entries[MEMO_PER_FUNCTION:]
    return value


_last_report: tuple[tuple[Loaded, dict[str, Decimal], Bands], Report] | None = None


@dataclass(frozen=True)
class Session:
    loaded: Loaded
    targets: Mapping[str, Decimal]  # every class, in file order, as edited
    bands: Bands
    decisions: Mapping[str, HoldingDecision] = field(default_factory=dict)
    # None until the user changes an option: `options` then builds the defaults.
    chosen_options: PlanOptions | None = None
    sector_limit: Decimal = Decimal(25)
    plan: Plan | None = None
    plan_state: PlanState = "idle"
    plan_message: str = ""
    # Which request the running plan answers; a result for another one is stale.
    plan_token: object | None = None
    plan_unsaved: bool = False  # a plan computed since the last save or read
    dirty: bool = False
    view: PlanView = "new"

    @cached_property
    def options(self) -> PlanOptions:
        """The plan options: as chosen in step 4, else the saved plan's, else the defaults."""
        if self.chosen_options is not None:
            return self.chosen_options
        from rebal.core.planner.types import PlanOptions

        saved = self.loaded.portfolio.plan
        return options_from_saved(saved) if saved else PlanOptions()

    def report(self) -> Report:
        """The report under the edited targets and bands (the core computes it).

        Kept for the next session with the same file, targets and bands: starting,
        finishing or changing a plan makes a new session but not a new report, and
        every step screen asks for it (valuing 20,000 positions takes a while)."""
        global _last_report
        key = (self.loaded, dict(self.targets), self.bands)
        if _last_report is not None:
            (loaded, targets, bands), report = _last_report
            if loaded is key[0] and targets == key[1] and bands == key[2]:
                return report
        report = build_report(self.loaded.portfolio, targets=self.targets, policy=self.bands)
        _last_report = key, report
        return report

    @property
    def targets_edited(self) -> bool:
        return dict(self.targets) != self.loaded.portfolio.effective_targets()

    @property
    def bands_edited(self) -> bool:
        return self.bands != self.loaded.portfolio.bands

    @property
    def sector_limit_edited(self) -> bool:
        return self.sector_limit != self.loaded.portfolio.portfolio.sector_limit

    @property
    def can_plan(self) -> bool:
        return not target_problems(self.targets, self.loaded.portfolio.cash_class).errors

    @property
    def saved_plan(self) -> SavedPlan | None:
        return self.loaded.portfolio.plan

    @property
    def shows_saved_plan(self) -> bool:
        """Whether step 4 lists the saved plan as the current one: until the user asks
        for a new plan, and while that new plan is being made (or failed)."""
        return self.saved_plan is not None and (self.view == "saved" or self.plan is None)

    @property
    def plans_on_its_own(self) -> bool:
        """Whether step 4 plans without being asked (on entry, after an edit): never
        over a saved plan the user has not chosen to replan."""
        return self.view == "new"

    @property
    def plan_to_save(self) -> Plan | None:
        """The plan a save writes: a new one, never the saved plan computed again
        (rewriting that would only change its date)."""
        return self.plan if self.plan_unsaved else None


def open_session(loaded: Loaded) -> Session:
    """A fresh session for a file just read: its targets, bands and saved decisions."""
    portfolio = loaded.portfolio
    saved = portfolio.plan
    decisions = {d.ticker: d for d in saved.decisions} if saved else {}
    return Session(
        loaded=loaded,
        targets=portfolio.effective_targets(),
        bands=portfolio.bands,
        decisions=decisions,
        sector_limit=portfolio.portfolio.sector_limit,
        view="saved" if saved is not None else "new",
    )


def _edited(session: Session, **changes: object) -> Session:
    """An edit that changes what a plan would be: the old plan no longer applies."""
    return replace(session, plan=None, plan_state="idle", plan_message="", dirty=True, **changes)  # type: ignore[arg-type]


def edit_target(session: Session, asset_class: str, percent: Decimal) -> Session:
    targets = dict(session.targets)
    targets[asset_class] = percent
    return _edited(session, targets=targets)


def add_class(session: Session, asset_class: str) -> Session:
    """A new asset class with a 0% target (the user then gives it its share)."""
    name = asset_class.strip()
    if not name or name in session.targets:
        return session
    targets = dict(session.targets)
    targets[name] = Decimal(0)
    return _edited(session, targets=targets)


def new_class_problem(session: Session, name: str) -> str:
    """Why `name` cannot be a new class ("" when it can)."""
    name = name.strip()
    if not name:
        return "type the class's name, e.g. Real Estate"
    if len(name) > MAX_CLASS_NAME:
        return f"keep the name under {MAX_CLASS_NAME} characters"
    if control_character(name) is not None:
        return "the name holds a control character (pasted from a terminal?): type it instead"
    if any(name.casefold() == existing.casefold() for existing in session.targets):
        return f"there is already a class named {name}"
    return ""


def classes_nothing_holds(session: Session) -> tuple[str, ...]:
    """Targeted classes no security in the file belongs to: the plan cannot buy them."""
    held = {
        name
        for security in session.loaded.portfolio.securities.values()
        for name in security.class_weights()
    }
    cash = session.loaded.portfolio.cash_class
    return tuple(
        name for name, target in session.targets.items()
        if target > 0 and name not in held and name != cash
    )


def set_band_kind(session: Session, kind: BandKind) -> Session:
    """Change the band kind; each class's own width is converted to keep its band.

    "Cash 25" under relative is 25% of Cash's target; left as 25 under absolute it
    would silently become 25 points either side. Where no width can keep the band
    (a 0% target, or 5/25 whose rule sets the band) the number stays as written.
    """
    old = session.bands
    per_class = {}
    for name, width in old.per_class.items():
        kept = width_keeping_band(session.targets.get(name, Decimal(0)), old, kind, name)
        per_class[name] = width if kept is None else kept
    return _edited(session, bands=old.model_copy(update={"kind": kind, "per_class": per_class}))


def set_band_floor(session: Session, floor: Decimal) -> Session:
    """The narrowest a relative band may be, in percentage points."""
    return _edited(session, bands=session.bands.model_copy(update={"floor": floor}))


def remove_class(session: Session, asset_class: str) -> Session:
    """Drop a class's target (and its own band width). Whatever the household holds
    in it then counts as untargeted: a 0% class, all of it drift."""
    if asset_class not in session.targets:
        return session
    targets = {name: value for name, value in session.targets.items() if name != asset_class}
    per_class = {n: w for n, w in session.bands.per_class.items() if n != asset_class}
    bands = session.bands.model_copy(update={"per_class": per_class})
    return _edited(session, targets=targets, bands=bands)


def held_without_target(session: Session) -> tuple[str, ...]:
    """Classes the household holds money in that have no target (they count as 0%)."""
    exposure = remembered(class_exposure, session.loaded.portfolio)
    return tuple(sorted(name for name, value in exposure.items()
                        if value and name not in session.targets))


def apply_stock_share(session: Session, stocks: Decimal) -> Session:
    """Targets rescaled so that the stock classes add up to `stocks` percent
    (unchanged when there is no stock, or no other, target to scale)."""
    targets = targets_for_stock_share(session, stocks)
    if targets is None or targets == dict(session.targets):
        return session
    return _edited(session, targets=targets)


def targets_for_stock_share(session: Session, stocks: Decimal) -> dict[str, Decimal] | None:
    """What the targets would be with `stocks` percent in the stock classes."""
    equity = equity_classes(session.loaded.portfolio, session.targets)
    return rescale_to_stock_share(dict(session.targets), equity, stocks)


def stock_target(session: Session) -> Decimal:
    """The stock classes' share of the edited targets, in percent."""
    equity = equity_classes(session.loaded.portfolio, session.targets)
    return sum((t for name, t in session.targets.items() if name in equity), Decimal(0))


def set_band_width(session: Session, width: Decimal) -> Session:
    return _edited(session, bands=session.bands.model_copy(update={"width": width}))


def set_class_band(session: Session, asset_class: str, width: Decimal | None) -> Session:
    """Override one class's band width, or drop the override (None)."""
    per_class = dict(session.bands.per_class)
    if width is None:
        per_class.pop(asset_class, None)
    else:
        per_class[asset_class] = width
    return _edited(session, bands=session.bands.model_copy(update={"per_class": per_class}))


def record_decision(
    session: Session, ticker: str, decision: Decision | None, note: str = ""
) -> Session:
    """Record (or clear, with None) what the user decided for one holding."""
    decisions = dict(session.decisions)
    if decision is None:
        decisions.pop(ticker, None)
    else:
        decisions[ticker] = HoldingDecision(ticker=ticker, decision=decision, note=note.strip())
    # A decision is saved with the plan but does not change the trades.
    return replace(session, decisions=decisions, dirty=True)


def set_sector_limit(session: Session, limit: Decimal) -> Session:
    """The step 3 concentration limit: a display setting, saved to the file, no re-plan."""
    if limit == session.sector_limit:
        return session
    return replace(session, sector_limit=limit, dirty=True)


def set_options(session: Session, options: PlanOptions) -> Session:
    """New options: a new plan made with others is dropped (step 4 makes it again);
    the saved plan stays on screen, and the options wait for the user's new plan."""
    if session.view == "saved":
        return replace(session, chosen_options=options)
    return replace(
        session, chosen_options=options, plan=None, plan_state="idle", plan_message=""
    )


def new_plan_wanted(session: Session) -> Session:
    """The user asked for a new plan: step 4 makes one with the options as set.
    The saved plan stays listed until the new plan is ready."""
    return replace(session, view="new", plan=None, plan_state="idle", plan_message="")


def back_to_saved(session: Session) -> Session:
    """Drop the new plan (not saved) and show the saved one again, with its options."""
    if session.saved_plan is None:
        return session
    return _recounted(replace(
        session, view="saved", plan=None, plan_state="idle", plan_message="",
        plan_unsaved=False, chosen_options=None,
    ))


def _recounted(session: Session) -> Session:
    """`dirty` as what a save would still add (after dropping a part of the edits)."""
    return replace(session, dirty=bool(unsaved_changes(session)))


def plan_started(session: Session) -> Session:
    return replace(session, plan_state="running", plan_message="planning…", plan_token=object())


def plan_finished(session: Session, plan: Plan) -> Session:
    if reproduces_saved_plan(session.loaded.portfolio.plan, plan):
        # The file's plan, computed again from the same holdings and options:
        # nothing new to save; the saved plan (with its statuses) stays the current
        # one, and this computation gives step 4 its summary.
        return _recounted(replace(
            session, plan=plan, plan_state="done", plan_message="", view="saved",
            plan_unsaved=False,
        ))
    return replace(
        session, plan=plan, plan_state="done", plan_message="", dirty=True, plan_unsaved=True,
        view="new",
    )


def reproduces_saved_plan(saved: SavedPlan | None, plan: Plan) -> bool:
    """Whether `plan` is the saved one: the same options and the same trades in order."""
    if saved is None:
        return False
    restored, options = options_from_saved(saved), plan.options
    same_options = (restored.mode, restored.new_money, restored.whole_shares,
                    restored.min_trade, restored.avoid_selling, restored.avoid_wash_sales,
                    restored.harvest, restored.trade_date) == (
        options.mode, dict(options.new_money), options.whole_shares,
        options.min_trade, dict(options.avoid_selling), options.avoid_wash_sales,
        options.harvest, options.trade_date)
    keys = [trade_key(t.account, t.ticker, t.action, t.shares, t.amount) for t in plan.trades]
    return same_options and reproduces(saved, keys)


def saved_progress(session: Session) -> PlanProgress | None:
    """The saved plan's trades read against the holdings now (after an import, say)."""
    saved = session.loaded.portfolio.plan
    return None if saved is None else reconcile(saved, session.loaded.portfolio)


def looks_done_unmarked(session: Session) -> tuple[int, ...]:
    """Indexes of saved trades whose position moved by the whole trade but not marked done."""
    progress = saved_progress(session)
    if progress is None:
        return ()
    return tuple(
        row.number - 1
        for row in progress.trades
        if row.progress == "done" and row.trade.status != "done"
    )


def changes_since_saved_plan(session: Session) -> tuple[str, ...]:
    """What a new plan would be made with that the saved plan was not, in words
    (options changed in step 4, targets or bands edited in step 1)."""
    saved = session.saved_plan
    if saved is None:
        return ()
    was, now = options_from_saved(saved), session.options
    parts = []
    if was.mode != now.mode:
        parts.append(f"mode {was.mode} → {now.mode}")
    if dict(was.new_money) != dict(now.new_money):
        parts.append("new money")
    if was.whole_shares != now.whole_shares:
        parts.append("whole shares" if now.whole_shares else "fractional shares")
    if was.min_trade != now.min_trade:
        currency = session.loaded.portfolio.portfolio.currency
        parts.append(
            f"minimum trade {money(was.min_trade, currency)} → {money(now.min_trade, currency)}"
        )
    accounts = session.loaded.portfolio.accounts
    if [was.avoid_selling.get(a.name, a.avoids_selling) for a in accounts] != [
        now.avoid_selling.get(a.name, a.avoids_selling) for a in accounts
    ]:
        parts.append("no-sell accounts")
    parts.extend(tax_option_changes(was, now))
    for what, record, edited in (
        ("targets", targets_record(session.targets), session.targets_edited),
        ("bands", bands_record(session.bands), session.bands_edited),
    ):
        changed = recorded_changes(saved.inputs.get(what), record)
        if changed is None:  # saved by an older rebal: only this session's edits are known
            if edited:
                parts.append(what)
        elif changed:
            parts.append(f"{what} ({', '.join(changed)})")
    return tuple(parts)


def replacing_saved_plan(session: Session) -> Replacement:
    """What saving the session's plan would lose of the saved plan's trade statuses."""
    plan = session.plan_to_save
    if plan is None:
        return replacement(None, ())  # no new plan: the saved one stays as it is
    keys = [trade_key(t.account, t.ticker, t.action, t.shares, t.amount) for t in plan.trades]
    return replacement(session.loaded.portfolio.plan, keys)


def plan_failed(session: Session, message: str) -> Session:
    return replace(session, plan=None, plan_state="failed", plan_message=message)


def reopened(session: Session, loaded: Loaded) -> Session:
    """The file was read again (after a save, an import or an outside edit)."""
    fresh = open_session(loaded)
    # The sector limit is the file's again: it is saved with the review.
    return replace(fresh, chosen_options=session.chosen_options)


def saved(session: Session, loaded: Loaded) -> Session:
    """After a successful save: the file now holds the edits; keep the plan on screen."""
    return replace(reopened(session, loaded), plan=session.plan, plan_state=session.plan_state)


def unsaved_changes(session: Session) -> tuple[str, ...]:
    """What a save would add that the file does not hold yet, in words (for quitting)."""
    parts = []
    if session.plan is not None and session.plan_unsaved:
        count = len(session.plan.trades)
        parts.append(f"the {session.options.mode} plan with {count} trade{'s' * (count != 1)}")
    saved = session.loaded.portfolio.plan
    if dict(session.decisions) != ({d.ticker: d for d in saved.decisions} if saved else {}):
        parts.append("your holding decisions")
    if session.targets_edited:
        parts.append("the edited targets")
    if session.bands_edited:
        parts.append("the edited bands")
    if session.sector_limit_edited:
        parts.append(f"the sector limit ({session.sector_limit}%)")
    return tuple(parts)


def plan_options_for(session: Session) -> PlanOptions:
    """The options the planner gets: the user's, plus edited targets when there are any."""
    targets = dict(session.targets) if session.targets_edited else None
    return replace(session.options, targets=targets)


@dataclass(frozen=True)
class TargetCheck:
    total: Decimal
    errors: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def target_problems(targets: Mapping[str, Decimal], cash_class: str) -> TargetCheck:
    """Live validation of edited targets: sum to 100 (the loader's rule), no negatives, cash."""
    total = target_sum(targets)
    errors: list[str] = []
    notes: list[str] = []
    for name, value in targets.items():
        if value < 0:
            errors.append(f"{name}: a target cannot be negative ({value}%)")
        elif value > HUNDRED:
            errors.append(f"{name}: a target cannot exceed 100% ({value}%)")
    if not total.ok:
        direction = "short of" if total.gap > 0 else "over"
        gap = points(abs(total.gap))
        errors.append(f"targets sum to {total.total}%, {gap} {direction} 100%")
    if cash_class not in targets:
        notes.append(f"no target for {cash_class}: account cash counts as a 0% class")
    elif targets[cash_class] == 0:
        notes.append(f"{cash_class} targets 0%: any uninvested cash shows as drift")
    return TargetCheck(total.total, tuple(errors), tuple(notes))


@dataclass(frozen=True)
class AgeSuggestion:
    age: int
    bonds: Decimal  # percent, the rule of thumb's bond share (bonds and cash)
    rule: str
    explanation: str


def age_suggestion(birth_year: int | None, today: dt.date) -> AgeSuggestion | None:
    """The 'age minus 20 in bonds' rule of thumb; a suggestion the user may ignore."""
    if birth_year is None:
        return None
    age = today.year - birth_year
    bonds = Decimal(min(100, max(0, age - 20)))
    return AgeSuggestion(
        age=age,
        bonds=bonds,
        rule="bonds ≈ age − 20",
        explanation=(
            f"born {birth_year}, so {age} in {today.year}: bonds and cash ≈ {age} − 20 = "
            f"{bonds}%, stocks ≈ {HUNDRED - bonds}%. A rule of thumb for growing more "
            "conservative with age, not advice: nothing changes unless you apply it."
        ),
    )


def save_summary(old_text: str, new_text: str) -> str:
    """The save in words, read from the text it would write (the same data as its diff).

    So the summary cannot claim what the diff does not contain: a snapshot is
    named with the date it is written with, and only when it changes.
    """
    import tomllib

    old = tomllib.loads(old_text, parse_float=Decimal)
    new = tomllib.loads(new_text, parse_float=Decimal)
    parts: list[str] = []
    old_plan, new_plan = old.get("plan", {}), new.get("plan", {})
    if _without(old_plan, "decisions") != _without(new_plan, "decisions"):
        trades = new_plan.get("trades", [])
        count = len(trades)
        parts.append(f"the {new_plan.get('mode')} plan with {count} trade{'s' * (count != 1)}")
        kept = sum(1 for t in trades if t.get("status", "planned") != "planned")
        if kept:
            parts.append(f"keeping the status of {kept} placed or done trade{'s' * (kept != 1)}")
    if old_plan.get("decisions") != new_plan.get("decisions"):
        parts.append(plural(len(new_plan.get("decisions", [])), "holding decision"))
    if old.get("targets") != new.get("targets"):
        parts.append("the edited targets")
    if old.get("bands") != new.get("bands"):
        parts.append("the edited bands")
    limit = new.get("portfolio", {}).get("sector_limit")
    if old.get("portfolio", {}).get("sector_limit") != limit:
        parts.append(f"the sector limit ({limit}%)")
    old_history = {entry.get("date"): entry for entry in old.get("history", [])}
    for entry in new.get("history", []):
        date = entry.get("date")
        if old_history.get(date) == entry:
            continue
        when = date.isoformat() if isinstance(date, dt.date) else str(date)
        verb = "replacing the one" if date in old_history else "of the values"
        parts.append(f"a snapshot {verb} at the prices of {when}")
        if entry.get("flows") and not (old_history.get(date) or {}).get("flows"):
            flows = len(entry["flows"])
            parts.append(f"with the {flows} flow{'s' * (flows != 1)} of the period")
    old_flows, new_flows = old.get("flows", []), new.get("flows", [])
    added = [flow for flow in new_flows if flow not in old_flows]
    if added:
        parts.append(f"{len(added)} new-money flow{'s' * (len(added) != 1)} in [[flows]]")
    if not parts:
        return "The file would not change."
    return "Writes " + ", ".join(parts) + "."


def _without(table: Mapping[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in table.items() if k != key}


def plan_date(saved: SavedPlan) -> str:
    """When a plan was saved, as step 4 and the messages name it (to the minute)."""
    created = saved.created
    if isinstance(created, dt.datetime):
        return created.strftime("%Y-%m-%d %H:%M")
    return created.isoformat()
