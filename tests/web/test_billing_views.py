"""Premium collection on screen: the member's 掛金の納付状況 and the staff 口座振替 pages.

Bills are made by the real run (billing.runs) and settled by the real result import
(billing.results) from a bank file built here from the run's own request file, so the ledger,
arrears and result imports are the ones production would have.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from kyosai.billing import selectors
from kyosai.billing.files import write_files
from kyosai.billing.models import (
    Account,
    Bill,
    BillingRun,
    BillingState,
    Journal,
    Posting,
    Prepayment,
)
from kyosai.billing.results import import_result
from kyosai.billing.runs import generate_bills, open_run
from kyosai.billing.selectors import covers_words, payment_history, premium_summary, run_detail
from kyosai.contracts.models import Contract
from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.demo.bank import answers
from kyosai.procedures.actions import EnrollmentApplication, PartyFacts, do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months, debit_date, month_index, month_of, next_debit_date
from kyosai.rules.scheme import Scheme
from tests.domain.test_enrollment import COMPANY, MANDATE, OWNER
from tests.helpers import sign_in
from tests.web.test_staff import client_for, user

pytestmark = pytest.mark.django_db
JST = dt.timezone(dt.timedelta(hours=9))
TOSAN = Scheme.TOSAN
SHOP = dataclasses.replace(OWNER, name="鈴木商店", name_kana="スズキシヨウテン", phone="0611112222")


@pytest.fixture(autouse=True)
def bank_files(settings: Settings, tmp_path: Path) -> None:
    settings.KYOSAI_BANK_FILES_DIR = tmp_path


def enrolled(
    party: PartyFacts, monthly: int, joined: dt.date, bank_code: str = "0001", key: str = ""
) -> Contract:
    """A tosan contract joined in the month of `joined`, straight through, with its member."""
    member = User.objects.create_user(key or f"{party.name}@example.jp")
    mandate = dataclasses.replace(MANDATE, bank_code=bank_code)
    procedure = do_submit_enrollment(
        EnrollmentApplication(TOSAN, party, monthly, mandate),
        channel=Procedure.Channel.ONLINE,
        idempotency_key=f"billing-{party.name}",
        received_at=dt.datetime.combine(joined.replace(day=10), dt.time(10), tzinfo=JST),
        acting_user=member,
    )
    assert procedure.status == Procedure.Status.DONE, procedure.deficiencies
    assert procedure.contract is not None
    return procedure.contract


def bank_answers(run: BillingRun, failed: dict[Contract, str] | None = None) -> None:
    """Write the run's bank files and take in each bank's answer: every debit went through but
    those of `failed` (contract → 振替結果コード)."""
    write_files(run)
    codes = {contract.number: code for contract, code in (failed or {}).items()}
    for name, data in answers(run, codes):
        import_result(data, name=name, imported_on=run.debit_on)


def bill_month(month: dt.date, failed: dict[Contract, str] | None = None) -> BillingRun:
    run = generate_bills(open_run(TOSAN, month))
    bank_answers(run, failed)
    return run


@dataclass
class Book:
    """Three tosan members billed for the months up to now (joined eight months ago).

    a: 50,000円, bank 0001; the third month's debit failed (資金不足) and the re-bill was paid.
    b: 30,000円, bank 0005; last month's debit failed (資金不足).
    c: 20,000円, bank 0001; last month's debit failed (取引なし).
    """

    a: Contract
    b: Contract
    c: Contract
    joined: dt.date
    last_run: BillingRun  # last month's run
    failed_run: BillingRun  # the month a's debit failed


@pytest.fixture
def book() -> Book:
    today = timezone.localdate()
    this_month = month_of(today)
    joined = add_months(this_month, -8)
    a = enrolled(COMPANY, 50_000, joined, key="a@example.jp")
    b = enrolled(OWNER, 30_000, joined, bank_code="0005", key="b@example.jp")
    c = enrolled(SHOP, 20_000, joined, key="c@example.jp")
    runs = {}
    for n in range(1, 8):
        month = add_months(joined, n)
        failed = {a: "1"} if n == 3 else {b: "1", c: "2"} if n == 7 else {}
        runs[n] = bill_month(month, failed)
    if debit_date(TOSAN, this_month) < today:  # this month's debit is done too: all paid
        bill_month(this_month)
    return Book(a, b, c, joined, last_run=runs[7], failed_run=runs[3])


def yen(amount: int) -> str:
    return f"{amount:,}円"


def day(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def month_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月分"


def member_client(contract: Contract) -> Client:
    assert contract.party.user is not None
    return sign_in(Client(), contract.party.user)


# ---------------------------------------------------------------------------------------------
# The member portal


def test_the_member_sees_what_was_paid_and_the_next_debit(book: Book) -> None:
    response = member_client(book.a).get(f"/portal/contracts/{book.a.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "掛金の納付状況" in page
    # 150,000 (first debit, 3 months) + 50,000 + 100,000 (with the re-bill) + 50,000 × 2; the
    # failed 50,000 is not counted.
    assert "400,000円（口座振替 5回）" in page
    next_on = next_debit_date(TOSAN, timezone.localdate())
    assert f"<dt>次回の振替日</dt><dd>{day(next_on)}</dd>" in page
    assert "50,000円（見込み）" in page
    assert "未納の掛金があります" not in page  # the failed month was paid when re-billed


def test_the_member_sees_the_history_newest_first_with_what_each_debit_covers(book: Book) -> None:
    page = member_client(book.a).get(f"/portal/contracts/{book.a.pk}/").content.decode()
    assert "<caption>口座振替の記録（新しい順）</caption>" in page
    assert '<th scope="col">振替日</th>' in page and '<th scope="row">' in page
    first = add_months(book.joined, 2)
    first_covers = f"{month_text(book.joined)}〜{month_text(first)}の掛金"
    failed_month = add_months(book.joined, 3)
    rebill_month = add_months(book.joined, 5)
    assert first_covers in page and "150,000円" in page
    assert f"{month_text(failed_month)}の掛金" in page
    assert "資金不足のため振替できませんでした。" in page and "<strong>振替不能</strong>" in page
    assert f"{rebill_month:%Y}年{rebill_month.month}月の振替で再請求しました。" in page
    assert "（未納分 1か月分（50,000円）を含む）" in page and "100,000円" in page
    newest = add_months(book.joined, 7)
    newest_on = debit_date(TOSAN, newest)
    assert page.index(f">{newest_on.year}/{newest_on.month}/{newest_on.day}</time>") < page.index(
        first_covers
    )
    assert page.count('<span class="status">振替済</span>') == 5


def test_arrears_are_explained_in_plain_words(book: Book) -> None:
    page = member_client(book.b).get(f"/portal/contracts/{book.b.pk}/").content.decode()
    assert "未納の掛金があります" in page
    assert "未納額: <strong>30,000円</strong>（1か月分）" in page
    assert "未納の掛金は、次の再振替の月にその月の掛金と合わせて請求します。" in page
    rebill_on = debit_date(TOSAN, add_months(month_of(timezone.localdate()), 1))
    if debit_date(TOSAN, month_of(timezone.localdate())) >= timezone.localdate():
        assert f"次の再振替は <strong>{day(rebill_on)}</strong> の予定です。" in page
    assert "資金不足のため振替できませんでした。" in page
    shop = member_client(book.c).get(f"/portal/contracts/{book.c.pk}/").content.decode()
    assert (
        "取引なしのため振替できませんでした。" in shop
        and "未納額: <strong>20,000円</strong>" in shop
    )


def test_another_members_contract_is_not_found(book: Book) -> None:
    client = member_client(book.a)
    assert client.get(f"/portal/contracts/{book.b.pk}/").status_code == 404
    assert client.get("/portal/contracts/999999/").status_code == 404


def test_a_contract_before_its_first_debit_shows_the_first_debit_as_an_estimate() -> None:
    today = timezone.localdate()
    contract = enrolled(COMPANY, 40_000, today, key="new@example.jp")
    page = member_client(contract).get(f"/portal/contracts/{contract.pk}/").content.decode()
    first = add_months(month_of(today), 2)
    assert f"<dd>{day(debit_date(TOSAN, first))}</dd>" in page
    assert "120,000円（見込み）" in page  # the months since joining, together
    assert "0円" in page and "口座振替の記録はまだありません。" in page


# ---------------------------------------------------------------------------------------------
# The selectors, on fixed dates


def test_covers_in_words() -> None:
    may = month_index(dt.date(2026, 5, 1))
    assert covers_words(3, may) == "2026年3月分〜2026年5月分"
    assert covers_words(1, may) == "2026年5月分"
    assert covers_words(3, month_index(dt.date(2027, 1, 1))) == "2026年11月分〜2027年1月分"
    assert covers_words(0, may) == ""


def test_the_estimate_is_what_the_run_then_bills() -> None:
    """Before each run, the estimate for that debit equals the bill the run makes: the first
    debit, a regular month, the month a failure is re-billed, a 前納 month."""
    contract = enrolled(COMPANY, 50_000, dt.date(2026, 1, 1))
    Prepayment.objects.create(
        contract=contract, month=dt.date(2026, 8, 1), months=3, discount_yen=0
    )
    expected = {3: 150_000, 4: 50_000, 5: 50_000, 6: 100_000, 7: 50_000, 8: 200_000}
    for n in range(2, 9):
        month = dt.date(2026, n, 1)
        summary = premium_summary(contract, month)
        assert summary.next_debit is not None and summary.next_debit.estimate
        if n == 2:  # nothing billed in the month after joining: the estimate is March's
            assert summary.next_debit.debit_on == debit_date(TOSAN, dt.date(2026, 3, 1))
            assert summary.next_debit.amount_yen == 150_000
            assert summary.next_debit.months == 3
        run = generate_bills(open_run(TOSAN, month))
        bill = run.bills.filter(contract=contract).first()
        if n == 2:
            assert bill is None
            bank_answers(run)
            continue
        assert bill is not None and bill.amount_yen == expected[n]
        assert summary.next_debit.debit_on == run.debit_on
        assert summary.next_debit.amount_yen == bill.amount_yen
        made = premium_summary(contract, month).next_debit  # the bill is made: no estimate
        assert made is not None and not made.estimate and made.amount_yen == bill.amount_yen
        bank_answers(run, {contract: "1"} if n == 4 else {})
    history = payment_history(contract)
    assert [p.month.month for p in history] == [8, 7, 6, 5, 4, 3]
    assert history[0].covers == "2026年8月分〜2026年11月分"
    assert history[0].notes == ("前納 3か月分を含む",)
    assert history[2].notes == ("未納分 1か月分（50,000円）を含む",)
    assert history[4].status_label == "振替不能" and history[4].reason == "資金不足"
    assert history[4].rebilled_in == dt.date(2026, 6, 1)


def test_the_total_paid_includes_the_balance_brought_over_at_migration() -> None:
    contract = enrolled(COMPANY, 50_000, dt.date(2026, 1, 1))
    opening = Journal.objects.create(
        kind=Journal.Kind.OPENING,
        reference=f"opening:{contract.number}",
        posted_on=dt.date(2026, 1, 1),
    )
    Posting.objects.create(
        journal=opening, account=Account.PREMIUMS, contract=contract, amount_yen=-1_200_000
    )
    Posting.objects.create(journal=opening, account=Account.OPENING, amount_yen=1_200_000)
    for n in (2, 3, 4):
        bill_month(dt.date(2026, n, 1))
    summary = premium_summary(contract, dt.date(2026, 5, 1))
    assert summary.paid_total_yen == 1_200_000 + 150_000 + 50_000
    assert summary.paid_bills == 2
    assert summary.arrears_yen == 0 and summary.rebill_on is None


def test_no_next_debit_when_debits_are_stopped_suspended_or_cancelled() -> None:
    contract = enrolled(COMPANY, 50_000, dt.date(2026, 1, 1))
    for n in (2, 3, 4):
        bill_month(dt.date(2026, n, 1), {contract: "1"} if n == 4 else None)
    may = dt.date(2026, 5, 1)
    summary = premium_summary(contract, may)
    assert (summary.arrears_yen, summary.arrears_months) == (50_000, 1)
    assert summary.rebill_on == debit_date(TOSAN, dt.date(2026, 6, 1))
    BillingState.objects.filter(contract=contract).update(debit_stopped=True)
    stopped = premium_summary(contract, may)
    assert stopped.next_debit is None and stopped.rebill_on is None
    assert "口座振替を止めています" in stopped.no_debit_reason
    for status, reason in (("suspended", "掛止め中"), ("cancelled", "終了")):
        Contract.objects.filter(pk=contract.pk).update(status=status)
        contract.refresh_from_db()
        summary = premium_summary(contract, may)
        assert summary.next_debit is None and reason in summary.no_debit_reason


# ---------------------------------------------------------------------------------------------
# The staff console


STAFF_ROLES = ["reviewer", "approver", "administrator"]
AUDIENCES = ["anonymous", "member", "staff_without_role", *STAFF_ROLES]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("url", ["/staff/billing/", "/staff/billing/{run}/"])
def test_every_billing_page_for_every_audience(book: Book, url: str, audience: str) -> None:
    response = client_for(audience).get(url.format(run=book.last_run.pk))
    if audience == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    elif audience in ("member", "staff_without_role"):
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        page = response.content.decode()
        assert '<a href="/staff/billing/" aria-current="page">口座振替</a>' in page


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_contract_page_for_every_audience(book: Book, audience: str) -> None:
    """The member portal's contract page: its owner only (staff have their own console)."""
    response = client_for(audience).get(f"/portal/contracts/{book.a.pk}/")
    if audience == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:  # another member finds no such contract; staff logins are refused on the portal
        assert response.status_code == (404 if audience == "member" else 403)
    assert member_client(book.a).get(f"/portal/contracts/{book.a.pk}/").status_code == 200


