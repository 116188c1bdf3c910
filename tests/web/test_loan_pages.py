"""共済金貸付 in the portal and the console: the ceiling, the live quote, the request with its
evidence, the staff's view of the evidence (audited), and the loan's schedule for the member."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.loans.models import Loan
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.helpers import sign_in
from tests.web.test_staff import console

pytestmark = pytest.mark.django_db
FIELDS = {
    "debtor_name": "株式会社取引先",
    "event": "bankruptcy",
    # two weeks ago, whatever today is: within the 6 months a request must be made in (L2)
    "insolvency_on": (timezone.localdate() - dt.timedelta(days=14)).isoformat(),
    "unrecoverable_yen": "１，２００，０００",
}


def test_a_member_checks_the_quote_then_requests_with_evidence_and_follows_the_loan() -> None:
    c = member_contract(Scheme.TOSAN, 50_000, at(2024, 5))
    taken_over(Scheme.TOSAN, at(2026, 10).date().replace(day=1))
    assert c.party.user is not None
    client = sign_in(Client(), c.party.user)
    url = f"/portal/contracts/{c.pk}/loan/"
    page = client.get(url).content.decode()
    assert "今お借りいただける上限 15,000,000円" in page  # 1,500,000 × 10 (§9 example 4)
    assert f'href="{url}"' in client.get(f"/portal/contracts/{c.pk}/").content.decode()

    checked = client.post(url, {**FIELDS, "step": "check"}).content.decode()
    assert "貸付額の見込み 1,200,000円" in checked and "毎月" in checked
    token = re.search(r'name="token" value="([0-9a-f]+)"', checked).group(1)  # type: ignore[union-attr]
    missing = client.post(url, {**FIELDS, "step": "submit", "token": token})
    assert "書類を添付してください" in missing.content.decode()
    wrong = SimpleUploadedFile("memo.txt", b"text", content_type="text/plain")
    refused = client.post(url, {**FIELDS, "step": "submit", "token": token, "evidence": wrong})
    assert "PDF・JPEG・PNGのいずれでもない" in refused.content.decode()
    assert not Procedure.objects.filter(kind=Procedure.Kind.KYOSAIKIN_LOAN).exists()
    pdf = SimpleUploadedFile("決定書.pdf", b"%PDF-1.4", content_type="application/pdf")
    done = client.post(url, {**FIELDS, "step": "submit", "token": token, "evidence": pdf})
    procedure = Procedure.objects.get(kind=Procedure.Kind.KYOSAIKIN_LOAN)
    assert done["Location"] == f"/portal/procedures/{procedure.pk}/"
    assert procedure.amount_yen == 1_200_000

    staff, reviewer = console(Role.REVIEWER, username="suzuki")
    review = staff.get(f"/staff/procedures/{procedure.pk}/").content.decode()
    assert "株式会社取引先" in review and "破産手続開始の申立て" in review
    attachment = procedure.attachments.get()
    link = f"/staff/procedures/{procedure.pk}/attachments/{attachment.pk}/"
    assert f'href="{link}"' in review
    opened = staff.get(link)
    assert opened.content == b"%PDF-1.4" and opened["Content-Type"] == "application/pdf"
    assert AuditLog.objects.filter(action="attachment.view", actor=reviewer).count() == 1
    other = staff.get(f"/staff/procedures/{procedure.pk + 1}/attachments/{attachment.pk}/")
    assert other.status_code == 404  # a document is reached through its own procedure only

    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    loan = Loan.objects.get()
    contract_page = client.get(f"/portal/contracts/{c.pk}/").content.decode()
    assert f'href="/portal/contracts/{c.pk}/loans/{loan.pk}/"' in contract_page
    schedule = client.get(f"/portal/contracts/{c.pk}/loans/{loan.pk}/").content.decode()
    assert "貸付残高" in schedule and "1,200,000円" in schedule and schedule.count("未償還") == 54
    assert "繰上償還を申し出る" in schedule
    token = re.search(r'name="token" value="([0-9a-f]+)"', schedule).group(1)  # type: ignore[union-attr]
    payoff_url = f"/portal/contracts/{c.pk}/loans/{loan.pk}/"
    first, again = (
        client.post(payoff_url, {"token": token}),
        client.post(payoff_url, {"token": token}),
    )
    payoff = Procedure.objects.get(kind=Procedure.Kind.EARLY_REPAYMENT)
    assert first["Location"] == again["Location"] == f"/portal/procedures/{payoff.pk}/"
    assert payoff.amount_yen == 1_200_000
    loan.refresh_from_db()
    assert loan.payoff_month is not None
    assert "繰上償還を申し出る" not in client.get(payoff_url).content.decode()  # asked once
    intruder = member_contract(Scheme.TOSAN, 50_000, at(2024, 5), 2)
    assert intruder.party.user is not None
    stranger = sign_in(Client(), intruder.party.user)
    assert stranger.get(f"/portal/contracts/{c.pk}/loans/{loan.pk}/").status_code == 404
    assert stranger.get(f"/portal/contracts/{intruder.pk}/loans/{loan.pk}/").status_code == 404


def test_a_member_sees_the_temporary_loan_ceiling_checks_an_amount_and_requests_it() -> None:
    # tosan_rules §9 example 5: 100,000 × 24 months → a ceiling of 1,800,000円.
    c = member_contract(Scheme.TOSAN, 100_000, at(2024, 11))
    taken_over(Scheme.TOSAN, at(2026, 10).date().replace(day=1))
    assert c.party.user is not None
    client = sign_in(Client(), c.party.user)
    url = f"/portal/contracts/{c.pk}/temporary-loan/"
    assert f'href="{url}"' in client.get(f"/portal/contracts/{c.pk}/").content.decode()
    assert (
        "今お借りいただける上限: <strong>1,800,000円</strong>" in client.get(url).content.decode()
    )
    bad = client.post(url, {"amount_yen": "百万", "step": "check"}, follow=True)
    assert "希望額は数字で入力してください" in bad.content.decode()
    checked = client.post(
        url, {"amount_yen": "１，０００，０００", "step": "check"}
    ).content.decode()
    assert "1,000,000円をお借りいただけます" in checked and "9,000円" in checked
    token = re.search(r'name="token" value="([0-9a-f]+)"', checked).group(1)  # type: ignore[union-attr]
    data = {"amount_yen": "1000000", "step": "submit", "token": token}
    first, again = client.post(url, data), client.post(url, data)
    procedure = Procedure.objects.get(kind=Procedure.Kind.TEMPORARY_LOAN)
    assert first["Location"] == again["Location"] == f"/portal/procedures/{procedure.pk}/"
    assert procedure.amount_yen == 1_000_000
