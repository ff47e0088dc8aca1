"""Step 4's tax section: the lots each taxable sale takes, the plan's realized gains and
estimated tax, the wash-sale flags and the tax-loss harvests, in `rebal plan`'s words.

Every heading, figure and sentence comes from rebal.present.tax through the view
(rebal.tui.view.plan.tax_section), which the CLI's text output lays out as
tables; here they are wrapped lines, so nothing is cut off at 80 columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.padding import Padding
from textual.reactive import reactive
from textual.widgets import Static

from rebal.tui.view.plan import TaxLine, TaxSectionSlice
from rebal.tui.widgets.lines import line_text


def render_lines(lines: Sequence[TaxLine]) -> Group:
    """Each line wrapped under its own indent."""
    return Group(*(Padding(line_text(line), (0, 0, 0, indent)) for indent, line in lines))


class PlanTax(Static):
    """The plan's tax section, redrawn when its slice changes; hidden without tax figures."""

    DEFAULT_CSS = """
    PlanTax { height: auto; margin-bottom: 1; }
    """

    tax: reactive[TaxSectionSlice | None] = reactive(None)

    def watch_tax(self, tax: TaxSectionSlice | None) -> None:
        self.display = tax is not None and tax.shown
        self.update(render_lines(tax.lines if tax is not None else ()))