def test_a_member_gets_no_billing_page_even_with_a_contract_in_the_run(book: Book) -> None:
    client = member_client(book.b)
    assert client.get("/staff/billing/").status_code == 403
    assert client.get(f"/staff/billing/{book.last_run.pk}/").status_code == 403


@pytest.mark.parametrize("audience", STAFF_ROLES)
def test_the_staff_nav_links_to_billing(book: Book, audience: str) -> None:
    page = client_for(audience).get("/staff/").content.decode()
    assert '<a href="/staff/billing/">口座振替</a>' in page


@pytest.mark.parametrize("audience", STAFF_ROLES)
def test_the_run_list_shows_each_run_with_counts_and_sums(book: Book, audience: str) -> None:
    page = client_for(audience).get("/staff/billing/").content.decode()
    last = book.last_run
    link = f'<a href="/staff/billing/{last.pk}/">{last.month.year}年{last.month.month}月</a>'
    assert link in page
    row = page[page.index(link) : page.index("</tr>", page.index(link))]
    assert "経営セーフティ共済" in row and "振替依頼ファイル作成済" in row
    assert "<td>3件</td>" in row and "<td>100,000円</td>" in row
    assert "<td>1件<br>50,000円</td><td>2件<br>50,000円</td>" in row.replace("\n      ", "")
    assert "2 / 2 金融機関" in row
    newest = page.index(link)
    older = f'<a href="/staff/billing/{book.failed_run.pk}/">'
    assert newest < page.index(older)  # newest first


