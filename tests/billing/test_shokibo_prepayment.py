"""前納 of a 小規模企業共済 contract through the monthly run and the 前納減額金 close and payout
(shokibo_rules.md P8, P10–P12: https://f62.dt10.net/entry6.html for the rate and the schedule,
https://kyosai-web.smrj.go.jp/customer/skyosai/installment/index_05.html for the deadline).

Filed through the real action, debited by the real run, answered by the pretend bank, as in
test_cycle and test_discounts.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from kyosai.billing.discounts import accrued_unpaid_yen, close_discounts, pay_discounts
from kyosai.billing.models import Account, BillingRun, Posting, Prepayment
from kyosai.contracts.models import Contract
from kyosai.procedures.changes import do_submit_prepayment
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months, month_index
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.billing.test_cycle import billed, cycle
from tests.settlement.transfers import journals_balance, transfer_records

pytestmark = pytest.mark.django_db
SHOKIBO, TOSAN = Scheme.SHOKIBO, Scheme.TOSAN


def cycles(scheme: Scheme, first: dt.date, last: dt.date) -> None:
    month = first
    while month <= last:
        cycle(scheme, month)
        month = add_months(month, 1)


def prepay(c: Contract, months: int, on: dt.datetime) -> Prepayment:
    do_submit_prepayment(
        c, months, channel=Procedure.Channel.ONLINE, idempotency_key=f"pp-{c.pk}-{on:%Y%m}",
        received_at=on, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    return c.prepayments.get(month=add_months(on.date().replace(day=1), 1))


def test_the_lump_is_debited_on_the_18th_and_the_prepaid_months_are_not_billed_p8_p10() -> None:
    # Applied for in January 2026: the first debit in March collects January to March (P9).
    c = member_contract(SHOKIBO, 10_000, at(2026, 1))
    cycles(SHOKIBO, dt.date(2026, 3, 1), dt.date(2026, 10, 1))
    # Received on 10 October, by the 20th: November's premium and 11 months ahead (W17: 594円).
    assert prepay(c, 11, at(2026, 10, 10)).discount_yen == 594
    cycles(SHOKIBO, dt.date(2026, 11, 1), dt.date(2027, 11, 1))
    assert billed(c)[-3:] == [
        ("2026-10", 1, 0, 10_000),
        ("2026-11", 12, 0, 120_000),  # November 2026 to October 2027
        ("2027-11", 1, 0, 10_000),  # nothing billed for the prepaid months in between
    ]
    lump = c.bills.get(month=dt.date(2026, 11, 1))
    assert (lump.prepaid_months, lump.status, lump.covers_through) == (
        11,
        "paid",
        month_index(dt.date(2027, 10, 1)),
    )
    assert BillingRun.objects.get(scheme=SHOKIBO, month=dt.date(2026, 11, 1)).debit_on == dt.date(
        2026, 11, 18
    )
    premiums = Posting.objects.filter(contract=c, account=Account.PREMIUMS)
    assert -sum(p.amount_yen for p in premiums) == 10_000 * 23  # January 2026 to November 2027
    journals_balance()


@pytest.fixture
def book() -> tuple[Contract, Contract]:
    """A shokibo contract at 70,000円 prepaying 11 months with the November 2026 debit
    (70,000 × 0.9/1000 × 66 = 4,158円, P12), beside a tosan contract at 200,000円 prepaying 11
    months with the October 2026 debit (11,880円, tosan P23)."""
    shokibo = member_contract(SHOKIBO, 70_000, at(2026, 1), 1, "0001")
    tosan = member_contract(TOSAN, 200_000, at(2026, 1), 2, "0005")
    cycles(SHOKIBO, dt.date(2026, 3, 1), dt.date(2026, 10, 1))
    cycles(TOSAN, dt.date(2026, 3, 1), dt.date(2026, 9, 1))
    assert prepay(shokibo, 11, at(2026, 10, 10)).discount_yen == 4_158
    do_submit_prepayment(
        tosan, 11, channel=Procedure.Channel.ONLINE, idempotency_key="pp-tosan",
        received_at=at(2026, 10, 1), acting_user=tosan.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    cycle(SHOKIBO, dt.date(2026, 11, 1))
    cycle(TOSAN, dt.date(2026, 10, 1))
    return shokibo, tosan


def test_each_scheme_is_closed_and_paid_on_its_own_below_5000_carried_p12(
    book: tuple[Contract, Contract], bank_files: Path
) -> None:
    shokibo, tosan = book
    close = close_discounts(2026, scheme=SHOKIBO, posted_on=dt.date(2027, 3, 31))
    assert close.journal.reference == "discount-close:shokibo:FY2026"
    assert (close.prepayments, close.contracts, close.total_yen) == (1, 1, 4_158)
    assert accrued_unpaid_yen(tosan) == 0  # the tosan prepayment waits for the tosan close
    assert close_discounts(2026, scheme=TOSAN, posted_on=dt.date(2027, 3, 31)).total_yen == 11_880
    payout = pay_discounts(2026, scheme=SHOKIBO, paid_on=dt.date(2027, 6, 15))
    assert (payout.contracts, payout.file) == (0, None)
    assert (payout.carried_contracts, payout.carried_yen, payout.minimum_yen) == (1, 4_158, 5_000)
    tosan_payout = pay_discounts(2026, scheme=TOSAN, paid_on=dt.date(2027, 6, 15))
    assert tosan_payout.file is not None and tosan_payout.file.total_yen == 11_880
    assert tosan_payout.carried_contracts == 0  # the shokibo balance is not the tosan payout's
    # The next year's prepayment brings the running total to 8,316円: paid in June 2028. (The
    # months in between are prepaid, so their runs would bill this contract nothing.)
    assert prepay(shokibo, 11, at(2027, 10, 8)).discount_yen == 4_158
    cycle(SHOKIBO, dt.date(2027, 11, 1))
    assert close_discounts(2027, scheme=SHOKIBO, posted_on=dt.date(2028, 3, 31)).total_yen == 4_158
    paid = pay_discounts(2027, scheme=SHOKIBO, paid_on=dt.date(2028, 6, 15))
    assert (paid.contracts, paid.total_yen, paid.carried_contracts) == (1, 8_316, 0)
    assert paid.file is not None and paid.file.name == "shokibo-prepayment-discount-FY2027.txt"
    _, [item] = transfer_records(bank_files / "outgoing" / paid.file.name)
    assert (item["customer_code1"] + item["customer_code2"]).lstrip("0") == shokibo.number
    assert int(item["amount"]) == 8_316 and item["bank_code"] == "0001"
    assert accrued_unpaid_yen(shokibo) == 0
    journals_balance()


def test_the_commands_close_and_pay_both_schemes_at_once(
    book: tuple[Contract, Contract], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("billing", "close-discounts", "--fiscal-year", "2026")
    call_command("billing", "pay-discounts", "--fiscal-year", "2026", "--paid-on", "2027-06-15")
    out = capsys.readouterr().out
    assert "小規模企業共済 2026年度の前納減額金を確定しました: 前納 1件、契約 1件、4,158円" in out
    assert (
        "経営セーフティ共済 2026年度の前納減額金を確定しました: 前納 1件、契約 1件、11,880円" in out
    )
    assert "小規模企業共済 2026年度の前納減額金の支払を確定しました: 0件 0円" in out
    assert "5,000円未満のため翌年度に繰越し: 1件 4,158円" in out
    assert "総合振込ファイル tosan-prepayment-discount-FY2026.txt: 1件 11,880円" in out
    assert "shokibo-prepayment-discount" not in out  # nobody reached 5,000円: no file
