"""A 共済金貸付 in a real browser on a phone (390 px wide): the ceiling on what was paid, the
request typed with full-width digits, the quote, the evidence uploaded, two people approving in
the console, and the loan's schedule (tosan_rules.md §4)."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.models import Attachment, Procedure
from kyosai.rules.calendar import add_months, debit_date
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.browser.steps import decide, log_in, staff
from tests.domain.test_enrollment import COMPANY, MANDATE

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
EVIDENCE = "%PDF-1.4 破産手続開始決定".encode()


def test_a_kyosaikin_loan_on_a_phone(page: Page, browser: Browser, shot: Shot) -> None:
    # 100,000円 a month for 24 months: 掛金総額 2,400,000円, so up to ten times that (§4.3).
    today = timezone.localdate()
    joined = timezone.make_aware(
        dt.datetime.combine(add_months(today.replace(day=10), -24), dt.time(10))
    )
    member = User.objects.create_user("sakura@example.jp", password="kyosai-Journey-2026")
    do_submit_enrollment(
        EnrollmentApplication(Scheme.TOSAN, COMPANY, 100_000, MANDATE),
        channel=Procedure.Channel.ONLINE, idempotency_key="journey", received_at=joined,
        acting_user=member,
    )  # fmt: skip
    taken_over(Scheme.TOSAN, add_months(today.replace(day=1), -1))  # paid through last month
    staff("reviewer", "reviewer")
    staff("approver", "approver")

    log_in(page, "sakura@example.jp", "kyosai-Journey-2026")
    page.get_by_role("link", name="マイページ").click()
    page.get_by_role("link", name="経営セーフティ共済", exact=True).click()
    page.get_by_role("link", name=re.compile("共済金の貸付けを請求する")).click()
    expect(page.get_by_role("heading", name="今お借りいただける上限 24,000,000円")).to_be_visible()
    shot("ceiling")

    # A customer filed for 破産 two weeks ago owing 13,500,000円, typed as a shop owner types.
    page.get_by_label("倒産した取引先の名称").fill("株式会社みなと商事")
    page.get_by_label("倒産の事由").select_option(label="破産手続開始の申立て")
    page.get_by_label(re.compile("^倒産日")).fill(f"{today - dt.timedelta(days=14):%Y-%m-%d}")
    page.get_by_label("回収が難しくなった売掛金・前渡金（円）").fill("１３，５００，０００")
    page.get_by_role("button", name="貸付額の見込みを確認する").click()
    # Under ten times the premiums, so the receivables are the loan; under 5,000万円: 5 years,
    # 54 instalments after 6 months' grace (L8); a tenth leaves the premiums (L7).
    expect(page.get_by_role("heading", name="貸付額の見込み 13,500,000円")).to_be_visible()
    expect(page.get_by_text("毎月250,000円を54回")).to_be_visible()
    expect(page.get_by_text(re.compile("^1,350,000円（貸付額の10分の1"))).to_be_visible()
    shot("quote")

    page.get_by_label(re.compile("^添付書類")).set_input_files(
        {"name": "破産手続開始決定.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}
    )
    page.get_by_role("button", name="この内容で請求する").click()
    expect(page.get_by_text("現在の状況: 確認中")).to_be_visible()
    expect(page.get_by_text(re.compile("貸付額の見込みは13,500,000円です"))).to_be_visible()
    shot("requested")
    evidence = Attachment.objects.get()
    assert (evidence.name, bytes(evidence.data)) == ("破産手続開始決定.pdf", EVIDENCE)

    base = page.url.split("/portal")[0]
    loan = "共済金貸付（経営セーフティ共済）"
    decide(browser, base, "reviewer", "承認する", loan)  # 10,000,000円 or more: a first approval
    decide(browser, base, "approver", "一次承認を確認して承認する", loan)
    page.reload()
    expect(page.get_by_text("現在の状況: 承認")).to_be_visible()
    expect(page.get_by_text(re.compile("共済金13,500,000円の貸付けを決定しました"))).to_be_visible()
    shot("approved")

    page.get_by_role("link", name=re.compile("ご契約の内容を見る")).click()
    page.get_by_role("link", name=re.compile("共済金貸付 13,500,000円")).click()
    expect(page.get_by_role("heading", name="共済金貸付 13,500,000円")).to_be_visible()
    schedule = page.get_by_role("table", name="償還の予定（5年）")
    expect(schedule.get_by_role("row")).to_have_count(1 + 54)
    # 6 months' grace: the first instalment on the 振替日 of the 7th month after lending (L8).
    first = debit_date(Scheme.TOSAN, add_months(today.replace(day=1), 7))
    expect(schedule.get_by_role("row").nth(1)).to_contain_text(
        f"{first.year}年{first.month}月{first.day}日"
    )
    expect(schedule.get_by_text("未償還")).to_have_count(54)
    expect(page.get_by_role("button", name="繰上償還を申し出る")).to_be_visible()
    shot("loan-schedule")
