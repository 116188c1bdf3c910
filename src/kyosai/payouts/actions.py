"""Payouts: approved by the decision that owes the money, carried by a 総合振込 file, paid when
staff confirm the bank carried it out (or returned, to be paid again to a corrected account).

The decision posts its own journal, ending in a credit to the member's 未払金 (PAYABLE), and
calls `approve_payout` in the same transaction. `do_make_transfer_file` fixes the payouts due by
a day in a file and writes it; `do_confirm_transfer_file` posts the transfer (PAYABLE debited,
the bank credited) for what the bank paid. Every step is idempotent on its key and audited.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from kyosai.billing.ledger import Line, balance_of, post_journal
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract, DebitMandate
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ApplicationError
from kyosai.payouts.files import write_transfer_file
from kyosai.payouts.models import Payout, TransferFile
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, set_status
from kyosai.rules.calendar import is_business_day


class PayoutError(ApplicationError):
    """A payout step asked for at the wrong time or in the wrong state."""


@dataclass(frozen=True)
class PayeeAccount:
    """Where a payout is transferred to, as the bank file carries it."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    payee_kana: str


def payee_of(contract: Contract, on: dt.date) -> PayeeAccount:
    """The contract's debit account in force on `on`: payouts go "normally to the premium
    account" (tosan P22) unless the member names another."""
    mandate = (
        DebitMandate.objects.filter(contract=contract, valid_from__lte=on)
        .order_by("valid_from", "pk")
        .last()
    )
    if mandate is None:
        raise PayoutError(f"契約{contract.number}に振込先の口座が登録されていません。")
    return PayeeAccount(
        mandate.bank_code, mandate.branch_code, mandate.account_type, mandate.account_number,
        mandate.holder_kana,
    )  # fmt: skip


def approve_payout(
    *,
    contract: Contract,
    kind: Payout.Kind,
    amount_yen: int,
    reference: str,
    pay_on: dt.date,
    procedure: Procedure | None = None,
    payee: PayeeAccount | None = None,
) -> Payout:
    """A payout the caller's decision has just made payable (its journal credited PAYABLE);
    called inside that decision's transaction. A reference made before returns its payout."""
    if (existing := Payout.objects.filter(reference=reference).first()) is not None:
        return existing
    if amount_yen <= 0:
        raise PayoutError("支払額が0円以下のため、振込はありません。")
    owed = -balance_of(contract, Account.PAYABLE)
    waiting = open_payouts(contract).aggregate(total=Sum("amount_yen"))["total"] or 0
    if waiting + amount_yen > owed:  # every payout is backed by a posted decision
        raise PayoutError(
            f"契約{contract.number}の未払金{owed:,}円を超える支払い（{waiting + amount_yen:,}円）はできません。"
        )
    account = payee or payee_of(contract, pay_on)
    return Payout.objects.create(
        reference=reference, kind=kind, contract=contract, procedure=procedure,
        amount_yen=amount_yen, pay_on=pay_on, approved_at=timezone.now(),
        bank_code=account.bank_code, branch_code=account.branch_code,
        account_type=account.account_type, account_number=account.account_number,
        payee_kana=account.payee_kana,
    )  # fmt: skip


def open_payouts(contract: Contract) -> QuerySet[Payout]:
    """The contract's payouts not paid yet (waiting, in a file, or returned to be paid again)."""
    return (
        Payout.objects.filter(contract=contract)
        .exclude(status=Payout.Status.PAID)
        .filter(reissue__isnull=True)
    )


def do_make_transfer_file(
    *,
    pay_on: dt.date,
    acting_user: Actor | None,
    payouts: QuerySet[Payout] | None = None,
    name: str = "",
) -> TransferFile:
    """Fix the approved payouts due by `pay_on` (or the given ones) in one 総合振込 file for
    that day and write it. The file's content is a pure function of its payouts, so a call
    killed before the file was written writes it when repeated (`write_pending_files`)."""
    if not is_business_day(pay_on):
        raise PayoutError(
            f"{pay_on:%Y年%-m月%-d日}は銀行の営業日ではないため、振込日にできません。"
        )
    with transaction.atomic():
        due = (payouts if payouts is not None else Payout.objects.all()).filter(
            status=Payout.Status.APPROVED, pay_on__lte=pay_on
        )
        chosen = list(due.select_for_update().order_by("pk").values_list("pk", "amount_yen"))
        if not chosen:
            raise PayoutError(f"{pay_on:%Y年%-m月%-d日}までに振り込む支払いはありません。")
        file = TransferFile.objects.create(
            name=name or _next_name(pay_on), pay_on=pay_on, records=len(chosen),
            total_yen=sum(yen for _, yen in chosen), created_at=timezone.now(),
            created_by=signed_in(acting_user),
        )  # fmt: skip
        Payout.objects.filter(pk__in=[pk for pk, _ in chosen]).update(
            file=file, status=Payout.Status.IN_FILE
        )
        record(
            "transfer_file.make", file, actor=acting_user, pay_on=pay_on.isoformat(),
            records=file.records, total_yen=file.total_yen,
        )  # fmt: skip
    write_transfer_file(file)
    return file


