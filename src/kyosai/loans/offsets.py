"""Loans taken from what a closing contract pays: a cancellation's refund (tosan §3.3 [I]) or a
benefit's 共済金 (shokibo §5.3 [I], R2). Called inside the caller's settlement, whose journal
carries `offset_lines`; a loan covered whole is closed, one left owing is due at once."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kyosai.billing.ledger import Line
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract
from kyosai.loans.models import Loan, Repayment
from kyosai.loans.selectors import Owed


@dataclass(frozen=True)
class Taken:
    owed: Owed
    principal_yen: int
    penalty_yen: int
    interest_yen: int


def owed_total(owed: Sequence[Owed]) -> int:
    return sum(o.principal_yen + o.penalty_yen + o.interest_yen for o in owed)


def take_for_loans(owed: Sequence[Owed], amount_yen: int) -> list[Taken]:
    """`amount_yen` spread over what the loans owe in order, each loan's late charge and
    interest before its principal."""
    left, taken = amount_yen, []
    for o in owed:
        penalty = min(o.penalty_yen, left)
        interest = min(o.interest_yen, left - penalty)
        principal = min(o.principal_yen, left - penalty - interest)
        left -= penalty + interest + principal
        taken.append(Taken(o, principal, penalty, interest))
    return taken


def offset_lines(taken: Sequence[Taken], contract: Contract) -> list[Line]:
    """The settlement journal's lines for what was taken: the loans, their late charges and
    interest credited."""
    return [
        Line(Account.LOANS, -sum(t.principal_yen for t in taken), contract),
        Line(Account.PENALTY_INCOME, -sum(t.penalty_yen for t in taken)),
        Line(Account.LOAN_INTEREST, -sum(t.interest_yen for t in taken)),
    ]


def record_offsets(
    taken: Sequence[Taken], *, source: Repayment.Source, on: dt.date, journal: Journal
) -> None:
    """A Repayment per loan taken from; the contract has ended, so a loan it did not cover is
    due at once and a covered one is closed."""
    for t in taken:
        if t.principal_yen + t.penalty_yen + t.interest_yen:
            Repayment.objects.create(
                loan=t.owed.loan, source=source, on=on, principal_yen=t.principal_yen,
                penalty_yen=t.penalty_yen, interest_yen=t.interest_yen, journal=journal,
            )  # fmt: skip
        covered = t.principal_yen == t.owed.principal_yen
        Loan.objects.filter(pk=t.owed.loan.pk).update(
            status=Loan.Status.REPAID if covered else Loan.Status.DUE_IN_FULL
        )
