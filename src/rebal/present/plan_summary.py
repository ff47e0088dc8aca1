"""A plan's summary and step 4's status lines in words, for `rebal plan` and the app alike.

The CLI's text output lays the skipped lines, the cash left and the drift the
plan cannot remove out as tables under these titles; the app's step 4 says them
as lines. Both take the titles, the lines' words and every figure from here.
Plain strings that are not terminal-safe (account, ticker and class names and
the reasons are the user's): the caller passes them through
`rebal.present.terminal.safe`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from rebal.present.figures import money, plural, shares

if TYPE_CHECKING:
    # Names only: `rebal check` never imports the planner package.
    from rebal.core.planner.types import Plan, PlanOptions, Residual, Skipped

# Titles `rebal plan` gives its tables, and the app its lines.
SKIPPED_TITLE = "Skipped (not traded)"
CASH_LEFT_TITLE = "Cash left in accounts"
RESIDUAL_TITLE = "Drift the plan cannot remove"
EVERY_CLASS_REACHED = "Every class reaches its target (or band) with these trades."
NO_TRADES = "No trades: nothing would bring the household closer to its targets."
NO_TRADES_CELL = "no trades"  # the one row of a trades table listing none

MODE_WORDS: Mapping[str, str] = {
    "full": "full: back to every target",
    "band-edge": "band-edge: only out-of-band classes, to their band's edge",
    "cash-flow": "cash-flow: new money and cash only, no sells",
}


def action_word(action: str) -> str:
    """A trade's action as the trade lists show it: "SELL" stands out, "buy" does not."""
    return action.upper() if action == "sell" else action


def trade_words(action: str, trade_shares: Decimal, ticker: str) -> str:
    """"buy 10 VTI": a trade in a phrase."""
    return f"{action} {shares(trade_shares)} {ticker}"


def skipped_line(item: Skipped, currency: str) -> str:
    """"IRA: buy 1 VV ($250.00) — below the minimum trade"."""
    return (f"{item.account}: {trade_words(item.action, item.shares, item.ticker)} "
            f"({money(item.amount, currency)}) — {item.reason}")


def cash_left(plan: Plan) -> dict[str, Decimal]:
    """The accounts that keep cash after the trades, in the plan's order (none: {})."""
    return {account: cash for account, cash in plan.leftover_cash.items() if cash}


def cash_left_line(plan: Plan, currency: str) -> str:
    """"401(k) $4,082.00, Taxable $5.00", or "none"."""
    left = cash_left(plan)
    return ", ".join(f"{account} {money(cash, currency)}" for account, cash in left.items()) or (
        "none"
    )


def residual_line(residual: Residual, currency: str) -> str:
    """"Mid Cap Stock: -$1,088.00 — only the taxable account holds it"."""
    return f"{residual.asset_class}: {money(residual.drift, currency)} — {residual.reason}"


def note_line(note: str) -> str:
    return f"· {note}"


# ---- the trades' columns and a sale's tax, as step 4 lists them ------------------

TRADE_COLUMNS = ("Account", "Action", "Ticker", "Shares", "Amount")
TAX_COLUMNS = ("Gain", "Tax")  # a sale's realized gain and its tax alone
REASON_COLUMN = "Reason"


def lots_sold_title(date: object) -> str:
    return f"Lots sold in taxable accounts (as of {date})"


def sale_tax(gain: str, tax: str, *, lead: str = "Trade total") -> str:
    """"Trade total -353.94, tax -123.88": a sale's gain and tax (from rebal.present.tax)."""
    return f"{lead} {gain}, tax {tax}"


# ---- what step 4 lists, and what the user can do next ---------------------------

PLANNING = "Planning… (keys keep working; the result appears here)"
PLAN_READY = "Plan ready: ctrl+s saves it · x exports CSV · tab: classes after"
NEW_PLAN_UNSAVED = "New plan (unsaved)"
MAKING_NEW_PLAN = "Making a new plan… the saved plan stays until it is ready."
SAVED_PLAN_KEYS = "m marks the highlighted trade placed, then done · r: new plan"
REPLAN_WITH_CHANGES = "r makes a new plan with them; this one stays until you save that."
# The keys are said once, in the status line above (SAVED_PLAN_KEYS).
SAVED_TRADES_TITLE = "Trades of the saved plan"
NO_SAVED_REASON = "no reason was saved"


