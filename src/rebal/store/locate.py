"""Find the line of a dotted key in TOML text.

Neither tomllib nor tomlkit reports where a key was written, so this small
scanner walks the text, tracking `[table]`, `[[array]]` (with its index) and
`key = value` lines, including keys inside one-line inline tables.
"""

from __future__ import annotations

import re

PathPart = str | int
Location = tuple[int, int]  # 1-based line and column

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r'^\s*((?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\'))*)\s*='
)
_INLINE_KEY = re.compile(r'(?:[{,]\s*)([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')\s*=')


def split_dotted(text: str) -> list[str]:
    """`a."b.c".d` -> ["a", "b.c", "d"]."""
    parts: list[str] = []
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', text):
        quoted, literal, bare = match.groups()
        parts.append(quoted if quoted is not None else literal if literal is not None else bare)
    return parts


def key_locations(text: str) -> dict[tuple[PathPart, ...], Location]:
    """Every key path written in `text`, mapped to where it is written."""
    locations: dict[tuple[PathPart, ...], Location] = {}
    table: tuple[PathPart, ...] = ()
    array_counts: dict[tuple[PathPart, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            keys: tuple[PathPart, ...] = tuple(split_dotted(header.group(2)))
            if header.group(1) == "[[":
                index = array_counts.get(keys, 0)
                array_counts[keys] = index + 1
                keys = (*_resolve(keys, array_counts), index)
            else:
                keys = _resolve(keys, array_counts)
            table = keys
            locations.setdefault(table, (number, len(line) - len(stripped) + 1))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = (*table, *split_dotted(key.group(1)))
        locations.setdefault(path, (number, key.start(1) + 1))
        rest_start = key.end()
        for inline in _INLINE_KEY.finditer(line, rest_start):
            sub = split_dotted(inline.group(1))
            locations.setdefault((*path, *sub), (number, inline.start(1) + 1))
    return locations


def _resolve(
    keys: tuple[PathPart, ...], counts: dict[tuple[PathPart, ...], int]
) -> tuple[PathPart, ...]:
    """Insert the current index after each array-of-tables prefix: accounts.x -> accounts.N.x."""
    resolved: list[PathPart] = []
    plain: list[PathPart] = []
    for key in keys:
        resolved.append(key)
        plain.append(key)
        count = counts.get(tuple(plain))
        if count and tuple(plain) != keys:
            resolved.append(count - 1)
    return tuple(resolved)


def locate(
    locations: dict[tuple[PathPart, ...], Location], path: tuple[PathPart, ...]
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
            name = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else f'"{part}"'
            text += f".{name}" if text else name
    return text