def _next_name(pay_on: dt.date) -> str:
    same_day = TransferFile.objects.filter(name__startswith=f"transfer-{pay_on:%Y%m%d}-").count()
    return f"transfer-{pay_on:%Y%m%d}-{same_day + 1}.txt"


def write_pending_files() -> list[TransferFile]:
    """Write the files made but not written (a process killed in between); the files written."""
    pending = list(TransferFile.objects.filter(written_at__isnull=True).order_by("pk"))
    for file in pending:
        write_transfer_file(file)
    return pending


@transaction.atomic
def do_confirm_transfer_file(
    file: TransferFile, *, returned: set[int], confirmed_on: dt.date, acting_user: Actor | None
) -> Journal:
    """The bank carried out `file`: its payouts are paid, except those in `returned` (振込不能:
    a closed account, a wrong name), which stay owed until paid again to a corrected account.
    The transfer is posted once: PAYABLE debited per member, the bank credited."""
    file = TransferFile.objects.select_for_update().get(pk=file.pk)
    if file.written_at is None:
        raise PayoutError("振込ファイルがまだ作成されていません。")
    if file.confirmed_at is not None:
        raise PayoutError("この振込ファイルは確認済みです。")
    payouts = list(file.payouts.select_related("contract"))
    unknown = returned - {p.pk for p in payouts}
    if unknown:
        raise PayoutError(f"この振込ファイルにない支払いが指定されました（{sorted(unknown)}）。")
    paid = [p for p in payouts if p.pk not in returned]
    lines = [Line(Account.PAYABLE, p.amount_yen, p.contract) for p in paid]
    journal, _ = post_journal(
        Journal.Kind.TRANSFER, f"transfer:{file.name}", confirmed_on,
        [*lines, Line(Account.BANK, -sum(p.amount_yen for p in paid))],
    )  # fmt: skip
    Payout.objects.filter(pk__in=[p.pk for p in paid]).update(status=Payout.Status.PAID)
    Payout.objects.filter(pk__in=returned).update(status=Payout.Status.RETURNED)
    for payout in payouts:  # the member's procedure, when the payout answers one, says so
        if payout.procedure is None:
            continue
        if payout.pk in returned:
            add_event(
                payout.procedure, Procedure.Status(payout.procedure.status),
                f"{payout.get_kind_display()}{payout.amount_yen:,}円をお振り込みできませんでした。"
                "振込先の口座をご確認ください。", acting_user,
            )  # fmt: skip
        else:
            set_status(
                payout.procedure, Procedure.Status.DONE, acting_user,
                f"{payout.get_kind_display()}{payout.amount_yen:,}円を{file.pay_on:%Y年%-m月%-d日}に"
                "お振り込みしました。",
            )  # fmt: skip
    file.confirmed_at, file.confirmed_by = timezone.now(), signed_in(acting_user)
    file.save(update_fields=["confirmed_at", "confirmed_by"])
    record(
        "transfer_file.confirm", file, actor=acting_user, paid=len(paid),
        paid_yen=sum(p.amount_yen for p in paid), returned=sorted(returned),
    )  # fmt: skip
    return journal


@transaction.atomic
def do_reissue_payout(payout: Payout, payee: PayeeAccount, *, acting_user: Actor) -> Payout:
    """Pay a returned payout again, to `payee`: a new payout for the same amount, waiting for
    the next file. Nothing is posted: the member's 未払金 stayed open."""
    payout = Payout.objects.select_for_update().get(pk=payout.pk)
    if payout.status != Payout.Status.RETURNED:
        raise PayoutError("振込不能になった支払いだけを再振込できます。")
    if hasattr(payout, "reissue"):
        raise PayoutError("この支払いはすでに再振込の手続きをしています。")
    again = Payout.objects.create(
        reference=f"{payout.reference}:again{payout.pk}", kind=payout.kind,
        contract=payout.contract, procedure=payout.procedure, amount_yen=payout.amount_yen,
        pay_on=payout.pay_on, approved_at=timezone.now(), reissue_of=payout,
        bank_code=payee.bank_code, branch_code=payee.branch_code,
        account_type=payee.account_type, account_number=payee.account_number,
        payee_kana=payee.payee_kana,
    )  # fmt: skip
    record("payout.reissue", again, actor=acting_user, returned=payout.pk)
    return again
