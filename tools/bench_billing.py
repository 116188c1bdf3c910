"""`make bench-billing`: the monthly debit run and the result import at national scale.

1. Drops and recreates the PostgreSQL database `kyosai_bench_billing` at 127.0.0.1:5432 and
   migrates it.
2. Fills it with --contracts synthetic contracts (not measured), set-based: 72 % 小規模企業共済 and
   28 % 経営セーフティ共済, joined over the last 15 years, amounts over each scheme's range (so many
   tosan contracts have reached the 8,000,000円 cap), 10 % with a premium change, 2 % of tosan
   stopped (掛止め), 1 % prepaying this month, 1 % new (their first debit), 2 % with a failed debit
   two months ago to re-bill, debit accounts spread over 30 banks; balances taken over through last
   month (billing.runs.open_balances).
3. Measures (a) bill generation including the 全銀 files for both schemes, then lets a pretend
   bank answer every file (3 % 資金不足; not measured), and measures (b) the result import including
   the ledger postings and arrears. Prints seconds and rows per second for each phase.

Target: each phase ≤ 60 s on the 2-core machine. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path

from bench_database import recreate_database

ROOT = Path(__file__).resolve().parents[1]
# Another name keeps a smoke run (tests/test_benches.py) off a full-size database being measured.
DB_NAME = os.environ.get("KYOSAI_BENCH_DATABASE", "kyosai_bench_billing")
TARGET_SECONDS = 60.0
MONTH = dt.date(2026, 12, 1)  # an even month: both schemes re-bill
BANKS = [
    "0001", "0005", "0009", "0010", "0017", "0033", "0116", "0117", "0118", "0119", "0120",
    "0121", "0122", "0123", "0124", "0125", "0126", "0127", "0128", "0129", "0130", "0131",
    "0132", "0133", "0134", "0135", "0137", "0138", "0139", "0140",
]  # fmt: skip


def fill(contracts: int) -> None:
    from django.db import connection

    from kyosai.billing.runs import open_balances
    from kyosai.rules.calendar import add_months
    from kyosai.rules.scheme import Scheme

    shokibo = contracts * 72 // 100
    month = MONTH.isoformat()
    statements = [
        f"""INSERT INTO parties_party (kind, organisation, name, name_kana, corporate_number,
                representative_name, representative_kana, postal_code, prefecture_code, address,
                phone, industry, industry_detail, employees, capital_yen, business_started_on,
                created_at)
            SELECT 'individual', 'sole_proprietor', 'ベンチ' || g, 'ベンチ', NULL, '', '',
                   '1000001', lpad((g % 47 + 1)::text, 2, '0'), '東京都千代田区', '0300000000',
                   'retail', '', 1, NULL, '2008-04-01', now()
            FROM generate_series(1, {contracts}) g""",
        # Scheme by position; joined 1–180 months ago (1 % in the last two months: first debit).
        f"""INSERT INTO contracts_contract (scheme, number, party_id, status, position,
                joined_month, issued_at)
            SELECT s.scheme, lpad(s.base::text, 7, '0') || lpad((98 - (s.base * 100) % 97)::text, 2, '0'),
                   p.id, CASE WHEN s.scheme = 'tosan' AND p.id % 50 = 7 THEN 'suspended' ELSE 'active' END,
                   CASE WHEN s.scheme = 'shokibo' THEN 'sole_proprietor' ELSE '' END,
                   (date '{month}' - make_interval(months =>
                       (CASE WHEN p.id % 100 = 3 THEN 2 ELSE 3 + (p.id * 7919) % 178 END)::int))::date,
                   now()
            FROM parties_party p,
                 LATERAL (SELECT CASE WHEN p.id <= {shokibo} THEN 'shokibo' ELSE 'tosan' END AS scheme,
                                 CASE WHEN p.id <= {shokibo} THEN 1000000 + p.id
                                      ELSE 6000000 + p.id - {shokibo} END AS base) s""",
        """INSERT INTO contracts_premiumterm (contract_id, monthly_yen, valid_from_month, created_at)
           SELECT k.id, CASE WHEN k.scheme = 'tosan' THEN 5000 * (1 + (k.id * 31) % 40)
                             ELSE 500 * (2 + (k.id * 37) % 139) END, k.joined_month, now()
           FROM contracts_contract k""",
        """INSERT INTO contracts_premiumterm (contract_id, monthly_yen, valid_from_month, created_at)
           SELECT k.id, CASE WHEN k.scheme = 'tosan' THEN 5000 * (1 + (k.id * 17) % 40)
                             ELSE 500 * (2 + (k.id * 13) % 139) END,
                  (k.joined_month + interval '12 months')::date, now()
           FROM contracts_contract k
           WHERE k.id % 10 = 1 AND k.joined_month < date '2025-01-01'""",
        "INSERT INTO contracts_premiumstop (contract_id, from_month, until_month, created_at) "
        "SELECT id, date '2025-06-01', NULL, now() FROM contracts_contract WHERE status = 'suspended'",
        f"""INSERT INTO contracts_debitmandate (contract_id, bank_code, branch_code, account_type,
                account_number, holder_kana, valid_from, created_at)
            SELECT k.id, (ARRAY{BANKS!r})[1 + k.id % {len(BANKS)}], '001', '1',
                   lpad((k.id % 9999999 + 1)::text, 7, '0'), 'ﾍﾞﾝﾁ ﾀﾛｳ', k.joined_month, now()
            FROM contracts_contract k""",
        f"""INSERT INTO billing_prepayment (contract_id, month, months, discount_yen)
            SELECT k.id, date '{month}', 1 + k.id % 11, 0
            FROM contracts_contract k WHERE k.scheme = 'tosan' AND k.status = 'active'
              AND k.id % 100 = 11""",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    for scheme in Scheme:
        open_balances(scheme, add_months(MONTH, -1), posted_on=add_months(MONTH, -1))
    _failed_two_months_ago()
    # As a running database is: vacuumed (visibility and hint bits set, so the run's first read
    # of each row does not write it back) and checkpointed (the fill's WAL is not flushed
    # during the measured phases). Without this, phase (a) varied between 59 and 75 s.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def _failed_two_months_ago() -> None:
    """2 % of contracts: the debit of two months ago failed (資金不足), to be re-billed now."""
    from django.db import connection
    from django.utils import timezone

    from kyosai.billing.models import BillingRun, ResultImport
    from kyosai.rules.calendar import add_months, debit_date
    from kyosai.rules.scheme import Scheme

    earlier = add_months(MONTH, -2)
    for scheme in Scheme:
        run = BillingRun.objects.create(
            scheme=scheme, month=earlier, debit_on=debit_date(scheme, earlier),
            status=BillingRun.Status.FILES_WRITTEN, started_at=timezone.now(),
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO billing_bill (run_id, contract_id, month, months, covers_through,
                       regular_yen, prepaid_months, arrears_yen, arrears_months, amount_yen,
                       mandate_id, bank_code, branch_code, account_type, account_number,
                       holder_kana, new_code, customer_number, lapsing_yen)
                   SELECT %s, k.id, %s, 1, s.billed_through - 1, t.monthly_yen, 0, 0, 0,
                          t.monthly_yen, d.id, d.bank_code, d.branch_code,
                          d.account_type, d.account_number, d.holder_kana, '0', k.number || %s, 0
                   FROM contracts_contract k
                   JOIN billing_billingstate s ON s.contract_id = k.id
                   JOIN contracts_premiumterm t ON t.contract_id = k.id
                                               AND t.valid_from_month = k.joined_month
                   JOIN contracts_debitmandate d ON d.contract_id = k.id
                   WHERE k.scheme = %s AND k.id %% 50 = 23 AND s.billed_regular_yen > 0""",
                [run.pk, earlier, f"{earlier:%Y%m}", str(scheme)],
            )
            # The bank answered them all 資金不足 (one stand-in result file for the run).
            answered = ResultImport.objects.create(
                run=run, bank_code="", name=f"earlier-{scheme}", sha256=f"earlier-{scheme}",
                paid_count=0, paid_yen=0, failed_count=0, failed_yen=0, imported_at=timezone.now(),
            )  # fmt: skip
            cursor.execute(
                """INSERT INTO billing_billresult (bill_id, contract_id, result_code,
                       result_import_id)
                   SELECT id, contract_id, '1', %s FROM billing_bill WHERE run_id = %s""",
                [answered.pk, run.pk],
            )
            cursor.execute(
                """UPDATE billing_billingstate s SET arrears_yen = b.amount_yen, arrears_months = 1
                   FROM billing_bill b WHERE b.run_id = %s AND b.contract_id = s.contract_id""",
                [run.pk],
            )


