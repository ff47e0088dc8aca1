"""The figures a saved plan records in `[plan] inputs`, held to the file's limits.

The inputs are text ("5000.00@Roth IRA", "US Stocks=40", "width=5"), and a
hand edit can put any number in them. A reopened plan plans with them and
step 4 shows them, so a number beyond the limits every other figure in the
file has (LARGEST_NUMBER, MAX_DECIMAL_PLACES) is refused at its key, as a
price of 1e16 is: `1e999999` froze the planner and printed a million digits.
Text that is no number at all is left to the reader of the inputs, which
leaves such an entry out (core.plan_record.options_from_saved).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from rebal.model.constants import LARGEST_NUMBER, MAX_DECIMAL_PLACES


def recorded_number(text: str) -> Decimal | None:
    """A number as the inputs record it ("5000.00", "1,000", " 40 "); None when it is none."""
    try:
        number = Decimal(text.strip().replace(",", ""))
    except (ArithmeticError, InvalidOperation):
        return None
    return number if number.is_finite() else None


def split_record(entry: str) -> tuple[str, str]:
    """A "NAME=VALUE" record as (NAME, VALUE): split at the last "=", since a
    value never holds one and a class name may ("A=B=40" is class "A=B" at 40)."""
    name, equals, value = entry.rpartition("=")
    return (name, value) if equals else (entry, "")


def _within(low: Decimal, high: Decimal, text: str) -> None:
    number = recorded_number(text)
    if number is None:
        return
    if number > high:
        raise PydanticCustomError(
            "less_than_equal", "Input should be less than or equal to {le}", {"le": high}
        )
    if number < low:
        raise PydanticCustomError(
            "greater_than_equal", "Input should be greater than or equal to {ge}", {"ge": low}
        )
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        raise PydanticCustomError(
            "decimal_max_places",
            "Decimal input should have no more than {decimal_places} decimal places",
            {"decimal_places": MAX_DECIMAL_PLACES},
        )


def _money_at(entry: str) -> str:
    _within(-LARGEST_NUMBER, LARGEST_NUMBER, entry.partition("@")[0])
    return entry


def _signed(text: str) -> str:
    _within(-LARGEST_NUMBER, LARGEST_NUMBER, text)
    return text


def _percent_record(entry: str) -> str:
    _within(Decimal(0), Decimal(100), split_record(entry)[1])
    return entry


def _band_record(entry: str) -> str:
    _within(Decimal(0), LARGEST_NUMBER, split_record(entry)[1])
    return entry


class RecordedFigures(BaseModel):
    """The numbers in a saved plan's inputs; its errors carry the key and index
    (plan.inputs.new_money[0]). Only lists of text and text are checked here: any
    other shape of these keys is left out when the plan reopens."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    new_money: list[Annotated[str, AfterValidator(_money_at)]] = []
    min_trade: Annotated[str, AfterValidator(_signed)] | None = None
    targets: list[Annotated[str, AfterValidator(_percent_record)]] = []
    bands: list[Annotated[str, AfterValidator(_band_record)]] = []

    @classmethod
    def check(cls, inputs: dict[str, Any]) -> None:
        """Refuse a figure beyond the limits; the other keys and shapes pass."""
        shapes = {"new_money": list, "min_trade": str, "targets": list, "bands": list}
        shaped = {key: inputs[key] for key in shapes if isinstance(inputs.get(key), shapes[key])}
        cls.model_validate(shaped)
