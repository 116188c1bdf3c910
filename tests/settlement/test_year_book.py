"""A year on a small mixed book, balancing to the yen.

2026 is run month by month through the real functions: each scheme's premium run answered by the
pretend bank, the loans' repayment run and its answer, the review of late loans, and every payout
carried by a 総合振込 file that is made and confirmed. At the end the ledger is read back against
figures worked out here from the rules (tosan_rules.md, shokibo_rules.md), not from the output.

The book, each member taken over from the previous system as paid through December 2025:

    佐藤   tosan    20,000円  joined 2022-04  pays every month
    鈴木   shokibo  30,000円  joined 2021-04  pays every month
    高橋   shokibo  10,000円  joined 2023-04  June's debit fails (re-billed in August), so does December's
    田中   tosan   100,000円  joined 2023-04  prepays 11 months with January's debit
    伊藤   tosan   100,000円  joined 2024-01  borrows after a customer's 破産, repays from August
    渡辺   tosan    50,000円  joined 2023-10  cancels in April
    小林   shokibo  10,000円  joined 2024-01  closes the business in April and claims 共済金A
"""

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pytest
from django.db.models import Sum
from django.utils import timezone

from kyosai.billing.discounts import close_discounts, pay_discounts
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, BillingState, Posting
from kyosai.contracts.models import Contract
from kyosai.core.roles import Role
from kyosai.loans.actions import do_submit_kyosaikin_loan
from kyosai.loans.collection import LateReview, review_late_loans
from kyosai.loans.models import Loan, RepaymentRun
from kyosai.loans.selectors import loan_view
from kyosai.payouts.actions import do_confirm_transfer_file
from kyosai.payouts.models import Payout, TransferFile
from kyosai.procedures.changes import do_submit_cancellation, do_submit_prepayment
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.events import BenefitEvent
from tests.billing.book import JST, at, member_contract, taken_over
from tests.billing.test_cycle import billed, cycle
from tests.settlement.test_benefits import claim as claim_benefit
from tests.settlement.test_benefits import pay_and_confirm
from tests.settlement.test_kyosaikin_loans import EVIDENCE, request
from tests.settlement.test_loan_repayments import debit
from tests.settlement.transfers import journals_balance, transfer_records
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN, SHOKIBO = Scheme.TOSAN, Scheme.SHOKIBO
ONLINE = Procedure.Channel.ONLINE
INSTALMENT = 50_000  # 2,700,000円 over 54 instalments (L8: under 5,000万円, 5 years)


@pytest.fixture(autouse=True)
def lending_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loans are lent on the day staff decide (timezone.localdate()). The clock reads that day,
    13 January 2026, so that the year is 2026 whatever day the suite runs, and the repayment
    helper (test_loan_repayments.debit) counts its months from the January loan."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 1, 13, 10, tzinfo=JST))


class Premiums(NamedTuple):
    """A member's premiums over the ledger's life, and where they went."""

    received: int  # taken over, then debited
    forfeited: int = 0  # the tenth of a 共済金 loan (L7)
    taken: int = 0  # applied to a loan 3 months late (L10)
    closed: int = 0  # by a cancellation or a 共済金 determination


def premiums_of(c: Contract) -> Premiums:
    """The member's PREMIUMS postings by the kind of journal that made them."""
    moved = dict(
        Posting.objects.filter(contract=c, account=Account.PREMIUMS)
        .values_list("journal__kind")
        .annotate(total=Sum("amount_yen"))
    )
    assert set(moved) <= {"opening", "result", "loan", "repayment", "cancellation", "benefit"}
    return Premiums(
        received=-(moved.get("opening", 0) + moved.get("result", 0)),
        forfeited=moved.get("loan", 0),
        taken=moved.get("repayment", 0),
        closed=moved.get("cancellation", 0) + moved.get("benefit", 0),
    )


def month_end(
    n: int, loan: Loan, failing: Contract | None = None, repayment_fails: bool = False
) -> RepaymentRun:
    """The debits of month `n` of 2026: both premium runs answered by the pretend bank (every
    debit paid but `failing`'s, 資金不足), the repayment run and its answer, and the review of
    late loans, which never finds one 3 months late (L10)."""
    for scheme in Scheme:
        cycle(scheme, dt.date(2026, n, 1), {failing.number: "1"} if failing else {})
    run = debit(loan, n - 1, failing=repayment_fails)  # months since the January loan
    assert review_late_loans(run.debit_on, acting_user=None) == LateReview((), ())
    return run


