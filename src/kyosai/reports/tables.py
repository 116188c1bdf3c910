"""Each report as tables: the same rows make the web page, the CSV and the Excel sheets, so the
three cannot disagree. Cells are int (件数), Decimal (percent to 0.1), str, or None (no figure).
The column order follows the published layouts (h29_block_results.csv: per scheme target,
actual, rate; agency_ranking_r5_*.csv: scheme, year, category, rank, prefecture, name, count)."""

from kyosai.contracts.models import SCHEME_CHOICES
from kyosai.documents.tables import Cell, Table
from kyosai.parties.models import Industry
from kyosai.reports.charts import Chart, bar_chart
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import BLOCKS, HEADER, TOTAL_KEY, key_label
from kyosai.reports.selectors import Achievement, Campaign, ModelPrefectures, Ranking
from kyosai.rules.calendar import fiscal_year_start, wareki
from kyosai.rules.scheme import Scheme

SCHEME_NAME = dict(SCHEME_CHOICES)
Dimension = PlanTarget.Dimension


def year_label(fiscal_year: int) -> str:
    """令和8年度 for 2026."""
    return wareki(fiscal_year_start(fiscal_year), with_day=False).split("年")[0] + "年度"


def achievement_tables(report: Achievement) -> list[Table]:
    period = report.period.label
    columns = [
        heading
        for scheme in Scheme
        for heading in (
            f"{SCHEME_NAME[scheme]} 目標件数",
            f"{SCHEME_NAME[scheme]} 実績（{period}）",
            f"{SCHEME_NAME[scheme]} 達成率（%）",
        )
    ]
    rates = frozenset({3, 6})
    title = f"{year_label(report.fiscal_year)} 加入目標の達成状況"
    return [
        Table(
            slug,
            f"{title}（{name}、{report.period.end:%Y-%m-%d}現在）",
            [first, *columns],
            [
                [line.label]
                + [
                    v
                    for s in Scheme
                    for v in (line.cells[s].target, line.cells[s].actual, line.cells[s].rate)
                ]
                for line in lines
            ],
            rates,
        )
        for slug, name, first, lines in (
            ("block", "地域（ブロック）別", "ブロック", report.blocks),
            ("industry", "業種別", "業種", report.industries),
        )
    ]


def campaign_tables(report: Campaign) -> list[Table]:
    months = [f"{m.start.month}月" for m in report.months]
    columns = [
        f"{SCHEME_NAME[scheme]} {heading}"
        for scheme in Scheme
        for heading in (*months, "計", "前年同期", "前年同期比（%）")
    ]
    width = len(months) + 3
    title = (
        f"{year_label(report.fiscal_year)} 全国加入促進強調月間（{'・'.join(months)}）の新規加入"
    )
    return [
        Table(
            slug,
            f"{title}（{name}）",
            [first, *columns],
            [
                [line.label]
                + [
                    v
                    for s in Scheme
                    for v in (
                        *line.cells[s].months,
                        line.cells[s].total,
                        line.cells[s].previous,
                        line.cells[s].change_pct,
                    )
                ]
                for line in lines
            ],
            frozenset({width, 2 * width}),
        )
        for slug, name, first, lines in (
            ("block", "地域（ブロック）別", "ブロック", report.blocks),
            ("industry", "業種別", "業種", report.industries),
        )
    ]


def model_prefecture_tables(report: ModelPrefectures) -> list[Table]:
    period = report.period.label
    return [
        Table(
            "model",
            f"{year_label(report.fiscal_year)} モデル都道府県運動（{report.period.end:%Y-%m-%d}現在）",
            [
                "制度",
                "都道府県",
                "ブロック",
                "目標件数",
                f"実績（{period}）",
                "達成率（%）",
                "前年同期",
                "前年同期比（%）",
            ],
            [
                [
                    SCHEME_NAME[line.scheme],
                    line.label,
                    line.block,
                    line.target,
                    line.actual,
                    line.rate,
                    line.previous,
                    line.change_pct,
                ]
                for line in report.lines
            ],
            frozenset({5, 7}),
        )
    ]


def ranking_tables(report: Ranking) -> list[Table]:
    scheme, year = SCHEME_NAME[report.scheme], year_label(report.fiscal_year)
    return [
        Table(
            "ranking",
            f"{year} {scheme} 団体・代理店 加入実績上位ランキング（{report.period.end:%Y-%m-%d}現在）",
            ["制度", "年度", "区分", "順位", "都道府県", "名称", "件数"],
            [
                [scheme, year, row.category, row.rank, row.prefecture, row.name, row.count]
                for row in report.rows
            ],
        )
    ]


