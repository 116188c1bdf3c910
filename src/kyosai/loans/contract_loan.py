"""契約者貸付 (shokibo 法2条の2, shokibo_rules §5): the live limit of each kind on what the
contract actually paid, the request with its schedule, the staff decision that lends, and the
stored schedule with its interest.

The limit counts the premiums paid for the months up to the latest 基準日 (L1; billing.history,
prepaid months never counted) less every loan outstanding. A request names the kind, the amount,
the term and the facts the kind requires (rules.shokibo.loan_conditions), with the documents that
show them for a special kind; it is received only when the rules allow it, once per idempotency
key, and waits for staff (two people above the threshold, `common/four_eyes/contract_loan`).
Approval recomputes the quote on the day the request was received with the loans outstanding
now, lends today, stores the repayments as `Instalment` rows on shokibo's 振替日 (each with the
next period's interest in advance), posts the loan (LOANS against PAYABLE) and the first
period's interest (LOAN_INTEREST), and approves the payout less that interest, which a 総合振込
file then carries. Repayments ride shokibo's monthly repayment run (loans.collection).
"""

import dataclasses
import datetime as dt
import hashlib
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.billing.history import paid_spans
from kyosai.billing.ledger import Line, post_journal
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.loans.actions import AttachmentFile, store_schedule
from kyosai.loans.models import Loan, Repayment
from kyosai.loans.selectors import outstanding_yen, overdue_instalments
from kyosai.payouts.actions import approve_payout
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Attachment, Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.rules.calendar import debit_date, month_of
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, yen_text
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.loan_conditions import (
    BASIS_LABEL,
    BODY_LABEL,
    CASE_LABEL,
    CAUSE_LABEL,
    FACTS_OF,
    GROUND_LABEL,
    ConditionFacts,
    EmergencyFacts,
    IllnessDisasterCause,
    IllnessDisasterFacts,
    NewBusinessCase,
    NewBusinessFacts,
    SalesFallGround,
    check_conditions,
)
from kyosai.rules.shokibo.loans import (
    KIND_LABEL,
    LoanKind,
    LoanLimitQuote,
    LoanScheduleQuote,
    check_amount_and_term,
    limit_base_date,
    loan_limit,
    loan_schedule,
)
from kyosai.rules.trace import Trace, Traced

# The documents a special kind is lent on (L8–L10); 一般 needs none.
EVIDENCE = {
    LoanKind.EMERGENCY: "商工会・商工会議所などが売上高の減少を確認した書類",
    LoanKind.ILLNESS_DISASTER: "入院証明書（診断書）、または罹災証明書・被害を証明する書類",
    LoanKind.NEW_BUSINESS: "商工会・商工会議所などが要件を確認した書類",
}
# While one of these waits for staff the contract may end or its limit change: a request waits.
BLOCKING = (
    Procedure.Kind.CONTRACT_LOAN,
    Procedure.Kind.BENEFIT_CLAIM,
    Procedure.Kind.TSUSAN,
    Procedure.Kind.CANCELLATION,
)


@dataclass(frozen=True)
class ContractLoanRequest:
    """What the member asks for: the kind, the amount and term, and the kind's facts."""

    kind: LoanKind
    amount_yen: int
    term_months: int
    conditions: ConditionFacts | None = None

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "amount_yen": self.amount_yen,
            "term_months": self.term_months,
            "conditions": _facts_json(self.conditions) if self.conditions else None,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> "ContractLoanRequest":
        kind = LoanKind(data["kind"])
        facts_type = FACTS_OF[kind]
        conditions = data["conditions"]
        return cls(
            kind,
            int(data["amount_yen"]),
            int(data["term_months"]),
            _facts_from(facts_type, conditions) if facts_type and conditions else None,
        )


def _facts_json(facts: ConditionFacts) -> dict[str, Any]:
    return {
        f.name: value.isoformat() if isinstance(value, dt.date) else value
        for f in dataclasses.fields(facts)
        for value in [getattr(facts, f.name)]
    }


def _facts_from(cls: type[ConditionFacts], data: dict[str, Any]) -> ConditionFacts:
    """The facts as stored in a payload, their dates and choices typed again."""
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        types = typing.get_args(hints[name]) or (hints[name],)
        enum = next((t for t in types if isinstance(t, type) and issubclass(t, StrEnum)), None)
        if value is None:
            kwargs[name] = None
        elif dt.date in types:
            kwargs[name] = dt.date.fromisoformat(value)
        else:
            kwargs[name] = enum(value) if enum else value
    return cls(**kwargs)


@dataclass(frozen=True)
class ContractLoanLimits:
    """What the contract may borrow now, kind by kind, and what the limits were counted on."""

    base_on: dt.date
    premiums_yen: int
    months: int
    outstanding_yen: int
    by_kind: dict[LoanKind, LoanLimitQuote]


