"""Properties that hold for every input (hypothesis), over the tosan rules."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kyosai.rules.tosan.loans import (
    InsolvencyEvent,
    LoanRequest,
    kyosaikin_loan,
    repayment_schedule,
)
from kyosai.rules.tosan.premiums import prepayment_discount
from kyosai.rules.tosan.refund import CancellationType, PremiumAccount, cancellation_refund

ON = dt.date(2026, 4, 1)
monthly = st.integers(1, 40).map(lambda n: n * 5_000)


@settings(max_examples=60, deadline=None)
@given(
    total=st.integers(0, 8_000_000),
    damage=st.integers(0, 150_000_000),
    outstanding=st.integers(0, 90_000_000),
)
def test_loan_never_exceeds_its_caps(total: int, damage: int, outstanding: int) -> None:
    account = PremiumAccount(premiums_paid_yen=total, months_paid=40)
    request = LoanRequest(
        InsolvencyEvent.BANKRUPTCY,
        dt.date(2026, 3, 1),
        dt.date(2020, 1, 1),
        40,
        ON,
        damage,
        account,
        outstanding_kyosaikin_yen=outstanding,
    )
    quote = kyosaikin_loan(request, lent_on=ON)
    assert isinstance(quote.amount_yen, int)
    assert quote.amount_yen <= min(10 * total, damage, max(80_000_000 - outstanding, 0))
    assert quote.amount_yen % 50_000 == 0
    assert quote.amount_yen == 0 or quote.amount_yen >= 500_000


@settings(max_examples=60, deadline=None)
@given(units=st.integers(10, 1_600))
def test_instalments_sum_to_principal(units: int) -> None:
    principal = units * 50_000
    schedule = repayment_schedule(principal, lent_on=ON)
    count = {5: 54, 6: 66, 7: 78}[schedule.term_years]
    assert len(schedule.instalments) == count
    assert sum(i.principal_yen for i in schedule.instalments) == principal
    assert all(isinstance(i.principal_yen, int) for i in schedule.instalments)
    assert [i.number for i in schedule.instalments] == list(range(1, count + 1))


@settings(max_examples=40, deadline=None)
@given(monthly=monthly, data=st.data(), kind=st.sampled_from(list(CancellationType)))
def test_refund_rate_never_falls_as_months_grow(
    monthly: int, data: st.DataObject, kind: CancellationType
) -> None:
    # Up to the month before the 8,000,000円 cap: a total above it is refused as bad input.
    months = data.draw(st.integers(0, 8_000_000 // monthly - 1))

    def refund(m: int) -> tuple[int, Decimal]:
        quote = cancellation_refund(
            PremiumAccount(premiums_paid_yen=monthly * m, months_paid=m), cancellation=kind, on=ON
        )
        return quote.amount_yen, quote.rate

    amount, rate = refund(months)
    next_amount, next_rate = refund(months + 1)
    assert isinstance(amount, int)
    assert next_rate >= rate
    assert next_amount >= amount


@settings(max_examples=40, deadline=None)
@given(
    monthly=monthly,
    data=st.data(),
    prepaid_on=st.dates(dt.date(2012, 1, 1), dt.date(2030, 12, 31)),
)
def test_prepayment_discount_is_monotonic(
    monthly: int, data: st.DataObject, prepaid_on: dt.date
) -> None:
    # Both counts must fit under the cap at joining: 8,000,000 ÷ monthly − 1 months (P17).
    months = data.draw(st.integers(1, 8_000_000 // monthly - 2))
    shorter = prepayment_discount(monthly, months, prepaid_on=prepaid_on).amount_yen
    longer = prepayment_discount(monthly, months + 1, prepaid_on=prepaid_on).amount_yen
    assert isinstance(shorter, int) and longer > shorter
