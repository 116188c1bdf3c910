"""Business days, debit days, cut-offs, fiscal years, 和暦 and month arithmetic.

Bank business days exclude Saturdays, Sundays, national holidays and the bank holidays 12/31–1/3
(銀行法第15条, 銀行法施行令第5条); the `holidays` package's Japan calendar with the "bank"
category gives exactly those. Months are represented by the date of their first day, and a month
n months after an anchor is always `anchor + relativedelta(months=n)`, never chained.
"""

import datetime as dt
from functools import cache

from dateutil.relativedelta import relativedelta
from holidays import HolidayBase
from holidays.countries.japan import Japan
from japanera import EraDate

from kyosai.rules.errors import RuleError
from kyosai.rules.params import ParameterSet, default_parameters
from kyosai.rules.scheme import Scheme


@cache
def _bank_holidays() -> HolidayBase:
    return Japan(categories=("public", "bank"))


def is_business_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays()


def next_business_day(day: dt.date) -> dt.date:
    """`day` itself when banks are open, else the next day they are (翌営業日)."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_business_day(day: dt.date) -> dt.date:
    """`day` itself when banks are open, else the last day before it they are (前営業日)."""
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


def month_of(day: dt.date) -> dt.date:
    """The month containing `day`, as its first day."""
    return day.replace(day=1)


def add_months(anchor: dt.date, months: int) -> dt.date:
    """`anchor` moved by whole months; the day is clamped to the month's end (1/31 + 1 = 2/28)."""
    try:
        result: dt.date = anchor + relativedelta(months=months)
    except (ValueError, OverflowError):
        raise RuleError(
            f"{anchor.isoformat()} から{months}か月後は扱える日付の範囲外です",
            f"{anchor.isoformat()} + {months} months is out of the date range",
        ) from None
    return result


def months_between(start: dt.date, end: dt.date) -> int:
    """Calendar months from the month of `start` to the month of `end` (2025-01 → 2025-07 = 6)."""
    return (end.year - start.year) * 12 + end.month - start.month


def month_index(day: dt.date) -> int:
    """The month of `day` as one integer (year × 12 + month − 1), for month arithmetic in SQL."""
    return day.year * 12 + day.month - 1


def month_at(index: int) -> dt.date:
    """The first day of the month `index` (the inverse of month_index)."""
    return dt.date(index // 12, index % 12 + 1, 1)


def deadline_within_months(start: dt.date, months: int) -> dt.date:
    """Last day of "within N months of `start`": the same day N months later, inclusive.

    The references do not confirm the end-day convention (tosan_rules §10); this is the usual
    reading of 「…から6か月以内」 and the one place to change it.
    """
    return add_months(start, months)


def day_before_anniversary(start: dt.date, years: int) -> dt.date:
    """「同日以後N年を経過する日」: the day before the N-th anniversary of `start`."""
    return start + relativedelta(years=years) - dt.timedelta(days=1)


def debit_date(scheme: Scheme, month: dt.date, params: ParameterSet | None = None) -> dt.date:
    """振替日 of `month`: the scheme's debit day, or the next business day (tosan 27th, shokibo 18th)."""
    params = params or default_parameters()
    day = params[f"{scheme}/debit_day"].whole_at(month)
    return next_business_day(month_of(month).replace(day=day))


def next_debit_date(scheme: Scheme, on: dt.date, params: ParameterSet | None = None) -> dt.date:
    """The first 振替日 on or after `on`."""
    this_month = debit_date(scheme, on, params)
    if this_month >= on:
        return this_month
    return debit_date(scheme, add_months(month_of(on), 1), params)


def cutoff_date(month: dt.date, params: ParameterSet | None = None) -> dt.date:
    """The 5th of `month` or the next business day: a change received by then applies that month."""
    params = params or default_parameters()
    day = params["common/change_cutoff_day"].whole_at(month)
    return next_business_day(month_of(month).replace(day=day))


def fiscal_year(day: dt.date) -> int:
    """年度 (April to March), named by the calendar year it starts in: 2027-03-31 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_start(year: int) -> dt.date:
    return dt.date(year, 4, 1)


def fiscal_year_end(year: int) -> dt.date:
    return dt.date(year + 1, 3, 31)


def wareki(day: dt.date, *, with_day: bool = True) -> str:
    """和暦: 2026-11-23 → 令和8年11月23日; the first year of an era is 元年 (2019-05-01 → 令和元年5月1日)."""
    era_date = EraDate(day.year, day.month, day.day)
    era_name: str = era_date.era.kanji
    era_year: int = day.year - era_date.era.since.year + 1
    year_text = "元" if era_year == 1 else str(era_year)
    text = f"{era_name}{year_text}年{day.month}月"
    return f"{text}{day.day}日" if with_day else text


# gen:era of the NTA's e-Tax schemas (General.xsd): 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和.
ERA_CODES = {"明治": 1, "大正": 2, "昭和": 3, "平成": 4, "令和": 5}


def wareki_parts(day: dt.date) -> tuple[int, int]:
    """(era code, year of the era) as e-Tax writes a date: 2026-11-23 → (5, 8)."""
    era = EraDate(day.year, day.month, day.day).era
    return ERA_CODES[era.kanji], day.year - era.since.year + 1
