"""支払（振込） in the staff console and on the member's contract page: a cancellation's refund
is put in a transfer file, downloaded, returned by the bank, paid again to a corrected account
and confirmed; the member follows it and downloads the 解約精算書."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account
from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.payouts.models import Payout, TransferFile
from kyosai.procedures.changes import do_submit_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.helpers import sign_in
from tests.settlement.transfers import transfer_records
from tests.web.test_staff import console

pytestmark = pytest.mark.django_db
PAY_ON = "2026-11-13"


def refund_approved() -> tuple[User, int]:
    """A tosan member's voluntary cancellation approved by a reviewer: 1,350,000円 owed
    (tosan_rules §9 example 1: 50,000 × 30 months at 90 %)."""
    c = member_contract(Scheme.TOSAN, 50_000, at(2024, 5))
    taken_over(Scheme.TOSAN, dt.date(2026, 10, 1))
    procedure = do_submit_cancellation(
        c, channel=Procedure.Channel.ONLINE, idempotency_key="cancel", received_at=at(2026, 11, 10),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    _, reviewer = console(Role.REVIEWER, username="suzuki")
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert c.party.user is not None
    return c.party.user, c.pk


def test_a_refund_goes_through_a_file_is_returned_paid_again_and_the_member_sees_it(
    bank_files: Path,
) -> None:
    member, contract_pk = refund_approved()
    approver, _ = console(Role.APPROVER, username="tanaka")
    reviewer, _ = console(Role.REVIEWER, username="sato")
    page = approver.get("/staff/payouts/").content.decode()
    assert "振込待ち 1件 1,350,000円" in page and "解約手当金" in page
    # Reviewers read but do not make files.
    assert "総合振込ファイルを作成する" not in reviewer.get("/staff/payouts/").content.decode()
    assert reviewer.post("/staff/payouts/", {"pay_on": PAY_ON}).status_code == 403
    refused = approver.post("/staff/payouts/", {"pay_on": "2026-11-14"})  # a Saturday
    assert "銀行の営業日ではない" in refused.content.decode()

    made = approver.post("/staff/payouts/", {"pay_on": PAY_ON})
    file = TransferFile.objects.get()
    assert made["Location"] == f"/staff/payouts/files/{file.pk}/"
    detail = approver.get(made["Location"]).content.decode()
    assert "1件 1,350,000円" in detail and "振込手続中" in detail
    download = approver.get(f"/staff/payouts/files/{file.pk}/download/")
    assert download.content == (bank_files / "outgoing" / file.name).read_bytes()
    _, [item] = transfer_records(bank_files / "outgoing" / file.name)
    assert int(item["amount"]) == 1_350_000
    assert AuditLog.objects.filter(action="transfer_file.download").count() == 1
    assert reviewer.get(f"/staff/payouts/files/{file.pk}/download/").status_code == 403

    # The bank returned it (the account was closed): it stays owed and is listed to pay again.
    payout = Payout.objects.get()
    approver.post(
        f"/staff/payouts/files/{file.pk}/", {"confirmed_on": PAY_ON, "returned": [payout.pk]}
    )
    payout.refresh_from_db()
    assert payout.status == Payout.Status.RETURNED
    assert balance_of(payout.contract, Account.PAYABLE) == -1_350_000
    member_page = sign_in(Client(), member).get(f"/portal/contracts/{contract_pk}/").content
    assert "お振り込みできませんでした" in member_page.decode()
    listed = approver.get("/staff/payouts/").content.decode()
    assert "振込不能" in listed and "この口座に振り込み直す" in listed
    bad = approver.post(f"/staff/payouts/{payout.pk}/reissue/", {"bank_code": "12"}, follow=True)
    assert "振込先の口座を確認してください" in bad.content.decode()
    approver.post(
        f"/staff/payouts/{payout.pk}/reissue/",
        {"bank_code": "０００５", "branch_code": "001", "account_type": "1",
         "account_number": "7654321", "holder_kana": "やまだはなこ"},
    )  # fmt: skip
    again = Payout.objects.get(reissue_of=payout)
    assert (again.status, again.bank_code, again.payee_kana) == ("approved", "0005", "ﾔﾏﾀﾞﾊﾅｺ")

    approver.post("/staff/payouts/", {"pay_on": "2026-11-16"})
    second = TransferFile.objects.latest("pk")
    approver.post(f"/staff/payouts/files/{second.pk}/", {"confirmed_on": "2026-11-16"})
    again.refresh_from_db()
    assert again.status == Payout.Status.PAID
    assert balance_of(again.contract, Account.PAYABLE) == 0
    refused_twice = approver.post(
        f"/staff/payouts/files/{second.pk}/", {"confirmed_on": "2026-11-16"}
    )
    assert "確認済みです" in refused_twice.content.decode()

    client = sign_in(Client(), member)
    page = client.get(f"/portal/contracts/{contract_pk}/").content.decode()
    assert "解約の精算" in page and "1,350,000円" in page and "振込済" in page
    assert "掛金月額を変更する" not in page  # nothing to change on a cancelled contract
    statement = client.get(f"/portal/contracts/{contract_pk}/cancellation-statement/")
    assert statement["Content-Type"] == "application/pdf" and statement.content[:5] == b"%PDF-"
    procedure = Procedure.objects.get(kind=Procedure.Kind.CANCELLATION)
    timeline = client.get(f"/portal/procedures/{procedure.pk}/").content.decode()
    assert "2026年11月16日にお振り込みしました" in timeline


def test_staff_record_a_deemed_cancellation_from_the_contract_page() -> None:
    c = member_contract(Scheme.TOSAN, 20_000, at(2023, 11))
    client, _ = console(Role.REVIEWER, username="suzuki")
    page = client.get(f"/staff/contracts/{c.pk}/").content.decode()
    assert f'href="/staff/contracts/{c.pk}/deemed-cancellation/"' in page
    form = client.get(f"/staff/contracts/{c.pk}/deemed-cancellation/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', form).group(1)  # type: ignore[union-attr]
    missing = client.post(f"/staff/contracts/{c.pk}/deemed-cancellation/", {"token": token})
    assert missing.status_code == 200 and "このフィールドは必須です" in missing.content.decode()
    data = {"token": token, "event": "death", "event_on": "2026-11-01"}
    done = client.post(f"/staff/contracts/{c.pk}/deemed-cancellation/", data)
    repeat = client.post(f"/staff/contracts/{c.pk}/deemed-cancellation/", data)
    procedure = Procedure.objects.get(kind=Procedure.Kind.CANCELLATION)
    assert done["Location"] == repeat["Location"] == f"/staff/procedures/{procedure.pk}/"
    assert (
        procedure.payload["kind"] == "deemed" and procedure.payload["reason"] == "個人事業主の死亡"
    )
