"""The limit on decimal places, checked as each float is read (store.syntax.exact_number).

The model's fields no longer check it (pydantic's `decimal_places` cost about a
microsecond a value, a twentieth of `rebal check`'s time per file); these tests
hold the reader to what the fields used to say, at the same key and line.
"""

from __future__ import annotations

from decimal import Context, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebal.core.numbers import decimal_places
from rebal.model.constants import MAX_DECIMAL_PLACES
from rebal.store.load import parse
from rebal.store.syntax import TooPrecise, exact_number
from rebal.tui.parse import parse_decimal

SAMPLE = Path(__file__).resolve().parents[2] / "sample_portfolios" / "household.toml"
FILE = Path("household.toml")
PLACES_MESSAGE = f"more than {MAX_DECIMAL_PLACES} digits after the decimal point"


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("1.5", 1),
        ("0.123456789012345678", 18),
        ("0.1234567890123456789", 19),
        ("1.50000000000000000000000", 1),
        ("1e-999999", 999999),
        ("1E-18", 18),
        ("1.5e-18", 19),
        ("1e999999", 0),
        ("-0.0", 0),
        ("inf", 0),
        ("nan", 0),
        ("123456789012345678901.5", 1),
    ],
)
def test_decimal_places_counts_digits_after_the_point_but_not_trailing_zeros(
    text: str, places: int
) -> None:
    assert decimal_places(Decimal(text)) == places


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_decimal_places_agrees_with_the_normalized_exponent(number: Decimal) -> None:
    # An independent count: normalize (exactly, at enough precision) and read the exponent.
    normalized = number.normalize(Context(prec=len(number.as_tuple().digits) + 1))
    exponent = normalized.as_tuple().exponent
    assert isinstance(exponent, int)
    assert decimal_places(number) == max(0, -exponent)


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_float_is_read_exactly_or_as_too_precise_past_the_limit(number: Decimal) -> None:
    for text in (str(number), format(number, "f") if abs(number.adjusted()) < 60 else str(number)):
        read = exact_number(text)
        if decimal_places(number) > MAX_DECIMAL_PLACES:
            assert read == TooPrecise(Decimal(text))
        else:
            assert isinstance(read, Decimal)
            assert read == number
            assert str(read) == str(Decimal(text))


def _first_price(new: str) -> str:
    text = SAMPLE.read_text(encoding="utf-8")
    assert "price = 215.40" in text
    return text.replace("price = 215.40", new, 1)


def _errors(text: str) -> list[str]:
    portfolio, problems = parse(FILE, text)
    assert portfolio is None, "expected the file to be refused"
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("written", ["1e-999999", "0.1234567890123456789", "2.5e-18"])
def test_a_too_precise_price_is_refused_at_its_key_and_line(written: str) -> None:
    [error] = _errors(_first_price(f"price = {written}"))
    assert error.startswith("household.toml:59:1: error: securities.FXAIX.price: price has ")
    assert f"{PLACES_MESSAGE} (found {Decimal(written)})" in error


def test_trailing_zeros_past_the_limit_are_fine() -> None:
    portfolio, _ = parse(FILE, _first_price("price = 215.400000000000000000000000"))
    assert portfolio is not None
    assert portfolio.securities["FXAIX"].price == Decimal("215.4")


def test_a_too_precise_weight_inside_a_table_or_a_union_is_refused_at_its_own_key() -> None:
    text = _first_price('price = 215.40\nstyle = { "large-blend" = 1e-40, "large-value" = 1 }')
    text = text.replace('style = "large-blend"\n', "", 1)
    errors = _errors(text)
    assert len(errors) == 1, errors
    assert "securities.FXAIX.style.large-blend" in errors[0]
    assert PLACES_MESSAGE in errors[0]


def test_a_too_precise_number_where_text_is_expected_says_text_is_expected() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace('cash_class = "Cash"', "cash_class = 1e-40")
    [error] = _errors(text)
    assert "portfolio.cash_class: expected text in quotes, found 1E-40" in error


def test_a_too_precise_number_in_a_saved_plans_options_is_refused() -> None:
    # Every figure in the file obeys the limits (docs/portfolio-format.md, "Limits"),
    # an option rebal does not know included.
    plan = '\n[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { extra = 1e-40 }\n'
    [error] = _errors(SAMPLE.read_text(encoding="utf-8") + plan)
    assert "plan.inputs.extra" in error
    assert PLACES_MESSAGE in error


@pytest.mark.parametrize("typed", ["1e-999999", "0.0000000000000000001%"])
def test_the_apps_number_fields_refuse_what_a_file_may_not_hold(typed: str) -> None:
    assert parse_decimal(typed) is None
    assert parse_decimal("0.000000000000000001") == Decimal("1e-18")
