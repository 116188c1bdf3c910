"""The management reports, each read by one aggregate statement over the contracts.

A contract counts as a new enrollment (新規加入) of the day it was issued (`Contract.issued_at`,
Japan time), whatever became of it since; its block and industry are its party's (prefecture →
block by reference/regions.py), its ranking category its handling agency's kind. Each report
asks the database for counts grouped by (scheme, prefecture, industry) or by agency — at most a
few hundred rows whatever the size of the book — and adds them up here (the index
`contract_issued_report` serves the date ranges).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.core.days import day_start
from kyosai.parties.models import Industry
from kyosai.reference.regions import block_of
from kyosai.reports.figures import competition_ranks
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import BLOCKS, PREFECTURE_NAME, TOTAL_KEY, key_label
from kyosai.rules.calendar import add_months, fiscal_year_end, fiscal_year_start
from kyosai.rules.money import percent
from kyosai.rules.scheme import Scheme

Dimension = PlanTarget.Dimension
# 全国加入促進強調月間: 10月・11月 (令和8年度 加入促進計画 II.3(1)).
CAMPAIGN_MONTHS = (10, 11)
RANKING_TOP = 15  # the published rankings list ranks 1–15 of each category (ties included)
# The categories in the order the published rankings print them (agency_ranking_r5_*.csv).
CATEGORY_ORDER = (
    Agency.Kind.CITY_BANK,
    Agency.Kind.SHOKO_CHUKIN,
    Agency.Kind.REGIONAL_BANK,
    Agency.Kind.SECOND_REGIONAL_BANK,
    Agency.Kind.SHINKIN,
    Agency.Kind.CREDIT_COOPERATIVE,
    Agency.Kind.AGRICULTURAL_COOPERATIVE,
    Agency.Kind.SHOKOKAI,
    Agency.Kind.CHAMBER,
    Agency.Kind.TAX_ACCOUNTANTS,
    Agency.Kind.BLUE_RETURN,
    Agency.Kind.CENTRAL_ASSOCIATION,
    Agency.Kind.OTHER_ASSOCIATION,
)
_BY_PLACE = ("scheme", "party__prefecture_code", "party__industry")


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """The months it spans as the published tables name them: 4月〜1月."""
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.month}月"
        return f"{self.start.month}月〜{self.end.month}月"

    def year_before(self) -> "Period":
        return Period(add_months(self.start, -12), add_months(self.end, -12))


def fiscal_period(fiscal_year: int, as_of: dt.date) -> Period:
    """年度の4月1日から `as_of`（年度末まで）: the period 'actual to date' covers."""
    return Period(fiscal_year_start(fiscal_year), min(as_of, fiscal_year_end(fiscal_year)))


def _counts(
    periods: dict[str, Period], by: tuple[str, ...], where: Q | None = None
) -> list[dict[str, Any]]:
    """New contracts per group of `by`, one count per named period (a period that ends before
    it starts counts nothing): one GROUP BY statement."""
    within, counts = Q(pk__in=[]), {}
    for name, period in periods.items():
        start = day_start(period.start)
        end = day_start(period.end)
        issued = Q(issued_at__gte=start, issued_at__lt=end + dt.timedelta(days=1))
        within |= issued
        counts[name] = Count("pk", filter=issued)
    contracts = Contract.objects.filter(within, where or Q())
    return list(contracts.values(*by).annotate(**counts).order_by())


def _targets(fiscal_year: int) -> dict[tuple[str, str, str], PlanTarget]:
    return {
        (t.scheme, t.dimension, t.key): t
        for t in PlanTarget.objects.filter(fiscal_year=fiscal_year)
    }


@dataclass(frozen=True)
class Cell:
    """One scheme's figures on one line of the achievement table."""

    target: int | None
    actual: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.actual, self.target)


@dataclass(frozen=True)
class Line:
    label: str  # a block, an industry or 合計
    cells: dict[Scheme, Cell]


@dataclass(frozen=True)
class Achievement:
    fiscal_year: int
    period: Period
    blocks: list[Line]
    industries: list[Line]


