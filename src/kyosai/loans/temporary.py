"""一時貸付金 (tosan 法10条, tosan_rules §5): a one-year loan against the premiums, requested
directly to the operator (never through the handling agency, T9), its renewal (借換) at maturity.

The ceiling is the rules' (95% of a 機構解約's refund on the real history, less loans
outstanding). A year's interest is paid in advance at the rate in force on the day the request
is received (T5): taken off the payout of a new loan. A renewal replaces the loan due: the new
loan repays the old one up to its own amount; a larger one pays out the difference less the new
interest, a same or smaller one leaves the difference and the interest to the next debit. The
new loan runs a year from the old one's due date (or from its approval, if later).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyosai.billing.ledger import Line, post_journal
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.loans.models import Instalment, Loan, Repayment
from kyosai.loans.selectors import outstanding_yen, repaid_yen, tosan_account
from kyosai.payouts.actions import approve_payout
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.rules.calendar import add_months, debit_date, month_of
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.rules.tosan.temp_loan import TempLoanQuote, temp_loan

TERM_MONTHS = 12  # T4: one year, repaid in one sum


def current_temporary_loan(contract: Contract) -> Loan | None:
    """The contract's 一時貸付金 not yet repaid (only one may be outstanding, T8)."""
    return (
        Loan.objects.filter(contract=contract, kind=Loan.Kind.TEMPORARY)
        .exclude(status=Loan.Status.REPAID)
        .first()
    )


def quote_temporary_loan(
    contract: Contract, *, amount_yen: int | None, renewal: bool, on: dt.date
) -> TempLoanQuote:
    """一時貸付金 for a request received on `on` (`amount_yen` None: the ceiling), on what the
    contract actually paid."""
    if contract.scheme != Scheme.TOSAN:
        raise ProcedureError("一時貸付金は経営セーフティ共済の制度です。")
    current = current_temporary_loan(contract)
    if renewal and current is None:
        raise ProcedureError("借り換える一時貸付金がありません。")
    try:
        return temp_loan(
            tosan_account(contract, on),
            received_on=on,
            requested_yen=amount_yen,
            outstanding_kyosaikin_yen=outstanding_yen(contract, Loan.Kind.KYOSAIKIN),
            outstanding_temp_loan_yen=current.principal_yen - repaid_yen(current) if current else 0,
            renewal=renewal,
        )
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None


def renewal_window(loan: Loan) -> tuple[dt.date, dt.date]:
    """When a 一時貸付金 may be renewed: from the month before its due month to its due date
    (T7: the notice comes about a month before the due date) [I]."""
    due = loan.instalments.get().due_on
    return add_months(month_of(due), -1), due


