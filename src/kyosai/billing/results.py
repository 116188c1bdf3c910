"""振替結果: take in the banks' result files, record each bill's answer, post the ledger, update
arrears.

Each file is checked whole before any of it is taken in: its records, counts and totals, every
line matched to an unanswered bill of one run and bank at the same amount, every bill of that
bank answered. A file with a problem is refused with its line-numbered errors and nothing of it
is kept. The files of one call that pass are taken in together, in one transaction, by a handful
of set-based statements over all their lines (a temporary table, filled by COPY on PostgreSQL),
so a month's sixty bank files cost what one statement over two million rows costs rather than
sixty times the cost of finding one bank's rows. A file's hash is its idempotency key: the same
file twice changes nothing.
"""

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from kyosai.billing import sql
from kyosai.billing.files import bank_dir
from kyosai.billing.models import Account, BillingRun, Journal, ResultImport
from kyosai.formats.zengin import (
    PAID_RESULT_CODE,
    DebitResult,
    LineError,
    ZenginFileError,
    parse_debit_result,
)

PAID = PAID_RESULT_CODE
MAX_LISTED = 100  # errors listed one by one per file; beyond that it is wrong wholesale anyway
LINES = "billing_result_lines"  # every line of the files, as read
MATCHED = "billing_result_matched"  # each line with the bill it answers
FILES = "billing_result_files"  # the files taken in: their journal and ResultImport
WHAT_JA = "振替結果ファイル"


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: taken in (now or before), or refused with its errors."""

    name: str
    imported: ResultImport | None
    errors: tuple[LineError, ...] = ()


@dataclass(frozen=True)
class _File:
    index: int  # position in the call, the file's key in the temporary tables
    name: str
    digest: str
    data: bytes
    result: DebitResult


def import_result(data: bytes, *, name: str, imported_on: dt.date) -> ResultImport:
    """Take in one 振替結果 file (a file taken in before is returned unchanged); ZenginFileError
    with every problem when it cannot be taken in."""
    [outcome] = import_results([(name, data)], imported_on=imported_on)
    if outcome.imported is None:
        raise ZenginFileError(outcome.errors, what_ja=WHAT_JA)
    return outcome.imported


def import_results(
    files: Sequence[tuple[str, bytes]], *, imported_on: dt.date
) -> list[FileOutcome]:
    """Take in (name, content) files together; one outcome per file, in order."""
    outcomes: dict[int, FileOutcome] = {}
    digests = [hashlib.sha256(data).hexdigest() for _, data in files]
    first_of: dict[str, int] = {}  # digest → the call's first file with it
    fresh: list[_File] = []
    for index, ((name, data), digest) in enumerate(zip(files, digests, strict=True)):
        if digest in first_of:
            continue  # the same file twice in one call: answered with the first's outcome
        first_of[digest] = index
        if (done := ResultImport.objects.filter(sha256=digest).first()) is not None:
            outcomes[index] = FileOutcome(name, done)
            continue
        try:
            fresh.append(_File(index, name, digest, data, parse_debit_result(data)))
        except ZenginFileError as error:
            outcomes[index] = FileOutcome(name, None, error.errors)
    if fresh:
        with transaction.atomic():
            sql.bulk_settings()
            _load(fresh)
            refused, answering = _check(fresh)
            taken = [f for f in fresh if f.index not in refused]
            imports = _settle(taken, answering, imported_on)
            for table in (LINES, MATCHED, FILES):
                sql.execute(f"DROP TABLE IF EXISTS {table}", {})
        for f in fresh:
            outcomes[f.index] = FileOutcome(f.name, imports.get(f.index), refused.get(f.index, ()))
        for f in taken:
            _keep(f.data, f.digest)
    return [
        outcomes.get(index) or dataclasses.replace(outcomes[first_of[digest]], name=name)
        for index, ((name, _), digest) in enumerate(zip(files, digests, strict=True))
    ]


def _load(files: list[_File]) -> None:
    """Every line into LINES, then each line with its bill (and whether it has an answer) into
    MATCHED. Bills are looked for among the runs of the months the customer numbers name."""
    sql.execute(
        f"""CREATE TEMPORARY TABLE {LINES} (file integer, line integer, customer_number varchar(20),
            amount_yen bigint, result_code varchar(1))""",
        {},
    )
    columns = "file, line, customer_number, amount_yen, result_code"
    with connection.cursor() as cursor:
        if sql.postgres():
            # COPY's text format, a file at a time: digits only, so nothing needs escaping.
            with cursor.cursor.copy(f"COPY {LINES} ({columns}) FROM STDIN") as copy:
                for f in files:
                    copy.write(
                        "".join(
                            f"{f.index}\t{item.line}\t{item.customer_number.lstrip('0')}\t"
                            f"{item.amount_yen}\t{item.result_code}\n"
                            for item in f.result.items
                        )
                    )
            sql.execute(f"ANALYZE {LINES}", {})
        else:
            cursor.executemany(
                f"INSERT INTO {LINES} ({columns}) VALUES (%s, %s, %s, %s, %s)",
                [
                    (
                        f.index,
                        item.line,
                        item.customer_number.lstrip("0"),
                        item.amount_yen,
                        item.result_code,
                    )
                    for f in files
                    for item in f.result.items
                ],
            )
    runs = _runs_named(files) or [0]
    sql.execute(
        f"""CREATE TEMPORARY TABLE {MATCHED} AS
            SELECT r.file, r.line, r.amount_yen, r.result_code, b.id AS bill_id, b.contract_id,
                   b.run_id, b.bank_code, b.amount_yen AS billed_yen, b.arrears_yen,
                   b.lapsing_yen,
                   a.bill_id IS NOT NULL AS answered
            FROM {LINES} r
            LEFT JOIN billing_bill b ON b.customer_number = r.customer_number
                                    AND b.run_id IN ({", ".join(str(run) for run in runs)})
            LEFT JOIN billing_billresult a ON a.bill_id = b.id""",
        {},
    )
    if sql.postgres():
        sql.execute(f"ANALYZE {MATCHED}", {})


def _runs_named(files: list[_File]) -> list[int]:
    """The runs of the months at the end of the customer numbers (顧客番号 = number + yyyymm)."""
    months = set()
    for f in files:
        for yyyymm in {item.customer_number[-6:] for item in f.result.items}:
            if 1 <= int(yyyymm[4:]) <= 12:
                months.add(dt.date(int(yyyymm[:4]), int(yyyymm[4:]), 1))
    return list(BillingRun.objects.filter(month__in=months).values_list("pk", flat=True))


def _listed(condition: str) -> str:
    """The first MAX_LISTED lines of each file that meet `condition`, in line order."""
    return f"""SELECT file, line, billed_yen, amount_yen FROM (
                   SELECT m.*, ROW_NUMBER() OVER (PARTITION BY file ORDER BY line) AS n
                   FROM {MATCHED} m WHERE {condition}) listed
               WHERE n <= {MAX_LISTED}"""


def _check(
    files: list[_File],
) -> tuple[dict[int, tuple[LineError, ...]], dict[int, tuple[int, str]]]:
    """The files that cannot be taken in, each with every reason (see the module docstring), and
    the (run, bank) each of the others answers."""
    errors: dict[int, list[LineError]] = defaultdict(list)
    for file, line, _, _ in sql.rows(_listed("bill_id IS NULL"), {}):
        errors[file].append(LineError(line, "customer_number", "この顧客番号の請求がありません"))
    for file, line, billed, amount in sql.rows(_listed("billed_yen <> amount_yen"), {}):
        errors[file].append(
            LineError(line, "amount", f"引落金額 {amount:,}円 が請求額 {billed:,}円 と違います")
        )
    for file, line, _, _ in sql.rows(_listed("answered"), {}):
        errors[file].append(
            LineError(line, "result_code", "この請求の振替結果はすでに取り込み済みです")
        )
    answering: dict[int, set[tuple[int, str]]] = defaultdict(set)
    counts: dict[tuple[int, int, str], int] = {}
    for file, run, bank, count in sql.rows(
        f"""SELECT file, run_id, bank_code, COUNT(*) FROM {MATCHED} WHERE bill_id IS NOT NULL
            GROUP BY file, run_id, bank_code""",
        {},
    ):
        answering[file].add((run, bank))
        counts[(file, run, bank)] = count
    bills = _bills_by_run_bank({key for keys in answering.values() for key in keys})
    # The files answering one run and bank: one file, or the parts of a bank's split request,
    # which are taken in together and together answer every bill of it, each bill once.
    groups: dict[tuple[int, str], list[_File]] = defaultdict(list)
    for f in files:
        keys = answering[f.index]
        if not keys:
            errors[f.index].append(
                LineError(1, "customer_number", "このファイルに対応する請求がありません")
            )
        elif len(keys) > 1:
            errors[f.index].append(
                LineError(1, "customer_number", "複数の振替日・金融機関の請求が混在しています")
            )
        else:
            groups[next(iter(keys))].append(f)
    for key, group in groups.items():
        if len(group) > 1:
            for file, line in sql.rows(_answered_again(), {"run": key[0], "bank": key[1]}):
                errors[file].append(
                    LineError(
                        line, "customer_number", "この請求の振替結果がほかのファイルにもあります"
                    )
                )
        answered, billed = sum(counts[(f.index, *key)] for f in group), bills[key]
        for f in group:
            if answered != billed:
                errors[f.index].append(
                    LineError(
                        len(f.result.items) + 2,  # the trailer
                        "total_count",
                        f"この金融機関への請求は {billed:,}件 ですが、結果は {answered:,}件 です"
                        + (
                            "（分割されたファイルはまとめて取り込んでください）"
                            if billed > answered
                            else ""
                        ),
                    )
                )
        if refused_in_group := [f.name for f in group if errors[f.index]]:
            for f in group:
                if not errors[f.index]:
                    errors[f.index].append(
                        LineError(
                            1,
                            "bank_code",
                            f"同じ金融機関の {'、'.join(refused_in_group)} を取り込めないため、"
                            "このファイルも取り込みません",
                        )
                    )
    refused = {
        file: tuple(sorted(found, key=lambda e: e.line)[:MAX_LISTED])
        for file, found in errors.items()
        if found
    }
    return refused, {f.index: key for key, group in groups.items() for f in group
                     if f.index not in refused}  # fmt: skip


def _answered_again() -> str:
    """The lines of a run and bank whose bill an earlier line of the call already answers."""
    return f"""SELECT file, line FROM (
                   SELECT file, line, ROW_NUMBER() OVER (PARTITION BY bill_id ORDER BY file, line) AS n
                   FROM {MATCHED} WHERE run_id = %(run)s AND bank_code = %(bank)s) answers
               WHERE n > 1 ORDER BY file, line LIMIT {MAX_LISTED}"""


def _bills_by_run_bank(keys: set[tuple[int, str]]) -> dict[tuple[int, str], int]:
    runs = {run for run, _ in keys}
    counted: dict[tuple[int, str], int] = defaultdict(int)
    for run, bank, count in sql.rows(
        f"""SELECT run_id, bank_code, COUNT(*) FROM billing_bill
            WHERE run_id IN ({", ".join(str(run) for run in runs) or "0"})
            GROUP BY run_id, bank_code""",
        {},
    ):
        counted[(run, bank)] = count
    return counted


def _settle(
    files: list[_File], answering: dict[int, tuple[int, str]], imported_on: dt.date
) -> dict[int, ResultImport]:
    """Record the answers of the files taken in, post them, and move the arrears."""
    imports: dict[int, ResultImport] = {}
    sql.execute(
        f"CREATE TEMPORARY TABLE {FILES} (file integer, journal_id bigint, import_id bigint)", {}
    )
    for f in files:
        run, bank = answering[f.index]
        journal = Journal.objects.create(
            kind=Journal.Kind.RESULT, reference=f"result:{f.digest}", posted_on=imported_on
        )
        imports[f.index] = ResultImport.objects.create(
            run_id=run,
            bank_code=bank,
            name=f.name,
            sha256=f.digest,
            paid_count=f.result.paid_count,
            paid_yen=f.result.paid_amount,
            failed_count=f.result.failed_count,
            failed_yen=f.result.failed_amount,
            imported_at=timezone.now(),
        )
        sql.execute(
            f"INSERT INTO {FILES} (file, journal_id, import_id) VALUES (%s, %s, %s)",
            [f.index, journal.pk, imports[f.index].pk],
        )
    if not files:
        return imports
    # In bill order, so the answers' primary key grows at its end.
    sql.execute(
        f"""INSERT INTO billing_billresult (bill_id, contract_id, result_code, result_import_id)
            SELECT m.bill_id, m.contract_id, m.result_code, f.import_id
            FROM {MATCHED} m JOIN {FILES} f ON f.file = m.file ORDER BY m.bill_id""",
        {},
    )
    # Per member: premiums received (credit), arrears cleared by a paid bill (credit), arrears
    # raised by a failed bill for its own months (debit; the carried part was raised before, and
    # a failed 前納's months ahead lapse, tosan P19).
    # In contract order, so the ledger's contract index is extended page by page.
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT journal_id, account, contract_id, bill_id, amount_yen FROM (
                SELECT f.journal_id, '{Account.PREMIUMS}' AS account, m.contract_id, m.bill_id,
                       -m.amount_yen AS amount_yen
                FROM {MATCHED} m JOIN {FILES} f ON f.file = m.file WHERE m.result_code = '{PAID}'
                UNION ALL
                SELECT f.journal_id, '{Account.ARREARS}', m.contract_id, m.bill_id, -m.arrears_yen
                FROM {MATCHED} m JOIN {FILES} f ON f.file = m.file
                WHERE m.result_code = '{PAID}' AND m.arrears_yen > 0
                UNION ALL
                SELECT f.journal_id, '{Account.ARREARS}', m.contract_id, m.bill_id,
                       m.billed_yen - m.arrears_yen - m.lapsing_yen
                FROM {MATCHED} m JOIN {FILES} f ON f.file = m.file
                WHERE m.result_code <> '{PAID}' AND m.billed_yen > m.arrears_yen + m.lapsing_yen
            ) lines ORDER BY contract_id""",
        {},
    )
    # Control lines balance each journal: the bank receives what was paid; the arrears offset
    # mirrors the arrears cleared and raised.
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT journal_id, CASE WHEN account = '{Account.PREMIUMS}' THEN '{Account.BANK}'
                                    ELSE '{Account.ARREARS_OFFSET}' END,
                   NULL, NULL, -SUM(amount_yen)
            FROM billing_posting WHERE journal_id IN (SELECT journal_id FROM {FILES})
            GROUP BY journal_id, account, amount_yen > 0""",
        {},
    )
    _update_arrears()
    return imports


MOVED = f"""(SELECT DISTINCT m.contract_id FROM {MATCHED} m JOIN {FILES} f ON f.file = m.file
            WHERE m.result_code <> '{PAID}' OR m.arrears_yen > 0)"""


def _update_arrears() -> None:
    """The arrears of each answered contract whose arrears moved (its bill failed, or it carried
    arrears): its failed bills not yet carried into a bill that could still be paid (a carried
    bill's amount is inside the bill that carries it). A paid bill without arrears moves nothing."""
    sql.execute(
        f"""UPDATE billing_billingstate AS s
            SET arrears_yen = COALESCE(o.yen, 0), arrears_months = COALESCE(o.months, 0)
            FROM (SELECT r.contract_id, a.yen, a.months FROM {MOVED} r LEFT JOIN (
                    SELECT b.contract_id, SUM(b.amount_yen - b.lapsing_yen) AS yen,
                           SUM(b.months + b.arrears_months - b.prepaid_months) AS months
                    FROM billing_billresult x JOIN billing_bill b ON b.id = x.bill_id
                    LEFT JOIN billing_bill c ON c.id = b.carried_into_id
                    LEFT JOIN billing_billresult cx ON cx.bill_id = c.id
                    WHERE x.result_code <> '{PAID}' AND (c.id IS NULL OR cx.bill_id IS NULL)
                      AND x.contract_id IN {MOVED}
                    GROUP BY b.contract_id) a ON a.contract_id = r.contract_id) o
            WHERE o.contract_id = s.contract_id""",
        {},
    )


def _keep(data: bytes, digest: str) -> None:
    """Keep the bank's file as received (retention and audit), named by its hash."""
    target = bank_dir("results") / f"{digest}.txt"
    if not target.exists():
        target.write_bytes(data)
