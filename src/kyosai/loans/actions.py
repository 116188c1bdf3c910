"""共済金貸付 (tosan 法9条): the request with its evidence, the live quote on what the contract
actually paid, the staff decision that lends, and the stored repayment schedule.

The request is received only when the rules allow a loan (the member sees why not while typing);
it always waits for staff, who read the evidence (the customer's 倒産 and the receivables). The
approval, by two people above the four-eyes threshold, recomputes the amount on the day it is
lent, stores the schedule (据置6か月, then 54/66/78 monthly instalments), posts the loan and the
1/10 taken from the premiums for good (権利消滅), and approves the payout.
"""

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.billing.history import paid_late_yen, paid_months
from kyosai.billing.ledger import Line, post_journal
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract, PremiumStop
from kyosai.contracts.rule_inputs import term_on
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.loans.models import Instalment, Loan
from kyosai.loans.selectors import (
    interest_owed_yen,
    outstanding_yen,
    overdue_instalments,
    payoff_allowance,
    penalty_yen,
    repaid_yen,
    tosan_account,
    unpaid_instalments,
)
from kyosai.payouts.actions import approve_payout
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Attachment, Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.rules.calendar import add_months, cutoff_date, debit_date, month_index, month_of
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme
from kyosai.rules.tosan.loans import (
    EVENT_LABEL,
    EarlyRepaymentQuote,
    InsolvencyEvent,
    LoanQuote,
    LoanRequest,
    kyosaikin_loan,
)

LATE_MONTHS = 2  # P28: premiums paid more than 2 months late after the 倒産 do not count
INCREASE_WINDOW_MONTHS = 6  # P12: increases from 6 months before the 倒産 do not count


@dataclass(frozen=True)
class KyosaikinLoanRequest:
    """What the member states in a 共済金貸付請求 (様式 中301)."""

    debtor_name: str  # the customer that went bankrupt
    event: InsolvencyEvent
    insolvency_on: dt.date  # 倒産日
    unrecoverable_yen: int  # 回収困難な売掛金債権等
    pause_premiums: bool  # 掛金の休止 during the 据置期間 (P7)


@dataclass(frozen=True)
class AttachmentFile:
    name: str
    content_type: str
    data: bytes


def quote_kyosaikin_loan(
    contract: Contract, request: KyosaikinLoanRequest, *, claim_on: dt.date, lent_on: dt.date
) -> LoanQuote:
    """The loan the rules give for `request` made on `claim_on` and lent on `lent_on`, on what
    the contract has actually paid; an overdue repayment of an earlier loan refuses it."""
    if contract.scheme != Scheme.TOSAN:
        raise ProcedureError("共済金の貸付けは経営セーフティ共済の制度です。")
    event_month = month_index(month_of(request.insolvency_on))
    window = add_months(month_of(request.insolvency_on), -INCREASE_WINDOW_MONTHS)
    try:
        quote = kyosaikin_loan(
            LoanRequest(
                event=request.event,
                insolvency_on=request.insolvency_on,
                joined_month=contract.joined_month,
                months_paid_before_event=sum(1 for m in paid_months(contract) if m <= event_month),
                claim_on=claim_on,
                unrecoverable_yen=request.unrecoverable_yen,
                account=tosan_account(contract, claim_on),
                increases_in_window_yen=_increases_since(contract, window, claim_on),
                late_after_event_yen=paid_late_yen(
                    contract, after=request.insolvency_on, months_late=LATE_MONTHS
                ),
                outstanding_kyosaikin_yen=outstanding_yen(contract, Loan.Kind.KYOSAIKIN),
            ),
            lent_on=lent_on,
        )
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None
    if overdue_instalments(contract, on=claim_on):
        late = Reason(
            "repayment_overdue",
            "償還が遅れている貸付があるため、新たに借りることはできません。先に遅れている分をお支払いください。",
        )
        quote = dataclasses.replace(quote, lendable=False, reasons=(*quote.reasons, late))
    return quote


def _increases_since(contract: Contract, window: dt.date, claim_on: dt.date) -> int:
    """Premiums paid from `window`'s month on above the monthly amount in force before it: the
    increases P12 leaves out of the loan's 掛金総額."""
    before = contract.premium_terms.filter(valid_from_month__lt=window).last()
    base = before.monthly_yen if before is not None else 0
    first, last = month_index(window), month_index(month_of(claim_on))
    return sum(
        max(term_on(contract, add_months(window, m - first)).monthly_yen - base, 0)
        for m in paid_months(contract)
        if first <= m <= last
    )


