"""Procedures on an existing contract or its holder: 掛金月額変更, 前納, 掛止め and 納付再開,
解約 (with its refund quote), 口座の変更 and 住所・名称・代表者の変更.

A change the rules allow takes effect at once (STP): a new dated premium term or debit mandate,
never an overwrite; a party change updates the holder with the old values in the audit log. A
cancellation request is received with its 解約手当金 quote and waits for staff (procedures.review;
a payout at or above the four-eyes threshold needs two people); approved, the contract is
cancelled and its 前納減額金 settled, and the payout itself is the payouts issue's.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.billing.discounts import payout_minimum_yen
from kyosai.billing.models import Prepayment
from kyosai.cancellations.actions import Statement, approve_refund, do_cancel, statement_for
from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract, DebitMandate, PremiumStop, PremiumTerm
from kyosai.contracts.rule_inputs import (
    scheduled_tosan_account,
    term_on,
)
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.parties.models import Party
from kyosai.procedures.actions import MandateFacts
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, received_before, set_status
from kyosai.reference.banks import branch
from kyosai.rules.calendar import add_months, fiscal_year, month_of
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.prepayment import prepayment_window
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo import premiums as shokibo_premiums
from kyosai.rules.tosan import premiums as tosan_premiums
from kyosai.rules.trace import Trace


@dataclass(frozen=True)
class PremiumChangeQuote:
    allowed: bool
    reasons: tuple[Reason, ...]
    current_yen: int
    new_yen: int
    applies_from_month: dt.date | None
    trace: Trace | None  # None when the input was refused before any rule ran


def check_premium_change(
    contract: Contract,
    new_monthly_yen: int,
    *,
    desired_month: dt.date,
    decrease_reason: str,
    on: dt.date,
) -> PremiumChangeQuote:
    """Whether the scheme's rules allow the change, and from which month (nothing saved)."""
    current = term_on(contract, desired_month).monthly_yen
    try:
        return _premium_change_by_scheme(
            contract, current, new_monthly_yen, desired_month, decrease_reason, on
        )
    except RuleError as exc:  # an amount outside the scheme's range, or no change at all
        refused = (Reason("invalid_amount", exc.message_ja),)
        return PremiumChangeQuote(False, refused, current, new_monthly_yen, None, None)


def _premium_change_by_scheme(
    contract: Contract,
    current: int,
    new_monthly_yen: int,
    desired_month: dt.date,
    decrease_reason: str,
    on: dt.date,
) -> PremiumChangeQuote:
    if contract.scheme == Scheme.TOSAN:
        # No 前納 is recorded before the billing issue, so none can be running.
        decision = tosan_premiums.premium_change(
            current,
            new_monthly_yen,
            received_on=on,
            desired_month=desired_month,
            decrease_reason=tosan_premiums.DecreaseReason(decrease_reason)
            if decrease_reason
            else None,
        )
        return PremiumChangeQuote(
            decision.allowed, decision.reasons, current, new_monthly_yen,
            decision.applies_from_month, decision.trace,
        )  # fmt: skip
    change = shokibo_premiums.check_premium_change(
        current,
        new_monthly_yen,
        applied_on=on,
        reason=shokibo_premiums.DecreaseReason(decrease_reason) if decrease_reason else None,
    )
    return PremiumChangeQuote(
        change.allowed,
        change.reasons,
        current,
        new_monthly_yen,
        change.effective_month,
        change.trace,
    )


