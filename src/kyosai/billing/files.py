"""The run's 口座振替依頼 files: one per collecting bank, byte-exact 全銀 (formats.zengin).

A file is written to a temporary name and renamed into place, then recorded; the records of one
call are committed together, and a bank whose file is recorded is skipped. The content is a pure
function of the run's bills (in bill order), so a run killed while writing files writes the same
files again, once each.
"""

import hashlib
import os
from collections.abc import Callable, Iterable
from itertools import chain, groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast
from django.utils import timezone

from kyosai.billing import sql
from kyosai.billing.models import BankFile, Bill, BillingRun
from kyosai.formats.zengin import MAX_COUNT, BankProfile, DebitItem, write_debit_request

T = TypeVar("T")
RECORDS_PER_FILE = MAX_COUNT
COLUMNS = (
    "bank_code", "branch_code", "account_type", "account_number", "holder_kana", "amount_yen",
    "new_code", "customer_number",
)  # fmt: skip


def bank_profile(bank_code: str, requester: dict[str, str] | None = None) -> BankProfile:
    """The requester as the bank knows it (the premiums' unless another is given), with that
    bank's own variations from settings."""
    options = {
        **(requester or settings.KYOSAI_DEBIT_REQUESTER),
        **settings.KYOSAI_BANK_PROFILES.get(bank_code, {}),
    }
    return BankProfile(bank_code=bank_code, **options)  # type: ignore[arg-type]


def bank_dir(kind: str) -> Path:
    """Where bank files of a kind are kept ("outgoing" requests, "results" as received)."""
    path = Path(settings.KYOSAI_BANK_FILES_DIR) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def outgoing_dir() -> Path:
    return bank_dir("outgoing")


def write_files(run: BillingRun) -> list[BankFile]:
    """Write the files of a generated run that are not written yet; every file of the run."""
    if run.status == BillingRun.Status.GENERATING:
        raise ValueError(f"run {run} is still generating bills")
    done = set(run.files.values_list("bank_code", flat=True))
    # Bank by bank, each in bill order, sorted on one integer: sorting two million bills on the
    # bank code's text and then the id took 7 s on PostgreSQL, on this key 1.5 s.
    by_bank_then_bill = Cast("bank_code", BigIntegerField()) * 10**12 + F("id")
    with transaction.atomic():
        sql.bulk_settings()
        rows = (
            Bill.objects.filter(run=run)
            .exclude(bank_code__in=done)
            .order_by(by_bank_then_bill)
            .values_list(*COLUMNS)
            .iterator(chunk_size=20_000)
        )
        for bank_code, group in groupby(rows, key=itemgetter(0)):
            items = (DebitItem(*row) for row in group)
            # A file holds at most RECORDS_PER_FILE debits (the trailer's count has 6 digits): a
            # bank with more gets several, numbered from 2, read one after another.
            part = 1
            while (first := next(items, None)) is not None:
                more = islice(items, RECORDS_PER_FILE - 1)
                _write_bank(run, bank_code, part, chain([first], more))
                part += 1
    BillingRun.objects.filter(pk=run.pk).update(
        status=BillingRun.Status.FILES_WRITTEN, finished_at=timezone.now()
    )
    return list(run.files.order_by("bank_code"))


def write_outgoing(name: str, write: Callable[[BinaryIO], T]) -> tuple[T, str]:
    """Write an outgoing bank file through `write`: to a temporary name, synced, then renamed
    into place, so a file under its real name is always whole. `write`'s answer and the sha256."""
    final = outgoing_dir() / name
    partial = final.with_suffix(".part")
    with partial.open("wb") as handle:
        written = write(handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, final)
    return written, file_sha256(final)


def _write_bank(run: BillingRun, bank_code: str, part: int, items: Iterable[DebitItem]) -> None:
    name = f"{run.scheme}-{run.month:%Y%m}-{bank_code}{f'-{part}' if part > 1 else ''}.txt"
    (count, total), digest = write_outgoing(
        name,
        lambda handle: write_debit_request(bank_profile(bank_code), run.debit_on, items, handle),
    )
    BankFile.objects.create(
        run=run, bank_code=bank_code, part=part, name=name, records=count, total_yen=total,
        sha256=digest, written_at=timezone.now(),
    )  # fmt: skip


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
