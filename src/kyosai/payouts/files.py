"""The 総合振込 file of a TransferFile: a pure function of its payouts (in payout order), written
to a temporary name and renamed into place (billing.files.write_outgoing), then recorded."""

from django.conf import settings
from django.utils import timezone

from kyosai.billing.files import write_outgoing
from kyosai.formats.zengin import BankProfile, TransferItem, write_transfer_request
from kyosai.payouts.models import Payout, TransferFile


def payer_profile() -> BankProfile:
    """Our own account the payouts leave from (settings.KYOSAI_TRANSFER_PAYER)."""
    # Settings may add the bank's variations (line_ending, eof…), checked by BankProfile itself.
    return BankProfile(**settings.KYOSAI_TRANSFER_PAYER)  # type: ignore[arg-type]


def transfer_items(file: TransferFile) -> list[TransferItem]:
    rows = (
        Payout.objects.filter(file=file)
        .order_by("pk")
        .values_list(
            "bank_code", "branch_code", "account_type", "account_number", "payee_kana",
            "amount_yen", "contract__number",
        )
    )  # fmt: skip
    return [
        TransferItem(bank, branch, kind, number, kana, int(yen), customer_code=contract)
        for bank, branch, kind, number, kana, yen, contract in rows
    ]


def write_transfer_file(file: TransferFile) -> None:
    items = transfer_items(file)
    (count, total), digest = write_outgoing(
        file.name,
        lambda handle: write_transfer_request(payer_profile(), file.pay_on, items, handle),
    )
    if (count, total) != (file.records, file.total_yen):  # the payouts were fixed with the file
        raise AssertionError(
            f"{file.name}: wrote {count} / {total}, recorded {file.records} / {file.total_yen}"
        )
    file.sha256, file.written_at = digest, timezone.now()
    file.save(update_fields=["sha256", "written_at"])
