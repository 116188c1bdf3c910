"""`make bench-certificates`: the autumn 小規模企業共済掛金控除証明書 for the national book.

1. Drops and recreates the PostgreSQL database `kyosai_bench_certificates` at 127.0.0.1:5432
   and migrates it.
2. Fills it with --members synthetic shokibo members (not measured), set-based: premiums from
   1,000円 to 70,000円, each debited and paid for January to September 2026 (nine bills, their
   bank answers and their ledger postings), 2 % with arrears at the cut-off (the "****" case).
3. Measures, each over every member with worker processes side by side (one per core, each over
   its own ranges of contract ids with its own connection, as `manage.py certificates issue`):
   (a) the PDF alone and (b) the signed TEG850 XML alone, rendered from the ledger and thrown
   away; then (c) the real batch, `issue_year`, which makes both documents per member and stores
   them. Prints certificates per second for each. --phases picks some of them (the three over
   the whole book take about two hours here).

Target: (a) and (b) each at least 500 per second (1.66 million in under an hour) on the 2-core
machine. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import time
from pathlib import Path

from bench_database import recreate_database

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("KYOSAI_BENCH_DATABASE", "kyosai_bench_certificates")
KEYS = ROOT / "tests" / "certificates"  # the throw-away test pair: the same work as a real key
TARGET_PER_SECOND = 500
YEAR = 2026
ISSUED_ON = dt.date(YEAR, 11, 10)


def fill(members: int) -> None:
    from django.db import connection

    statements = [
        f"""INSERT INTO parties_party (kind, organisation, name, name_kana, corporate_number,
                representative_name, representative_kana, postal_code, prefecture_code, address,
                phone, industry, industry_detail, employees, capital_yen, business_started_on,
                created_at)
            SELECT 'individual', 'sole_proprietor', '山田太郎' || g, 'ヤマダタロウ', NULL, '', '',
                   '1000013', '13', '東京都千代田区霞が関三丁目' || (g % 9 + 1) || '番1号', '0300000000',
                   'retail', '', 1, NULL, '2008-04-01', now()
            FROM generate_series(1, {members}) g""",
        """INSERT INTO contracts_contract (scheme, number, party_id, status, position,
               joined_month, issued_at)
           SELECT 'shokibo', lpad((1000000 + p.id)::text, 7, '0')
                             || lpad((98 - ((1000000 + p.id) * 100) % 97)::text, 2, '0'),
                  p.id, 'active', 'sole_proprietor',
                  (date '2025-12-01' - make_interval(months => (3 + (p.id * 7919) % 178)::int))::date,
                  now()
           FROM parties_party p""",
        """INSERT INTO contracts_premiumterm (contract_id, monthly_yen, valid_from_month, created_at)
           SELECT k.id, 500 * (2 + (k.id * 37) % 139), k.joined_month, now()
           FROM contracts_contract k""",
        f"""INSERT INTO billing_billingrun (scheme, month, debit_on, status, started_at)
            SELECT 'shokibo', make_date({YEAR}, m, 1), make_date({YEAR}, m, 18), 'files_written',
                   now()
            FROM generate_series(1, 9) m""",
        """INSERT INTO billing_bill (run_id, contract_id, month, months, covers_through,
               regular_yen, prepaid_months, arrears_yen, arrears_months, amount_yen, mandate_id,
               bank_code, branch_code, account_type, account_number, holder_kana, new_code,
               customer_number, lapsing_yen)
           SELECT r.id, k.id, r.month, 1,
                  EXTRACT(YEAR FROM r.month)::int * 12 + EXTRACT(MONTH FROM r.month)::int - 1,
                  t.monthly_yen, 0, 0, 0, t.monthly_yen, 0, '0001', '001', '1', '0000001',
                  'ﾔﾏﾀﾞ ﾀﾛｳ', '0', k.number || to_char(r.month, 'YYYYMM'), 0
           FROM billing_billingrun r CROSS JOIN contracts_contract k
           JOIN contracts_premiumterm t ON t.contract_id = k.id""",
        "INSERT INTO billing_resultimport (run_id, bank_code, name, sha256, paid_count, paid_yen, "
        "failed_count, failed_yen, imported_at) SELECT id, '0001', 'bench-' || id, "
        "'bench-' || id, 0, 0, 0, 0, now() FROM billing_billingrun",
        # 2 % fail September's debit: arrears at the cut-off.
        """INSERT INTO billing_billresult (bill_id, contract_id, result_code, result_import_id)
           SELECT b.id, b.contract_id,
                  CASE WHEN b.contract_id % 50 = 7 AND b.month = date '2026-09-01' THEN '1' ELSE '0' END,
                  x.id
           FROM billing_bill b JOIN billing_resultimport x ON x.run_id = b.run_id""",
        """INSERT INTO billing_journal (kind, reference, posted_on, created_at)
           SELECT 'result', 'bench-' || id, debit_on + 3, now() FROM billing_billingrun""",
        """INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
           SELECT j.id, 'premiums', b.contract_id, b.id, -b.amount_yen
           FROM billing_bill b JOIN billing_billresult x ON x.bill_id = b.id
           JOIN billing_journal j ON j.reference = 'bench-' || b.run_id
           WHERE x.result_code = '0'""",
        f"""INSERT INTO billing_billingstate (contract_id, start_month, first_debit_month,
               billed_through, billed_regular_yen, arrears_yen, arrears_months, debit_stopped)
            SELECT k.id, 0, 0, {YEAR * 12 + 8}, 0,
                   CASE WHEN k.id % 50 = 7 THEN t.monthly_yen ELSE 0 END,
                   CASE WHEN k.id % 50 = 7 THEN 1 ELSE 0 END, false
            FROM contracts_contract k JOIN contracts_premiumterm t ON t.contract_id = k.id""",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def render_range(args: tuple[str, int, int]) -> int:
    """One range's certificates as one kind of document, thrown away: the count."""
    from kyosai.certificates.actions import (
        batch_for,
        deduction_facts,
        signing_key,
    )
    from kyosai.certificates.facts import add_discounts, books
    from kyosai.documents.yearly import render_deduction_certificate
    from kyosai.formats import teg850

    kind, low, high = args
    batch = batch_for("deduction", YEAR, "autumn", ISSUED_ON)
    found = books(batch.scheme, YEAR, low, high, through=batch.as_of)
    add_discounts(found, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    count = 0
    for book in found.values():
        if not book.paid:
            continue
        _, paper, electronic = deduction_facts(batch, book)
        if kind == "pdf":
            render_deduction_certificate(paper)
        else:
            teg850.signed_certificate(electronic, signing_key())
        count += 1
    return count


def measure(kind: str, workers: int) -> tuple[int, float]:
    from django.db import connections

    from kyosai.certificates.actions import batch_for, contract_ranges

    ranges = contract_ranges(batch_for("deduction", YEAR, "autumn", ISSUED_ON))
    connections.close_all()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = sum(pool.imap_unordered(render_range, [(kind, lo, hi) for lo, hi in ranges]))
    return done, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_660_000)
    parser.add_argument(
        "--phases", default="pdf,xml,issue", help="which of pdf, xml, issue (default: all)"
    )
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    if not phases or phases - {"pdf", "xml", "issue"}:
        parser.error("--phases takes pdf, xml and issue, separated by commas")
    workers = os.cpu_count() or 1
    os.environ.update(
        KYOSAI_DB="postgres", KYOSAI_PG_NAME=DB_NAME, KYOSAI_DEBUG="0",
        DJANGO_SETTINGS_MODULE="kyosai.config.settings", KYOSAI_CERT_WORKERS=str(workers),
        KYOSAI_CERT_SIGNING_KEY=str(KEYS / "test_signing_key.pem"),
        KYOSAI_CERT_SIGNING_CERT=str(KEYS / "test_signing_cert.pem"),
    )  # fmt: skip
    print(f"database {DB_NAME}: creating and migrating …", flush=True)
    recreate_database(DB_NAME)
    import django

    django.setup()
    from kyosai.certificates.actions import batch_for, issue_year
    from kyosai.certificates.models import IssuedCertificate

    started = time.perf_counter()
    fill(args.members)
    print(
        f"filled {args.members:,} members in {time.perf_counter() - started:.1f} s (not measured)"
    )
    print(f"{workers} worker processes (test signing key, RSA 2048)", flush=True)

    print()
    for label, kind in (("(a) PDF", "pdf"), ("(b) signed XML", "xml")):
        if kind not in phases:
            continue
        done, seconds = measure(kind, workers)
        rate = done / seconds
        print(
            f"{label:17} {seconds:7.1f} s  {done:,} certificates  ({rate:,.0f} /s)  "
            f"{'OK' if rate >= TARGET_PER_SECOND else 'under'} (target ≥ {TARGET_PER_SECOND}/s)",
            flush=True,
        )
    if "issue" not in phases:
        return
    started = time.perf_counter()
    result = issue_year(batch_for("deduction", YEAR, "autumn", ISSUED_ON), workers=workers)
    seconds = time.perf_counter() - started
    withheld = IssuedCertificate.objects.filter(amount_yen__isnull=True).count()
    print(
        f"(c) issue and store {seconds:5.1f} s  {result.issued:,} certificates, PDF and XML each "
        f"({result.issued / seconds:,.0f} /s; {withheld:,} with ****)"
    )


if __name__ == "__main__":
    main()
