"""The portfolio rules in core/rules.py: the same answers for the loader and the app."""

from __future__ import annotations

from decimal import Decimal
from decimal import Decimal as D

import pytest

from rebal.core.rules import (
    AccountRefs,
    control_character,
    control_character_findings,
    reference_findings,
    target_sum,
)


@pytest.mark.parametrize(
    ("targets", "ok", "gap"),
    [
        ({"A": Decimal(60), "B": Decimal(40)}, True, Decimal(0)),
        (dict.fromkeys("ABC", Decimal("33.33")), True, Decimal("0.01")),
        ({"A": Decimal("33.33"), "B": Decimal("33.33"), "C": Decimal("33.32")}, False, D("0.02")),
        ({"A": Decimal(70), "B": Decimal(40)}, False, Decimal(-10)),
        ({}, False, Decimal(100)),
    ],
)
def test_targets_sum_to_100_within_a_hundredth(
    targets: dict[str, Decimal], ok: bool, gap: Decimal
) -> None:
    total = target_sum(targets)
    assert (total.ok, total.gap) == (ok, gap)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Vanguard Total Stock", None),
        ("tab\tand\nnewline are text", None),
        ("é ü 日本 €", None),
        ("\x00", "\x00"),
        ("bell\x07", "\x07"),
        ("osc \x1b]52;c;SEFDS0VE\x07", "\x1b"),
        ("del\x7f", "\x7f"),
        ("c1 \x85 next line", "\x85"),
        ("csi \x9b2J", "\x9b"),
        ("\x9f", "\x9f"),
        ("\xa0 is a no-break space", None),
    ],
)
def test_control_characters_are_c0_but_tab_and_newline_del_and_c1(
    text: str, found: str | None
) -> None:
    assert control_character(text) == found


def test_control_characters_are_found_in_keys_and_texts_at_their_path() -> None:
    data = {
        "securities": {"VTI\x1b": {"name": "ok"}, "BND": {"name": "bad\x9b"}},
        "plan": {"trades": [{"reason": "fine"}, {"reason": "x\x07"}]},
        "accounts": [{"name": "IRA", "cash": Decimal(1)}],
    }
    found = [(f.where, f.message.split(" contains")[0]) for f in control_character_findings(data)]
    assert found == [
        (("securities", "VTI\x1b"), "the key"),
        (("securities", "BND", "name"), "the text"),
        (("plan", "trades", 1, "reason"), "the text"),
    ]


def test_reference_rules_skip_what_is_unknown_and_name_each_place() -> None:
    accounts = [
        AccountRefs("IRA", ["VTI", "VTX"], ["BND"]),
        AccountRefs("IRA", [], []),
        AccountRefs(None),
    ]
    findings = reference_findings(None, {"VTI", "VXUS"}, accounts)
    assert [(f.where, f.hint) for f in findings] == [
        (("accounts", 0, "name"), "give each account its own name"),
        (("accounts", 0, "holdings", "VTX"), "did you mean 'VTI'?"),
        (("accounts", 0, "menu"), "add [securities.BND] or remove it from the menu"),
        (("accounts", 1, "name"), "give each account its own name"),
    ]
    assert reference_findings({"A": Decimal(90)}, None, [])[0].hint == (
        "raise them by 10 percentage points in total so they add up to 100"
    )
