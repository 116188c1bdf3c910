"""Steps several journeys share, done the way a person does them."""

from base64 import b32decode

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

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
