"""`safe`: nothing that drives a terminal gets through, and what is shown reads back exactly."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rebal.present.terminal import is_safe, safe

# What a terminal may receive from rebal's text: no C0 but tab/newline, no DEL, no C1,
# no bidi control, no line separator, no lone surrogate.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff]"
)
OSC52 = "\u001b]52;c;SEFDS0VE\u0007"


def read_back(shown: str) -> str:
    """The reading rule documented in rebal.present.terminal, written independently."""
    out: list[str] = []
    i = 0
    while i < len(shown):
        if shown.startswith("\\\\", i):
            out.append("\\")
            i += 2
        elif re.match(r"\\x[0-9a-f]{2}", shown[i:]):
            out.append(chr(int(shown[i + 2 : i + 4], 16)))
            i += 4
        elif re.match(r"\\u[0-9a-f]{4}", shown[i:]):
            out.append(chr(int(shown[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(shown[i])
            i += 1
    return "".join(out)


def test_osc_csi_and_bel_are_shown_as_escapes() -> None:
    assert safe(f"Fund{OSC52}") == "Fund\\x1b]52;c;SEFDS0VE\\x07"
    assert safe("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert safe("\x1b[2J\x1b[H") == "\\x1b[2J\\x1b[H"
    assert safe("a\rb\x7f\x9b") == "a\\x0db\\x7f\\x9b"


def test_bidi_overrides_and_undecodable_file_name_bytes_are_escaped() -> None:
    assert safe("invoice\u202egpj.exe") == "invoice\\u202egpj.exe"
    assert safe("\u2066x\u2069") == "\\u2066x\\u2069"
    assert safe("file\udc9b.toml") == "file\\udc9b.toml"


def test_ordinary_text_is_unchanged() -> None:
    for text in ("Small Cap Index [/] Fund", "C:\\Data", "A\\B", "tab\there\nnext", "€ 1,234 — ok"):
        assert safe(text) == text
        assert is_safe(text)


def test_a_backslash_that_could_read_as_an_escape_is_doubled() -> None:
    assert safe("a\\x1b") == "a\\\\x1b"  # the four characters, not an ESC
    assert safe("\\\x1b") == "\\\\\\x1b"  # a backslash, then an ESC
    assert read_back(safe("a\\x1b")) == "a\\x1b"


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x20FF)
               | st.sampled_from("\\xu\x1b\x9b\u202e\udc9b")))
def test_nothing_forbidden_gets_through_and_everything_reads_back(text: str) -> None:
    shown = safe(text)
    assert not FORBIDDEN.search(shown)
    assert read_back(shown) == text
    assert is_safe(text) == (shown == text)
