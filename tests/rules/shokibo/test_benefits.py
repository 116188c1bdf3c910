"""共済金A・B・準共済金: shokibo_rules.md §10 worked examples, minimum months and 付加共済金."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.params import Status
from kyosai.rules.shokibo.benefits import BenefitKind, benefit, yearly_additional_benefit
from kyosai.rules.shokibo.history import PremiumSpan

from .conftest import event_after, history

A, B, Q = BenefitKind.A, BenefitKind.B, BenefitKind.QUASI


@pytest.mark.parametrize(
    ("example", "pairs", "kind", "expected"),
    [
        ("W1 jcca-shiga anchor: 10,000×240 廃業", [(10_000, 240)], A, 2_786_400),
        ("W2 jcca-shiga anchor: 10,000×60 役員の疾病退任", [(10_000, 60)], B, 614_600),
        ("W3 jcca-shiga anchor: 10,000×360 共済金B", [(10_000, 360)], B, 4_211_800),
        ("W10 法9条1項: 5 months pays nothing", [(10_000, 5)], A, 0),
        ("W11 法9条3項1号: 24 months returns premiums", [(10_000, 24)], A, 240_000),
        ("W12 per-slice rule 法9条2項 (F1, P4)", [(10_000, 60), (20_000, 60)], A, 1_912_000),
        # the other confirmed anchors of §3.3
        ("§3.3 A 60", [(10_000, 60)], A, 621_400),
        ("§3.3 A 120", [(10_000, 120)], A, 1_290_600),
        ("§3.3 B 120", [(10_000, 120)], B, 1_260_800),
        ("§3.3 A 180", [(10_000, 180)], A, 2_011_000),
        ("§3.3 B 180", [(10_000, 180)], B, 1_940_400),
        ("§3.3 B 240", [(10_000, 240)], B, 2_658_800),
        ("§3.3 A 360", [(10_000, 360)], A, 4_348_000),
    ],
)
def test_benefit_worked_examples_shokibo_rules_s10(
    example: str, pairs: list[tuple[int, int]], kind: BenefitKind, expected: int
) -> None:
    spans = history(*pairs)
    quote = benefit(spans, kind=kind, on=event_after(spans))
    assert quote.amount_yen == expected, example
    assert quote.additional_yen == 0


@pytest.mark.parametrize(
    ("months", "kind", "expected"),
    [
        (5, A, 0),  # 法9条1項: fewer than 6 months
        (6, A, 60_000),
        (5, B, 0),
        (6, B, 60_000),
        (11, Q, 0),  # 法12条1項: 準共済金 needs 12 months
        (12, Q, 120_000),
        (35, A, 350_000),  # 法9条3項1号: premiums returned below 36 months
        (35, Q, 350_000),
    ],
)
def test_minimum_months_and_premium_return_edges(
    months: int, kind: BenefitKind, expected: int
) -> None:
    spans = history((10_000, months))
    assert benefit(spans, kind=kind, on=event_after(spans)).amount_yen == expected


def test_36_months_uses_the_provisional_table_and_says_so() -> None:
    spans = history((10_000, 36))
    quote = benefit(spans, kind=A, on=event_after(spans))
    assert quote.amount_yen > 360_000  # the 別表第一 row, above the premiums
    assert quote.trace.is_provisional
    assert any("[暫定]" in step.how for step in quote.trace.steps)


def test_confirmed_anchor_cell_is_named_confirmed_in_its_step() -> None:
    spans = history((10_000, 240))
    quote = benefit(spans, kind=A, on=event_after(spans))
    assert any("240か月の共済金A欄 [確認済]" in step.how for step in quote.trace.steps)


def test_additional_benefit_fy2018_w13_chusho_meti_2018() -> None:
    # W13: 基本共済金 10,000,000円 in FY2018 at 0.036% → 3,600円 (chusho.meti 2018).
    quote = yearly_additional_benefit(10_000_000, 2018)
    assert quote.amount_yen == 3_600
    assert yearly_additional_benefit(10_000_000, 2017).amount_yen == 0
    assert yearly_additional_benefit(10_000_000, 2019).amount_yen == 0
    assert yearly_additional_benefit(10_000_000, 2019).trace.is_provisional


def test_additional_benefit_over_a_history_each_side_of_fy2018() -> None:
    # 36 months reached by 2019-03 (FY2018 end): FY2018 base = 20 × 別表第一(36) × 0.036%.
    reached = [PremiumSpan(dt.date(2016, 4, 1), 36, 10_000)]
    quote = benefit(reached, kind=A, on=dt.date(2019, 4, 1))
    assert quote.additional_yen == quote.basic_yen * 36 // 100_000
    assert quote.additional_yen > 0
    assert any("運用上の解釈" in step.how for step in quote.trace.steps)
    # 35 months by the end of FY2018: no slice qualifies that year.
    short = [PremiumSpan(dt.date(2016, 5, 1), 35, 10_000)]
    assert benefit(short, kind=A, on=dt.date(2019, 4, 1)).additional_yen == 0
    # A contract that ended in March 2018 earns nothing in FY2018.
    ended = [PremiumSpan(dt.date(2015, 4, 1), 36, 10_000)]
    assert benefit(ended, kind=A, on=dt.date(2018, 4, 1)).additional_yen == 0


def test_beyond_the_last_table_row_is_refused() -> None:
    spans = history((1_000, 841), start=dt.date(2004, 4, 1))
    with pytest.raises(RuleError):
        benefit(spans, kind=B, on=event_after(spans))


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [PremiumSpan(dt.date(2020, 4, 1), 12, 10_000), PremiumSpan(dt.date(2021, 3, 1), 6, 10_000)],
    ],
)
def test_malformed_history_is_refused(spans: list[PremiumSpan]) -> None:
    with pytest.raises(RuleError):
        benefit(spans, kind=A, on=dt.date(2030, 1, 1))


@pytest.mark.parametrize(
    ("first", "months", "monthly"),
    [
        (dt.date(2020, 4, 1), 0, 10_000),
        (dt.date(2020, 4, 1), 1, 10_250),
        (dt.date(2020, 4, 1), 1, 0),
        (dt.date(2004, 3, 1), 1, 10_000),  # before 2004-04: transitional rules not implemented
    ],
)
def test_malformed_span_is_refused(first: dt.date, months: int, monthly: int) -> None:
    with pytest.raises(RuleError):
        PremiumSpan(first, months, monthly)


def test_trace_cites_table_and_minimums() -> None:
    spans = history((10_000, 60))
    names = {use.name for use in benefit(spans, kind=Q, on=event_after(spans)).trace.parameters}
    assert {"shokibo/refund_minimum_months", "shokibo/benefit_table"} <= names
    statuses = {
        use.status for use in benefit(spans, kind=Q, on=event_after(spans)).trace.parameters
    }
    assert Status.PROVISIONAL in statuses
