"""The public journeys that exist today, in a real browser on a phone-sized screen."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from kyosai.rules.calendar import next_debit_date, wareki
from kyosai.rules.scheme import Scheme
from tests.browser.steps import pass_second_factor

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it does not scroll sideways)."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def test_home_shows_both_schemes_on_a_phone(page: Page, shot: Shot) -> None:
    page.goto("/")
    today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    expect(page).to_have_title("共済契約管理システム")
    expect(page.get_by_role("heading", level=1)).to_have_text("小規模企業共済・経営セーフティ共済")
    shot("home")

    for scheme, name in [
        (Scheme.SHOKIBO, "小規模企業共済"),
        (Scheme.TOSAN, "経営セーフティ共済（中小企業倒産防止共済）"),
    ]:
        # Each scheme is a region named by its heading (aria-labelledby), with its rule cards.
        section = page.get_by_role("region", name=name, exact=True)
        expect(section.get_by_role("heading", level=2)).to_have_text(name)
        expect(section).to_contain_text(
            f"次回の掛金振替日: {wareki(next_debit_date(scheme, today))}"
        )
        section.get_by_text("適用中のルール").click()  # the rules are folded on a phone
        cards = section.get_by_role("list").get_by_role("listitem")
        expect(cards.first).to_be_visible()
        expect(cards.first).to_contain_text(re.compile(r"から適用／根拠: \S"))
        # A parameter both schemes have, shown as a card of its own.
        expect(cards.filter(has_text="解約手当金の支給率")).to_have_count(1)

    assert horizontal_overflow(page) == 0, "the home page scrolls sideways on a 390px screen"
    # The check itself must be able to fail in this emulation: a too-wide element is caught.
    page.evaluate(
        "() => document.body.append(Object.assign(document.createElement('div'),"
        " {style: 'width: 600px; height: 1px'}))"
    )
    assert horizontal_overflow(page) > 0


def test_login_wrong_password_then_demo_staff_and_logout(page: Page, shot: Shot) -> None:
    call_command("load_demo")
    page.goto("/")
    shot("home-signed-out")

    page.get_by_role("link", name="ログイン", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("heading", name="ログイン", level=1)).to_be_visible()
    # get_by_label finds the inputs only if each <label> is tied to its input.
    username = page.get_by_label("ユーザー名")
    password = page.get_by_label("パスワード")
    expect(page.get_by_role("alert")).to_have_count(0)
    shot("login")

    username.fill("staff")
    password.fill("wrong-password")
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("ユーザー名またはパスワードが正しくありません。")
    expect(page).to_have_url(re.compile(r"/login/$"))
    shot("wrong-password")

    username.fill("staff")
    password.fill("kyosai-staff-2026")
    page.get_by_role("button", name="ログイン", exact=True).click()
    pass_second_factor(page, "staff")  # the demo staff login has an authenticator
    logout = page.get_by_role("button", name="ログアウト（staff）")
    expect(logout).to_be_visible()
    expect(page).to_have_url(re.compile(r"/staff/$"))  # staff land on the review queue
    expect(page.get_by_role("link", name="ログイン", exact=True)).to_have_count(0)
    assert horizontal_overflow(page) == 0
    shot("signed-in")

    logout.click()
    expect(page.get_by_role("link", name="ログイン", exact=True)).to_be_visible()
    expect(logout).to_have_count(0)
    shot("signed-out")
