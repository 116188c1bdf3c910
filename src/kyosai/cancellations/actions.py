"""Cancelling a contract and settling it (解約の精算), for every kind and both schemes.

The refund is computed on what the contract actually paid (billing.history): tosan by 施行令4条
(the rate by months and kind), shokibo by 令別表第二 per 500円 slice. Paid with it: premiums
paid for months after the cancellation (returned whole [I]: the references say such months do
not count, not what becomes of their money) and any unpaid 前納減額金 (tosan P22). The
settlement is one journal: the member's premiums are closed, the difference between what they
held and what is paid goes to CLOSING_DIFFERENCE, arrears still owed are written off, and the
amount paid is credited to the member's 未払金, from which a Payout carries it to the bank.

`statement_for` is the same computation without saving anything: the member's live quote.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kyosai.billing.discounts import settle_discount, unpaid_discount_yen
from kyosai.billing.history import paid_spans, premiums_received_yen
from kyosai.billing.ledger import Line, balance_of, post_journal
from kyosai.billing.models import Account, Bill, Journal
from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import CERTIFICATE_SCHEME_NAMES
from kyosai.core.audit import Actor, record
from kyosai.core.errors import ContractError
from kyosai.documents.statements import CancellationStatementFacts, render_cancellation_statement
from kyosai.loans.models import Repayment
from kyosai.loans.offsets import offset_lines, owed_total, record_offsets, take_for_loans
from kyosai.loans.selectors import Owed, owed_on, tosan_account
from kyosai.payouts.actions import PayeeAccount, approve_payout, payee_of
from kyosai.payouts.models import Payout
from kyosai.payouts.selectors import payee_text
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import set_status
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo import refund as shokibo_refund
from kyosai.rules.tosan import refund as tosan_refund
from kyosai.rules.trace import Step, Trace

TOSAN_KIND = {
    Cancellation.Kind.VOLUNTARY: tosan_refund.CancellationType.VOLUNTARY,
    Cancellation.Kind.OPERATOR: tosan_refund.CancellationType.OPERATOR,
    Cancellation.Kind.DEEMED: tosan_refund.CancellationType.DEEMED,
}


@dataclass(frozen=True)
class Statement:
    """What cancelling the contract on `effective_on` pays, and how it was computed."""

    kind: Cancellation.Kind
    effective_on: dt.date
    months: int
    premiums_yen: int
    rate_text: str
    refund_yen: int
    prepaid_return_yen: int
    discount_yen: int
    trace: Trace
    owed: tuple[Owed, ...] = ()  # loans outstanding: taken from what is paid [I] (§3.3)

    @property
    def offset_yen(self) -> int:
        gross = self.refund_yen + self.prepaid_return_yen + self.discount_yen
        return min(gross, owed_total(self.owed))

    @property
    def net_yen(self) -> int:
        return self.refund_yen + self.prepaid_return_yen + self.discount_yen - self.offset_yen


def statement_for(contract: Contract, kind: Cancellation.Kind, *, on: dt.date) -> Statement:
    """The settlement of cancelling `contract` on `on`, on its real history, with its loans'
    balances and 違約金 taken from what is paid (nothing saved)."""
    statement = _refund(contract, kind, on)
    return dataclasses.replace(statement, owed=tuple(owed_on(contract, on)))


def _refund(contract: Contract, kind: Cancellation.Kind, on: dt.date) -> Statement:
    try:
        if contract.scheme == Scheme.TOSAN:
            account = tosan_account(contract, on)
            quote = tosan_refund.cancellation_refund(account, cancellation=TOSAN_KIND[kind], on=on)
            return Statement(
                kind, on, quote.months, quote.eligible_total_yen, rate_text(quote.rate),
                quote.amount_yen, account.prepaid_unarrived_yen, unpaid_discount_yen(contract),
                quote.trace,
            )  # fmt: skip
        received = premiums_received_yen(contract)
        spans = paid_spans(contract, on)
        if not spans:  # nothing paid up to the cancellation: no refund to compute
            return Statement(
                kind, on, 0, 0, "—", 0, received, unpaid_discount_yen(contract),
                Trace("小規模企業共済 解約手当金", (("解約日", on.isoformat()),),
                      (Step("掛金納付月数", "0か月"),), (), ("掛金の納付がないため、解約手当金はありません。",)),
            )  # fmt: skip
        refund = shokibo_refund.cancellation_refund(spans, on=on)
        counted = sum(span.months * span.monthly_yen for span in spans)
        return Statement(
            kind, on, refund.slice_months[0], refund.premiums_paid_yen, "掛金区分ごと（計算の明細のとおり）",
            refund.amount_yen, max(received - counted, 0), unpaid_discount_yen(contract),
            refund.trace,
        )  # fmt: skip
    except RuleError as exc:
        raise ContractError(exc.message_ja) from None


@transaction.atomic
def do_cancel(
    contract: Contract,
    *,
    kind: Cancellation.Kind,
    on: dt.date,
    reason: str,
    procedure: Procedure | None = None,
    payee: PayeeAccount | None = None,
    acting_user: Actor | None,
) -> Cancellation:
    """Cancel `contract` with effect from `on` and settle it: what it pays is posted to the
    member's 未払金 and stated in the 解約精算書. Paying it out is `approve_refund`, on a staff
    decision. A contract cancelled before returns its cancellation."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if (done := Cancellation.objects.filter(contract=contract).first()) is not None:
        return done
    if Bill.objects.filter(contract=contract).pending().exists():
        raise ContractError(
            "振替結果を待っている掛金の請求があるため、まだ精算できません。"
            "金融機関からの振替結果を取り込んだ後に手続きしてください。"
        )
    old_status = contract.status
    contract.status = Contract.Status.CANCELLED
    contract.save(update_fields=["status"])
    statement = statement_for(contract, kind, on=on)
    settle_discount(contract, on=on)  # accrues what was earned; the statement counted it
    account = payee or payee_of(contract, on)
    _post_settlement(contract, statement)
    cancellation = Cancellation.objects.create(
        contract=contract, kind=kind, effective_on=on, reason=reason, procedure=procedure,
        months=statement.months, premiums_yen=statement.premiums_yen,
        refund_yen=statement.refund_yen, prepaid_return_yen=statement.prepaid_return_yen,
        discount_yen=statement.discount_yen, offset_yen=statement.offset_yen,
        net_yen=statement.net_yen,
        trace=statement.trace.render(), created_at=timezone.now(),
        bank_code=account.bank_code, branch_code=account.branch_code,
        account_type=account.account_type, account_number=account.account_number,
        payee_kana=account.payee_kana,
        statement_pdf=render_cancellation_statement(_facts(contract, statement, account)),
    )  # fmt: skip
    record(
        "contract.cancel", contract, actor=acting_user, kind=kind, on=on.isoformat(),
        reason=reason, old=old_status, refund_yen=statement.refund_yen,
        prepaid_return_yen=statement.prepaid_return_yen, discount_yen=statement.discount_yen,
        net_yen=statement.net_yen, procedure=procedure.pk if procedure else None,
    )  # fmt: skip
    return cancellation


