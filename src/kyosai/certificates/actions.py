"""Issuing the certificates: the yearly batches (`issue_year`, `manage.py certificates issue`) and
the 掛金残高証明書 a member asks for (`do_issue_balance_certificate`).

A batch splits the scheme's contract ids into ranges and issues range by range, each range one
transaction that inserts its certificates at once; a contract that already has the edition is
skipped (and the unique key refuses a second one), so a batch run again, or killed and run again,
issues each certificate once. With KYOSAI_CERT_WORKERS > 1 (PostgreSQL) the ranges go to worker
processes side by side, each with its own database connection: rendering the PDF and signing
the XML are CPU work, so one worker per core.
"""

import datetime as dt
import hashlib
import multiprocessing
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction

from kyosai.billing import sql
from kyosai.billing.history import paid_months
from kyosai.certificates.facts import Book, add_account, add_discounts, books
from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record
from kyosai.core.errors import ApplicationError
from kyosai.documents.pdf import ISSUER
from kyosai.documents.yearly import (
    TOSAN_NAME,
    BalanceCertificateFacts,
    DeductionCertificateFacts,
    PaymentStatementFacts,
    render_balance_certificate,
    render_deduction_certificate,
    render_payment_statement,
)
from kyosai.formats import teg850
from kyosai.notices.events import certificates_issued
from kyosai.rules.calendar import month_index
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.deduction import (
    Deduction,
    DeductionFacts,
    autumn_paid_through_month,
    deduction,
)

Kind = IssuedCertificate.Kind
Edition = IssuedCertificate.Edition
RANGE = 2000  # contract ids per range: one transaction, a few seconds of work


class CertificateError(ApplicationError):
    """A batch asked for something that cannot be issued."""


@cache
def signing_key() -> teg850.SigningKey:
    """The issuer's key and certificate from the settings' PEM files (parsed once a process)."""
    key, cert = settings.KYOSAI_CERT_SIGNING_KEY, settings.KYOSAI_CERT_SIGNING_CERT
    if not key or not cert:
        raise CertificateError("控除証明書に署名する鍵と証明書が設定されていません。")
    return teg850.SigningKey.from_pem(Path(key).read_bytes(), Path(cert).read_bytes())


