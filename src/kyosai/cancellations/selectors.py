"""Reads of cancellations: a contract's settlement, for its pages and its statement."""

from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract


def cancellation_of(contract: Contract) -> Cancellation | None:
    """The contract's cancellation and settlement, if it was cancelled."""
    return Cancellation.objects.filter(contract=contract).select_related("contract").first()
