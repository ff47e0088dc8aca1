"""Pydantic's validation errors, in the words of a person editing the TOML file.

One problem per mistake, each at the key path as written in the file (not at
pydantic's internal names for union members), with a hint saying what to
write instead; and a warning for each date validation accepted although it
was written in quotes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rebal.model import Portfolio
from rebal.model.constants import MAX_DECIMAL_PLACES
from rebal.problems import Problem
from rebal.store.locate import Location, PathPart, dotted, problem_at
from rebal.store.syntax import TooPrecise


def validation_problems(
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
    for item in map(_too_precise_as_places, error.errors(include_url=False)):
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
        problems.append(problem_at(path, locations, loc, message, hint))

    for loc, item in plain:
        add(loc, *_explain(item, loc))
    for point, members in unions.items():
        deeper = [(loc, item) for loc, item in members if len(loc) > len(point)]
        if deeper:
            for loc, item in deeper:
                add(loc, *_explain(item, loc))
        elif len(members) == 1:
            add(point, *_explain(members[0][1], point))
        elif len(fitting := [item for _, item in members if item["type"] not in _SHAPE]) == 1:
            # The value has the shape of one member (a number) and broke its limit:
            # that member's error is what the user needs, not the list of shapes.
            add(point, *_explain(fitting[0], point))
        elif ranged := [item for _, item in members if item["type"] in _RANGE_ERRORS]:
            # A number out of range got past the number member's shape check: say so.
            add(point, *_explain(ranged[0], point))
        else:
            expected = _join_or(_unique(_expected(item) for _, item in members))
            found = _show(members[0][1].get("input"))
            add(
                point, f"expected {expected}, found {found}", _UNION_HINTS.get(_last_key(point), "")
            )
    return problems


def _too_precise_as_places(item: Any) -> Any:
    """A number field given a float past the limit on decimal places (read as TooPrecise,
    store.syntax) has that as its error, as pydantic's own `decimal_places` would say."""
    found = item.get("input")
    if not isinstance(found, TooPrecise) or item["type"] != "decimal_type":
        return item
    return {
        **item,
        "type": "decimal_max_places",
        "input": found.value,
        "ctx": {"decimal_places": MAX_DECIMAL_PLACES},
    }


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
# Errors saying the value has the wrong shape for a member (as against breaking its limits).
_SHAPE = frozenset({*_TYPE_ERRORS, "literal_error", "is_instance_of"})
_RANGE_ERRORS = {"less_than_equal", "greater_than_equal", "decimal_max_places"}
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
    "new_money": "new money",
    "min_trade": "minimum trade",
    "bands": "band setting",
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
    if kind == "greater_than":
        hint = (
            "a lot holds some shares: correct them, or remove the lot"
            if "lots" in loc
            else "use a number above 0"
        )
        return f"{noun} must be > {_bound(ctx.get('gt'))} (found {_show(value)})", hint
    if kind == "greater_than_equal":
        limit = ctx.get("ge")
        return (
            f"{noun} must be >= {_bound(limit)} (found {_show(value)})",
            "a number this large is surely a typo"
            if isinstance(limit, Decimal) and limit < 0
            else "a negative number is not allowed here: use 0 or more",
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
    if kind == "decimal_max_places":
        return (
            f"{noun} has more than {MAX_DECIMAL_PLACES} digits after the decimal point "
            f"(found {_show(value)})",
            f"round it to at most {MAX_DECIMAL_PLACES} decimal places; "
            "a number this small or this precise is surely a typo",
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
        if kind == "string_type" and isinstance(value, list | dict):
            hint = f"write text in quotes here, not {_show(value)}"
        elif kind == "string_type" and loc and isinstance(loc[-1], int):
            hint = f'put it in quotes: "{_show(value).strip(chr(34))}"'
        elif kind == "string_type":
            hint = f'put it in quotes: {key} = "{_show(value).strip(chr(34))}"'
        elif kind.startswith("date"):
            hint = "write a bare TOML date such as 2026-11-20, without quotes"
        elif kind.startswith("int"):
            hint = "write a whole number without a decimal point"
        elif kind == "list_type" and loc in {("accounts",), ("history",)}:
            hint = f"write each entry under its own [[{key}]] header"
        elif kind == "list_type" and len(loc) >= 2 and loc[-2] == "lots":
            hint = f"write a list of lots: {key} = [{_A_LOT}]"
        elif kind == "list_type":
            hint = f'write a list in brackets: {key} = ["A", "B"]'
        elif kind in _TABLE_ERRORS and "lots" in loc and isinstance(loc[-1], int):
            hint = f"write each lot as {_A_LOT}"
        elif kind in _TABLE_ERRORS and isinstance(loc[-1], int):
            hint = "write a table in braces: { name = value }"
        elif kind in _TABLE_ERRORS and any(isinstance(part, int) for part in loc):
            # Inside an array of tables a [a[0].b] header is not TOML: only the inline form is.
            hint = f"write a table: {key} = {{ name = value }}"
        elif kind in _TABLE_ERRORS:
            hint = f"write a table: a [{dotted(loc)}] section, or {key} = {{ name = value }}"
        return f"expected {_expected(item)}, found {_show(value)}", hint
    return str(item["msg"]).removeprefix("Value error, "), _VALUE_HINTS.get(key, "")


_TABLE_ERRORS = frozenset({"dict_type", "model_type", "model_attributes_type"})
_A_LOT = "{ acquired = 2026-01-15, shares = 10, cost = 1000.00 }"

# Hints for the schema's own checks (their messages already say what is wrong).
_VALUE_HINTS = {
    "classes": "make the class percentages add up to 100",
    "style": "use the cell names listed, with weights adding up to at most 100",
    "sectors": "sector weights are percent of the fund's stocks: at most 100 in all",
    "kind": "write taxable, traditional, roth, hsa or other, or the name on the statement "
    "such as 401k, roth-ira or brokerage (docs/portfolio-format.md lists them)",
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


def quoted_date_warnings(
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
    flows = raw.get("flows")
    for index, flow in enumerate(flows if isinstance(flows, list) else []):
        if isinstance(flow, dict):
            places.append((("flows", index, "date"), flow.get("date")))
    accounts = raw.get("accounts")
    for number, account in enumerate(accounts if isinstance(accounts, list) else []):
        lots = account.get("lots") if isinstance(account, dict) else None
        for ticker, entries in (lots if isinstance(lots, dict) else {}).items():
            for index, lot in enumerate(entries if isinstance(entries, list) else []):
                if isinstance(lot, dict):
                    where = ("accounts", number, "lots", ticker, index, "acquired")
                    places.append((where, lot.get("acquired")))
    return [
        problem_at(
            path,
            locations,
            loc,
            f'the date is written in quotes ("{value}"), which TOML reads as text; '
            f"rebal reads it as the date {value.strip()}",
            f"remove the quotes: {loc[-1]} = {value.strip()}",
            "warning",
        )
        for loc, value in places
        if isinstance(value, str)
    ]