def do_submit_kyosaikin_loan(
    contract: Contract,
    request: KyosaikinLoanRequest,
    attachments: list[AttachmentFile],
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency | None = None,
) -> Procedure:
    """共済金貸付請求: received with its quote and evidence when the rules allow a loan, then
    waits for staff; refused with the rules' reasons otherwise (nothing is saved). `agency`:
    the 登録取扱機関 that took it (tosan_rules C2: a 共済金 loan goes through it)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    if contract.status == Contract.Status.CANCELLED:
        raise ProcedureError("解約した契約では借りられません。")
    if not attachments:
        raise ProcedureError("倒産の事実と売掛金がわかる書類を添付してください。")
    on = timezone.localdate(received_at)
    quote = quote_kyosaikin_loan(contract, request, claim_on=on, lent_on=on)
    if not quote.lendable:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    if contract.procedures.filter(
        kind=Procedure.Kind.KYOSAIKIN_LOAN, status=Procedure.Status.CHECKING
    ).exists():
        raise ProcedureError("共済金貸付のご請求はすでに受け付けています。")
    with transaction.atomic():
        procedure = Procedure.objects.create(
            kind=Procedure.Kind.KYOSAIKIN_LOAN, scheme=contract.scheme, channel=channel,
            party=contract.party, contract=contract, agency=agency,
            submitted_by=signed_in(acting_user),
            received_at=received_at, idempotency_key=idempotency_key,
            payload={**_payload(request), "quoted_yen": quote.amount_yen,
                     "claim_deadline_on": quote.claim_deadline_on.isoformat()},
            amount_yen=quote.amount_yen,  # what approval lends: the four-eyes threshold reads it
        )  # fmt: skip
        for file in attachments:
            Attachment.objects.create(
                procedure=procedure, name=file.name, content_type=file.content_type,
                size=len(file.data), sha256=hashlib.sha256(file.data).hexdigest(),
                data=file.data, uploaded_at=timezone.now(),
            )  # fmt: skip
        add_event(procedure, Procedure.Status.RECEIVED, "ご請求を受け付けました。", acting_user)
        record(
            "procedure.submit", procedure, actor=acting_user, kind=procedure.kind,
            channel=channel, attachments=len(attachments),
        )  # fmt: skip
        set_status(
            procedure, Procedure.Status.CHECKING, acting_user,
            f"{request.debtor_name}の{EVENT_LABEL[request.event]}による共済金貸付のご請求を受け付けました。"
            f"貸付額の見込みは{quote.amount_yen:,}円です（添付書類を確認して決定します）。",
        )  # fmt: skip
    return procedure


def _payload(request: KyosaikinLoanRequest) -> dict[str, object]:
    return {
        "debtor_name": request.debtor_name,
        "event": request.event.value,
        "insolvency_on": request.insolvency_on.isoformat(),
        "unrecoverable_yen": request.unrecoverable_yen,
        "pause_premiums": request.pause_premiums,
    }


def request_of(procedure: Procedure) -> KyosaikinLoanRequest:
    p = procedure.payload
    return KyosaikinLoanRequest(
        debtor_name=p["debtor_name"],
        event=InsolvencyEvent(p["event"]),
        insolvency_on=dt.date.fromisoformat(p["insolvency_on"]),
        unrecoverable_yen=p["unrecoverable_yen"],
        pause_premiums=p["pause_premiums"],
    )


def complete_kyosaikin_loan(procedure: Procedure, *, acting_user: Actor) -> None:
    """A 共済金貸付 approved by staff (procedures.review, inside its transaction): lent today on
    the amount the rules give today, with its schedule, postings and payout."""
    contract = procedure.contract
    assert contract is not None  # a loan is always of a contract
    lent_on = timezone.localdate()
    request = request_of(procedure)
    quote = quote_kyosaikin_loan(
        contract, request, claim_on=timezone.localdate(procedure.received_at), lent_on=lent_on
    )
    if not quote.lendable:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    loan = Loan.objects.create(
        contract=contract, procedure=procedure, kind=Loan.Kind.KYOSAIKIN,
        principal_yen=quote.amount_yen, lent_on=lent_on, term_years=quote.term_years,
        forfeited_yen=quote.forfeited_yen, trace=quote.trace.render(), created_at=timezone.now(),
    )  # fmt: skip
    store_schedule(loan, quote.instalments)
    post_journal(
        Journal.Kind.LOAN,
        f"loan:{procedure.pk}",
        lent_on,
        [
            Line(Account.LOANS, loan.principal_yen, contract),
            Line(Account.PAYABLE, -loan.principal_yen, contract),
            # 法9条: 1/10 of the loan leaves the member's premiums for the lending funds.
            Line(Account.PREMIUMS, loan.forfeited_yen, contract),
            Line(Account.FORFEITED, -loan.forfeited_yen),
        ],
    )
    payout = approve_payout(
        contract=contract, kind=Payout.Kind.LOAN, amount_yen=loan.principal_yen,
        reference=f"loan:{procedure.pk}", pay_on=lent_on, procedure=procedure,
    )  # fmt: skip
    if request.pause_premiums:
        _pause_premiums(contract, lent_on)
    record(
        "loan.lend", loan, actor=acting_user, contract=contract.number,
        principal_yen=loan.principal_yen, forfeited_yen=loan.forfeited_yen,
        instalments=len(quote.instalments), payout=payout.pk,
    )  # fmt: skip
    first = quote.instalments[0]
    set_status(
        procedure, Procedure.Status.APPROVED, acting_user,
        f"共済金{loan.principal_yen:,}円の貸付けを決定しました。{payout.pay_on:%Y年%-m月%-d日}以降にお振り込みします。"
        f"償還は{first.due_on:%Y年%-m月%-d日}から毎月{first.principal_yen:,}円（{len(quote.instalments)}回）です。"
        f"貸付額の10分の1（{loan.forfeited_yen:,}円）は掛金から差し引かれ、掛金総額に数えなくなります。",
    )  # fmt: skip


class ScheduledRepayment(Protocol):
    """A repayment of a rules' schedule, as stored (a 共済金 loan's pays no interest)."""

    @property
    def number(self) -> int: ...
    @property
    def month(self) -> dt.date: ...
    @property
    def due_on(self) -> dt.date: ...
    @property
    def principal_yen(self) -> int: ...


def store_schedule(loan: Loan, rows: Iterable[ScheduledRepayment]) -> None:
    """The loan's schedule as `Instalment` rows, fixed when it is lent (a correction would be a
    new schedule, never an edit), with each row's interest in advance where it has one."""
    Instalment.objects.bulk_create(
        Instalment(
            loan=loan,
            number=r.number,
            month=r.month,
            due_on=r.due_on,
            principal_yen=r.principal_yen,
            interest_yen=getattr(r, "interest_yen", 0),
        )
        for r in rows
    )


