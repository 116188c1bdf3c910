"""The agency channel in a real browser on phones: a clerk takes a client's enrollment, the client
confirms it through the link on their own phone, and the clerk sees it done in their list."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from kyosai.agencies.models import Agency, AgencyClerk
from kyosai.contracts.models import Contract
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.browser.steps import log_in, pass_second_factor
from tests.browser.test_portal_journey import fill_enrollment

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def test_a_clerk_takes_an_enrollment_and_the_client_confirms_it_by_link(
    page: Page, browser: Browser, live_server: LiveServer, shot: Shot
) -> None:
    agency = Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)
    clerk = User.objects.create_user("minato-clerk", password="kyosai-Clerk-2026")
    AgencyClerk.objects.create(user=clerk, agency=agency)

    log_in(page, "minato-clerk", "kyosai-Clerk-2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("港商工会議所")
    shot("clerk-home-empty")
    page.get_by_role("link", name="経営セーフティ共済の加入申込を受け付ける").click()
    fill_enrollment(page, employees="３")
    page.get_by_label("ご本人がリンク（QRコード）からオンラインで確認して申し込む").check()
    page.get_by_label("ご本人のメールアドレス").fill("hanako@example.jp")
    shot("clerk-form-filled")
    page.get_by_role("button", name="受け付ける").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ご本人確認のリンク")
    expect(page.locator(".qr svg")).to_be_visible()
    url = page.locator("#confirmation-url").inner_text()
    folder = shot("clerk-link-and-qr").parent  # the client's own steps go beside the clerk's

    def client_shot(name: str) -> None:
        client.screenshot(path=folder / f"client-{name}.png", full_page=True, scale="css")

    # The client, on their own phone, opens the link (as the QR code would) and signs up.
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale="ja-JP", timezone_id="Asia/Tokyo",
    )  # fmt: skip
    client = phone.new_page()
    client.goto(url)
    expect(client.get_by_text("港商工会議所でお受けしたお申込みです。")).to_be_visible()
    client_shot("1-opens-link")
    client.get_by_role("link", name="はじめての方は新規登録").click()
    client.get_by_label("メールアドレス").fill("hanako@example.jp")
    client.get_by_label("パスワード", exact=True).fill("kyosai-Journey-2026")
    client.get_by_label("パスワード(確認用)").fill("kyosai-Journey-2026")
    client.get_by_role("button", name="登録する").click()
    pass_second_factor(client, "hanako@example.jp")
    expect(client.get_by_role("heading", level=1)).to_have_text("お申込み内容のご確認")
    expect(client.get_by_text("加入資格: 確認できました")).to_be_visible()
    expect(client.get_by_text("150,000円（3か月分）")).to_be_visible()
    client_shot("2-review")
    client.get_by_role("button", name="この内容で申し込む").click()
    expect(client.get_by_text("現在の状況: 完了")).to_be_visible()
    contract = Contract.objects.get()
    expect(client.get_by_text(f"共済契約者番号 {contract.number}").first).to_be_visible()
    client_shot("3-done")
    phone.close()

    page.get_by_role("link", name="窓口のトップへ戻る").click()
    expect(page.locator("#procedure-list")).to_contain_text(
        "山田 花子　加入申込（経営セーフティ共済）"
    )
    expect(page.locator("#procedure-list")).to_contain_text("完了")
    expect(page.locator("#by-status")).to_contain_text("完了1件")
    shot("clerk-sees-it-done")
    page.locator("#procedure-list").get_by_role("link").click()
    expect(page.get_by_text(f"共済契約者番号{contract.number}")).to_be_visible()
    expect(page.get_by_text("お申込みを受け付けました（港商工会議所経由）。")).to_be_visible()
    shot("clerk-follows-timeline")


def test_a_branch_takes_a_clients_address_change_and_its_head_office_follows_it(
    page: Page, browser: Browser, live_server: LiveServer, shot: Shot
) -> None:
    head = Agency.objects.create(code="B00001", name="みなと銀行", kind=Agency.Kind.REGIONAL_BANK)
    branch = Agency.objects.create(
        code="B00002", name="みなと銀行 芝支店", kind=Agency.Kind.REGIONAL_BANK, parent=head
    )
    for username, agency in (("branch-clerk", branch), ("head-clerk", head)):
        made = User.objects.create_user(username, password="kyosai-Clerk-2026")
        AgencyClerk.objects.create(user=made, agency=agency)
    contract = member_contract(Scheme.TOSAN, 50_000, at(2025, 4), 1)
    Contract.objects.filter(pk=contract.pk).update(handling_agency=branch)
    holder = contract.party.user
    assert holder is not None
    holder.set_password("kyosai-Holder-2026")
    holder.save()

    log_in(page, "branch-clerk", "kyosai-Clerk-2026")
    page.get_by_label("共済契約者番号（9桁）").fill(contract.number)
    page.get_by_role("button", name="契約を探す").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("経営セーフティ共済")
    shot("branch-client")
    page.get_by_role("link", name="住所・名称・代表者の変更").click()
    page.get_by_label("郵便番号").fill("1050011")
    page.get_by_label("住所（市区町村以降）").fill("芝公園4-2-8")
    page.get_by_label("ご本人がリンク（QRコード）からマイページにログインして確認する").check()
    folder = shot("branch-change-filled").parent  # the holder's and head office's go beside
    page.get_by_role("button", name="受け付ける").click()
    expect(page.locator(".qr svg")).to_be_visible()
    url = page.locator("#confirmation-url").inner_text()

    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale="ja-JP", timezone_id="Asia/Tokyo",
    )  # fmt: skip
    client = phone.new_page()
    client.goto(url)
    client.get_by_role("link", name="ログインする").click()
    client.get_by_label("ユーザー名（メールアドレス）").fill(holder.username)
    client.get_by_label("パスワード").fill("kyosai-Holder-2026")
    client.get_by_role("button", name="ログイン").click()
    pass_second_factor(client, holder.username)
    expect(client.locator("#change")).to_contain_text("東京都港区芝公園4-2-8")
    client.screenshot(path=folder / "client-review.png")
    client.get_by_role("button", name="この内容で変更を申し出る").click()
    expect(client.get_by_text("現在の状況: 完了")).to_be_visible()
    phone.close()

    head_page = browser.new_page(base_url=live_server.url)
    log_in(head_page, "head-clerk", "kyosai-Clerk-2026")
    expect(head_page.locator("#procedure-list")).to_contain_text("住所・名称・代表者の変更")
    expect(head_page.locator("#procedure-list")).to_contain_text("みなと銀行 芝支店")
    head_page.get_by_role("link", name="取扱実績と手数料を見る").click()
    expect(head_page.locator("#by-agency")).to_contain_text("みなと銀行 芝支店")
    expect(head_page.locator("#fee-total")).not_to_have_text("0円")
    head_page.screenshot(path=folder / "head-results.png", full_page=True)
    head_page.close()