def test_a_year_on_a_mixed_book_balances_to_the_yen(bank_files: Path) -> None:
    sato = member_contract(TOSAN, 20_000, at(2022, 4), 1)
    suzuki = member_contract(SHOKIBO, 30_000, at(2021, 4), 2, "0005")
    takahashi = member_contract(SHOKIBO, 10_000, at(2023, 4), 3, "0009")
    tanaka = member_contract(TOSAN, 100_000, at(2023, 4), 4, "0005")
    ito = member_contract(TOSAN, 100_000, at(2024, 1), 5)
    watanabe = member_contract(TOSAN, 50_000, at(2023, 10), 6, "0009")
    kobayashi = member_contract(SHOKIBO, 10_000, at(2024, 1), 7)
    for scheme in Scheme:
        taken_over(scheme, dt.date(2025, 12, 1))
    reviewer, approver = user("kimura", Role.REVIEWER), user("hayashi", Role.APPROVER)

    # January. 田中 prepays by the 5th, so January's debit takes 12 months (tosan P18); its
    # 前納減額金 is 100,000 × 0.9/1000 × (1 + 2 + … + 11) = 5,940円 (P21, as P23's example).
    do_submit_prepayment(
        tanaka, 11, channel=ONLINE, idempotency_key="tanaka-prepay",
        received_at=at(2026, 1, 5), acting_user=tanaka.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    # 伊藤's customer filed for 破産 on 15 December 2025 owing 2,700,000円: less than ten times
    # the 2,400,000円 paid in 24 months, so that is the loan (tosan §4.3). One reviewer lends it
    # on the 13th (below the 10,000,000円 of 二人承認), and it is transferred on the 15th.
    asked = do_submit_kyosaikin_loan(
        ito, request(2_700_000, insolvency_on=dt.date(2025, 12, 15)), EVIDENCE, channel=ONLINE,
        idempotency_key="ito-loan", received_at=at(2026, 1, 7),
        acting_user=ito.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    do_decide(asked, approve=True, reason_ja="", acting_user=reviewer)
    loan = Loan.objects.get(contract=ito)
    assert (loan.lent_on, loan.principal_yen, loan.forfeited_yen) == (
        dt.date(2026, 1, 13), 2_700_000, 270_000,
    )  # fmt: skip
    # L8: 6 months' grace, then 54 equal instalments from August (the 7th month).
    assert [(i.month, i.principal_yen) for i in loan.instalments.all()[:2]] == [
        (dt.date(2026, 8, 1), INSTALMENT), (dt.date(2026, 9, 1), INSTALMENT),
    ]  # fmt: skip
    [lent] = pay_and_confirm(dt.date(2026, 1, 15), approver, bank_files)
    assert int(lent["amount"]) == 2_700_000
    month_end(1, loan)
    assert billed(tanaka) == [("2026-01", 12, 0, 1_200_000)]

    month_end(2, loan)
    month_end(3, loan)
    close = close_discounts(2025, scheme=TOSAN, posted_on=dt.date(2026, 3, 31))
    assert (close.contracts, close.total_yen) == (1, 5_940)

    # April. 渡辺 cancels on the 10th with 30 months paid (27 taken over, January to March):
    # 1,500,000 × 90 %, the 任意解約 rate of 30–35 months (施行令4条, §9 example 1) = 1,350,000円.
    cancelled = do_submit_cancellation(
        watanabe, channel=ONLINE, idempotency_key="watanabe-cancel",
        received_at=at(2026, 4, 10), acting_user=watanabe.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    assert cancelled.amount_yen == 1_350_000
    do_decide(cancelled, approve=True, reason_ja="", acting_user=reviewer)
    [refund] = pay_and_confirm(dt.date(2026, 4, 15), approver, bank_files)
    assert int(refund["amount"]) == 1_350_000
    month_end(4, loan)

    # May. 小林 closed the business on 30 April after 28 months (24 taken over, January to
    # April): under 36 months 共済金A returns the premiums, 280,000円 (法9条3項1号, W11).
    claimed = claim_benefit(
        kobayashi, BenefitEvent.CLOSURE, dt.date(2026, 4, 30), dt.date(2026, 5, 8)
    )
    assert claimed.amount_yen == 280_000
    do_decide(claimed, approve=True, reason_ja="", acting_user=reviewer)
    [benefit] = pay_and_confirm(dt.date(2026, 5, 15), approver, bank_files)
    assert int(benefit["amount"]) == 280_000
    month_end(5, loan)

    # June. 田中's 5,940円 reached the 5,000円 minimum at the March close: paid in June (P22).
    june = pay_discounts(2025, scheme=TOSAN, paid_on=dt.date(2026, 6, 15))
    assert june.file is not None
    _, [discount] = transfer_records(bank_files / "outgoing" / june.file.name)
    assert int(discount["amount"]) == 5_940
    do_confirm_transfer_file(
        june.file, returned=set(), confirmed_on=dt.date(2026, 6, 15), acting_user=approver
    )
    month_end(6, loan, failing=takahashi)

    month_end(7, loan)
    month_end(8, loan)
    # shokibo P13: the June miss is re-billed in August, the first even month 2 months on.
    assert ("2026-08", 1, 1, 20_000) in billed(takahashi)
    month_end(9, loan, repayment_fails=True)  # instalment 2 is not paid
    october = month_end(10, loan)
    # It is billed again with October's, and its 違約金: 14.6 % a year for the days late, on a
    # 365-day year, yen rounded down (L9): 29 days from 28 September (the 27th is a Sunday).
    second = loan.instalments.get(number=2)
    assert (october.debit_on - second.due_on).days == 29
    penalty = INSTALMENT * 146 * 29 // 365_000
    assert penalty == 580
    assert (october.bills.get().principal_yen, october.bills.get().penalty_yen) == (
        2 * INSTALMENT, penalty,
    )  # fmt: skip
    month_end(11, loan)
    month_end(12, loan, failing=takahashi)  # still owed at the year's end

    # Every journal sums to zero.
    journals_balance()

    # What the bank collected from each member in 2026 (the paid bills), then each member's
    # premiums over the ledger's life: every yen received is held, forfeited or closed.
    debited = {
        sato: 20_000 * 12, suzuki: 30_000 * 12, takahashi: 10_000 * 11,  # December unpaid
        tanaka: 100_000 * 12, ito: 100_000 * 12, watanabe: 50_000 * 3, kobayashi: 10_000 * 4,
    }  # fmt: skip
    for c, yen in debited.items():
        assert c.bills.paid().aggregate(s=Sum("amount_yen"))["s"] == yen, c
    book = {  # months taken over (to December 2025) + months debited in 2026
        sato: Premiums(20_000 * (45 + 12)),
        suzuki: Premiums(30_000 * (57 + 12)),
        takahashi: Premiums(10_000 * (33 + 11)),
        tanaka: Premiums(100_000 * (33 + 12)),
        ito: Premiums(100_000 * (24 + 12), forfeited=270_000),  # a tenth of 2,700,000 (L7)
        watanabe: Premiums(50_000 * (27 + 3), closed=50_000 * 30),  # all of it, April
        kobayashi: Premiums(10_000 * (24 + 4), closed=10_000 * 28),  # all of it, May
    }
    held = {c: p.received - p.forfeited - p.taken - p.closed for c, p in book.items()}
    for c, expected in book.items():
        assert premiums_of(c) == expected, c
        assert -balance_of(c, Account.PREMIUMS) == held[c], c
    collected = sum(debited.values())
    opening = sum(p.received for p in book.values()) - collected  # taken over

    # The loan: principal less what was repaid, instalments 1 to 5 (August to December).
    repaid = 5 * INSTALMENT
    assert loan_view(loan).paid_numbers == {1, 2, 3, 4, 5}
    assert sum(r.principal_yen for r in loan.repayments.all()) == repaid
    assert balance_of(ito, Account.LOANS) == loan.principal_yen - repaid == 2_450_000

    # Every payout was carried by a confirmed file: nothing is owed to anyone.
    assert not TransferFile.objects.filter(confirmed_at=None).exists()
    assert set(Payout.objects.values_list("status", flat=True)) == {Payout.Status.PAID}
    for c in book:
        assert balance_of(c, Account.PAYABLE) == 0
        assert balance_of(c, Account.DISCOUNT_PAYABLE) == 0
    # The ledger's arrears are the contracts' own: 高橋's December, re-billed next February.
    for c in book:
        arrears = BillingState.objects.get(pk=c.pk).arrears_yen
        assert balance_of(c, Account.ARREARS) == arrears == (10_000 if c == takahashi else 0)

    # Money in = money out + balances. The bank received the year's premiums, repayments and
    # 違約金, and paid the loan, the refund, the 共済金 and the 前納減額金.
    paid_out = 2_700_000 + 1_350_000 + 280_000 + 5_940
    bank = Posting.objects.filter(account=Account.BANK)
    assert int(bank.filter(amount_yen__gt=0).aggregate(s=Sum("amount_yen"))["s"]) == (
        collected + repaid + penalty
    )
    assert -int(bank.filter(amount_yen__lt=0).aggregate(s=Sum("amount_yen"))["s"]) == paid_out
    balances = {
        Account(account): total
        for account, total in Posting.objects.values_list("account")
        .annotate(total=Sum("amount_yen"))
        .order_by()
    }
    assert balances == {
        Account.BANK: collected + repaid + penalty - paid_out,
        Account.OPENING: opening,  # premiums paid before the ledger began (taken over)
        Account.PREMIUMS: -sum(held.values()),
        Account.ARREARS: 10_000,
        Account.ARREARS_OFFSET: -10_000,
        Account.LOANS: 2_700_000 - repaid,
        Account.FORFEITED: -270_000,
        Account.PENALTY_INCOME: -penalty,
        # 渡辺's 10 % kept; 小林's 共済金 paid back exactly what was held.
        Account.CLOSING_DIFFERENCE: -150_000,
        Account.DISCOUNT_EXPENSE: 5_940,
        Account.DISCOUNT_PAYABLE: 0,
        Account.PAYABLE: 0,
    }
    assert balances[Account.BANK] == -sum(
        total for account, total in balances.items() if account != Account.BANK
    )
