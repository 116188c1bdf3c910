"""Reads of loans: what a contract owes, what is overdue, and the premiums as the tosan rules
count them once loans have been taken (1/10 of each 共済金 loan forfeited, premiums applied to
repayments). A loan's late charge is its scheme's: tosan 違約金, shokibo 延滞利息."""

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Sum
from django.shortcuts import get_object_or_404

from kyosai.billing.history import paid_account
from kyosai.contracts.models import Contract
from kyosai.formats.zengin import PAID_RESULT_CODE
from kyosai.loans.models import Instalment, Loan, Repayment
from kyosai.rules.calendar import month_of
from kyosai.rules.errors import RuleError
from kyosai.rules.params import default_parameters
from kyosai.rules.shokibo.loans import late_interest
from kyosai.rules.tosan.loans import (
    EarlyRepaymentQuote,
    LoanLimit,
    early_repayment_allowance,
    kyosaikin_loan_limit,
    late_penalty,
)
from kyosai.rules.tosan.refund import PremiumAccount


def tosan_account(contract: Contract, on: dt.date) -> PremiumAccount:
    """What a tosan contract has paid as its refund and loan rules count it (tosan §3.3, L7):
    the real history, every 共済金 loan taken, and the premiums applied to repayments."""
    loans = Loan.objects.filter(contract=contract, kind=Loan.Kind.KYOSAIKIN)
    applied = Repayment.objects.filter(
        loan__contract=contract, source=Repayment.Source.PREMIUMS
    ).aggregate(principal=Sum("principal_yen"), penalty=Sum("penalty_yen"))
    return dataclasses.replace(
        paid_account(contract, on),
        kyosaikin_loans_yen=tuple(loans.order_by("pk").values_list("principal_yen", flat=True)),
        premiums_applied_to_loans_yen=(applied["principal"] or 0) + (applied["penalty"] or 0),
    )


def repaid_yen(loan: Loan) -> int:
    return int(loan.repayments.aggregate(total=Sum("principal_yen"))["total"] or 0)


def collects_whole(loan: Loan, month: dt.date) -> bool:
    """Whether the debit of `month` collects the loan's whole balance: it is due at once, or
    the member asked to pay it off that month."""
    return loan.status == Loan.Status.DUE_IN_FULL or bool(
        loan.payoff_month and loan.payoff_month <= month
    )


def interest_owed_yen(loan: Loan, month: dt.date, *, whole: bool = False) -> int:
    """Interest in advance due by `month` and not yet paid: the interest at lending that the
    payout could not carry (a renewed 一時貸付), and each 契約者貸付 instalment's interest for the
    next period once its month has come — except the interest of a period that will not run,
    when `whole` balance is collected in that month (L5)."""
    scheduled = loan.interest_yen + sum(
        i.interest_yen
        for i in loan.instalments.all()
        if i.month < month or (i.month == month and not whole)
    )
    paid = loan.repayments.aggregate(total=Sum("interest_yen"))["total"] or 0
    return max(scheduled - int(paid), 0)


def outstanding_yen(contract: Contract, kind: Loan.Kind | None = None) -> int:
    """Principal still owed on the contract's loans (of `kind`)."""
    loans = Loan.objects.filter(contract=contract).exclude(status=Loan.Status.REPAID)
    if kind is not None:
        loans = loans.filter(kind=kind)
    return sum(loan.principal_yen - repaid_yen(loan) for loan in loans)


def unpaid_instalments(loan: Loan) -> list[Instalment]:
    """The loan's instalments not yet covered: repayments cover them in order."""
    covered = repaid_yen(loan)
    unpaid = []
    for instalment in loan.instalments.all():
        if covered >= instalment.principal_yen:
            covered -= instalment.principal_yen
        else:
            unpaid.append(instalment)
            covered = 0
    return unpaid


