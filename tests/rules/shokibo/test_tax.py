"""退職所得控除 (所得税法30条; shokibo_rules.md §7 X6 and §10 W15)."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.tax import retirement_income_deduction

ON = dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("months", "years", "expected"),
    [
        (240, 20, 8_000_000),  # W15: 勤続20年 → 40万 × 20
        (241, 21, 8_700_000),  # W15: 21年 → 800万 + 70万 × 1 (part year counted as a year [I])
        (6, 1, 800_000),  # X6: 1 year → the minimum 80万
        (12, 1, 800_000),
        (13, 2, 800_000),  # 2 years: 40万 × 2
        (36, 3, 1_200_000),
        (360, 30, 15_000_000),  # 800万 + 70万 × 10
    ],
)
def test_retirement_income_deduction_w15_x6(months: int, years: int, expected: int) -> None:
    quote = retirement_income_deduction(months, paid_on=ON)
    assert (quote.years, quote.amount_yen) == (years, expected)


def test_disability_adds_one_million_x6() -> None:
    assert retirement_income_deduction(240, paid_on=ON, disability=True).amount_yen == 9_000_000


def test_no_months_is_bad_input() -> None:
    with pytest.raises(RuleError):
        retirement_income_deduction(0, paid_on=ON)
