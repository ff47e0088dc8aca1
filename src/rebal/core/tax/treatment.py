"""An account's tax treatment, in one place.

Every tax rule asks this function, never `account.kind` directly, so that
account kind aliases (401k, ira, roth-ira...) can map onto the five
treatments here alone when the file accepts them.
"""

from __future__ import annotations

from typing import Literal

from rebal.model import Account

Treatment = Literal["taxable", "traditional", "roth", "hsa", "other"]
TREATMENTS: tuple[Treatment, ...] = ("taxable", "traditional", "roth", "hsa", "other")


def tax_treatment(account: Account) -> Treatment:
    """How the account is taxed: today the file's kinds are the treatments themselves."""
    return account.kind


def is_taxable(account: Account) -> bool:
    """Only sales in a taxable account realise capital gains."""
    return tax_treatment(account) == "taxable"
