"""Reads of contracts. A portal fetches a member's records only through `…_for(user)`."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, signed_in
from kyosai.core.errors import ContractError
from kyosai.documents.certificate import CertificateFacts
from kyosai.rules.first_debit import first_debit
from kyosai.rules.scheme import Scheme


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


CERTIFICATE_SCHEME_NAMES = {
    Scheme.SHOKIBO: "小規模企業共済",
    Scheme.TOSAN: "経営セーフティ共済（中小企業倒産防止共済）",
}


def certificate_facts(contract: Contract) -> CertificateFacts:
    """What the 共済契約締結証書 states, from the contract as issued (first term, first debit)."""
    scheme = Scheme(contract.scheme)
    first_term = contract.premium_terms.first()
    if first_term is None:
        raise ContractError("この契約には掛金月額の記録がありません。")
    applied_on = timezone.localdate(
        contract.procedures.filter(kind="enrollment").values_list("received_at", flat=True).first()
        or contract.issued_at
    )
    debit = first_debit(scheme, first_term.monthly_yen, applied_on=applied_on)
    party = contract.party
    return CertificateFacts(
        scheme_name=CERTIFICATE_SCHEME_NAMES[scheme],
        contract_number=contract.number,
        holder_name=party.name,
        holder_kana=party.name_kana,
        address=f"〒{party.postal_code[:3]}-{party.postal_code[3:]} {party.address}",
        monthly_yen=first_term.monthly_yen,
        joined_month=contract.joined_month,
        first_debit_on=debit.debit_on,
        first_debit_yen=debit.amount_yen,
        first_debit_months=debit.months,
        first_debit_provisional=debit.trace.is_provisional,
        handling_agency=contract.handling_agency.name if contract.handling_agency else None,
        issued_on=timezone.localdate(contract.issued_at),
    )