def test_the_run_list_sums_a_run_not_yet_written_from_its_bills(book: Book) -> None:
    run = generate_bills(open_run(TOSAN, add_months(book.last_run.month, 2)))
    summary = selectors.runs_overview().runs[0]
    assert summary.run == run and run.status == BillingRun.Status.GENERATED
    assert summary.bills == 3 and summary.banks == 2 and summary.banks_answered == 0
    assert summary.total_yen == sum(run.bills.values_list("amount_yen", flat=True))
    assert run.bills.filter(arrears_yen__gt=0).count() == 2  # b and c re-billed


@pytest.mark.parametrize("audience", STAFF_ROLES)
def test_the_run_detail_by_bank_and_result_code(book: Book, audience: str) -> None:
    page = client_for(audience).get(f"/staff/billing/{book.last_run.pk}/").content.decode()
    flat = " ".join(page.split())
    # Bank 0001: a paid 50,000, c failed 20,000; bank 0005: b failed 30,000.
    assert (
        '<th scope="row">0001 みずほ</th> <td>2</td><td>70,000円</td> <td>1</td><td>50,000円</td>'
        " <td>1</td><td>20,000円</td> <td>0</td>"
    ) in flat
    assert (
        '<th scope="row">0005 三菱ＵＦＪ</th> <td>1</td><td>30,000円</td> <td>0</td><td>0円</td>'
        " <td>1</td><td>30,000円</td> <td>0</td>"
    ) in flat
    assert (
        '<th scope="row">合計</th> <td>3</td><td>100,000円</td> <td>1</td><td>50,000円</td>'
        " <td>2</td><td>50,000円</td> <td>0</td>"
    ) in flat
    assert '<th scope="row">0</th><td>振替済</td><td>1</td><td>50,000円</td>' in flat
    assert '<th scope="row">1</th><td>資金不足</td><td>1</td><td>30,000円</td>' in flat
    assert '<th scope="row">2</th><td>取引なし</td><td>1</td><td>20,000円</td>' in flat