def contract_loan_limits(contract: Contract, on: dt.date) -> ContractLoanLimits:
    """The live limit of every kind for a request made on `on` (what the portal shows)."""
    _shokibo(contract)
    base = limit_base_date(on)
    spans = paid_spans(contract, base)
    premiums = sum(span.months * span.monthly_yen for span in spans)
    months = sum(span.months for span in spans)
    outstanding = outstanding_yen(contract)
    by_kind = {
        kind: loan_limit(
            kind,
            premiums,
            months,
            on=on,
            outstanding_yen=outstanding,
            outstanding_of_kind_yen=outstanding_yen(contract, Loan.Kind(kind.value)),
        )
        for kind in LoanKind
    }
    return ContractLoanLimits(base, premiums, months, outstanding, by_kind)


def contract_loan_overview(contract: Contract, *, on: dt.date) -> dict[str, Any]:
    """What the contract page shows about 契約者貸付 while a shokibo contract is live: the
    limit of every kind now."""
    if contract.scheme != Scheme.SHOKIBO or contract.status not in (
        Contract.Status.ACTIVE,
        Contract.Status.SUSPENDED,
    ):
        return {}
    return {"loan_limits": contract_loan_limits(contract, on)}


def _shokibo(contract: Contract) -> None:
    if contract.scheme != Scheme.SHOKIBO:
        raise ProcedureError("契約者貸付は小規模企業共済の制度です。")


@dataclass(frozen=True)
class PlannedRepayment:
    """One repayment of a schedule as it will be debited, with the balance it leaves."""

    number: int
    month: dt.date
    due_on: dt.date  # shokibo's 振替日 of the month (the next business day after a holiday)
    principal_yen: int
    interest_yen: int  # the next period's interest, paid in advance with it
    balance_after_yen: int


def planned_repayments(schedule: LoanScheduleQuote) -> list[PlannedRepayment]:
    """The schedule's repayments on shokibo's 振替日 of the month each falls in: what the portal
    previews and what approval stores."""
    balance = sum(p.principal_yen for p in schedule.repayments)
    planned = []
    for number, payment in enumerate(schedule.repayments, start=1):
        balance -= payment.principal_yen
        planned.append(
            PlannedRepayment(
                number,
                month_of(payment.due_on),
                debit_date(Scheme.SHOKIBO, payment.due_on),
                payment.principal_yen,
                payment.interest_yen,
                balance,
            )
        )
    return planned