def penalty_yen(instalments: Sequence[Instalment], on: dt.date) -> int:
    """違約金 (tosan L9) or 延滞利息 (shokibo L6) of the instalments overdue on `on`, each on its
    principal from its own due date."""
    return sum(
        (late_interest if i.loan.is_shokibo else late_penalty)(
            i.principal_yen, (on - i.due_on).days, due_on=i.due_on
        ).amount_yen
        for i in instalments
        if i.due_on < on
    )


@dataclass(frozen=True)
class Owed:
    loan: Loan
    principal_yen: int
    penalty_yen: int
    interest_yen: int  # interest in advance fallen due and not paid


def owed_on(contract: Contract, on: dt.date) -> list[Owed]:
    """What the contract's loans still owe on `on`, when it ends: each balance, its late
    charge to date and the interest of the periods already begun."""
    return [
        Owed(
            loan,
            loan.principal_yen - repaid_yen(loan),
            penalty_yen(unpaid_instalments(loan), on),
            interest_owed_yen(loan, month_of(on), whole=True),
        )
        for loan in Loan.objects.filter(contract=contract)
        .exclude(status=Loan.Status.REPAID)
        .order_by("pk")
    ]


def overdue_instalments(contract: Contract, *, on: dt.date) -> list[Instalment]:
    """Instalments of the contract's loans due before `on` and not paid."""
    return [
        instalment
        for loan in Loan.objects.filter(contract=contract).exclude(status=Loan.Status.REPAID)
        for instalment in unpaid_instalments(loan)
        if instalment.due_on < on
    ]


@dataclass(frozen=True)
class LoanView:
    """A loan as its member and staff read it: the schedule with what is paid, the balance, the
    interest paid, and the day of the month its repayments are debited."""

    loan: Loan
    repaid_yen: int
    balance_yen: int
    unpaid: list[Instalment]
    paid_numbers: set[int]
    interest_paid_yen: int
    debit_day: int  # the scheme's 振替日 (the next business day when it is a holiday)


def loan_view(loan: Loan) -> LoanView:
    unpaid = unpaid_instalments(loan)
    repaid = repaid_yen(loan)
    interest = loan.repayments.aggregate(total=Sum("interest_yen"))["total"] or 0
    scheme = loan.contract.scheme
    return LoanView(
        loan, repaid, loan.principal_yen - repaid, unpaid,
        {i.number for i in loan.instalments.all()} - {i.number for i in unpaid}, int(interest),
        default_parameters()[f"{scheme}/debit_day"].whole_at(loan.lent_on),
    )  # fmt: skip


def loans_of(contract: Contract) -> list[LoanView]:
    return [loan_view(loan) for loan in contract.loans.order_by("-lent_on", "-pk")]


def kyosaikin_limit(contract: Contract, on: dt.date) -> LoanLimit:
    """The most a 共済金 loan could be now (what the portal shows before a 倒産 is stated)."""
    return kyosaikin_loan_limit(
        tosan_account(contract, on),
        outstanding_kyosaikin_yen=outstanding_yen(contract, Loan.Kind.KYOSAIKIN),
        on=on,
    )


def access_loan_for(contract: Contract, pk: int) -> LoanView:
    """A loan of a contract the caller may already read (access_contract_for); else a 404."""
    return loan_view(get_object_or_404(Loan, contract=contract, pk=pk))


def payoff_allowance(loan: Loan, repaid_on: dt.date) -> EarlyRepaymentQuote | None:
    """早期償還手当金 of a 共済金 loan repaid in full on `repaid_on` (L11): nothing if it was
    ever late; None when the rate for its term and years early is not published."""
    ever_late = loan.bills.exclude(result_code__in=("", PAID_RESULT_CODE)).exists() or (
        loan.repayments.filter(source=Repayment.Source.PREMIUMS).exists()
    )
    try:
        return early_repayment_allowance(
            loan.principal_yen, lent_on=loan.lent_on, repaid_on=repaid_on, ever_late=ever_late
        )
    except RuleError:
        return None
