"""Reading issued certificates: a member sees their own contracts' only (another's is a 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import contracts_for
from kyosai.core.audit import Actor


def certificates_of(contract: Contract) -> QuerySet[IssuedCertificate]:
    """The contract's certificates, newest first, without their bytes."""
    return (
        IssuedCertificate.objects.filter(contract=contract)
        .defer("pdf", "xml")
        .order_by("-year", "-as_of", "kind")
    )


def access_certificate_for(user: Actor, pk: int) -> IssuedCertificate:
    """The member's certificate `pk` with its bytes; another member's is a 404."""
    return get_object_or_404(
        IssuedCertificate.objects.filter(contract__in=contracts_for(user).values("pk")), pk=pk
    )
