"""The 共済契約締結証書 is stored when the contract is issued and downloaded as stored."""

import dataclasses
import datetime as dt
import hashlib

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kyosai.contracts.models import Certificate, Contract, PremiumTerm
from kyosai.contracts.selectors import certificate_facts
from kyosai.core.models import AuditLog
from kyosai.documents.certificate import render_certificate
from kyosai.parties.models import Party
from kyosai.procedures.models import Procedure
from tests.domain.test_enrollment import COMPANY, submit, tosan
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client: Client) -> User:
    user = User.objects.create_user("hanako@example.jp", password="pw-member-2026")
    sign_in(client, user)
    return user


def download(client: Client, contract: Contract) -> bytes:
    response = client.get(f"/portal/contracts/{contract.pk}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_issuing_a_contract_stores_exactly_one_certificate(member: User) -> None:
    procedure = submit(tosan(), member)
    assert procedure.contract is not None
    stored = Certificate.objects.get()
    assert stored.contract == procedure.contract
    assert bytes(stored.pdf).startswith(b"%PDF")
    assert stored.sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()
    audit = AuditLog.objects.get(action="certificate.issue")
    assert audit.object_id == str(stored.pk) and audit.actor == member
    assert audit.data == {"contract": procedure.contract.pk, "sha256": stored.sha256}


def test_later_changes_do_not_change_the_downloaded_certificate(
    client: Client, member: User
) -> None:
    contract = submit(tosan(), member).contract
    assert contract is not None
    issued = download(client, contract)
    assert issued == bytes(Certificate.objects.get().pdf)
    premium = client.post(
        f"/portal/contracts/{contract.pk}/premium/",
        {"new_monthly_yen": "80000", "desired_month": "", "step": "submit", "token": "p1"},
    )
    assert premium.status_code == 302
    address = client.post(
        "/portal/profile/",
        {"name": COMPANY.name, "name_kana": COMPANY.name_kana, "representative_name": "",
         "postal_code": "100-0013", "address": "霞が関３－２－１", "phone": "0312345678",
         "token": "a1"},
    )  # fmt: skip
    assert address.status_code == 302
    contract.refresh_from_db()
    assert [t.monthly_yen for t in contract.premium_terms.all()] == [50_000, 80_000]
    # Rendered today the certificate would print the new address; the member gets the issued one.
    assert render_certificate(certificate_facts(contract)) != issued
    assert download(client, contract) == issued
    assert Certificate.objects.count() == 1


def test_a_contract_taken_over_without_one_gets_it_stored_on_first_download(
    client: Client, member: User
) -> None:
    # As the demo book and the previous system's contracts arrive: rows only, no certificate.
    party = Party.objects.create(user=member, **dataclasses.asdict(COMPANY))
    contract = Contract.objects.create(
        scheme="tosan",
        number="100000019",
        party=party,
        joined_month=dt.date(2020, 4, 1),
        issued_at=dt.datetime(2020, 4, 10, 0, tzinfo=dt.UTC),
    )
    PremiumTerm.objects.create(
        contract=contract, monthly_yen=20_000, valid_from_month=dt.date(2020, 4, 1)
    )
    assert not Certificate.objects.exists()
    first = download(client, contract)
    stored = Certificate.objects.get(contract=contract)
    assert first == bytes(stored.pdf) and first.startswith(b"%PDF")
    assert download(client, contract) == first
    assert Certificate.objects.count() == 1
    assert AuditLog.objects.filter(action="certificate.issue").count() == 1


def test_another_members_certificate_is_not_found(client: Client, member: User) -> None:
    contract = submit(tosan(), member).contract
    assert contract is not None
    other = Client()
    sign_in(other, User.objects.create_user("other@example.jp"))
    assert other.get(f"/portal/contracts/{contract.pk}/certificate/").status_code == 404
    assert Client().get(f"/portal/contracts/{contract.pk}/certificate/").status_code == 302


def test_a_certificate_the_rules_cannot_state_is_refused_with_a_message(
    client: Client, member: User
) -> None:
    """A contract applied for before the first-debit rules we hold (2011-10 for tosan) has no
    certificate to render: the member is told so on the contract page, not shown an error."""
    procedure = submit(tosan(), member)
    contract = procedure.contract
    assert contract is not None
    Certificate.objects.all().delete()
    Procedure.objects.filter(pk=procedure.pk).update(
        received_at=dt.datetime(2001, 4, 2, tzinfo=dt.UTC)
    )
    response = client.get(f"/portal/contracts/{contract.pk}/certificate/", follow=True)
    assert response.redirect_chain == [(f"/portal/contracts/{contract.pk}/", 302)]
    assert "機構までお問い合わせください" in response.content.decode()
    assert not Certificate.objects.exists()