def do_submit_premium_change(
    contract: Contract,
    *,
    new_monthly_yen: int,
    desired_month: dt.date,
    decrease_reason: str = "",
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency | None = None,
) -> Procedure:
    """掛金月額変更: refused with the rules' reasons, or done at once with a new premium term.
    `agency` is the 委託機関 that took it for the client (agencies.actions)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    on = timezone.localdate(received_at)
    quote = check_premium_change(
        contract,
        new_monthly_yen,
        desired_month=desired_month,
        decrease_reason=decrease_reason,
        on=on,
    )
    if not quote.allowed or quote.applies_from_month is None:
        raise ProcedureError(" ".join(r.message_ja for r in quote.reasons))
    applies = quote.applies_from_month
    with transaction.atomic():
        if contract.premium_terms.filter(valid_from_month=applies).exists():
            raise ProcedureError(f"{applies:%Y年%m月}分の掛金月額はすでに変更されています。")
        procedure = receive_procedure(
            contract, Procedure.Kind.PREMIUM_CHANGE, channel, idempotency_key, received_at,
            acting_user, {"current_yen": quote.current_yen, "new_yen": new_monthly_yen,
                          "desired_month": desired_month.isoformat(), "decrease_reason": decrease_reason},
            agency=agency,
        )  # fmt: skip
        term = PremiumTerm.objects.create(
            contract=contract, monthly_yen=new_monthly_yen, valid_from_month=applies
        )
        record(
            "contract.premium_change",
            contract,
            actor=acting_user,
            term=term.pk,
            procedure=procedure.pk,
        )
        set_status(
            procedure,
            Procedure.Status.DONE,
            acting_user,
            f"掛金月額を{applies:%Y年%-m月}分から{new_monthly_yen:,}円に変更しました。",
            [{"name": "rules", "label": "変更の条件", "passed": True, "detail": ""}],
        )
    return procedure


def quote_cancellation(contract: Contract, *, on: dt.date) -> Statement:
    """解約手当金 and what goes with it if the contract were cancelled voluntarily on `on`
    (任意解約), on what it has actually paid (read only: nothing is settled)."""
    return statement_for(contract, Cancellation.Kind.VOLUNTARY, on=on)


def do_submit_cancellation(
    contract: Contract,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """解約の申出 (任意解約): received with its quote, then waits for staff, whose approval
    cancels the contract as of the day received and approves the payout."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    on = timezone.localdate(received_at)
    return _receive_cancellation(
        contract, Cancellation.Kind.VOLUNTARY, on, "ご本人のお申出",
        channel, idempotency_key, received_at, acting_user,
    )  # fmt: skip


DEEMED_EVENTS = {  # tosan 法7条4項: the contract is deemed cancelled on the event (tosan_rules §3.1)
    "death": "個人事業主の死亡",
    "dissolution": "法人の解散",
    "bankruptcy": "法人の破産手続開始の決定",
    "split": "会社分割による事業の全部の承継",
    "transfer": "事業の全部の譲渡",
    "incorporation": "個人事業の法人成り",
}


