"""振替結果 files: taken in once, rejected whole when wrong, and a run killed part-way resumes
without billing or writing anything twice (issue: crash safety)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.db.models import Sum

from kyosai.billing import files as billing_files
from kyosai.billing.files import outgoing_dir, write_files
from kyosai.billing.models import (
    BankFile,
    Bill,
    BillingChunk,
    BillingRun,
    BillResult,
    Posting,
    ResultImport,
)
from kyosai.billing.results import import_result, import_results
from kyosai.billing.runs import bill_month, generate_bills, open_run
from kyosai.contracts.models import Contract
from kyosai.demo.bank import answer, answers, request_of
from kyosai.formats.zengin import ZenginFileError
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


def book(n: int) -> list[str]:
    return [
        member_contract(Scheme.TOSAN, 10_000 * (i + 1), at(2026, 1), i).number for i in range(n)
    ]


def test_the_same_result_file_twice_changes_nothing() -> None:
    numbers = book(2)
    run = bill_month(Scheme.TOSAN, MARCH)
    [(name, data)] = answers(run, {numbers[1]: "1"})
    first = import_result(data, name=name, imported_on=dt.date(2026, 3, 30))
    postings = Posting.objects.count()
    again = import_result(data, name="again.txt", imported_on=dt.date(2026, 3, 31))
    assert again.pk == first.pk
    assert Posting.objects.count() == postings
    assert (first.paid_count, first.failed_count) == (1, 1)


def test_a_malformed_file_is_rejected_whole_with_line_numbers() -> None:
    book(2)
    run = bill_month(Scheme.TOSAN, MARCH)
    [(name, data)] = answers(run, {})
    records = data.split(b"\r\n")
    records[1] = records[1][:80] + b"X" + records[1][81:]  # a letter in the amount
    records[2] = records[2][:100]  # a short record
    with pytest.raises(ZenginFileError) as raised:
        import_result(b"\r\n".join(records), name=name, imported_on=dt.date(2026, 3, 30))
    # The two bad records, and the trailer whose totals they no longer add up to.
    assert sorted({e.line for e in raised.value.errors}) == [2, 3, 4]
    assert {e.field for e in raised.value.errors if e.line == 2} == {"amount"}
    assert not ResultImport.objects.exists()
    assert Bill.objects.pending().count() == Bill.objects.count()


def test_a_result_that_does_not_match_the_bills_is_rejected_whole() -> None:
    book(2)
    run = bill_month(Scheme.TOSAN, MARCH)
    [(name, data)] = answers(run, {})
    # One amount changed and the trailer recomputed: well-formed, but not what was billed.
    bill = Bill.objects.order_by("id").first()
    assert bill is not None
    billed, changed = (f"{yen:010d}".encode() for yen in (bill.amount_yen, bill.amount_yen + 1))
    wrong = answer(data.replace(billed, changed, 1), {})
    with pytest.raises(ZenginFileError) as raised:
        import_result(wrong, name=name, imported_on=dt.date(2026, 3, 30))
    assert [e.line for e in raised.value.errors] == [2]
    assert "請求額" in raised.value.errors[0].message_ja
    assert not Posting.objects.exists()


def test_files_taken_in_together_each_stand_or_fall_alone() -> None:
    """Three banks' answers in one call: the malformed one and the one that answers a bill twice
    are refused with their errors and leave nothing; the good one is taken in."""
    for i, bank in enumerate(["0001", "0005", "0009"]):
        member_contract(Scheme.TOSAN, 10_000, at(2026, 1), i, bank=bank)
    run = bill_month(Scheme.TOSAN, MARCH)
    good, bad, twice = answers(run, {})
    garbled = bad[1].replace(b"\r\n2", b"\r\nX", 1)
    outcomes = import_results(
        [good, (bad[0], garbled), twice, ("again.txt", twice[1])], imported_on=dt.date(2026, 3, 30)
    )
    assert [o.name for o in outcomes] == [good[0], bad[0], twice[0], "again.txt"]
    assert outcomes[0].imported is not None and not outcomes[0].errors
    assert outcomes[1].imported is None and outcomes[1].errors[0].line == 2
    # The same file twice in one call is taken in once; both answers name that one import.
    assert outcomes[2].imported is not None and outcomes[3].imported == outcomes[2].imported
    answered = set(BillResult.objects.values_list("bill__bank_code", flat=True))
    assert answered == {"0001", "0009"}
    assert ResultImport.objects.count() == 2


def test_two_files_answering_the_same_bills_are_both_refused() -> None:
    member_contract(Scheme.TOSAN, 10_000, at(2026, 1))
    run = bill_month(Scheme.TOSAN, MARCH)
    [(name, data)] = answers(run, {})
    other = data + b"\x1a"  # the same answers, another hash
    first, second = import_results([(name, data), ("resent.txt", other)], imported_on=MARCH)
    assert first.imported is None and second.imported is None
    assert "ほかのファイルにも" in second.errors[0].message_ja
    assert "結果は 2件 です" in first.errors[0].message_ja
    assert not BillResult.objects.exists()


def test_a_bank_with_more_debits_than_a_file_holds_gets_parts_taken_in_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The trailer's count has 6 digits (formats.md §1.2): over 999,999 debits a bank's request
    is split; here a file holds 2."""
    monkeypatch.setattr(billing_files, "RECORDS_PER_FILE", 2)
    for i in range(5):
        member_contract(Scheme.TOSAN, 10_000, at(2026, 1), i)
    run = bill_month(Scheme.TOSAN, MARCH)
    assert [(f.part, f.records) for f in run.files.order_by("part")] == [(1, 2), (2, 2), (3, 1)]
    assert [f.name for f in run.files.order_by("part")] == [
        "tosan-202603-0001.txt", "tosan-202603-0001-2.txt", "tosan-202603-0001-3.txt",
    ]  # fmt: skip
    parts = answers(run, {})
    [partly, *_] = import_results(parts[:2], imported_on=MARCH)
    assert partly.imported is None and "まとめて" in partly.errors[-1].message_ja
    # One part answering a wrong amount takes the others down with it: no bill left unanswered.
    name, data = parts[1]
    records = data.split(b"\r\n")
    records[1] = records[1][:80] + b"%010d" % (int(records[1][80:90]) + 1) + records[1][90:]
    wrong = answer(b"\r\n".join(records), {})
    outcomes = import_results([parts[0], (name, wrong), parts[2]], imported_on=MARCH)
    assert [o.imported for o in outcomes] == [None, None, None]
    assert "請求額" in outcomes[1].errors[0].message_ja
    assert f"{name} を取り込めない" in outcomes[0].errors[0].message_ja
    taken = import_results(parts, imported_on=MARCH)
    assert all(outcome.imported for outcome in taken)
    assert BillResult.objects.count() == 5


