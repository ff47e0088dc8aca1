"""Edits to TOML text that every writer shares: exact numbers and the file's line endings.

tomlkit is imported inside the functions, so loading a file (which never
writes) does not pay for it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tomlkit.container import Container
    from tomlkit.items import Item


def exact_number(value: Decimal) -> Item:
    """A TOML number written with exactly the digits of `value` (never a float round trip)."""
    import tomlkit
    from tomlkit.items import Float, Trivia

    text = format(value, "f")
    if "." not in text:
        return tomlkit.integer(int(text))
    return Float(float(value), Trivia(), text)


def dumps_keeping_line_endings(document: Container, original: str) -> str:
    """Render `document`; when `original` is a Windows (CRLF) file, so is the result.

    The lines tomlkit adds end in LF, which would leave the file mixed.
    """
    import tomlkit

    text = tomlkit.dumps(document)
    if "\r\n" in original and original.count("\r\n") == original.count("\n"):
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    return text
