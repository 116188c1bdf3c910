"""共済金の請求 and 掛金納付月数の通算 (shokibo), from the member's request to the money.

A claim names the event (法9条 and 法7条4項 events; `rules.shokibo.events` says whether it pays
共済金A, B or 準共済金), its date, the claimant's birth date (the age on the event decides 老齢給付
and whether 分割 is open) and the receipt method. It is quoted on the contract's real history up
to the event month (billing.history, plus months carried in by 通算), received once per
idempotency key with what approval pays (`Procedure.amount_yen`, for four-eyes), and waits for
staff. Loans the contract still owes are taken from the 共済金 before it is split into what is
paid at once and in instalments (R2 counts the 共済金 net of them; §5.3 [I]). Approved, the benefit
is determined as quoted: one journal closes the member's premiums, writes off arrears, repays
the loans taken from it and credits the member's 未払金 with everything the determination pays; the
part paid at once is a Payout at once, each 分割 instalment a Payout when it falls due
(`approve_due_instalments`, idempotent per instalment). The contract ends (ENDED).

通算 (法13条1項): within a year of an A/B event, instead of claiming, the holder applies on the old
contract with the new contract's premium and position (様式 小141 is both the 通算申出 and the
application). Approved, the old contract ends unclaimed and the new contract is issued from the
month after the event (premiums are owed up to the event month, 法17条1項); its benefit then
counts the carried months slice by slice (benefits.history).
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kyosai.benefits.history import benefit_spans, carried_spans, chain, received_yen
from kyosai.benefits.models import Determination, Instalment, Tsusan
from kyosai.billing.discounts import settle_discount, unpaid_discount_yen
from kyosai.billing.ledger import Line, balance_of, post_journal
from kyosai.billing.models import Account, Bill, Journal
from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import CERTIFICATE_SCHEME_NAMES
from kyosai.core.audit import Actor, record
from kyosai.core.errors import ContractError, ProcedureError
from kyosai.documents.benefits import BenefitNoticeFacts, render_benefit_notice
from kyosai.loans.models import Repayment
from kyosai.loans.offsets import offset_lines, owed_total, record_offsets, take_for_loans
from kyosai.loans.selectors import Owed, owed_on
from kyosai.payouts.actions import PayeeAccount, approve_payout, payee_of
from kyosai.payouts.models import Payout
from kyosai.payouts.selectors import payee_text
from kyosai.procedures.actions import (
    Check,
    EnrollmentApplication,
    MandateFacts,
    PartyFacts,
    check_enrollment,
    issue_contract,
)
from kyosai.procedures.changes import receive_procedure
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.rules.calendar import add_months, month_of
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.benefits import BENEFIT_LABEL, BenefitKind, benefit
from kyosai.rules.shokibo.events import EVENT_LABEL, BenefitEvent, age_on, classify_event
from kyosai.rules.shokibo.history import PremiumSpan, slice_months
from kyosai.rules.shokibo.receipt import (
    METHOD_LABEL,
    ClaimKind,
    InstalmentSchedule,
    ReceiptMethod,
    ReceiptRequest,
    check_receipt,
    instalment_schedule,
)
from kyosai.rules.shokibo.tsusan import CommonFacts, TsusanEvent, same_person_tsusan
from kyosai.rules.trace import Trace, Traced

QUOTE_NOTE = "入金済みの掛金で計算した見込みで、承認の時点で確定します"


@dataclass(frozen=True)
class ClaimFacts:
    """What the claimant states (the portal form, or staff keying a paper claim)."""

    event: BenefitEvent
    event_on: dt.date
    birth_date: dt.date
    method: ReceiptMethod = ReceiptMethod.LUMP
    years: int = 10  # 分割・併用: 分割支給期間
    lump_part_yen: int = 0  # 併用: the part taken at once

    def payload(self) -> dict[str, Any]:
        return {
            "event": self.event.value,
            "event_on": self.event_on.isoformat(),
            "birth_date": self.birth_date.isoformat(),
            "method": self.method.value,
            "years": self.years,
            "lump_part_yen": self.lump_part_yen,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> "ClaimFacts":
        return cls(
            BenefitEvent(data["event"]),
            dt.date.fromisoformat(data["event_on"]),
            dt.date.fromisoformat(data["birth_date"]),
            ReceiptMethod(data["method"]),
            int(data["years"]),
            int(data["lump_part_yen"]),
        )


@dataclass(frozen=True)
class ClaimQuote(Traced):
    """What a claim pays and how it is received, with every trace (nothing saved)."""

    facts: ClaimFacts
    age_on_event: int
    kind: BenefitKind | None  # None: the event pays no 共済金 (see reasons)
    death: bool
    months: int  # 掛金納付月数 (掛金区分1), carried months included
    carried_months: int
    premiums_yen: int
    benefit_yen: int
    basic_yen: int
    additional_yen: int
    overpaid_return_yen: int
    discount_yen: int
    schedule: InstalmentSchedule | None
    reasons: tuple[Reason, ...]
    traces: tuple[Trace, ...]
    owed: tuple[Owed, ...] = ()  # loans the contract still owes

    @property
    def allowed(self) -> bool:
        return not self.reasons

    @property
    def kind_label(self) -> str:
        return BENEFIT_LABEL[self.kind] if self.kind else "—"

    @property
    def loan_offset_yen(self) -> int:
        """What the loans still owed take from the 共済金 (what it cannot cover stays due)."""
        return min(self.benefit_yen, owed_total(self.owed))

    @property
    def net_benefit_yen(self) -> int:
        """The 共済金 less the loans: what is received, at once or in instalments (R2)."""
        return self.benefit_yen - self.loan_offset_yen

    @property
    def lump_part_yen(self) -> int:
        if self.facts.method == ReceiptMethod.LUMP:
            return self.net_benefit_yen
        return self.facts.lump_part_yen if self.facts.method == ReceiptMethod.COMBINED else 0

    @property
    def instalment_part_yen(self) -> int:
        return self.net_benefit_yen - self.lump_part_yen

    @property
    def instalment_total_yen(self) -> int:
        return self.schedule.total_yen if self.schedule else 0

    @property
    def paid_now_yen(self) -> int:
        return self.lump_part_yen + self.overpaid_return_yen + self.discount_yen

    @property
    def total_yen(self) -> int:
        return self.paid_now_yen + self.instalment_total_yen


def quote_claim(contract: Contract, facts: ClaimFacts, *, received_on: dt.date) -> ClaimQuote:
    """The claim `facts` on `contract`, received on `received_on`, on its real history."""
    _check_dates(contract, facts.event_on, facts.birth_date, received_on)
    try:
        return _quote(contract, facts, received_on)
    except RuleError as exc:
        raise ContractError(exc.message_ja) from None


def _quote(contract: Contract, facts: ClaimFacts, received_on: dt.date) -> ClaimQuote:
    age = age_on(facts.birth_date, facts.event_on)
    spans = benefit_spans(contract, facts.event_on)
    months = slice_months(spans)[0] if spans else 0
    carried = carried_spans(contract)
    event = classify_event(
        contract.position, facts.event, age_on_event=age, months_paid=months, on=facts.event_on
    )
    premiums = sum(span.months * span.monthly_yen for span in spans)
    owed = tuple(owed_on(contract, received_on))
    refused = ClaimQuote(
        facts=facts, age_on_event=age, kind=None, death=event.death, months=months,
        carried_months=slice_months(carried)[0] if carried else 0, premiums_yen=premiums,
        benefit_yen=0, basic_yen=0, additional_yen=0,
        overpaid_return_yen=max(received_yen(chain(contract)) - premiums, 0),
        discount_yen=unpaid_discount_yen(contract), schedule=None, reasons=event.reasons,
        traces=(event.trace,), owed=owed,
    )  # fmt: skip
    if event.kind is None:
        return refused
    amount, basic, additional, benefit_trace = _benefit(spans, event.kind, facts.event_on)
    net = amount - min(amount, owed_total(owed))
    reasons = list(event.reasons)
    traces = [event.trace, benefit_trace]
    lump_part = facts.lump_part_yen if facts.method == ReceiptMethod.COMBINED else 0
    if lump_part > net:
        reasons.append(Reason("lump_part_too_large", "併用の一括部分が共済金の額を超えています。"))
    else:
        receipt = check_receipt(
            ReceiptRequest(
                facts.method,
                ClaimKind(event.kind.value),
                net,
                age,
                facts.event_on,
                received_on,
                event.death,
                lump_part,
                facts.years,
            )
        )
        reasons += receipt.reasons
        traces.append(receipt.trace)
    schedule = None
    if not reasons and facts.method != ReceiptMethod.LUMP:
        schedule = instalment_schedule(
            net - lump_part, years=facts.years, event_on=facts.event_on,
            claim_received_on=received_on,
        )  # fmt: skip
        traces.append(schedule.trace)
    return dataclasses.replace(
        refused, kind=event.kind, benefit_yen=amount, basic_yen=basic,
        additional_yen=additional, schedule=schedule, reasons=tuple(reasons),
        traces=tuple(traces),
    )  # fmt: skip


def _benefit(
    spans: list[PremiumSpan], kind: BenefitKind, on: dt.date
) -> tuple[int, int, int, Trace]:
    if not spans:  # nothing paid before the event: nothing to compute on
        trace = Trace(
            f"小規模企業共済 {BENEFIT_LABEL[kind]}", (("共済事由の生じた日", on.isoformat()),),
            (), (), ("掛金の納付がないため、共済金はありません。",),
        )  # fmt: skip
        return 0, 0, 0, trace
    quote = benefit(spans, kind=kind, on=on)
    return quote.amount_yen, quote.basic_yen, quote.additional_yen, quote.trace


def benefit_quotes(contract: Contract, *, on: dt.date) -> dict[BenefitKind, Trace | None]:
    """The portal's 共済金の見込み額: each kind of benefit if the event happened on `on`, on the
    real history and any carried months (the kinds an event of the holder's position pays)."""
    try:
        spans = benefit_spans(contract, on)
        return {
            kind: _benefit(spans, kind, on)[3] if spans else None
            for kind in (BenefitKind.A, BenefitKind.B, BenefitKind.QUASI)
        }
    except RuleError as exc:
        raise ContractError(exc.message_ja) from None


def _check_dates(
    contract: Contract, event_on: dt.date, birth_date: dt.date, received_on: dt.date
) -> None:
    if event_on > received_on:
        raise ProcedureError("共済事由の生じた日に、今日より後の日付は入力できません。")
    if event_on < contract.joined_month:
        raise ProcedureError("共済事由の生じた日が、ご加入の月より前になっています。")
    if birth_date >= event_on:
        raise ProcedureError("生年月日が共済事由の生じた日より後になっています。")


def _claimable(contract: Contract) -> None:
    """A claim or 通算 is made on a live shokibo contract with none waiting and none carried."""
    if contract.scheme != Scheme.SHOKIBO:
        raise ProcedureError("共済金の請求と通算は小規模企業共済の契約で行います。")
    if Tsusan.objects.filter(old_contract=contract).exists():
        raise ProcedureError(
            "この契約の掛金納付月数は新しい契約に通算済みのため、共済金は請求できません。"
        )
    if contract.status not in (Contract.Status.ACTIVE, Contract.Status.SUSPENDED):
        raise ProcedureError("この契約はすでに終了しています。")
    if contract.procedures.filter(
        kind__in=[Procedure.Kind.BENEFIT_CLAIM, Procedure.Kind.TSUSAN],
        status=Procedure.Status.CHECKING,
    ).exists():
        raise ProcedureError("この契約の共済金の請求（または通算の申出）はすでに受け付けています。")


def _refused(reasons: tuple[Reason, ...]) -> ProcedureError:
    return ProcedureError(" ".join(reason.message_ja for reason in reasons))


def do_submit_benefit_claim(
    contract: Contract,
    facts: ClaimFacts,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """共済金の請求: received once per key with its quote, then waits for staff. A claim the rules
    refuse (the event, the receipt method) is not received: the reasons are the error."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    _claimable(contract)
    quote = quote_claim(contract, facts, received_on=timezone.localdate(received_at))
    if not quote.allowed:
        raise _refused(quote.reasons)
    try:
        with transaction.atomic():
            procedure = receive_procedure(
                contract, Procedure.Kind.BENEFIT_CLAIM, channel, idempotency_key, received_at,
                acting_user, {**facts.payload(), "kind": quote.kind, "quoted_yen": quote.total_yen,
                              "benefit_yen": quote.benefit_yen, "months": quote.months,
                              "kind_label": quote.kind_label,
                              "event_label": EVENT_LABEL[facts.event],
                              "method_label": METHOD_LABEL[facts.method]},
            )  # fmt: skip
            # What approval pays out, compared with the four-eyes threshold (rules.four_eyes).
            procedure.amount_yen = quote.total_yen
            procedure.save(update_fields=["amount_yen"])
            set_status(
                procedure, Procedure.Status.CHECKING, acting_user,
                f"{quote.kind_label}の請求（{EVENT_LABEL[facts.event]}、"
                f"{METHOD_LABEL[facts.method]}受取）を受け付けました。{quote.kind_label}の見込み額は"
                f"{quote.benefit_yen:,}円です（{QUOTE_NOTE}）。",
            )  # fmt: skip
    except IntegrityError:  # a concurrent double submit won the unique key
        return Procedure.objects.get(idempotency_key=idempotency_key)
    return procedure


def complete_benefit_claim(procedure: Procedure, *, acting_user: Actor) -> None:
    """A claim approved by staff (called by procedures.review inside its transaction)."""
    determination = do_determine_benefit(procedure, acting_user=acting_user)
    paid = []
    if determination.paid_now_yen:
        paid.append(
            f"{determination.paid_now_yen:,}円を{determination.received_on:%Y年%-m月%-d日}以降に"
        )
    first = determination.instalments.first()
    if first is not None:
        paid.append(
            f"分割分を{first.due_on:%Y年%-m月%-d日}から{determination.instalments.count()}回に分けて"
        )
    message = (
        f"{determination.get_kind_display()}{determination.benefit_yen:,}円の支給を決定しました。"
        + ("、".join(paid) + "お振り込みします。" if paid else "お支払いはありません。")
    )
    set_status(
        procedure,
        Procedure.Status.APPROVED if paid else Procedure.Status.DONE,
        acting_user,
        message,
    )


@transaction.atomic
def do_determine_benefit(procedure: Procedure, *, acting_user: Actor) -> Determination:
    """共済金の支給決定 of an approved claim, as quoted on the day it was received; the contract
    ends. A claim determined before returns its determination."""
    assert procedure.contract is not None  # a claim is always of a contract
    contract = Contract.objects.select_for_update().get(pk=procedure.contract.pk)
    if (done := Determination.objects.filter(contract=contract).first()) is not None:
        return done
    if Bill.objects.filter(contract__in=chain(contract)).pending().exists():
        raise ContractError(
            "振替結果を待っている掛金の請求があるため、まだ決定できません。"
            "金融機関からの振替結果を取り込んだ後に手続きしてください。"
        )
    facts = ClaimFacts.from_payload(procedure.payload)
    received_on = timezone.localdate(procedure.received_at)
    quote = quote_claim(contract, facts, received_on=received_on)
    if not quote.allowed:
        raise _refused(quote.reasons)
    assert quote.kind is not None
    settle_discount(contract, on=received_on)  # accrues what was earned; the quote counted it
    old_status = contract.status
    contract.status = Contract.Status.ENDED
    contract.save(update_fields=["status"])
    payee = payee_of(contract, received_on)
    _post_determination(contract, quote, received_on)
    determination = Determination.objects.create(
        contract=contract, procedure=procedure, event=facts.event, event_on=facts.event_on,
        age_on_event=quote.age_on_event, kind=quote.kind, method=facts.method,
        years=None if facts.method == ReceiptMethod.LUMP else facts.years,
        months=quote.months, carried_months=quote.carried_months,
        premiums_yen=quote.premiums_yen, benefit_yen=quote.benefit_yen,
        basic_yen=quote.basic_yen, additional_yen=quote.additional_yen,
        loan_offset_yen=quote.loan_offset_yen, lump_part_yen=quote.lump_part_yen,
        instalment_part_yen=quote.instalment_part_yen,
        instalment_total_yen=quote.instalment_total_yen,
        overpaid_return_yen=quote.overpaid_return_yen, discount_yen=quote.discount_yen,
        paid_now_yen=quote.paid_now_yen, total_yen=quote.total_yen,
        provisional=quote.provisional, warnings=quote.warnings, trace=quote.trace_text(),
        received_on=received_on, bank_code=payee.bank_code, branch_code=payee.branch_code,
        account_type=payee.account_type, account_number=payee.account_number,
        payee_kana=payee.payee_kana, created_at=timezone.now(),
        notice_pdf=render_benefit_notice(_notice_facts(contract, quote, received_on, payee)),
    )  # fmt: skip
    if quote.schedule is not None:
        Instalment.objects.bulk_create(
            Instalment(determination=determination, number=i.number, due_on=i.due_on,
                       amount_yen=i.amount_yen)
            for i in quote.schedule.instalments
        )  # fmt: skip
    if quote.paid_now_yen:
        approve_payout(
            contract=contract, kind=Payout.Kind.BENEFIT, amount_yen=quote.paid_now_yen,
            reference=f"benefit:{contract.number}", pay_on=received_on, procedure=procedure,
            payee=payee,
        )  # fmt: skip
    record(
        "contract.benefit", contract, actor=acting_user, old=old_status, kind=quote.kind,
        event=facts.event, event_on=facts.event_on.isoformat(), method=facts.method,
        benefit_yen=quote.benefit_yen, total_yen=quote.total_yen, procedure=procedure.pk,
    )  # fmt: skip
    return determination


def _post_determination(contract: Contract, quote: ClaimQuote, posted_on: dt.date) -> None:
    """One journal: the premiums of the contract and of every contract carried into it are
    closed, their arrears written off, the loans taken from the 共済金 repaid, everything the
    determination pays (instalments included) becomes the member's 未払金, and the difference
    goes to CLOSING_DIFFERENCE."""
    lines: list[Line] = []
    held = 0
    for c in chain(contract):
        premiums = -balance_of(c, Account.PREMIUMS)  # credit balance: what they hold
        arrears = balance_of(c, Account.ARREARS)  # debit balance: still owed, written off
        held += premiums
        lines += [
            Line(Account.PREMIUMS, premiums, c),
            Line(Account.ARREARS, -arrears, c),
            Line(Account.ARREARS_OFFSET, arrears),
        ]
    taken = take_for_loans(quote.owed, quote.loan_offset_yen)
    from_fund = quote.total_yen - quote.discount_yen + quote.loan_offset_yen
    journal, _ = post_journal(
        Journal.Kind.BENEFIT,
        f"benefit:{contract.number}",
        posted_on,
        [
            *lines,
            Line(Account.CLOSING_DIFFERENCE, from_fund - held),
            Line(Account.DISCOUNT_PAYABLE, quote.discount_yen, contract),
            *offset_lines(taken, contract),
            Line(Account.PAYABLE, -quote.total_yen, contract),
        ],
    )
    record_offsets(taken, source=Repayment.Source.BENEFIT, on=posted_on, journal=journal)


def _notice_facts(
    contract: Contract, quote: ClaimQuote, issued_on: dt.date, payee: PayeeAccount
) -> BenefitNoticeFacts:
    schedule = quote.schedule.instalments if quote.schedule else ()
    return BenefitNoticeFacts(
        scheme_name=CERTIFICATE_SCHEME_NAMES[Scheme.SHOKIBO],
        contract_number=contract.number,
        holder_name=contract.party.name,
        kind_label=quote.kind_label,
        event_label=EVENT_LABEL[quote.facts.event],
        event_on=quote.facts.event_on,
        months=quote.months,
        carried_months=quote.carried_months,
        benefit_yen=quote.benefit_yen,
        loan_offset_yen=quote.loan_offset_yen,
        method_label=METHOD_LABEL[quote.facts.method],
        lump_part_yen=quote.lump_part_yen,
        instalment_count=len(schedule),
        instalment_first_on=schedule[0].due_on if schedule else None,
        instalment_yen=schedule[0].amount_yen if schedule else 0,
        instalment_total_yen=quote.instalment_total_yen,
        overpaid_return_yen=quote.overpaid_return_yen,
        discount_yen=quote.discount_yen,
        paid_now_yen=quote.paid_now_yen,
        payee=payee_text(payee),
        provisional=quote.provisional,
        issued_on=issued_on,
    )


def approve_due_instalments(*, on: dt.date, acting_user: Actor | None) -> list[Payout]:
    """Approve the payout of every 分割 instalment due by `on` not approved yet: one Payout per
    instalment (its reference is the key, so a repeated run approves nothing twice)."""
    approved = []
    with transaction.atomic():
        due = (
            Instalment.objects.select_for_update(of=("self",))
            .filter(payout__isnull=True, due_on__lte=on)
            .select_related("determination__contract", "determination__procedure")
            .order_by("due_on", "pk")
        )
        for instalment in due:
            d = instalment.determination
            payout = approve_payout(
                contract=d.contract, kind=Payout.Kind.BENEFIT, amount_yen=instalment.amount_yen,
                reference=f"benefit:{d.contract.number}:{instalment.number:03d}",
                pay_on=instalment.due_on, procedure=d.procedure,
                payee=PayeeAccount(d.bank_code, d.branch_code, d.account_type, d.account_number,
                                   d.payee_kana),
            )  # fmt: skip
            instalment.payout = payout
            instalment.save(update_fields=["payout"])
            record(
                "benefit.instalment", instalment, actor=acting_user, number=instalment.number,
                amount_yen=instalment.amount_yen, due_on=instalment.due_on.isoformat(),
                payout=payout.pk,
            )  # fmt: skip
            approved.append(payout)
    return approved


# 通算 --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TsusanFacts:
    """The 通算申出 with the new contract's application (様式 小141)."""

    event: BenefitEvent
    event_on: dt.date
    birth_date: dt.date
    position: str  # the position the holder joins the new contract in
    monthly_yen: int  # the new contract's 掛金月額
    retirement_scheme_member: bool = False  # 中退共・建退共・清退共・林退共の被共済者

    def payload(self) -> dict[str, Any]:
        return {
            "event": self.event.value,
            "event_on": self.event_on.isoformat(),
            "birth_date": self.birth_date.isoformat(),
            "position": self.position,
            "monthly_yen": self.monthly_yen,
            "retirement_scheme_member": self.retirement_scheme_member,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> "TsusanFacts":
        return cls(
            BenefitEvent(data["event"]),
            dt.date.fromisoformat(data["event_on"]),
            dt.date.fromisoformat(data["birth_date"]),
            data["position"],
            int(data["monthly_yen"]),
            bool(data["retirement_scheme_member"]),
        )


@dataclass(frozen=True)
class TsusanQuote(Traced):
    facts: TsusanFacts
    months: int  # 掛金納付月数 carried (掛金区分1)
    premiums_yen: int
    joined_month: dt.date  # the new contract's first month
    checks: tuple[Check, ...]  # the new contract's enrollment checks
    reasons: tuple[Reason, ...]
    traces: tuple[Trace, ...]

    @property
    def allowed(self) -> bool:
        return not self.reasons


def quote_tsusan(contract: Contract, facts: TsusanFacts, *, received_on: dt.date) -> TsusanQuote:
    """Whether the months of `contract` may be carried into a new contract, and how many."""
    _check_dates(contract, facts.event_on, facts.birth_date, received_on)
    try:
        spans = benefit_spans(contract, facts.event_on)
        months = slice_months(spans)[0] if spans else 0
        event = classify_event(
            contract.position, facts.event, age_on_event=age_on(facts.birth_date, facts.event_on),
            months_paid=months, on=facts.event_on,
        )  # fmt: skip
        reasons = list(event.reasons)
        traces = [event.trace]
        tsusan_event = _tsusan_event(facts.event, event.kind)
        if event.kind is not None and tsusan_event is None:
            reasons.append(
                Reason(
                    "not_a_or_b_event",
                    "通算できるのは共済金A・共済金Bの事由（老齢給付を除く）があった契約です。",
                )
            )
        checks = tuple(check_enrollment(_application(contract, facts), on=received_on))
        reasons += [
            Reason(c.name, f"新しい契約の{c.label}: {c.detail}") for c in checks if not c.passed
        ]
        if tsusan_event is not None:
            decision = same_person_tsusan(
                CommonFacts(received_on, all(c.passed for c in checks),
                            facts.retirement_scheme_member),
                event=tsusan_event, event_on=facts.event_on, claimed=False,
            )  # fmt: skip
            reasons += [r for r in decision.reasons if r.code != "not_eligible"]  # said above
            traces.append(decision.trace)
    except RuleError as exc:
        raise ContractError(exc.message_ja) from None
    return TsusanQuote(
        facts, months, sum(s.months * s.monthly_yen for s in spans),
        max(month_of(received_on), add_months(month_of(facts.event_on), 1)),
        checks, tuple(reasons), tuple(traces),
    )  # fmt: skip


def _tsusan_event(event: BenefitEvent, kind: BenefitKind | None) -> TsusanEvent | None:
    """法13条1項 carries months after a 9条1項1号 (A) or 2号 (B) event; 老齢給付 (3号) is not one."""
    if kind == BenefitKind.A:
        return TsusanEvent.A
    if kind == BenefitKind.B and event != BenefitEvent.OLD_AGE:
        return TsusanEvent.B
    return None


def _application(contract: Contract, facts: TsusanFacts) -> EnrollmentApplication:
    """The new contract's application: the holder as recorded, the old contract's account."""
    party = contract.party
    mandate = contract.mandates.last()
    if mandate is None:
        raise ContractError("この契約には振替口座の記録がありません。")
    return EnrollmentApplication(
        Scheme.SHOKIBO,
        PartyFacts(**{f.name: getattr(party, f.name) for f in dataclasses.fields(PartyFacts)}),
        facts.monthly_yen,
        MandateFacts(
            mandate.bank_code,
            mandate.branch_code,
            mandate.account_type,
            mandate.account_number,
            mandate.holder_kana,
        ),
        facts.position,
    )


def do_submit_tsusan(
    contract: Contract,
    facts: TsusanFacts,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """通算申出 on the old contract: received once per key, then waits for staff (the event and
    the new position are checked by a person, as for an enrollment the checks cannot pass)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    _claimable(contract)
    quote = quote_tsusan(contract, facts, received_on=timezone.localdate(received_at))
    if not quote.allowed:
        raise _refused(quote.reasons)
    try:
        with transaction.atomic():
            procedure = receive_procedure(
                contract, Procedure.Kind.TSUSAN, channel, idempotency_key, received_at,
                acting_user, {**facts.payload(), "months": quote.months,
                              "event_label": EVENT_LABEL[facts.event]},
            )  # fmt: skip
            set_status(
                procedure, Procedure.Status.CHECKING, acting_user,
                f"掛金納付月数の通算のお申出（{EVENT_LABEL[facts.event]}）を受け付けました。"
                f"通算される掛金納付月数は{quote.months}か月、新しい契約は"
                f"{quote.joined_month:%Y年%-m月}から掛金月額{facts.monthly_yen:,}円の見込みです。",
            )  # fmt: skip
    except IntegrityError:
        return Procedure.objects.get(idempotency_key=idempotency_key)
    return procedure


def complete_tsusan(procedure: Procedure, *, acting_user: Actor) -> None:
    """通算 approved by staff (inside procedures.review's transaction): the old contract ends
    unclaimed, the new one is issued and the months are carried."""
    assert procedure.contract is not None
    old = Contract.objects.select_for_update().get(pk=procedure.contract.pk)
    facts = TsusanFacts.from_payload(procedure.payload)
    received_on = timezone.localdate(procedure.received_at)
    quote = quote_tsusan(old, facts, received_on=received_on)
    if not quote.allowed:
        raise _refused(quote.reasons)
    set_status(procedure, Procedure.Status.APPROVED, acting_user, "担当者が承認しました。")
    old.status = Contract.Status.ENDED  # ended by its event; the months live on in the new one
    old.save(update_fields=["status"])
    new = issue_contract(procedure, _application(old, facts), quote.joined_month, acting_user)
    Tsusan.objects.create(
        old_contract=old, new_contract=new, procedure=procedure, event=facts.event,
        event_on=facts.event_on, months=quote.months, premiums_yen=quote.premiums_yen,
        trace=quote.trace_text(), created_at=timezone.now(),
    )  # fmt: skip
    record(
        "contract.tsusan", old, actor=acting_user, new_contract=new.pk, months=quote.months,
        event=facts.event, event_on=facts.event_on.isoformat(), procedure=procedure.pk,
    )  # fmt: skip
    add_event(
        procedure, Procedure.Status.DONE,
        f"共済契約者番号 {old.number} の掛金納付月数{quote.months}か月"
        f"（掛金{yen_text(quote.premiums_yen)}）を新しい契約 {new.number} に通算しました。",
        acting_user,
    )  # fmt: skip
