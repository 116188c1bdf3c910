"""The monthly billing run: decide every contract's debit for one scheme and month, in the database.

One bill per contract and month. What a bill asks for is one subtraction per contract: the
premiums scheduled from the first premium month through the horizon (this month, or the last month
a 前納 reaches), less the 掛止め months, held at the tosan 積立限度額, minus what earlier bills
already asked for regular premiums. That single rule gives the first debit (the months since
joining), a regular month, a prepayment lump, the remainder-only last month under the cap, the
difference after a change received after the 5th (added for an increase; for a decrease the
overpayment is a deposit that reduces the following debits until it is used up), and nothing
while stopped. Failed bills are carried whole into the bill of a re-billing month (再請求),
except a failed 前納's months ahead, which lapse (tosan P19): the re-billing month then bills the
failed month as arrears and the months since as regular premiums, and monthly billing resumes.

Contracts are processed in chunks of ids, each chunk one transaction that also records itself as
done, so a run killed part-way resumes where it stopped and never bills a month twice. Chunks can
run side by side on PostgreSQL (KYOSAI_BILLING_WORKERS).
"""

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from kyosai.billing import sql
from kyosai.billing.files import write_files
from kyosai.billing.ledger import balance_journal
from kyosai.billing.models import Account, BillingChunk, BillingRun, Journal
from kyosai.contracts.models import Contract
from kyosai.formats.zengin import PAID_RESULT_CODE
from kyosai.notices import events as notices
from kyosai.rules.calendar import add_months, debit_date, month_index, month_of
from kyosai.rules.params import default_parameters
from kyosai.rules.scheme import Scheme

NO_CAP = 10**15


@dataclass(frozen=True)
class RunTerms:
    """The parameters a run applies, read once for its month."""

    cap_yen: int
    remainder_only: bool
    rebill: bool  # this month re-bills arrears
    rebill_before: dt.date  # failed bills of this month or earlier are carried
    first_debit_after: int
    first_debit_covered: int


def run_terms(scheme: Scheme, month: dt.date) -> RunTerms:
    params = default_parameters()
    after = params[f"{scheme}/rebill_after_months"].whole_at(month)
    interval = params[f"{scheme}/rebill_month_interval"].whole_at(month)
    if scheme == Scheme.TOSAN:
        cap = params["tosan/premium_total_cap"].whole_at(month)
        remainder_only = params["tosan/premium_cap_remainder_only"].whole_at(month) == 1
    else:
        cap, remainder_only = NO_CAP, True
    return RunTerms(
        cap_yen=cap,
        remainder_only=remainder_only,
        rebill=month.month % interval == 0,
        rebill_before=add_months(month, -after),
        first_debit_after=params[f"{scheme}/first_debit_months_after"].whole_at(month),
        first_debit_covered=params[f"{scheme}/first_debit_months_covered"].whole_at(month),
    )


def open_run(scheme: Scheme, month: dt.date) -> BillingRun:
    """The run of `scheme` for `month`, created on first call (a second call resumes it)."""
    month = month_of(month)
    run, _ = BillingRun.objects.get_or_create(
        scheme=scheme,
        month=month,
        defaults={"debit_on": debit_date(scheme, month), "started_at": timezone.now()},
    )
    return run


def generate_bills(
    run: BillingRun,
    *,
    chunk: int = 100_000,
    workers: int = 1,
    after_chunk: Callable[[int], None] | None = None,
) -> BillingRun:
    """Bill every contract of the run's scheme, skipping the chunks committed before.

    With `workers` > 1 (PostgreSQL only: SQLite has one writer) chunks are billed side by side,
    each on its own connection; they touch disjoint contracts. Billing a contract twice in a run
    changes nothing (one bill per contract-month, and the state moves once per run), so a chunk
    that died uncommitted is simply billed again."""
    if run.status != BillingRun.Status.GENERATING:
        return run
    scheme = Scheme(run.scheme)
    terms = run_terms(scheme, run.month)
    with transaction.atomic():
        sql.bulk_settings()
        _start_new_contracts(scheme, terms)
    ids = Contract.objects.filter(scheme=scheme).aggregate(first=Min("id"), last=Max("id"))
    done = set(run.chunks.values_list("low", "high"))
    first, last = ids["first"] or 1, ids["last"] or 0
    ranges = [
        (low, low + chunk)
        for low in range((first - 1) // chunk * chunk, last, chunk)
        if (low, low + chunk) not in done
    ]

    def bill(low: int, high: int) -> None:
        with transaction.atomic():
            sql.bulk_settings()
            _bill_chunk(run, terms, low, high)
            BillingChunk.objects.create(run=run, low=low, high=high)
        if after_chunk is not None:
            after_chunk(high)

    if workers > 1 and sql.postgres():
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(_on_own_connection, bill, *r) for r in ranges]:
                future.result()
    else:
        for low, high in ranges:
            bill(low, high)
    if sql.postgres():
        # A month of bills has just arrived: without fresh statistics the planner takes them for
        # a handful and reads them by index, one random page at a time, for the files and results.
        sql.execute("ANALYZE billing_bill", {})
    with transaction.atomic():
        # The members are told what is billed in the transaction that closes the run: one
        # statement over the run's bills (per chunk it joined every contract again each time),
        # once, and a run killed before it tells them when it is resumed.
        sql.bulk_settings()
        sql.hash_joins_only(True)
        notices.bills_billed(
            run_id=run.pk, scheme=scheme, month=run.month, debit_on=run.debit_on,
            cap_yen=terms.cap_yen,
        )  # fmt: skip
        BillingRun.objects.filter(pk=run.pk).update(status=BillingRun.Status.GENERATED)
    run.refresh_from_db()
    return run


