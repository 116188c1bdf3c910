"""A 共済金 claim in a real browser on a phone (390 px wide): the quote on the contract page, the
claim form with a mistake fixed on the field, the instalment preview, the submit, staff approval
by two people, and the determination with its notice (shokibo_rules.md §3–§5)."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kyosai.benefits.models import Determination
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.browser.steps import decide, log_in, staff
from tests.domain.test_enrollment import MANDATE, OWNER

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def test_a_benefit_claim_in_instalments_on_a_phone(
    page: Page, browser: Browser, shot: Shot
) -> None:
    # 12,000円 a month for 20 years: 共済金A above 300万円, so a 62-year-old may take 分割.
    today = timezone.localdate()
    joined = timezone.make_aware(
        dt.datetime.combine(add_months(today.replace(day=10), -240), dt.time(10))
    )
    member = User.objects.create_user("haruko@example.jp", password="kyosai-Journey-2026")
    do_submit_enrollment(
        EnrollmentApplication(Scheme.SHOKIBO, OWNER, 12_000, MANDATE, "sole_proprietor"),
        channel=Procedure.Channel.ONLINE, idempotency_key="journey", received_at=joined,
        acting_user=member,
    )  # fmt: skip
    taken_over(Scheme.SHOKIBO, add_months(today.replace(day=1), -1))  # paid through last month
    staff("reviewer", "reviewer")
    staff("approver", "approver")

    log_in(page, "haruko@example.jp", "kyosai-Journey-2026")
    page.get_by_role("link", name="マイページ").click()
    page.get_by_role("link", name="小規模企業共済", exact=True).click()
    expect(page.get_by_role("heading", name="共済金の見込み額")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^共済金A [\d,]+円$"))).to_be_visible()
    page.get_by_text("計算の根拠").first.click()
    expect(page.get_by_text(re.compile("掛金区分1〜24")).first).to_be_visible()
    shot("contract-quote")

    page.get_by_role("link", name="共済金を請求する").click()
    page.get_by_label("事業をやめた（廃業）").check()
    page.get_by_label("共済事由の生じた日").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("生年月日（共済契約者）").fill(f"{today.year - 62}-01-05")
    page.get_by_label("分割", exact=True).check()
    page.get_by_label("15年", exact=True).check()
    page.get_by_label("一括で受け取る額（円、併用のとき）").fill("３０万")  # not a number
    page.get_by_role("button", name="金額と受取方法を確認する").click()
    expect(page.get_by_role("alert")).to_contain_text("入力内容を確認してください")
    expect(page.get_by_text("金額は数字で入力してください（例: 300000）。")).to_be_visible()
    shot("field-error")
    page.get_by_label("一括で受け取る額（円、併用のとき）").fill("")
    page.get_by_role("button", name="金額と受取方法を確認する").click()
    expect(page.get_by_role("heading", name=re.compile(r"^共済金A [\d,]+円$"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"分割の支給予定（90回、支給総額"))).to_be_visible()
    shot("instalment-preview")
    page.get_by_role("button", name="この内容で請求する").click()
    expect(page.get_by_text("現在の状況: 確認中")).to_be_visible()
    expect(page.get_by_text(re.compile("分割受取）を受け付けました"))).to_be_visible()
    shot("claim-received")

    base = page.url.split("/portal")[0]
    claim = "共済金請求（小規模企業共済）"
    decide(browser, base, "reviewer", "承認する", claim)  # at or above 300万円: a first approval
    decide(browser, base, "approver", "一次承認を確認して承認する", claim)
    page.reload()
    expect(page.get_by_text("現在の状況: 承認")).to_be_visible()
    expect(page.get_by_text(re.compile("90回に分けてお振り込みします"))).to_be_visible()
    shot("claim-approved")

    page.get_by_role("link", name=re.compile("ご契約の内容を見る")).click()
    expect(page.get_by_role("heading", name="共済金の支給決定")).to_be_visible()
    page.locator("summary", has_text="分割の支給予定").click()
    expect(page.get_by_role("table", name="分割の支給予定")).to_be_visible()
    shot("determination")
    with page.expect_download() as download:
        page.get_by_role("link", name="共済金支給決定通知書（PDF）をダウンロード").click()
    saved = shot("notice").parent / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes() == bytes(Determination.objects.get().notice_pdf)
