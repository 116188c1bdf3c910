"""掛金月額 and its changes (法4条, P1–P3), 前納減額金 (P12, W17)."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.premiums import (
    DecreaseReason,
    check_monthly_premium,
    check_premium_change,
    prepayment_discount,
    prepayment_limit,
)

ON = dt.date(2020, 4, 1)


@pytest.mark.parametrize(
    ("monthly", "allowed"),
    [(500, False), (1_000, True), (1_500, True), (1_250, False), (70_000, True), (70_500, False)],
)
def test_monthly_range_law_4_2(monthly: int, allowed: bool) -> None:
    decision = check_monthly_premium(monthly, on=ON)
    assert decision.allowed is allowed
    assert [r.code for r in decision.reasons] == ([] if allowed else ["monthly_out_of_range"])


@pytest.mark.parametrize(
    ("applied_on", "reason", "allowed"),
    [
        (dt.date(2016, 3, 31), None, False),  # P3: a reason was needed until 2016-03-31
        (dt.date(2016, 3, 31), DecreaseReason.PAYMENT_DIFFICULTY, True),
        (dt.date(2016, 4, 1), None, True),  # P3: none needed from 2016-04-01
    ],
)
def test_decrease_reason_each_side_of_2016_04_01(
    applied_on: dt.date, reason: DecreaseReason | None, allowed: bool
) -> None:
    change = check_premium_change(30_000, 10_000, applied_on=applied_on, reason=reason)
    assert change.allowed is allowed
    if allowed:
        # The month a decrease applies is unconfirmed: the application month, flagged as such.
        assert change.effective_month == applied_on.replace(day=1)
        assert change.trace.is_provisional
    else:
        assert change.effective_month is None
        assert change.reasons[0].code == "decrease_reason_required"


def test_increase_applies_from_the_application_month_p2() -> None:
    change = check_premium_change(10_000, 20_000, applied_on=dt.date(2025, 7, 20))
    assert change.allowed
    assert change.effective_month == dt.date(2025, 7, 1)


def test_change_must_change_and_stay_in_range() -> None:
    same = check_premium_change(10_000, 10_000, applied_on=ON)
    assert [r.code for r in same.reasons] == ["no_change"]
    over = check_premium_change(10_000, 80_000, applied_on=ON)
    assert (over.allowed, over.effective_month) == (False, None)


@pytest.mark.parametrize(
    ("monthly", "months", "expected"),
    [
        (10_000, 11, 594),  # W17: 10,000 × 0.9/1000 × 66 ([S] f62.dt10.net)
        (10_000, 12, 702),  # 1+…+12 = 78
        (10_000, 13, 810),  # the 13th month counts as 12: 90
        (10_000, 0, 0),
        (1_500, 1, 1),  # 1.35 floored
    ],
)
def test_prepayment_discount_w17(monthly: int, months: int, expected: int) -> None:
    quote = prepayment_discount(monthly, months, on=ON)
    assert quote.amount_yen == expected
    assert quote.trace.is_provisional  # the rate and the 12-month cap are unconfirmed
    assert any("繰り越" in warning for warning in quote.trace.warnings)


def test_prepayment_discount_large_amount_is_not_carried_and_bad_input_refused() -> None:
    quote = prepayment_discount(70_000, 120, on=ON)
    assert quote.counted_months == 78 + 12 * 108
    assert not any("繰り越" in warning for warning in quote.trace.warnings)
    with pytest.raises(RuleError):
        prepayment_discount(10_000, -1, on=ON)


@pytest.mark.parametrize("monthly", [0, 999, 70_500])
def test_prepayment_discount_needs_a_valid_monthly_premium_p1(monthly: int) -> None:
    # 法4条2項: 1,000–70,000円 in 500円 steps.
    with pytest.raises(RuleError, match="掛金月額は1,000円以上70,000円以下"):
        prepayment_discount(monthly, 11, on=ON)


def test_prepayment_limit_is_an_unconfirmed_parameter_p11() -> None:
    # P11 (http://www.smrj.go.jp/skyosai/051297.html): 前納 is allowed; the references give no
    # maximum, so 11 months ahead of the debit month (one year with it) is a parameter to confirm.
    limit = prepayment_limit(on=ON)
    assert limit.max_months == 11
    assert limit.trace.is_provisional
