"""Reads of contracts. A portal fetches a member's records only through `…_for(user)`."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, signed_in


def contracts_for(user: Actor) -> QuerySet[Contract]:
    """The member's own contracts in both schemes (none for an anonymous user)."""
    member = signed_in(user)
    if member is None:
        return Contract.objects.none()
    return (
        Contract.objects.filter(party__user=member)
        .select_related("party", "handling_agency")
        .prefetch_related("premium_terms")
        .order_by("scheme", "number")
    )


def access_contract_for(user: Actor, pk: int) -> Contract:
    """The member's contract `pk`; another member's contract is a 404, not a 403."""
    return get_object_or_404(contracts_for(user), pk=pk)
