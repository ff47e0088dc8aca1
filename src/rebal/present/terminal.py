"""Text made safe for a terminal: what came from a file, an export or a file name never
drives the terminal.

A terminal obeys control characters wherever they appear: ESC starts sequences
that set the clipboard (OSC 52), the window title (OSC 0) or clear the screen
(CSI), BEL rings, CR overwrites the line, and the C1 byte 0x9b is a CSI on its
own in some terminals. Bidirectional overrides reorder what is shown so that a
name reads differently from what it is. `safe` shows each of them as a visible
escape instead, and every output layer (the CLI's text, its messages, the app)
passes user and file text through it.

The escapes:
- C0 controls except tab and newline, DEL and C1 controls: `\\x` and two
  lower-case hex digits (`\\x1b`, `\\x07`, `\\x7f`, `\\x9b`);
- bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E,
  U+2066-U+2069), the line and paragraph separators (U+2028, U+2029) and lone
  surrogates (a file name that is not valid UTF-8): `\\u` and four hex digits.

Backslashes are left as they are: a message quoting a character the way TOML
writes it (`"VTI\\u001b[2J"`) reads as written, and `C:\\Data` stays `C:\\Data`.
So the four characters `\\x1b` typed in a name and an ESC look alike on screen;
that costs nothing, because the loader refuses control characters in names and
what reaches the terminal is never the ESC itself.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# Written out, not derived from unicodedata, so the set is reviewed, not inherited.
_ESCAPED = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 except tab and newline, DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates: undecodable file-name bytes
)
_UNSAFE = re.compile(f"[{_ESCAPED}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """`text` with every character that could drive a terminal shown as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def is_safe(text: str) -> bool:
    """True when `safe` would leave `text` as it is."""
    return _UNSAFE.search(text) is None


def say(*values: object, file: TextIO | None = None, end: str = "\n", flush: bool = False) -> None:
    """`print` for text people read: each value made terminal-safe first.

    Never for machine output (JSON, CSV to a pipe): its escapes are its own.
    """
    stream = sys.stdout if file is None else file
    print(" ".join(safe(str(value)) for value in values), file=stream, end=end, flush=flush)