def plan_tables(fiscal_year: int, targets: list[PlanTarget]) -> list[Table]:
    """The year's plan of both schemes side by side, and the other aims of each plan."""
    found = {(t.scheme, t.dimension, t.key): t for t in targets}

    def target(scheme: Scheme, dimension: str, key: str) -> Cell:
        line = found.get((scheme, dimension, key))
        return None if line is None else line.target

    year = year_label(fiscal_year)
    side_by_side = [
        Table(
            slug,
            f"{year} 加入促進計画 {name}加入目標件数",
            [first, *(f"{SCHEME_NAME[s]} 目標件数" for s in Scheme)],
            [
                [key_label(dimension, key), *[target(s, dimension, key) for s in Scheme]]
                for key in keys
            ]
            + [[TOTAL_KEY, *(target(s, Dimension.TOTAL, TOTAL_KEY) for s in Scheme)]],
        )
        for slug, name, first, dimension, keys in (
            ("block", "地域別", "ブロック", Dimension.BLOCK, BLOCKS),
            ("industry", "業種別", "業種", Dimension.INDUSTRY, tuple(Industry.values)),
        )
    ]
    aims = Table(
        "aims",
        f"{year} オンライン手続きの割合とモデル都道府県",
        ["制度", "項目", "内容", "目標"],
        [
            [
                SCHEME_NAME[Scheme(t.scheme)],
                t.get_dimension_display(),
                key_label(t.dimension, t.key),
                f"{t.share * 100:.0f}%以上" if t.share is not None else t.target,
            ]
            for t in targets
            if t.dimension in (Dimension.ONLINE_SHARE, Dimension.MODEL_PREFECTURE)
        ],
    )
    return [*side_by_side, aims]


def plan_file_table(fiscal_year: int, targets: list[PlanTarget]) -> Table:
    """The plan in the layout `manage.py reports import-plan` reads, so that a downloaded plan
    can be edited and read back."""
    return Table(
        "plan",
        f"{year_label(fiscal_year)} 加入促進計画",
        HEADER,
        [
            [
                t.scheme,
                t.fiscal_year,
                t.dimension,
                key_label(t.dimension, t.key),
                str(t.share) if t.share is not None else t.target,
            ]
            for t in targets
        ],
    )


# A text cell starting with one of these is a formula to a spreadsheet (an agency named
# "=HYPERLINK(…)" would run as one): the CSV quotes it with ', the Excel sheet keeps it as text.
def achievement_charts(report: Achievement) -> list[Chart]:
    """Target against actual, per scheme, for the blocks and for the industries (合計 left out:
    it would dwarf every other bar)."""
    return [
        bar_chart(
            f"{SCHEME_NAME[scheme]} {name}の目標と実績（{report.period.label}）",
            ["目標件数", "実績"],
            [
                (line.label, [line.cells[scheme].target, line.cells[scheme].actual])
                for line in lines[:-1]
            ],
        )
        for scheme in Scheme
        for name, lines in (("地域別", report.blocks), ("業種別", report.industries))
    ]


def campaign_charts(report: Campaign) -> list[Chart]:
    return [
        bar_chart(
            f"{SCHEME_NAME[scheme]} 強調月間の新規加入（地域別）",
            ["前年同期", "今年度"],
            [
                (line.label, [line.cells[scheme].previous, line.cells[scheme].total])
                for line in report.blocks[:-1]
            ],
        )
        for scheme in Scheme
    ]


def model_prefecture_charts(report: ModelPrefectures) -> list[Chart]:
    """This year against the year before per model prefecture (the country left out), and the
    target too when the plan gives the scheme's model prefectures one."""
    charts = []
    for scheme in Scheme:
        lines = [line for line in report.lines if line.scheme == scheme and line.block]
        if not lines:
            continue
        with_target = any(line.target is not None for line in lines)
        charts.append(
            bar_chart(
                f"{SCHEME_NAME[scheme]} モデル都道府県の新規加入",
                ["前年同期", "今年度", "目標件数"][: 3 if with_target else 2],
                [
                    (
                        line.label,
                        [line.previous, line.actual, line.target][: 3 if with_target else 2],
                    )
                    for line in lines
                ],
            )
        )
    return charts


def ranking_charts(report: Ranking) -> list[Chart]:
    return [
        bar_chart(
            f"{SCHEME_NAME[report.scheme]} 区分別の新規加入（取扱機関のあるもの）",
            ["件数"],
            [(category, [count]) for category, count in report.category_totals],
        )
    ]


def plan_charts(tables: list[Table]) -> list[Chart]:
    """Both schemes' targets side by side, from the plan's block and industry tables."""
    return [
        bar_chart(
            table.title,
            [SCHEME_NAME[s] for s in Scheme],
            [
                (str(row[0]), [c if isinstance(c, int) else None for c in row[1:]])
                for row in table.rows[:-1]
            ],
        )
        for table in tables[:2]
    ]
