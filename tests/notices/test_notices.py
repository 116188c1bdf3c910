"""Notices: sent at the events (締結, 請求金額, 積立限度, 解除予告), once each; the member's inbox
with its read receipt; another member's notice is a 404."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kyosai.billing.arrears import review_arrears
from kyosai.billing.models import ArrearsNotice
from kyosai.billing.runs import bill_month, generate_bills, open_balances, open_run
from kyosai.core.models import AuditLog
from kyosai.loans.collection import bill_repayments
from kyosai.loans.models import Loan
from kyosai.notices.actions import do_send_notice
from kyosai.notices.models import Notice
from kyosai.parties.models import Party
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.billing.test_arrears import unpaid_year
from tests.billing.test_cycle import cycle, months
from tests.helpers import sign_in
from tests.settlement.test_loan_repayments import loan  # noqa: F401 - a fixture
from tests.settlement.test_loan_repayments import month as loan_month

pytestmark = pytest.mark.django_db


def test_issuing_a_contract_sends_the_notice_of_its_conclusion_once() -> None:
    c = member_contract(Scheme.TOSAN, 20_000, at(2026, 1))
    notice = Notice.objects.get(party=c.party)
    assert (notice.kind, notice.contract, notice.link) == (
        "contract_issued", c, f"/portal/contracts/{c.pk}/"
    )  # fmt: skip
    assert c.number in notice.body and notice.read_at is None
    assert notice.print_state == "none"  # the member did not ask for paper
    again = do_send_notice(
        party=c.party, kind=Notice.Kind.CONTRACT_ISSUED, title="x", body="x",
        key=f"contract:{c.pk}", acting_user=None,
    )  # fmt: skip
    assert again == notice and Notice.objects.count() == 1


def test_the_billing_run_tells_every_member_billed_the_amount_and_day_once() -> None:
    a = member_contract(Scheme.TOSAN, 20_000, at(2025, 1), n=1)
    b = member_contract(Scheme.TOSAN, 50_000, at(2025, 1), n=2)
    b.party.wants_paper = True
    b.party.save()
    open_balances(Scheme.TOSAN, dt.date(2026, 7, 1), posted_on=dt.date(2026, 7, 31))
    run = bill_month(Scheme.TOSAN, dt.date(2026, 8, 1))
    bill_month(Scheme.TOSAN, dt.date(2026, 8, 1))  # a second call bills and tells nobody again
    sent = Notice.objects.filter(kind="billing_amount").order_by("amount_yen")
    assert [(n.contract, n.amount_yen, n.due_on, n.print_state) for n in sent] == [
        (a, 20_000, run.debit_on, "none"),
        (b, 50_000, run.debit_on, "pending"),
    ]
    assert sent[0].title == "請求金額のお知らせ（2026年8月振替分）"
    assert sent[0].party == a.party


def test_reaching_the_tosan_cap_is_told_once_p2_p3() -> None:
    # tosan P2/P3: 150,000 × 53 taken over, month 54 collects the last 50,000 (8,000,000円).
    c = member_contract(Scheme.TOSAN, 150_000, at(2021, 1))
    open_balances(Scheme.TOSAN, dt.date(2025, 5, 1), posted_on=dt.date(2025, 5, 31))
    for month in months(dt.date(2025, 6, 1), 3):
        cycle(Scheme.TOSAN, month)
    cap = Notice.objects.get(kind="cap_reached")
    assert (cap.contract, cap.amount_yen) == (c, 8_000_000)
    assert Notice.objects.filter(kind="billing_amount").count() == 1  # nothing billed after


def test_a_termination_warning_is_sent_with_its_deadline_and_always_printed_p26() -> None:
    c = member_contract(Scheme.TOSAN, 20_000, at(2024, 1))
    last = unpaid_year(c, dt.date(2025, 10, 1))
    warning = ArrearsNotice.objects.get(contract=c, kind="warning")
    notice = Notice.objects.get(kind="termination_warning")
    assert (notice.contract, notice.amount_yen, notice.due_on, notice.key) == (
        c, 240_000, warning.deadline_on, f"arrears:{warning.pk}"
    )  # fmt: skip
    assert notice.print_state == "pending"
    review_arrears(c.bills.get(month=last).run, on=last.replace(day=28), acting_user=None)
    assert Notice.objects.filter(kind="termination_warning").count() == 1


@pytest.fixture
def member_and_other() -> tuple[User, User, Notice]:
    c = member_contract(Scheme.TOSAN, 20_000, at(2026, 1), n=1)
    other = member_contract(Scheme.TOSAN, 20_000, at(2026, 1), n=2)
    owner, stranger = c.party.user, other.party.user
    assert owner is not None and stranger is not None
    certificate = do_send_notice(
        party=c.party, contract=c, kind=Notice.Kind.CERTIFICATE, title="掛金払込証明書",
        body="証明書をお送りします。", document=b"%PDF-1.4 test", document_name="証明書.pdf",
        acting_user=None,
    )  # fmt: skip
    return owner, stranger, certificate


def test_the_inbox_counts_unread_notices_and_opening_one_is_its_read_receipt(
    member_and_other: tuple[User, User, Notice],
) -> None:
    owner, _, certificate = member_and_other
    client = sign_in(Client(), owner)
    home = client.get("/portal/").content.decode()
    assert "未読 2件" in home
    inbox = client.get("/portal/inbox/").content.decode()
    assert "掛金払込証明書" in inbox and "共済契約締結のお知らせ（経営セーフティ共済）" in inbox
    page = client.get(f"/portal/inbox/{certificate.pk}/").content.decode()
    assert "証明書をお送りします。" in page and "証明書.pdf（PDF）をダウンロード" in page
    certificate.refresh_from_db()
    first_read = certificate.read_at
    assert first_read is not None
    client.get(f"/portal/inbox/{certificate.pk}/")  # a second opening keeps the first receipt
    certificate.refresh_from_db()
    assert certificate.read_at == first_read
    assert AuditLog.objects.filter(action="notice.read", object_id=str(certificate.pk)).count() == 1
    assert "未読 1件" in client.get("/portal/").content.decode()
    download = client.get(f"/portal/inbox/{certificate.pk}/document/")
    assert download.content == b"%PDF-1.4 test"
    assert download["Content-Type"] == "application/pdf"


def test_another_members_notice_is_not_found(member_and_other: tuple[User, User, Notice]) -> None:
    _, stranger, certificate = member_and_other
    client = sign_in(Client(), stranger)
    assert client.get(f"/portal/inbox/{certificate.pk}/").status_code == 404
    assert client.get(f"/portal/inbox/{certificate.pk}/document/").status_code == 404
    assert "掛金払込証明書" not in client.get("/portal/inbox/").content.decode()
    certificate.refresh_from_db()
    assert certificate.read_at is None


def test_a_notice_without_a_document_has_no_download(
    member_and_other: tuple[User, User, Notice],
) -> None:
    owner, _, _ = member_and_other
    concluded = Notice.objects.get(party__user=owner, kind="contract_issued")
    client = sign_in(Client(), owner)
    assert client.get(f"/portal/inbox/{concluded.pk}/document/").status_code == 404


def test_paper_preference_is_read_when_the_notice_is_sent() -> None:
    c = member_contract(Scheme.SHOKIBO, 10_000, at(2026, 1))
    party = c.party
    party.wants_paper = True
    party.save()
    sent = do_send_notice(
        party=party, contract=c, kind=Notice.Kind.REPAYMENT_DUE, title="返済期日のお知らせ",
        body="x", amount_yen=12_345, due_on=dt.date(2026, 12, 18), acting_user=None,
    )  # fmt: skip
    assert sent.print_state == "pending"


def test_a_repayment_run_tells_the_member_the_amount_and_the_debit_day(loan: Loan) -> None:  # noqa: F811
    run = bill_repayments(loan_month(7))  # the first instalment (tosan L9: 6 months' grace)
    bill = run.bills.get()
    notice = Notice.objects.get(kind="repayment_due")
    assert (notice.contract, notice.amount_yen, notice.due_on, notice.key) == (
        loan.contract, bill.amount_yen, run.debit_on, f"repayment:{bill.pk}"
    )  # fmt: skip
    bill_repayments(loan_month(7))
    assert Notice.objects.filter(kind="repayment_due").count() == 1


def test_a_member_chooses_paper_in_the_inbox_and_later_notices_wait_for_printing(
    member_and_other: tuple[User, User, Notice],
) -> None:
    owner, _, _ = member_and_other
    client = sign_in(Client(), owner)
    response = client.post("/portal/inbox/", {"wants_paper": "on"}, follow=True)
    assert "お知らせを郵送でもお届けします。" in response.content.decode()
    party = Party.objects.get(user=owner)
    assert party.wants_paper
    sent = do_send_notice(party=party, kind=Notice.Kind.BILLING_AMOUNT, title="x", body="x",
                          acting_user=None)  # fmt: skip
    assert sent.print_state == "pending"
    client.post("/portal/inbox/", {})
    party.refresh_from_db()
    assert not party.wants_paper
    assert AuditLog.objects.filter(action="party.paper_preference").count() == 2


def test_a_billing_run_killed_between_chunks_tells_each_member_once_when_resumed() -> None:
    for n in range(5):
        member_contract(Scheme.TOSAN, 10_000, at(2026, 1), n=n)

    class Killed(BaseException):
        pass

    def kill(_upper: int) -> None:
        raise Killed

    run = open_run(Scheme.TOSAN, dt.date(2026, 3, 1))
    with pytest.raises(Killed):
        generate_bills(run, chunk=2, after_chunk=kill)
    assert not Notice.objects.filter(kind="billing_amount").exists()  # told when the run closes
    generate_bills(run, chunk=2)
    generate_bills(run, chunk=2)  # closed: nothing more
    told = Notice.objects.filter(kind="billing_amount")
    assert told.count() == run.bills.count() == 5
    assert told.values("contract").distinct().count() == 5
