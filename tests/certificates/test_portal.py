"""A member downloads their certificates from the portal: the signed TEG850 XML validates against
the NTA schema and its signature verifies, the PDF matches it; another member's is a 404."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from kyosai.certificates.actions import batch_for, issue_year
from kyosai.certificates.models import IssuedCertificate
from kyosai.formats import teg850
from kyosai.rules.scheme import Scheme
from tests.billing.book import JST, at, member_contract, taken_over
from tests.billing.test_cycle import cycle
from tests.documents.test_certificate import poppler
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
CERT_PEM = (Path(__file__).parent / "test_signing_cert.pem").read_bytes()
Kind, Edition = IssuedCertificate.Kind, IssuedCertificate.Edition


@pytest.fixture
def issued(bank_files: Path) -> IssuedCertificate:
    member = member_contract(Scheme.SHOKIBO, 30_000, at(2021, 4), 1)
    member_contract(Scheme.SHOKIBO, 10_000, at(2022, 4), 2)
    taken_over(Scheme.SHOKIBO, dt.date(2025, 12, 1))
    for n in range(1, 10):
        cycle(Scheme.SHOKIBO, dt.date(2026, n, 1))
    issue_year(batch_for(Kind.DEDUCTION, 2026, Edition.AUTUMN, dt.date(2026, 11, 10)))
    return IssuedCertificate.objects.get(contract=member)


def test_the_member_downloads_a_valid_signed_xml_and_the_matching_pdf(
    issued: IssuedCertificate,
) -> None:
    client = sign_in(Client(), issued.contract.party.user)
    page = client.get(f"/portal/contracts/{issued.contract_id}/certificates/")
    assert page.status_code == 200
    assert "小規模企業共済掛金控除証明書" in page.text and "360,000円" in page.text

    xml = client.get(f"/portal/certificates/{issued.pk}/xml/")
    assert xml["Content-Type"] == "application/xml"
    teg850.validate(xml.content)
    root = teg850.verify(xml.content, cert_pem=CERT_PEM)
    assert root.findtext(f"{{{teg850.KYOTSU}}}WPI00000") == "360000"

    pdf = client.get(f"/portal/certificates/{issued.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(  # noqa: S603 - fixed poppler binary reading our own bytes
        [poppler("pdftotext"), "-enc", "UTF-8", "-", "-"],
        input=pdf.content, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    assert "小規模企業共済掛金控除証明書" in text and "360,000円" in text
    assert issued.contract.number in text


def test_another_member_finds_nothing(issued: IssuedCertificate) -> None:
    other = member_contract(Scheme.TOSAN, 10_000, at(2024, 4), 9)
    client = sign_in(Client(), other.party.user)
    assert client.get(f"/portal/certificates/{issued.pk}/xml/").status_code == 404
    assert client.get(f"/portal/certificates/{issued.pk}/pdf/").status_code == 404
    assert client.get(f"/portal/contracts/{issued.contract_id}/certificates/").status_code == 404


def test_a_tosan_member_asks_for_a_balance_certificate_once_a_day(
    bank_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 12, 4, 10, tzinfo=JST))
    member = member_contract(Scheme.TOSAN, 20_000, at(2024, 4), 3)
    taken_over(Scheme.TOSAN, dt.date(2026, 11, 1))
    client = sign_in(Client(), member.party.user)
    for _ in range(2):  # a double submit makes one certificate
        client.post(f"/portal/contracts/{member.pk}/certificates/")
    [balance] = IssuedCertificate.objects.filter(contract=member, kind=Kind.BALANCE)
    assert balance.as_of == dt.date(2026, 12, 3)
    # Taken over as paid from April 2024, the month it took effect, through November 2026:
    # 32 months of 20,000円.
    assert member.joined_month == dt.date(2024, 4, 1)
    assert balance.amount_yen == 32 * 20_000
    page = client.get(f"/portal/contracts/{member.pk}/certificates/")
    assert "掛金残高証明書" in page.text and "640,000円" in page.text
