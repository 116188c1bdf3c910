"""解約手当金: shokibo_rules.md §10 W4–W9 and the 施行令 別表第二 band edges (§3.4)."""

import datetime as dt
from decimal import Decimal

import pytest

from kyosai.rules.params import Table, default_parameters
from kyosai.rules.shokibo.refund import cancellation_refund

from .conftest import event_after, history


def closed_form(months: int) -> Decimal:
    """shokibo_rules.md §3.4 closed form, which reproduces every row SMRJ prints (K2)."""
    if months < 12:
        return Decimal(0)
    if months < 84:
        return Decimal("0.80")
    if months < 240:
        return Decimal("0.805") + Decimal("0.0075") * ((months - 84) // 6)
    return min(Decimal("1.20"), Decimal("1.00") + Decimal("0.0025") * ((months - 240) // 6))


def test_every_rate_row_matches_the_closed_form_s3_4() -> None:
    table = default_parameters()["shokibo/refund_rate"].at(dt.date(2004, 4, 1)).value
    assert isinstance(table, Table)
    for months in range(900):
        assert table.lookup(months).rate("rate") == closed_form(months), months


@pytest.mark.parametrize(
    ("example", "monthly", "months", "expected"),
    [
        ("W4 smrj 051303: 58 months × 80%", 10_000, 58, 464_000),
        ("W5 kokohore: 180 months × 92.5%", 10_000, 180, 1_665_000),
        ("W6: 240 months × 100%", 10_000, 240, 2_400_000),
        ("W7: 360 months × 105%", 10_000, 360, 3_780_000),
        ("W8: 720 months × 120%", 10_000, 720, 8_640_000),
        ("W9 法12条1項: 11 months", 70_000, 11, 0),
        ("W9 法12条1項: 12 months × 80%", 70_000, 12, 672_000),
        # band edges of 別表第二 (rate per edge from K2)
        ("83 months × 80%", 10_000, 83, 664_000),
        ("84 months × 80.5%", 10_000, 84, 676_200),
        ("239 months × 99.25%, floor per slice", 10_000, 239, 2_372_060),
        ("245 months × 100%", 10_000, 245, 2_450_000),
        ("246 months × 100.25%, floor per slice", 10_000, 246, 2_466_140),
        ("719 months × 119.75%, floor per slice", 10_000, 719, 8_610_020),
    ],
)
def test_refund_worked_examples_shokibo_rules_s10(
    example: str, monthly: int, months: int, expected: int
) -> None:
    spans = history((monthly, months), start=dt.date(2004, 4, 1))
    quote = cancellation_refund(spans, on=event_after(spans))
    assert quote.amount_yen == expected, example
    assert quote.premiums_paid_yen == monthly * months


def test_fractional_slice_is_floored_and_flagged() -> None:
    # 500 × 251 × 100.25% = 125,813.75 per slice: floor per slice is unconfirmed (§3.4).
    spans = history((1_000, 251), start=dt.date(2004, 4, 1))
    quote = cancellation_refund(spans, on=event_after(spans))
    assert quote.amount_yen == 2 * 125_813
    assert any("端数処理" in warning for warning in quote.trace.warnings)


def test_each_slice_uses_its_own_months() -> None:
    # Slices 1–20: 120 months × 85%; slices 21–40: 60 months × 80%.
    spans = history((10_000, 60), (20_000, 60), start=dt.date(2004, 4, 1))
    quote = cancellation_refund(spans, on=event_after(spans))
    assert quote.amount_yen == 20 * 500 * 120 * 85 // 100 + 20 * 500 * 60 * 80 // 100
    assert quote.slice_months == (120,) * 20 + (60,) * 20
