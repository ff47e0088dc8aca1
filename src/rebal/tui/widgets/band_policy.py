"""Step 1's band policy: the rule in words, an example band, each class's own width."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from rebal.present.figures import band_text
from rebal.present.review import band_rule, width_words
from rebal.present.styled import safe_text
from rebal.tui.view.targets import BandPolicySlice


def render_band_policy(data: BandPolicySlice) -> Text:
    text = Text("Bands: ", style="bold")
    text.append(band_rule(data.bands))
    if data.example is not None:
        text.append(f" (so {data.example.asset_class} {band_text(data.example.band)})")
    own = [
        f"{w.asset_class} {width_words(data.bands, w.width)} "
        f"({'the same band as without it: ' if w.unused else ''}{band_text(w.band)})"
        for w in data.own_widths
    ]
    if own:
        text.append("\nOwn widths: " + ", ".join(own))
    return safe_text(text)


class BandPolicy(Static):
    data: reactive[BandPolicySlice | None] = reactive(None, always_update=True, init=False)

    def watch_data(self, data: BandPolicySlice | None) -> None:
        self.update(Text() if data is None else render_band_policy(data))
