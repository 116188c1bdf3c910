"""一時貸付金 (tosan 法10条, tosan_rules §5): the ceiling on the real history, interest paid in
advance off the payout, one year and one sum, renewal with the same, a smaller or a larger
amount, and the premiums taken 5 months after an unpaid due date (T6)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role
from kyosai.loans.collection import bill_repayments, review_late_loans
from kyosai.loans.models import Loan, Repayment
from kyosai.loans.temporary import do_submit_temporary_loan, quote_temporary_loan
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.rules.calendar import add_months, debit_date, month_of
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.settlement.transfers import journals_balance
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN = Scheme.TOSAN
NOW = at(2026, 11, 10)
CEILING = 1_800_000  # tosan_rules §9 example 5: 2,400,000 × 80% × 95% = 1,824,000 → 5万円 units
INTEREST = 16_200  # 1,800,000 × 0.9% [I: a year's interest as principal × rate]


@pytest.fixture
def example_5() -> Contract:
    """100,000円 × 24 months paid (2024-11 to 2026-10)."""
    c = member_contract(TOSAN, 100_000, at(2024, 11))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    return c


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


def request(
    c: Contract,
    amount: int | None,
    *,
    renewal: bool = False,
    key: str = "t",
    when: dt.datetime = NOW,
) -> Procedure:
    return do_submit_temporary_loan(
        c, amount_yen=amount, renewal=renewal, channel=Procedure.Channel.ONLINE,
        idempotency_key=key, received_at=when, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def lend(c: Contract, amount: int | None, reviewer: User, **kw: object) -> Loan:
    procedure = request(c, amount, **kw)  # type: ignore[arg-type]
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    return Loan.objects.get(procedure=procedure)


def test_example_5_lends_the_ceiling_with_a_years_interest_taken_off_the_payout(
    example_5: Contract, reviewer: User
) -> None:
    quote = quote_temporary_loan(example_5, amount_yen=None, renewal=False, on=NOW.date())
    assert (quote.available, quote.ceiling_yen, quote.interest_yen) == (True, CEILING, INTEREST)
    loan = lend(example_5, None, reviewer)
    lent_on = timezone.localdate()
    assert (loan.kind, loan.principal_yen, loan.interest_yen, loan.term_years) == (
        "temporary", CEILING, INTEREST, 1,
    )  # fmt: skip
    [due] = loan.instalments.all()  # T4: one sum, a year on
    assert due.month == add_months(month_of(lent_on), 12)
    assert due.due_on == debit_date(TOSAN, due.month) and due.principal_yen == CEILING
    journal = Journal.objects.get(reference=f"loan:{loan.procedure_id}")
    assert {(p.account, p.contract_id, p.amount_yen) for p in journal.postings.all()} == {
        (Account.LOANS, example_5.pk, CEILING),
        (Account.LOAN_INTEREST, None, -INTEREST),
        (Account.PAYABLE, example_5.pk, -(CEILING - INTEREST)),
    }
    payout = Payout.objects.get(contract=example_5)
    assert (payout.kind, payout.amount_yen) == ("loan", CEILING - INTEREST)
    assert Repayment.objects.get(loan=loan).interest_yen == INTEREST  # paid in advance
    journals_balance()


def test_one_at_a_time_directly_to_the_operator_t8_t9(example_5: Contract, reviewer: User) -> None:
    with pytest.raises(ProcedureError, match="機構に直接"):
        do_submit_temporary_loan(
            example_5, amount_yen=None, renewal=False, channel=Procedure.Channel.AGENCY,
            idempotency_key="agency", received_at=NOW,
            acting_user=example_5.party.user,  # type: ignore[arg-type]
        )  # fmt: skip
    with pytest.raises(ProcedureError, match="300,000円以上、50,000円単位"):  # T3
        request(example_5, 320_000, key="odd")
    lend(example_5, 500_000, reviewer)
    with pytest.raises(ProcedureError, match="一度に一つしか"):
        request(example_5, 300_000, key="second")
    assert not bill_repayments(month_of(timezone.localdate())).bills.exists()  # nothing due yet


@pytest.mark.parametrize(
    ("first", "renewed", "paid_out", "debited_old", "debited_interest"),
    [
        # 同額借換: only the new year's interest is paid (by the debit).
        (CEILING, CEILING, 0, 0, INTEREST),
        # 減額借換: the reduction and the new interest (1,000,000 × 0.9% = 9,000) are debited.
        (CEILING, 1_000_000, 0, 800_000, 9_000),
        # 増額借換: the increase is paid out less the new interest.
        (1_000_000, CEILING, CEILING - 1_000_000 - INTEREST, 0, 0),
    ],
)
def test_renewal_at_maturity_with_the_same_a_smaller_or_a_larger_amount_t7(
    example_5: Contract,
    reviewer: User,
    first: int,
    renewed: int,
    paid_out: int,
    debited_old: int,
    debited_interest: int,
) -> None:
    old = lend(example_5, first, reviewer)
    due = old.instalments.get().due_on
    on_time = timezone.make_aware(dt.datetime.combine(due.replace(day=1), dt.time(10)))
    with pytest.raises(ProcedureError, match="借換えは"):
        request(example_5, renewed, renewal=True, key="early", when=NOW)
    new = lend(example_5, renewed, reviewer, renewal=True, key="renew", when=on_time)
    assert new.renewal_of == old and new.lent_on == due  # a year on from the old due date
    old.refresh_from_db()
    assert old.status == (Loan.Status.REPAID if not debited_old else Loan.Status.REPAYING)
    renewal_payout = Payout.objects.filter(procedure=new.procedure).first()
    assert (renewal_payout.amount_yen if renewal_payout else 0) == paid_out
    run = bill_repayments(month_of(due))
    bills = {b.loan_id: (b.principal_yen, b.interest_yen) for b in run.bills.all()}
    expected = {}
    if debited_old:
        expected[old.pk] = (debited_old, 0)
    if debited_interest:
        expected[new.pk] = (0, debited_interest)
    assert bills == expected
    # The member owes the new loan, and the old one only as far as it was not renewed.
    assert balance_of(example_5, Account.LOANS) == renewed + debited_old
    journals_balance()


def test_an_unpaid_temporary_loan_is_taken_from_the_premiums_after_5_months_t6(
    example_5: Contract, reviewer: User
) -> None:
    loan = lend(example_5, 500_000, reviewer)
    due = loan.instalments.get().due_on
    held = -balance_of(example_5, Account.PREMIUMS)
    assert review_late_loans(add_months(due, 4), acting_user=None).taken_from_premiums == ()
    review = review_late_loans(add_months(due, 5), acting_user=None)
    assert review.taken_from_premiums == (example_5.number,)
    taken = Repayment.objects.get(loan=loan, source=Repayment.Source.PREMIUMS)
    assert taken.principal_yen == 500_000
    assert taken.penalty_yen == 500_000 * 146 * (add_months(due, 5) - due).days // 365_000
    assert -balance_of(example_5, Account.PREMIUMS) == held - 500_000 - taken.penalty_yen
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REPAID
    journals_balance()