def _pause_premiums(contract: Contract, lent_on: dt.date) -> None:
    """掛金の休止 (P7): no premiums during the 据置期間, the months after the lending month."""
    grace = default_parameters()["tosan/loan_grace_months"].whole_at(lent_on)
    first = add_months(month_of(lent_on), 1)
    PremiumStop.objects.create(
        contract=contract, from_month=first, until_month=add_months(first, grace - 1)
    )


@dataclass(frozen=True)
class PayoffQuote:
    """繰上償還 of the whole balance with the next debit the request can still reach."""

    debit_month: dt.date
    debit_on: dt.date
    balance_yen: int
    penalty_yen: int
    interest_yen: int  # interest in advance fallen due and not paid (a failed debit's)
    earns_allowance: bool  # a tosan 共済金 loan: 早期償還手当金 (L11)
    allowance: EarlyRepaymentQuote | None  # None: none, or the rate is not published

    @property
    def amount_yen(self) -> int:
        return self.balance_yen + self.penalty_yen + self.interest_yen


def quote_payoff(loan: Loan, *, on: dt.date) -> PayoffQuote:
    """What paying `loan` off would take, asked on `on`: a request by the 5th (the change
    cut-off) is debited that month, a later one the next month [I], on the scheme's 振替日."""
    if loan.status != Loan.Status.REPAYING or loan.payoff_month is not None:
        raise ProcedureError("この貸付けは繰上償還を申し出られる状態ではありません。")
    month = month_of(on) if on <= cutoff_date(on) else add_months(month_of(on), 1)
    debit_on = debit_date(Scheme(loan.contract.scheme), month)
    unpaid = unpaid_instalments(loan)
    earns = loan.kind == Loan.Kind.KYOSAIKIN
    return PayoffQuote(
        month, debit_on, loan.principal_yen - repaid_yen(loan), penalty_yen(unpaid, debit_on),
        interest_owed_yen(loan, month, whole=True), earns,
        payoff_allowance(loan, debit_on) if earns else None,
    )  # fmt: skip


def do_request_payoff(
    loan: Loan,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """繰上償還の申出: the next debit collects the whole balance; once paid, the loan is closed
    and any 早期償還手当金 approved for payment."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    quote = quote_payoff(loan, on=timezone.localdate(received_at))
    with transaction.atomic():
        Loan.objects.filter(pk=loan.pk).update(payoff_month=quote.debit_month)
        procedure = Procedure.objects.create(
            kind=Procedure.Kind.EARLY_REPAYMENT, scheme=loan.contract.scheme, channel=channel,
            party=loan.contract.party, contract=loan.contract,
            submitted_by=signed_in(acting_user), received_at=received_at,
            idempotency_key=idempotency_key, amount_yen=quote.amount_yen,
            payload={"loan": loan.pk, "debit_on": quote.debit_on.isoformat(),
                     "balance_yen": quote.balance_yen},
        )  # fmt: skip
        add_event(procedure, Procedure.Status.RECEIVED, "お申出を受け付けました。", acting_user)
        record("procedure.submit", procedure, actor=acting_user, kind=procedure.kind, loan=loan.pk)
        set_status(
            procedure, Procedure.Status.APPROVED, acting_user,
            f"{quote.debit_on:%Y年%-m月%-d日}に貸付残高{quote.amount_yen:,}円を償還金の振替口座から"
            "振り替えます。",
        )  # fmt: skip
    return procedure