def achievement(fiscal_year: int, as_of: dt.date) -> Achievement:
    """Target, new contracts from April to `as_of` and 達成率 per block and per industry, for
    both schemes (the layout of h29_block_results.csv), each table ending with 合計."""
    period = fiscal_period(fiscal_year, as_of)
    blocks: Counter[tuple[str, str]] = Counter()
    industries: Counter[tuple[str, str]] = Counter()
    for row in _counts({"actual": period}, _BY_PLACE):
        scheme, actual = str(row["scheme"]), int(row["actual"])
        blocks[scheme, block_of(str(row["party__prefecture_code"]))] += actual
        blocks[scheme, TOTAL_KEY] += actual
        industries[scheme, str(row["party__industry"])] += actual
        industries[scheme, TOTAL_KEY] += actual
    targets = _targets(fiscal_year)

    def lines(
        dimension: str, keys: tuple[str, ...], actual: Counter[tuple[str, str]]
    ) -> list[Line]:
        return [
            Line(
                TOTAL_KEY if key == TOTAL_KEY else key_label(dimension, key),
                {
                    scheme: Cell(_target(targets, scheme, dimension, key), actual[scheme, key])
                    for scheme in Scheme
                },
            )
            for key in (*keys, TOTAL_KEY)
        ]

    return Achievement(
        fiscal_year,
        period,
        lines(Dimension.BLOCK, BLOCKS, blocks),
        lines(Dimension.INDUSTRY, tuple(Industry.values), industries),
    )


def _target(
    targets: dict[tuple[str, str, str], PlanTarget], scheme: str, dimension: str, key: str
) -> int | None:
    found = targets.get((scheme, Dimension.TOTAL if key == TOTAL_KEY else dimension, key))
    return None if found is None else found.target


@dataclass(frozen=True)
class CampaignCell:
    months: tuple[int, ...]  # new contracts in each campaign month
    previous: int  # in the same days of the year before

    @property
    def total(self) -> int:
        return sum(self.months)

    @property
    def change_pct(self) -> Decimal | None:
        """前年同期比: this year's count as a percentage of last year's (120.0: a fifth more)."""
        return percent(self.total, self.previous)


@dataclass(frozen=True)
class CampaignLine:
    label: str
    cells: dict[Scheme, CampaignCell]


@dataclass(frozen=True)
class Campaign:
    fiscal_year: int
    months: tuple[Period, ...]
    previous: Period
    blocks: list[CampaignLine]
    industries: list[CampaignLine]


def campaign(fiscal_year: int, as_of: dt.date) -> Campaign:
    """全国加入促進強調月間 (10月・11月): new contracts per month of the campaign up to `as_of`,
    against the same days of the year before, per block and per industry, both schemes."""
    months = []
    for month in CAMPAIGN_MONTHS:
        first = dt.date(fiscal_year, month, 1)
        months.append(Period(first, min(add_months(first, 1) - dt.timedelta(days=1), as_of)))
    whole = Period(months[0].start, months[-1].end)
    names = {f"m{index}": period for index, period in enumerate(months)}
    rows = _counts({**names, "previous": whole.year_before()}, _BY_PLACE)
    blocks: dict[tuple[str, str], Counter[str]] = {}
    industries: dict[tuple[str, str], Counter[str]] = {}
    for row in rows:
        scheme = str(row["scheme"])
        for key in (block_of(str(row["party__prefecture_code"])), TOTAL_KEY):
            blocks.setdefault((scheme, key), Counter()).update(_ints(row, (*names, "previous")))
        for key in (str(row["party__industry"]), TOTAL_KEY):
            industries.setdefault((scheme, key), Counter()).update(_ints(row, (*names, "previous")))

    def lines(
        dimension: str, keys: tuple[str, ...], found: dict[tuple[str, str], Counter[str]]
    ) -> list[CampaignLine]:
        return [
            CampaignLine(
                TOTAL_KEY if key == TOTAL_KEY else key_label(dimension, key),
                {
                    scheme: CampaignCell(
                        tuple(found.get((scheme, key), Counter())[n] for n in names),
                        found.get((scheme, key), Counter())["previous"],
                    )
                    for scheme in Scheme
                },
            )
            for key in (*keys, TOTAL_KEY)
        ]

    return Campaign(
        fiscal_year,
        tuple(months),
        whole.year_before(),
        lines(Dimension.BLOCK, BLOCKS, blocks),
        lines(Dimension.INDUSTRY, tuple(Industry.values), industries),
    )


def _ints(row: dict[str, Any], names: tuple[str, ...]) -> dict[str, int]:
    return {name: int(row[name]) for name in names}


