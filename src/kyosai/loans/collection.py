"""Collecting loan repayments (償還金) by the monthly direct debit, and what happens when they
are late (tosan_rules L9–L11, T6; shokibo_rules L5, L6).

Each scheme's month's repayment run bills every loan of that scheme for what has fallen due and
is unpaid — this month's instalment, the earlier ones a failed debit left, or the whole balance
once it is due at once — with the late charge of the overdue ones up to the debit day (tosan
違約金, shokibo 延滞利息, both 年14.6%) and the interest owed in advance (a 契約者貸付's next six
months, L5). The files go to the banks on the scheme's premium 振替日 (tosan the 27th, shokibo
the 18th) under the repayment requester code (a separate mandate, tosan 様式 中303); their
results come back in files of their own. A paid bill is posted (the bank debited, the loan, the
late charge and the interest credited) and covers the instalments in order; a failed one leaves
them due for the next run. A 共済金 loan repaid in full before its last year earns 早期償還手当金.

Late tosan repayments are reviewed monthly: a 共済金 loan unpaid 3 months after the due date has
the overdue amount taken from the member's premiums (which then no longer count, §3.3), and
unpaid 5 months its whole balance falls due at once; a 一時貸付金 is taken from the premiums at 5
months. The shokibo references give no such steps: a late 契約者貸付 is billed again each month
with its 延滞利息 until paid, or taken from the 共済金 or the refund when the contract ends. Loans
are few (about 700 a year nationally for tosan), so this works loan by loan; each step is
idempotent on its own key.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kyosai.billing.files import bank_profile, write_outgoing
from kyosai.billing.ledger import Line, balance_of, post_journal
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import DebitMandate
from kyosai.core.audit import Actor, record
from kyosai.formats.zengin import (
    PAID_RESULT_CODE,
    BankProfile,
    DebitItem,
    LineError,
    ZenginFileError,
    parse_debit_result,
    write_debit_request,
)
from kyosai.loans.models import (
    Instalment,
    Loan,
    Repayment,
    RepaymentBill,
    RepaymentImport,
    RepaymentRun,
)
from kyosai.loans.selectors import (
    collects_whole,
    interest_owed_yen,
    payoff_allowance,
    penalty_yen,
    repaid_yen,
    unpaid_instalments,
)
from kyosai.notices import events as notices
from kyosai.payouts.actions import approve_payout
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, set_status
from kyosai.rules.calendar import add_months, debit_date, month_of
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme

WHAT_JA = "償還金の振替結果ファイル"


def due_now(loan: Loan, month: dt.date) -> list[Instalment]:
    """What the loan owes in `month`: the unpaid instalments due by then, or all of them once
    the whole balance is due."""
    unpaid = unpaid_instalments(loan)
    if collects_whole(loan, month):
        return unpaid
    return [i for i in unpaid if i.month <= month]


def bill_repayments(month: dt.date, scheme: Scheme = Scheme.TOSAN) -> RepaymentRun:
    """The repayment run of `scheme`'s `month`, made once: a bill per loan of the scheme with
    something due, and one request file per bank. A second call returns the run (and writes
    files a crash left)."""
    month = month_of(month)
    with transaction.atomic():
        run, created = RepaymentRun.objects.get_or_create(
            scheme=scheme,
            month=month,
            defaults={"debit_on": debit_date(scheme, month), "created_at": timezone.now()},
        )
        if created:
            loans = Loan.objects.filter(contract__scheme=scheme).exclude(status=Loan.Status.REPAID)
            for loan in loans.select_related("contract"):
                _bill(run, loan)
    write_repayment_files(run)
    return run


def _bill(run: RepaymentRun, loan: Loan) -> None:
    if RepaymentBill.objects.filter(loan=loan, result_code="").exists():
        return  # an earlier debit still waits for its answer: nothing is asked twice
    due = due_now(loan, run.month)
    interest = interest_owed_yen(loan, run.month, whole=collects_whole(loan, run.month))
    mandate = (
        DebitMandate.objects.filter(contract=loan.contract, valid_from__lte=run.debit_on)
        .order_by("valid_from", "pk")
        .last()
    )
    if not (due or interest) or mandate is None:
        return
    principal = sum(i.principal_yen for i in due) - _covered_of_first(loan, due) if due else 0
    penalty = penalty_yen(due, run.debit_on)
    sequence = list(loan.contract.loans.order_by("pk").values_list("pk", flat=True)).index(loan.pk)
    bill = RepaymentBill.objects.create(
        run=run, loan=loan, principal_yen=principal, penalty_yen=penalty, interest_yen=interest,
        amount_yen=principal + penalty + interest, mandate=mandate,
        customer_number=f"{loan.contract.number}{sequence + 1:02d}{run.month:%Y%m}",
    )  # fmt: skip
    notices.repayment_billed(
        contract=loan.contract, bill_id=bill.pk, amount_yen=bill.amount_yen, debit_on=run.debit_on
    )


def _covered_of_first(loan: Loan, due: list[Instalment]) -> int:
    """What earlier repayments already paid of the first unpaid instalment (a part payment from
    the premiums may have covered part of it)."""
    covered = repaid_yen(loan)
    for instalment in loan.instalments.all():
        if instalment.pk == due[0].pk:
            return covered
        covered -= instalment.principal_yen
    return 0


def write_repayment_files(run: RepaymentRun) -> list[str]:
    """One request file per bank, a pure function of the run's bills: written again whole."""
    by_bank: dict[str, list[DebitItem]] = {}
    for b in run.bills.select_related("mandate").order_by("mandate__bank_code", "pk"):
        m = b.mandate
        by_bank.setdefault(m.bank_code, []).append(
            DebitItem(m.bank_code, m.branch_code, m.account_type, m.account_number,
                      m.holder_kana, b.amount_yen, "0", b.customer_number)
        )  # fmt: skip
    names = []
    for bank_code, items in by_bank.items():
        name = f"{run.scheme}-loans-{run.month:%Y%m}-{bank_code}.txt"
        _write(name, bank_profile(bank_code, settings.KYOSAI_REPAYMENT_REQUESTER), run, items)
        names.append(name)
    return names


