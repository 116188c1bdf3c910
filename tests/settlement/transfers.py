"""Reading back what the payouts wrote: 総合振込 files decoded with the 全銀 record specs, and
the ledger's balance."""

from pathlib import Path

from django.db.models import Sum

from kyosai.billing.models import Posting
from kyosai.formats.zengin import TRANSFER_DATA, TRANSFER_HEADER, TRANSFER_TRAILER, decode


def transfer_records(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The header and data records of a 総合振込 file; its trailer must add up."""
    lines = [line for line in path.read_bytes().split(b"\r\n") if line]
    header = decode(TRANSFER_HEADER, lines[0])
    trailer = decode(TRANSFER_TRAILER, lines[-2])
    items = [decode(TRANSFER_DATA, line) for line in lines if line[:1] == b"2"]
    assert int(trailer["total_count"]) == len(items)
    assert int(trailer["total_amount"]) == sum(int(item["amount"]) for item in items)
    return header, items


def journals_balance() -> None:
    """Every journal of the ledger sums to zero."""
    sums = Posting.objects.values("journal").annotate(total=Sum("amount_yen"))
    assert {row["total"] for row in sums} <= {0}
