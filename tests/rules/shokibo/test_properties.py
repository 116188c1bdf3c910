"""Properties of the slice rules (法9条2項, 令 別表第一・第二) over generated histories."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kyosai.rules.shokibo.benefits import BenefitKind, benefit
from kyosai.rules.shokibo.history import PremiumSpan
from kyosai.rules.shokibo.refund import cancellation_refund

from .conftest import event_after, history

START = dt.date(2004, 4, 1)
months_st = st.integers(min_value=1, max_value=839)
kinds = st.sampled_from(list(BenefitKind))
pairs_st = st.lists(
    st.tuples(st.integers(min_value=2, max_value=140).map(lambda n: n * 500), st.integers(1, 120)),
    min_size=1,
    max_size=4,
)


def one_slice(months: int) -> list[PremiumSpan]:
    return [PremiumSpan(START, months, 500)]


@settings(max_examples=60, deadline=None)
@given(months=months_st)
def test_refund_never_falls_as_months_grow(months: int) -> None:
    now, later = one_slice(months), one_slice(months + 1)
    assert (
        cancellation_refund(now, on=event_after(now)).amount_yen
        <= cancellation_refund(later, on=event_after(later)).amount_yen
    )


@settings(max_examples=60, deadline=None)
@given(months=months_st, kind=kinds)
def test_benefit_per_slice_never_falls_as_months_grow(months: int, kind: BenefitKind) -> None:
    now, later = one_slice(months), one_slice(months + 1)
    amount = benefit(now, kind=kind, on=event_after(now)).amount_yen
    assert isinstance(amount, int)
    assert amount <= benefit(later, kind=kind, on=event_after(later)).amount_yen


@settings(max_examples=40, deadline=None)
@given(pairs=pairs_st, kind=kinds, cut=st.integers(min_value=1, max_value=119))
def test_splitting_a_span_changes_nothing(
    pairs: list[tuple[int, int]], kind: BenefitKind, cut: int
) -> None:
    whole = history(*pairs, start=START)
    monthly, months = pairs[0]
    split_pairs = [(monthly, cut), (monthly, months - cut), *pairs[1:]] if cut < months else pairs
    split = history(*split_pairs, start=START)
    on = event_after(whole)
    a, b = benefit(whole, kind=kind, on=on), benefit(split, kind=kind, on=on)
    assert (a.amount_yen, a.basic_yen, a.additional_yen) == (
        b.amount_yen,
        b.basic_yen,
        b.additional_yen,
    )
    assert all(isinstance(x, int) for x in (a.amount_yen, a.basic_yen, a.additional_yen))
    assert (
        cancellation_refund(whole, on=on).amount_yen == cancellation_refund(split, on=on).amount_yen
    )