@dataclass(frozen=True)
class ContractLoanQuote(Traced):
    """A request as the rules answer it on a day: the limit, the schedule (when the amount and
    term are ones the kind allows) and every reason it cannot be lent, with their traces."""

    request: ContractLoanRequest
    limit: LoanLimitQuote
    schedule: LoanScheduleQuote | None
    reasons: tuple[Reason, ...]
    traces: tuple[Trace, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons and self.schedule is not None

    @property
    def kind_label(self) -> str:
        return KIND_LABEL[self.request.kind]

    @property
    def first_interest_yen(self) -> int:
        return self.schedule.drawdown_interest_yen if self.schedule else 0

    @property
    def paid_out_yen(self) -> int:
        """What is transferred: the loan less the first period's interest (L5)."""
        return self.request.amount_yen - self.first_interest_yen

    @property
    def repayments(self) -> list[PlannedRepayment]:
        return planned_repayments(self.schedule) if self.schedule else []


def quote_contract_loan(
    contract: Contract, request: ContractLoanRequest, *, applied_on: dt.date, lent_on: dt.date
) -> ContractLoanQuote:
    """`request` as the rules answer it when applied for on `applied_on` and lent on `lent_on`,
    on what the contract actually paid and the loans it owes now."""
    limits = contract_loan_limits(contract, applied_on)
    limit = limits.by_kind[request.kind]
    try:
        amount = check_amount_and_term(
            request.kind, request.amount_yen, request.term_months, limit_yen=limit.limit_yen,
            on=applied_on,
        )  # fmt: skip
        conditions = check_conditions(request.kind, request.conditions, applied_on=applied_on)
        schedule = None
        if not any(r.code in ("amount_yen", "term_months") for r in amount.reasons):
            schedule = loan_schedule(
                request.kind, request.amount_yen, request.term_months, drawn_on=lent_on
            )
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None
    reasons = [*amount.reasons, *conditions.reasons]
    if overdue_instalments(contract, on=applied_on):
        reasons.append(
            Reason(
                "repayment_overdue",
                "返済が遅れている貸付けがあるため、新たに借りることはできません。"
                "先に遅れている分をお支払いください。",
            )
        )
    traces = [limit.trace, amount.trace, conditions.trace]
    if schedule is not None:
        traces.append(schedule.trace)
    return ContractLoanQuote(request, limit, schedule, tuple(reasons), tuple(traces))


def _lendable(contract: Contract) -> None:
    _shokibo(contract)
    if contract.status not in (Contract.Status.ACTIVE, Contract.Status.SUSPENDED):
        raise ProcedureError("この契約は終了しているため、貸付けは受けられません。")


def do_submit_contract_loan(
    contract: Contract,
    request: ContractLoanRequest,
    attachments: list[AttachmentFile],
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """契約者貸付の申込み: received with its quote (and the documents a special kind needs) when
    the rules allow it, then waits for staff; refused with the rules' reasons otherwise
    (nothing is saved)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    _lendable(contract)
    if request.kind in EVIDENCE and not attachments:
        raise ProcedureError(f"{EVIDENCE[request.kind]}を添付してください。")
    if contract.procedures.filter(kind__in=BLOCKING, status=Procedure.Status.CHECKING).exists():
        raise ProcedureError(
            "この契約には確認中のお手続き（貸付け・共済金・通算・解約）があります。"
            "その結果が出てからお申し込みください。"
        )
    on = timezone.localdate(received_at)
    quote = quote_contract_loan(contract, request, applied_on=on, lent_on=on)
    if not quote.allowed:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    assert quote.schedule is not None  # allowed
    try:
        with transaction.atomic():
            procedure = Procedure.objects.create(
                kind=Procedure.Kind.CONTRACT_LOAN, scheme=contract.scheme, channel=channel,
                party=contract.party, contract=contract, submitted_by=signed_in(acting_user),
                received_at=received_at, idempotency_key=idempotency_key,
                payload={**request.payload(), "kind_label": quote.kind_label,
                         "quoted_yen": request.amount_yen,
                         "first_interest_yen": quote.first_interest_yen,
                         "rate": rate_text(quote.schedule.rate),
                         "limit_yen": quote.limit.limit_yen,
                         "base_on": quote.limit.base_on.isoformat(),
                         "facts": [list(line) for line in facts_lines(request)]},
                amount_yen=request.amount_yen,  # what approval lends: the four-eyes threshold
            )  # fmt: skip
            for file in attachments:
                Attachment.objects.create(
                    procedure=procedure, name=file.name, content_type=file.content_type,
                    size=len(file.data), sha256=hashlib.sha256(file.data).hexdigest(),
                    data=file.data, uploaded_at=timezone.now(),
                )  # fmt: skip
            add_event(
                procedure, Procedure.Status.RECEIVED, "お申込みを受け付けました。", acting_user
            )
            record(
                "procedure.submit", procedure, actor=acting_user, kind=procedure.kind,
                loan_kind=request.kind, channel=channel, attachments=len(attachments),
            )  # fmt: skip
            set_status(
                procedure, Procedure.Status.CHECKING, acting_user,
                f"{quote.kind_label}{request.amount_yen:,}円（{request.term_months}か月）の"
                f"お申込みを受け付けました。最初の利息{quote.first_interest_yen:,}円を差し引いた"
                f"{quote.paid_out_yen:,}円をお振り込みする見込みです"
                + ("（添付書類を確認して決定します）。" if request.kind in EVIDENCE else "。"),
            )  # fmt: skip
    except IntegrityError:  # a concurrent double submit won the unique key
        return Procedure.objects.get(idempotency_key=idempotency_key)
    return procedure


def complete_contract_loan(procedure: Procedure, *, acting_user: Actor) -> None:
    """A 契約者貸付 approved by staff (procedures.review, inside its transaction): lent today on
    the rules' answer for the day it was received, with its schedule, postings and payout."""
    assert procedure.contract is not None  # a loan is always of a contract
    contract = Contract.objects.select_for_update().get(pk=procedure.contract.pk)
    _lendable(contract)
    request = ContractLoanRequest.from_payload(procedure.payload)
    lent_on = timezone.localdate()
    quote = quote_contract_loan(
        contract, request, applied_on=timezone.localdate(procedure.received_at), lent_on=lent_on
    )
    if not quote.allowed:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    schedule = quote.schedule
    assert schedule is not None  # allowed
    loan = Loan.objects.create(
        contract=contract, procedure=procedure, kind=Loan.Kind(request.kind.value),
        principal_yen=request.amount_yen, lent_on=lent_on, term_months=request.term_months,
        interest_yen=schedule.drawdown_interest_yen, trace=quote.trace_text(),
        created_at=timezone.now(),
    )  # fmt: skip
    store_schedule(loan, planned_repayments(schedule))
    interest = loan.interest_yen
    journal, _ = post_journal(
        Journal.Kind.LOAN,
        f"loan:{procedure.pk}",
        lent_on,
        [
            Line(Account.LOANS, loan.principal_yen, contract),
            Line(Account.LOAN_INTEREST, -interest),
            Line(Account.PAYABLE, -(loan.principal_yen - interest), contract),
        ],
    )
    Repayment.objects.create(
        loan=loan, source=Repayment.Source.PAYOUT, on=lent_on, principal_yen=0,
        interest_yen=interest, journal=journal,
    )  # fmt: skip
    payout = approve_payout(
        contract=contract, kind=Payout.Kind.LOAN, amount_yen=loan.principal_yen - interest,
        reference=f"loan:{procedure.pk}", pay_on=lent_on, procedure=procedure,
    )  # fmt: skip
    record(
        "loan.lend", loan, actor=acting_user, contract=contract.number, kind=loan.kind,
        principal_yen=loan.principal_yen, interest_yen=interest,
        instalments=len(schedule.repayments), payout=payout.pk,
    )  # fmt: skip
    first = loan.instalments.first()
    assert first is not None  # every schedule repays
    count = len(schedule.repayments)
    repaid = (
        f"{first.due_on:%Y年%-m月%-d日}に一括でご返済いただきます"
        if count == 1
        else f"{first.due_on:%Y年%-m月%-d日}から6か月ごとに{count}回、元金{first.principal_yen:,}円"
        "と次の6か月分の利息をご返済いただきます"
    )
    set_status(
        procedure, Procedure.Status.APPROVED, acting_user,
        f"{quote.kind_label}{loan.principal_yen:,}円（{request.term_months}か月、年"
        f"{rate_text(schedule.rate)}）の貸付けを決定しました。最初の利息{interest:,}円を差し引いた"
        f"{payout.amount_yen:,}円を{payout.pay_on:%Y年%-m月%-d日}以降にお振り込みします。"
        f"{repaid}（口座振替）。",
    )  # fmt: skip


def facts_lines(request: ContractLoanRequest) -> list[tuple[str, str]]:
    """The request's facts as staff read them on the review page (label, value)."""
    lines = [
        ("貸付けの種類", KIND_LABEL[request.kind]),
        ("貸付金額・期間", f"{yen_text(request.amount_yen)}・{request.term_months}か月"),
    ]
    f = request.conditions
    if isinstance(f, EmergencyFacts):
        lines += [
            ("確認した団体", f"{f.confirmer_name}（{BODY_LABEL[f.confirmed_by]}）"),
            ("売上高の減少", GROUND_LABEL[f.ground]),
        ]
        if f.ground == SalesFallGround.RECOGNISED_CAUSE:
            lines.append(("事由", f.cause))
        else:
            end = f.period_end_month
            lines += [
                ("比べた期間", f"{end:%Y年%-m月}までの{f.period_months}か月" if end else "—"),
                (
                    "売上高",
                    f"{yen_text(f.sales_yen)}（{f.years_back}年前の同じ期間 "
                    f"{yen_text(f.compared_sales_yen)}）",
                ),
            ]
            if f.ground == SalesFallGround.YEARS_AGO:
                lines.append(("前年の同じ期間の売上高", yen_text(f.last_year_sales_yen)))
        lines.append(("今後の減少の見込み", "あり" if f.expected_to_fall else "なし"))
    elif isinstance(f, IllnessDisasterFacts):
        lines += [("事由", CAUSE_LABEL[f.cause])]
        if f.cause == IllnessDisasterCause.ILLNESS:
            lines += [("入院した日", f"{f.event_on:%Y年%-m月%-d日}"),
                      ("入院の日数", f"{f.hospital_days}日")]  # fmt: skip
        else:
            lines += [("災害の日", f"{f.event_on:%Y年%-m月%-d日}"),
                      ("被害を証明した機関", f.certifier_name)]  # fmt: skip
    elif isinstance(f, NewBusinessFacts):
        lines += [
            ("区分", CASE_LABEL[f.case]),
            ("確認した団体", f"{f.confirmer_name}（{BODY_LABEL[f.confirmed_by]}）"),
        ]
        if f.case == NewBusinessCase.STARTUP:
            statements = (f.event_occurred_or_certain, f.starts_or_changes_business,
                          f.stays_small_enterprise, f.tsusan_without_claim)  # fmt: skip
            lines.append(
                (
                    "創業転業時の要件",
                    "共済事由の発生（確実）・創業または転業・小規模企業者のまま・請求せずに通算"
                    if all(statements)
                    else "満たしていない項目があります",
                )
            )
        else:
            lines += [("内容", BASIS_LABEL[f.basis] if f.basis else "—"),
                      ("新たな事業", f.new_business)]  # fmt: skip
    return lines
