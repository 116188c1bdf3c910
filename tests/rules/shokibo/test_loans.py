"""契約者貸付け (shokibo_rules §5 L1–L6, §5.3, W16): the limit of each kind on the 基準日's
premiums with the combined cap, the amount and term a kind allows, the schedule with interest in
advance, and the late interest."""

import datetime as dt
from decimal import Decimal

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.loans import (
    LoanKind,
    check_amount_and_term,
    late_interest,
    limit_base_date,
    loan_limit,
    loan_schedule,
    terms_offered,
)

ON = dt.date(2025, 4, 30)
GENERAL, EMERGENCY = LoanKind.GENERAL, LoanKind.EMERGENCY
ILLNESS, NEW_BUSINESS = LoanKind.ILLNESS_DISASTER, LoanKind.NEW_BUSINESS


@pytest.mark.parametrize(
    ("premiums", "months", "outstanding", "on", "expected"),
    [
        (110_000, 11, 0, ON, 0),  # §5.3 [S]: 12 months needed
        (120_000, 12, 0, ON, 0),  # 84,000 < 10万 minimum (L2)
        (150_000, 15, 0, ON, 100_000),  # 105,000 → 100,000 (5万 steps, L2)
        (2_400_000, 240, 0, ON, 2_150_000),  # 2,160,000 → 5万 steps
        (2_400_000, 240, 160_000, ON, 2_000_000),
        (2_400_000, 240, 2_200_000, ON, 0),  # nothing left
        (30_000_000, 400, 0, ON, 20_000_000),  # 2,000万 cap (L3, 2016-04-01)
        (30_000_000, 400, 5_000_000, ON, 15_000_000),  # combined 2,000万 cap (L3)
        (30_000_000, 400, 0, dt.date(2016, 3, 31), 10_000_000),  # 1,000万 before 2016-04
        (30_000_000, 400, 0, dt.date(2016, 4, 1), 20_000_000),
    ],
)
def test_general_loan_limit_l1_l2_l3(
    premiums: int, months: int, outstanding: int, on: dt.date, expected: int
) -> None:
    quote = loan_limit(
        GENERAL, premiums, months, on=on,
        outstanding_yen=outstanding, outstanding_of_kind_yen=outstanding,
    )  # fmt: skip
    assert quote.limit_yen == expected
    assert quote.trace.is_provisional  # the 7–9割 steps are provisional


@pytest.mark.parametrize(
    ("kind", "premiums", "outstanding", "of_kind", "expected"),
    [
        # L8: 50万〜1,000万円. 2,400,000 × 90% = 2,160,000 → 2,150,000 in 5万 units.
        (EMERGENCY, 2_400_000, 0, 0, 2_150_000),
        # 500,000 × 90% = 450,000: enough for 一般 (10万) but below the 50万 minimum.
        (EMERGENCY, 500_000, 0, 0, 0),
        # 30,000,000 × 90% = 27,000,000, but the kind's own 1,000万 (L8) …
        (EMERGENCY, 30_000_000, 0, 0, 10_000_000),
        # … less the kind's own loans outstanding [I] …
        (EMERGENCY, 30_000_000, 8_000_000, 8_000_000, 2_000_000),
        # … and the 2,000万 cap on every loan together: 15,000,000 of 一般 leaves 5,000,000 (L3).
        (EMERGENCY, 30_000_000, 15_000_000, 0, 5_000_000),
        (ILLNESS, 30_000_000, 0, 0, 10_000_000),  # L9: 原則1,000万円
        (NEW_BUSINESS, 30_000_000, 0, 0, 20_000_000),  # §5.3 [S]: 2,000万円
        (GENERAL, 30_000_000, 8_000_000, 0, 12_000_000),  # a special loan counts against 一般
    ],
)
def test_each_kind_has_its_range_within_the_premiums_and_the_combined_cap_l8_l9_l3(
    kind: LoanKind, premiums: int, outstanding: int, of_kind: int, expected: int
) -> None:
    quote = loan_limit(
        kind, premiums, 400 if premiums > 2_400_000 else 240, on=ON,
        outstanding_yen=outstanding, outstanding_of_kind_yen=of_kind,
    )  # fmt: skip
    assert (quote.kind, quote.limit_yen) == (kind, expected)
    assert quote.kind_label in quote.trace.title  # e.g. 緊急経営安定貸付けの貸付限度額


def test_a_special_kind_needs_the_12_months_of_the_general_loan() -> None:
    quote = loan_limit(EMERGENCY, 10_000_000, 11, on=ON)
    assert quote.limit_yen == 0
    assert any("12か月未満" in warning for warning in quote.trace.warnings)


@pytest.mark.parametrize(
    ("on", "base"),
    [
        # L1: recalculated on the April and October 基準日 (month ends, §5.3 [S]); a limit asked
        # for in a month counts the premiums up to the latest one before that month.
        (dt.date(2026, 11, 10), dt.date(2026, 10, 31)),
        (dt.date(2026, 12, 31), dt.date(2026, 10, 31)),
        (dt.date(2027, 1, 15), dt.date(2026, 10, 31)),
        (dt.date(2027, 4, 30), dt.date(2026, 10, 31)),
        (dt.date(2027, 5, 1), dt.date(2027, 4, 30)),
        (dt.date(2027, 10, 31), dt.date(2027, 4, 30)),
    ],
)
def test_the_limit_counts_the_premiums_of_the_latest_base_date_l1(
    on: dt.date, base: dt.date
) -> None:
    assert limit_base_date(on) == base
    quote = loan_limit(GENERAL, 1_200_000, 120, on=on)
    assert quote.base_on == base and quote.trace.steps[0].value == base.isoformat()


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
def test_general_terms_by_amount_l4(amount: int, terms: tuple[int, ...]) -> None:
    assert loan_schedule(GENERAL, amount, 6, drawn_on=ON).terms_months == terms