def no_plan(message: str) -> str:
    return f"No plan: {message}"


def replaces_saved(saved_on: str) -> str:
    """What follows "New plan (unsaved)" when a saved plan is there."""
    return f": ctrl+s saves it in place of the saved plan of {saved_on} · s: back to the saved plan"


def saved_plan_head(saved_on: str) -> str:
    return f"Saved plan of {saved_on}"


def saved_plan_facts(count: int, placed: int, done: int) -> str:
    """"4 trades, 1 placed, 2 done" (statuses with no trade are left out)."""
    facts = [plural(count, "trade")]
    facts += [f"{n} {word}" for n, word in ((placed, "placed"), (done, "done")) if n]
    return ", ".join(facts)


def look_done_unmarked(count: int) -> str:
    verb = "looks" if count == 1 else "look"
    return (f"{plural(count, 'trade')} {verb} done in the holdings but not marked: "
            "ctrl+p › Mark trades that look done")


def no_new_plan(message: str) -> str:
    return f"No new plan: {message}. The saved plan stays."


def changed_since_saved(changes: Sequence[str]) -> str:
    return "Changed since it was saved: " + ", ".join(changes) + ". "


def saved_under_new(saved_on: str) -> str:
    """The saved plan's title while a new plan is the current one."""
    return (f"Plan saved {saved_on}, until you save the new one "
            "(s goes back to it; m marks placed/done)")


def looks_done_item(number: int, action: str, trade_shares: Decimal, ticker: str,
                    account: str, status: str) -> str:
    """A saved trade the holdings show as done, in the list the app asks about."""
    return f"{number}. {trade_words(action, trade_shares, ticker)} in {account} (now {status})"


# ---- the options in one line ----------------------------------------------------

OPTIONS_LEAD = "Options "
PENDING_OPTIONS_LEAD = "Options for a new plan (r) "  # over the saved plan, set since
NO_SELL_NAMES_LISTED = 3  # more names than this would push the rest off one line


def options_parts(options: PlanOptions, avoiding: Sequence[str], currency: str) -> list[str]:
    """The plan options as short phrases: "full · new money: IRA $1,000.00 · ..."."""
    parts: list[str] = [options.mode]
    money_in = [f"{name} {money(value, currency)}" for name, value in options.new_money.items()]
    parts.append("new money: " + (", ".join(money_in) if money_in else "none"))
    parts.append("whole shares" if options.whole_shares else "fractional shares")
    parts.append(f"min trade {money(options.min_trade, currency)}")
    listed = (", ".join(avoiding) if len(avoiding) <= NO_SELL_NAMES_LISTED
              else f"{len(avoiding)} accounts")
    parts.append("no sells in: " + (listed if avoiding else "none"))
    if options.avoid_wash_sales:
        parts.append("no wash sales")
    if options.harvest:
        parts.append("harvest losses")
    if options.trade_date is not None:
        parts.append(f"trade date {options.trade_date.isoformat()}")
    return parts


def new_money_cell(value: Decimal, currency: str) -> str:
    """An account's new money in the options table: "$1,000.00", or "none"."""
    return money(value, currency) if value else "none"


def avoid_cell(avoid: bool) -> str:
    return "[X] yes" if avoid else "[ ] no"


def why_trade(action: str, ticker: str, account: str) -> str:
    """The lead of the highlighted trade's reason."""
    return f"Why {action} {ticker} in {account}: "


def why_saved_trade(number: int, action: str, ticker: str, account: str) -> str:
    return f"#{number} {action} {ticker} in {account}: "


def new_money_prompt(account: str) -> str:
    return f"New money for {account} (negative withdraws; enter sets it)"
