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