def approve_refund(cancellation: Cancellation, *, procedure: Procedure) -> Payout | None:
    """Pay out a settled cancellation (a staff decision's effect): None when it pays nothing."""
    if cancellation.net_yen == 0:
        return None
    return approve_payout(
        contract=cancellation.contract, kind=Payout.Kind.REFUND, amount_yen=cancellation.net_yen,
        reference=f"refund:{cancellation.contract.number}", pay_on=cancellation.effective_on,
        procedure=procedure, payee=PayeeAccount(
            cancellation.bank_code, cancellation.branch_code, cancellation.account_type,
            cancellation.account_number, cancellation.payee_kana,
        ),
    )  # fmt: skip


@transaction.atomic
def do_cancel_for_arrears(
    contract: Contract, *, on: dt.date, notice_id: int, acting_user: Actor | None
) -> Cancellation:
    """機構解約 (法7条2項): the 解除予告's deadline passed with the arrears unpaid. The contract
    is cancelled and settled at once; its refund waits in the staff queue as a cancellation
    procedure begun by the operator, whose approval pays it."""
    cancellation = do_cancel(
        contract, kind=Cancellation.Kind.OPERATOR, on=on,
        reason="掛金の滞納（解除予告の期限までに納付がありませんでした）", acting_user=acting_user,
    )  # fmt: skip
    if cancellation.net_yen > 0:
        procedure = Procedure.objects.create(
            kind=Procedure.Kind.CANCELLATION, scheme=contract.scheme,
            channel=Procedure.Channel.OPERATOR, party=contract.party, contract=contract,
            received_at=timezone.now(), idempotency_key=f"operator-cancellation:{contract.number}",
            payload={"kind": cancellation.kind, "effective_on": on.isoformat(),
                     "reason": cancellation.reason, "notice": notice_id,
                     "quoted_yen": cancellation.net_yen},
            amount_yen=cancellation.net_yen,
        )  # fmt: skip
        Cancellation.objects.filter(pk=cancellation.pk).update(procedure=procedure)
        set_status(
            procedure, Procedure.Status.CHECKING, acting_user,
            f"掛金の滞納により{on:%Y年%-m月%-d日}付で契約を解約しました（機構解約）。"
            f"解約手当金など{cancellation.net_yen:,}円のお支払いを確認しています。",
        )  # fmt: skip
    return cancellation


def _post_settlement(contract: Contract, statement: Statement) -> None:
    """The member's premiums and arrears are closed; what is paid becomes their 未払金."""
    premiums = -balance_of(contract, Account.PREMIUMS)  # credit balance: what they hold
    arrears = balance_of(contract, Account.ARREARS)  # debit balance: still owed, written off
    paid_from_premiums = statement.refund_yen + statement.prepaid_return_yen
    taken = take_for_loans(statement.owed, statement.offset_yen)
    journal, _ = post_journal(
        Journal.Kind.CANCELLATION,
        f"cancel:{contract.number}",
        statement.effective_on,
        [
            Line(Account.PREMIUMS, premiums, contract),
            Line(Account.CLOSING_DIFFERENCE, paid_from_premiums - premiums),
            Line(Account.ARREARS, -arrears, contract),
            Line(Account.ARREARS_OFFSET, arrears),
            Line(Account.DISCOUNT_PAYABLE, statement.discount_yen, contract),
            *offset_lines(taken, contract),
            Line(Account.PAYABLE, -statement.net_yen, contract),
        ],
    )
    record_offsets(
        taken, source=Repayment.Source.REFUND, on=statement.effective_on, journal=journal
    )


def _facts(
    contract: Contract, statement: Statement, account: PayeeAccount
) -> CancellationStatementFacts:
    return CancellationStatementFacts(
        scheme_name=CERTIFICATE_SCHEME_NAMES[Scheme(contract.scheme)],
        contract_number=contract.number,
        holder_name=contract.party.name,
        kind_label=statement.kind.label,
        effective_on=statement.effective_on,
        months=statement.months,
        premiums_yen=statement.premiums_yen,
        rate_text=statement.rate_text,
        refund_yen=statement.refund_yen,
        prepaid_return_yen=statement.prepaid_return_yen,
        discount_yen=statement.discount_yen,
        offset_yen=statement.offset_yen,
        net_yen=statement.net_yen,
        payee=payee_text(account),
        issued_on=statement.effective_on,
    )
