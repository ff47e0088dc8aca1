"""Account kinds as people write them, and the tax treatment each one means.

A statement says "401(k)", "Roth IRA" or "Joint brokerage", not "traditional"
or "taxable". The file keeps what the user wrote (`kind = "401k"`); the engine
only ever asks for the tax treatment, which decides where selling is avoided
by default. The table is documented in docs/portfolio-format.md.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, get_args

TaxTreatment = Literal["taxable", "traditional", "roth", "hsa", "other"]
TAX_TREATMENTS: tuple[TaxTreatment, ...] = get_args(TaxTreatment)

# Each spelling is written in its normal form (see normal_kind): lower case,
# "(k)" as "k", and words joined by "-".
_ALIASES: dict[TaxTreatment, tuple[str, ...]] = {
    "taxable": (
        "brokerage",
        "individual",
        "individual-brokerage",
        "joint",
        "joint-brokerage",
        "jtwros",
        "tod",
        "trust",
        "custodial",
        "utma",
        "ugma",
    ),
    "traditional": (
        "ira",
        "traditional-ira",
        "rollover-ira",
        "inherited-ira",
        "sep-ira",
        "simple-ira",
        "401k",
        "traditional-401k",
        "solo-401k",
        "403b",
        "457b",
        "tsp",
    ),
    "roth": (
        "roth-ira",
        "inherited-roth-ira",
        "roth-401k",
        "roth-403b",
        "roth-457b",
        "roth-tsp",
    ),
    "hsa": ("health-savings-account",),
    "other": ("529", "coverdell-esa", "annuity", "pension"),
}

KIND_ALIASES: dict[str, TaxTreatment] = {
    **{treatment: treatment for treatment in TAX_TREATMENTS},
    **{alias: treatment for treatment, names in _ALIASES.items() for alias in names},
}


def normal_kind(written: str) -> str:
    """`written` folded to the table's spelling: "Roth 401(k)" -> "roth-401k"."""
    folded = written.strip().casefold().replace("(", "").replace(")", "")
    return re.sub(r"[\s_\-/]+", "-", folded).strip("-")


# Asked of every account several times per file (validation, the report, the tax
# rules), and households write the same few kinds.
@lru_cache(maxsize=256)
def tax_treatment(written: str) -> TaxTreatment | None:
    """The tax treatment an account kind means, or None when rebal does not know the name."""
    return KIND_ALIASES.get(normal_kind(written))


__all__ = ["KIND_ALIASES", "TAX_TREATMENTS", "TaxTreatment", "normal_kind", "tax_treatment"]
