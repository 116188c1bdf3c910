"""解約手当金: tosan_rules.md §9 examples 1–2 and the band edges of 施行令4条 (table §3.2)."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.tosan.refund import CancellationType, PremiumAccount, cancellation_refund

ON = dt.date(2026, 11, 1)
V, D, OP = CancellationType.VOLUNTARY, CancellationType.DEEMED, CancellationType.OPERATOR


@pytest.mark.parametrize(
    ("monthly", "months", "kind", "expected"),
    [
        # §9 example 1: 50,000円 × 30 months (施行令4条, 30–35 band)
        (50_000, 30, V, 1_350_000),
        (50_000, 30, D, 1_425_000),
        (50_000, 30, OP, 1_275_000),
        # §9 example 2: band edges at 200,000円/month
        (200_000, 39, V, 7_410_000),
        (200_000, 40, V, 8_000_000),
        (200_000, 40, OP, 7_600_000),
        (200_000, 11, V, 0),
        (200_000, 11, D, 0),
        (200_000, 11, OP, 0),
        (200_000, 36, D, 7_200_000),
        # each side of every band edge (施行令4条二号, 任意解約)
        (10_000, 12, V, 96_000),
        (10_000, 23, V, 184_000),
        (10_000, 24, V, 204_000),
        (10_000, 29, V, 246_500),
        (10_000, 35, V, 315_000),
        (10_000, 36, V, 342_000),
        (10_000, 39, V, 370_500),
    ],
)
def test_refund_worked_examples_tosan_rules_s9(
    monthly: int, months: int, kind: CancellationType, expected: int
) -> None:
    account = PremiumAccount(premiums_paid_yen=monthly * months, months_paid=months)
    quote = cancellation_refund(account, cancellation=kind, on=ON)
    assert quote.amount_yen == expected
    assert "tosan/refund_rate" in [use.name for use in quote.trace.parameters]


def test_refund_excludes_loan_tenth_and_unarrived_prepayment_s3_3() -> None:
    # §9 example 3: after a 27,000,000円 loan, 3,000,000 − 2,700,000 = 300,000 × 90% = 270,000.
    account = PremiumAccount(
        premiums_paid_yen=3_000_000, months_paid=30, kyosaikin_loans_yen=(27_000_000,)
    )
    assert cancellation_refund(account, cancellation=V, on=ON).amount_yen == 270_000
    # 6 prepaid months not yet arrived count neither in the total nor in the months (P20).
    prepaid = PremiumAccount(
        premiums_paid_yen=100_000 * 30,
        months_paid=30,
        prepaid_unarrived_months=6,
        prepaid_unarrived_yen=600_000,
    )
    quote = cancellation_refund(prepaid, cancellation=V, on=ON)
    assert (quote.months, quote.eligible_total_yen, quote.amount_yen) == (24, 2_400_000, 2_040_000)


def test_refund_rejects_inconsistent_input() -> None:
    with pytest.raises(RuleError):
        PremiumAccount(premiums_paid_yen=-1, months_paid=0)
    with pytest.raises(RuleError):
        PremiumAccount(premiums_paid_yen=0, months_paid=1, prepaid_unarrived_months=2)


def test_a_total_above_the_cap_is_refused_p2() -> None:
    # 掛金総額 stops at 8,000,000円 (P2), so a larger eligible total cannot be real input.
    account = PremiumAccount(premiums_paid_yen=200_000 * 41, months_paid=41)
    with pytest.raises(RuleError, match="積立限度額"):
        cancellation_refund(account, cancellation=V, on=ON)
    # After a loan's 1/10 forfeiture, more than 8,000,000 may have been collected in all.
    refilled = PremiumAccount(
        premiums_paid_yen=8_500_000, months_paid=60, kyosaikin_loans_yen=(5_000_000,)
    )
    assert cancellation_refund(refilled, cancellation=V, on=ON).eligible_total_yen == 8_000_000
