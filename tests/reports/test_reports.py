"""The reports on a small book worked out by hand (tests/reports/book.py), as pages, CSV and
Excel, and the published figures reproduced: the rates of h29_block_results.csv and a ranking
table of agency_ranking_r5_shokibo.csv with its tie."""

import csv
import io
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from openpyxl import load_workbook

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.documents.tables import Table, to_csv, to_xlsx
from kyosai.parties.models import Party
from kyosai.reference.regions import prefecture_code
from kyosai.reports.charts import BAR_AREA, bar_chart
from kyosai.reports.figures import competition_ranks
from kyosai.reports.selectors import achievement, agency_ranking, campaign, model_prefectures
from kyosai.reports.tables import (
    achievement_tables,
    campaign_tables,
    model_prefecture_charts,
    model_prefecture_tables,
)
from kyosai.rules.money import percent
from kyosai.rules.scheme import Scheme
from tests.helpers import sign_in
from tests.reports.book import AS_OF, at, book, contract, plan

SHARED = Path("/work/shared/data")
N = None
D = Decimal

# Hand-computed: per scheme target, actual to 2027-01-31, rate (shokibo has no plan: no rate).
BLOCKS = [
    ["北海道", N, 1, N, 4, 2, D("50.0")],
    ["東北", N, 0, N, 1, 0, D("0.0")],
    ["関東", N, 1, N, 8, 3, D("37.5")],  # 東京都 ×2 and 新潟県 (関東 in the plan's 別表1)
    ["北陸", N, 0, N, 1, 0, D("0.0")],
    ["中部", N, 0, N, 1, 0, D("0.0")],
    ["近畿", N, 0, N, 3, 0, D("0.0")],  # 大阪府: one in the year before, one after 1/31
    ["中国", N, 0, N, 1, 0, D("0.0")],
    ["四国", N, 0, N, 1, 0, D("0.0")],
    ["九州", N, 0, N, 3, 1, D("33.3")],  # 1/3 = 33.33… → 33.3; the cancelled one counts
    ["合計", N, 2, N, 23, 6, D("26.1")],  # 6/23 = 26.08… → 26.1
]
INDUSTRIES = [
    ["建設業", N, 1, N, 3, 1, D("33.3")],
    ["製造業", N, 0, N, 3, 1, D("33.3")],
    ["卸売業", N, 0, N, 1, 0, D("0.0")],
    ["小売業", N, 0, N, 3, 1, D("33.3")],
    ["運輸・通信業", N, 0, N, 2, 1, D("50.0")],
    ["サービス業", N, 1, N, 10, 2, D("20.0")],
    ["その他", N, 0, N, 1, 0, D("0.0")],
    ["合計", N, 2, N, 23, 6, D("26.1")],
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture_book() -> None:
    plan()
    book()


def staff(role: str = "reviewer") -> Client:
    user = User.objects.create_user(f"{role}-reports", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return sign_in(Client(), user)


def test_rates_reproduce_the_published_h29_table() -> None:
    """Every 達成率 of h29_block_results.csv is actual / target to 0.1 %, rounded half up."""
    with (SHARED / "h29_block_results.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for scheme in ("shokibo", "tosan"):
            target, actual = int(row[f"{scheme}_target"]), int(row[f"{scheme}_apr_jan"])
            assert percent(actual, target) == Decimal(row[f"{scheme}_rate_pct"]), row["block"]


def test_rates_round_half_up_and_need_a_target() -> None:
    assert percent(1, 16) == Decimal("6.3")  # 6.25: half up, not to even (6.2)
    assert percent(1, 16, rounding="ROUND_HALF_EVEN") == Decimal("6.2")
    assert percent(5, None) is None
    assert percent(5, 0) is None


def test_competition_ranking_shares_a_rank_and_skips_the_next() -> None:
    assert competition_ranks([3, 2, 2, 1]) == [1, 2, 2, 4]
    assert competition_ranks([5, 5, 5]) == [1, 1, 1]
    assert competition_ranks([]) == []
    with pytest.raises(ValueError):
        competition_ranks([1, 2])


def test_achievement_per_block_and_industry(fixture_book: None) -> None:
    report = achievement(2026, AS_OF)
    block, industry = achievement_tables(report)
    assert block.rows == BLOCKS
    assert industry.rows == INDUSTRIES
    assert block.columns[2] == "小規模企業共済 実績（4月〜1月）"
    # A day earlier the 1/31 contract (新潟県 → 関東) is not yet counted.
    earlier = achievement_tables(achievement(2026, AS_OF.replace(day=30)))[0]
    assert earlier.rows[2][5] == 2


def test_achievement_page_csv_and_excel(fixture_book: None) -> None:
    client = staff()
    url = "/staff/reports/achievement/?fiscal_year=2026&as_of=2027-01-31"
    page = client.get(url).content.decode()
    assert "令和8年度 加入目標の達成状況" in page
    assert "<svg" in page and "経営セーフティ共済 地域別の目標と実績（4月〜1月）" in page
    assert (
        '<th scope="row" style="white-space: nowrap">九州</th><td style="text-align: right">—</td>'
        in page
    )
    assert "33.3" in page and "26.1" in page

    response = client.get(url + "&format=csv&table=industry")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "業種", "小規模企業共済 目標件数", "小規模企業共済 実績（4月〜1月）", "小規模企業共済 達成率（%）",
        "経営セーフティ共済 目標件数", "経営セーフティ共済 実績（4月〜1月）", "経営セーフティ共済 達成率（%）",
    ]  # fmt: skip
    assert rows[1:] == [["" if c is None else str(c) for c in row] for row in INDUSTRIES]

    response = client.get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["block", "industry"]
    sheet = book["block"]
    values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values == [[float(c) if isinstance(c, Decimal) else c for c in row] for row in BLOCKS]
    assert sheet.cell(row=3, column=7).number_format == "0.0"


def test_campaign_months_against_the_year_before(fixture_book: None) -> None:
    block, industry = campaign_tables(campaign(2026, AS_OF))
    assert block.columns[6:] == [
        "経営セーフティ共済 10月", "経営セーフティ共済 11月", "経営セーフティ共済 計",
        "経営セーフティ共済 前年同期", "経営セーフティ共済 前年同期比（%）",
    ]  # fmt: skip
    by_label = {row[0]: row[1:] for row in block.rows}
    zeros = [0, 0, 0, 0, N]
    assert by_label["北海道"] == [*zeros, 1, 0, 1, 0, N]  # nothing last year: no ratio
    assert by_label["関東"] == [*zeros, 0, 1, 1, 1, D("100.0")]  # 11/30 23:59 is November's
    assert by_label["合計"] == [*zeros, 1, 1, 2, 1, D("200.0")]
    assert by_label["九州"] == [*zeros, 0, 0, 0, 0, N]
    assert {row[0]: row[6:9] for row in industry.rows}["サービス業"] == [0, 1, 1]
    # On 10月31日 November has not begun, and last year is cut at the same day.
    early = {
        row[0]: row[1:] for row in campaign_tables(campaign(2026, at(2026, 10, 31).date()))[0].rows
    }
    assert early["合計"] == [*zeros, 1, 0, 1, 1, D("100.0")]


def test_model_prefectures(fixture_book: None) -> None:
    (table,) = model_prefecture_tables(model_prefectures(2026, AS_OF))
    assert table.rows == [
        ["経営セーフティ共済", "東京都", "関東", 4, 2, D("50.0"), 1, D("200.0")],
        ["経営セーフティ共済", "大阪府", "近畿", N, 0, N, 0, N],
        ["経営セーフティ共済", "全国", "", N, 6, N, 1, D("600.0")],
    ]


@pytest.fixture
def ranked() -> dict[str, Agency]:
    """shokibo FY2026: 信用金庫 3, 2, 2, 1 (the two 2s in 北海道 and 大阪府) and a city bank 1;
    a contract outside the year and a tosan one that must not count."""
    made = {
        name: Agency.objects.create(code=code, name=name, kind=kind, prefecture_code=pref)
        for code, name, kind, pref in (
            ("A1", "東京第一信用金庫", Agency.Kind.SHINKIN, "13"),
            ("A2", "大阪信用金庫", Agency.Kind.SHINKIN, "27"),
            ("A3", "札幌信用金庫", Agency.Kind.SHINKIN, "01"),
            ("A4", "東京第二信用金庫", Agency.Kind.SHINKIN, "13"),
            ("A5", "全国銀行", Agency.Kind.CITY_BANK, ""),
        )
    }
    s = Scheme.SHOKIBO
    for name, times in (("東京第一信用金庫", 3), ("大阪信用金庫", 2), ("札幌信用金庫", 2),
                        ("東京第二信用金庫", 1), ("全国銀行", 1)):  # fmt: skip
        for _ in range(times):
            contract(s, "13", "service", at(2026, 9, 1), made[name])
    contract(s, "13", "service", at(2026, 3, 31), made["東京第二信用金庫"])
    contract(Scheme.TOSAN, "13", "service", at(2026, 9, 1), made["東京第二信用金庫"])
    contract(Scheme.TOSAN, "13", "service", at(2026, 9, 1), made["東京第二信用金庫"])
    return made


RANKED = [
    ["小規模企業共済", "令和8年度", "都市銀行・信託銀行", "1", "", "全国銀行", "1"],
    ["小規模企業共済", "令和8年度", "信用金庫", "1", "東京都", "東京第一信用金庫", "3"],
    ["小規模企業共済", "令和8年度", "信用金庫", "2", "北海道", "札幌信用金庫", "2"],
    ["小規模企業共済", "令和8年度", "信用金庫", "2", "大阪府", "大阪信用金庫", "2"],
    ["小規模企業共済", "令和8年度", "信用金庫", "4", "東京都", "東京第二信用金庫", "1"],
]


def test_ranking_with_ties_page_csv_and_excel(ranked: dict[str, Agency]) -> None:
    client = staff("approver")
    url = "/staff/reports/ranking/?fiscal_year=2026&as_of=2027-01-31&scheme=shokibo"
    page = client.get(url).content.decode()
    assert "団体・代理店 加入実績上位ランキング" in page
    assert '<td style="text-align: right">4</td><td>東京都</td><td>東京第二信用金庫</td>' in page
    response = client.get(url + "&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["制度", "年度", "区分", "順位", "都道府県", "名称", "件数"], *RANKED]
    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").content))["ranking"]
    assert [[str(c) for c in row] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        [c if c else "None" for c in row] for row in RANKED
    ]
    top1 = client.get(url + "&top=1&format=csv").content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[5] for line in top1[1:]] == ["全国銀行", "東京第一信用金庫"]
    # The tosan ranking counts the tosan contracts only.
    tosan = agency_ranking(Scheme.TOSAN, 2026, AS_OF)
    assert [(r.rank, r.name, r.count) for r in tosan.rows] == [(1, "東京第二信用金庫", 2)]


def test_ranking_lists_every_tie_of_the_last_rank(ranked: dict[str, Agency]) -> None:
    top2 = agency_ranking(Scheme.SHOKIBO, 2026, AS_OF, top=2)
    assert [(r.rank, r.name) for r in top2.rows if r.category == "信用金庫"] == [
        (1, "東京第一信用金庫"), (2, "札幌信用金庫"), (2, "大阪信用金庫"),
    ]  # fmt: skip


def test_ranking_reproduces_a_published_table_with_its_tie() -> None:
    """agency_ranking_r5_shokibo.csv, 第二地方銀行: 12 東和銀行 80 and 12 香川銀行 80, then 14."""
    with (SHARED / "agency_ranking_r5_shokibo.csv").open(encoding="utf-8") as handle:
        published = [r for r in csv.DictReader(handle) if r["category"] == "第二地方銀行"]
    for index, row in enumerate(published):
        agency = Agency.objects.create(
            code=f"B{index:03d}", name=row["agency_name"], kind=Agency.Kind.SECOND_REGIONAL_BANK,
            prefecture_code=prefecture_code(row["prefecture"]),
        )  # fmt: skip
        bulk_contracts(agency, int(row["new_contracts"]))
    report = agency_ranking(Scheme.SHOKIBO, 2023, at(2024, 3, 31).date())
    assert [[str(r.rank), r.prefecture, r.name, str(r.count)] for r in report.rows] == [
        [r["rank"], r["prefecture"], r["agency_name"], r["new_contracts"]] for r in published
    ]


def bulk_contracts(agency: Agency, how_many: int) -> None:
    parties = Party.objects.bulk_create(
        Party(kind=Party.Kind.INDIVIDUAL, organisation="sole_proprietor", name="会員",
              name_kana="カイイン", postal_code="1000001", prefecture_code="13", address="東京都",
              phone="0300000000", industry="retail", employees=1,
              business_started_on=at(2010, 4, 1).date())
        for _ in range(how_many)
    )  # fmt: skip
    Contract.objects.bulk_create(
        Contract(scheme=Scheme.SHOKIBO, number=f"{agency.code}{i:05d}", party=party,
                 joined_month=at(2023, 6, 1).date(), issued_at=at(2023, 6, 1),
                 handling_agency=agency)
        for i, party in enumerate(parties)
    )  # fmt: skip


def test_bars_are_scaled_to_the_largest_value() -> None:
    chart = bar_chart("t", ["目標件数", "実績"], [("関東", [200, 50]), ("北陸", [None, 2])])
    widths = [[bar.width for bar in group.bars] for group in chart.groups]
    assert widths == [[BAR_AREA, BAR_AREA / 4], [0.0, 2.5]]
    assert [s.name for s in chart.series] == ["目標件数", "実績"]
    tiny = bar_chart("t", ["件数"], [("a", [10_000]), ("b", [1]), ("c", [0])])
    assert [g.bars[0].width for g in tiny.groups] == [BAR_AREA, 1.0, 0.0]  # 1 is still seen


def test_text_that_looks_like_a_formula_stays_text() -> None:
    table = Table("t", "題", ["名称", "件数"], [['=HYPERLINK("x")', 1], ["普通の名前", 2]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("x")', "1"] and rows[2] == ["普通の名前", "2"]
    cell = load_workbook(io.BytesIO(to_xlsx([table])))["t"]["A3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("x")', "s")


def test_wrong_parameters_show_this_year_and_say_what_was_wrong(fixture_book: None) -> None:
    client = staff()
    with mock.patch("django.utils.timezone.localdate", return_value=AS_OF):
        page = client.get("/staff/reports/achievement/?fiscal_year=1999").content.decode()
        assert "令和8年度 加入目標の達成状況" in page and "正しく選択してください" in page
        page = client.get(
            "/staff/reports/campaign/?fiscal_year=2026&as_of=2026-03-01"
        ).content.decode()
        assert "基準日は令和8年度の始まり（2026-04-01）以降にしてください" in page
        page = client.get("/staff/reports/ranking/?fiscal_year=2027").content.decode()
        assert "令和9年度はまだ始まっていません" in page


def test_model_prefecture_chart_shows_a_target_only_where_the_plan_gives_one(
    fixture_book: None,
) -> None:
    (chart,) = model_prefecture_charts(model_prefectures(2026, AS_OF))
    assert [s.name for s in chart.series] == ["前年同期", "今年度", "目標件数"]
    assert [(g.label, [b.value for b in g.bars]) for g in chart.groups] == [
        ("東京都", [1, 2, 4]), ("大阪府", [0, 0, None]),
    ]  # fmt: skip
