"""Cancellations of every kind, settled on what the contract actually paid, posted to the ledger
and paid out by a 総合振込 file once staff confirm it (tosan_rules §3, shokibo_rules §4).

Contracts get their history the way production does: taken over from the previous system with
an opening balance, then billed by the real monthly run and answered by the pretend bank.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Sum

from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal, Posting
from kyosai.billing.runs import bill_month
from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract
from kyosai.core.errors import ContractError, ProcedureError
from kyosai.core.roles import Role
from kyosai.payouts.actions import PayoutError, do_confirm_transfer_file, do_make_transfer_file
from kyosai.payouts.models import Payout
from kyosai.procedures.changes import (
    do_record_deemed_cancellation,
    do_submit_cancellation,
    do_submit_prepayment,
    quote_cancellation,
)
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.billing.test_cycle import cycle
from tests.settlement.transfers import journals_balance, transfer_records
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN, SHOKIBO = Scheme.TOSAN, Scheme.SHOKIBO
ONLINE = Procedure.Channel.ONLINE
NOVEMBER_10 = at(2026, 11, 10)
PAY_ON = dt.date(2026, 11, 13)  # a Friday


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


@pytest.fixture
def approver() -> User:
    return user("tanaka", Role.APPROVER)


def request(c: Contract, key: str = "cancel") -> Procedure:
    return do_submit_cancellation(
        c, channel=ONLINE, idempotency_key=key, received_at=NOVEMBER_10,
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def postings(reference: str) -> set[tuple[str, int | None, int]]:
    journal = Journal.objects.get(reference=reference)
    return {(p.account, p.contract_id, p.amount_yen) for p in journal.postings.all()}


def test_a_voluntary_tosan_cancellation_is_settled_on_what_was_paid_and_transferred_once(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    c = member_contract(TOSAN, 50_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 8, 1))  # 2024-05 to 2026-08: 28 months
    cycle(TOSAN, dt.date(2026, 9, 1))  # paid: 29 months
    cycle(TOSAN, dt.date(2026, 10, 1), {c.number: "1"})  # 資金不足: October is in arrears
    # 施行令4条二号: 29 months is the 24–29 band, 任意解約 85 %: 1,450,000 × 0.85.
    quote = quote_cancellation(c, on=NOVEMBER_10.date())
    assert (quote.months, quote.premiums_yen, quote.rate_text) == (29, 1_450_000, "85%")
    assert quote.refund_yen == quote.net_yen == 1_232_500
    procedure = request(c)
    assert procedure.amount_yen == 1_232_500 and procedure.status == Procedure.Status.CHECKING
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)

    c.refresh_from_db()
    cancellation = Cancellation.objects.get(contract=c)
    assert c.status == Contract.Status.CANCELLED
    assert (cancellation.kind, cancellation.effective_on, cancellation.net_yen) == (
        "voluntary", NOVEMBER_10.date(), 1_232_500,
    )  # fmt: skip
    assert cancellation.statement_pdf[:5] == b"%PDF-" and "85%" in cancellation.trace
    # The member's premiums are closed, the 15 % kept, October's arrears written off, and the
    # refund owed to the member until the bank pays it.
    assert postings(f"cancel:{c.number}") == {
        (Account.PREMIUMS, c.pk, 1_450_000),
        (Account.CLOSING_DIFFERENCE, None, -217_500),
        (Account.ARREARS, c.pk, -50_000),
        (Account.ARREARS_OFFSET, None, 50_000),
        (Account.PAYABLE, c.pk, -1_232_500),
    }
    payout = Payout.objects.get(contract=c)
    assert (payout.status, payout.amount_yen, payout.procedure) == (
        "approved",
        1_232_500,
        procedure,
    )
    assert (payout.bank_code, payout.account_number) == ("0001", "1234567")  # the debit account

    file = do_make_transfer_file(pay_on=PAY_ON, acting_user=approver)
    header, [item] = transfer_records(bank_files / "outgoing" / file.name)
    assert (header["type_code"], header["transfer_mmdd"]) == ("21", "1113")
    assert int(item["amount"]) == 1_232_500 and item["account_number"] == "1234567"
    assert (item["customer_code1"] + item["customer_code2"]).lstrip("0") == c.number
    with pytest.raises(PayoutError, match="振り込む支払いはありません"):
        do_make_transfer_file(pay_on=PAY_ON, acting_user=approver)  # nothing paid twice
    do_confirm_transfer_file(file, returned=set(), confirmed_on=PAY_ON, acting_user=approver)

    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE
    assert "1,232,500円を2026年11月13日にお振り込みしました" in procedure.events.last().message  # type: ignore[union-attr]
    for account in (Account.PREMIUMS, Account.ARREARS, Account.PAYABLE):
        assert balance_of(c, account) == 0
    # Money in = money out + what the fund keeps, to the yen.
    paid_in = -Posting.objects.filter(
        contract=c, account=Account.PREMIUMS, journal__kind__in=["opening", "result"]
    ).aggregate(s=Sum("amount_yen"))["s"]
    paid_out = -Posting.objects.filter(journal__kind="transfer", account=Account.BANK).aggregate(
        s=Sum("amount_yen")
    )["s"]
    kept = -Posting.objects.filter(account=Account.CLOSING_DIFFERENCE).aggregate(
        s=Sum("amount_yen")
    )["s"]
    assert (paid_in, paid_out, kept) == (1_450_000, 1_232_500, 217_500)
    assert paid_in == paid_out + kept
    journals_balance()


def test_premiums_paid_ahead_are_returned_with_the_unpaid_prepayment_discount() -> None:
    # 80,000 a month from January 2026, 11 months prepaid with October's debit (through
    # September 2027; 前納減額金 4,752円, tosan P23). Cancelled in November: 11 months count
    # (under 12: no 解約手当金, 施行令4条), December to September are returned [I], and the
    # unpaid discount goes with it (P22).
    c = member_contract(TOSAN, 80_000, at(2026, 1))
    month = dt.date(2026, 3, 1)
    while month <= dt.date(2026, 9, 1):
        cycle(TOSAN, month)
        month = add_months(month, 1)
    do_submit_prepayment(
        c, 11, channel=ONLINE, idempotency_key="pp", received_at=at(2026, 10, 1),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    cycle(TOSAN, dt.date(2026, 10, 1))
    quote = quote_cancellation(c, on=NOVEMBER_10.date())
    assert (quote.months, quote.refund_yen) == (11, 0)
    assert (quote.prepaid_return_yen, quote.discount_yen) == (10 * 80_000, 4_752)
    assert quote.net_yen == 804_752


def test_a_shokibo_cancellation_pays_each_slice_at_its_rate_w5(reviewer: User) -> None:
    # shokibo_rules W5: 10,000 × 180 months, 令別表第二 92.5 % → 1,665,000円.
    c = member_contract(SHOKIBO, 10_000, at(2011, 11))
    taken_over(SHOKIBO, dt.date(2026, 10, 1))
    procedure = request(c)
    assert procedure.amount_yen == 1_665_000
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    cancellation = Cancellation.objects.get(contract=c)
    assert (cancellation.months, cancellation.refund_yen, cancellation.premiums_yen) == (
        180, 1_665_000, 1_800_000,
    )  # fmt: skip
    assert postings(f"cancel:{c.number}") == {
        (Account.PREMIUMS, c.pk, 1_800_000),
        (Account.CLOSING_DIFFERENCE, None, -135_000),
        (Account.PAYABLE, c.pk, -1_665_000),
    }


def test_a_deemed_cancellation_recorded_by_staff_is_settled_at_the_deemed_rate(
    reviewer: User,
) -> None:
    # tosan 法7条4項: the sole proprietor died on 1 November; 36 months paid → みなし 100 %.
    c = member_contract(TOSAN, 20_000, at(2023, 11))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    procedure = do_record_deemed_cancellation(
        c, event="death", event_on=dt.date(2026, 11, 1), idempotency_key="deemed",
        received_at=NOVEMBER_10, acting_user=reviewer,
    )  # fmt: skip
    assert (procedure.channel, procedure.status, procedure.amount_yen) == (
        "paper", "checking", 720_000,
    )  # fmt: skip
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    cancellation = Cancellation.objects.get(contract=c)
    assert (cancellation.kind, cancellation.effective_on, cancellation.reason) == (
        "deemed", dt.date(2026, 11, 1), "個人事業主の死亡",
    )  # fmt: skip
    assert (cancellation.months, cancellation.refund_yen) == (36, 720_000)
    with pytest.raises(ProcedureError, match="事由を選んで"):
        do_record_deemed_cancellation(
            member_contract(TOSAN, 20_000, at(2023, 11), 2), event="moved", event_on=dt.date(2026, 11, 1),
            idempotency_key="deemed-2", received_at=NOVEMBER_10, acting_user=reviewer,
        )  # fmt: skip


def test_a_debit_waiting_for_its_result_holds_the_settlement_and_nothing_changes(
    reviewer: User,
) -> None:
    c = member_contract(TOSAN, 50_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 9, 1))
    procedure = request(c)
    bill_month(TOSAN, dt.date(2026, 11, 1))  # debited on the 27th; the bank has not answered
    with pytest.raises(ContractError, match="振替結果を待っている"):
        do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    c.refresh_from_db()
    procedure.refresh_from_db()
    assert c.status == Contract.Status.ACTIVE and procedure.status == Procedure.Status.CHECKING
    assert not Cancellation.objects.exists() and not Payout.objects.exists()
    assert not Journal.objects.filter(kind="cancellation").exists()


def test_a_contract_with_nothing_paid_is_cancelled_with_nothing_to_transfer(
    reviewer: User,
) -> None:
    c = member_contract(SHOKIBO, 10_000, at(2026, 11))  # first debit in January
    procedure = request(c)
    assert procedure.amount_yen == 0
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE
    assert "お支払いはありません" in procedure.events.last().message  # type: ignore[union-attr]
    assert Cancellation.objects.get(contract=c).net_yen == 0 and not Payout.objects.exists()


def test_the_payouts_command_makes_and_confirms_a_file(
    reviewer: User, capsys: pytest.CaptureFixture[str]
) -> None:
    c = member_contract(TOSAN, 50_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    do_decide(request(c), approve=True, reason_ja="", acting_user=reviewer)
    with pytest.raises(CommandError, match="営業日ではない"):
        call_command("payouts", "file", "--on", "2026-11-14")
    call_command("payouts", "file", "--on", "2026-11-13")
    with pytest.raises(CommandError, match="振り込む支払いはありません"):
        call_command("payouts", "file", "--on", "2026-11-13")
    name = "transfer-20261113-1.txt"
    with pytest.raises(CommandError, match="このファイルにない共済契約者番号"):
        call_command("payouts", "confirm", name, "--on", "2026-11-13", "--returned", "999999999")
    call_command("payouts", "confirm", name, "--on", "2026-11-13")
    out = capsys.readouterr().out
    assert f"総合振込ファイル {name}: 1件 1,350,000円（振込指定日 2026年11月13日）" in out
    assert f"{name}: 振込済 1件、振込不能 0件を記録しました。" in out
    assert Payout.objects.get().status == Payout.Status.PAID