def _on_own_connection(work: Callable[[int, int], None], low: int, high: int) -> None:
    """Run `work` in a worker thread; Django gives the thread its own connection, closed here."""
    try:
        work(low, high)
    finally:
        connection.close()


def _first_months_sql(terms: RunTerms) -> tuple[str, str]:
    """SQL for a contract `k`'s first debit month and first premium month (month indexes)."""
    first = f"{sql.month_index('k.joined_month')} + {terms.first_debit_after:d}"
    return first, f"{first} - {terms.first_debit_covered:d} + 1"


def _capped_sql(terms: RunTerms) -> str:
    """The scheduled premiums `sched.yen` held at the cap: the last month under it collects only
    the remainder, or the whole month (tosan/premium_cap_remainder_only)."""
    return sql.least("sched.yen", "%(cap)s") if terms.remainder_only else "sched.yen"


def _start_new_contracts(scheme: Scheme, terms: RunTerms) -> None:
    """Billing state for contracts that have none: nothing billed before the first premium month."""
    first, start = _first_months_sql(terms)
    sql.execute(
        f"""
        INSERT INTO billing_billingstate (contract_id, start_month, first_debit_month,
            billed_through, billed_regular_yen, arrears_yen, arrears_months, debit_stopped)
        SELECT k.id, {start}, {first}, {start} - 1, 0, 0, 0, %(false)s
        FROM contracts_contract k
        WHERE k.scheme = %(scheme)s
          AND NOT EXISTS (SELECT 1 FROM billing_billingstate s WHERE s.contract_id = k.id)
        """,
        {"scheme": str(scheme), "false": False},
    )


def scheduled_sql(horizon: str, in_range: str) -> str:
    """CTEs `term`, `stop`, `sched` (premiums from the first premium month through `horizon`,
    net of 掛止め months) for the rows of a CTE `st` (contract_id, start_month, h)."""
    f = sql.month_index("t.valid_from_month")
    least, greatest = sql.least, sql.greatest
    return f"""
    term AS (
        SELECT t.contract_id, t.monthly_yen, {f} AS f,
               COALESCE(LEAD({f}) OVER (PARTITION BY t.contract_id ORDER BY t.valid_from_month) - 1,
                        {sql.FAR_MONTH}) AS l
        FROM contracts_premiumterm t WHERE {in_range.format(c="t.contract_id")}
    ),
    stop AS (
        SELECT x.contract_id, {sql.month_index("x.from_month")} AS f,
               COALESCE({sql.month_index("x.until_month")}, {sql.FAR_MONTH}) AS l
        FROM contracts_premiumstop x WHERE {in_range.format(c="x.contract_id")}
    ),
    gross AS (
        SELECT st.contract_id,
               SUM(term.monthly_yen * ({least(horizon, "term.l")}
                                       - {greatest("st.start_month", "term.f")} + 1)) AS yen
        FROM st JOIN term ON term.contract_id = st.contract_id
        WHERE {least(horizon, "term.l")} >= {greatest("st.start_month", "term.f")}
        GROUP BY st.contract_id
    ),
    stopped AS (
        SELECT st.contract_id,
               SUM(term.monthly_yen * ({least(horizon, "term.l", "stop.l")}
                                       - {greatest("st.start_month", "term.f", "stop.f")} + 1)) AS yen
        FROM st JOIN term ON term.contract_id = st.contract_id
                JOIN stop ON stop.contract_id = st.contract_id
        WHERE {least(horizon, "term.l", "stop.l")} >= {greatest("st.start_month", "term.f", "stop.f")}
        GROUP BY st.contract_id
    ),
    sched AS (
        SELECT gross.contract_id, gross.yen - COALESCE(stopped.yen, 0) AS yen
        FROM gross LEFT JOIN stopped ON stopped.contract_id = gross.contract_id
    )"""