def _write(name: str, profile: BankProfile, run: RepaymentRun, items: list[DebitItem]) -> None:
    write_outgoing(name, lambda h: write_debit_request(profile, run.debit_on, items, h))


def is_repayment_result(data: bytes) -> bool:
    """Whether a 振替結果 file answers a repayment run (its requester code is the repayments')."""
    code = settings.KYOSAI_REPAYMENT_REQUESTER["requester_code"]
    return data[4:14] == code.encode("ascii")


@dataclass(frozen=True)
class RepaymentOutcome:
    name: str
    imported: RepaymentImport | None
    errors: tuple[LineError, ...] = ()


def import_repayment_results(
    files: Sequence[tuple[str, bytes]], *, imported_on: dt.date
) -> list[RepaymentOutcome]:
    """Take in the results of repayment runs, each file whole or not at all (its errors by
    line); a file taken in before changes nothing."""
    outcomes = []
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        if (done := RepaymentImport.objects.filter(sha256=digest).first()) is not None:
            outcomes.append(RepaymentOutcome(name, done))
            continue
        try:
            outcomes.append(RepaymentOutcome(name, _import(name, data, digest, imported_on)))
        except ZenginFileError as error:
            outcomes.append(RepaymentOutcome(name, None, error.errors))
    return outcomes


