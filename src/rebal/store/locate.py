"""Find the line of a dotted key in TOML text.

Neither tomllib nor tomlkit reports where a key was written, so this small
scanner walks the text, tracking `[table]`, `[[array]]` (with its index) and
`key = value` lines, including keys inside inline tables (nested too), the
elements of arrays (also arrays spanning several lines), and skipping the
inside of strings, multi-line ones included. It never raises: text it cannot
follow just yields fewer locations, and `locate` falls back to the nearest
written parent. `problem_at` turns a key path into a problem at its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from rebal.problems import Problem, Severity

PathPart = str | int
Location = tuple[int, int]  # 1-based line and column

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\]|\\.)*"'
_LITERAL = r"'[^']*'"
_SIMPLE = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_DOTTED = rf"{_SIMPLE}(?:\s*\.\s*{_SIMPLE})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_DOTTED})\s*=")
_KEY_HERE = re.compile(rf"({_DOTTED})\s*=")
_PART = re.compile(rf"({_BASIC})|({_LITERAL})|({_BARE})")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def split_dotted(text: str) -> list[str]:
    """`a."b.c".d` -> ["a", "b.c", "d"] (quoted parts unquoted and unescaped)."""
    parts: list[str] = []
    for match in _PART.finditer(text):
        basic, literal, bare = match.groups()
        if basic is not None:
            parts.append(_unescape(basic[1:-1]))
        elif literal is not None:
            parts.append(literal[1:-1])
        else:
            parts.append(bare)
    return parts


def _unescape(body: str) -> str:
    if "\\" not in body:
        return body

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU":
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return match.group(0)
        return _ESCAPES.get(code, match.group(0))

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, body)


class _ValueScanner:
    """Follows one value (inline tables, arrays) across one or more lines."""

    def __init__(self, path: tuple[PathPart, ...]) -> None:
        # Open containers: [kind "{" or "[", the container's path, next element index].
        self.stack: list[tuple[str, tuple[PathPart, ...], list[int]]] = []
        self.value_path = path
        self.expecting_key = False
        self.string_end: str | None = None  # the delimiter of an open multi-line string

    @property
    def open(self) -> bool:
        return bool(self.stack) or self.string_end is not None

    def feed(
        self,
        line: str,
        start: int,
        number: int,
        locations: dict[tuple[PathPart, ...], Location],
    ) -> None:
        i = start
        if self.string_end is not None:
            close = line.find(self.string_end, i)
            if close < 0:
                return
            i = close + 3
            self.string_end = None
        while i < len(line):
            char = line[i]
            if char in " \t\r":
                i += 1
                continue
            if char == "#":
                return
            if self.expecting_key and self.stack and self.stack[-1][0] == "{":
                key = _KEY_HERE.match(line, i)
                if key:
                    path = (*self.stack[-1][1], *split_dotted(key.group(1)))
                    locations.setdefault(path, (number, i + 1))
                    self.value_path = path
                    self.expecting_key = False
                    i = key.end()
                    continue
            if char in "\"'":
                if self.stack and self.stack[-1][0] == "[":
                    locations.setdefault(self.value_path, (number, i + 1))
                i = self._skip_string(line, i)
                if i < 0:
                    return
                continue
            if char == "{":
                locations.setdefault(self.value_path, (number, i + 1))
                self.stack.append(("{", self.value_path, [0]))
                self.expecting_key = True
            elif char == "[":
                locations.setdefault(self.value_path, (number, i + 1))
                self.stack.append(("[", self.value_path, [0]))
                self.value_path = (*self.value_path, 0)
            elif char == "," and self.stack:
                kind, path, counter = self.stack[-1]
                if kind == "{":
                    self.expecting_key = True
                else:
                    counter[0] += 1
                    self.value_path = (*path, counter[0])
            elif char in "}]" and self.stack:
                self.stack.pop()
                self.expecting_key = False
            elif self.stack and self.stack[-1][0] == "[":
                # A plain element (number, date, ...): note where it is.
                locations.setdefault(self.value_path, (number, i + 1))
            i += 1

    def _skip_string(self, line: str, i: int) -> int:
        """The index after the string starting at `i`; -1 when it runs past the line."""
        quote = line[i]
        if line.startswith(quote * 3, i):
            close = line.find(quote * 3, i + 3)
            if close < 0:
                self.string_end = quote * 3
                return -1
            return close + 3
        j = i + 1
        while j < len(line):
            if quote == '"' and line[j] == "\\":
                j += 2
                continue
            if line[j] == quote:
                return j + 1
            j += 1
        return len(line)


def key_locations(text: str) -> dict[tuple[PathPart, ...], Location]:
    """Every key path written in `text`, mapped to where it is first written."""
    return _scan(text, None)


def repeated_keys(text: str) -> list[tuple[tuple[PathPart, ...], Location]]:
    """`key = value` lines whose key was already written earlier, in file order.

    tomllib reports "Cannot overwrite a value" at the end of the document;
    this finds the line the user has to fix.
    """
    repeats: list[tuple[tuple[PathPart, ...], Location]] = []
    _scan(text, repeats)
    return repeats


def _scan(
    text: str, repeats: list[tuple[tuple[PathPart, ...], Location]] | None
) -> dict[tuple[PathPart, ...], Location]:
    locations: dict[tuple[PathPart, ...], Location] = {}
    assigned: set[tuple[PathPart, ...]] = set()
    table: tuple[PathPart, ...] = ()
    array_counts: dict[tuple[PathPart, ...], int] = {}
    scanner: _ValueScanner | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if scanner is not None and scanner.open:
            scanner.feed(line, 0, number, locations)
            continue
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            keys: tuple[PathPart, ...] = tuple(split_dotted(header.group(2)))
            if header.group(1) == "[[":
                base = _resolve(keys, array_counts)
                index = array_counts.get(base, 0)
                array_counts[base] = index + 1
                keys = (*base, index)
            else:
                keys = _resolve(keys, array_counts)
            table = keys
            locations.setdefault(table, (number, len(line) - len(stripped) + 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = (*table, *split_dotted(key.group(1)))
        where = (number, key.start(1) + 1)
        if repeats is not None and path in assigned:
            repeats.append((path, where))
        assigned.add(path)
        locations.setdefault(path, where)
        scanner = _ValueScanner(path)
        scanner.feed(line, key.end(), number, locations)
    return locations


def _resolve(
    keys: tuple[PathPart, ...], counts: dict[tuple[PathPart, ...], int]
) -> tuple[PathPart, ...]:
    """Insert the current index after each array-of-tables prefix: accounts.x -> accounts.N.x.

    `counts` is keyed by resolved paths, so a nested array of tables
    (`[[accounts.lots]]`) is numbered afresh under each account.
    """
    resolved: list[PathPart] = []
    for position, key in enumerate(keys):
        resolved.append(key)
        count = counts.get(tuple(resolved))
        if count and position < len(keys) - 1:
            resolved.append(count - 1)
    return tuple(resolved)


class KeyLocations(Mapping[tuple[PathPart, ...], Location]):
    """`key_locations(text)`, scanned on first use: only a file with problems needs it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[tuple[PathPart, ...], Location] | None = None

    def _all(self) -> dict[tuple[PathPart, ...], Location]:
        if self._found is None:
            self._found = key_locations(self._text)
        return self._found

    def __getitem__(self, key: tuple[PathPart, ...]) -> Location:
        return self._all()[key]

    def __iter__(self) -> Iterator[tuple[PathPart, ...]]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def locate(
    locations: Mapping[tuple[PathPart, ...], Location], path: tuple[PathPart, ...]
) -> Location | None:
    """Where `path` (or its longest written prefix) is; None if nothing of it is written."""
    for end in range(len(path), 0, -1):
        found = locations.get(path[:end])
        if found is not None:
            return found
    return None


def dotted(path: tuple[PathPart, ...]) -> str:
    """("accounts", 2, "holdings", "VTI") -> "accounts[2].holdings.VTI"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else _quoted(part)
            text += f".{name}" if text else name
    return text


def _quoted(key: str) -> str:
    """A TOML basic string for `key`: control characters escaped, never written raw."""
    body = json.dumps(key, ensure_ascii=False)[1:-1]  # escapes quotes, backslashes, C0
    return '"' + re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", body) + '"'


def problem_at(
    file: Path,
    locations: Mapping[tuple[PathPart, ...], Location],
    path: tuple[PathPart, ...],
    message: str,
    hint: str = "",
    severity: Severity = "error",
) -> Problem:
    """A problem about the key `path`, pinned to its line (or its longest written prefix's)."""
    where = locate(locations, path)
    return Problem(
        file,
        message,
        path=dotted(path),
        line=where[0] if where else None,
        column=where[1] if where else None,
        hint=hint,
        severity=severity,
    )
