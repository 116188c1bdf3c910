"""オンライン利用率 scorecard: which procedures count, their targets, and the arithmetic of the
figures (shares to 0.1 %, percentiles), kept pure so that every report computes them one way.

Source: 資料3「オンライン利用率引上げの基本計画に係る進捗状況」(中小機構, 令和7年12月) 1.(2): the
target procedures are, for 小規模企業共済, 加入関係手続, 保全関係手続（掛金月額変更）, 掛金納付月数の通算申出
and 給付関係手続; for 倒産防止共済, 加入関係手続, 保全関係手続（掛金月額変更） and 解約関係手続; each with a
利用目標 and the month online applications began (令和5年9月, or 令和7年9月22日 for the later three).
One parameter file per procedure (`common/online_usage/<scheme>_<kind>.yaml`): its first date is
when online applications began (the rate is not counted before), its value the target in force.
The rate is the share of the procedure's applications made online (資料3 2.(3), the table of
単月 and 期間集計 columns; 期間集計 is the cumulative share over the period, not a mean of months).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kyosai.rules.calendar import add_months, fiscal_year, fiscal_year_start, month_of
from kyosai.rules.params import ParameterSet, Status, default_parameters

PREFIX = "common/online_usage/"
REIWA_FIRST_YEAR = 2019


@dataclass(frozen=True)
class OnlineProcedure:
    key: str  # <scheme>_<kind>, as the published table names its rows
    scheme: str
    kind: str
    label: str  # Japanese, as the published table labels the row
    online_from: dt.date  # the day online applications began


@dataclass(frozen=True)
class Target:
    rate: Decimal  # 0.20 for 20 %
    valid_from: dt.date
    status: Status
    note: str


LABELS = {
    "shokibo_enrollment": "(小) 加入手続き",
    "shokibo_premium_change": "(小) 保全手続き",
    "shokibo_tsusan": "(小) 通算申出",
    "shokibo_benefit_claim": "(小) 給付手続き",
    "tosan_enrollment": "(倒) 加入手続き",
    "tosan_premium_change": "(倒) 保全手続き",
    "tosan_cancellation": "(倒) 解約手続き",
}


def online_procedures(params: ParameterSet | None = None) -> list[OnlineProcedure]:
    """The procedures the rate is reported for, in the published table's order."""
    params = params or default_parameters()
    found = []
    for key, label in LABELS.items():
        scheme, kind = key.split("_", 1)
        first = params[PREFIX + key].values[0].valid_from
        found.append(OnlineProcedure(key, scheme, kind, label, first))
    return found


def target(key: str, on: dt.date, params: ParameterSet | None = None) -> Target | None:
    """The target in force on `on`, or None before online applications began."""
    parameter = (params or default_parameters())[PREFIX + key]
    if parameter.values[0].valid_from > on:
        return None
    value = parameter.at(on)
    assert isinstance(value.value, Decimal)
    return Target(value.value, value.valid_from, value.status, value.note)


def percentile(histogram: Iterable[tuple[int, int]], fraction: Decimal) -> Decimal | None:
    """PostgreSQL's percentile_cont over values given as (value, how many), in any order:
    the value at position 1 + fraction × (n − 1) of the sorted values, interpolated linearly
    between the two values around it. None for no values."""
    counts = sorted((value, count) for value, count in histogram if count > 0)
    n = sum(count for _, count in counts)
    if n == 0:
        return None
    position = fraction * (n - 1)  # 0-based
    below = int(position)  # the index of the value at or below the position
    weight = position - below
    lower = _nth(counts, below)
    if weight == 0:
        return Decimal(lower)
    upper = _nth(counts, below + 1)
    return Decimal(lower) + weight * (upper - lower)


def _nth(counts: Sequence[tuple[int, int]], index: int) -> int:
    """The index-th (0-based) value of the sorted values the counts stand for."""
    seen = 0
    for value, count in counts:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def month_label(month: dt.date) -> str:
    """The published table's column label: 2023-09 → R5.9 (令和)."""
    return f"R{month.year - REIWA_FIRST_YEAR + 1}.{month.month}"


@dataclass(frozen=True)
class Period:
    """A run of months counted together (期間集計): first and last month inclusive."""

    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        return f"{month_label(self.first)}-{month_label(self.last)}"

    def months(self) -> list[dt.date]:
        return months_between(self.first, self.last)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included (first days of the months)."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def fiscal_periods(first: dt.date, last: dt.date) -> list[Period]:
    """The fiscal years (April–March) from `first` to `last` month, each cut to that range: the
    published table's 期間集計 columns (R5.9-R6.3, R6.4-R7.3, R7.4-R7.9)."""
    periods = []
    year = fiscal_year(first)
    while fiscal_year_start(year) <= last:
        start = max(month_of(first), fiscal_year_start(year))
        end = min(month_of(last), dt.date(year + 1, 3, 1))
        periods.append(Period(start, end))
        year += 1
    return periods
