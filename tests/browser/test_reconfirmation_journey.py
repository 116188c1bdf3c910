"""加入資格確認 in a real browser on a phone: one member opens the QR link of their letter, the
other the letter in their portal inbox; each answers the checks on one screen and is thanked;
the staff console then shows one answered and one to follow up, with the check that applied."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kyosai.campaigns.actions import do_start_campaign
from kyosai.core.roles import Role
from kyosai.notices.models import Notice
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.browser.steps import log_in, staff

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def answer(page: Page, link: str, shot: Shot, who: str, applied: str = "") -> float:
    """Open the letter's link as its QR code would (or follow it, `link` ""), answer every
    check (「該当する」 for the check marked `applied`), send; the seconds it took."""
    started = time.monotonic()
    if link:
        page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("加入資格の再確認")
    checks = page.locator("fieldset")
    expect(checks).to_have_count(7)  # ①〜⑤, ⑦, ⑧: a sole proprietor who joined in 2024
    shot(f"{who}-form")
    for check in checks.all():
        choice = (
            "該当する"
            if applied and applied in check.locator("legend").inner_text()
            else "該当しない"
        )
        check.get_by_label(choice, exact=True).check()
    shot(f"{who}-answered")
    page.get_by_role("button", name="回答を送る").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ご回答ありがとうございました")
    shot(f"{who}-thanks")
    return time.monotonic() - started


def test_members_answer_the_reconfirmation_by_its_link_and_staff_see_the_follow_up(
    page: Page, shot: Shot
) -> None:
    member_contract(Scheme.SHOKIBO, 10_000, at(2024, 6), n=1)
    second_member = member_contract(Scheme.SHOKIBO, 10_000, at(2024, 6), n=2).party.user
    assert second_member is not None
    second_member.set_password("kyosai-Member-2026")
    second_member.save()
    campaign = do_start_campaign(
        name="加入資格確認（令和8年度）", joined_from=None, joined_until=None,
        answer_by=timezone.localdate(), idempotency_key="journey", now=timezone.now(),
        acting_user=None,
    )  # fmt: skip
    first = Notice.objects.filter(kind="reconfirmation").order_by("contract_id")[0].link

    seconds = answer(page, first, shot, "member-1")
    expect(page.locator("#thanks")).to_contain_text("お手続きはこれで終わりです。")
    assert seconds < 30  # the browser's share of "under three minutes on a phone"
    page.goto(first)  # the link again: the answer stands, no second form
    expect(page.get_by_role("heading", level=1)).to_have_text("ご回答ありがとうございました")
    # The second member signs in: マイページ counts the letter unread; the inbox leads to it.
    page.context.clear_cookies()
    log_in(page, second_member.username, "kyosai-Member-2026")
    expect(page.locator("#unread")).to_have_text("未読 2件")  # the 締結 and the letter
    shot("member-2-mypage")
    page.get_by_role("link", name="お知らせ").click()
    page.get_by_role("link", name="加入資格の再確認のお願い（小規模企業共済）").click()
    expect(page.get_by_text("ご回答の期限")).to_be_visible()
    shot("member-2-letter")
    page.get_by_role("link", name="回答する").click()
    answer(page, "", shot, "member-2", applied="⑦")
    expect(page.locator("#thanks")).to_contain_text("ご連絡させていただくことがあります")

    staff("kakunin", Role.REVIEWER)
    page.context.clear_cookies()
    log_in(page, "kakunin", "kyosai-kakunin-2026")
    page.get_by_role("link", name="加入資格確認").first.click()
    page.get_by_role("link", name=campaign.name).click()
    counts = page.locator("#counts")
    expect(counts).to_contain_text("回答済（該当なし）1件")
    expect(counts).to_contain_text("要確認1件")
    expect(counts).to_contain_text("未回答0件")
    expect(page.locator("#follow-ups")).to_contain_text("⑦")
    shot("staff-campaign")
