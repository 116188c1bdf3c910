"""一般貸付け (L1–L6, §5.3): limit, term edges by amount and W16's provisional interest."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.loans import general_loan_limit, general_loan_schedule

ON = dt.date(2025, 4, 30)


@pytest.mark.parametrize(
    ("premiums", "months", "outstanding", "on", "expected"),
    [
        (110_000, 11, 0, ON, 0),  # [S] 12 months needed
        (120_000, 12, 0, ON, 0),  # 84,000 < 10万 minimum
        (150_000, 15, 0, ON, 100_000),  # 105,000 → 100,000 (5万 steps)
        (2_400_000, 240, 0, ON, 2_150_000),  # 2,160,000 → 5万 steps
        (2_400_000, 240, 160_000, ON, 2_000_000),
        (2_400_000, 240, 2_200_000, ON, 0),  # nothing left
        (30_000_000, 400, 0, ON, 20_000_000),  # 2,000万 cap (2016-04-01)
        (30_000_000, 400, 5_000_000, ON, 15_000_000),  # combined 2,000万 cap
        (30_000_000, 400, 0, dt.date(2016, 3, 31), 10_000_000),  # 1,000万 before 2016-04
        (30_000_000, 400, 0, dt.date(2016, 4, 1), 20_000_000),
    ],
)
def test_general_loan_limit(
    premiums: int, months: int, outstanding: int, on: dt.date, expected: int
) -> None:
    quote = general_loan_limit(premiums, months, on=on, outstanding_loans_yen=outstanding)
    assert quote.limit_yen == expected
    assert quote.trace.is_provisional  # the 7–9割 steps are provisional


@pytest.mark.parametrize(
    ("amount", "terms"),
    [
        (100_000, (6, 12)),
        (1_000_000, (6, 12)),
        (1_050_000, (6, 12, 24)),
        (3_000_000, (6, 12, 24)),
        (3_050_000, (6, 12, 24, 36)),
        (5_000_000, (6, 12, 24, 36)),
        (5_050_000, (6, 12, 24, 36, 60)),
        (20_000_000, (6, 12, 24, 36, 60)),
    ],
)
def test_terms_by_amount_l4(amount: int, terms: tuple[int, ...]) -> None:
    assert general_loan_schedule(amount, 6, drawn_on=ON).terms_months == terms


def test_w16_interest_prepaid_every_six_months() -> None:
    # W16 [I]: 300万 over 24 months at 1.5%, interest 6/12 of the annual rate in advance.
    quote = general_loan_schedule(3_000_000, 24, drawn_on=ON)
    assert [(p.principal_yen, p.interest_yen) for p in quote.payments] == [
        (0, 22_500),
        (750_000, 16_875),
        (750_000, 11_250),
        (750_000, 5_625),
        (750_000, 0),
    ]
    assert quote.total_interest_yen == 56_250
    assert quote.payments[-1].due_on == dt.date(2027, 4, 30)
    assert quote.trace.is_provisional


def test_short_loans_repay_at_the_end_with_all_interest_in_advance() -> None:
    quote = general_loan_schedule(1_000_000, 12, drawn_on=ON)
    assert [(p.principal_yen, p.interest_yen) for p in quote.payments] == [
        (0, 15_000),
        (1_000_000, 0),
    ]


def test_uneven_principal_goes_to_the_last_repayment() -> None:
    quote = general_loan_schedule(3_050_000, 36, drawn_on=ON)
    principals = [p.principal_yen for p in quote.payments[1:]]
    assert principals == [508_333] * 5 + [508_335]


@pytest.mark.parametrize(
    ("amount", "term"),
    [(50_000, 6), (20_050_000, 6), (1_020_000, 6), (1_000_000, 24), (5_000_000, 60)],
)
def test_bad_amount_or_term_is_refused(amount: int, term: int) -> None:
    with pytest.raises(RuleError):
        general_loan_schedule(amount, term, drawn_on=ON)


def test_negative_input_is_refused() -> None:
    with pytest.raises(RuleError):
        general_loan_limit(-1, 12, on=ON)
