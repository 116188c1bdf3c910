"""契約者貸付 (shokibo_rules §5) end to end: the live limit on what was actually paid, the
request (kind, amount, term, the kind's facts and documents), the staff decision (two people
above the threshold), the 総合振込 file and its confirmation, the repayments by shokibo's monthly
debit on the 18th with the next period's interest and 延滞利息, paying off early, and the loan
taken from a cancellation's refund or a benefit.

The contract joined in 2016-11 and has paid 120 months at 50,000円 (taken over through 2026-10):
premiums 6,000,000円, 8割 → a limit of 4,800,000円. Requests are received on 2026-11-10 (基準日
2026-10-31); loans are lent on the decision's day (today), so months count from it."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from kyosai.benefits.actions import ClaimFacts, do_submit_benefit_claim
from kyosai.benefits.models import Determination
from kyosai.billing.files import outgoing_dir
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal, Posting
from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role
from kyosai.demo.bank import answer
from kyosai.loans.actions import AttachmentFile, do_request_payoff, quote_payoff
from kyosai.loans.collection import bill_repayments, import_repayment_results, review_late_loans
from kyosai.loans.contract_loan import (
    ContractLoanRequest,
    contract_loan_limits,
    do_submit_contract_loan,
    quote_contract_loan,
)
from kyosai.loans.models import Loan, Repayment, RepaymentRun
from kyosai.payouts.actions import do_confirm_transfer_file, do_make_transfer_file
from kyosai.payouts.models import Payout
from kyosai.procedures.changes import do_submit_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months, debit_date, month_of, next_business_day
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.events import BenefitEvent
from kyosai.rules.shokibo.loan_conditions import (
    ConfirmingBody,
    EmergencyFacts,
    IllnessDisasterCause,
    IllnessDisasterFacts,
    SalesFallGround,
)
from kyosai.rules.shokibo.loans import LoanKind
from tests.billing.book import at, member_contract, taken_over
from tests.settlement.transfers import journals_balance, transfer_records
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
SHOKIBO = Scheme.SHOKIBO
APPLIED_AT = at(2026, 11, 10)
W16 = ContractLoanRequest(LoanKind.GENERAL, 3_000_000, 24)
CERTIFICATE = [AttachmentFile("認定書.pdf", "application/pdf", b"%PDF-1.4 certificate")]
SALES_DOWN_10 = EmergencyFacts(
    ground=SalesFallGround.YEAR_ON_YEAR, confirmed_by=ConfirmingBody.CHAMBER,
    confirmer_name="東京商工会議所", expected_to_fall=True, period_months=3,
    period_end_month=dt.date(2026, 10, 1), sales_yen=9_000_000, compared_sales_yen=10_000_000,
)  # fmt: skip


def paid_120_months(monthly: int = 50_000, n: int = 0) -> Contract:
    c = member_contract(SHOKIBO, monthly, at(2016, 11), n)
    taken_over(SHOKIBO, dt.date(2026, 10, 1))
    return c


@pytest.fixture
def contract() -> Contract:
    return paid_120_months()


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


@pytest.fixture
def approver() -> User:
    return user("tanaka", Role.APPROVER)


def apply(
    c: Contract,
    request: ContractLoanRequest,
    attachments: list[AttachmentFile] | None = None,
    key: str = "loan",
    when: dt.datetime = APPLIED_AT,
) -> Procedure:
    return do_submit_contract_loan(
        c, request, attachments or [], channel=Procedure.Channel.ONLINE, idempotency_key=key,
        received_at=when, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def lend(c: Contract, request: ContractLoanRequest, reviewer: User, **kw: object) -> Loan:
    procedure = apply(c, request, **kw)  # type: ignore[arg-type]
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    return Loan.objects.get(procedure=procedure)


def month(n: int) -> dt.date:
    """The n-th month after the lending month (today's)."""
    return add_months(month_of(timezone.localdate()), n)


def debit(loan: Loan, n: int, failing: bool = False) -> RepaymentRun:
    """Run shokibo's month-n repayment debit and take in the bank's answer."""
    run = bill_repayments(month(n), SHOKIBO)
    codes = {loan.contract.number: "1"} if failing else {}
    files = [
        (f"result-{path.name}", answer(path.read_bytes(), codes))
        for path in sorted(outgoing_dir().glob(f"shokibo-loans-{run.month:%Y%m}-*.txt"))
    ]
    outcomes = import_repayment_results(files, imported_on=run.debit_on)
    assert all(o.imported for o in outcomes), [o.errors for o in outcomes]
    return run


def postings(reference: str) -> set[tuple[str, int | None, int]]:
    journal = Journal.objects.get(reference=reference)
    return {(p.account, p.contract_id, p.amount_yen) for p in journal.postings.all()}


def interest_earned() -> int:
    return -int(
        Posting.objects.filter(account=Account.LOAN_INTEREST).aggregate(s=Sum("amount_yen"))["s"]
        or 0
    )


def test_the_limit_counts_what_was_paid_up_to_the_base_date_l1(contract: Contract) -> None:
    limits = contract_loan_limits(contract, APPLIED_AT.date())
    assert (limits.base_on, limits.premiums_yen, limits.months) == (
        dt.date(2026, 10, 31), 6_000_000, 120,
    )  # fmt: skip
    # 6,000,000 × 8割 (120 months, provisional steps) = 4,800,000; within each kind's range.
    assert {k: q.limit_yen for k, q in limits.by_kind.items()} == dict.fromkeys(LoanKind, 4_800_000)
    # Months paid ahead of the 基準日 are not counted (§5.3: prepaid months excluded).
    ahead = member_contract(SHOKIBO, 50_000, at(2016, 11), 2)
    taken_over(SHOKIBO, dt.date(2027, 3, 1))
    assert contract_loan_limits(ahead, APPLIED_AT.date()).premiums_yen == 6_000_000


def test_under_12_months_by_the_base_date_nothing_is_lent_s53(reviewer: User) -> None:
    c = member_contract(SHOKIBO, 50_000, at(2025, 12), 3)
    taken_over(SHOKIBO, dt.date(2026, 10, 1))  # 11 months: 2025-12 … 2026-10
    assert {q.limit_yen for q in contract_loan_limits(c, APPLIED_AT.date()).by_kind.values()} == {0}
    with pytest.raises(ProcedureError, match="今は一般貸付けをお借りいただけません"):
        apply(c, ContractLoanRequest(LoanKind.GENERAL, 100_000, 6))
    assert not Procedure.objects.filter(kind=Procedure.Kind.CONTRACT_LOAN).exists()


def test_w16_request_decision_transfer_repayments_and_balance(
    contract: Contract, reviewer: User, approver: User, bank_files: Path
) -> None:
    c = contract
    today = timezone.localdate()
    # W16 [I]: 300万 over 24 months at 1.5% (L6): 750,000 every 6 months (L5), interest in
    # advance 22,500 / 16,875 / 11,250 / 5,625.
    quote = quote_contract_loan(c, W16, applied_on=APPLIED_AT.date(), lent_on=today)
    assert quote.allowed and (quote.first_interest_yen, quote.paid_out_yen) == (22_500, 2_977_500)
    procedure = apply(c, W16)
    assert apply(c, W16) == procedure  # a double submit makes one procedure
    assert (procedure.status, procedure.amount_yen) == (Procedure.Status.CHECKING, 3_000_000)
    assert Procedure.objects.filter(kind=Procedure.Kind.CONTRACT_LOAN).count() == 1

    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)  # below 500万: one
    loan = Loan.objects.get(procedure=procedure)
    assert (loan.kind, loan.principal_yen, loan.term_months, loan.interest_yen, loan.lent_on) == (
        "general", 3_000_000, 24, 22_500, today,
    )  # fmt: skip
    schedule = [
        (i.number, i.month, i.due_on, i.principal_yen, i.interest_yen)
        for i in loan.instalments.all()
    ]
    assert schedule == [
        (n + 1, month(6 * (n + 1)), debit_date(SHOKIBO, month(6 * (n + 1))), 750_000, interest)
        for n, interest in enumerate([16_875, 11_250, 5_625, 0])
    ]
    assert all(due.day >= 18 for _, _, due, _, _ in schedule)  # shokibo's 振替日 (18th or later)
    assert postings(f"loan:{procedure.pk}") == {
        (Account.LOANS, c.pk, 3_000_000),
        (Account.LOAN_INTEREST, None, -22_500),
        (Account.PAYABLE, c.pk, -2_977_500),
    }
    paid_at_drawdown = Repayment.objects.get(loan=loan)
    assert (paid_at_drawdown.source, paid_at_drawdown.interest_yen) == ("payout", 22_500)

    # Disbursement: the 総合振込 file carries the loan less its first interest; confirmed, the
    # member's procedure is done and nothing stays payable.
    pay_on = next_business_day(today)
    file = do_make_transfer_file(pay_on=pay_on, acting_user=approver)
    _, [item] = transfer_records(bank_files / "outgoing" / file.name)
    assert int(item["amount"]) == 2_977_500
    do_confirm_transfer_file(file, returned=set(), confirmed_on=pay_on, acting_user=approver)
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE
    assert balance_of(c, Account.PAYABLE) == 0 and Payout.objects.get().status == "paid"

    # Repayments: shokibo's run in the instalment months only, principal and the next interest.
    assert not bill_repayments(month(5), SHOKIBO).bills.exists()
    for n, (principal, interest) in enumerate(
        [(750_000, 16_875), (750_000, 11_250), (750_000, 5_625), (750_000, 0)], start=1
    ):
        run = debit(loan, 6 * n)
        assert run.debit_on == debit_date(SHOKIBO, month(6 * n))
        bill = run.bills.get()
        assert (bill.principal_yen, bill.interest_yen, bill.penalty_yen) == (principal, interest, 0)
        assert balance_of(c, Account.LOANS) == 3_000_000 - 750_000 * n
        if n < 4:
            assert not bill_repayments(month(6 * n + 1), SHOKIBO).bills.exists()
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    assert interest_earned() == 56_250  # W16's total
    assert not RepaymentRun.objects.filter(scheme=Scheme.TOSAN).exists()
    journals_balance()


