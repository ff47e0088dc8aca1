"""A first look at a portfolio file: the few values step 1 shows before the file is checked.

The app paints step 1's name and targets from this while the full read
(`rebal.store.load`: the schema, pydantic, every rule) runs right after the
first paint; importing pydantic and building the model's validators alone take
longer than a bare Textual app takes to start. Only tomllib runs here, and
nothing is trusted: any surprise gives None (no first look), and the full read
reports what is wrong. The values shown are replaced by the checked ones, or by
the problem screen, as soon as the full read is done.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rebal.files import read_regular_file

# Larger files are read in the worker alone: parsing them twice would delay the
# checked view more than the first look gains.
FIRST_LOOK_LIMIT = 256 * 1024


@dataclass(frozen=True)
class FirstLook:
    """The file's own words, unchecked: its portfolio name, date and targets as written."""

    name: str
    as_of: str
    targets: tuple[tuple[str, Decimal], ...]


def first_look(path: Path) -> FirstLook | None:
    """The name, date and targets of a small, readable TOML file; None for anything else."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > FIRST_LOOK_LIMIT:
            return None
        data, _ = read_regular_file(path)
        raw = tomllib.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except Exception:  # the full read explains every failure; a first look just has none
        return None
    return _look(raw)


def _look(raw: dict[str, Any]) -> FirstLook | None:
    portfolio = raw.get("portfolio")
    targets = raw.get("targets")
    if not isinstance(portfolio, dict) or not isinstance(targets, dict) or not targets:
        return None
    name, as_of = portfolio.get("name"), portfolio.get("as_of")
    if not isinstance(name, str) or not isinstance(as_of, dt.date | str):
        return None
    shares: list[tuple[str, Decimal]] = []
    for asset_class, target in targets.items():
        if isinstance(target, bool) or not isinstance(target, int | Decimal):
            return None
        share = Decimal(target)
        if not share.is_finite():
            return None
        shares.append((asset_class, share))
    written = as_of.isoformat() if isinstance(as_of, dt.date) else as_of
    return FirstLook(name, written, tuple(shares))
