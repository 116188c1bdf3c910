"""前納: the debit month, the deadline and the 振替日 of a request, in each scheme.

tosan P18 (https://kyosai-web.smrj.go.jp/customer/tkyosai/installment/describe/index_02.html):
by the 5th of the month (next business day), debited on that month's 27th.
shokibo P10 (https://kyosai-web.smrj.go.jp/customer/skyosai/installment/index_05.html): the
一括納付 deadline, the 20th of the month before (15th in December, business day before if a
holiday), applied to 前納 as unconfirmed parameters; debited on the 18th (P8).
"""

import datetime as dt

import pytest

from kyosai.rules.prepayment import prepayment_window
from kyosai.rules.scheme import Scheme


@pytest.mark.parametrize(
    ("received_on", "debit_month", "deadline", "debit_on"),
    [
        # P10: the 20th of the month before; the 18th of November is a Wednesday.
        (dt.date(2026, 10, 10), dt.date(2026, 11, 1), dt.date(2026, 10, 20), dt.date(2026, 11, 18)),
        # P10: 2026-09-20 is a Sunday → Friday the 18th; 2026-10-18 is a Sunday → the 19th (P8).
        (dt.date(2026, 9, 10), dt.date(2026, 10, 1), dt.date(2026, 9, 18), dt.date(2026, 10, 19)),
        # P10: the 15th in December, for the January debit.
        (dt.date(2026, 12, 10), dt.date(2027, 1, 1), dt.date(2026, 12, 15), dt.date(2027, 1, 18)),
    ],
)
def test_shokibo_prepayment_is_debited_on_the_next_months_18th_deadline_p10(
    received_on: dt.date, debit_month: dt.date, deadline: dt.date, debit_on: dt.date
) -> None:
    window = prepayment_window(Scheme.SHOKIBO, received_on)
    assert (window.debit_month, window.deadline, window.debit_on) == (
        debit_month,
        deadline,
        debit_on,
    )
    # Applying 一括納付's deadline to 前納 is an assumption: the trace says so.
    assert window.trace.is_provisional
    cited = {use.name: use.status for use in window.trace.parameters}
    assert cited["shokibo/debit_day"] == "confirmed"
    assert "unconfirmed" in {
        status for name, status in cited.items() if name.startswith("shokibo/prepay_deadline_day")
    }


def test_tosan_prepayment_is_debited_the_same_month_deadline_the_5th_p18() -> None:
    # 2026-12-05 is a Saturday → Monday the 7th; the 27th is a Sunday → the 28th.
    window = prepayment_window(Scheme.TOSAN, dt.date(2026, 12, 2))
    assert (window.debit_month, window.deadline, window.debit_on) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 28),
    )
    assert not window.trace.is_provisional