@transaction.atomic
def _import(name: str, data: bytes, digest: str, imported_on: dt.date) -> RepaymentImport:
    result = parse_debit_result(data)
    waiting = RepaymentRun.objects.filter(
        bills__mandate__bank_code=result.bank_code, bills__result_code=""
    ).distinct()
    run = next((r for r in waiting if f"{r.debit_on:%m%d}" == result.debit_mmdd), None)
    if run is None:
        raise ZenginFileError(
            (
                LineError(
                    1,
                    "debit_mmdd",
                    f"振替日{result.debit_mmdd}の回答待ちの償還金の請求がありません",
                ),
            ),
            what_ja=WHAT_JA,
        )
    pending = {
        b.customer_number: b
        for b in run.bills.filter(mandate__bank_code=result.bank_code).select_related("loan")
    }
    errors = []
    for item in result.items:
        bill = pending.get(item.customer_number.lstrip("0"))
        if bill is None or bill.result_code:
            errors.append(
                LineError(item.line, "customer_number", "対応する未回答の請求がありません")
            )
        elif bill.amount_yen != item.amount_yen:
            errors.append(LineError(item.line, "amount", f"請求額{bill.amount_yen:,}円と違います"))
    if errors:
        raise ZenginFileError(tuple(errors), what_ja=WHAT_JA)
    for item in result.items:
        bill = pending[item.customer_number.lstrip("0")]
        RepaymentBill.objects.filter(pk=bill.pk).update(result_code=item.result_code)
        if item.result_code == PAID_RESULT_CODE:
            _post_paid(bill, imported_on)
    return RepaymentImport.objects.create(
        run=run, name=name, sha256=digest, imported_on=imported_on, imported_at=timezone.now()
    )


def _post_paid(bill: RepaymentBill, on: dt.date) -> None:
    loan, contract = bill.loan, bill.loan.contract
    journal, _ = post_journal(
        Journal.Kind.REPAYMENT,
        f"repayment-bill:{bill.pk}",
        on,
        [
            Line(Account.BANK, bill.amount_yen),
            Line(Account.LOANS, -bill.principal_yen, contract),
            Line(Account.PENALTY_INCOME, -bill.penalty_yen),
            Line(Account.LOAN_INTEREST, -bill.interest_yen),
        ],
    )
    Repayment.objects.create(
        loan=loan, source=Repayment.Source.DEBIT, on=bill.run.debit_on,
        principal_yen=bill.principal_yen, penalty_yen=bill.penalty_yen,
        interest_yen=bill.interest_yen, journal=journal,
    )  # fmt: skip
    _close_if_repaid(loan, bill.run.debit_on)


def _close_if_repaid(loan: Loan, repaid_on: dt.date) -> None:
    """A loan whose principal is all repaid is closed; repaid 12 months or more early and never
    late, its 早期償還手当金 is approved for payment (L11)."""
    if repaid_yen(loan) < loan.principal_yen:
        return
    Loan.objects.filter(pk=loan.pk).update(status=Loan.Status.REPAID)
    record("loan.repaid", loan, actor=None, repaid_on=repaid_on.isoformat())
    payoff = Procedure.objects.filter(
        kind=Procedure.Kind.EARLY_REPAYMENT, contract=loan.contract,
        status=Procedure.Status.APPROVED, payload__loan=loan.pk,
    ).first()  # fmt: skip
    # 早期償還手当金 is tosan's 共済金 loans' (L11); no other loan earns one.
    earns = loan.kind == Loan.Kind.KYOSAIKIN
    allowance = payoff_allowance(loan, repaid_on) if earns else None
    if allowance is None or allowance.amount_yen == 0:
        if payoff is not None:
            why = _ALLOWANCE_UNKNOWN if earns and allowance is None else ""
            set_status(payoff, Procedure.Status.DONE, None, f"全額を償還いただきました。{why}")
        return
    post_journal(
        Journal.Kind.REPAYMENT,
        f"early-repayment-allowance:{loan.pk}",
        repaid_on,
        [
            Line(Account.ALLOWANCE, allowance.amount_yen),
            Line(Account.PAYABLE, -allowance.amount_yen, loan.contract),
        ],
    )
    approve_payout(
        contract=loan.contract, kind=Payout.Kind.ALLOWANCE, amount_yen=allowance.amount_yen,
        reference=f"early-repayment-allowance:{loan.pk}", pay_on=repaid_on, procedure=payoff,
    )  # fmt: skip
    if payoff is not None:
        add_event(
            payoff, Procedure.Status.APPROVED,
            f"全額を償還いただきました。早期償還手当金{allowance.amount_yen:,}円をお振り込みします。",
            None,
        )  # fmt: skip