@dataclass(frozen=True)
class Batch:
    kind: str
    year: int
    edition: str
    issued_on: dt.date

    @property
    def as_of(self) -> dt.date:
        """The day the figures stand at: the autumn certificate's cut-off month's end, else the
        year's end."""
        if self.edition == Edition.AUTUMN:
            month = autumn_paid_through_month(self.year)
            next_month = dt.date(self.year + month // 12, month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    @property
    def scheme(self) -> str:
        return Scheme.SHOKIBO.value if self.kind == Kind.DEDUCTION else Scheme.TOSAN.value


def batch_for(kind: str, year: int, edition: str, issued_on: dt.date) -> Batch:
    """A yearly batch, checked: the deduction certificate comes in the autumn and the February
    editions (X3), the tosan statement once a year, after the year (X6)."""
    if kind == Kind.DEDUCTION and edition not in (Edition.AUTUMN, Edition.FINAL):
        raise CertificateError("控除証明書は autumn（秋）か final（翌年2月）を指定してください。")
    if kind == Kind.PAYMENT_STATEMENT and edition != Edition.YEAR:
        raise CertificateError("掛金納付状況兼領収書は year を指定してください。")
    if kind not in (Kind.DEDUCTION, Kind.PAYMENT_STATEMENT):
        raise CertificateError("一括発行できるのは控除証明書と掛金納付状況兼領収書です。")
    batch = Batch(kind, year, edition, issued_on)
    if issued_on <= batch.as_of:
        raise CertificateError(
            f"{batch.as_of:%Y年%-m月%-d日}までの払込みを証明するため、その翌日以後に発行します。"
        )
    return batch


# ---------------------------------------------------------------------------------------------
# One range


def statement_book(batch: Batch, contract: Contract) -> Book:
    """One contract's rows as the batch reads them (for a clerk's check, and the tests)."""
    found = books(batch.scheme, batch.year, contract.pk - 1, contract.pk, through=batch.as_of)
    add_account(found, batch.year, through=batch.as_of)
    add_discounts(found, dt.date(batch.year, 1, 1), batch.as_of)
    return found[contract.pk]


def issue_range(batch: Batch, low: int, high: int) -> int:
    """Issue the batch's certificates for the contracts with ids in (low, high]; how many."""
    with transaction.atomic():
        found = books(batch.scheme, batch.year, low, high, through=batch.as_of)
        done = set(
            IssuedCertificate.objects.filter(
                kind=batch.kind, year=batch.year, contract_id__gt=low, contract_id__lte=high
            ).values_list("contract_id", flat=True)
        )
        rows = []
        if batch.kind == Kind.DEDUCTION:
            add_discounts(found, dt.date(batch.year, 1, 1), dt.date(batch.year, 12, 31))
            for book in found.values():
                if book.contract_id not in done and book.paid:
                    rows.append(_deduction_certificate(batch, book))
        else:
            add_account(found, batch.year, through=batch.as_of)
            add_discounts(found, dt.date(batch.year, 1, 1), batch.as_of)
            for book in found.values():
                if book.contract_id not in done and _statement_due(book, batch.year):
                    rows.append(_payment_statement(batch, book))
        sql.insert_new(rows)
        certificates_issued(
            kind=batch.kind, label=Kind(batch.kind).label, year=batch.year, low=low, high=high
        )
    return len(rows)


def _deduction_certificate(batch: Batch, book: Book) -> IssuedCertificate:
    result, paper, electronic = deduction_facts(batch, book)
    pdf = render_deduction_certificate(paper)
    xml = teg850.signed_certificate(electronic, signing_key())
    return _row(batch, book, pdf, xml, result.deduction_yen, result.withheld_reason)


def deduction_facts(
    batch: Batch, book: Book
) -> tuple[Deduction, DeductionCertificateFacts, teg850.Teg850]:
    """X1–X4: the autumn edition counts the debits through the cut-off month as paid and the
    rest of the year as due; the February edition counts the whole year as paid. The PDF and
    the XML are written from the same facts, so paper and electronic never differ."""
    through = 12 if batch.edition == Edition.FINAL else batch.as_of.month
    last = month_index(dt.date(batch.year, through, 1))
    covered = max(bill.covers_through for bill in book.paid)
    year_end = month_index(dt.date(batch.year, 12, 1))
    due_months = range(max(covered, last) + 1, year_end + 1) if book.status == "active" else ()
    prepaid_across_change = covered > year_end and any(
        last < start <= covered for start, _ in book.terms
    )
    result = deduction(
        DeductionFacts(
            year=batch.year,
            paid_through_month=through,
            paid_yen=sum(bill.yen for bill in book.paid),
            due_yen=sum(book.monthly_at(m) for m in due_months),
            discount_yen=book.discount_paid_yen,
            arrears_yen=book.arrears_yen,
            prepaid_across_premium_change=prepaid_across_change,
        )
    )
    code = f"{book.number}{batch.year}{'A' if batch.edition == Edition.AUTUMN else 'F'}"
    monthly = book.monthly_at(year_end)
    paper = DeductionCertificateFacts(
        year=batch.year,
        contract_number=book.number,
        holder_name=book.name,
        address=book.holder_address,
        contract_date=book.joined_month,
        monthly_yen=monthly,
        paid_through_month=through,
        paid_yen=result.paid_yen,
        due_from_month=result.due_from_month,
        due_yen=result.due_yen,
        discount_yen=result.discount_yen,
        deduction_text=result.deduction_text,
        remarks=result.withheld_reason,
        issued_on=batch.issued_on,
        unique_code=code,
    )
    electronic = teg850.Teg850(
        certified_year=batch.year,
        name=teg850.full_width(book.name),
        address=teg850.full_width(book.holder_address),
        member_number=book.number,
        paid_through_month=through,
        paid_yen=result.paid_yen,
        due_from_month=result.due_from_month,
        due_to_month=12 if result.due_from_month else None,
        due_yen=result.due_yen if result.due_from_month else None,
        deduction_yen=result.deduction_yen,
        discount_yen=result.discount_yen,
        contract_date=book.joined_month,
        monthly_yen=monthly,
        payment_method="口座振替",
        payment_months="毎月",
        remarks=result.withheld_reason,
        issued_on=batch.issued_on,
        issuer=ISSUER,
        unique_code=code,
    )
    return result, paper, electronic


def _statement_due(book: Book, year: int) -> bool:
    """X6: every holder paying by debit, 掛止め and capped contracts included, for the year:
    in force at its end, or with a debit or a cancellation in it."""
    joined = book.joined_month.year <= year
    ended_in_year = book.cancelled_on is not None and book.cancelled_on.year == year
    return joined and (book.status in ("active", "suspended") or bool(book.paid) or ended_in_year)


def _payment_statement(batch: Batch, book: Book) -> IssuedCertificate:
    facts = statement_facts(batch, book)
    pdf = render_payment_statement(facts)
    return _row(batch, book, pdf, None, facts.paid_in_year_yen, "")


def statement_facts(batch: Batch, book: Book) -> PaymentStatementFacts:
    """tosan X6 from the ledger: the year's premiums received, the account since joining, the
    deductions, the months paid ahead of the year, the 前納減額金 paid in it."""
    year_end = month_index(dt.date(batch.year, 12, 1))
    ahead = max((bill.covers_through for bill in book.paid), default=year_end)
    paid_in_year = sum(bill.yen for bill in book.paid)
    return PaymentStatementFacts(
        year=batch.year,
        contract_number=book.number,
        holder_name=book.name,
        monthly_yen=book.monthly_at(year_end),
        months_paid_in_year=sum(bill.months for bill in book.paid),
        paid_in_year_yen=paid_in_year,
        total_paid_yen=book.opening_yen + book.earlier_paid_yen + paid_in_year,
        deductions_yen=book.deductions_yen,
        prepaid_yen=sum(book.monthly_at(m) for m in range(year_end + 1, ahead + 1)),
        discount_paid_yen=book.discount_paid_yen,
        discount_paid_month=book.discount_paid_month,
        cancelled_on=book.cancelled_on,
        issued_on=batch.issued_on,
    )


def _row(
    batch: Batch, book: Book, pdf: bytes, xml: bytes | None, amount: int | None, reason: str
) -> IssuedCertificate:
    return IssuedCertificate(
        contract_id=book.contract_id,
        kind=batch.kind,
        year=batch.year,
        edition=batch.edition,
        as_of=batch.as_of,
        pdf=pdf,
        xml=xml,
        sha256=hashlib.sha256(pdf).hexdigest(),
        xml_sha256=hashlib.sha256(xml).hexdigest() if xml else "",
        amount_yen=amount,
        withheld_reason=reason,
        issued_on=batch.issued_on,
    )


# ---------------------------------------------------------------------------------------------
# The whole batch


@dataclass(frozen=True)
class BatchResult:
    issued: int
    ranges: int


def contract_ranges(batch: Batch) -> list[tuple[int, int]]:
    [(low, high)] = sql.rows(
        "SELECT MIN(id), MAX(id) FROM contracts_contract WHERE scheme = %s", [batch.scheme]
    )
    if low is None:
        return []
    return [(start, min(start + RANGE, high)) for start in range(low - 1, high, RANGE)]


def _issue_in_worker(args: tuple[Batch, int, int]) -> int:
    return issue_range(*args)


def issue_year(batch: Batch, *, workers: int | None = None) -> BatchResult:
    """Issue the batch for every contract of its scheme, range by range, side by side in
    `workers` processes (KYOSAI_CERT_WORKERS)."""
    workers = workers or settings.KYOSAI_CERT_WORKERS
    ranges = contract_ranges(batch)
    if workers <= 1:
        issued = sum(issue_range(batch, low, high) for low, high in ranges)
    else:
        # Forked workers must not share the parent's connection: each opens its own.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            issued = sum(
                pool.imap_unordered(_issue_in_worker, [(batch, lo, hi) for lo, hi in ranges])
            )
    return BatchResult(issued, len(ranges))


