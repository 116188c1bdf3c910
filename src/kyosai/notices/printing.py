"""Print data: the notices waiting for paper, in postal-code then address order, N pages to a
PDF, with a CSV manifest for the print vendor (file, page, notice, contract, postal code, name,
barcode data, enclosure).

A notice that sends a document (a certificate issued by the yearly batch, or the PDF a notice
carries) has it enclosed: the stored bytes, unchanged, as `enclosures/<notice id>.pdf` beside
the run's files, named on the notice's manifest line and listed on its page as 「同封書類」, so
that a member on paper gets the certificate itself, not only the news that it exists.

`print_notices(on)` is idempotent and finishes what a crash left: it first fixes, in one
statement, the order of every notice waiting (each is then printed by this run, once), then
writes each PDF the run has no record of (to a temporary name, renamed, then recorded), then
the manifest whole. Calling it again the same day prints the notices sent since into new files.
"""

import csv
import datetime as dt
import hashlib
import io
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kyosai.billing import sql
from kyosai.documents.mailing import Page, render_pages
from kyosai.formats import customer_barcode
from kyosai.notices.models import Notice, PrintFile, PrintRun, notice_facts

MANIFEST_COLUMNS = ["file", "page", "notice_id", "contract_number", "postal_code", "name",
                    "barcode_data", "kind", "enclosure"]  # fmt: skip


def print_dir(run: PrintRun) -> Path:
    return Path(settings.KYOSAI_PRINT_DIR) / run.printed_on.isoformat()


def file_name(run: PrintRun, number: int) -> str:
    return f"notices-{run.printed_on:%Y%m%d}-{number:04d}.pdf"


def print_notices(on: dt.date, *, per_file: int | None = None) -> PrintRun:
    run = _take_waiting(on, per_file or settings.KYOSAI_PRINT_PER_FILE)
    folder = print_dir(run)
    folder.mkdir(parents=True, exist_ok=True)
    written = set(run.files.values_list("number", flat=True))
    last = run.notices.aggregate(last=Max("print_seq"))["last"] or 0
    for number in range(1, -(-last // run.per_file) + 1):
        if number not in written:
            _write_file(run, number)
    _write(folder / f"manifest-{on:%Y%m%d}.csv", _manifest(run))
    return run


@transaction.atomic
def _take_waiting(on: dt.date, per_file: int) -> PrintRun:
    run, _ = PrintRun.objects.get_or_create(
        printed_on=on, defaults={"per_file": per_file, "created_at": timezone.now()}
    )
    PrintRun.objects.select_for_update().filter(pk=run.pk).get()  # one caller assigns at a time
    last = run.notices.aggregate(last=Max("print_seq"))["last"] or 0
    start = -(-last // run.per_file) * run.per_file  # new notices start a new file
    # Byte order of the address, the same on both databases (not the server's locale).
    address = 'p.address COLLATE "C"' if sql.postgres() else "p.address"
    sql.execute(
        f"""
        UPDATE notices_notice AS n
        SET print_state = 'printed', print_run_id = %(run)s, print_seq = o.seq + %(start)s
        FROM (SELECT w.id, ROW_NUMBER() OVER (ORDER BY p.postal_code, {address}, w.id) AS seq
              FROM notices_notice w JOIN parties_party p ON p.id = w.party_id
              WHERE w.print_state = 'pending') o
        WHERE n.id = o.id""",
        {"run": run.pk, "start": start},
    )
    return run


def _pages(run: PrintRun, number: int) -> list[Notice]:
    low = (number - 1) * run.per_file
    return list(
        run.notices.filter(print_seq__gt=low, print_seq__lte=low + run.per_file)
        .select_related("party", "contract")
        .order_by("print_seq")
    )


def enclosure_name(notice: Notice) -> str:
    """Where a notice's document is written; a notice sends one when it has a document_name."""
    return f"enclosures/{notice.pk}.pdf"


def _enclosures(notices: list[Notice]) -> dict[int, bytes]:
    """The documents the notices send, by notice id: the notice's own, or its certificate."""
    found = {n.pk: bytes(n.document) for n in notices if n.document}
    certificates = {n.certificate_id: n.pk for n in notices if n.certificate_id is not None}
    if certificates:
        # By name, as events.certificates_issued: the certificates app sends notices, so this
        # one cannot import it back.
        for pk, pdf in sql.rows(
            "SELECT id, pdf FROM certificates_issuedcertificate WHERE id IN "
            f"({', '.join(['%s'] * len(certificates))})",
            list(certificates),
        ):
            found[certificates[pk]] = bytes(pdf)
    return found


def _write_file(run: PrintRun, number: int) -> None:
    notices = _pages(run, number)
    enclosures = _enclosures(notices)
    for notice in notices:
        if notice.document_name:
            if notice.pk not in enclosures:  # never print a page that promises what is missing
                raise RuntimeError(f"notice {notice.pk}: its document is missing")
            path = print_dir(run) / enclosure_name(notice)
            path.parent.mkdir(exist_ok=True)
            _write(path, enclosures[notice.pk])
    pdf = render_pages([_page(n) for n in notices], subject=file_name(run, number))
    _write(print_dir(run) / file_name(run, number), pdf)
    PrintFile.objects.create(
        run=run, number=number, name=file_name(run, number), pages=len(notices),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )  # fmt: skip


def _page(notice: Notice) -> Page:
    party = notice.party
    sent = timezone.localtime(notice.created_at).date()
    enclosed = [("同封書類", notice.document_name)] if notice.document_name else []
    facts = notice_facts(notice) + enclosed
    return Page(
        postal_code=party.postal_code, address=party.address, name=party.name,
        barcode_data=customer_barcode.data(party.postal_code, party.address),
        title=notice.title, sent_on=f"{sent.year}年{sent.month}月{sent.day}日",
        body=notice.body, facts=tuple(facts),
        qr_url=settings.KYOSAI_PUBLIC_URL + notice.link
        if notice.kind == Notice.Kind.RECONFIRMATION else "",
    )  # fmt: skip


def _manifest(run: PrintRun) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    notices = run.notices.select_related("party", "contract").defer("document")
    notices = notices.order_by("print_seq")
    for notice in notices.iterator(chunk_size=2000):
        party, place = notice.party, (notice.print_seq or 0) - 1
        writer.writerow([
            file_name(run, place // run.per_file + 1), place % run.per_file + 1, notice.pk,
            notice.contract.number if notice.contract else "", party.postal_code, party.name,
            customer_barcode.data(party.postal_code, party.address), notice.kind,
            enclosure_name(notice) if notice.document_name else "",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary name, then renamed."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
