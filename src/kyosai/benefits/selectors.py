"""Reads of benefits: a contract's determination and schedule, and the 通算 that carried months
into it or out of it (the member's and the staff's contract pages, the notice download)."""

from kyosai.benefits.models import Determination, Tsusan
from kyosai.contracts.models import Contract


def determination_of(contract: Contract) -> Determination | None:
    """The contract's 共済金 determination, with its instalments, if it was determined."""
    return (
        Determination.objects.filter(contract=contract)
        .select_related("contract")
        .prefetch_related("instalments__payout")
        .first()
    )


def carried_into(contract: Contract) -> Tsusan | None:
    """The 通算 that carried this (old) contract's months into a new contract."""
    return Tsusan.objects.filter(old_contract=contract).select_related("new_contract").first()


def carried_from(contract: Contract) -> list[Tsusan]:
    """The 通算 that carried older contracts' months into this one."""
    return list(Tsusan.objects.filter(new_contract=contract).select_related("old_contract"))
