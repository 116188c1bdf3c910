"""Business days, debit days, the 5th cut-off, fiscal years and 和暦."""

import datetime as dt

import pytest

from kyosai.rules import calendar
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme

D = dt.date


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (D(2026, 11, 24), True),  # Tuesday
        (D(2026, 11, 23), False),  # 勤労感謝の日
        (D(2026, 11, 21), False),  # Saturday
        (D(2026, 12, 30), True),
        (D(2026, 12, 31), False),  # bank holiday (銀行法施行令5条)
        (D(2027, 1, 2), False),
        (D(2027, 1, 4), True),
        (D(2026, 5, 6), False),  # 振替休日 for 憲法記念日
    ],
)
def test_bank_business_days(day: dt.date, open_: bool) -> None:
    assert calendar.is_business_day(day) is open_


@pytest.mark.parametrize(
    ("scheme", "month", "debit_on"),
    [
        (Scheme.TOSAN, D(2026, 11, 1), D(2026, 11, 27)),  # Friday
        (Scheme.TOSAN, D(2026, 12, 1), D(2026, 12, 28)),  # 27th is a Sunday
        (Scheme.TOSAN, D(2026, 6, 15), D(2026, 6, 29)),  # 27th Saturday; any day names the month
        (Scheme.SHOKIBO, D(2027, 1, 1), D(2027, 1, 18)),
        (Scheme.SHOKIBO, D(2026, 10, 1), D(2026, 10, 19)),  # 18th is a Sunday
        (Scheme.SHOKIBO, D(2027, 9, 1), D(2027, 9, 21)),  # 18th Sat, 20th 敬老の日
    ],
)
def test_debit_day_moves_to_the_next_business_day(
    scheme: Scheme, month: dt.date, debit_on: dt.date
) -> None:
    assert calendar.debit_date(scheme, month) == debit_on


@pytest.mark.parametrize(
    ("month", "cutoff_on"),
    [
        (D(2026, 11, 1), D(2026, 11, 5)),
        (D(2026, 12, 1), D(2026, 12, 7)),  # 5th is a Saturday
        (D(2027, 5, 1), D(2027, 5, 6)),  # 5/3–5/5 holidays: こどもの日 on the 5th
    ],
)
def test_cutoff_is_the_5th_or_the_next_business_day(month: dt.date, cutoff_on: dt.date) -> None:
    assert calendar.cutoff_date(month) == cutoff_on


def test_fiscal_year_runs_april_to_march() -> None:
    assert calendar.fiscal_year(D(2027, 3, 31)) == 2026
    assert calendar.fiscal_year(D(2027, 4, 1)) == 2027
    assert calendar.fiscal_year_start(2026) == D(2026, 4, 1)
    assert calendar.fiscal_year_end(2026) == D(2027, 3, 31)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2026, 11, 23), "令和8年11月23日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1989, 1, 8), "平成元年1月8日"),
    ],
)
def test_wareki(day: dt.date, text: str) -> None:
    assert calendar.wareki(day) == text


def test_wareki_month_only() -> None:
    assert calendar.wareki(D(2026, 4, 1), with_day=False) == "令和8年4月"


def test_months_are_counted_from_an_anchor_without_drift() -> None:
    anchor = D(2026, 1, 31)
    assert [calendar.add_months(anchor, n) for n in (1, 2, 13)] == [
        D(2026, 2, 28),
        D(2026, 3, 31),  # not 3/28, as chaining +1 month would give
        D(2027, 2, 28),
    ]
    assert calendar.months_between(D(2025, 1, 1), D(2025, 7, 20)) == 6
    assert calendar.month_of(D(2025, 7, 20)) == D(2025, 7, 1)


def test_deadlines() -> None:
    # tosan_rules §9 example 9: a 倒産 on 2025-07-20 must be claimed by 2026-01-20 [I].
    assert calendar.deadline_within_months(D(2025, 7, 20), 6) == D(2026, 1, 20)
    # tosan_rules §6 X3: 2年を経過する日 after a cancellation on 2024-10-01 is 2026-09-30 [I].
    assert calendar.day_before_anniversary(D(2024, 10, 1), 2) == D(2026, 9, 30)


@pytest.mark.parametrize(
    ("on", "next_on"),
    [
        (D(2026, 11, 27), D(2026, 11, 27)),  # the debit day itself
        (D(2026, 11, 28), D(2026, 12, 28)),  # after it: next month's, moved off a Sunday
        (D(2026, 12, 31), D(2027, 1, 27)),
    ],
)
def test_next_debit_date_is_on_or_after(on: dt.date, next_on: dt.date) -> None:
    assert calendar.next_debit_date(Scheme.TOSAN, on) == next_on


def test_months_beyond_the_calendar_are_bad_input_not_a_crash() -> None:
    with pytest.raises(RuleError, match="範囲外"):
        calendar.add_months(D(2026, 1, 1), -100_000)
