"""Names and tolerances shared by the schema, the store and the engine."""

from decimal import Decimal

# Targets, split-fund weights and similar "must sum to 100" checks allow this
# much slack, in percent, for files written by hand with rounded figures.
SHARE_SUM_TOLERANCE = Decimal("0.01")

# Holdings whose security has no class yet (e.g. a stub added by an import).
UNCLASSIFIED = "Unclassified"

STYLE_SIZES = ("large", "mid", "small")
STYLE_STYLES = ("value", "blend", "growth")
# Morningstar-like 3x3 cells, written "size-style" in the file.
STYLE_CELLS = tuple(f"{size}-{style}" for size in STYLE_SIZES for style in STYLE_STYLES)
