"""Read a portfolio file into the model, collecting every problem with its place.

The steps, each in its own module: the bytes and their fingerprint
(read_file), TOML syntax and the reader's limits (syntax), the schema's
errors in the user's words (validation), and the rules that span tables
(core.rules). Every problem names the file, the line when it is known, and
the dotted key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rebal.core.rules import (
    AccountRefs,
    Finding,
    control_character_findings,
    portfolio_findings,
    reference_findings,
)
from rebal.model import Portfolio
from rebal.problems import PortfolioError, Problem
from rebal.store.locate import KeyLocations, Location, PathPart, problem_at
from rebal.store.read_file import BYTE_ORDER_MARK, Fingerprint, read_text
from rebal.store.syntax import read_toml
from rebal.store.validation import quoted_date_warnings, validation_problems

__all__ = ["Fingerprint", "Loaded", "in_file_order", "load", "parse"]


@dataclass(frozen=True)
class Loaded:
    path: Path
    text: str
    portfolio: Portfolio
    warnings: list[Problem]
    fingerprint: Fingerprint
    # The file starts with a UTF-8 byte-order mark: `text` is without it (TOML
    # readers refuse it), and every write of the file puts it back.
    bom: bool = False

    def as_written(self, text: str) -> str:
        """`text`, an edit of this file, as it goes on disk: with the file's mark."""
        return BYTE_ORDER_MARK + text if self.bom else text


def load(path: Path) -> Loaded:
    """Read and validate `path`; raise PortfolioError listing every problem."""
    text, fingerprint, bom = read_text(path)
    portfolio, problems = parse(path, text)
    errors = [p for p in problems if p.severity == "error"]
    if errors or portfolio is None:
        raise PortfolioError(problems)
    return Loaded(path, text, portfolio, problems, fingerprint, bom)


def parse(path: Path, text: str) -> tuple[Portfolio | None, list[Problem]]:
    """Validate TOML `text` (read from `path`); the model is None when it has errors."""
    raw, problems = read_toml(path, text)
    if raw is None:
        return None, problems
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
    # Alone: the other messages would repeat the hostile text they are about.
    hostile = control_character_findings(raw) if _may_hold_control_characters(text) else []
    if hostile:
        return None, in_file_order(_pinned(path, locations, hostile))
    try:
        portfolio = Portfolio.model_validate(raw)
    except ValidationError as error:
        problems = validation_problems(path, error, raw, locations)
        reported = {(p.path, p.message) for p in problems}
        problems += [
            p
            for p in _pinned(path, locations, _raw_reference_findings(raw))
            if (p.path, p.message) not in reported
        ]
        return None, in_file_order(problems)
    except Exception as error:  # pydantic on hostile data: report, never a traceback
        return None, [
            Problem(
                path,
                f"the file could not be checked ({type(error).__name__}: {error})",
                hint="please report this message, with the file if you can share it",
            )
        ]
    problems = in_file_order(
        _pinned(path, locations, portfolio_findings(portfolio))
        + quoted_date_warnings(path, raw, locations)
    )
    if any(p.severity == "error" for p in problems):
        return None, problems
    return portfolio, problems + _no_accounts(path, portfolio)


def _no_accounts(path: Path, portfolio: Portfolio) -> list[Problem]:
    """A file without [[accounts]] holds nothing: most often one cut off before them.

    A warning, not an error: the file is still read (its targets can be shown
    and edited), but a file cut off exactly before `[[accounts]]` otherwise
    reads as an empty household without a word. `rebal plan` refuses it.
    """
    if portfolio.accounts:
        return []
    named = sorted(
        {t.account for t in (portfolio.plan.trades if portfolio.plan else [])}
        | {f.account for f in portfolio.flows}
        | {f.account for snapshot in portfolio.history for f in snapshot.flows}
    )
    evidence = (
        f", although the file names {len(named)} account{'' if len(named) == 1 else 's'} elsewhere "
        f"({', '.join(repr(n) for n in named[:3])}{', ...' if len(named) > 3 else ''})"
        if named
        else ""
    )
    return [
        Problem(
            path,
            f"no [[accounts]] in {path.name}{evidence}: the household holds nothing, so "
            "there is nothing to plan",
            path="accounts",
            hint=f"if the file was cut off, restore it from {path.name}.bak or version "
            "control; otherwise add an [[accounts]] entry with its name, kind and holdings",
            severity="warning",
        )
    ]


# A text or key can only hold a control character that the file writes raw or as
# an escape: without either (a lone CR included; TOML reads CRLF as a newline),
# walking every value for one would find nothing.
_RAW_CONTROL_OR_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\\]|\r(?!\n)")
# The UTF-8 bytes that can be neither: printable ASCII but the backslash, tab,
# newline, and every byte from 0x80 but 0xC2 (which starts the C1 controls).
# Deleting them with bytes.translate leaves nothing in most files, much quicker
# than the regular expression, which runs only on what is left.
_PLAIN_BYTES = (
    bytes(range(0x20, 0x7F)).replace(b"\\", b"")
    + b"\t\n"
    + bytes(range(0x80, 0x100)).replace(b"\xc2", b"")
)


def _may_hold_control_characters(text: str) -> bool:
    if not text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_BYTES):
        return False
    return _RAW_CONTROL_OR_ESCAPE.search(text) is not None


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems by line and column, the ones with no known line last (stable otherwise)."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))


def _pinned(
    path: Path,
    locations: Mapping[tuple[PathPart, ...], Location],
    findings: list[Finding],
) -> list[Problem]:
    return [
        problem_at(path, locations, f.where, f.message, f.hint, f.severity) for f in findings
    ]


def _raw_reference_findings(raw: dict[str, Any]) -> list[Finding]:
    """The reference rules on a file that failed validation, where its shape allows."""
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
    accounts: list[AccountRefs] = []
    raw_accounts = raw.get("accounts")
    for entry in raw_accounts if isinstance(raw_accounts, list) else []:
        if not isinstance(entry, dict):
            accounts.append(AccountRefs(None))
            continue
        name = entry.get("name")
        holdings = entry.get("holdings")
        menu = entry.get("menu")
        accounts.append(
            AccountRefs(
                name if isinstance(name, str) else None,
                list(holdings) if isinstance(holdings, dict) else [],
                [t for t in menu if isinstance(t, str)] if isinstance(menu, list) else [],
            )
        )
    return reference_findings(targets, securities, accounts)
