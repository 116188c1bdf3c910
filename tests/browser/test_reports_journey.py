"""管理帳票 in a real browser: an administrator opens the achievement report from the console,
downloads it as CSV, enters next year's plan (a total that does not add up is refused first) and
finds it on the plan page."""

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import log_in, staff
from tests.reports.book import AS_OF, book, plan

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]


def test_an_administrator_reads_the_reports_and_enters_next_years_plan(
    page: Page, shot: Shot
) -> None:
    plan()
    book()
    staff("planner", "administrator")
    log_in(page, "planner", "kyosai-planner-2026")
    page.get_by_role("link", name="管理帳票").click()
    page.get_by_role("link", name="加入目標の達成状況").first.click()
    page.get_by_label("年度").select_option("2026")
    page.get_by_label("基準日").fill(AS_OF.isoformat())
    page.get_by_role("button", name="表示する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("令和8年度 加入目標の達成状況")
    expect(
        page.get_by_role("img", name="経営セーフティ共済 地域別の目標と実績（4月〜1月）")
    ).to_be_visible()
    total = page.locator("#table-block tbody tr").last
    expect(total).to_contain_text("合計")
    expect(total).to_contain_text("26.1")  # 6 of 23
    shot("achievement")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV（令和8年度 加入目標の達成状況（業種別").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[-1] == ["合計", "", "2", "", "23", "6", "26.1"]

    page.goto("/staff/reports/plan/edit/?scheme=shokibo&fiscal_year=2027")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "加入促進計画の入力（小規模企業共済）"
    )
    blocks = {"北海道": 4, "東北": 1, "関東": 8, "北陸": 1, "中部": 1, "近畿": 3, "中国": 1,
              "四国": 1, "九州": 3}  # fmt: skip
    industries = {"建設業": 3, "製造業": 3, "卸売業": 1, "小売業": 3, "運輸・通信業": 2,
                  "サービス業": 10, "その他": 1}  # fmt: skip
    for label, value in {**blocks, **industries}.items():
        page.get_by_role("spinbutton", name=label, exact=True).fill(str(value))
    page.get_by_label("合計 加入目標件数").fill("24")
    page.get_by_label("青森県").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text("23件が合計 24件と一致しません")
    shot("plan-refused")
    page.get_by_label("合計 加入目標件数").fill("23")
    page.get_by_role("button", name="保存する").click()
    expect(
        page.get_by_text("令和9年度の加入促進計画（小規模企業共済）を保存しました。")
    ).to_be_visible()
    expect(page.locator("#table-aims")).to_contain_text("青森県")
    expect(page.locator("#table-block tbody tr").last).to_contain_text("23")
    shot("plan-saved")


@pytest.fixture(autouse=True)
def in_january() -> Iterator[None]:
    """The console's 'next year' is 2027 while the book is counted to 2027-01-31."""
    with mock.patch("django.utils.timezone.localdate", return_value=AS_OF):
        yield
