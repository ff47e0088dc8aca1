"""Names and tolerances shared by the schema, the store and the engine."""

from decimal import Decimal

# Targets, split-fund weights and similar "must sum to 100" checks allow this
# much slack, in percent, for files written by hand with rounded figures.
SHARE_SUM_TOLERANCE = Decimal("0.01")

# No amount, price or share count in a portfolio file comes near this; a larger
# figure is a typo, and refusing it keeps every product of two numbers well
# inside the 50 significant digits the engine computes with.
LARGEST_NUMBER = Decimal("1e15")

# Holdings whose security has no class yet (e.g. a stub added by an import).
UNCLASSIFIED = "Unclassified"

STYLE_SIZES = ("large", "mid", "small")
STYLE_STYLES = ("value", "blend", "growth")
# Morningstar-like 3x3 cells, written "size-style" in the file.
STYLE_CELLS = tuple(f"{size}-{style}" for size in STYLE_SIZES for style in STYLE_STYLES)

# Limits on what a file may write, so no hostile or garbled file can crash the
# reader or overflow the engine (docs/portfolio-format.md, "Limits").
# Arrays and inline tables nest at most this deep (a valid file needs 3).
MAX_NESTING = 32
# No number, date or bare key is written with more digits than this.
MAX_NUMBER_DIGITS = 100
# Digits after the decimal point, trailing zeros not counted (crypto tokens use 18).
MAX_DECIMAL_PLACES = 18
