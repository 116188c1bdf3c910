"""The history a benefit is computed on: what the contract actually paid (billing.history) plus
the months carried into it by 通算 (法13条), each old contract's months up to its event, so that
every 掛金区分 counts its combined months (shokibo_rules.md §6 [I])."""

import datetime as dt

from kyosai.benefits.models import Tsusan
from kyosai.billing.history import paid_spans, premiums_received_yen
from kyosai.contracts.models import Contract
from kyosai.rules.shokibo.history import PremiumSpan


def carried_spans(contract: Contract) -> list[PremiumSpan]:
    """The months carried into `contract`, and into those contracts before it, in order."""
    spans: list[PremiumSpan] = []
    for carried in Tsusan.objects.filter(new_contract=contract).select_related("old_contract"):
        spans += carried_spans(carried.old_contract)
        spans += paid_spans(carried.old_contract, carried.event_on)
    return spans


def benefit_spans(contract: Contract, on: dt.date) -> list[PremiumSpan]:
    """The contract's paid months up to `on`'s month, with every month carried into it."""
    return carried_spans(contract) + paid_spans(contract, on)


def chain(contract: Contract) -> list[Contract]:
    """`contract` and every contract whose months were carried into it: their premiums are all
    closed by its determination."""
    found = [contract]
    for carried in Tsusan.objects.filter(new_contract=contract).select_related("old_contract"):
        found += chain(carried.old_contract)
    return found


def received_yen(contracts: list[Contract]) -> int:
    """Every premium the contracts received (opening balances included)."""
    return sum(premiums_received_yen(c) for c in contracts)