@pytest.mark.parametrize("audience", STAFF_ROLES)
def test_the_run_detail_lists_who_fell_into_arrears_and_audits_it(
    book: Book, audience: str
) -> None:
    page = client_for(audience).get(f"/staff/billing/{book.last_run.pk}/").content.decode()
    flat = " ".join(page.split())
    assert "この月に振替できなかった契約" in page and "2件（1〜2件目）" in page
    for contract, name, amount, reason in (
        (book.b, "山田花子", "30,000円", "資金不足（1）"),
        (book.c, "鈴木商店", "20,000円", "取引なし（2）"),
    ):
        assert (
            f'<a href="/staff/contracts/{contract.pk}/">{contract.number}</a></th> '
            f"<td>{name}</td><td>{amount}</td><td>{reason}</td> "
            f"<td>1か月分</td><td>{amount}（1か月分）</td>"
        ) in flat
    assert "株式会社さくら製作所" not in page  # a's debit went through that month
    viewed = AuditLog.objects.filter(action="party.view").order_by("object_id")
    assert [row.object_id for row in viewed] == sorted([str(book.b.party.pk), str(book.c.party.pk)])
    assert all(row.data == {"via": "billing_run", "run": book.last_run.pk} for row in viewed)
    assert all(row.actor is not None and row.actor.username == audience for row in viewed)


