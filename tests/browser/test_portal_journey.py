"""Member journeys in a real browser on a phone: sign up, enroll, straight through or via staff."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kyosai.contracts.models import Contract
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.browser.steps import log_in, pass_second_factor
from tests.domain.test_enrollment import COMPANY, MANDATE

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def sign_up(page: Page, email: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="新規登録").click()
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード", exact=True).fill("kyosai-Journey-2026")
    page.get_by_label("パスワード(確認用)").fill("kyosai-Journey-2026")
    page.get_by_role("button", name="登録する").click()
    pass_second_factor(page, email)  # every account sets up an authenticator first
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")


def fill_enrollment(page: Page, *, employees: str, position: str | None = None) -> None:
    """Typed as a shop owner types: full-width digits, hiragana, hyphens."""
    page.get_by_label("個人", exact=True).check()
    page.get_by_label("事業者名（個人の方は氏名）").fill("山田 花子")
    page.get_by_label("フリガナ").fill("やまだ はなこ")
    page.get_by_label("郵便番号").fill("１０５－００１１")
    page.get_by_label("住所（市区町村以降）").fill("芝公園１－１－１")
    page.get_by_label("電話番号").fill("０３－１２３４－５６７８")
    page.get_by_label("業種", exact=True).select_option(label="小売業")
    page.get_by_label("常時使用する従業員数").fill(employees)
    page.get_by_label("事業開始年月").fill("2015-04")
    if position:
        page.get_by_label("加入する方の立場").select_option(label=position)
    page.get_by_label("掛金月額（円）").fill("30000" if position else "50000")
    page.get_by_label("金融機関コード（4桁）").fill("0001")
    page.get_by_label("支店コード（3桁）").fill("001")
    page.get_by_label("普通").check()
    page.get_by_label("口座番号（7桁まで）").fill("１２３４５６７")
    page.get_by_label("口座名義（カナ）").fill("やまだ はなこ")


def test_tosan_enrollment_goes_straight_through(page: Page, shot: Shot) -> None:
    sign_up(page, "hanako@example.jp")
    shot("my-page-empty")
    page.get_by_role("link", name="経営セーフティ共済に加入を申し込む").click()
    fill_enrollment(page, employees="３")
    shot("form-filled")
    page.get_by_role("button", name="確認へ進む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申込内容の確認")
    expect(page.get_by_text("加入資格: 確認できました")).to_be_visible()
    expect(page.get_by_text("150,000円（3か月分）")).to_be_visible()
    shot("confirmation")
    page.get_by_role("button", name="この内容で申し込む").click()
    expect(page.get_by_text("現在の状況: 完了")).to_be_visible()
    contract = Contract.objects.get()
    expect(page.get_by_text(f"共済契約者番号 {contract.number}").first).to_be_visible()
    shot("done")
    page.get_by_role("link", name="マイページ").click()
    expect(page.get_by_text(contract.number)).to_be_visible()
    expect(page.get_by_text("50,000円")).to_be_visible()
    shot("my-page-with-contract")
    page.get_by_role("link", name="経営セーフティ共済", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="共済契約締結証書（PDF）をダウンロード").click()
    assert download.value.suggested_filename == f"certificate-{contract.number}.pdf"
    saved = shot("certificate").parent / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")


def test_a_field_error_is_shown_next_to_the_field(page: Page, shot: Shot) -> None:
    sign_up(page, "taro@example.jp")
    page.goto("/portal/enroll/tosan/")
    fill_enrollment(page, employees="3")
    page.get_by_label("郵便番号").fill("999-9999")
    page.get_by_role("button", name="確認へ進む").click()
    expect(page.get_by_role("alert")).to_contain_text("入力内容を確認してください")
    expect(page.get_by_text("この郵便番号は見つかりません")).to_be_visible()
    expect(page.get_by_label("フリガナ")).to_have_value("やまだ はなこ")  # nothing typed is lost
    shot("postal-code-error")


def test_shokibo_enrollment_waits_for_staff_who_approve_it(
    page: Page, browser: Browser, live_server: object, shot: Shot
) -> None:
    sign_up(page, "jiro@example.jp")
    page.goto("/portal/enroll/shokibo/")
    # 30 employees in retail is over the 5 of 法2条1項2号: a person must decide.
    fill_enrollment(page, employees="30", position="個人事業主")
    page.get_by_role("button", name="確認へ進む").click()
    expect(page.get_by_text(re.compile("従業員が5人以下"))).to_be_visible()
    page.get_by_role("button", name="この内容で申し込む").click()
    expect(page.get_by_text("現在の状況: 確認中")).to_be_visible()
    shot("waiting-for-staff")

    reviewer = User.objects.create_user("reviewer", password="kyosai-Reviewer-2026", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name="reviewer")[0])  # the 審査担当 role
    staff = browser.new_page(base_url=page.context.pages[0].url.split("/portal")[0])
    log_in(staff, "reviewer", "kyosai-Reviewer-2026")
    staff.goto("/staff/")
    staff.get_by_role("link", name=re.compile("加入申込（小規模企業共済）")).click()
    staff.get_by_label("承認する").check()
    staff.get_by_role("button", name="記録する").click()
    expect(staff.get_by_text("判断を記録しました。")).to_be_visible()
    staff.close()

    page.reload()
    expect(page.get_by_text("現在の状況: 完了")).to_be_visible()
    expect(page.get_by_text("担当者が承認しました。")).to_be_visible()
    shot("approved-by-staff")


def test_premium_change_and_cancellation_quote(page: Page, shot: Shot) -> None:
    # A tosan contract joined 30 months before today: §9 example 1 gives 1,350,000円 at 50,000円.
    today = timezone.localdate()
    joined = timezone.make_aware(
        dt.datetime.combine(add_months(today.replace(day=10), -30), dt.time(10))
    )
    user = User.objects.create_user("ichiro@example.jp", password="kyosai-Journey-2026")
    do_submit_enrollment(
        EnrollmentApplication(Scheme.TOSAN, COMPANY, 50_000, MANDATE),
        channel=Procedure.Channel.ONLINE, idempotency_key="journey", received_at=joined,
        acting_user=user,
    )  # fmt: skip
    taken_over(Scheme.TOSAN, add_months(today.replace(day=1), -1))  # paid through last month
    log_in(page, "ichiro@example.jp", "kyosai-Journey-2026")
    page.get_by_role("link", name="マイページ").click()
    page.get_by_role("link", name="経営セーフティ共済", exact=True).click()
    page.get_by_role("link", name="掛金月額を変更する").click()
    page.get_by_label("変更後の掛金月額（円）").fill("８０，０００")
    page.get_by_role("button", name="変更できるか確認する").click()
    expect(page.get_by_text(re.compile(r"80,000円へ、\d{4}年\d+月分から"))).to_be_visible()
    shot("premium-change-checked")
    page.get_by_role("button", name="この内容で変更する").click()
    expect(page.get_by_text("現在の状況: 完了")).to_be_visible()
    expect(page.get_by_text(re.compile("分から80,000円に変更しました"))).to_be_visible()
    shot("premium-changed")

    page.get_by_role("link", name=re.compile("ご契約の内容を見る")).click()
    page.get_by_role("link", name="解約の見込み額を見る・解約を申し出る").click()
    expect(page.get_by_role("heading", name="お支払額 1,350,000円")).to_be_visible()
    page.get_by_text("計算の根拠").click()
    expect(page.get_by_text("支給率: 90%（30か月・任意解約）")).to_be_visible()
    shot("cancellation-quote")
    page.get_by_role("button", name="解約を申し出る").click()
    expect(page.get_by_text("現在の状況: 確認中")).to_be_visible()
    expect(page.get_by_text(re.compile("見込み額は1,350,000円"))).to_be_visible()
    shot("cancellation-requested")
