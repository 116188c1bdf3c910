"""The first debit: second month after the application month (tosan P15, shokibo P9)."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.first_debit import first_debit
from kyosai.rules.scheme import Scheme


@pytest.mark.parametrize(
    ("scheme", "applied_on", "debit_on"),
    [
        (Scheme.TOSAN, dt.date(2026, 11, 23), dt.date(2027, 1, 27)),
        (Scheme.TOSAN, dt.date(2026, 10, 1), dt.date(2026, 12, 28)),  # 12/27 is a Sunday
        (Scheme.SHOKIBO, dt.date(2026, 11, 30), dt.date(2027, 1, 18)),
        (Scheme.SHOKIBO, dt.date(2026, 8, 3), dt.date(2026, 10, 19)),  # 10/18 is a Sunday
    ],
)
def test_first_debit_is_in_the_second_month_after_applying(
    scheme: Scheme, applied_on: dt.date, debit_on: dt.date
) -> None:
    quote = first_debit(scheme, 50_000, applied_on=applied_on)
    assert quote.debit_on == debit_on
    # Three months collected together is an inference (§2.3 [I]): the trace must say so.
    assert (quote.months, quote.amount_yen) == (3, 150_000)
    assert quote.trace.is_provisional


def test_first_debit_needs_a_premium() -> None:
    with pytest.raises(RuleError):
        first_debit(Scheme.TOSAN, 0, applied_on=dt.date(2026, 11, 23))
