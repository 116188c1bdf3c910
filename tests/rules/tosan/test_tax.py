"""Tax window after re-joining: tosan_rules.md §6 X3 and §9 example 10 (措法28条・66条の11, 2024改正)."""

import datetime as dt

import pytest

from kyosai.rules.tosan.tax import rejoin_tax_window

D = dt.date


@pytest.mark.parametrize(
    ("cancelled", "paid", "restricted", "last", "deductible"),
    [
        # §9 example 10: 2024-09-30 cancellation → no restriction
        (D(2024, 9, 30), D(2024, 11, 27), False, None, True),
        # 2024-10-01 cancellation → not deductible through 2026-09-30 [I day convention]
        (D(2024, 10, 1), D(2024, 11, 27), True, D(2026, 9, 30), False),
        (D(2024, 10, 1), D(2026, 9, 30), True, D(2026, 9, 30), False),
        (D(2024, 10, 1), D(2026, 10, 1), True, D(2026, 9, 30), True),
        (D(2024, 10, 15), D(2026, 10, 14), True, D(2026, 10, 14), False),
        # a premium of the old contract, paid before the cancellation, is unaffected
        (D(2024, 10, 15), D(2024, 9, 27), True, D(2026, 10, 14), True),
    ],
)
def test_rejoin_window_x3(
    cancelled: dt.date, paid: dt.date, restricted: bool, last: dt.date | None, deductible: bool
) -> None:
    window = rejoin_tax_window(cancelled, paid_on=paid)
    assert (window.restricted, window.last_non_deductible_on) == (restricted, last)
    assert window.paid_on_deductible is deductible


def test_window_without_payment_date() -> None:
    window = rejoin_tax_window(D(2025, 3, 1))
    assert window.paid_on_deductible is None
    assert window.last_non_deductible_on == D(2027, 2, 28)
    assert "2025-03-01〜2027-02-28" in window.trace.render()
