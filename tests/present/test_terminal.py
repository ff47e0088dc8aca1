"""`safe`: nothing that drives a terminal gets through, and everything else is shown as it is."""

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


def test_backslashes_are_shown_as_written() -> None:
    """A message quoting a key as TOML writes it must not read double-escaped."""
    assert safe('securities."VTI\\u001b[2J"') == 'securities."VTI\\u001b[2J"'
    assert safe("\\\x1b") == "\\\\x1b"  # a backslash, then the ESC's escape


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x20FF)
               | st.sampled_from("\\xu\x1b\x9b\u202e\udc9b")))
def test_nothing_forbidden_gets_through_and_the_rest_is_kept(text: str) -> None:
    shown = safe(text)
    assert not FORBIDDEN.search(shown)
    assert is_safe(text) == (shown == text)
    # Each forbidden character becomes its escape and everything else stays, in order.
    expected = "".join(
        (f"\\x{ord(c):02x}" if ord(c) <= 0xFF else f"\\u{ord(c):04x}")
        if FORBIDDEN.match(c) else c
        for c in text
    )
    assert shown == expected
