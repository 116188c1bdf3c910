"""前納減額金 (tosan_rules §2.4): earned when the prepayment debit is paid (P21, amounts P23),
fixed at the end of March, paid in June when the running total reaches 5,000円, else carried;
any unpaid amount goes with the 解約手当金 on cancellation (P22, §3.3).

The prepayments are filed through the real action and debited by the real monthly run, answered
by the pretend bank, as in test_cycle.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kyosai.billing.discounts import (
    DiscountError,
    accrued_unpaid_yen,
    close_discounts,
    earned_unaccrued_yen,
    pay_discounts,
    settle_discount,
    unpaid_discount_yen,
)
from kyosai.billing.models import Account, Journal, Posting, Prepayment
from kyosai.billing.results import import_result
from kyosai.billing.runs import bill_month
from kyosai.contracts.models import Contract, DebitMandate
from kyosai.demo.bank import answers
from kyosai.payouts.actions import do_confirm_transfer_file
from kyosai.payouts.models import Payout, TransferFile
from kyosai.procedures.changes import do_submit_prepayment, quote_cancellation
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months, is_business_day
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.billing.test_cycle import cycle
from tests.helpers import sign_in
from tests.settlement.transfers import journals_balance, transfer_records

pytestmark = pytest.mark.django_db
TOSAN = Scheme.TOSAN
CLOSE_2026 = dt.date(2027, 3, 31)
JUNE_2027 = dt.date(2027, 6, 15)
CLOSE_2027 = dt.date(2028, 3, 31)
JUNE_2028 = dt.date(2028, 6, 15)


def cycles(first: dt.date, last: dt.date, failing: dict[str, str] | None = None) -> None:
    month = first
    while month <= last:
        cycle(TOSAN, month, failing)
        month = add_months(month, 1)


def prepay(c: Contract, months: int, on: dt.datetime) -> Prepayment:
    do_submit_prepayment(
        c, months, channel=Procedure.Channel.ONLINE, idempotency_key=f"pp-{c.pk}-{on:%Y%m}",
        received_at=on, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    return c.prepayments.get(month=on.date().replace(day=1))


def payable(c: Contract) -> int:
    return accrued_unpaid_yen(c)


@pytest.fixture
def example_6() -> tuple[Contract, Contract]:
    """tosan_rules §9 example 6: 80,000円 and 200,000円 a month, each prepaying 11 months with the
    October 2026 debit (cumulative 66 months at 0.9/1000, P21/P23)."""
    small = member_contract(TOSAN, 80_000, at(2026, 1), 1, "0001")
    large = member_contract(TOSAN, 200_000, at(2026, 1), 2, "0005")
    cycles(dt.date(2026, 3, 1), dt.date(2026, 9, 1))
    assert prepay(small, 11, at(2026, 10, 1)).discount_yen == 4_752
    assert prepay(large, 11, at(2026, 10, 1)).discount_yen == 11_880
    cycle(TOSAN, dt.date(2026, 10, 1))
    return small, large


def test_example_6_below_5000_is_carried_and_11880_is_paid_in_june_p22(
    example_6: tuple[Contract, Contract], bank_files: Path
) -> None:
    small, large = example_6
    # The member moved the premium account in May: June's payout goes to the latest account.
    DebitMandate.objects.create(
        contract=large, bank_code="0009", branch_code="123", account_type="1",
        account_number="7654321", holder_kana="ｽｽﾞｷｼﾖｳﾃﾝ", valid_from=dt.date(2027, 5, 1),
    )  # fmt: skip
    close = close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    assert (close.prepayments, close.contracts, close.total_yen) == (2, 2, 4_752 + 11_880)
    assert (payable(small), payable(large)) == (4_752, 11_880)
    assert is_business_day(JUNE_2027)
    payout = pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert (payout.contracts, payout.total_yen) == (1, 11_880)
    assert (payout.carried_contracts, payout.carried_yen) == (1, 4_752)  # P22: carried
    assert (payable(small), payable(large)) == (4_752, 0)
    assert payout.file is not None and (payout.file.records, payout.file.total_yen) == (1, 11_880)
    header, [item] = transfer_records(bank_files / "outgoing" / payout.file.name)
    assert (header["type_code"], header["transfer_mmdd"]) == ("21", "0615")
    assert (header["requester_code"], header["bank_code"]) == ("0000000002", "0001")
    assert (item["bank_code"], item["branch_code"], item["account_number"]) == (
        "0009",
        "123",
        "7654321",
    )
    assert item["payee_name"].rstrip() == "ｽｽﾞｷｼﾖｳﾃﾝ" and int(item["amount"]) == 11_880
    assert (item["customer_code1"] + item["customer_code2"]).lstrip("0") == large.number
    journals_balance()
    lines = Posting.objects.filter(journal=payout.journal)
    assert {(p.account, p.contract_id, p.amount_yen) for p in lines} == {
        (Account.DISCOUNT_PAYABLE, large.pk, 11_880),
        (Account.PAYABLE, large.pk, -11_880),  # owed to the member until the bank pays it
    }
    # The money leaves the bank account when staff confirm the bank carried the file out.
    transfer = do_confirm_transfer_file(
        payout.file, returned=set(), confirmed_on=JUNE_2027, acting_user=None
    )
    assert {(p.account, p.contract_id, p.amount_yen) for p in transfer.postings.all()} == {
        (Account.PAYABLE, large.pk, 11_880),
        (Account.BANK, None, -11_880),
    }
    assert Payout.objects.get(contract=large).status == Payout.Status.PAID
    journals_balance()


def test_the_close_and_the_payout_are_idempotent(
    example_6: tuple[Contract, Contract], bank_files: Path
) -> None:
    first = close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    counts = (Journal.objects.count(), Posting.objects.count())
    again = close_discounts(2026, scheme=TOSAN, posted_on=dt.date(2027, 4, 2))
    assert first.created and not again.created and again.journal == first.journal
    assert (Journal.objects.count(), Posting.objects.count()) == counts
    assert (again.prepayments, again.total_yen) == (2, 16_632)
    paid = pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert paid.file is not None
    written = (bank_files / "outgoing" / paid.file.name).stat().st_mtime_ns
    counts = (Journal.objects.count(), Posting.objects.count())
    repeat = pay_discounts(2026, scheme=TOSAN, paid_on=dt.date(2027, 6, 16))
    assert not repeat.created and repeat.file == paid.file
    assert (repeat.contracts, repeat.total_yen) == (1, 11_880)
    assert (Journal.objects.count(), Posting.objects.count()) == counts
    assert TransferFile.objects.count() == 1 and Payout.objects.count() == 1
    assert (bank_files / "outgoing" / paid.file.name).stat().st_mtime_ns == written
    assert sorted(p.name for p in (bank_files / "outgoing").iterdir() if "discount" in p.name) == [
        paid.file.name
    ]
    journals_balance()


def test_a_payout_killed_before_its_file_writes_it_on_the_next_call(
    example_6: tuple[Contract, Contract], bank_files: Path
) -> None:
    close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    payout = pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert payout.file is not None
    name = payout.file.name
    written = (bank_files / "outgoing" / name).read_bytes()
    # As if the process died after posting, before the payouts were put in a file:
    Payout.objects.update(status=Payout.Status.APPROVED, file=None)
    TransferFile.objects.all().delete()
    (bank_files / "outgoing" / name).unlink()
    again = pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert not again.created and again.file is not None and again.file.name == name
    assert (bank_files / "outgoing" / name).read_bytes() == written
    # … or after the file was made, before it was written:
    TransferFile.objects.update(written_at=None)
    (bank_files / "outgoing" / name).unlink()
    pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert (bank_files / "outgoing" / name).read_bytes() == written
    assert Posting.objects.filter(journal=payout.journal).count() == 2


def test_a_carried_amount_is_paid_the_next_june_once_the_total_reaches_5000_p22() -> None:
    c = member_contract(TOSAN, 80_000, at(2026, 1))
    cycles(dt.date(2026, 3, 1), dt.date(2026, 9, 1))
    prepay(c, 11, at(2026, 10, 1))  # 4,752円 (P23)
    cycles(dt.date(2026, 10, 1), dt.date(2027, 9, 1))  # prepaid through September 2027
    close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    # 4,752 < 5,000: carried
    assert pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027).contracts == 0
    assert Prepayment.objects.filter(contract=c).count() == 1
    # Next year 3 months more: 80,000 × 0.9/1000 × (1 + 2 + 3) = 432円, running total 5,184円.
    assert prepay(c, 3, at(2027, 10, 1)).discount_yen == 432
    cycle(TOSAN, dt.date(2027, 10, 1))
    close = close_discounts(2027, scheme=TOSAN, posted_on=CLOSE_2027)
    assert (close.prepayments, close.total_yen) == (1, 432)
    payout = pay_discounts(2027, scheme=TOSAN, paid_on=JUNE_2028)
    assert (payout.contracts, payout.total_yen, payout.carried_contracts) == (1, 5_184, 0)
    assert payable(c) == 0
    journals_balance()


def test_a_failed_prepayment_debit_earns_nothing() -> None:
    c = member_contract(TOSAN, 200_000, at(2026, 1))
    cycles(dt.date(2026, 3, 1), dt.date(2026, 9, 1))
    prepayment = prepay(c, 11, at(2026, 10, 1))
    cycle(TOSAN, dt.date(2026, 10, 1), {c.number: "1"})  # 資金不足
    assert earned_unaccrued_yen(c) == 0
    close = close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    assert (close.prepayments, close.total_yen) == (0, 0)
    prepayment.refresh_from_db()
    assert prepayment.accrued_in is None and payable(c) == 0
    assert pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027).file is None


def test_a_debit_answered_after_the_close_is_accrued_by_the_next_close_once() -> None:
    c = member_contract(TOSAN, 200_000, at(2026, 1))
    cycles(dt.date(2026, 3, 1), dt.date(2027, 2, 1))
    prepay(c, 11, at(2027, 3, 1))
    run = bill_month(TOSAN, dt.date(2027, 3, 1))  # the bank has not answered at the close
    close = close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    assert (close.prepayments, close.pending) == (0, 1)
    for name, data in answers(run, {}):
        import_result(data, name=name, imported_on=dt.date(2027, 4, 2))
    # that year is closed
    assert close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026).prepayments == 0
    later = close_discounts(2027, scheme=TOSAN, posted_on=CLOSE_2027)
    assert (later.prepayments, later.total_yen) == (1, 11_880)
    assert close_discounts(2027, scheme=TOSAN, posted_on=CLOSE_2027).total_yen == 11_880
    assert payable(c) == 11_880
    with pytest.raises(DiscountError):
        # a later year is closed
        close_discounts(2025, scheme=TOSAN, posted_on=dt.date(2026, 3, 31))


def test_settlement_on_cancellation_returns_accrued_unpaid_and_earned_unaccrued_p22() -> None:
    c = member_contract(TOSAN, 80_000, at(2026, 1))
    cycles(dt.date(2026, 3, 1), dt.date(2026, 9, 1))
    prepay(c, 11, at(2026, 10, 1))
    cycles(dt.date(2026, 10, 1), dt.date(2027, 9, 1))
    close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)  # 4,752 accrued, carried
    prepay(c, 3, at(2027, 10, 1))
    cycle(TOSAN, dt.date(2027, 10, 1))  # 432 earned, not accrued yet
    assert (payable(c), earned_unaccrued_yen(c), unpaid_discount_yen(c)) == (4_752, 432, 5_184)
    quote = quote_cancellation(c, on=dt.date(2027, 11, 10))
    assert quote.discount_yen == 5_184  # paid with the 解約手当金
    assert settle_discount(c, on=dt.date(2027, 11, 10)) == 5_184
    assert (payable(c), earned_unaccrued_yen(c)) == (5_184, 0)
    journals = Journal.objects.count()
    assert settle_discount(c, on=dt.date(2027, 11, 11)) == 5_184
    assert Journal.objects.count() == journals
    # Cancelled: not paid in June, the amount goes with the 解約手当金.
    Contract.objects.filter(pk=c.pk).update(status=Contract.Status.CANCELLED)
    close = close_discounts(2027, scheme=TOSAN, posted_on=CLOSE_2027)
    assert close.prepayments == 0  # the settlement took it
    payout = pay_discounts(2027, scheme=TOSAN, paid_on=JUNE_2028)
    assert (payout.contracts, payout.with_refund_contracts, payout.with_refund_yen) == (
        0,
        1,
        5_184,
    )
    journals_balance()


def test_the_payout_needs_the_close_and_a_bank_business_day(
    example_6: tuple[Contract, Contract],
) -> None:
    with pytest.raises(DiscountError, match="まだ確定していません"):
        pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    with pytest.raises(DiscountError, match="以後に確定します"):
        close_discounts(2026, scheme=TOSAN, posted_on=dt.date(2027, 3, 30))
    close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    with pytest.raises(DiscountError, match="営業日ではありません"):
        pay_discounts(2026, scheme=TOSAN, paid_on=dt.date(2027, 6, 13))  # a Sunday
    with pytest.raises(DiscountError, match="確定の後"):
        pay_discounts(2026, scheme=TOSAN, paid_on=dt.date(2027, 3, 30))


def test_the_commands_close_and_pay(
    example_6: tuple[Contract, Contract], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match="まだ確定していません"):
        call_command("billing", "pay-discounts", "--fiscal-year", "2026", "--paid-on", "2027-06-15")
    call_command("billing", "close-discounts", "--fiscal-year", "2026")
    call_command("billing", "close-discounts", "--fiscal-year", "2026")
    call_command("billing", "pay-discounts", "--fiscal-year", "2026", "--paid-on", "2027-06-15")
    call_command("billing", "pay-discounts", "--fiscal-year", "2026", "--paid-on", "2027-06-15")
    out = capsys.readouterr().out
    assert "2026年度の前納減額金を確定しました: 前納 2件、契約 2件、16,632円" in out
    assert "2026年度の前納減額金をすでに確定しています（変更はありません）" in out
    assert (
        "2026年度の前納減額金の支払を確定しました: 1件 11,880円（振込指定日 2027年6月15日）" in out
    )
    assert "総合振込ファイル tosan-prepayment-discount-FY2026.txt: 1件 11,880円" in out
    assert "5,000円未満のため翌年度に繰越し: 1件 4,752円" in out
    assert "前納減額金の支払をすでに確定しています（変更はありません）" in out
    with pytest.raises(CommandError, match="営業日ではありません"):
        call_command("billing", "pay-discounts", "--fiscal-year", "2026", "--paid-on", "2027-06-13")


def test_the_member_page_shows_paid_and_carried_discounts(
    example_6: tuple[Contract, Contract],
) -> None:
    small, large = example_6
    close_discounts(2026, scheme=TOSAN, posted_on=CLOSE_2026)
    pay_discounts(2026, scheme=TOSAN, paid_on=JUNE_2027)
    assert large.party.user is not None and small.party.user is not None
    paid = sign_in(Client(), large.party.user).get(f"/portal/contracts/{large.pk}/")
    page = paid.content.decode()
    assert '<h3 id="discounts">前納減額金</h3>' in page
    assert "<dt>お支払い済み</dt><dd>2027年6月 11,880円（掛金の振替口座へ）</dd>" in page
    assert "未払い（確定済み）" not in page
    carried = sign_in(Client(), small.party.user).get(f"/portal/contracts/{small.pk}/")
    page = carried.content.decode()
    assert "<dt>未払い（確定済み）</dt><dd>4,752円</dd>" in page
    assert "5,000円に満たない年は翌年度に繰り越します" in page
    assert "お支払い済み" not in page


def test_the_member_page_shows_nothing_without_a_discount() -> None:
    c = member_contract(TOSAN, 50_000, at(2026, 1))
    cycles(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    assert c.party.user is not None
    page = sign_in(Client(), c.party.user).get(f"/portal/contracts/{c.pk}/").content.decode()
    assert "掛金の納付状況" in page and 'id="discounts"' not in page
