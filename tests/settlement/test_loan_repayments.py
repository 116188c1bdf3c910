"""Repaying a 共済金 loan (tosan_rules L8–L11): the monthly debit of what falls due, 違約金 on
what is late, premiums taken after 3 months, the whole balance due after 5, paying off early
with its 早期償還手当金, and a cancellation that takes what is owed from the refund (§3.3 [I]).

Loans are lent today (the decision's day), so the months here are counted from it."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyosai.billing.files import outgoing_dir
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account
from kyosai.cancellations.models import Cancellation
from kyosai.core.roles import Role
from kyosai.demo.bank import answer
from kyosai.loans.actions import do_request_payoff, quote_payoff
from kyosai.loans.collection import (
    bill_repayments,
    import_repayment_results,
    review_late_loans,
)
from kyosai.loans.models import Loan, Repayment, RepaymentRun
from kyosai.loans.selectors import loan_view
from kyosai.payouts.models import Payout
from kyosai.procedures.changes import do_submit_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months, month_of
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.settlement.test_kyosaikin_loans import claim, request
from tests.settlement.transfers import journals_balance
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN = Scheme.TOSAN
LOAN = 5_000_000  # 5 years: 54 × 92,592円, the remainder 32円 on the rule's chosen instalment


@pytest.fixture
def loan() -> Loan:
    """A 5,000,000円 共済金 loan lent today on a contract paid 30 months at 100,000円."""
    c = member_contract(TOSAN, 100_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    procedure = claim(c, request(LOAN))
    do_decide(procedure, approve=True, reason_ja="", acting_user=user("suzuki", Role.REVIEWER))
    return Loan.objects.get(contract=c)


def month(n: int) -> dt.date:
    """The n-th month after the lending month (instalment 1 is in month 7)."""
    return add_months(month_of(timezone.localdate()), n)


def debit(loan: Loan, n: int, failing: bool = False) -> RepaymentRun:
    """Run month n's repayment debit and take in the bank's answer."""
    run = bill_repayments(month(n))
    codes = {loan.contract.number: "1"} if failing else {}
    files = [
        (f"result-{path.name}", answer(path.read_bytes(), codes))
        for path in sorted(outgoing_dir().glob(f"tosan-loans-{run.month:%Y%m}-*.txt"))
    ]
    outcomes = import_repayment_results(files, imported_on=run.debit_on)
    assert all(o.imported for o in outcomes), [o.errors for o in outcomes]
    return run


def test_instalments_are_debited_monthly_and_a_failed_one_is_billed_again_with_penalty_l9(
    loan: Loan, bank_files: Path
) -> None:
    first = loan.instalments.get(number=1)
    assert first.month == month(7)
    assert not bill_repayments(month(6)).bills.exists()  # nothing due in the grace period
    run = debit(loan, 7)
    bill = run.bills.get()
    assert (bill.principal_yen, bill.penalty_yen) == (first.principal_yen, 0)
    assert balance_of(loan.contract, Account.LOANS) == LOAN - first.principal_yen
    again = import_repayment_results(
        [(p.name, answer(p.read_bytes(), {})) for p in outgoing_dir().glob("tosan-loans-*")],
        imported_on=run.debit_on,
    )
    assert all(o.imported for o in again) and Repayment.objects.count() == 1  # once only

    failed = debit(loan, 8, failing=True)
    assert failed.bills.get().result_code == "1"
    nine = debit(loan, 9)
    second = loan.instalments.get(number=2)
    late = (nine.debit_on - second.due_on).days
    # 違約金 = 延滞額 × 14.6% × days late / 365, yen rounded down (L9; day basis unconfirmed).
    assert nine.bills.get().penalty_yen == second.principal_yen * 146 * late // 365_000
    assert nine.bills.get().principal_yen == second.principal_yen * 2
    assert loan_view(loan).paid_numbers == {1, 2, 3}
    journals_balance()


def test_three_months_late_is_taken_from_the_premiums_l10(loan: Loan) -> None:
    held = -balance_of(loan.contract, Account.PREMIUMS)
    assert held == 3_000_000 - LOAN // 10  # 30 months less the tenth forfeited
    debit(loan, 7, failing=True)
    due = loan.instalments.get(number=1).due_on
    assert review_late_loans(add_months(due, 2), acting_user=None).taken_from_premiums == ()
    on = add_months(due, 3)
    review = review_late_loans(on, acting_user=None)
    assert review.taken_from_premiums == (loan.contract.number,)
    taken = Repayment.objects.get(source=Repayment.Source.PREMIUMS)
    overdue = [i for i in loan.instalments.all() if add_months(i.due_on, 3) <= on]
    assert taken.principal_yen == sum(i.principal_yen for i in overdue)
    assert taken.penalty_yen == sum(
        i.principal_yen * 146 * (on - i.due_on).days // 365_000 for i in overdue
    )
    after = -balance_of(loan.contract, Account.PREMIUMS)
    assert after == held - taken.principal_yen - taken.penalty_yen
    assert review_late_loans(on, acting_user=None).taken_from_premiums == ()  # once a day
    journals_balance()


def test_five_months_late_with_no_premiums_left_makes_the_whole_balance_due_l10() -> None:
    # 30,000,000 on 3,000,000 of premiums: the tenth takes them all, nothing is left to take.
    c = member_contract(TOSAN, 100_000, at(2024, 5), 3)
    taken_over(TOSAN, dt.date(2026, 10, 1))
    procedure = claim(c, request(30_000_000))
    do_decide(procedure, approve=True, reason_ja="", acting_user=user("suzuki", Role.REVIEWER))
    do_second_approval(
        procedure, confirm=True, reason_ja="", acting_user=user("tanaka", Role.APPROVER)
    )
    big = Loan.objects.get(contract=c)
    assert balance_of(c, Account.PREMIUMS) == 0
    for n in (7, 8, 9, 10, 11, 12):
        run = debit(big, n, failing=True)
        review_late_loans(run.debit_on, acting_user=None)
    big.refresh_from_db()
    assert big.status == Loan.Status.DUE_IN_FULL
    assert not big.repayments.exists()
    whole = bill_repayments(month(13)).bills.get()
    assert whole.principal_yen == 30_000_000 and whole.penalty_yen > 0
    journals_balance()


def test_paying_off_early_earns_the_allowance_paid_out_l11(loan: Loan) -> None:
    # 5-year term: the last instalment is 60 months after the lending month. Paid in full in
    # month 20, 40 months early → 3 whole years: 5,000,000 × 1.11% = 55,500円 (SMRJ's example).
    for n in range(7, 20):
        debit(loan, n)
    payoff_day = month(20)  # the 1st: before the 5th, so this month's debit takes it
    quote = quote_payoff(loan, on=payoff_day)
    assert quote.debit_month == month(20)
    assert quote.allowance is not None and quote.allowance.amount_yen == 55_500
    procedure = do_request_payoff(
        loan, channel=Procedure.Channel.ONLINE, idempotency_key="payoff",
        received_at=timezone.make_aware(dt.datetime.combine(payoff_day, dt.time(10))),
        acting_user=loan.contract.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    run = debit(loan, 20)
    assert run.bills.get().principal_yen == quote.balance_yen
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID and balance_of(loan.contract, Account.LOANS) == 0
    payout = Payout.objects.get(kind=Payout.Kind.ALLOWANCE)
    assert (payout.amount_yen, payout.procedure) == (55_500, procedure)
    journals_balance()


def test_a_cancellation_takes_the_loan_from_what_it_pays_and_the_rest_stays_due(
    loan: Loan, bank_files: Path
) -> None:
    # 30 months, 任意 90 % of 2,500,000 (3,000,000 less the tenth of 5,000,000): 2,250,000円,
    # all of it taken for the 5,000,000円 owed; 2,750,000円 stays due at once.
    c = loan.contract
    procedure = do_submit_cancellation(
        c, channel=Procedure.Channel.ONLINE, idempotency_key="cancel",
        received_at=timezone.now(), acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    assert procedure.amount_yen == 0
    do_decide(procedure, approve=True, reason_ja="", acting_user=user("sato", Role.REVIEWER))
    cancellation = Cancellation.objects.get(contract=c)
    assert (cancellation.refund_yen, cancellation.offset_yen, cancellation.net_yen) == (
        2_250_000, 2_250_000, 0,
    )  # fmt: skip
    loan.refresh_from_db()
    assert loan.status == Loan.Status.DUE_IN_FULL
    assert balance_of(c, Account.LOANS) == LOAN - 2_250_000
    assert not Payout.objects.filter(contract=c, kind=Payout.Kind.REFUND).exists()
    journals_balance()


def test_the_billing_commands_carry_repayments(
    loan: Loan, capsys: pytest.CaptureFixture[str]
) -> None:
    seven = month(7)
    call_command("billing", "run", "--scheme", "tosan", "--month", f"{seven:%Y-%m}")
    out = capsys.readouterr().out
    assert f"償還金の口座振替: 1件 {loan.instalments.get(number=1).principal_yen:,}円" in out
    [request_file] = outgoing_dir().glob(f"tosan-loans-{seven:%Y%m}-*.txt")
    result = request_file.with_name(f"result-{request_file.name}")
    result.write_bytes(answer(request_file.read_bytes(), {}))
    call_command("billing", "import", str(result), "--on", f"{seven:%Y-%m}-28")
    assert f"{result.name}: 償還金の振替結果を取り込みました" in capsys.readouterr().out
    assert Repayment.objects.filter(loan=loan, source=Repayment.Source.DEBIT).count() == 1