IN_RANGE = "{c} > %(low)s AND {c} <= %(high)s"  # the contract ids a statement covers


def latest_mandates_sql(valid_on: str, which: str) -> str:
    """Each contract's debit account in force on `valid_on`: its latest mandate (`d`) from then,
    for the mandates `which` selects."""
    return f"""
        SELECT * FROM (
            SELECT d.*, ROW_NUMBER() OVER (
                PARTITION BY d.contract_id ORDER BY d.valid_from DESC, d.id DESC) AS n
            FROM contracts_debitmandate d
            WHERE d.valid_from <= {valid_on} AND {which}
        ) latest WHERE n = 1"""


# The failed bills of the contracts in (low, high] that this month re-bills: found through the
# small index of failed answers and looked up by key. Each with what it carries into a new bill.
UNPAID = f"""
    SELECT b.id, b.contract_id, b.amount_yen - b.lapsing_yen AS amount_yen,
           b.months + b.arrears_months - b.prepaid_months AS months, b.lapsing_yen,
           b.prepaid_months
    FROM billing_billresult x JOIN billing_bill b ON b.id = x.bill_id
    WHERE %(rebill)s AND x.result_code <> '{PAID_RESULT_CODE}' AND b.carried_into_id IS NULL
      AND b.month <= %(rebill_before)s AND {IN_RANGE.format(c="x.contract_id")}"""
UNPAID_TABLE = "billing_chunk_unpaid"
CHUNK_BILLS = "billing_chunk_bills"
BILL_COLUMNS = """run_id, contract_id, month, months, covers_through, regular_yen, prepaid_months,
    arrears_yen, arrears_months, amount_yen, mandate_id, bank_code, branch_code, account_type,
    account_number, holder_kana, new_code, customer_number, lapsing_yen"""


