"""掛金: tosan_rules.md §2 (法4条・法14条・法15条) and §9 examples 6 and 8."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.tosan.premiums import (
    DecreaseReason,
    PremiumChangeDecision,
    premium_change,
    premiums_to_cap,
    prepayment_discount,
    prepayment_discount_payout,
    prepayment_limit,
    suspension,
)

D = dt.date
ON = D(2026, 4, 1)


@pytest.mark.parametrize("monthly", [0, 4_999, 7_000, 205_000, 210_000])
def test_monthly_outside_p1_is_malformed(monthly: int) -> None:
    with pytest.raises(RuleError):
        premiums_to_cap(monthly, on=ON)


@pytest.mark.parametrize(
    ("monthly", "months", "last"),
    [
        (200_000, 40, 200_000),  # §9 example 8: exactly 40 months
        (150_000, 54, 50_000),  # §9 example 8 [I]: the 54th month collects the remainder
        (5_000, 1_600, 5_000),
    ],
)
def test_months_to_cap_p2_example_8(monthly: int, months: int, last: int) -> None:
    quote = premiums_to_cap(monthly, on=ON)
    assert (quote.months, quote.last_payment_yen) == (months, last)
    assert quote.trace.is_provisional  # the remainder-only rule is unconfirmed


def test_cap_reached_and_exceeded() -> None:
    assert premiums_to_cap(100_000, paid_total_yen=8_000_000, on=ON).months == 0
    with pytest.raises(RuleError):
        premiums_to_cap(100_000, paid_total_yen=8_000_001, on=ON)


@pytest.mark.parametrize(
    ("monthly", "paid", "limit"),
    [
        (100_000, 0, 79),  # P17, SMRJ: 10万円 → 79 months
        (200_000, 0, 39),  # P17, SMRJ: 20万円 → 39 months
        (200_000, 7_600_000, 1),
        (200_000, 7_800_000, 0),
        (200_000, 8_000_000, 0),
    ],
)
def test_prepayment_limit_p17(monthly: int, paid: int, limit: int) -> None:
    assert prepayment_limit(monthly, paid_total_yen=paid, on=ON).max_months == limit


@pytest.mark.parametrize(
    ("monthly", "months", "prepaid_on", "amount"),
    [
        # §9 example 6 / P21, P23: 0.9/1000 from 2017-11-01
        (80_000, 11, D(2017, 11, 1), 4_752),
        (200_000, 11, D(2017, 11, 1), 11_880),
        # the day before: 5/1000
        (80_000, 11, D(2017, 10, 31), 26_400),
        (100_000, 1, D(2026, 4, 1), 90),
    ],
)
def test_prepayment_discount_p21(
    monthly: int, months: int, prepaid_on: dt.date, amount: int
) -> None:
    quote = prepayment_discount(monthly, months, prepaid_on=prepaid_on)
    assert quote.amount_yen == amount
    assert quote.cumulative_months == months * (months + 1) // 2


def test_prepayment_discount_fraction_is_floored_and_flagged() -> None:
    quote = prepayment_discount(5_000, 1, prepaid_on=ON)  # 5,000 × 0.09% = 4.5
    assert quote.amount_yen == 4
    assert any("端数" in w for w in quote.trace.warnings)
    with pytest.raises(RuleError):
        prepayment_discount(5_000, 0, prepaid_on=ON)


def test_june_payout_p22_example_6() -> None:
    carried = prepayment_discount_payout(4_752, year=2026)
    assert (carried.paid_yen, carried.payout_month, carried.carried_yen) == (0, None, 4_752)
    paid = prepayment_discount_payout(11_880, year=2026)
    assert (paid.paid_yen, paid.payout_month, paid.carried_yen) == (11_880, D(2026, 6, 1), 0)
    assert prepayment_discount_payout(5_000, year=2026).paid_yen == 5_000


def test_suspension_needs_40_times_monthly_p6() -> None:
    refused = suspension(7_950_000, 200_000, received_on=D(2026, 4, 3))
    assert not refused.allowed and refused.threshold_yen == 8_000_000
    assert refused.reasons[0].code == "total_below_suspension_threshold"
    on_time = suspension(8_000_000, 200_000, received_on=D(2026, 6, 5))
    assert on_time.allowed and on_time.stops_from_month == D(2026, 6, 1)
    late = suspension(8_000_000, 200_000, received_on=D(2026, 6, 8))
    assert late.stops_from_month == D(2026, 7, 1)


def _codes(decision: PremiumChangeDecision) -> list[str]:
    return [r.code for r in decision.reasons]


def test_increase_on_time_late_and_ahead_p9_p10() -> None:
    # received by the 5th: the wished month is debited at the new amount
    on_time = premium_change(50_000, 80_000, received_on=D(2026, 6, 5), desired_month=D(2026, 6, 1))
    assert on_time.allowed
    assert (on_time.applies_from_month, on_time.new_debit_from_month) == (
        D(2026, 6, 1),
        D(2026, 6, 1),
    )
    assert on_time.catch_up_yen == 0
    # 2026-05-05 is a holiday and 5/6 a substitute holiday: the cut-off moves to 5/7
    holiday = premium_change(50_000, 80_000, received_on=D(2026, 5, 7), desired_month=D(2026, 5, 1))
    assert holiday.new_debit_from_month == D(2026, 5, 1)
    # received on the 8th: the difference is added to next month's debit
    late = premium_change(50_000, 80_000, received_on=D(2026, 5, 8), desired_month=D(2026, 5, 1))
    assert (late.new_debit_from_month, late.catch_up_yen) == (D(2026, 6, 1), 30_000)
    # lodged the month before the wished month
    ahead = premium_change(50_000, 80_000, received_on=D(2026, 4, 20), desired_month=D(2026, 5, 1))
    assert ahead.allowed and ahead.new_debit_from_month == D(2026, 5, 1)
    too_far = premium_change(
        50_000, 80_000, received_on=D(2026, 4, 20), desired_month=D(2026, 6, 1)
    )
    assert _codes(too_far) == ["increase_too_far_ahead"]
    past = premium_change(50_000, 80_000, received_on=D(2026, 4, 20), desired_month=D(2026, 3, 1))
    assert _codes(past) == ["desired_month_past"]


def test_decrease_rules_p8_p10_p11() -> None:
    reason = DecreaseReason.HARDSHIP
    ok = premium_change(
        80_000,
        50_000,
        received_on=D(2026, 6, 8),
        desired_month=D(2026, 6, 1),
        decrease_reason=reason,
    )
    assert ok.allowed and ok.catch_up_yen == -30_000 and ok.new_debit_from_month == D(2026, 7, 1)
    no_reason = premium_change(
        80_000, 50_000, received_on=D(2026, 6, 1), desired_month=D(2026, 6, 1)
    )
    assert _codes(no_reason) == ["decrease_reason_missing"]
    early = premium_change(
        80_000,
        50_000,
        received_on=D(2026, 5, 20),
        desired_month=D(2026, 6, 1),
        decrease_reason=reason,
    )
    assert _codes(early) == ["decrease_lodged_early"]
    prepaying = premium_change(
        80_000,
        50_000,
        received_on=D(2026, 6, 1),
        desired_month=D(2026, 6, 1),
        decrease_reason=DecreaseReason.BUSINESS_SHRANK,
        prepayment_running=True,
    )
    assert _codes(prepaying) == ["decrease_during_prepayment"]
    assert not prepaying.allowed and prepaying.applies_from_month is None


def test_change_to_same_amount_is_malformed() -> None:
    with pytest.raises(RuleError):
        premium_change(50_000, 50_000, received_on=ON, desired_month=ON)


def test_prepayment_discount_months_must_fit_under_the_cap_p17() -> None:
    # 10万円 at joining: at most 79 months (P17); with 7,000,000 paid, at most 9.
    assert prepayment_discount(100_000, 79, prepaid_on=D(2026, 4, 1)).cumulative_months == 3160
    with pytest.raises(RuleError, match="79か月"):
        prepayment_discount(100_000, 80, prepaid_on=D(2026, 4, 1))
    with pytest.raises(RuleError, match="9か月"):
        prepayment_discount(100_000, 10, prepaid_on=D(2026, 4, 1), paid_total_yen=7_000_000)