def do_record_deemed_cancellation(
    contract: Contract,
    *,
    event: str,
    event_on: dt.date,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """みなし解約 (tosan 法7条4項): staff record the event a family member or successor reported
    (on paper); the contract is deemed cancelled on the event's day once staff approve it."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    if contract.scheme != Scheme.TOSAN:
        raise ProcedureError("みなし解約は経営セーフティ共済の契約で登録します。")
    if event not in DEEMED_EVENTS:
        raise ProcedureError("みなし解約の事由を選んでください。")
    if event_on > timezone.localdate(received_at):
        raise ProcedureError("事由の発生日に今日より後の日付は入力できません。")
    return _receive_cancellation(
        contract, Cancellation.Kind.DEEMED, event_on, DEEMED_EVENTS[event],
        Procedure.Channel.PAPER, idempotency_key, received_at, acting_user,
    )  # fmt: skip


def _receive_cancellation(
    contract: Contract,
    kind: Cancellation.Kind,
    effective_on: dt.date,
    reason: str,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    if contract.status == Contract.Status.CANCELLED:
        raise ProcedureError("この契約はすでに解約されています。")
    if contract.procedures.filter(
        kind=Procedure.Kind.CANCELLATION, status=Procedure.Status.CHECKING
    ).exists():
        raise ProcedureError("解約のお申出はすでに受け付けています。")
    statement = statement_for(contract, kind, on=effective_on)
    with transaction.atomic():
        procedure = receive_procedure(
            contract, Procedure.Kind.CANCELLATION, channel, idempotency_key, received_at,
            acting_user, {"kind": kind, "effective_on": effective_on.isoformat(),
                          "reason": reason, "quoted_yen": statement.net_yen},
        )  # fmt: skip
        # What the approval pays out, compared with the four-eyes threshold (rules.four_eyes).
        procedure.amount_yen = statement.net_yen
        procedure.save(update_fields=["amount_yen"])
        set_status(
            procedure,
            Procedure.Status.CHECKING,
            acting_user,
            f"{kind.label}（{reason}）を受け付けました。お支払いの見込み額は{statement.net_yen:,}円です"
            f"（{QUOTE_NOTE}）。",
        )
    return procedure


QUOTE_NOTE = "入金済みの掛金で計算した見込みで、承認の時点で確定します"


def complete_cancellation(procedure: Procedure, *, acting_user: Actor) -> None:
    """A cancellation approved by staff (called by procedures.review inside its transaction):
    the contract is cancelled and settled as of the day it took effect (a 任意解約 on notice,
    a みなし解約 on its event), and the payout is approved. A 機構解約 was cancelled and settled
    when its deadline passed; staff approve only its payout."""
    contract = procedure.contract
    assert contract is not None  # a cancellation is always of a contract
    kind = Cancellation.Kind(procedure.payload["kind"])
    cancellation = do_cancel(
        contract, kind=kind, on=dt.date.fromisoformat(procedure.payload["effective_on"]),
        reason=procedure.payload["reason"], procedure=procedure, acting_user=acting_user,
    )  # fmt: skip
    payout = approve_refund(cancellation, procedure=procedure)
    paid = "お支払いはありません。"
    if payout is not None:
        amount = f"解約手当金{cancellation.refund_yen:,}円" + (
            f"を含む{payout.amount_yen:,}円" if payout.amount_yen != cancellation.refund_yen else ""
        )
        paid = f"{amount}を{payout.pay_on:%Y年%-m月%-d日}以降にお振り込みします。"
    set_status(
        procedure,
        Procedure.Status.APPROVED if payout else Procedure.Status.DONE,
        acting_user,
        f"{kind.label}を承認し、契約を解約しました。{paid}",
    )


def receive_procedure(
    contract: Contract,
    kind: Procedure.Kind,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    payload: dict[str, object],
    *,
    agency: Agency | None = None,
) -> Procedure:
    """A request on `contract` received: the procedure, its first timeline step and its audit
    row (the caller then sets the status its rules give)."""
    procedure = Procedure.objects.create(
        kind=kind,
        scheme=contract.scheme,
        channel=channel,
        agency=agency,
        party=contract.party,
        contract=contract,
        submitted_by=signed_in(acting_user),
        received_at=received_at,
        idempotency_key=idempotency_key,
        payload=payload,
    )
    add_event(procedure, Procedure.Status.RECEIVED, "お申出を受け付けました。", acting_user)
    record("procedure.submit", procedure, actor=acting_user, kind=kind, channel=channel)
    return procedure


@dataclass(frozen=True)
class PartyChange:
    """住所・名称・代表者・電話の変更, already normalised by the form."""

    name: str
    name_kana: str
    representative_name: str
    postal_code: str
    prefecture_code: str
    address: str
    phone: str


def do_submit_party_change(
    party: Party,
    change: PartyChange,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    agency: Agency | None = None,
) -> Procedure:
    """Change the holder's name, address, representative or phone for every contract at once
    (`agency`: the 委託機関 that took it for the client)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    fields = dataclasses.asdict(change)
    changed = {k: (getattr(party, k), v) for k, v in fields.items() if getattr(party, k) != v}
    if not changed:
        raise ProcedureError("変更する項目がありません。")
    with transaction.atomic():
        procedure = Procedure.objects.create(
            kind=Procedure.Kind.PARTY_CHANGE,
            scheme="",
            channel=channel,
            agency=agency,
            party=party,
            submitted_by=signed_in(acting_user),
            received_at=received_at,
            idempotency_key=idempotency_key,
            payload={k: new for k, (_, new) in changed.items()},
        )
        add_event(procedure, Procedure.Status.RECEIVED, "お申出を受け付けました。", acting_user)
        for key, (_, new) in changed.items():
            setattr(party, key, new)
        party.save(update_fields=list(changed))
        record(
            "party.update", party, actor=acting_user, procedure=procedure.pk,
            old={k: old for k, (old, _) in changed.items()},
            new={k: new for k, (_, new) in changed.items()},
        )  # fmt: skip
        labels = "・".join(PARTY_LABELS[k] for k in changed if k in PARTY_LABELS)
        set_status(procedure, Procedure.Status.DONE, acting_user, f"{labels}を変更しました。")
    return procedure


PARTY_LABELS = {
    "name": "名称",
    "name_kana": "フリガナ",
    "representative_name": "代表者",
    "address": "住所",
    "phone": "電話番号",
}


def do_submit_mandate_change(
    contract: Contract,
    mandate: MandateFacts,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """口座の変更: checked against the bank master, then a new mandate from the day received.

    A tosan contract handled by a bank (代理店) keeps its account at that bank, which may change
    it only on a move, a branch closure or the end of the relationship (tosan_rules C2): online,
    such a contract is sent to its branch instead.
    """
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    agency = contract.handling_agency
    if contract.scheme == Scheme.TOSAN and agency is not None and agency.kind in Agency.BANK_KINDS:
        raise ProcedureError(
            f"この契約の振替口座は登録取扱機関（{agency.name}）でのみ変更できます。お取引の支店にご相談ください。"
        )
    try:
        branch(mandate.bank_code, mandate.branch_code)
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None
    received_on = timezone.localdate(received_at)
    with transaction.atomic():
        procedure = receive_procedure(
            contract, Procedure.Kind.MANDATE_CHANGE, channel, idempotency_key, received_at,
            acting_user, dataclasses.asdict(mandate),
        )  # fmt: skip
        new = DebitMandate.objects.create(
            contract=contract, valid_from=received_on, **dataclasses.asdict(mandate)
        )
        record("contract.mandate_change", contract, actor=acting_user, mandate=new.pk)
        set_status(
            procedure,
            Procedure.Status.DONE,
            acting_user,
            f"振替口座を変更しました（{received_on:%Y年%-m月%-d日}受付分から）。",
        )
    return procedure


def do_submit_suspension(
    contract: Contract,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """掛止め (tosan): allowed once 掛金総額 ≥ 40 × 掛金月額; from this month if received by the
    5th, else from the next (tosan_rules P6)."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    if contract.scheme != Scheme.TOSAN or contract.status != Contract.Status.ACTIVE:
        raise ProcedureError("掛止めは、納付中の経営セーフティ共済の契約でのみ申し出られます。")
    on = timezone.localdate(received_at)
    account = scheduled_tosan_account(contract, on)
    decision = tosan_premiums.suspension(
        account.premiums_paid_yen, term_on(contract, on).monthly_yen, received_on=on
    )
    if not decision.allowed or decision.stops_from_month is None:
        raise ProcedureError(" ".join(r.message_ja for r in decision.reasons))
    stops = decision.stops_from_month
    with transaction.atomic():
        procedure = receive_procedure(
            contract, Procedure.Kind.SUSPENSION, channel, idempotency_key, received_at,
            acting_user, {"stops_from_month": stops.isoformat()},
        )  # fmt: skip
        _set_contract_status(contract, Contract.Status.SUSPENDED, acting_user, procedure)
        PremiumStop.objects.create(contract=contract, from_month=stops)
        set_status(
            procedure,
            Procedure.Status.DONE,
            acting_user,
            f"{stops:%Y年%-m月}分から掛金の納付を止めます（掛止め）。この間は掛金納付月数に数えません。",
        )
    return procedure


def do_submit_resumption(
    contract: Contract,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """納付再開 after 掛止め: debits resume from the month after the request."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    if contract.status != Contract.Status.SUSPENDED:
        raise ProcedureError("この契約は掛止めしていません。")
    resumes = add_months(month_of(timezone.localdate(received_at)), 1)
    with transaction.atomic():
        procedure = receive_procedure(
            contract, Procedure.Kind.RESUMPTION, channel, idempotency_key, received_at,
            acting_user, {"resumes_from_month": resumes.isoformat()},
        )  # fmt: skip
        _set_contract_status(contract, Contract.Status.ACTIVE, acting_user, procedure)
        open_stops = contract.premium_stops.filter(until_month__isnull=True)
        # A stop resumed before its first month never took effect: nothing was stopped.
        open_stops.filter(from_month__gte=resumes).delete()
        open_stops.update(until_month=add_months(resumes, -1))
        set_status(
            procedure, Procedure.Status.DONE, acting_user,
            f"{resumes:%Y年%-m月}分から掛金の納付を再開します。",
        )  # fmt: skip
    return procedure


def _set_contract_status(
    contract: Contract, status: Contract.Status, acting_user: Actor, procedure: Procedure
) -> None:
    old = contract.status
    contract.status = status
    contract.save(update_fields=["status"])
    record(
        "contract.status", contract, actor=acting_user, old=old, new=status, procedure=procedure.pk
    )


@dataclass(frozen=True)
class PrepaymentQuote:
    months: int  # months paid ahead of the debit month
    limit_months: int
    debit_month: dt.date  # the month whose premium is debited together with the months ahead
    debit_on: dt.date  # 振替日 of the lump
    deadline: dt.date  # the request must be received by this day
    debit_yen: int  # the debit month and the months ahead
    discount_yen: int  # 前納減額金, fixed at the end of March, paid in June
    discount_minimum_yen: int  # paid once the running total reaches this, else carried
    closed_message: str  # why a request received now would lapse; "" by the deadline
    trace: Trace  # of the 前納減額金


def quote_prepayment(contract: Contract, months: int, *, on: dt.date) -> PrepaymentQuote:
    """前納 received on `on`: the debit month and its deadline, how many months may be prepaid,
    the lump debited and its 前納減額金. The scheme's rules decide each (rules.prepayment,
    tosan P17–P23, shokibo P10–P12)."""
    scheme = Scheme(contract.scheme)
    window = prepayment_window(scheme, on)
    monthly = term_on(contract, window.debit_month).monthly_yen
    limit = _prepayable_months(contract, monthly, on)
    if not 1 <= months <= limit:
        raise ProcedureError(f"前納できる月数は1か月から{limit}か月までです（{months}か月）。")
    try:
        discount_yen, trace = _prepayment_discount(contract, monthly, months, on, window.debit_on)
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None
    closed = ""
    if on > window.deadline:
        following = prepayment_window(scheme, add_months(month_of(on), 1))
        closed = (
            f"{window.debit_month:%-m月}振替分の前納の受付は{window.deadline:%-m月%-d日}で締め切りました。"
            f"{add_months(month_of(on), 1):%-m月%-d日}から{following.deadline:%-m月%-d日}までに"
            f"お申し出いただくと、{following.debit_on:%-m月%-d日}に振り替えます。"
        )
    return PrepaymentQuote(
        months, limit, window.debit_month, window.debit_on, window.deadline,
        monthly * (months + 1), discount_yen,
        payout_minimum_yen(scheme, fiscal_year(window.debit_on)), closed, trace,
    )  # fmt: skip


def _prepayable_months(contract: Contract, monthly: int, on: dt.date) -> int:
    if contract.scheme == Scheme.TOSAN:  # the months that fit under the 積立限度額 (P17)
        paid = scheduled_tosan_account(contract, on).premiums_paid_yen
        return tosan_premiums.prepayment_limit(monthly, paid_total_yen=paid, on=on).max_months
    return shokibo_premiums.prepayment_limit(on=on).max_months


def _prepayment_discount(
    contract: Contract, monthly: int, months: int, on: dt.date, prepaid_on: dt.date
) -> tuple[int, Trace]:
    if contract.scheme == Scheme.TOSAN:
        paid = scheduled_tosan_account(contract, on).premiums_paid_yen
        tosan = tosan_premiums.prepayment_discount(
            monthly, months, prepaid_on=prepaid_on, paid_total_yen=paid
        )
        return tosan.amount_yen, tosan.trace
    shokibo = shokibo_premiums.prepayment_discount(monthly, months, on=prepaid_on)
    return shokibo.amount_yen, shokibo.trace


def do_submit_prepayment(
    contract: Contract,
    months: int,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """前納の申出: received by the scheme's deadline (tosan: the 5th, debited on that month's 27th;
    shokibo: the 20th, debited on the next month's 18th), the debit month's premium and the
    months ahead are debited as one lump; later, the request lapses and must be made again."""
    if (existing := received_before(idempotency_key)) is not None:
        return existing
    quote = quote_prepayment(contract, months, on=timezone.localdate(received_at))
    if quote.closed_message:
        raise ProcedureError(quote.closed_message)
    with transaction.atomic():
        if contract.prepayments.filter(month=quote.debit_month).exists():
            raise ProcedureError(
                f"{quote.debit_month:%-m月}振替分の前納はすでにお申し出いただいています。"
            )
        procedure = receive_procedure(
            contract, Procedure.Kind.PREPAYMENT, channel, idempotency_key, received_at,
            acting_user, {"months": months, "debit_on": quote.debit_on.isoformat(),
                          "debit_yen": quote.debit_yen, "discount_yen": quote.discount_yen},
        )  # fmt: skip
        Prepayment.objects.create(
            contract=contract, month=quote.debit_month, months=months,
            discount_yen=quote.discount_yen,
        )  # fmt: skip
        set_status(
            procedure,
            Procedure.Status.DONE,
            acting_user,
            f"{quote.debit_on:%Y年%-m月%-d日}に{months + 1}か月分{quote.debit_yen:,}円を振り替えます。"
            f"前納減額金は{quote.discount_yen:,}円です。",
        )
    return procedure