def _bills_sql(terms: RunTerms, unpaid: str = f"({UNPAID})") -> str:
    """The bills of one month for the contracts whose ids are in (low, high]: the rule of this
    module's docstring as one SELECT, in billing_bill's column order. `unpaid`: UNPAID, or a
    table of its rows."""
    least, greatest = sql.least, sql.greatest
    return f"""
        WITH lapse AS (
            SELECT u.contract_id, CAST(SUM(u.lapsing_yen) AS BIGINT) AS yen,
                   CAST(SUM(u.prepaid_months) AS INTEGER) AS months
            FROM {unpaid} u WHERE u.lapsing_yen > 0 GROUP BY u.contract_id
        ),
        st AS (
            SELECT s.contract_id, s.start_month,
                   s.billed_through - COALESCE(l.months, 0) AS billed_through,
                   s.billed_regular_yen - COALESCE(l.yen, 0) AS billed_regular_yen,
                   COALESCE(l.yen, 0) AS lapsed_yen, s.last_mandate_id, k.number,
                   %(m)s + COALESCE(p.months, 0) AS h, COALESCE(p.months, 0) AS prepaid
            FROM billing_billingstate s
            JOIN contracts_contract k ON k.id = s.contract_id
            LEFT JOIN billing_prepayment p ON p.contract_id = s.contract_id AND p.month = %(month)s
            LEFT JOIN lapse l ON l.contract_id = s.contract_id
            WHERE {IN_RANGE.format(c="s.contract_id")} AND {IN_RANGE.format(c="k.id")}
              AND k.scheme = %(scheme)s
              AND k.status IN ('active', 'suspended') AND NOT s.debit_stopped
              AND s.first_debit_month <= %(m)s
        ),
        {scheduled_sql("st.h", IN_RANGE)},
        stopped_new AS (
            SELECT st.contract_id,
                   SUM({least("st.h", "stop.l")} - {greatest("st.billed_through + 1", "stop.f")} + 1)
                   AS months
            FROM st JOIN stop ON stop.contract_id = st.contract_id
            WHERE {least("st.h", "stop.l")} >= {greatest("st.billed_through + 1", "stop.f")}
            GROUP BY st.contract_id
        ),
        arrears AS (
            SELECT u.contract_id, SUM(u.amount_yen) AS yen, SUM(u.months) AS months
            FROM {unpaid} u GROUP BY u.contract_id
        ),
        mandate AS ({latest_mandates_sql("%(debit_on)s", IN_RANGE.format(c="d.contract_id"))}),
        first_term AS (
            SELECT p.contract_id, term.monthly_yen
            FROM billing_prepayment p JOIN term ON term.contract_id = p.contract_id
            WHERE p.month = %(month)s AND p.months > 0 AND {IN_RANGE.format(c="p.contract_id")}
              AND term.f <= %(m)s AND term.l >= %(m)s
        ),
        due AS (
            SELECT st.contract_id, st.number, st.h, st.billed_through, st.prepaid,
                   st.last_mandate_id, st.lapsed_yen,
                   COALESCE(first_term.monthly_yen, 0) AS first_month_yen,
                   CASE WHEN st.h <= st.billed_through OR st.billed_regular_yen >= %(cap)s THEN 0
                        ELSE {_capped_sql(terms)} - st.billed_regular_yen END AS regular,
                   st.h - st.billed_through - COALESCE(stopped_new.months, 0) AS new_months,
                   COALESCE(arrears.yen, 0) AS arrears_yen,
                   COALESCE(arrears.months, 0) AS arrears_months
            FROM st JOIN sched ON sched.contract_id = st.contract_id
            LEFT JOIN stopped_new ON stopped_new.contract_id = st.contract_id
            LEFT JOIN arrears ON arrears.contract_id = st.contract_id
            LEFT JOIN first_term ON first_term.contract_id = st.contract_id
        )
        SELECT %(run)s AS run_id, due.contract_id, %(month)s AS month,
               CASE WHEN due.regular > 0 THEN due.new_months ELSE 0 END AS months,
               CASE WHEN due.regular > 0 THEN due.h ELSE due.billed_through END AS covers_through,
               {greatest("due.regular", "0")} AS regular_yen,
               CASE WHEN due.regular > 0 THEN due.prepaid ELSE 0 END AS prepaid_months,
               due.arrears_yen, due.arrears_months,
               {greatest("due.regular", "0")} + due.arrears_yen AS amount_yen,
               mandate.id AS mandate_id, mandate.bank_code, mandate.branch_code,
               mandate.account_type, mandate.account_number, mandate.holder_kana,
               CASE WHEN due.last_mandate_id = mandate.id THEN '0' ELSE '1' END AS new_code,
               due.number || %(yyyymm)s AS customer_number,
               CASE WHEN due.regular > 0 AND due.prepaid > 0
                    THEN {greatest("due.regular - due.first_month_yen", "0")} ELSE 0
               END AS lapsing_yen,
               due.lapsed_yen
        FROM due JOIN mandate ON mandate.contract_id = due.contract_id
        WHERE {greatest("due.regular", "0")} + due.arrears_yen > 0
        """


def _bill_params(
    scheme: Scheme, month: dt.date, terms: RunTerms, low: int, high: int, run: int | None
) -> dict[str, object]:
    return {
        "run": run,
        "scheme": str(scheme),
        "month": month,
        "m": month_index(month),
        "yyyymm": f"{month:%Y%m}",
        "debit_on": debit_date(scheme, month),
        "cap": terms.cap_yen,
        "rebill": terms.rebill,
        "rebill_before": terms.rebill_before,
        "low": low,
        "high": high,
    }


@dataclass(frozen=True)
class DueBill:
    months: int  # new premium months
    regular_yen: int
    arrears_yen: int
    amount_yen: int


def due_bill(contract: Contract, month: dt.date) -> DueBill | None:
    """What the run of `month` would bill `contract` as things stand (the portal's 見込み):
    the run's own statement, read instead of inserted. None when it would bill nothing."""
    scheme = Scheme(contract.scheme)
    terms = run_terms(scheme, month)
    found = sql.rows(
        f"SELECT months, regular_yen, arrears_yen, amount_yen FROM ({_bills_sql(terms)}) due",
        _bill_params(scheme, month, terms, contract.pk - 1, contract.pk, None),
    )
    return DueBill(*found[0]) if found else None


