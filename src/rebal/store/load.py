"""Read a portfolio file into the model, collecting every problem with its place.

Reading uses tomllib (fast; tomlkit is only imported when saving). Every
problem names the file, the line when it is known, and the dotted key.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import difflib
import hashlib
import json
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rebal.model import UNCLASSIFIED, Portfolio
from rebal.model.constants import SHARE_SUM_TOLERANCE
from rebal.problems import PortfolioError, Problem, Severity, unreadable
from rebal.store.locate import (
    KeyLocations,
    Location,
    PathPart,
    dotted,
    locate,
    repeated_keys,
)


@dataclass(frozen=True)
class Fingerprint:
    """What the file looked like when read, to detect edits made outside rebal."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path, data: bytes | None = None) -> Fingerprint:
        stat = path.stat()
        body = path.read_bytes() if data is None else data
        return cls(stat.st_mtime_ns, stat.st_size, hashlib.sha256(body).hexdigest())


@dataclass(frozen=True)
class Loaded:
    path: Path
    text: str
    portfolio: Portfolio
    warnings: list[Problem]
    fingerprint: Fingerprint


def load(path: Path) -> Loaded:
    """Read and validate `path`; raise PortfolioError listing every problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PortfolioError([unreadable(path, error)]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1  # in bytes: the text is not UTF-8
        raise PortfolioError(
            [
                Problem(
                    path,
                    "the file is not UTF-8 text",
                    line=line,
                    column=column,
                    hint="save it as UTF-8 (most editors offer this under Save As or Encoding)",
                )
            ]
        ) from None
    portfolio, problems = parse(path, text)
    errors = [p for p in problems if p.severity == "error"]
    if errors or portfolio is None:
        raise PortfolioError(problems)
    return Loaded(path, text, portfolio, problems, Fingerprint.of(path, data))


def parse(path: Path, text: str) -> tuple[Portfolio | None, list[Problem]]:
    """Validate TOML `text` (read from `path`); the model is None when it has errors."""
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        return None, [_syntax_problem(path, text, error)]
    if not raw:
        return None, [
            Problem(
                path,
                "the file is empty: there is no portfolio in it",
                hint="a portfolio needs at least a [portfolio] table with name and as_of, and "
                "[targets]; copy sample_portfolios/household.toml to start",
            )
        ]
    locations = KeyLocations(text)
    try:
        portfolio = Portfolio.model_validate(raw)
    except ValidationError as error:
        problems = _validation_problems(path, error, raw, locations)
        reported = {(p.path, p.message) for p in problems}
        problems += [
            p
            for p in _raw_cross_table_errors(path, raw, locations)
            if (p.path, p.message) not in reported
        ]
        return None, in_file_order(problems)
    problems = in_file_order(
        check_consistency(path, portfolio, locations) + _quoted_date_warnings(path, raw, locations)
    )
    if any(p.severity == "error" for p in problems):
        return None, problems
    return portfolio, problems


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems by line and column, the ones with no known line last (stable otherwise)."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = "(at end of document)"


def _syntax_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    """FILE:LINE:COL: message, also when tomllib only says "at end of document"."""
    message = str(error)
    line = column = None
    match = _AT.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].strip()
    elif message.endswith(_AT_END):
        message = message.removesuffix(_AT_END).strip()
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
        message += " at the end of the file"
    if message.startswith("Cannot overwrite a value"):
        repeats = repeated_keys(text)
        if repeats:
            key, (line, column) = repeats[0]
            message = f"`{dotted(key)}` is written twice"
    declared = _DECLARED_TWICE.match(message)
    if declared:
        with contextlib.suppress(ValueError, SyntaxError, TypeError):
            table = ast.literal_eval(declared.group(1))
            message = f"the table [{dotted(tuple(table))}] is declared twice"
        if line is not None and line <= len(text.splitlines()):
            header = text.splitlines()[line - 1]
            column = len(header) - len(header.lstrip()) + 1  # the header, not its end
    hint = next(
        (text for start, text in _SYNTAX_HINTS if message.startswith(start)),
        "check the quotes, brackets and `=` on that line; text values need quotes",
    )
    return Problem(path, f"TOML syntax error: {message}", line=line, column=column, hint=hint)


_DECLARED_TWICE = re.compile(r"Cannot declare (\(.*\)) twice$")
# Common slips, by the start of the message: what to do about each.
_SYNTAX_HINTS = (
    ("Expected '=' after a key", 'a name with spaces or dots needs quotes: "US Stocks" = 50'),
    ("Invalid value", "text needs quotes; numbers have no $ or commas; dates look like 2026-11-20"),
    (
        "Expected newline or end of document",
        "one `key = value` per line; write 1234.56, not 1,234.56",
    ),
    ("Unterminated string", "a quoted text is never closed: check its quotes"),
    ("`", "keep only one of them: a key may be written once per table"),
    ("the table [", "merge the two tables into one, or rename one of them"),
)


def _validation_problems(
    path: Path,
    error: ValidationError,
    raw: dict[str, Any],
    locations: Mapping[tuple[PathPart, ...], Location],
) -> list[Problem]:
    """One problem per mistake in the file, each at the key path as written there.

    Pydantic's error locations can hold names that are not in the file: for a
    union field (`style` is a cell name or a table of weights) it reports one
    error per member, under the member's type name. Those names are dropped by
    following the location through the data actually read. Then, per union:
    if some member got past the shape check and failed deeper (a table of
    weights with a bad weight), only those deeper errors are about the user's
    intent; if every member rejected the value's shape, one problem lists what
    would have been accepted.
    """
    plain: list[tuple[tuple[PathPart, ...], Any]] = []
    unions: dict[tuple[PathPart, ...], list[tuple[tuple[PathPart, ...], Any]]] = {}
    for item in error.errors(include_url=False):
        loc, union_at = _as_written(raw, tuple(item["loc"]), item["type"])
        if union_at is None:
            plain.append((loc, item))
        else:
            unions.setdefault(loc[:union_at], []).append((loc, item))
    # `nmae = ...` makes `name` missing too: the did-you-mean on the unknown
    # key already says what to do, so the missing key is not reported twice.
    misspelt = {
        (*loc[:-1], suggestion)
        for loc, item in plain
        if item["type"] == "extra_forbidden"
        for suggestion in difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1]), n=1)
    }
    plain = [
        (loc, item) for loc, item in plain if not (item["type"] == "missing" and loc in misspelt)
    ]

    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def add(loc: tuple[PathPart, ...], message: str, hint: str) -> None:
        key = (dotted(loc), message)
        if key in seen:
            return
        seen.add(key)
        problems.append(_problem_at(path, locations, loc, message, hint))

    for loc, item in plain:
        add(loc, *_explain(item, loc))
    for point, members in unions.items():
        deeper = [(loc, item) for loc, item in members if len(loc) > len(point)]
        if deeper:
            for loc, item in deeper:
                add(loc, *_explain(item, loc))
        elif len(members) == 1:
            add(point, *_explain(members[0][1], point))
        else:
            expected = _join_or(_unique(_expected(item) for _, item in members))
            found = _show(members[0][1].get("input"))
            add(
                point, f"expected {expected}, found {found}", _UNION_HINTS.get(_last_key(point), "")
            )
    return problems


def _as_written(
    raw: Any, loc: tuple[Any, ...], kind: str
) -> tuple[tuple[PathPart, ...], int | None]:
    """`loc` reduced to the keys and indexes present in the data read from the file.

    Returns the path and, when some part of `loc` was not in the data (a union
    member's or a validator's name), how many file keys came before it.
    """
    node = raw
    path: list[PathPart] = []
    union_at: int | None = None
    for index, part in enumerate(loc):
        in_table = isinstance(node, dict) and isinstance(part, str) and part in node
        in_array = isinstance(node, list) and type(part) is int and 0 <= part < len(node)
        if in_table or in_array:
            node = node[part]
            path.append(part)
        elif index == len(loc) - 1 and kind == "missing" and isinstance(part, str):
            path.append(part)  # the key the user left out
        elif union_at is None:
            union_at = len(path)
    return tuple(path), union_at


# What each pydantic error type means, in the words of a person editing TOML.
_EXPECTED = (
    ("string_", "text in quotes"),
    ("dict_", "a table"),
    ("model_", "a table"),
    ("list_", "a list"),
    ("tuple_", "a list"),
    ("bool_", "true or false"),
    ("datetime_", "a date and time"),
    ("date_", "a date such as 2026-11-20"),
    ("decimal_", "a number"),
    ("finite_number", "a finite number"),
    ("float_", "a number"),
    ("int_", "a whole number"),
)
_TYPE_ERRORS = (
    "string_type",
    "dict_type",
    "model_type",
    "model_attributes_type",
    "list_type",
    "tuple_type",
    "bool_type",
    "bool_parsing",
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "datetime_type",
    "datetime_parsing",
    "datetime_from_date_parsing",
    "decimal_type",
    "decimal_parsing",
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "float_parsing",
)
_UNION_HINTS = {
    "style": 'write one cell such as "large-blend", or a table such as { "large-blend" = 60 }',
    "created": "write a bare TOML date such as 2026-11-20, or a date and time",
}
# The thing a number stands for, named after the key that holds it (or its table).
_NOUNS = {
    "holdings": "shares",
    "shares": "shares",
    "price": "price",
    "cash": "cash",
    "total": "total",
    "amount": "amount",
    "targets": "target",
    "width": "band width",
    "floor": "band floor",
    "per_class": "band width",
    "classes": "weight",
    "style": "weight",
    "sectors": "weight",
    "sector_limit": "sector limit",
    "birth_year": "birth year",
}


def _expected(item: Any) -> str:
    kind = str(item["type"])
    if kind == "literal_error":
        return f"one of {(item.get('ctx') or {}).get('expected')}"
    for prefix, description in _EXPECTED:
        if kind.startswith(prefix):
            return description
    return str(item["msg"]).removeprefix("Value error, ")


def _unique(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _last_key(loc: tuple[PathPart, ...]) -> str:
    return next((part for part in reversed(loc) if isinstance(part, str)), "")


def _noun(loc: tuple[PathPart, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part in _NOUNS:
            return _NOUNS[part]
    return "value"


def _show(value: Any) -> str:
    """A value as it would be written in TOML, shortened, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        if value.is_nan():
            return "nan"
        if value.is_infinite():
            return "-inf" if value < 0 else "inf"
        text = str(value)
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, list):
        return "a list"
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _bound(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _explain(item: Any, loc: tuple[PathPart, ...]) -> tuple[str, str]:
    """The message and the hint for one validation error at `loc`."""
    kind = str(item["type"])
    ctx = item.get("ctx") or {}
    value = item.get("input")
    key = _last_key(loc)
    if kind == "extra_forbidden":
        choices = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, choices, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(choices)}"
        return f"unknown key `{key}`", hint
    if kind == "missing":
        table = loc[:-1]
        if not table:
            return f"the [{key}] table is missing", f"add a [{key}] table"
        return f"required key `{key}` is missing", f"add `{key} = ...` to {dotted(table)}"
    noun = _noun(loc)
    if kind == "greater_than_equal":
        return (
            f"{noun} must be >= {_bound(ctx.get('ge'))} (found {_show(value)})",
            "a negative number is not allowed here: use 0 or more",
        )
    if kind == "less_than_equal":
        limit = ctx.get("le")
        if limit == 100:
            return (
                f"{noun} must be <= 100 (found {_show(value)})",
                "percentages run from 0 to 100",
            )
        return (
            f"{noun} must be <= {_bound(limit)} (found {_show(value)})",
            "a number this large is surely a typo",
        )
    if kind == "finite_number" or (
        kind in {"decimal_parsing", "decimal_type"} and isinstance(value, Decimal | float)
    ):
        return (
            f"{noun} must be a finite number (found {_show(value)})",
            "nan and inf are not amounts: write an ordinary number",
        )
    if kind in {"decimal_parsing", "decimal_type", "float_parsing", "float_type"}:
        hint = "write digits only, e.g. 1234.56, without quotes, $ or commas"
        return f"{noun} must be a number (found {_show(value)})", hint
    if kind == "literal_error":
        hint = f"use one of {ctx.get('expected')}"
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        same_but_case = [a for a in allowed if isinstance(value, str) and a == value.casefold()]
        if same_but_case:  # kind = "Roth": the words are lower case
            hint = f'write it in lower case: "{same_but_case[0]}"'
        return f"{_show(value)} is not allowed here", hint
    if key == "currency" and kind in {"string_too_short", "string_too_long"}:
        return (
            f"currency must be a three-letter code (found {_show(value)})",
            'use an ISO 4217 code such as "USD" or "EUR"',
        )
    if kind == "string_too_short":
        return "must not be empty", "write at least one character between the quotes"
    if kind == "string_too_long":
        return f"{_show(value)} is too long", f"use at most {ctx.get('max_length')} characters"
    if kind in _TYPE_ERRORS:
        hint = ""
        if kind == "string_type":
            hint = f'put it in quotes: {key} = "{_show(value).strip(chr(34))}"'
        elif kind.startswith("date"):
            hint = "write a bare TOML date such as 2026-11-20, without quotes"
        elif kind.startswith("int"):
            hint = "write a whole number without a decimal point"
        elif kind == "list_type" and loc in {("accounts",), ("history",)}:
            hint = f"write each entry under its own [[{key}]] header"
        elif kind == "list_type":
            hint = f'write a list in brackets: {key} = ["A", "B"]'
        elif kind in {"dict_type", "model_type", "model_attributes_type"}:
            hint = f"write a table: a [{dotted(loc)}] section, or {key} = {{ name = value }}"
        return f"expected {_expected(item)}, found {_show(value)}", hint
    return str(item["msg"]).removeprefix("Value error, "), _VALUE_HINTS.get(key, "")