@pytest.mark.parametrize("kind", [EMERGENCY, ILLNESS, NEW_BUSINESS])
def test_special_kinds_run_36_months_up_to_500man_and_60_above_l8_l9(kind: LoanKind) -> None:
    assert loan_schedule(kind, 5_000_000, 36, drawn_on=ON).terms_months == (36,)
    assert loan_schedule(kind, 5_050_000, 60, drawn_on=ON).terms_months == (60,)
    assert terms_offered(kind, ON) == (36, 60)


def test_the_general_loan_offers_every_term_of_l4() -> None:
    assert terms_offered(GENERAL, ON) == (6, 12, 24, 36, 60)


def test_w16_interest_prepaid_every_six_months() -> None:
    # W16 [I]: 300万 over 24 months at 1.5% (L6), interest 6/12 of the annual rate in advance.
    quote = loan_schedule(GENERAL, 3_000_000, 24, drawn_on=ON)
    assert [(p.principal_yen, p.interest_yen) for p in quote.payments] == [
        (0, 22_500),
        (750_000, 16_875),
        (750_000, 11_250),
        (750_000, 5_625),
        (750_000, 0),
    ]
    assert quote.total_interest_yen == 56_250
    assert quote.drawdown_interest_yen == 22_500 and len(quote.repayments) == 4
    assert quote.rate == Decimal("0.015")
    assert quote.payments[-1].due_on == dt.date(2027, 4, 30)
    assert quote.trace.is_provisional


def test_an_emergency_loan_pays_0_9_percent_six_months_ahead_l5_l8() -> None:
    # 5,000,000 over 36 months: 6 repayments of 833,333 (the remainder on the last), and
    # 0.9% × 6/12 of each balance in advance (L6: 0.9%; L5: 6 months' interest in advance).
    quote = loan_schedule(EMERGENCY, 5_000_000, 36, drawn_on=ON)
    principals = [p.principal_yen for p in quote.repayments]
    assert principals == [833_333] * 5 + [833_335]
    balances = [5_000_000 - sum(principals[:n]) for n in range(7)]
    assert [p.interest_yen for p in quote.payments] == [b * 9 // 2000 for b in balances]
    assert quote.drawdown_interest_yen == 22_500


def test_short_loans_repay_at_the_end_with_all_interest_in_advance_l5() -> None:
    quote = loan_schedule(GENERAL, 1_000_000, 12, drawn_on=ON)
    assert [(p.principal_yen, p.interest_yen) for p in quote.payments] == [
        (0, 15_000),
        (1_000_000, 0),
    ]


def test_uneven_principal_goes_to_the_last_repayment() -> None:
    quote = loan_schedule(GENERAL, 3_050_000, 36, drawn_on=ON)
    principals = [p.principal_yen for p in quote.payments[1:]]
    assert principals == [508_333] * 5 + [508_335]


@pytest.mark.parametrize(
    ("kind", "amount", "term"),
    [
        (GENERAL, 50_000, 6),
        (GENERAL, 20_050_000, 6),
        (GENERAL, 1_020_000, 6),
        (GENERAL, 1_000_000, 24),
        (GENERAL, 5_000_000, 60),
        (EMERGENCY, 450_000, 36),  # L8: from 50万
        (EMERGENCY, 10_050_000, 60),  # L8: up to 1,000万
        (EMERGENCY, 5_000_000, 60),  # ≤500万: 36 months only
    ],
)
def test_bad_amount_or_term_is_refused(kind: LoanKind, amount: int, term: int) -> None:
    with pytest.raises(RuleError):
        loan_schedule(kind, amount, term, drawn_on=ON)


@pytest.mark.parametrize(
    ("kind", "amount", "term", "limit", "codes"),
    [
        (GENERAL, 3_000_000, 24, 4_800_000, []),
        (GENERAL, 3_020_000, 24, 4_800_000, ["amount_yen"]),  # 5万 units (L2)
        (GENERAL, 5_000_000, 24, 4_800_000, ["amount_yen"]),  # over the limit (L1)
        (GENERAL, 1_000_000, 24, 4_800_000, ["term_months"]),  # ≤100万: 6 or 12 (L4)
        (EMERGENCY, 300_000, 36, 4_800_000, ["amount_yen"]),  # from 50万 (L8)
        (EMERGENCY, 3_000_000, 60, 4_800_000, ["term_months"]),  # ≤500万: 36 (L8)
        (EMERGENCY, 3_000_000, 36, 0, ["amount_yen"]),
    ],
)
def test_amount_and_term_are_checked_with_the_field_they_are_about(
    kind: LoanKind, amount: int, term: int, limit: int, codes: list[str]
) -> None:
    decision = check_amount_and_term(kind, amount, term, limit_yen=limit, on=ON)
    assert [r.code for r in decision.reasons] == codes
    assert decision.allowed is (not codes)


def test_late_interest_is_14_6_percent_a_year_by_the_day_l6() -> None:
    # 750,000 × 14.6% × 30 / 365 = 9,000 (L6; the 365-day basis is inferred).
    quote = late_interest(750_000, 30, due_on=ON)
    assert quote.amount_yen == 9_000
    assert late_interest(100_000, 1, due_on=ON).amount_yen == 40  # 40.0 → 40
    assert late_interest(100_001, 1, due_on=ON).amount_yen == 40  # rounded down
    assert quote.trace.is_provisional


def test_negative_input_is_refused() -> None:
    with pytest.raises(RuleError):
        loan_limit(GENERAL, -1, 12, on=ON)
    with pytest.raises(RuleError):
        late_interest(-1, 3, due_on=ON)
