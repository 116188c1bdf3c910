"""Reads of payouts: the staff console's transfer pages and a member's payments out."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from kyosai.contracts.models import Contract, DebitMandate
from kyosai.parties.selectors import mask_account_number
from kyosai.payouts.actions import PayeeAccount
from kyosai.payouts.models import Payout, TransferFile
from kyosai.reference.banks import bank_name, branch_name


def payee_text(account: PayeeAccount | Payout) -> str:
    """みずほ銀行 東京営業部 普通 ****567: where a payout goes, as a member reads it."""
    kind = dict(DebitMandate.AccountType.choices).get(account.account_type, "")
    return (
        f"{bank_name(account.bank_code)} {branch_name(account.bank_code, account.branch_code)} {kind} "
        f"{mask_account_number(account.account_number)}"
    )


@dataclass(frozen=True)
class PayoutsOverview:
    waiting: QuerySet[Payout]  # approved, not in a file yet
    waiting_yen: int
    returned: QuerySet[Payout]  # the bank could not pay them; not paid again yet
    files: QuerySet[TransferFile]


def payouts_overview() -> PayoutsOverview:
    waiting = (
        Payout.objects.filter(status=Payout.Status.APPROVED)
        .select_related("contract__party")
        .order_by("pay_on", "pk")
    )
    returned = (
        Payout.objects.filter(status=Payout.Status.RETURNED, reissue__isnull=True)
        .select_related("contract__party")
        .order_by("pk")
    )
    return PayoutsOverview(
        waiting=waiting,
        waiting_yen=waiting.aggregate(total=Sum("amount_yen"))["total"] or 0,
        returned=returned,
        files=TransferFile.objects.annotate(payout_count=Count("payouts")).order_by("-pk")[:50],
    )


def transfer_file_detail(pk: int) -> tuple[TransferFile, QuerySet[Payout]]:
    file = get_object_or_404(TransferFile, pk=pk)
    return file, file.payouts.select_related("contract__party").order_by("pk")


def payouts_of(contract: Contract) -> QuerySet[Payout]:
    """A contract's payments out, newest first (the member's and the staff's contract pages)."""
    return contract.payouts.select_related("file").order_by("-pk")