@dataclass(frozen=True)
class ModelLine:
    scheme: Scheme
    label: str  # the prefecture, or 全国 for the whole country
    block: str
    target: int | None
    actual: int
    previous: int  # the same days of the year before

    @property
    def rate(self) -> Decimal | None:
        return percent(self.actual, self.target)

    @property
    def change_pct(self) -> Decimal | None:
        return percent(self.actual, self.previous)


@dataclass(frozen=True)
class ModelPrefectures:
    fiscal_year: int
    period: Period
    lines: list[ModelLine]  # per scheme: its model prefectures, then 全国 to compare with


def model_prefectures(fiscal_year: int, as_of: dt.date) -> ModelPrefectures:
    """モデル都道府県運動: each model prefecture of the year's plan (per scheme), its new contracts
    to `as_of` against its target when the plan sets one and against the same days of the year
    before, and the whole country's growth beside it."""
    period = fiscal_period(fiscal_year, as_of)
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in _counts({"actual": period, "previous": period.year_before()},
                       ("scheme", "party__prefecture_code")):  # fmt: skip
        for name in ("actual", "previous"):
            count = int(row[name])
            counts[str(row["scheme"]), str(row["party__prefecture_code"]), name] += count
            counts[str(row["scheme"]), "", name] += count
    models = PlanTarget.objects.filter(
        fiscal_year=fiscal_year, dimension=Dimension.MODEL_PREFECTURE
    ).order_by("scheme", "key")
    chosen: dict[Scheme, list[PlanTarget]] = {scheme: [] for scheme in Scheme}
    for target in models:
        chosen[Scheme(target.scheme)].append(target)
    lines = []
    for scheme, targets in chosen.items():
        for t in targets:
            lines.append(ModelLine(scheme, PREFECTURE_NAME[t.key], block_of(t.key), t.target,
                                   counts[scheme, t.key, "actual"],
                                   counts[scheme, t.key, "previous"]))  # fmt: skip
        if targets:
            lines.append(ModelLine(scheme, "全国", "", None, counts[scheme, "", "actual"],
                                   counts[scheme, "", "previous"]))  # fmt: skip
    return ModelPrefectures(fiscal_year, period, lines)


@dataclass(frozen=True)
class RankRow:
    category: str  # Agency.Kind label
    rank: int
    prefecture: str  # blank for a nationwide agency (the city banks, 商工中金)
    name: str
    count: int


@dataclass(frozen=True)
class Ranking:
    scheme: Scheme
    fiscal_year: int
    period: Period
    top: int
    rows: list[RankRow]
    category_totals: list[tuple[str, int]]  # every agency of the category, not only the top


def agency_ranking(
    scheme: Scheme, fiscal_year: int, as_of: dt.date, top: int = RANKING_TOP
) -> Ranking:
    """団体・代理店 加入実績上位ランキング: new contracts per handling agency, ranked within its
    category by standard competition ranking (1, 2, 2, 4), ranks 1 to `top` with every tie of
    the last rank; ties are listed by prefecture code, then agency code, as published."""
    period = fiscal_period(fiscal_year, as_of)
    agency = ("handling_agency__kind", "handling_agency__prefecture_code",
              "handling_agency__code", "handling_agency__name")  # fmt: skip
    found = _counts({"count": period}, agency, Q(scheme=scheme, handling_agency__isnull=False))
    rows, totals = [], []
    for kind in CATEGORY_ORDER:
        agencies = sorted(
            (
                (int(r["count"]), str(r["handling_agency__prefecture_code"]),
                 str(r["handling_agency__code"]), str(r["handling_agency__name"]))
                for r in found
                if r["handling_agency__kind"] == kind
            ),
            key=lambda a: (-a[0], a[1], a[2]),
        )  # fmt: skip
        totals.append((str(kind.label), sum(a[0] for a in agencies)))
        ranks = competition_ranks([a[0] for a in agencies])
        rows += [
            RankRow(str(kind.label), rank, PREFECTURE_NAME.get(prefecture, ""), name, count)
            for rank, (count, prefecture, _, name) in zip(ranks, agencies, strict=True)
            if rank <= top
        ]
    return Ranking(scheme, fiscal_year, period, top, rows, totals)


def plan_of(fiscal_year: int, scheme: Scheme | None = None) -> list[PlanTarget]:
    """The year's 加入促進計画 lines (of one scheme, or of both), in the order they were given."""
    targets = PlanTarget.objects.filter(fiscal_year=fiscal_year)
    if scheme is not None:
        targets = targets.filter(scheme=scheme)
    return list(targets.order_by("scheme", "pk"))
