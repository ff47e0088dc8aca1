"""rebal.present.review: the words of steps 1-3 that are more than one figure."""

from __future__ import annotations

from decimal import Decimal

from rebal.model.portfolio import Bands
from rebal.present.review import (
    account_parts,
    accounts_cell,
    band_rule,
    class_mix,
    held_in,
    signed_money,
    width_words,
)


def test_account_parts_list_the_largest_part_first_and_sum_the_rest_past_eight() -> None:
    parts = {f"A{n:02d}": Decimal(100 * n) for n in range(1, 11)}  # +$100 ... +$1,000
    words = account_parts(parts, True, "USD")
    assert words.startswith("A10 +$1,000 · A09 +$900 · ")
    assert words.endswith("A03 +$300 · and 2 more accounts +$300")
    assert account_parts({"IRA": Decimal(-5), "401(k)": Decimal(-50)}, False, "USD") == (
        "401(k) -$50 · IRA -$5")


def test_signed_money_shows_the_sign_of_whole_units() -> None:
    assert [signed_money(Decimal(v), "USD") for v in ("12400.4", "-3100", "0.4")] == [
        "+$12,400", "-$3,100", "$0"]


def test_a_holdings_classes_and_accounts() -> None:
    assert class_mix({"US Stocks": Decimal(100)}) == "US Stocks"
    assert class_mix({"Stocks": Decimal(60), "Bonds": Decimal(40)}) == "Stocks 60%, Bonds 40%"
    many = {f"Account {n}": Decimal(n) for n in range(1, 11)}
    assert accounts_cell(many) == "10 accounts"
    assert held_in(many, "USD").endswith("Account 3 $3.00 and 2 more accounts ($3.00)")


def test_the_band_rule_in_words_follows_the_kind() -> None:
    relative = Bands(kind="relative", width=Decimal(10), floor=Decimal("1.5"))
    assert band_rule(relative) == (
        "relative, 10% of each target either side, never narrower than 1.5 percentage points")
    assert width_words(relative, Decimal(25)) == "25% of its target"
    absolute = Bands(kind="absolute", width=Decimal(1))
    assert band_rule(absolute) == "absolute, 1 percentage point either side"
    assert width_words(absolute, Decimal(2)) == "2 points"
