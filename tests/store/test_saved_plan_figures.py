"""The figures a saved plan records in `[plan] inputs` obey the file's limits.

A hand edit of `new_money = ["1e999999@Joint Brokerage"]` froze step 4 for
seconds, printed a million digits and ended in a raw decimal.Overflow; such a
figure is refused at its key, as a price of 1e16 is.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from rebal.core.plan_record import options_from_saved
from rebal.problems import Problem
from rebal.store.load import Loaded, load, parse

PLAN = '\n[plan]\nmode = "full"\ncreated = 2026-11-20\ninputs = { INPUTS }\n'
HUGE = "4" + "0" * 5000


@pytest.fixture
def taxable(tmp_copy: Callable[[str], Path]) -> Loaded:
    return load(tmp_copy("taxable"))


def refused_at(taxable: Loaded, written: str, path: str) -> Problem:
    """The one error of the taxable sample with `[plan] inputs = { written }`, at `path`;
    nothing of the file is read."""
    portfolio, problems = parse(
        taxable.path, taxable.path.read_text() + PLAN.replace("INPUTS", written)
    )
    errors = [p for p in problems if p.severity == "error"]
    assert portfolio is None
    assert [p.path for p in errors] == [path]
    return errors[0]


@pytest.mark.parametrize(
    ("written", "path", "message"),
    [
        (
            'new_money = ["1e999999@Joint Brokerage"]',
            "plan.inputs.new_money[0]",
            'new money must be <= 1000000000000000 (found "1e999999@Joint Brokerage")',
        ),
        (
            'new_money = ["100@Joint Brokerage", "-1e20@Joint Brokerage"]',
            "plan.inputs.new_money[1]",
            "new money must be >= -1000000000000000",
        ),
        (
            'new_money = ["1e-999999@Joint Brokerage"]',
            "plan.inputs.new_money[0]",
            "more than 18 digits after the decimal point",
        ),
        (
            'min_trade = "9e99999"',
            "plan.inputs.min_trade",
            "minimum trade must be <= 1000000000000000",
        ),
        (
            "min_trade = 9e99999",
            "plan.inputs.min_trade",
            "minimum trade must be <= 1000000000000000",
        ),
        (
            f'targets = ["US Stocks={HUGE}", "Bonds=60"]',
            "plan.inputs.targets[0]",
            'target must be <= 100 (found "US Stocks=40000',
        ),
        ('targets = ["US Stocks=-5"]', "plan.inputs.targets[0]", "target must be >= 0"),
        (
            'bands = ["kind=relative", "width=1e16"]',
            "plan.inputs.bands[1]",
            "must be <= 1000000000000000",
        ),
        ('bands = ["per_class.Cash=-1"]', "plan.inputs.bands[0]", "must be >= 0"),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_a_figure_beyond_the_limits_is_refused_at_its_key(
    taxable: Loaded, written: str, path: str, message: str
) -> None:
    refusal = refused_at(taxable, written, path)
    assert message in refusal.message
    assert len(refusal.message) < 200  # never the whole number


def test_figures_within_the_limits_and_text_that_is_no_number_still_load(
    taxable: Loaded,
) -> None:
    written = (
        'new_money = ["1,000.50@Joint Brokerage", "lots@Joint Brokerage", "-999999999999999@X"], '
        'min_trade = "500", targets = ["US Stocks=100", "Bonds=none"], '
        'bands = ["kind=relative", "width=5", "edges=inside", '
        '"per_class.Cash=0.000000000000000001"]'
    )
    portfolio, problems = parse(
        taxable.path, taxable.path.read_text() + PLAN.replace("INPUTS", written)
    )

    assert [p for p in problems if p.severity == "error"] == []
    assert portfolio is not None
    assert portfolio.plan is not None
    options = options_from_saved(portfolio.plan)
    # "lots" is no amount: left out, as before.
    assert options.new_money == {
        "Joint Brokerage": Decimal("1000.50"),
        "X": Decimal(-999999999999999),
    }
    assert options.min_trade == Decimal(500)
