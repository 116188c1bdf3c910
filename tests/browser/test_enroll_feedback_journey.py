"""Live feedback in a real browser: the enrollment form answers while the applicant types."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kyosai.procedures.models import Procedure
from tests.browser.test_portal_journey import fill_enrollment, sign_up

pytestmark = pytest.mark.browser


def test_the_enrollment_form_shows_the_checks_and_the_first_debit_while_typing(
    page: Page, shot: Callable[[str], Path]
) -> None:
    sign_up(page, "natsu@example.jp")
    page.goto("/portal/enroll/tosan/")
    feedback = page.locator("#enroll-feedback")
    expect(feedback).to_have_attribute("aria-live", "polite")
    page.get_by_label("事業者名（個人の方は氏名）").fill("山田 夏子")
    expect(feedback).to_contain_text("まだ入力されていない項目があります")
    shot("incomplete")

    page.get_by_label("郵便番号").fill("999-9999")
    expect(feedback).to_contain_text("郵便番号: この郵便番号は見つかりません")
    shot("postal-code-to-fix")

    fill_enrollment(page, employees="３")
    expect(feedback).to_contain_text("加入資格: 確認できました")
    expect(feedback).to_contain_text("150,000円（3か月分）")
    expect(feedback).not_to_contain_text("まだ入力されていない項目")
    shot("eligible")

    # 400 employees in retail is beyond a 中小企業者 (法2条1項): the reason appears, not a pass.
    page.get_by_label("常時使用する従業員数").fill("400")
    expect(feedback).to_contain_text(re.compile("加入資格: .*従業員"))
    expect(feedback).not_to_contain_text("加入資格: 確認できました")
    shot("ineligible")

    page.get_by_role("button", name="確認へ進む").click()  # the confirmation step is unchanged
    expect(page.get_by_role("heading", level=1)).to_have_text("申込内容の確認")
    assert Procedure.objects.count() == 0  # feedback never saves anything
