"""Reads of benefits: a contract's live quote, its determination and schedule, and the 通算 that
carried months into it or out of it (the member's and the staff's contract pages, the notice)."""

import datetime as dt
from typing import Any

from kyosai.benefits.actions import benefit_quotes
from kyosai.benefits.models import Determination, Tsusan
from kyosai.contracts.models import Contract
from kyosai.core.errors import ApplicationError
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.benefits import BENEFIT_LABEL
from kyosai.rules.shokibo.events import EVENT_LABEL, kinds_by_event


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


def benefit_overview(contract: Contract, *, on: dt.date) -> dict[str, Any]:
    """What the contract page shows about 共済金: while the contract is live, the quote of each
    kind if its event happened today, on the real history, with the events that pay it; after,
    the determination and its schedule; and any 通算 in or out."""
    if contract.scheme != Scheme.SHOKIBO:
        return {}
    context: dict[str, Any] = {
        "determination": determination_of(contract),
        "carried_into": carried_into(contract),
        "carried_from": carried_from(contract),
    }
    if contract.status in (Contract.Status.ACTIVE, Contract.Status.SUSPENDED):
        try:
            traces = benefit_quotes(contract, on=on)
        except ApplicationError as exc:
            context["benefit_quote_error"] = exc.message_ja
            return context
        by_event = kinds_by_event(contract.position, on=on)
        context["benefit_quotes"] = [
            {
                "label": BENEFIT_LABEL[kind],
                "trace": trace,
                "amount": trace.steps[-1].value if trace and trace.steps else "0円",
                "events": [EVENT_LABEL[e] for e, kinds in by_event.items() if kind in kinds],
            }
            for kind, trace in traces.items()
            if any(kind in kinds for kinds in by_event.values())
        ]
    return context