_ALLOWANCE_UNKNOWN = (
    "早期償還手当金の支給率が公表資料で確認できない期間のため、機構で確認してご連絡します。"
)


@dataclass(frozen=True)
class LateReview:
    taken_from_premiums: tuple[str, ...]  # contract numbers whose premiums covered arrears
    due_in_full: tuple[str, ...]  # contract numbers whose whole balance fell due


def review_late_loans(on: dt.date, *, acting_user: Actor | None) -> LateReview:
    """The monthly review of late tosan repayments: a 共済金 loan overdue 3 months is taken from
    the premiums and at 5 months falls due whole (L10); a 一時貸付金 overdue 5 months is taken
    from the premiums (T6; it is a single sum, due whole already). shokibo loans have no such
    steps (their late repayments are billed again with 延滞利息)."""
    params = default_parameters()
    offset_after = {
        Loan.Kind.KYOSAIKIN: params["tosan/loan_offset_months"].whole_at(on),
        Loan.Kind.TEMPORARY: params["tosan/temp_loan_offset_months"].whole_at(on),
    }
    full_after = params["tosan/loan_acceleration_months"].whole_at(on)
    offset, accelerated = [], []
    tosan_loans = Loan.objects.filter(kind__in=offset_after).exclude(status=Loan.Status.REPAID)
    for loan in tosan_loans.select_related("contract"):
        after = offset_after[Loan.Kind(loan.kind)]
        overdue = [i for i in unpaid_instalments(loan) if add_months(i.due_on, after) <= on]
        if not overdue:
            continue
        with transaction.atomic():
            if _take_from_premiums(loan, overdue, on, acting_user):
                offset.append(loan.contract.number)
            still = [i for i in unpaid_instalments(loan) if add_months(i.due_on, full_after) <= on]
            if still and loan.status == Loan.Status.REPAYING and loan.kind == Loan.Kind.KYOSAIKIN:
                Loan.objects.filter(pk=loan.pk).update(status=Loan.Status.DUE_IN_FULL)
                record("loan.due_in_full", loan, actor=acting_user, on=on.isoformat())
                accelerated.append(loan.contract.number)
    return LateReview(tuple(offset), tuple(accelerated))


def _take_from_premiums(
    loan: Loan, overdue: list[Instalment], on: dt.date, acting_user: Actor | None
) -> bool:
    """Cover what is overdue, 違約金 first, from the member's premiums as far as they go."""
    contract = loan.contract
    held = -balance_of(contract, Account.PREMIUMS)
    owed = sum(i.principal_yen for i in overdue) - _covered_of_first(loan, overdue)
    penalty = min(penalty_yen(overdue, on), held)
    principal = min(owed, held - penalty)
    if principal + penalty <= 0:
        return False
    journal, posted = post_journal(
        Journal.Kind.REPAYMENT,
        f"premium-offset:{loan.pk}:{on.isoformat()}",
        on,
        [
            Line(Account.PREMIUMS, principal + penalty, contract),
            Line(Account.LOANS, -principal, contract),
            Line(Account.PENALTY_INCOME, -penalty),
        ],
    )
    if not posted:
        return False
    Repayment.objects.create(
        loan=loan, source=Repayment.Source.PREMIUMS, on=on, principal_yen=principal,
        penalty_yen=penalty, journal=journal,
    )  # fmt: skip
    record(
        "loan.premium_offset", loan, actor=acting_user, principal_yen=principal,
        penalty_yen=penalty, on=on.isoformat(),
    )  # fmt: skip
    _close_if_repaid(loan, on)
    return True
