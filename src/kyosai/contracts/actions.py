"""Writes on contracts that are not procedures: the stored 共済契約締結証書."""

import hashlib

from django.db import transaction
from django.utils import timezone

from kyosai.contracts.models import Certificate, Contract
from kyosai.contracts.selectors import certificate_facts
from kyosai.core.audit import Actor, record
from kyosai.documents.certificate import render_certificate


@transaction.atomic
def do_issue_certificate(contract: Contract, *, acting_user: Actor) -> Certificate:
    """The contract's 共済契約締結証書: rendered and stored the first time, the stored one after.

    Issuing a contract stores it at once; a contract without one (the demo book, contracts taken
    over from the previous system) gets it on its first download.
    """
    # The row lock makes two first downloads at once store one certificate, not fail.
    Contract.objects.select_for_update().filter(pk=contract.pk).get()
    stored = Certificate.objects.filter(contract=contract).first()
    if stored is not None:
        return stored
    pdf = render_certificate(certificate_facts(contract))
    certificate = Certificate.objects.create(
        contract=contract,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=timezone.now(),
    )
    record(
        "certificate.issue",
        certificate,
        actor=acting_user,
        contract=contract.pk,
        sha256=certificate.sha256,
    )
    return certificate