# ---------------------------------------------------------------------------------------------
# On request


@transaction.atomic
def do_issue_balance_certificate(
    contract: Contract, *, as_of: dt.date, issued_on: dt.date, acting_user: Actor
) -> IssuedCertificate:
    """tosan X6: the 掛金残高証明書 as of `as_of` (the day before it is asked for, so that the
    day's debits are answered). Asked again for the same day, the stored one is returned."""
    if contract.scheme != Scheme.TOSAN:
        raise CertificateError("掛金残高証明書は経営セーフティ共済の契約について発行します。")
    if as_of >= issued_on:
        raise CertificateError("基準日は発行日より前の日です。")
    Contract.objects.select_for_update().filter(pk=contract.pk).get()
    stored = IssuedCertificate.objects.filter(
        contract=contract, kind=Kind.BALANCE, as_of=as_of
    ).first()
    if stored is not None:
        return stored
    found = books(contract.scheme, as_of.year, contract.pk - 1, contract.pk, through=as_of)
    book = found[contract.pk]
    add_account(found, as_of.year, through=as_of)
    total = book.opening_yen + book.earlier_paid_yen + sum(bill.yen for bill in book.paid)
    months = _months_paid(contract, as_of)
    pdf = render_balance_certificate(
        BalanceCertificateFacts(
            scheme_name=TOSAN_NAME,
            contract_number=book.number,
            holder_name=book.name,
            as_of=as_of,
            months_paid=months,
            total_paid_yen=total,
            deductions_yen=book.deductions_yen,
            balance_yen=total - book.deductions_yen,
            issued_on=issued_on,
        )
    )
    certificate = IssuedCertificate.objects.create(
        contract=contract,
        kind=Kind.BALANCE,
        year=as_of.year,
        edition=Edition.REQUEST,
        as_of=as_of,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        amount_yen=total - book.deductions_yen,
        issued_on=issued_on,
    )
    record("certificates.balance", certificate, actor=acting_user, contract=contract.pk)
    return certificate


def _months_paid(contract: Contract, as_of: dt.date) -> int:
    """掛金納付月数 up to `as_of`'s month (prepaid months not yet arrived do not count, P20)."""
    last = month_index(as_of)
    return sum(1 for m in paid_months(contract) if m <= last)
