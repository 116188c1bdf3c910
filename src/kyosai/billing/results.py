"""振替結果: take in a bank's result file, settle the bills, post the ledger, update arrears.

The whole file is checked before anything changes (records, counts and totals, every line matched
to a pending bill of one run and bank at the same amount, every bill of that bank answered) and
is rejected whole, with line-numbered errors, if anything is wrong. The same file taken in twice
changes nothing: its hash is the idempotency key. The work is set-based: the lines go into a
temporary table (COPY on PostgreSQL) and a handful of statements settle bills, ledger and arrears.
"""

import datetime as dt
import hashlib

from django.db import connection, transaction
from django.utils import timezone

from kyosai.billing import sql
from kyosai.billing.files import bank_dir
from kyosai.billing.models import Account, Bill, BillingRun, Journal, ResultImport
from kyosai.formats.zengin import DebitResult, LineError, ZenginFileError, parse_debit_result

PAID = "0"  # 振替済; every other code is 振替不能
MAX_LISTED = 100  # errors listed one by one; beyond that the file is wrong wholesale anyway
LINES = "billing_result_lines"


def import_result(data: bytes, *, name: str, imported_on: dt.date) -> ResultImport:
    """Take in one 振替結果 file; a file taken in before is returned unchanged."""
    digest = hashlib.sha256(data).hexdigest()
    if (done := ResultImport.objects.filter(sha256=digest).first()) is not None:
        return done
    result = parse_debit_result(data)
    with transaction.atomic():
        _load(result)
        run, bank_code = _check(result)
        imported = _settle(run, bank_code, result, name, digest, imported_on)
        sql.execute(f"DROP TABLE {LINES}", {})
    _keep(data, digest)
    return imported


def _load(result: DebitResult) -> None:
    sql.execute(f"DROP TABLE IF EXISTS {LINES}", {})
    sql.execute(
        f"""CREATE TEMPORARY TABLE {LINES} (line integer, customer_number varchar(20),
            amount_yen bigint, result_code varchar(1), bill_id bigint, contract_id bigint,
            run_id bigint, bank_code varchar(4), billed_yen bigint, arrears_yen bigint,
            bill_status varchar(10))""",
        {},
    )
    rows = (
        (item.line, item.customer_number.lstrip("0"), item.amount_yen, item.result_code)
        for item in result.items
    )
    with connection.cursor() as cursor:
        if sql.postgres():
            with cursor.cursor.copy(
                f"COPY {LINES} (line, customer_number, amount_yen, result_code) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {LINES} (line, customer_number, amount_yen, result_code) "
                "VALUES (%s, %s, %s, %s)",
                list(rows),
            )
    if sql.postgres():
        # One bank's lines against millions of bills: with the table's real size known, the
        # planner looks bills up by their indexes instead of scanning them.
        sql.execute(f"ANALYZE {LINES}", {})
    sql.execute(
        f"""UPDATE {LINES} AS r SET bill_id = b.id, contract_id = b.contract_id, run_id = b.run_id,
                bank_code = b.bank_code, billed_yen = b.amount_yen, arrears_yen = b.arrears_yen,
                bill_status = b.status
            FROM billing_bill b WHERE b.customer_number = r.customer_number""",
        {},
    )


def _check(result: DebitResult) -> tuple[BillingRun, str]:
    """The run and bank the file answers, or every reason the file cannot be taken in."""
    errors = [
        LineError(line, "customer_number", "この顧客番号の請求がありません")
        for (line,) in sql.rows(f"SELECT line FROM {LINES} WHERE bill_id IS NULL ORDER BY line", {})
    ]
    runs = sql.rows(f"SELECT DISTINCT run_id, bank_code FROM {LINES} WHERE bill_id IS NOT NULL", {})
    if len(runs) > 1:
        errors.append(
            LineError(1, "customer_number", "複数の振替日・金融機関の請求が混在しています")
        )
    for line, billed, amount in sql.rows(
        f"SELECT line, billed_yen, amount_yen FROM {LINES} WHERE billed_yen <> amount_yen ORDER BY line",
        {},
    ):
        errors.append(
            LineError(line, "amount", f"引落金額 {amount:,}円 が請求額 {billed:,}円 と違います")
        )
    for (line,) in sql.rows(
        f"SELECT line FROM {LINES} WHERE bill_status <> 'pending' ORDER BY line", {}
    ):
        errors.append(LineError(line, "result_code", "この請求の振替結果はすでに取り込み済みです"))
    if runs and len(runs) == 1:
        run_id, bank_code = runs[0]
        [(answered,)] = sql.rows(f"SELECT COUNT(*) FROM {LINES} WHERE bill_id IS NOT NULL", {})
        pending = Bill.objects.filter(run_id=run_id, bank_code=bank_code).count()
        if answered != pending:
            errors.append(
                LineError(
                    len(result.items) + 2,
                    "total_count",
                    f"この金融機関への請求 {pending:,}件 のうち {answered:,}件 しか結果がありません",
                )
            )
    elif not runs:
        errors.append(LineError(1, "customer_number", "このファイルに対応する請求がありません"))
    if errors:
        raise ZenginFileError(tuple(sorted(errors, key=lambda e: e.line)[:MAX_LISTED]))
    return BillingRun.objects.get(pk=runs[0][0]), runs[0][1]