def test_the_arrears_list_comes_a_page_at_a_time(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "ARREARS_PER_PAGE", 1)
    client = client_for("reviewer")
    first = client.get(f"/staff/billing/{book.last_run.pk}/").content.decode()
    second = client.get(f"/staff/billing/{book.last_run.pk}/?page=2").content.decode()
    numbers = sorted([book.b.number, book.c.number])
    assert "2件（1〜1件目）" in first and numbers[0] in first and numbers[1] not in first
    assert "1 / 2ページ" in first and "?page=2" in first
    assert "2件（2〜2件目）" in second and numbers[1] in second
    # The per-bank and per-code tables are the whole run on every page.
    assert "<td>100,000円</td>" in " ".join(second.split()).replace("</td> <td>", "</td><td>")


def test_a_run_with_nothing_failed_says_so_and_audits_nobody(book: Book) -> None:
    run = BillingRun.objects.get(month=add_months(book.joined, 5))  # all paid
    page = client_for("approver").get(f"/staff/billing/{run.pk}/").content.decode()
    assert "振替できなかった契約はありません。" in page
    assert not AuditLog.objects.filter(action="party.view").exists()


@pytest.mark.parametrize("audience", STAFF_ROLES)
def test_an_unknown_run_is_not_found(audience: str) -> None:
    assert client_for(audience).get("/staff/billing/999999/").status_code == 404


def test_no_runs_yet() -> None:
    page = client_for("administrator").get("/staff/billing/").content.decode()
    assert "口座振替の記録はまだありません。" in page


def test_the_detail_of_a_run_still_waiting_for_results(book: Book) -> None:
    run = generate_bills(open_run(TOSAN, add_months(book.last_run.month, 1)))
    detail = run_detail(user("r2", Role.REVIEWER), run.pk)
    assert detail.total.pending_count == 3 and detail.total.paid_count == 0
    assert [(c.code, c.meaning, c.count) for c in detail.codes] == [("", "振替結果待ち", 3)]
    assert detail.arrears == []
    assert Bill.objects.filter(run=run).count() == 3
