"""Procedures on an existing contract: 掛金月額変更 and 解約 (with its refund quote).

A premium change the rules allow takes effect at once (STP): a new dated premium term, never an
overwrite. A cancellation request is received with its 解約手当金 quote and waits for staff,
who pay it out (the payouts issue).
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kyosai.contracts.models import Contract, PremiumTerm
from kyosai.contracts.rule_inputs import (
    SCHEDULED_NOTE,
    scheduled_spans,
    scheduled_tosan_account,
    term_on,
)
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, set_status
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo import premiums as shokibo_premiums
from kyosai.rules.shokibo import refund as shokibo_refund
from kyosai.rules.tosan import premiums as tosan_premiums
from kyosai.rules.tosan import refund as tosan_refund
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
) -> Procedure:
    """掛金月額変更: refused with the rules' reasons, or done at once with a new premium term."""
    existing = Procedure.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
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
        procedure = _receive(
            contract, Procedure.Kind.PREMIUM_CHANGE, channel, idempotency_key, received_at,
            acting_user, {"current_yen": quote.current_yen, "new_yen": new_monthly_yen,
                          "desired_month": desired_month.isoformat(), "decrease_reason": decrease_reason},
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


@dataclass(frozen=True)
class CancellationQuote:
    amount_yen: int
    months: int
    premiums_yen: int
    trace: Trace


def quote_cancellation(contract: Contract, *, on: dt.date) -> CancellationQuote:
    """解約手当金 if the contract were cancelled voluntarily on `on` (任意解約)."""
    try:
        return _cancellation_by_scheme(contract, on)
    except RuleError as exc:
        raise ProcedureError(exc.message_ja) from None


def _cancellation_by_scheme(contract: Contract, on: dt.date) -> CancellationQuote:
    if contract.scheme == Scheme.TOSAN:
        account = scheduled_tosan_account(contract, on)
        refund = tosan_refund.cancellation_refund(
            account, cancellation=tosan_refund.CancellationType.VOLUNTARY, on=on
        )
        quote = CancellationQuote(
            refund.amount_yen, refund.months, account.premiums_paid_yen, refund.trace
        )
    else:
        spans = scheduled_spans(contract, on)
        if not spans:
            raise ProcedureError("まだ掛金の納付月がないため、見込み額を計算できません。")
        result = shokibo_refund.cancellation_refund(spans, on=on)
        months = result.slice_months[0] if result.slice_months else 0
        quote = CancellationQuote(result.amount_yen, months, result.premiums_paid_yen, result.trace)
    return quote


def do_submit_cancellation(
    contract: Contract,
    *,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
) -> Procedure:
    """解約の申出: received with its quote, then waits for staff (the payout is theirs to make)."""
    existing = Procedure.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if contract.status == Contract.Status.CANCELLED:
        raise ProcedureError("この契約はすでに解約されています。")
    if contract.procedures.filter(
        kind=Procedure.Kind.CANCELLATION, status=Procedure.Status.CHECKING
    ).exists():
        raise ProcedureError("解約のお申出はすでに受け付けています。")
    quote = quote_cancellation(contract, on=timezone.localdate(received_at))
    with transaction.atomic():
        procedure = _receive(
            contract, Procedure.Kind.CANCELLATION, channel, idempotency_key, received_at,
            acting_user, {"quoted_yen": quote.amount_yen, "months": quote.months},
        )  # fmt: skip
        set_status(
            procedure,
            Procedure.Status.CHECKING,
            acting_user,
            f"解約のお申出を受け付けました。解約手当金の見込み額は{quote.amount_yen:,}円です"
            f"（{SCHEDULED_NOTE}）",
        )
    return procedure


def _receive(
    contract: Contract,
    kind: Procedure.Kind,
    channel: Procedure.Channel,
    idempotency_key: str,
    received_at: dt.datetime,
    acting_user: Actor,
    payload: dict[str, object],
) -> Procedure:
    procedure = Procedure.objects.create(
        kind=kind,
        scheme=contract.scheme,
        channel=channel,
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