def _settle(
    run: BillingRun,
    bank_code: str,
    result: DebitResult,
    name: str,
    digest: str,
    imported_on: dt.date,
) -> ResultImport:
    sql.execute(
        f"""UPDATE billing_bill AS b
            SET status = CASE WHEN r.result_code = '{PAID}' THEN 'paid' ELSE 'failed' END,
                result_code = r.result_code
            FROM {LINES} r WHERE r.bill_id = b.id""",
        {},
    )
    journal = Journal.objects.create(
        kind=Journal.Kind.RESULT, reference=f"result:{digest}", posted_on=imported_on
    )
    params = {"journal": journal.pk}
    # Per member: premiums received (credit), arrears cleared by a paid bill (credit), arrears
    # raised by a failed bill for its own months (debit; the carried part was raised before).
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{Account.PREMIUMS}', r.contract_id, r.bill_id, -r.amount_yen
            FROM {LINES} r WHERE r.result_code = '{PAID}'
            UNION ALL
            SELECT %(journal)s, '{Account.ARREARS}', r.contract_id, r.bill_id, -r.arrears_yen
            FROM {LINES} r WHERE r.result_code = '{PAID}' AND r.arrears_yen > 0
            UNION ALL
            SELECT %(journal)s, '{Account.ARREARS}', r.contract_id, r.bill_id,
                   r.billed_yen - r.arrears_yen
            FROM {LINES} r
            WHERE r.result_code <> '{PAID}' AND r.billed_yen > r.arrears_yen""",
        params,
    )
    # Control lines balance the journal: the bank receives what was paid; the arrears offset
    # mirrors the arrears cleared and raised.
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, CASE WHEN account = '{Account.PREMIUMS}' THEN '{Account.BANK}'
                                     ELSE '{Account.ARREARS_OFFSET}' END,
                   NULL, NULL, -SUM(amount_yen)
            FROM billing_posting WHERE journal_id = %(journal)s
            GROUP BY account, amount_yen > 0""",
        params,
    )
    _update_arrears()
    return ResultImport.objects.create(
        run=run,
        bank_code=bank_code,
        name=name,
        sha256=digest,
        paid_count=result.paid_count,
        paid_yen=result.paid_amount,
        failed_count=result.failed_count,
        failed_yen=result.failed_amount,
        imported_at=timezone.now(),
    )


MOVED = f"(SELECT contract_id FROM {LINES} WHERE result_code <> '{PAID}' OR arrears_yen > 0)"


def _update_arrears() -> None:
    """The arrears of each answered contract whose arrears moved (its bill failed, or it carried
    arrears): its failed bills not yet carried into a bill that could still be paid (a carried
    bill's amount is inside the bill that carries it). A paid bill without arrears moves nothing."""
    sql.execute(
        f"""UPDATE billing_billingstate AS s
            SET arrears_yen = COALESCE(o.yen, 0), arrears_months = COALESCE(o.months, 0)
            FROM (SELECT r.contract_id, a.yen, a.months FROM {MOVED} r LEFT JOIN (
                    SELECT b.contract_id, SUM(b.amount_yen) AS yen,
                           SUM(b.months + b.arrears_months) AS months
                    FROM billing_bill b LEFT JOIN billing_bill c ON c.id = b.carried_into_id
                    WHERE b.status = 'failed' AND (c.id IS NULL OR c.status = 'pending')
                      AND b.contract_id IN (SELECT contract_id FROM {MOVED} m)
                    GROUP BY b.contract_id) a ON a.contract_id = r.contract_id) o
            WHERE o.contract_id = s.contract_id""",
        {},
    )


def _keep(data: bytes, digest: str) -> None:
    """Keep the bank's file as received (retention and audit), named by its hash."""
    target = bank_dir("results") / f"{digest}.txt"
    if not target.exists():
        target.write_bytes(data)