# Hints for the schema's own checks (their messages already say what is wrong).
_VALUE_HINTS = {
    "classes": "make the class percentages add up to 100",
    "style": "use the cell names listed, with weights adding up to at most 100",
    "sectors": "sector weights are percent of the fund's stocks: at most 100 in all",
}


def _allowed_keys(loc: tuple[PathPart, ...]) -> list[str]:
    """The keys the schema accepts at `loc` (a table path), for "did you mean"."""
    node: Any = Portfolio
    for part in loc:
        node = _strip_optional(node)
        if isinstance(node, type) and issubclass(node, BaseModel):
            field = node.model_fields.get(str(part)) or next(
                (f for f in node.model_fields.values() if f.alias == part), None
            )
            node = field.annotation if field is not None else None
        else:
            # A dict key or list index: step into the container's value type.
            args = getattr(node, "__args__", ())
            node = args[-1] if args else None
    node = _strip_optional(node)
    if not (isinstance(node, type) and issubclass(node, BaseModel)):
        return []
    return [field.alias or name for name, field in node.model_fields.items()]


def _strip_optional(annotation: Any) -> Any:
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    if type(None) in getattr(annotation, "__args__", ()) and len(args) == 1:
        return args[0]
    return annotation


def check_consistency(
    path: Path, portfolio: Portfolio, locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Rules that span tables: sums, references between tables, duplicates."""
    problems: list[Problem] = []

    def add(
        loc: tuple[PathPart, ...], message: str, hint: str = "", *, warning: bool = False
    ) -> None:
        severity: Severity = "warning" if warning else "error"
        problems.append(_problem_at(path, locations, loc, message, hint, severity))

    securities = portfolio.securities
    problems.extend(
        _cross_table_errors(
            path,
            locations,
            dict(portfolio.targets),
            set(securities),
            [
                (account.name, list(account.holdings), list(account.menu or []))
                for account in portfolio.accounts
            ],
        )
    )
    holders: dict[str, list[str]] = {}
    for account in portfolio.accounts:
        if account.broker_id is not None:
            holders.setdefault(account.broker_id, []).append(account.name)
    for index, account in enumerate(portfolio.accounts):
        sharing = holders.get(account.broker_id or "", [])
        if len(sharing) > 1:
            # An import could not tell which of them the broker account is.
            add(
                ("accounts", index, "broker_id"),
                f"broker_id {account.broker_id!r} is also the broker_id of "
                + ", ".join(repr(n) for n in sharing if n != account.name),
                "each broker account belongs to one [[accounts]] entry: correct or remove "
                "the broker_id of the others",
            )
        if account.cash < 0:
            add(
                ("accounts", index, "cash"),
                f"cash is negative ({account.cash}): "
                f"the plan will have to sell in {account.name!r}",
                "check for an overdraft or unsettled buys",
                warning=True,
            )

    held: set[str] = set()
    for account in portfolio.accounts:
        held.update(t for t, shares in account.holdings.items() if shares)
    for ticker in sorted(held & set(securities)):
        security = securities[ticker]
        if not security.class_weights():
            add(
                ("securities", ticker),
                f"{ticker} has no class, so it counts as {UNCLASSIFIED!r}",
                'add class = "..." (or classes = { ... }) to classify it',
                warning=True,
            )
        if security.price == 0:
            add(
                ("securities", ticker, "price"),
                f"{ticker} is held but its price is 0",
                "enter the current price; until then it is valued at 0 and not traded",
                warning=True,
            )

    targeted = set(portfolio.targets)
    held_classes: set[str] = set()
    for ticker in held & set(securities):
        held_classes.update(c for c, w in securities[ticker].class_weights().items() if w)
    for name in sorted(held_classes - targeted):
        add(
            ("targets",),
            f"class {name!r} is held but has no target, so its target is 0%",
            f'add "{name}" = ... to [targets]' + _did_you_mean_suffix(name, targeted),
            warning=True,
        )
    if portfolio.cash_class not in targeted and any(a.cash for a in portfolio.accounts):
        add(
            ("targets",),
            f"account cash counts in {portfolio.cash_class!r}, which has no target (0%)",
            f'add "{portfolio.cash_class}" = ... to [targets] if you mean to hold cash'
            + _did_you_mean_suffix(portfolio.cash_class, targeted),
            warning=True,
        )
    problems.extend(_band_option_warnings(path, portfolio, locations))
    problems.extend(_history_warnings(path, portfolio, locations))
    for name in portfolio.bands.per_class:
        if name not in targeted:
            add(
                ("bands", "per_class", name),
                f"band override for {name!r}, which has no target",
                _did_you_mean(name, targeted, "remove it or fix the class name"),
                warning=True,
            )
    return problems


# One account as the cross-table rules see it: name, held tickers, menu.
_AccountRefs = tuple[str | None, list[str], list[str]]


def _cross_table_errors(
    path: Path,
    locations: Mapping[tuple[PathPart, ...], Location],
    targets: dict[str, Decimal] | None,
    securities: set[str] | None,
    accounts: list[_AccountRefs],
) -> list[Problem]:
    """Targets summing to 100, unique account names, tickers that have a [securities] entry.

    Fed from the validated model, or, when validation failed, from whatever
    parts of the raw data have the right shape (None: skip that rule), so one
    run reports these mistakes together with the field errors.
    """
    problems: list[Problem] = []

    def add(loc: tuple[PathPart, ...], message: str, hint: str) -> None:
        problems.append(_problem_at(path, locations, loc, message, hint))

    if targets is not None:
        total = sum(targets.values(), Decimal(0))
        if abs(total - 100) > SHARE_SUM_TOLERANCE:
            add(
                ("targets",),
                f"targets sum to {total:f}%, not 100%",
                f"{'raise' if total < 100 else 'lower'} them by {abs(total - 100):f} "
                "percentage points in total so they add up to 100",
            )
    names = Counter(name for name, _, _ in accounts if name is not None)
    for index, (name, holdings, menu) in enumerate(accounts):
        if name is not None and names[name] > 1:
            add(
                ("accounts", index, "name"),
                f"account name {name!r} is used more than once",
                "give each account its own name",
            )
        if securities is None:
            continue
        for ticker in holdings:
            if ticker not in securities:
                add(
                    ("accounts", index, "holdings", ticker),
                    f"holding of {ticker!r}, which has no [securities.{ticker}] entry",
                    _did_you_mean(
                        ticker, securities, f"add [securities.{ticker}] with its price and class"
                    ),
                )
        for ticker in menu:
            if ticker not in securities:
                add(
                    ("accounts", index, "menu"),
                    f"menu names {ticker!r}, which has no [securities] entry",
                    _did_you_mean(
                        ticker, securities, f"add [securities.{ticker}] or remove it from the menu"
                    ),
                )
    return problems


def _raw_cross_table_errors(
    path: Path, raw: dict[str, Any], locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """The cross-table rules on a file that failed validation, where its shape allows."""
    raw_targets = raw.get("targets")
    targets: dict[str, Decimal] | None = None
    # Only when every target is itself valid: otherwise the sum is just an echo.
    if isinstance(raw_targets, dict) and all(
        isinstance(v, Decimal | int)
        and not isinstance(v, bool)
        and Decimal(v).is_finite()
        and 0 <= Decimal(v) <= 100
        for v in raw_targets.values()
    ):
        targets = {str(k): Decimal(v) for k, v in raw_targets.items()}
    raw_securities = raw.get("securities")
    securities = set(raw_securities) if isinstance(raw_securities, dict) else None
    accounts: list[_AccountRefs] = []
    raw_accounts = raw.get("accounts")
    for entry in raw_accounts if isinstance(raw_accounts, list) else []:
        if not isinstance(entry, dict):
            accounts.append((None, [], []))
            continue
        name = entry.get("name")
        holdings = entry.get("holdings")
        menu = entry.get("menu")
        accounts.append(
            (
                name if isinstance(name, str) else None,
                list(holdings) if isinstance(holdings, dict) else [],
                [t for t in menu if isinstance(t, str)] if isinstance(menu, list) else [],
            )
        )
    return _cross_table_errors(path, locations, targets, securities, accounts)


def _problem_at(
    path: Path,
    locations: Mapping[tuple[PathPart, ...], Location],
    loc: tuple[PathPart, ...],
    message: str,
    hint: str = "",
    severity: Severity = "error",
) -> Problem:
    """A problem pinned to the line of `loc` (or of its longest written prefix)."""
    where = locate(locations, loc)
    return Problem(
        path,
        message,
        path=dotted(loc),
        line=where[0] if where else None,
        column=where[1] if where else None,
        hint=hint,
        severity=severity,
    )


def _warning(
    path: Path,
    locations: Mapping[tuple[PathPart, ...], Location],
    loc: tuple[PathPart, ...],
    message: str,
    hint: str,
) -> Problem:
    return _problem_at(path, locations, loc, message, hint, "warning")


def _band_option_warnings(
    path: Path, portfolio: Portfolio, locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Band settings the chosen kind ignores: say so rather than drop them silently."""
    bands = portfolio.bands
    written = bands.model_fields_set
    ignored: list[str] = []
    if bands.kind == "5/25":
        ignored = [key for key in ("width", "per_class") if key in written]
    if bands.kind != "relative" and "floor" in written and bands.floor:
        ignored.append("floor")
    hints = {
        "width": "5/25 bands are the smaller of 5 points and 25% of the target; "
        'for your own width use kind = "relative" or "absolute"',
        "per_class": 'per-class widths apply to kind = "relative" or "absolute" bands',
        "floor": 'a floor applies to kind = "relative" only; remove it or change the kind',
    }
    return [
        _warning(
            path,
            locations,
            ("bands", key),
            f"`{key}` does not apply to kind = {bands.kind!r} bands, so it is ignored",
            hints[key],
        )
        for key in ignored
    ]


def _history_warnings(
    path: Path, portfolio: Portfolio, locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Snapshots the return cannot use as the user may expect."""
    problems = []
    for index, snapshot in enumerate(portfolio.history):
        if snapshot.date > portfolio.portfolio.as_of:
            problems.append(
                _warning(
                    path,
                    locations,
                    ("history", index, "date"),
                    f"snapshot dated {snapshot.date}, after the prices' date "
                    f"{portfolio.portfolio.as_of}: it is not used for the return until "
                    "the prices are as of that date or later",
                    "check [portfolio] as_of and this date (rebal dates the snapshots it "
                    "writes by as_of)",
                )
            )
        spread = sum(snapshot.classes.values(), Decimal(0))
        if snapshot.classes and abs(spread - snapshot.total) > SNAPSHOT_SLACK:
            problems.append(
                _warning(
                    path,
                    locations,
                    ("history", index, "classes"),
                    f"the classes add up to {spread:f}, "
                    f"but the snapshot's total is {snapshot.total:f}",
                    "the return is computed from the classes; correct whichever is wrong",
                )
            )
    problems.extend(_flow_warnings(path, portfolio, locations))
    return problems


def _flow_warnings(
    path: Path, portfolio: Portfolio, locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Pending flows the money-weighted return would misread."""
    problems = []
    latest = portfolio.latest_snapshot()
    names = [account.name for account in portfolio.accounts]
    for index, flow in enumerate(portfolio.flows):
        if latest is not None and flow.date <= latest.date:
            problems.append(
                _warning(
                    path,
                    locations,
                    ("flows", index, "date"),
                    f"flow dated {flow.date}, not after the latest snapshot ({latest.date}): "
                    "it is counted as money added after that snapshot",
                    "if the snapshot's values already include it, move it to that "
                    "[[history]] entry's `flows` (or delete it)",
                )
            )
        if flow.account not in names:
            problems.append(
                _warning(
                    path,
                    locations,
                    ("flows", index, "account"),
                    f"flow into {flow.account!r}, which is not an account in the file",
                    _did_you_mean(flow.account, names, "fix the account's name"),
                )
            )
    return problems


def _quoted_date_warnings(
    path: Path, raw: dict[str, Any], locations: Mapping[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Dates written in quotes, which validation accepted as dates: say so.

    `as_of = "2026-11-20"` is unambiguous, so refusing the file would only be
    pedantic; but to TOML (and any other tool reading the file) it is text, so
    the user is told how to write a real date. A quoted text that is not an
    ISO date is already an error.
    """
    places: list[tuple[tuple[PathPart, ...], Any]] = []
    portfolio = raw.get("portfolio")
    if isinstance(portfolio, dict):
        places.append((("portfolio", "as_of"), portfolio.get("as_of")))
    securities = raw.get("securities")
    for ticker, security in (securities if isinstance(securities, dict) else {}).items():
        if isinstance(security, dict):
            places.append((("securities", ticker, "price_as_of"), security.get("price_as_of")))
    history = raw.get("history")
    for index, snapshot in enumerate(history if isinstance(history, list) else []):
        if isinstance(snapshot, dict):
            places.append((("history", index, "date"), snapshot.get("date")))
    plan = raw.get("plan")
    if isinstance(plan, dict):
        places.append((("plan", "created"), plan.get("created")))
    return [
        _warning(
            path,
            locations,
            loc,
            f'the date is written in quotes ("{value}"), which TOML reads as text; '
            f"rebal reads it as the date {value.strip()}",
            f"remove the quotes: {loc[-1]} = {value.strip()}",
        )
        for loc, value in places
        if isinstance(value, str)
    ]


# Snapshots are written to the cent; a hand-written one may be off by rounding.
SNAPSHOT_SLACK = Decimal("0.05")


def _did_you_mean(word: str, choices: Any, fallback: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else fallback


def _did_you_mean_suffix(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f", or did you mean {close[0]!r}?" if close else ""