def do_submit_temporary_loan(
    contract: Contract,
    *,
    amount_yen: int | None,
    renewal: bool,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """一時貸付金の請求 (or 借換): received when the rules allow it, then waits for staff."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    if channel == Procedure.Channel.AGENCY:
        raise ProcedureError("一時貸付金は登録取扱機関ではなく、機構に直接ご請求ください。")
    if contract.status == Contract.Status.CANCELLED:
        raise ProcedureError("解約した契約では借りられません。")
    on = timezone.localdate(received_at)
    current = current_temporary_loan(contract)
    if renewal and current is not None:
        opens, closes = renewal_window(current)
        if not opens <= on <= closes:
            raise ProcedureError(
                f"借換えは{opens:%Y年%-m月%-d日}から償還期日の{closes:%Y年%-m月%-d日}までにお申し出ください。"
            )
    quote = quote_temporary_loan(contract, amount_yen=amount_yen, renewal=renewal, on=on)
    if not quote.available:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    if contract.procedures.filter(
        kind=Procedure.Kind.TEMPORARY_LOAN, status=Procedure.Status.CHECKING
    ).exists():
        raise ProcedureError("一時貸付金のご請求はすでに受け付けています。")
    with transaction.atomic():
        procedure = Procedure.objects.create(
            kind=Procedure.Kind.TEMPORARY_LOAN, scheme=contract.scheme, channel=channel,
            party=contract.party, contract=contract, submitted_by=signed_in(acting_user),
            received_at=received_at, idempotency_key=idempotency_key,
            amount_yen=quote.principal_yen,
            payload={"amount_yen": quote.principal_yen, "interest_yen": quote.interest_yen,
                     "renewal_of": current.pk if renewal and current else None},
        )  # fmt: skip
        add_event(procedure, Procedure.Status.RECEIVED, "ご請求を受け付けました。", acting_user)
        record("procedure.submit", procedure, actor=acting_user, kind=procedure.kind)
        what = "一時貸付金の借換え" if renewal else "一時貸付金"
        set_status(
            procedure, Procedure.Status.CHECKING, acting_user,
            f"{what}{quote.principal_yen:,}円のご請求を受け付けました"
            f"（前払利息 {quote.interest_yen:,}円）。",
        )  # fmt: skip
    return procedure


def complete_temporary_loan(procedure: Procedure, *, acting_user: Actor) -> None:
    """A 一時貸付金 approved by staff (procedures.review, inside its transaction)."""
    contract = procedure.contract
    assert contract is not None  # a loan is always of a contract
    old = (
        Loan.objects.select_for_update().get(pk=procedure.payload["renewal_of"])
        if procedure.payload["renewal_of"]
        else None
    )
    quote = quote_temporary_loan(
        contract, amount_yen=procedure.payload["amount_yen"], renewal=old is not None,
        on=timezone.localdate(procedure.received_at),
    )  # fmt: skip
    if not quote.available:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    today = timezone.localdate()
    lent_on = max(today, old.instalments.get().due_on) if old is not None else today
    loan = Loan.objects.create(
        contract=contract, procedure=procedure, kind=Loan.Kind.TEMPORARY,
        principal_yen=quote.principal_yen, lent_on=lent_on, term_years=1,
        interest_yen=quote.interest_yen, renewal_of=old, trace=quote.trace.render(),
        created_at=timezone.now(),
    )  # fmt: skip
    due_month = add_months(month_of(lent_on), TERM_MONTHS)
    Instalment.objects.create(
        loan=loan, number=1, month=due_month, due_on=debit_date(Scheme.TOSAN, due_month),
        principal_yen=loan.principal_yen,
    )  # fmt: skip
    balance = old.principal_yen - repaid_yen(old) if old is not None else 0
    renewed = min(loan.principal_yen, balance)
    paid_out = loan.principal_yen - balance
    interest_now = min(loan.interest_yen, paid_out) if paid_out > 0 else 0
    journal, _ = post_journal(
        Journal.Kind.LOAN,
        f"loan:{procedure.pk}",
        today,
        [
            Line(Account.LOANS, loan.principal_yen - renewed, contract),
            Line(Account.LOAN_INTEREST, -interest_now),
            Line(Account.PAYABLE, -(paid_out - interest_now) if paid_out > 0 else 0, contract),
        ],
    )
    if interest_now:
        Repayment.objects.create(
            loan=loan, source=Repayment.Source.PAYOUT, on=today, principal_yen=0,
            interest_yen=interest_now, journal=journal,
        )  # fmt: skip
    if old is not None and renewed:
        Repayment.objects.create(
            loan=old, source=Repayment.Source.RENEWAL, on=today, principal_yen=renewed,
            journal=journal,
        )  # fmt: skip
        if renewed == balance:
            Loan.objects.filter(pk=old.pk).update(status=Loan.Status.REPAID)
    payout = None
    if paid_out - interest_now > 0:
        payout = approve_payout(
            contract=contract, kind=Payout.Kind.LOAN, amount_yen=paid_out - interest_now,
            reference=f"loan:{procedure.pk}", pay_on=lent_on, procedure=procedure,
        )  # fmt: skip
    record(
        "loan.lend", loan, actor=acting_user, contract=contract.number,
        principal_yen=loan.principal_yen, interest_yen=loan.interest_yen,
        renewal_of=old.pk if old else None, payout=payout.pk if payout else None,
    )  # fmt: skip
    owed = balance - renewed + loan.interest_yen - interest_now
    message = (
        f"一時貸付金{loan.principal_yen:,}円の貸付けを決定しました（償還期日 "
        f"{loan.instalments.get().due_on:%Y年%-m月%-d日}、一括償還）。"
        + (f"前払利息{interest_now:,}円を差し引いた{payout.amount_yen:,}円を"
           f"{payout.pay_on:%Y年%-m月%-d日}以降にお振り込みします。" if payout else "")
        + (f"借換えの差額と前払利息の{owed:,}円は次の振替日に口座から振り替えます。" if owed else "")
    )  # fmt: skip
    set_status(
        procedure, Procedure.Status.APPROVED if payout else Procedure.Status.DONE, acting_user,
        message,
    )  # fmt: skip
