"""TOML text to plain data, with every syntax mistake as a located problem.

tomllib does the parsing. A scan of the text enforces the limits a hostile
file would use to crash the reader or overflow the engine (tomllib recurses
once per nested array or inline table, and refuses integers over 4300 digits
with a bare ValueError); any other exception it raises on the user's text is
still reported as a problem, never a traceback.

The full scan costs about a third of tomllib's own time, so it runs only when
a cheap test says a limit may be passed: a run of bare characters longer than
the longest number allowed (found by one regular expression, in C), tomllib
failing (its RecursionError on deep nesting, its ValueError on long integers,
or any syntax error, which a limit problem reported instead as before), or the
data read nesting deeper than the limit (text nesting never exceeds the
data's). Either way the problem reported is the scan's, at its line.
"""

from __future__ import annotations

import ast
import bisect
import contextlib
import re
import threading
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rebal.core.numbers import decimal_places
from rebal.model.constants import MAX_DECIMAL_PLACES, MAX_NESTING, MAX_NUMBER_DIGITS
from rebal.problems import Problem
from rebal.store.locate import dotted, repeated_keys

try:
    from tomli import loads as _compiled_loads
except ImportError:  # an install without the dependency reads as before, only slower
    _compiled_loads = tomllib.loads

# The text's tokens that matter for the limits: strings and comments are
# skipped whole (a "[" inside them is not nesting), brackets are counted, and
# runs of bare characters (numbers, dates, bare keys) have their digits counted.
_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?""""?"?'
    r"|'''.*?''''?'?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|(?P<open>[\[{])"
    r"|[\]}]"
    r"|(?P<bare>[A-Za-z0-9_+.:-]+)",
    re.DOTALL,
)


# A bare token with more digits than allowed is at least this long; no shorter run
# of bare characters can break the digits limit. Found on the UTF-8 bytes with
# bytes.translate (every bare character to "a", the rest to a space), some
# twenty times quicker than a regular expression searching the text.
_BARE_CHARACTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+.:-"
_BARE_TO_A = bytes(ord("a") if byte in _BARE_CHARACTERS else ord(" ") for byte in range(256))
_LONG_RUN = b"a" * (MAX_NUMBER_DIGITS + 1)


def _has_long_run(text: str) -> bool:
    return _LONG_RUN in text.encode("utf-8", "surrogatepass").translate(_BARE_TO_A)


def read_toml(path: Path, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The data in `text`, or None and the one problem that stops it being read."""
    if _has_long_run(text):
        over = _over_limits(path, text)
        if over is not None:
            return None, [over]
    try:
        data = _parse(text)
    except tomllib.TOMLDecodeError as error:
        over = _over_limits(path, text)
        return None, [over if over is not None else _syntax_problem(path, text, error)]
    except Exception as error:  # tomllib on hostile text: report, never a traceback
        over = _over_limits(path, text)
        if over is not None:
            return None, [over]
        return None, [
            Problem(
                path,
                f"the TOML parser could not read this file ({type(error).__name__}: {error})",
                hint="check the file is a portfolio written as TOML; if it is, please report "
                "this message",
            )
        ]
    if _deeper_than(data, MAX_NESTING):
        over = _over_limits(path, text)
        if over is not None:
            return None, [over]
    return data, []


# Above this many characters, a file read in a thread is parsed by tomllib itself.
SHARED_PARSE_ABOVE = 100_000


def _parse(text: str) -> dict[str, Any]:
    """tomllib's data, read by its compiled twin where it can (tomli: the same parser and
    TOML version, 1.7x quicker, which `rebal check` over many files needs); text that
    fails is read again by tomllib itself, whose errors the problems quote.

    A long text read in a thread goes to tomllib directly: the compiled parser never
    lets go of the interpreter until it is done, and the app reads in a thread beside
    its event loop (a 20,000-position file held the loop 100-160 ms); tomllib's Python
    code lets the loop in every few milliseconds."""
    if len(text) > SHARED_PARSE_ABOVE and threading.current_thread() is not threading.main_thread():
        return tomllib.loads(text, parse_float=exact_number)
    try:
        return _compiled_loads(text, parse_float=exact_number)
    except Exception:
        return tomllib.loads(text, parse_float=exact_number)


@dataclass(frozen=True)
class TooPrecise:
    """A TOML float with more than MAX_DECIMAL_PLACES digits after the point (trailing
    zeros not counted), as read: no field of the model accepts it, so validation refuses
    it at its key, and the problem says why (store.validation)."""

    value: Decimal

    def __str__(self) -> str:
        return str(self.value)


# No float written with this many characters or fewer has more decimal places than
# allowed, unless it has an exponent: there is at least one digit before the point.
_SHORT_FLOAT = MAX_DECIMAL_PLACES + 2


def exact_number(text: str) -> Decimal | TooPrecise:
    """A TOML float as an exact Decimal, or TooPrecise past the limit on decimal places.

    The limit is checked here, once per float as it is read, rather than by the
    model's fields: pydantic's `decimal_places` costs about a microsecond a value,
    some 0.1 ms of each file `rebal check` reads; this costs a fifth of that."""
    number = Decimal(text)
    if len(text) <= _SHORT_FLOAT and "e" not in text and "E" not in text:
        return number
    if decimal_places(number) > MAX_DECIMAL_PLACES:
        return TooPrecise(number)
    return number


# A tuple, not `dict | list`: isinstance with a union type is some three times slower,
# and the walk asks it of every value in the file.
_CONTAINERS = (dict, list)


def _deeper_than(data: dict[str, Any], limit: int) -> bool:
    """Whether tables and arrays in `data` nest more than `limit` levels below the top.

    Each array or inline table opened in the text (and each [table] header's
    bracket) is at least one level of the data, so data within the limit cannot
    hold text nested beyond it. The walk goes level by level, never recursing.
    """
    level: list[Any] = [data]
    for _ in range(limit + 1):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, _CONTAINERS)
        ]
        if not level:
            return False
    return bool(level)


def _over_limits(path: Path, text: str) -> Problem | None:
    """The first place the text nests too deep or writes an absurdly long number."""
    depth = 0
    for match in _TOKENS.finditer(text):
        if match.group("open") is not None:
            depth += 1
            if depth > MAX_NESTING:
                return _problem(
                    path,
                    text,
                    match.start(),
                    f"arrays or inline tables are nested more than {MAX_NESTING} levels deep",
                    "no value in a portfolio file nests more than a few levels: look for "
                    "stray [ or { characters",
                )
        elif match.group(0) in {"]", "}"}:
            depth = max(0, depth - 1)
        elif match.group("bare") is not None:
            digits = sum(char.isdigit() for char in match.group("bare"))
            if digits > MAX_NUMBER_DIGITS:
                return _problem(
                    path,
                    text,
                    match.start(),
                    f"a number written with {digits} digits; rebal reads numbers of at most "
                    f"{MAX_NUMBER_DIGITS} digits",
                    "look for a typo or digits pasted twice",
                )
    return None


def _problem(path: Path, text: str, offset: int, message: str, hint: str) -> Problem:
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    line = bisect.bisect_right(starts, offset)
    return Problem(path, message, line=line, column=offset - starts[line - 1] + 1, hint=hint)


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