def bank_answers(directory: Path) -> list[Path]:
    """The pretend bank: every 34th debit fails for lack of funds (code 1); trailer recomputed."""
    from kyosai.billing.files import outgoing_dir
    from kyosai.billing.models import BankFile
    from kyosai.formats.zengin import DEBIT_TRAILER, decode, encode

    answered = []
    for bank_file in BankFile.objects.order_by("id"):
        lines = (outgoing_dir() / bank_file.name).read_bytes().split(b"\r\n")
        paid = [0, 0]
        failed = [0, 0]
        for n, line in enumerate(lines):
            if line[:1] == b"2":
                amount = int(line[80:90])
                code = b"1" if n % 34 == 0 else b"0"
                bucket = failed if code == b"1" else paid
                bucket[0] += 1
                bucket[1] += amount
                lines[n] = line[:111] + code + line[112:]
            elif line[:1] == b"8":
                fields = decode(DEBIT_TRAILER, line)
                fields.update(
                    paid_count=str(paid[0]), paid_amount=str(paid[1]),
                    failed_count=str(failed[0]), failed_amount=str(failed[1]),
                )  # fmt: skip
                lines[n] = encode(DEBIT_TRAILER, fields)
        target = directory / f"result-{bank_file.name}"
        target.write_bytes(b"\r\n".join(lines))
        answered.append(target)
    return answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=2_240_000)
    args = parser.parse_args()
    files = tempfile.mkdtemp(prefix="kyosai-bench-billing-")
    os.environ.update(
        KYOSAI_DB="postgres", KYOSAI_PG_NAME=DB_NAME, KYOSAI_DEBUG="0",
        KYOSAI_BANK_FILES_DIR=files, DJANGO_SETTINGS_MODULE="kyosai.config.settings",
        KYOSAI_BILLING_WORKERS=str(os.cpu_count() or 1),
    )  # fmt: skip
    print(f"database {DB_NAME}: creating and migrating …", flush=True)
    recreate_database(DB_NAME)
    import django

    django.setup()
    from kyosai.billing.models import BankFile, Bill, Posting
    from kyosai.billing.results import import_results
    from kyosai.billing.runs import bill_month
    from kyosai.rules.scheme import Scheme

    started = time.perf_counter()
    fill(args.contracts)
    print(
        f"filled {args.contracts:,} contracts in {time.perf_counter() - started:.1f} s (not measured)"
    )

    started = time.perf_counter()
    for scheme in Scheme:
        bill_month(scheme, MONTH)
    generation = time.perf_counter() - started
    bills = Bill.objects.filter(month=MONTH).count()
    lines = sum(BankFile.objects.values_list("records", flat=True))

    results = bank_answers(Path(files))
    postings_before = Posting.objects.count()
    started = time.perf_counter()
    outcomes = import_results(
        [(path.name, path.read_bytes()) for path in results], imported_on=MONTH.replace(day=30)
    )
    assert all(outcome.imported for outcome in outcomes), [o.errors for o in outcomes]
    importing = time.perf_counter() - started
    postings = Posting.objects.count() - postings_before

    print()
    print(
        f"(a) bills and 全銀 files: {generation:6.1f} s  {bills:,} bills, {lines:,} file lines in "
        f"{BankFile.objects.count()} files  ({bills / generation:,.0f} bills/s)  "
        f"{'OK' if generation <= TARGET_SECONDS else 'over'} (target ≤ {TARGET_SECONDS:.0f} s)"
    )
    print(
        f"(b) result import:        {importing:6.1f} s  {len(results)} files, {postings:,} ledger "
        f"postings  ({bills / importing:,.0f} results/s)  "
        f"{'OK' if importing <= TARGET_SECONDS else 'over'} (target ≤ {TARGET_SECONDS:.0f} s)"
    )


if __name__ == "__main__":
    main()