def _bill_chunk(run: BillingRun, terms: RunTerms, low: int, high: int) -> None:
    params = _bill_params(Scheme(run.scheme), run.month, terms, low, high, run.pk)
    # The chunk's few unpaid bills, by index; then its bills, worked out once into a temporary
    # table that the bills, the billing state and the carried bills are written from, so that no
    # statement scans the bill table, which grows by a month of bills every run.
    sql.hash_joins_only(False)
    sql.execute(f"CREATE TEMPORARY TABLE {UNPAID_TABLE} AS {UNPAID}", params)
    sql.hash_joins_only(True)
    sql.execute(
        f"CREATE TEMPORARY TABLE {CHUNK_BILLS} AS {_bills_sql(terms, UNPAID_TABLE)}", params
    )
    sql.execute(
        # (SQLite reads ON CONFLICT after a bare FROM as a join clause: hence the WHERE.)
        f"""INSERT INTO billing_bill ({BILL_COLUMNS}) SELECT {BILL_COLUMNS} FROM {CHUNK_BILLS}
            WHERE 1 = 1 ON CONFLICT DO NOTHING""",
        {},
    )
    sql.execute(
        f"""
        UPDATE billing_billingstate AS s
        SET billed_regular_yen = s.billed_regular_yen - b.lapsed_yen + b.regular_yen,
            billed_through = b.covers_through, last_mandate_id = b.mandate_id, last_run_id = b.run_id
        FROM {CHUNK_BILLS} b
        WHERE b.contract_id = s.contract_id AND (s.last_run_id IS NULL OR s.last_run_id <> %(run)s)
          AND {IN_RANGE.format(c="s.contract_id")}
        """,
        params,
    )
    sql.hash_joins_only(False)
    if sql.postgres():
        sql.execute(f"ANALYZE {UNPAID_TABLE}", {})  # a handful of rows: looked up by key
    sql.execute(
        f"""
        UPDATE billing_bill AS o SET carried_into_id = n.id
        FROM {UNPAID_TABLE} u, billing_bill n
        WHERE o.id = u.id AND n.contract_id = u.contract_id AND n.month = %(month)s
          AND n.arrears_yen > 0
        """,
        params,
    )
    for table in (UNPAID_TABLE, CHUNK_BILLS):
        sql.execute(f"DROP TABLE {table}", {})


def bill_month(scheme: Scheme, month: dt.date) -> BillingRun:
    """The whole run of a month: bills, then the bank files (each step resumes if interrupted)."""
    run = generate_bills(
        open_run(scheme, month),
        chunk=settings.KYOSAI_BILLING_CHUNK,
        workers=settings.KYOSAI_BILLING_WORKERS,
    )
    if run.status == BillingRun.Status.GENERATED:
        write_files(run)
        run.refresh_from_db()
    return run


def open_balances(scheme: Scheme, through: dt.date, *, posted_on: dt.date) -> int:
    """Take over contracts from the previous system: every contract of `scheme` without billing
    state is taken as paid as scheduled through the month `through` (capped), posted to the ledger
    as an opening balance. Contracts whose first debit comes later start fresh at the next run.
    The number of contracts opened."""
    terms = run_terms(scheme, through)
    reference = f"opening:{scheme}:{through:%Y-%m}"
    if Journal.objects.filter(reference=reference).exists():
        return 0
    journal = Journal.objects.create(
        kind=Journal.Kind.OPENING, reference=reference, posted_on=posted_on
    )
    first, start = _first_months_sql(terms)
    params = {"scheme": str(scheme), "through": month_index(through), "cap": terms.cap_yen,
              "journal": journal.pk, "false": False}  # fmt: skip
    everyone = "{c} IS NOT NULL"
    with transaction.atomic():
        sql.bulk_settings()
        sql.hash_joins_only(True)
        opened = sql.execute(
            f"""
            WITH st AS (
                SELECT k.id AS contract_id, {start} AS start_month, {first} AS first_debit_month,
                       %(through)s AS h
                FROM contracts_contract k
                WHERE k.scheme = %(scheme)s AND {first} <= %(through)s
                  AND NOT EXISTS (SELECT 1 FROM billing_billingstate s WHERE s.contract_id = k.id)
            ),
            {scheduled_sql("st.h", everyone)}
            INSERT INTO billing_billingstate (contract_id, start_month, first_debit_month,
                billed_through, billed_regular_yen, arrears_yen, arrears_months, debit_stopped)
            SELECT st.contract_id, st.start_month, st.first_debit_month, st.h,
                   COALESCE({_capped_sql(terms)}, 0), 0, 0, %(false)s
            FROM st LEFT JOIN sched ON sched.contract_id = st.contract_id
            """,
            params,
        )
        sql.execute(
            f"""
            INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{Account.PREMIUMS}', s.contract_id, NULL, -s.billed_regular_yen
            FROM billing_billingstate s JOIN contracts_contract k ON k.id = s.contract_id
            WHERE k.scheme = %(scheme)s AND s.billed_through = %(through)s
              AND s.last_run_id IS NULL AND s.billed_regular_yen > 0
            """,
            params,
        )
        balance_journal(journal.pk, Account.OPENING)
    return opened