def test_a_run_killed_between_chunks_resumes_with_one_bill_per_contract_month() -> None:
    book(5)

    class Killed(BaseException):
        pass

    def kill(_upper: int) -> None:
        raise Killed

    run = open_run(Scheme.TOSAN, MARCH)
    with pytest.raises(Killed):
        generate_bills(run, chunk=2, after_chunk=kill)
    run.refresh_from_db()
    assert run.status == BillingRun.Status.GENERATING
    assert 0 < Bill.objects.count() < 5
    generate_bills(run, chunk=2)
    assert Bill.objects.count() == 5
    assert Bill.objects.values("contract", "month").distinct().count() == 5


@pytest.mark.django_db(transaction=True)  # workers commit on their own connections
def test_chunks_billed_side_by_side_bill_as_one_worker_does() -> None:
    numbers = book(7)
    run = generate_bills(open_run(Scheme.TOSAN, MARCH), chunk=2, workers=3)
    assert run.status == BillingRun.Status.GENERATED
    bills = {b.contract.number: b.amount_yen for b in Bill.objects.select_related("contract")}
    # Each contract billed once for its first debit: three months (January to March).
    assert bills == {number: 3 * 10_000 * (i + 1) for i, number in enumerate(numbers)}
    assert run.chunks.count() >= 4


def test_a_run_killed_while_writing_files_writes_each_line_once(
    bank_files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book(3)
    run = generate_bills(open_run(Scheme.TOSAN, MARCH))
    real = billing_files.write_debit_request

    def dies_half_way(profile, debit_on, items, out):  # type: ignore[no-untyped-def]
        real(profile, debit_on, list(items)[:1], out)
        raise OSError("killed")

    monkeypatch.setattr(billing_files, "write_debit_request", dies_half_way)
    with pytest.raises(OSError):
        write_files(run)
    assert not BankFile.objects.exists()
    monkeypatch.setattr(billing_files, "write_debit_request", real)
    [written] = write_files(run)
    data = (outgoing_dir() / written.name).read_bytes()
    assert data.count(b"\r\n2") == 3 == written.records
    assert written.total_yen == Bill.objects.aggregate(s=Sum("amount_yen"))["s"] == 60_000 * 3
    assert sorted(p.name for p in outgoing_dir().iterdir()) == [written.name]


@pytest.mark.skipif(
    os.environ.get("KYOSAI_DB") != "postgres",
    reason="the killed process must see the test's database: PostgreSQL (SQLite's is in memory)",
)
@pytest.mark.django_db(transaction=True)  # the killed process reads what the test commits
def test_a_run_killed_with_sigkill_resumes_with_one_bill_and_one_line_per_contract_month(
    bank_files: Path,
) -> None:
    """Issue 4 §6: `manage.py billing run`, one contract a chunk, is SIGKILLed while its fourth
    chunk waits on a row this test holds; run again, every contract has one April bill and one
    line in the bank file, and the file's total is the bills' total."""
    numbers = book(6)
    bill_month(Scheme.TOSAN, MARCH)  # every contract now has its billing state
    fourth = Contract.objects.get(number=numbers[3]).pk
    database = connection.settings_dict
    holder = psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"],
        dbname=database["NAME"], autocommit=False,
    )  # fmt: skip
    holder.execute("SELECT 1 FROM billing_billingstate WHERE contract_id = %s FOR UPDATE", [fourth])
    run = subprocess.Popen(
        [sys.executable, "manage.py", "billing", "run", "--scheme", "tosan", "--month", "2026-04"],
        env={**os.environ, "KYOSAI_PG_NAME": database["NAME"], "KYOSAI_BILLING_CHUNK": "1",
             "KYOSAI_BANK_FILES_DIR": str(bank_files)},
        cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
    )  # fmt: skip
    april = dt.date(2026, 4, 1)
    deadline = time.monotonic() + 60
    while BillingChunk.objects.filter(run__month=april).count() < 3:
        assert run.poll() is None and time.monotonic() < deadline, "the run did not reach chunk 4"
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    holder.rollback()
    holder.close()
    assert Bill.objects.filter(month=april).count() == 3  # the first three chunks, committed
    done = bill_month(Scheme.TOSAN, april)
    bills = Bill.objects.filter(month=april)
    assert bills.count() == 6 and bills.values("contract").distinct().count() == 6
    [written] = done.files.all()
    lines = request_of(written).split(b"\r\n")
    assert sum(line[:1] == b"2" for line in lines) == written.records == 6
    # One month each of 10,000円 … 60,000円.
    assert written.total_yen == sum(bills.values_list("amount_yen", flat=True)) == 210_000
