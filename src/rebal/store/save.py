"""Write a review back into the user's own file without losing a byte they wrote.

The file is edited, never regenerated: tomlkit (imported only when saving,
so loading stays fast) parses the text with its comments and layout, the
review's tables are changed in place, and the result is re-validated and
compared with what was read before `write_atomic` replaces the file. If any
value the user wrote would change, nothing is written and `SaveRefused` says
why.

What a review writes:
- `[plan]`: mode, created, the inputs used, `[[plan.trades]]` (status
  "planned") and `[[plan.decisions]]`, replacing any previous `[plan]`;
- one `[[history]]` snapshot dated on the prices' date, `as_of` (an existing snapshot
  of that date is replaced), with the total, class values and per-security
  values, all to the cent;
- `[targets]` and `[bands]` when they were edited in the app;
- `portfolio.sector_limit` when the step 3 concentration limit was changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rebal.core.allocation import class_exposure, sector_exposure, style_box
from rebal.core.numbers import ZERO, cents, split_to_cents
from rebal.core.plan_record import (
    bands_record,
    plan_flow_note,
    same_saved_trade,
    targets_record,
    trade_key,
)
from rebal.core.valuation import holding_values, household_total
from rebal.model import Bands, Portfolio
from rebal.model.portfolio import Flow, HoldingDecision, SavedPlan, TradeStatus
from rebal.problems import Problem
from rebal.store.atomic import Backup, SaveRefused, write_atomic
from rebal.store.load import Loaded
from rebal.store.toml_edit import (
    MayChange,
    dumps_keeping_line_endings,
    exact_number,
    money,
    move_trailing_comments,
    verify_edit,
)

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.items import AoT, InlineTable, Item, Table

    from rebal.core.planner.types import Plan, PlanOptions

TRADE_STATUSES: tuple[TradeStatus, ...] = ("planned", "placed", "done")
# The one key of [portfolio] a review may change (the step 3 concentration limit).
SECTOR_LIMIT = ("portfolio", "sector_limit")


@dataclass(frozen=True)
class _Review:
    plan: Plan | None
    decisions: Sequence[HoldingDecision]
    targets: Mapping[str, Decimal] | None
    bands: Bands | None
    created: dt.datetime
    snapshot: bool
    sector_limit: Decimal | None = None


def save_review(
    loaded: Loaded,
    *,
    plan: Plan | None,
    decisions: Sequence[HoldingDecision] = (),
    targets: Mapping[str, Decimal] | None = None,
    bands: Bands | None = None,
    created: dt.datetime,
    snapshot: bool = True,
    sector_limit: Decimal | None = None,
    backup: Backup = "replace",
    recreate: bool = False,
) -> Loaded:
    """Write the review into `loaded.path` and return the file as now on disk.

    Raises SaveRefused (or its FileChangedOnDisk) and leaves the file untouched
    when the file changed since it was read, the result would not validate, or
    a value the user wrote would change. `backup` says whether `<name>.bak`
    becomes the version replaced or keeps the one already there. `recreate`
    writes the file again where another program deleted it since it was read
    (the text as read, with the review): refused if a file is there again.
    """
    review = _Review(plan, decisions, targets, bands, created, snapshot, sector_limit)
    return _write(loaded, *_checked_review(loaded, review), backup, recreate=recreate)


def preview_review(
    loaded: Loaded,
    *,
    plan: Plan | None,
    decisions: Sequence[HoldingDecision] = (),
    targets: Mapping[str, Decimal] | None = None,
    bands: Bands | None = None,
    created: dt.datetime,
    snapshot: bool = True,
    sector_limit: Decimal | None = None,
) -> str:
    """The whole new file text `save_review` would write (for a confirmation or a diff).

    It is checked exactly as a save would be, so a preview that returns is a
    save that will succeed unless the file changes on disk meanwhile.
    """
    review = _Review(plan, decisions, targets, bands, created, snapshot, sector_limit)
    text, _, _ = _checked_review(loaded, review)
    return text


def mark_trades(
    loaded: Loaded, statuses: Mapping[int, TradeStatus], *, backup: Backup = "replace"
) -> Loaded:
    """Set the status of saved trades, by index in `[[plan.trades]]`, and write the file."""
    saved = loaded.portfolio.plan
    if saved is None:
        raise SaveRefused(f"{loaded.path}: the file has no saved [plan]; save a plan first")
    for index, value in statuses.items():
        if not 0 <= index < len(saved.trades):
            raise SaveRefused(
                f"{loaded.path}: there is no trade #{index + 1} in [[plan.trades]] "
                f"(the plan has {len(saved.trades)})"
            )
        if value not in TRADE_STATUSES:
            raise SaveRefused(
                f"{loaded.path}: {value!r} is not a trade status; use one of "
                + ", ".join(TRADE_STATUSES)
            )
    import tomlkit

    document = tomlkit.parse(loaded.text)
    plan_table: Any = document["plan"]
    trades = plan_table["trades"]
    for index, value in statuses.items():
        trades[index]["status"] = value
    text = dumps_keeping_line_endings(document, loaded.text)
    expected = saved.model_copy(
        update={
            "trades": [
                trade.model_copy(update={"status": statuses.get(index, trade.status)})
                for index, trade in enumerate(saved.trades)
            ]
        }
    )
    may_change = MayChange(frozenset(("plan", "trades", index, "status") for index in statuses))

    def only_the_statuses(portfolio: Portfolio) -> list[str]:
        return [] if portfolio.plan == expected else ["[plan] beyond the trades' status"]

    portfolio, warnings = verify_edit(
        loaded.path, loaded.text, text, may_change, expect=only_the_statuses
    )
    return _write(loaded, text, portfolio, warnings, backup)


def _checked_review(loaded: Loaded, review: _Review) -> tuple[str, Portfolio, list[Problem]]:
    """The new file text for `review`, verified: what a save writes and a preview shows."""
    text = _render_review(loaded, review)
    portfolio, warnings = verify_edit(
        loaded.path, loaded.text, text, _review_changes(loaded, review)
    )
    return text, portfolio, warnings


def _write(
    loaded: Loaded,
    text: str,
    portfolio: Portfolio,
    warnings: list[Problem],
    backup: Backup,
    *,
    recreate: bool = False,
) -> Loaded:
    """Replace the file with verified `text` (or, `recreate`, write it anew where it was
    deleted); return it as now on disk."""
    expected = None if recreate else loaded.fingerprint
    fingerprint = write_atomic(loaded.path, loaded.as_written(text), expected, backup=backup)
    return Loaded(loaded.path, text, portfolio, warnings, fingerprint, loaded.bom)


# ---------------------------------------------------------------- rendering


def _render_review(loaded: Loaded, review: _Review) -> str:
    import tomlkit

    if review.plan is None and review.decisions and loaded.portfolio.plan is None:
        raise SaveRefused(
            f"{loaded.path}: holding decisions are saved in [plan], and there is no plan yet; "
            "make a plan, then save"
        )
    document = tomlkit.parse(loaded.text)
    if review.targets is not None:
        _update_table(document, "targets", _targets_table(review.targets))
    if review.bands is not None:
        written = set(document.get("bands", {}))
        _update_table(document, "bands", _bands_table(review.bands, written))
    if review.sector_limit is not None:
        info: Any = document["portfolio"]
        if "sector_limit" not in info or not _same_value(
            info["sector_limit"], exact_number(review.sector_limit)
        ):
            info["sector_limit"] = exact_number(review.sector_limit)
    moved, pending = _flows_after_review(loaded.portfolio, review)
    if review.snapshot:
        snapshot = _snapshot_table(loaded.portfolio, _priced_on(loaded))
        if moved:
            snapshot["flows"] = _flows_array(moved)
        _put_snapshot(document, snapshot)
    _put_pending_flows(document, loaded.portfolio.flows, pending)
    if review.plan is not None:
        _put_table(
            document,
            "plan",
            _plan_table(
                review.plan,
                review.decisions,
                review.created,
                previous=loaded.portfolio.plan,
                positions=loaded.portfolio,
                targets=(
                    review.targets
                    if review.targets is not None
                    else loaded.portfolio.effective_targets()
                ),
                bands=review.bands if review.bands is not None else loaded.portfolio.bands,
            ),
        )
    elif review.decisions:
        plan_table: Any = document["plan"]
        if "decisions" in plan_table:
            del plan_table["decisions"]
        plan_table["decisions"] = _decisions_aot(review.decisions)
    return dumps_keeping_line_endings(document, loaded.text)


def _priced_on(loaded: Loaded) -> dt.date:
    """A snapshot records values at the file's prices, so it carries their date
    (`as_of`), not the day of the save: the next review's return then runs
    from price date to price date, and the loader never sees a snapshot dated
    after the prices it is compared with."""
    return loaded.portfolio.portfolio.as_of


def _review_changes(loaded: Loaded, review: _Review) -> MayChange:
    """The tables a review rewrites; in `[[history]]` only the snapshot of its date."""
    changed: set[tuple[str, ...]] = set()
    if review.plan is not None or review.decisions:
        changed.add(("plan",))
    if review.plan is not None or review.snapshot:
        changed.add(("flows",))  # pending flows move into the new snapshot; new money is one
    if review.targets is not None:
        changed.add(("targets",))
    if review.bands is not None:
        changed.add(("bands",))
    if review.sector_limit is not None:
        changed.add(SECTOR_LIMIT)
    entries = {"history": ("date", _priced_on(loaded))} if review.snapshot else {}
    return MayChange(frozenset(changed), entries)


def _targets_table(targets: Mapping[str, Decimal]) -> dict[str, Item]:
    return {name: exact_number(value) for name, value in targets.items()}


def _bands_table(bands: Bands, written: set[str]) -> dict[str, Any]:
    """The keys of `[bands]` to write: those already `written` in the file, and any
    other whose value differs from the default (so editing the width does not
    add `floor = 0` and `per_class = {}` to the user's table)."""
    import tomlkit

    per_class = tomlkit.inline_table()
    for name, width in bands.per_class.items():
        per_class[name] = exact_number(width)
    values: dict[str, Any] = {
        "kind": bands.kind,
        "width": exact_number(bands.width),
        "floor": exact_number(bands.floor),
        "per_class": per_class,
        "edges": bands.edges,
        "absolute": exact_number(bands.absolute),
        "relative": exact_number(bands.relative),
    }
    defaults = Bands()
    return {
        key: value
        for key, value in values.items()
        if key in written or getattr(bands, key) != getattr(defaults, key)
    }


def _update_table(document: Container, key: str, values: Mapping[str, Any]) -> None:
    """Set `values` in table `key` keeping its comments and key order; drop keys not given.

    A key the table does not have yet is added after the others.
    """
    import tomlkit

    if key not in document:
        new_table = tomlkit.table()
        for name, value in values.items():
            new_table[name] = value
        _put_table(document, key, new_table)
        return
    table: Any = document[key]
    for name in [n for n in table if n not in values]:
        del table[name]
    for name, value in values.items():
        if name in table and _same_value(table[name], value):
            continue  # leave the user's spelling (e.g. `20` vs `20.0`) alone
        table[name] = value


def _same_value(current: Any, new: Any) -> bool:
    unwrap_current = current.unwrap() if hasattr(current, "unwrap") else current
    unwrap_new = new.unwrap() if hasattr(new, "unwrap") else new
    if isinstance(unwrap_current, float | int) and isinstance(unwrap_new, float | int):
        return Decimal(str(unwrap_current)) == Decimal(str(unwrap_new))
    return bool(unwrap_current == unwrap_new)


def _snapshot_table(portfolio: Portfolio, date: dt.date) -> Table:
    import tomlkit

    total = cents(household_total(portfolio))
    classes = split_to_cents(class_exposure(portfolio), total)
    by_security: dict[str, Decimal] = {}
    for holding in holding_values(portfolio):
        by_security[holding.ticker] = by_security.get(holding.ticker, ZERO) + holding.value
    table = tomlkit.table()
    table["date"] = date
    table["total"] = money(total)
    class_values = tomlkit.inline_table()
    for name, value in classes.items():
        class_values[name] = money(value)
    table["classes"] = class_values
    holdings = tomlkit.inline_table()
    for ticker, value in split_to_cents(by_security).items():
        holdings[ticker] = money(value)
    table["holdings"] = holdings
    # The stock part's mixes, so the next review can show what moved (step 3).
    for key, view in (("style", style_box(portfolio)), ("sectors", sector_exposure(portfolio))):
        mix = _mix_table(view.shares)
        if mix is not None:
            table[key] = mix
    return table


def _mix_table(shares: Mapping[str, Decimal]) -> InlineTable | None:
    """Percentages to two places that still add up to 100 (none when there is no data)."""
    import tomlkit

    held = {key: value for key, value in shares.items() if value > 0}
    if not held:
        return None
    mix = tomlkit.inline_table()
    for key, value in split_to_cents(held, Decimal(100)).items():
        if value:
            mix[key] = exact_number(value)
    return mix


def _put_snapshot(document: Container, snapshot: Table) -> None:
    import tomlkit

    if "history" not in document:
        new_history = tomlkit.aot()
        new_history.append(snapshot)
        _put_table(document, "history", new_history)
        return
    history: Any = document["history"]
    date = snapshot["date"]
    for index, existing in enumerate(history):
        if existing.get("date") == date:
            # Replace the values inside the same table so its comments stay.
            for name in list(existing):
                # The flows of the period that ended on that date stay recorded.
                if name not in snapshot and name != "flows":
                    del existing[name]
            for name, value in snapshot.items():
                existing[name] = value
            history[index] = existing
            return
    if len(history):
        # Comments and blank lines ending the last entry introduce what follows
        # it in the file: the new entry goes before them.
        move_trailing_comments(history[-1], snapshot)
    last = history[-1].as_string() if len(history) else "\n"
    snapshot.trivia.indent = "\n" if last.endswith("\n") else "\n\n"
    history.append(snapshot)


def _put_table(document: Container, key: str, value: Table | AoT) -> None:
    """Replace top-level `key` where it stands, or add it at the end after a blank line."""
    from tomlkit.items import AoT

    if key in document:
        move_trailing_comments(document[key], value)
        document[key] = value
        return
    end = document.as_string()
    if not end.endswith(("\n\n", "\r\n\r\n")) and end:
        first = value[0] if isinstance(value, AoT) else value
        first.trivia.indent = "\n" if end.endswith("\n") else "\n\n"
    document[key] = value


def _plan_table(
    plan: Plan,
    decisions: Sequence[HoldingDecision],
    created: dt.datetime,
    *,
    previous: SavedPlan | None = None,
    positions: Portfolio | None = None,
    targets: Mapping[str, Decimal] | None = None,
    bands: Bands | None = None,
) -> Table:
    """The `[plan]` table for `plan`.

    A trade identical to one of the `previous` plan keeps its status and its
    `shares_before`; any other records the account's shares of the ticker in
    `positions` (the holdings the plan was made from), for reconciliation.
    """
    import tomlkit

    table = tomlkit.table()
    table["mode"] = plan.options.mode
    table["created"] = created.replace(microsecond=0)
    inputs = table["inputs"] = _inputs_table(plan.options)
    # What the plan aimed at, so a later edit of [targets] or [bands] reads as a
    # change since the plan (rebal.core.plan_record.recorded_changes).
    if targets is not None:
        inputs["targets"] = targets_record(targets)
    if bands is not None:
        inputs["bands"] = bands_record(bands)
    trades = tomlkit.aot()
    for trade in plan.trades:
        key = trade_key(trade.account, trade.ticker, trade.action, trade.shares, trade.amount)
        same = same_saved_trade(previous, key)
        before = same.shares_before if same is not None else None
        if before is None and positions is not None:
            before = _shares_held(positions, trade.account, trade.ticker)
        row = tomlkit.table()
        row["account"] = trade.account
        row["ticker"] = trade.ticker
        row["action"] = trade.action
        row["shares"] = exact_number(trade.shares)
        row["amount"] = money(trade.amount)
        row["reason"] = trade.reason
        row["status"] = "planned" if same is None else same.status
        if before is not None:
            row["shares_before"] = exact_number(before)
        trades.append(row)
    if len(trades):
        table["trades"] = trades
    if decisions:
        table["decisions"] = _decisions_aot(decisions)
    return table


def _shares_held(portfolio: Portfolio, account: str, ticker: str) -> Decimal | None:
    for candidate in portfolio.accounts:
        if candidate.name == account:
            return candidate.holdings.get(ticker, ZERO)
    return None


def _flows_after_review(portfolio: Portfolio, review: _Review) -> tuple[list[Flow], list[Flow]]:
    """(flows moved into the review's snapshot, flows left pending in `[[flows]]`).

    The pending flows happened after the latest snapshot; a snapshot dated
    after every other closes their period, so those dated up to it move into
    it. Replacing a plan withdraws the new money it recorded while still
    pending; the new plan's new money is recorded as pending flows.
    """
    pending = list(portfolio.flows)
    moved: list[Flow] = []
    date = portfolio.portfolio.as_of
    if review.snapshot and all(h.date < date for h in portfolio.history):
        moved = [flow for flow in pending if flow.date <= date]
        pending = [flow for flow in pending if flow.date > date]
    if review.plan is None:
        return moved, pending
    if portfolio.plan is not None:
        withdrawn = plan_flow_note(portfolio.plan.created)
        pending = [flow for flow in pending if flow.note != withdrawn]
    note = plan_flow_note(review.created.replace(microsecond=0))
    for account, amount in review.plan.options.new_money.items():
        if amount:
            pending.append(
                Flow(date=review.created.date(), account=account, amount=amount, note=note)
            )
    return moved, pending


def _flow_table(flow: Flow, *, inline: bool) -> Any:
    import tomlkit

    row: Any = tomlkit.inline_table() if inline else tomlkit.table()
    row["date"] = flow.date
    row["account"] = flow.account
    row["amount"] = money(flow.amount)
    if flow.note:
        row["note"] = flow.note
    return row


def _flows_array(flows: Sequence[Flow]) -> Any:
    import tomlkit

    array = tomlkit.array()
    for flow in flows:
        array.append(_flow_table(flow, inline=True))
    return array


def _put_pending_flows(document: Container, before: Sequence[Flow], after: Sequence[Flow]) -> None:
    """Make top-level `[[flows]]` hold `after`, editing it in place: the entries
    kept are left as the user wrote them (comments included), removed ones are
    deleted and new ones appended. Identical flows are counted, not merged."""
    import tomlkit

    if list(before) == list(after):
        return
    unmatched = list(after)
    removed = []
    for index, flow in enumerate(before):
        if flow in unmatched:
            unmatched.remove(flow)
        else:
            removed.append(index)
    if len(removed) == len(before) and not unmatched:
        if "flows" in document:
            del document["flows"]
        return
    if "flows" not in document:
        rows = tomlkit.aot()
        for flow in unmatched:
            rows.append(_flow_table(flow, inline=False))
        _put_table(document, "flows", rows)
        return
    existing: Any = document["flows"]
    for index in reversed(removed):
        del existing[index]
    for flow in unmatched:
        row = _flow_table(flow, inline=False)
        if len(existing):
            move_trailing_comments(existing[-1], row)
            last = existing[-1].as_string()
            row.trivia.indent = "\n" if last.endswith("\n") else "\n\n"
        existing.append(row)


def add_flow(loaded: Loaded, flow: Flow, *, backup: Backup = "replace") -> Loaded:
    """Append `flow` to the pending `[[flows]]` and write the file; nothing else changes."""
    import tomlkit

    snapshot = loaded.portfolio.latest_snapshot()
    if snapshot is not None and flow.date <= snapshot.date:
        raise SaveRefused(
            f"{loaded.path}: a flow dated {flow.date.isoformat()} is not after the latest "
            f"[[history]] snapshot ({snapshot.date.isoformat()}), whose values already include "
            "it; give a later --date, or add it to that snapshot's `flows` by hand"
        )
    document = tomlkit.parse(loaded.text)
    expected = [*loaded.portfolio.flows, flow]
    _put_pending_flows(document, loaded.portfolio.flows, expected)
    text = dumps_keeping_line_endings(document, loaded.text)

    def the_flow_added(portfolio: Portfolio) -> list[str]:
        return [] if portfolio.flows == expected else ["[[flows]]"]

    portfolio, warnings = verify_edit(
        loaded.path, loaded.text, text, MayChange(frozenset({("flows",)})), expect=the_flow_added
    )
    return _write(loaded, text, portfolio, warnings, backup)


def _decisions_aot(decisions: Sequence[HoldingDecision]) -> Any:
    import tomlkit

    rows = tomlkit.aot()
    for decision in decisions:
        row = tomlkit.table()
        row["ticker"] = decision.ticker
        row["decision"] = decision.decision
        if decision.note:
            row["note"] = decision.note
        rows.append(row)
    return rows


def _inputs_table(options: PlanOptions) -> Any:
    """The options a plan was made with, as strings and booleans (`SavedPlan.inputs`).

    New money is written the way `rebal plan --new-money` takes it
    ("AMOUNT@ACCOUNT"), avoid-selling overrides as "ACCOUNT=true|false",
    the accounts `--only` limited the plan to (only when it did), sorted by name,
    and the tax options set (`avoid_wash_sales`, `harvest`, `trade_date`).
    """
    import tomlkit

    inputs = tomlkit.inline_table()
    inputs["new_money"] = [
        f"{format(cents(amount), 'f')}@{account}" for account, amount in options.new_money.items()
    ]
    inputs["whole_shares"] = options.whole_shares
    inputs["min_trade"] = format(cents(options.min_trade), "f")
    inputs["avoid_selling"] = [
        f"{account}={'true' if avoid else 'false'}"
        for account, avoid in options.avoid_selling.items()
    ]
    if options.only is not None:
        inputs["only"] = sorted(options.only)
    # The tax options, each only when set, so that a plan without them is saved as
    # before; reopened, the plan gets them back (plan_record.options_from_saved).
    if options.avoid_wash_sales:
        inputs["avoid_wash_sales"] = True
    if options.harvest:
        inputs["harvest"] = True
    if options.trade_date is not None:
        inputs["trade_date"] = options.trade_date
    return inputs
