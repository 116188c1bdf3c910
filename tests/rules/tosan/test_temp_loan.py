"""一時貸付金: tosan_rules.md §5 (法10条) and §9 example 5."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.tosan.refund import PremiumAccount
from kyosai.rules.tosan.temp_loan import temp_loan, temp_loan_interest

D = dt.date
ON = D(2026, 4, 1)


def account(monthly: int, months: int) -> PremiumAccount:
    return PremiumAccount(premiums_paid_yen=monthly * months, months_paid=months)


def test_example_5_t2_t5() -> None:
    # §9 example 5: 2,400,000 × 80% × 95% = 1,824,000 → 1,800,000; interest 0.9% [I] 16,200
    quote = temp_loan(account(100_000, 24), received_on=ON)
    assert quote.available
    assert (quote.ceiling_yen, quote.principal_yen, quote.interest_yen) == (
        1_800_000,
        1_800_000,
        16_200,
    )
    assert quote.trace.is_provisional  # the current rate is unconfirmed for 2024–2026


@pytest.mark.parametrize(
    ("monthly", "months", "ceiling", "available"),
    [
        (200_000, 40, 7_600_000, True),  # special row: total exactly 8,000,000
        (195_000, 41, 7_200_000, True),  # 7,995,000 × 95% × 95% = 7,215,487 → 7,200,000
        (10_000, 12, 50_000, False),  # 120,000 × 75% × 95% = 85,500 → below 300,000
        (100_000, 12, 850_000, True),  # 1,200,000 × 75% × 95% = 855,000
        (100_000, 30, 2_400_000, True),  # 3,000,000 × 85% × 95% = 2,422,500
        (100_000, 36, 3_050_000, True),  # 3,600,000 × 90% × 95% = 3,078,000
    ],
)
def test_ceiling_bands_t2(monthly: int, months: int, ceiling: int, available: bool) -> None:
    quote = temp_loan(account(monthly, months), received_on=ON)
    assert (quote.ceiling_yen, quote.available) == (ceiling, available)


def test_eleven_months_gives_nothing_t1() -> None:
    quote = temp_loan(account(200_000, 11), received_on=ON)  # §9 example 5
    assert not quote.available and quote.ceiling_yen == 0
    assert [r.code for r in quote.reasons] == ["too_few_months", "below_minimum"]


def test_minimum_edges_t3() -> None:
    # 421,053 × 75% × 95% = 300,000.26 → 300,000: available; 250,000 side: not
    just = PremiumAccount(premiums_paid_yen=421_053, months_paid=12)
    assert temp_loan(just, received_on=ON).ceiling_yen == 300_000
    below = PremiumAccount(premiums_paid_yen=400_000, months_paid=12)  # 285,000 → 250,000
    quote = temp_loan(below, received_on=ON)
    assert quote.ceiling_yen == 250_000 and not quote.available


def test_outstanding_loans_and_one_at_a_time_t2_t8() -> None:
    acc = account(100_000, 24)
    netted = temp_loan(acc, received_on=ON, outstanding_kyosaikin_yen=1_000_000)
    assert netted.ceiling_yen == 800_000
    blocked = temp_loan(acc, received_on=ON, outstanding_temp_loan_yen=500_000)
    assert [r.code for r in blocked.reasons] == ["temp_loan_outstanding"]
    assert blocked.ceiling_yen == 1_300_000
    renewal = temp_loan(acc, received_on=ON, outstanding_temp_loan_yen=1_800_000, renewal=True)
    assert renewal.available and renewal.ceiling_yen == 1_800_000


def test_requested_amounts_t3() -> None:
    acc = account(100_000, 24)
    ok = temp_loan(acc, received_on=ON, requested_yen=300_000)
    assert (ok.principal_yen, ok.interest_yen) == (300_000, 2_700)
    for bad in (250_000, 320_000):
        quote = temp_loan(acc, received_on=ON, requested_yen=bad)
        assert [r.code for r in quote.reasons] == ["request_not_lendable"]
    over = temp_loan(acc, received_on=ON, requested_yen=1_850_000)
    assert [r.code for r in over.reasons] == ["request_above_ceiling"]


def test_legacy_ceiling_t2() -> None:
    acc = account(80_000, 40)  # 3,200,000
    assert temp_loan(acc, received_on=ON).ceiling_yen == 2_850_000
    assert temp_loan(acc, received_on=ON, legacy_ceiling=True).ceiling_yen == 3_000_000
    with pytest.raises(RuleError):
        temp_loan(account(80_000, 39), received_on=ON, legacy_ceiling=True)
    with pytest.raises(RuleError):
        temp_loan(acc, received_on=ON, outstanding_kyosaikin_yen=-1)


@pytest.mark.parametrize(
    ("received_on", "interest"),
    [
        # T5: the rate on the day SMRJ receives the request
        (D(2009, 4, 22), 27_000),  # 1.5% [I since when]
        (D(2009, 4, 23), 9_000),  # 0.5%
        (D(2011, 3, 31), 9_000),
        (D(2011, 4, 1), 16_200),  # 0.9%
    ],
)
def test_interest_rate_dates_t5(received_on: dt.date, interest: int) -> None:
    assert temp_loan_interest(1_800_000, received_on=received_on).interest_yen == interest


def test_interest_fraction_is_floored() -> None:
    quote = temp_loan_interest(333, received_on=ON)  # 2.997 → 2
    assert quote.interest_yen == 2 and any("端数" in w for w in quote.trace.warnings)
    with pytest.raises(RuleError):
        temp_loan_interest(-1, received_on=ON)
