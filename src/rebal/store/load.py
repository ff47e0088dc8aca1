"""Read a portfolio file into the model, collecting every problem with its place.

Reading uses tomllib (fast; tomlkit is only imported when saving). Every
problem names the file, the line when it is known, and the dotted key.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from rebal.model import UNCLASSIFIED, Portfolio
from rebal.model.constants import SHARE_SUM_TOLERANCE
from rebal.store.locate import Location, PathPart, dotted, key_locations, locate
from rebal.store.problems import PortfolioError, Problem


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
        raise PortfolioError(
            [Problem(path, f"cannot read the file: {error.strerror or error}")]
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PortfolioError(
            [Problem(path, "the file is not UTF-8 text", line=line, hint="save it as UTF-8")]
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
        return None, [_syntax_problem(path, error)]
    locations = key_locations(text)
    try:
        portfolio = Portfolio.model_validate(raw)
    except ValidationError as error:
        return None, _validation_problems(path, error, locations)
    problems = check_consistency(path, portfolio, locations)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return portfolio, problems


_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def _syntax_problem(path: Path, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    match = _AT.search(message)
    line = column = None
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].strip()
    return Problem(
        path,
        f"TOML syntax error: {message}",
        line=line,
        column=column,
        hint="fix the line and try again",
    )


def _validation_problems(
    path: Path, error: ValidationError, locations: dict[tuple[PathPart, ...], Location]
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, str | int))
        # Pydantic appends the validator name for union members; keep the file's keys.
        loc = tuple(p for p in loc if p not in _UNION_TAGS)
        message, hint = _explain(item, loc)
        where = locate(locations, loc)
        problems.append(
            Problem(
                path,
                message,
                path=dotted(loc),
                line=where[0] if where else None,
                column=where[1] if where else None,
                hint=hint,
            )
        )
    return problems


_UNION_TAGS = {
    "str",
    "dict[str,decimal-constrained]",
    "dict[str,constrained-decimal]",
    "function-after[_known_cells(), union[str,dict[str,decimal]]]",
}


def _explain(item: Any, loc: tuple[PathPart, ...]) -> tuple[str, str]:
    kind = item["type"]
    ctx = item.get("ctx") or {}
    value = item.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        choices = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, choices, n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(choices)}"
        return f"unknown key `{key}`", hint
    if kind == "missing":
        return "required key is missing", "add it"
    if kind == "greater_than_equal":
        return f"must be >= {ctx.get('ge')} (found {value})", "use a positive number or 0"
    if kind == "less_than_equal":
        return f"must be <= {ctx.get('le')} (found {value})", "percentages run from 0 to 100"
    if kind in {"decimal_parsing", "decimal_type", "finite_number"}:
        if isinstance(value, str):
            return f"{value!r} is not a number", "write digits only, e.g. 1234.56 (no $ or commas)"
        return f"{value!r} is not a finite number", "write an ordinary number"
    if kind == "literal_error":
        return f"{value!r} is not allowed", f"use one of {ctx.get('expected')}"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return f"{value!r} is not a date", "write a bare TOML date such as 2026-11-20"
    msg = str(item["msg"])
    msg = msg.removeprefix("Value error, ")
    return msg, ""


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
    path: Path, portfolio: Portfolio, locations: dict[tuple[PathPart, ...], Location]
) -> list[Problem]:
    """Rules that span tables: sums, references between tables, duplicates."""
    problems: list[Problem] = []

    def add(
        loc: tuple[PathPart, ...], message: str, hint: str = "", *, warning: bool = False
    ) -> None:
        where = locate(locations, loc)
        problems.append(
            Problem(
                path,
                message,
                path=dotted(loc),
                line=where[0] if where else None,
                column=where[1] if where else None,
                hint=hint,
                severity="warning" if warning else "error",
            )
        )

    total = sum(portfolio.targets.values(), Decimal(0))
    if abs(total - 100) > SHARE_SUM_TOLERANCE:
        add(
            ("targets",),
            f"targets sum to {total}%, not 100%",
            f"change them so they add up to 100 (off by {total - 100:+}%)",
        )

    securities = portfolio.securities
    names = Counter(a.name for a in portfolio.accounts)
    for index, account in enumerate(portfolio.accounts):
        if names[account.name] > 1:
            add(
                ("accounts", index, "name"),
                f"account name {account.name!r} is used more than once",
                "give each account its own name",
            )
        for ticker in account.holdings:
            if ticker not in securities:
                add(
                    ("accounts", index, "holdings", ticker),
                    f"holding of {ticker!r}, which has no [securities.{ticker}] entry",
                    _did_you_mean(
                        ticker, securities, f"add [securities.{ticker}] with its price and class"
                    ),
                )
        for ticker in account.menu or []:
            if ticker not in securities:
                add(
                    ("accounts", index, "menu"),
                    f"menu names {ticker!r}, which has no [securities] entry",
                    _did_you_mean(
                        ticker, securities, f"add [securities.{ticker}] or remove it from the menu"
                    ),
                )
        if account.cash < 0:
            add(
                ("accounts", index, "cash"),
                f"cash is negative ({account.cash}): the plan will have to sell in {account.name!r}",
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
        held_classes.update(securities[ticker].class_weights())
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
            f'add "{portfolio.cash_class}" = ... to [targets] if you mean to hold cash',
            warning=True,
        )
    for name in portfolio.bands.per_class:
        if name not in targeted:
            add(
                ("bands", "per_class", name),
                f"band override for {name!r}, which has no target",
                _did_you_mean(name, targeted, "remove it or fix the class name"),
                warning=True,
            )
    return problems


def _did_you_mean(word: str, choices: Any, fallback: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else fallback


def _did_you_mean_suffix(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f", or did you mean {close[0]!r}?" if close else ""
