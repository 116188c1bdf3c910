"""Premium history and 掛金区分 (500円 slices), 法9条2項.

Each month's premium is cut into 500円 slices; slice k is the k-th 500円 of the monthly amount and
its 掛金納付月数 is the number of months in which the amount was at least 500·k. Slices added by an
increase start at 0 months; slices removed by a decrease keep the months they had (P4).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from kyosai.rules.calendar import add_months, month_of, months_between
from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.params import ParameterSet, Table, default_parameters

RANGE = "shokibo/monthly_premium_range"  # 法4条2項: 1,000–70,000円
SLICE_YEN = 500  # 1口 = 500円 (法4条2項: 五百円の整数倍)
FIRST_COVERED_MONTH = dt.date(2004, 4, 1)  # earlier premiums need the 平成15年政令308号 transition


@dataclass(frozen=True)
class PremiumSpan:
    """`months` consecutive months paid at `monthly_yen`, starting with `first_month`."""

    first_month: dt.date
    months: int
    monthly_yen: int

    def __post_init__(self) -> None:
        if self.months < 1:
            raise RuleError("月数は1以上で指定してください", "a span needs at least one month")
        if self.monthly_yen < SLICE_YEN or self.monthly_yen % SLICE_YEN:
            raise RuleError(
                f"掛金月額は500円の整数倍で指定してください（{yen_text(self.monthly_yen)}）",
                f"monthly amount {self.monthly_yen} is not a positive multiple of 500",
            )
        if month_of(self.first_month) < FIRST_COVERED_MONTH:
            raise RuleError(
                "平成16年3月以前の掛金は経過措置の計算が必要なため、対応していません",
                "premiums before 2004-04 need the transitional rules and are not supported",
            )

    @property
    def end_month(self) -> dt.date:
        """The first month after the span."""
        return add_months(month_of(self.first_month), self.months)


def check_history(
    spans: Sequence[PremiumSpan], params: ParameterSet | None = None
) -> tuple[PremiumSpan, ...]:
    """The spans in order, refusing an empty or overlapping history, and a monthly amount above
    the legal maximum of its time (法4条2項), which would also make slices without end."""
    ordered = tuple(sorted(spans, key=lambda span: span.first_month))
    if not ordered:
        raise RuleError("掛金の納付履歴がありません", "the premium history is empty")
    for before, after in pairwise(ordered):
        if month_of(after.first_month) < before.end_month:
            raise RuleError("納付履歴の期間が重なっています", "premium spans overlap")
    parameter = (params or default_parameters())[RANGE]
    for span in ordered:
        table = parameter.at(span.first_month).value
        if not isinstance(table, Table):
            raise TypeError(f"parameter {RANGE} is not a table")
        high = table.select("bound", "max").yen("yen")
        if span.monthly_yen > high:
            raise RuleError(
                f"掛金月額は{yen_text(high)}以下です（{yen_text(span.monthly_yen)}）",
                f"monthly amount {span.monthly_yen} above the maximum {high}",
            )
    return ordered


def history_text(spans: Sequence[PremiumSpan]) -> str:
    """The history as a member reads it: 2004-04から240か月 10,000円、…"""
    return "、".join(
        f"{span.first_month:%Y-%m}から{span.months}か月 {yen_text(span.monthly_yen)}"
        for span in spans
    )


def slice_months(spans: Sequence[PremiumSpan], until: dt.date | None = None) -> tuple[int, ...]:
    """掛金納付月数 of each slice (index 0 = slice 1), counting only months before `until`."""
    counts: list[int] = []
    for span in spans:
        months = span.months
        if until is not None:
            months = max(0, min(months, months_between(span.first_month, until)))
        for k in range(span.monthly_yen // SLICE_YEN):
            if k == len(counts):
                counts.append(0)
            counts[k] += months
    return tuple(counts)


def groups(months_by_slice: Sequence[int]) -> list[tuple[int, int, int]]:
    """Runs of slices with the same months, as (first slice, last slice, months), for the trace."""
    runs: list[tuple[int, int, int]] = []
    for index, months in enumerate(months_by_slice, start=1):
        if runs and runs[-1][2] == months:
            runs[-1] = (runs[-1][0], index, months)
        else:
            runs.append((index, index, months))
    return runs
