"""The TOML-editing toolkit every writer shares: exact numbers, line endings,
comments that stay where they belong, and the one check of an edit.

Every write of a portfolio (save, mark, import, init) ends in `verify_edit`:
the new text must load without errors, and compared value by value with the
text it replaces, only what the writer says it may change has changed.

tomlkit is imported inside the functions, so loading a file (which never
writes) does not pay for it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rebal.core.numbers import cents
from rebal.model import Portfolio
from rebal.problems import Problem
from rebal.store.atomic import SaveRefused
from rebal.store.load import parse

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.items import Item, Table

# A place in a TOML document: table keys and array indexes, e.g. ("accounts", 2, "cash").
KeyPath = tuple[str | int, ...]


# ---------------------------------------------------------------- numbers


def exact_number(value: Decimal) -> Item:
    """A TOML number written with exactly the digits of `value` (never a float round trip)."""
    import tomlkit
    from tomlkit.items import Float, Trivia

    text = format(value, "f")
    if "." not in text:
        return tomlkit.integer(int(text))
    return Float(float(value), Trivia(), text)


def money(value: Decimal) -> Item:
    """An amount of money, to the cent: 2901.2 is written 2901.20."""
    return exact_number(cents(value))


def quantity(value: Decimal) -> Item:
    """A share count or price without trailing zeros: 85.000 and 18900.12000 are
    written 85 and 18900.12 (a quantity's trailing zeros carry no information)."""
    return exact_number(value.normalize() if value == value.to_integral_value() else value)


def share_count(value: Decimal) -> Item:
    """A share count, every trailing zero dropped (85.000 -> 85, 95.50 -> 95.5)."""
    return exact_number(value.normalize())


def inline_numbers(values: Mapping[str, Decimal], *, spaced: bool = True) -> Any:
    """`{ VTI = 85, BND = 95.5 }` as a tomlkit inline table, numbers written exactly.

    Built from text so the spacing matches what people write (tomlkit's own
    builder prints `{VTI = 85}`); `spaced` keeps the style of the table replaced.
    """
    import tomlkit

    parts = ", ".join(
        f"{tomlkit.key(key).as_string()} = {share_count(value).as_string()}"
        for key, value in values.items()
    )
    body = f"{{ {parts} }}" if spaced and parts else f"{{{parts}}}"
    return tomlkit.parse(f"x = {body}\n")["x"]


# ---------------------------------------------------------------- layout


def dumps_keeping_line_endings(document: Container, original: str) -> str:
    """Render `document`; when `original` is a Windows (CRLF) file, so is the result.

    The lines tomlkit adds end in LF, which would leave the file mixed.
    """
    import tomlkit

    text = tomlkit.dumps(document)
    if "\r\n" in original and original.count("\r\n") == original.count("\n"):
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    return text


def take_trailing(table: Any) -> list[tuple[None, Any]]:
    """Remove and return the comments and blank lines that end `table`'s body.

    tomlkit keeps the comments written after a table's last key inside that
    table, although they usually introduce the next section.
    """
    from tomlkit.items import Comment, Whitespace

    body = table.value.body
    trailing: list[tuple[None, Any]] = []
    while body and body[-1][0] is None and isinstance(body[-1][1], Comment | Whitespace):
        trailing.append(body.pop())
    trailing.reverse()
    return trailing


def set_key(table: Any, key: str, value: Any) -> None:
    """Set `key`; a new key goes after the table's last key, above any closing comments."""
    if key in table:
        table[key] = value
        return
    trailing = take_trailing(table)
    table[key] = value
    table.value.body.extend(trailing)


def move_trailing_comments(source: Any, destination: Any) -> None:
    """Move the comments and blank lines that end `source` to the end of `destination`.

    They introduce whatever follows in the file (e.g. "# securities follow"
    above the next table), so they must stay there when `source` is replaced
    or something is appended after it.
    """
    old, new = _last_table(source), _last_table(destination)
    if old is None or new is None:
        return
    new.value.body.extend(take_trailing(old))


def _last_table(item: Any) -> Table | None:
    """The table whose body is rendered last when `item` is written (where trailing
    comments end up: tomlkit keeps a comment above a header in the table before it)."""
    from tomlkit.items import AoT, Table

    if isinstance(item, AoT):
        return _last_table(item[-1]) if len(item) else None
    if not isinstance(item, Table):
        return None
    for key, child in reversed(item.value.body):
        if key is None:
            continue
        if isinstance(child, Table | AoT):
            return _last_table(child) or item
        break
    return item


# ---------------------------------------------------------------- the check


class EditRefused(SaveRefused):
    """The edited text failed `verify_edit`; nothing was written."""

    def __init__(self, path: Path, detail: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail
        self.problems = list(problems)  # the loader's errors, when the result is invalid


@dataclass(frozen=True)
class MayChange:
    """What an edit is allowed to change; every other value must stay as it was.

    `paths`: anything at or under these places may change, appear or go.
    `entries`: in the array of tables named by the key, the entries whose
    `field` equals `value` may be added, replaced or removed (a save's
    `[[history]]` snapshot of one date), and no other entry.
    """

    paths: frozenset[KeyPath] = frozenset()
    entries: Mapping[str, tuple[str, object]] = field(default_factory=dict)


# A new file: there is nothing before it to keep, only its validity to check.
EVERYTHING = MayChange(frozenset({()}))


def verify_edit(
    path: Path,
    before: str,
    after: str,
    may_change: MayChange,
    *,
    expect: Callable[[Portfolio], Iterable[str]] | None = None,
) -> tuple[Portfolio, list[Problem]]:
    """Check `after`, an edit of `before`, before it is written; return what it loads as.

    Raises EditRefused when it would not load without errors, when a value
    outside `may_change` differs, or when `expect` (given the edited
    portfolio) names anything that did not come out as intended.
    """
    portfolio, problems = parse(path, after)
    errors = [p for p in problems if p.severity == "error"]
    if portfolio is None or errors:
        detail = "; ".join(str(p) for p in errors) or "the new file does not validate"
        raise EditRefused(
            path, f"nothing was written, the result would be invalid: {detail}", errors
        )
    old = _without_entries(tomllib.loads(before, parse_float=Decimal), may_change.entries)
    new = _without_entries(tomllib.loads(after, parse_float=Decimal), may_change.entries)
    moved = [p for p in _differences(old, new, ()) if not _allowed(p, may_change.paths)]
    if moved:
        shown = ", ".join(format_path(p) for p in moved[:5])
        more = f" and {len(moved) - 5} more" if len(moved) > 5 else ""
        raise EditRefused(
            path,
            f"nothing was written: the edit would also change {shown}{more}, which it "
            "must not touch (please report this; the file is untouched)",
        )
    wrong = list(expect(portfolio)) if expect is not None else []
    if wrong:
        raise EditRefused(
            path,
            "nothing was written: the edit would not say what was intended for "
            f"{', '.join(wrong)} (please report this; the file is untouched)",
        )
    return portfolio, problems


def format_path(path: KeyPath) -> str:
    """("accounts", 2, "cash") -> accounts[2].cash; keys that are not bare are quoted."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        key = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part)
        text += f".{key}" if text else key
    return text or "the whole file"


def _without_entries(
    document: dict[str, Any], entries: Mapping[str, tuple[str, object]]
) -> dict[str, Any]:
    result = dict(document)
    for key, (name, value) in entries.items():
        if isinstance(result.get(key), list):
            kept = [e for e in result[key] if not (isinstance(e, dict) and e.get(name) == value)]
            # A file's first snapshot creates the whole list: with it taken out, the
            # list is as absent as it was before.
            if kept:
                result[key] = kept
            else:
                del result[key]
    return result


def _differences(old: Any, new: Any, at: KeyPath) -> Iterator[KeyPath]:
    """Every place where `old` and `new` differ, as deep as both are tables.

    A table present on one side only is compared with an empty one, so a new
    table is reported key by key (and a writer may add one under a path it owns).
    """
    if isinstance(old, dict) or isinstance(new, dict):
        if not (isinstance(old, dict | None) and isinstance(new, dict | None)):
            yield at
            return
        old_table, new_table = old or {}, new or {}
        for key in [*old_table, *(k for k in new_table if k not in old_table)]:
            yield from _differences(old_table.get(key), new_table.get(key), (*at, key))
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _differences(a, b, (*at, index))
        return
    if old != new or isinstance(old, bool) != isinstance(new, bool):
        yield at


def _allowed(path: KeyPath, allowed: frozenset[KeyPath]) -> bool:
    return any(path[: len(place)] == place for place in allowed)