def test_a_failed_debit_is_billed_again_with_its_interest_and_late_interest_l6(
    contract: Contract, reviewer: User
) -> None:
    loan = lend(contract, W16, reviewer)
    first = loan.instalments.get(number=1)
    assert debit(loan, 6, failing=True).bills.get().result_code == "1"
    # The tosan 3- and 5-month steps do not apply to shokibo loans.
    review = review_late_loans(add_months(first.due_on, 6), acting_user=None)
    assert (review.taken_from_premiums, review.due_in_full) == ((), ())
    seven = debit(loan, 7)
    bill = seven.bills.get()
    late = (seven.debit_on - first.due_on).days
    # 延滞利息 = 750,000 × 14.6% × days late / 365, yen rounded down (L6; day basis inferred).
    assert (bill.principal_yen, bill.interest_yen, bill.penalty_yen) == (
        750_000, 16_875, 750_000 * 146 * late // 365_000,
    )  # fmt: skip
    assert bill.penalty_yen > 0
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAYING and not loan.repayments.filter(source="premiums")
    assert balance_of(contract, Account.LOANS) == 2_250_000
    journals_balance()


def test_paying_off_on_a_repayment_month_owes_no_further_interest(
    contract: Contract, reviewer: User
) -> None:
    loan = lend(contract, W16, reviewer)
    debit(loan, 6)
    quote = quote_payoff(loan, on=month(12))  # the 1st: this month's debit takes it
    assert (quote.debit_month, quote.balance_yen, quote.interest_yen, quote.penalty_yen) == (
        month(12), 2_250_000, 0, 0,
    )  # fmt: skip
    assert not quote.earns_allowance and quote.allowance is None  # tosan's L11 only
    procedure = do_request_payoff(
        loan, channel=Procedure.Channel.ONLINE, idempotency_key="payoff",
        received_at=timezone.make_aware(dt.datetime.combine(month(12), dt.time(10))),
        acting_user=contract.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    bill = debit(loan, 12).bills.get()
    # The whole balance, without the 11,250 of a next period that will not run.
    assert (bill.principal_yen, bill.interest_yen) == (2_250_000, 0)
    loan.refresh_from_db()
    procedure.refresh_from_db()
    assert loan.status == Loan.Status.REPAID and procedure.status == Procedure.Status.DONE
    assert procedure.events.last().message == "全額を償還いただきました。"  # type: ignore[union-attr]
    assert interest_earned() == 22_500 + 16_875
    journals_balance()


def test_an_emergency_loan_needs_its_fall_in_sales_and_its_certificate_l8(
    contract: Contract, reviewer: User
) -> None:
    small_fall = dataclasses.replace(SALES_DOWN_10, sales_yen=9_600_000)  # 4%
    request = ContractLoanRequest(LoanKind.EMERGENCY, 3_000_000, 36, small_fall)
    quote = quote_contract_loan(
        contract, request, applied_on=APPLIED_AT.date(), lent_on=APPLIED_AT.date()
    )
    assert [r.code for r in quote.reasons] == ["sales_yen"] and not quote.allowed
    with pytest.raises(ProcedureError, match="売上高の減少は4%で、5%に届きません"):
        apply(contract, request, CERTIFICATE)
    good = dataclasses.replace(request, conditions=SALES_DOWN_10)
    with pytest.raises(ProcedureError, match="売上高の減少を確認した書類を添付してください"):
        apply(contract, good)
    with pytest.raises(ProcedureError, match="選べる貸付期間は36か月"):  # ≤500万: 36 (L8)
        apply(contract, dataclasses.replace(good, term_months=60), CERTIFICATE)
    assert not Procedure.objects.filter(kind=Procedure.Kind.CONTRACT_LOAN).exists()

    procedure = apply(contract, good, CERTIFICATE)
    assert procedure.attachments.get().name == "認定書.pdf"
    assert ["確認した団体", "東京商工会議所（商工会議所）"] in procedure.payload["facts"]
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    loan = Loan.objects.get(procedure=procedure)
    # 0.9% (L6): 3,000,000 × 0.9% × 6/12 = 13,500 in advance; 6 × 500,000 over 36 months.
    assert (loan.kind, loan.interest_yen) == ("emergency", 13_500)
    assert [i.principal_yen for i in loan.instalments.all()] == [500_000] * 6
    assert Payout.objects.get(procedure=procedure).amount_yen == 2_986_500
    # Every kind now counts the loan: 4,800,000 − 3,000,000 left (L1, L3).
    limits = contract_loan_limits(contract, APPLIED_AT.date())
    assert {k: q.limit_yen for k, q in limits.by_kind.items()} == dict.fromkeys(LoanKind, 1_800_000)
    journals_balance()


def test_an_illness_loan_applied_for_too_late_is_refused_l9(contract: Contract) -> None:
    late = IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, dt.date(2026, 5, 1), 10)
    request = ContractLoanRequest(LoanKind.ILLNESS_DISASTER, 1_000_000, 36, late)
    with pytest.raises(ProcedureError, match="入院した日から6か月以内"):
        apply(contract, request, CERTIFICATE)
    in_time = dataclasses.replace(
        request, conditions=dataclasses.replace(late, event_on=dt.date(2026, 6, 1))
    )
    assert apply(contract, in_time, CERTIFICATE).status == Procedure.Status.CHECKING


