"""An account's tax treatment, in one place for the tax rules.

Every tax rule asks `tax_treatment(account)`, never `account.kind`: the file
keeps the kind as written ("401k", "Roth IRA"), and the model maps it onto
the five treatments (rebal/model/account_kinds.py).
"""

from __future__ import annotations

from rebal.model import Account
from rebal.model.account_kinds import TAX_TREATMENTS, TaxTreatment

Treatment = TaxTreatment
TREATMENTS: tuple[Treatment, ...] = TAX_TREATMENTS


def tax_treatment(account: Account) -> Treatment:
    """How the account is taxed: taxable, traditional, roth, hsa or other."""
    return account.tax_treatment


def is_taxable(account: Account) -> bool:
    """Only sales in a taxable account realise capital gains."""
    return tax_treatment(account) == "taxable"
