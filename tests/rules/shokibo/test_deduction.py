"""小規模企業共済掛金控除証明書 amounts (shokibo_rules.md §7 X1–X4, formats.md §3.1)."""

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.deduction import (
    WITHHELD_MARK,
    DeductionFacts,
    autumn_paid_through_month,
    deduction,
)


def facts(**changes: object) -> DeductionFacts:
    base = {"year": 2026, "paid_through_month": 9, "paid_yen": 270_000, "due_yen": 90_000,
            "discount_yen": 0, "arrears_yen": 0, "prepaid_across_premium_change": False}  # fmt: skip
    return DeductionFacts(**{**base, **changes})  # type: ignore[arg-type]


def test_autumn_paid_to_date_plus_due_for_the_rest_of_the_year_x1_x3() -> None:
    result = deduction(facts())
    assert (result.paid_yen, result.due_from_month, result.due_yen) == (270_000, 10, 90_000)
    assert result.deduction_yen == 360_000 and result.deduction_text == "360,000円"
    assert result.withheld_reason == ""


def test_the_autumn_certificate_counts_debits_through_september_x3() -> None:
    assert autumn_paid_through_month(2026) == 9


def test_the_february_certificate_counts_the_whole_year_as_paid_x3() -> None:
    result = deduction(facts(paid_through_month=12, paid_yen=60_000, due_yen=30_000))
    assert (result.due_from_month, result.due_yen, result.deduction_yen) == (None, 0, 60_000)


def test_prepayment_discount_received_reduces_the_deduction_x2() -> None:
    # W17: 594円 of 前納減額金 received in June.
    assert deduction(facts(discount_yen=594)).deduction_yen == 360_000 - 594


def test_arrears_make_the_total_four_stars_with_the_reason_but_keep_what_is_known_x4() -> None:
    result = deduction(facts(arrears_yen=20_000))
    assert result.deduction_yen is None and result.deduction_text == WITHHELD_MARK
    assert "未納の掛金（20,000円）" in result.withheld_reason
    assert (result.paid_yen, result.due_yen) == (270_000, 90_000)  # still certified


def test_arrears_do_not_matter_once_the_year_is_over_x1() -> None:
    # In February only what was paid counts, so unpaid months simply are not deducted.
    result = deduction(facts(paid_through_month=12, due_yen=0, arrears_yen=20_000))
    assert result.deduction_yen == 270_000


def test_a_prepayment_into_next_year_across_a_premium_change_is_four_stars_x4() -> None:
    result = deduction(facts(prepaid_across_premium_change=True))
    assert result.deduction_yen is None and "掛金月額が変わる" in result.withheld_reason


def test_bad_facts_are_refused() -> None:
    with pytest.raises(RuleError):
        deduction(facts(paid_through_month=13))
    with pytest.raises(RuleError):
        deduction(facts(paid_yen=-1))
