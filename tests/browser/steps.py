"""Steps several journeys share, done the way a person does them."""

import re
from base64 import b32decode

from django.contrib.auth.models import Group, User
from playwright.sync_api import Browser, Page, expect

from kyosai.core.second_factor import confirmed_device
from tests.helpers import current_code


def pass_second_factor(page: Page, username: str) -> None:
    """After the password: set up an authenticator from the key on the page, or type its code."""
    setting_up = "/2fa/setup/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "二段階認証の設定" if setting_up else "二段階認証"
    )
    if setting_up:
        secret = page.locator("code.secret").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8))
    else:
        device = confirmed_device(User.objects.get(username=username))
        assert device is not None
        key = device.bin_key
    page.get_by_label("認証アプリに表示された6桁の数字").fill(current_code(key))
    page.get_by_role("button", name="設定する" if setting_up else "確認する").click()


def log_in(page: Page, username: str, password: str) -> None:
    """The login page, then the second factor."""
    page.goto("/login/")
    page.get_by_label("ユーザー名（メールアドレス）").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    pass_second_factor(page, username)


def staff(name: str, role: str) -> None:
    """A staff login holding `role`, with the password `decide` types."""
    made = User.objects.create_user(name, password=f"kyosai-{name}-2026", is_staff=True)
    made.groups.add(Group.objects.get_or_create(name=role)[0])


def decide(browser: Browser, base: str, name: str, choice: str, procedure: str) -> None:
    """`name` signs in to the console in a page of their own, opens the `procedure` waiting
    (the queue's link, e.g. "共済金請求（小規模企業共済）") and records `choice`: a first
    decision from the review queue, a second approval from 承認待ち."""
    page = browser.new_page(base_url=base)
    log_in(page, name, f"kyosai-{name}-2026")
    page.goto("/staff/approvals/" if choice == "一次承認を確認して承認する" else "/staff/")
    page.get_by_role("link", name=procedure).click()
    page.get_by_label(choice).check()
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text(re.compile("を記録しました。"))).to_be_visible()
    page.close()
