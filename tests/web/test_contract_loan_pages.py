"""契約者貸付 in the portal and the console (shokibo_rules §5): the live limit by kind on the
contract page, the request with its schedule preview, refusals next to their field and nothing
saved, one procedure for a double submit, the staff's review page, and the loan's schedule."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kyosai.core.roles import Role
from kyosai.loans.models import Loan
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.helpers import sign_in
from tests.web.test_staff import console

pytestmark = pytest.mark.django_db
W16 = {"amount_yen": "３，０００，０００", "term_months": "24"}  # full-width, as typed


@pytest.fixture
def member() -> tuple[Client, int]:
    """A member whose shokibo contract paid 120 months at 50,000円 (limit 4,800,000円)."""
    c = member_contract(Scheme.SHOKIBO, 50_000, at(2016, 11))
    taken_over(Scheme.SHOKIBO, dt.date(2026, 10, 1))
    assert c.party.user is not None
    return sign_in(Client(), c.party.user), c.pk


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def field_error(page: str, field: str) -> str:
    """The error shown under a text field (customer/_field.html gives it the field's id)."""
    found = re.search(rf'<p class="error" id="id_{field}_error">([^<]+)</p>', page)
    assert found is not None, f"no error under {field}"
    return found.group(1)


def test_the_contract_page_shows_the_live_limit_of_each_kind(member: tuple[Client, int]) -> None:
    client, pk = member
    page = client.get(f"/portal/contracts/{pk}/").content.decode()
    assert "契約者貸付（掛金の範囲内でお借りいただけます）" in page
    # 6,000,000 × 8割 = 4,800,000 for every kind (L1; each kind's range allows it).
    assert page.count("4,800,000円") == 4
    for kind in ("general", "emergency", "illness_disaster", "new_business"):
        assert f'href="/portal/contracts/{pk}/contract-loan/{kind}/"' in page
    general = client.get(f"/portal/contracts/{pk}/contract-loan/general/").content.decode()
    assert "今お借りいただける上限 4,800,000円" in general and "80%" in general


def test_a_general_loan_preview_then_one_procedure_for_a_double_submit(
    member: tuple[Client, int],
) -> None:
    client, pk = member
    url = f"/portal/contracts/{pk}/contract-loan/general/"
    bad = client.post(url, {"amount_yen": "三百万", "term_months": "24", "step": "check"})
    assert "金額は数字で入力してください" in field_error(bad.content.decode(), "amount_yen")
    odd = client.post(url, {"amount_yen": "3020000", "term_months": "24", "step": "check"})
    assert "50,000円単位" in field_error(odd.content.decode(), "amount_yen")  # L2
    over = client.post(url, {"amount_yen": "5000000", "term_months": "24", "step": "check"})
    assert "限度額（4,800,000円）を超えています" in field_error(over.content.decode(), "amount_yen")
    short = client.post(url, {"amount_yen": "1000000", "term_months": "24", "step": "check"})
    assert "選べる貸付期間は6・12か月" in short.content.decode()  # L4, under the term's radios
    assert not Procedure.objects.filter(kind=Procedure.Kind.CONTRACT_LOAN).exists()

    checked = client.post(url, {**W16, "step": "check"}).content.decode()
    # W16: 22,500 in advance off the payout, then 750,000 + 16,875 / 11,250 / 5,625 / 0.
    assert "3,000,000円をお借りいただけます" in checked and "2,977,500円" in checked
    for interest in ("16,875円", "11,250円", "5,625円"):
        assert interest in checked
    assert "添付書類" not in checked  # 一般 needs no documents
    data = {**W16, "step": "submit", "token": token_of(checked)}
    first, again = client.post(url, data), client.post(url, data)
    procedure = Procedure.objects.get(kind=Procedure.Kind.CONTRACT_LOAN)
    assert first["Location"] == again["Location"] == f"/portal/procedures/{procedure.pk}/"
    assert procedure.amount_yen == 3_000_000 and procedure.payload["first_interest_yen"] == 22_500

    staff, reviewer = console(Role.REVIEWER, username="suzuki")
    review = staff.get(f"/staff/procedures/{procedure.pk}/").content.decode()
    assert "一般貸付け" in review and "3,000,000円・24か月" in review and "年1.5%" in review
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    loan = Loan.objects.get()
    page = client.get(f"/portal/contracts/{pk}/loans/{loan.pk}/").content.decode()
    assert "返済の予定（24か月）" in page and page.count("未返済") == 4
    assert "毎月の振替日（18日" in page and "延滞利息" in page
    assert "早期償還手当金" not in page and "繰上返済を申し出る" in page


def test_an_emergency_request_shows_its_refusal_at_the_field_and_needs_its_certificate(
    member: tuple[Client, int],
) -> None:
    client, pk = member
    url = f"/portal/contracts/{pk}/contract-loan/emergency/"
    facts = {
        "amount_yen": "3000000", "term_months": "36", "ground": "year_on_year",
        "confirmed_by": "chamber", "confirmer_name": "東京商工会議所", "period_months": "3",
        "period_end_month": "2026-10", "years_back": "1", "sales_yen": "9,600,000",
        "compared_sales_yen": "10,000,000", "expected_to_fall": "on",
    }  # fmt: skip
    missing = client.post(url, {**facts, "sales_yen": "", "step": "check"}).content.decode()
    assert "比べる期間の売上高（円）を入力してください" in field_error(missing, "sales_yen")
    small = client.post(url, {**facts, "step": "check"}).content.decode()
    assert "売上高の減少は4%で、5%に届きません" in field_error(small, "sales_yen")  # L8
    assert "この内容で申し込む" not in small

    fixed = {**facts, "sales_yen": "9,000,000"}
    checked = client.post(url, {**fixed, "step": "check"}).content.decode()
    assert "2,986,500円" in checked  # 3,000,000 less 0.9% × 6/12 (L6)
    token = token_of(checked)
    without = client.post(url, {**fixed, "step": "submit", "token": token}).content.decode()
    assert "書類を添付してください" in without
    assert not Procedure.objects.filter(kind=Procedure.Kind.CONTRACT_LOAN).exists()
    pdf = SimpleUploadedFile("認定書.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(url, {**fixed, "step": "submit", "token": token, "evidence": pdf})
    procedure = Procedure.objects.get(kind=Procedure.Kind.CONTRACT_LOAN)
    staff, _ = console(Role.REVIEWER, username="suzuki")
    review = staff.get(f"/staff/procedures/{procedure.pk}/").content.decode()
    assert "東京商工会議所（商工会議所）" in review and "2026年10月までの3か月" in review
    attachment = procedure.attachments.get()
    assert f'href="/staff/procedures/{procedure.pk}/attachments/{attachment.pk}/"' in review


def test_only_shokibo_contracts_and_known_kinds(member: tuple[Client, int]) -> None:
    client, pk = member
    assert client.get(f"/portal/contracts/{pk}/contract-loan/welfare/").status_code == 404
    tosan = member_contract(Scheme.TOSAN, 50_000, at(2024, 5), 2)
    assert tosan.party.user is not None
    other = sign_in(Client(), tosan.party.user)
    assert other.get(f"/portal/contracts/{tosan.pk}/contract-loan/general/").status_code == 404
    assert other.get(f"/portal/contracts/{pk}/contract-loan/general/").status_code == 404