def test_above_the_threshold_two_people_decide_and_one_request_waits_at_a_time(
    reviewer: User, approver: User
) -> None:
    c = paid_120_months(70_000, 4)  # 8,400,000 × 8割 = 6,720,000
    procedure = apply(c, ContractLoanRequest(LoanKind.GENERAL, 6_000_000, 60))
    with pytest.raises(ProcedureError, match="確認中のお手続き"):
        apply(c, ContractLoanRequest(LoanKind.GENERAL, 500_000, 12), key="second")
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert not Loan.objects.exists()  # 承認待ち: 6,000,000 ≥ 5,000,000 (unconfirmed threshold)
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)
    loan = Loan.objects.get()
    assert loan.instalments.count() == 10 and loan.term_label == "60か月"


def test_other_schemes_and_ended_contracts_cannot_borrow(contract: Contract) -> None:
    tosan = member_contract(Scheme.TOSAN, 50_000, at(2024, 5), 5)
    with pytest.raises(ProcedureError, match="小規模企業共済の制度"):
        apply(tosan, W16)
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.ENDED)
    contract.refresh_from_db()
    with pytest.raises(ProcedureError, match="終了しているため"):
        apply(contract, W16)


def test_a_cancellation_takes_the_loan_from_the_refund(contract: Contract, reviewer: User) -> None:
    loan = lend(contract, W16, reviewer)
    procedure = do_submit_cancellation(
        contract, channel=Procedure.Channel.ONLINE, idempotency_key="cancel",
        received_at=timezone.now(), acting_user=contract.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    cancellation = Cancellation.objects.get(contract=contract)
    assert cancellation.offset_yen == 3_000_000  # nothing late, no interest fallen due
    assert cancellation.net_yen == cancellation.refund_yen - 3_000_000
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID and balance_of(contract, Account.LOANS) == 0
    assert loan.repayments.get(source=Repayment.Source.REFUND).principal_yen == 3_000_000
    journals_balance()


def test_a_benefit_takes_the_loan_from_the_kyosaikin_r2(
    contract: Contract, reviewer: User, approver: User
) -> None:
    loan = lend(contract, W16, reviewer)
    facts = ClaimFacts(BenefitEvent.CLOSURE, timezone.localdate(), dt.date(1970, 4, 1))
    procedure = do_submit_benefit_claim(
        contract, facts, channel=Procedure.Channel.ONLINE, idempotency_key="benefit",
        received_at=timezone.now(), acting_user=contract.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)
    d = Determination.objects.get(contract=contract)
    assert d.loan_offset_yen == 3_000_000
    assert d.paid_now_yen == d.lump_part_yen == d.benefit_yen - 3_000_000
    assert Payout.objects.get(procedure=procedure).amount_yen == d.benefit_yen - 3_000_000
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID and balance_of(contract, Account.LOANS) == 0
    taken = loan.repayments.get(source=Repayment.Source.BENEFIT)
    assert taken.principal_yen == 3_000_000
    assert (Account.LOANS, contract.pk, -3_000_000) in postings(f"benefit:{contract.number}")
    journals_balance()
