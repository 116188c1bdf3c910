"""The scorecard's arithmetic and parameters (資料3「オンライン利用率引上げの基本計画に係る進捗状況」,
令和7年12月: the target procedures, 利用目標 20 %, 令和5年9月 / 令和7年9月22日 starts)."""

import datetime as dt
import statistics
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kyosai.rules.money import percent
from kyosai.rules.params import Status
from kyosai.rules.scorecard import (
    Period,
    fiscal_periods,
    month_label,
    online_procedures,
    percentile,
    target,
)


def test_shiryo3_target_procedures_and_their_online_start() -> None:
    started = {p.key: p.online_from for p in online_procedures()}
    assert started == {
        "shokibo_enrollment": dt.date(2023, 9, 1),
        "shokibo_premium_change": dt.date(2023, 9, 1),
        "shokibo_tsusan": dt.date(2025, 9, 22),
        "shokibo_benefit_claim": dt.date(2025, 9, 22),
        "tosan_enrollment": dt.date(2023, 9, 1),
        "tosan_premium_change": dt.date(2023, 9, 1),
        "tosan_cancellation": dt.date(2025, 9, 22),
    }


def test_shiryo3_target_is_20_percent_and_the_30_percent_for_enrollment_is_unconfirmed() -> None:
    assert target("tosan_enrollment", dt.date(2023, 8, 31)) is None  # not counted before
    published = target("tosan_enrollment", dt.date(2026, 3, 31))
    assert published is not None
    assert (published.rate, published.status) == (Decimal("0.20"), Status.CONFIRMED)
    raised = target("shokibo_enrollment", dt.date(2026, 4, 1))
    assert raised is not None
    assert (raised.rate, raised.status) == (Decimal("0.30"), Status.UNCONFIRMED)
    kept = target("tosan_premium_change", dt.date(2026, 4, 1))
    assert kept is not None and kept.rate == Decimal("0.20")


def test_percent_is_to_one_decimal_rounded_half_up() -> None:
    assert percent(1, 16) == Decimal("6.3")  # 6.25: half up, not to even
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(0, 5) == Decimal("0.0")
    assert percent(0, 0) is None


def test_percentile_is_postgresql_percentile_cont() -> None:
    # 0, 25, 50, 100: the median lies halfway between 25 and 50; p90 at 2.7 → 50 + 0.7 × 50.
    hist = [(50, 1), (0, 1), (100, 1), (25, 1)]
    assert percentile(hist, Decimal("0.5")) == Decimal("37.5")
    assert percentile(hist, Decimal("0.9")) == Decimal("85.0")
    assert percentile([(7, 3)], Decimal("0.9")) == Decimal(7)
    assert percentile([], Decimal("0.5")) is None


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=2, max_size=60))
def test_percentile_over_counts_equals_linear_interpolation_over_values(values: list[int]) -> None:
    # statistics' "inclusive" method is the same definition as percentile_cont.
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    hist: dict[int, int] = {}
    for v in values:
        hist[v] = hist.get(v, 0) + 1
    p90 = percentile(hist.items(), Decimal("0.9"))
    median = percentile(hist.items(), Decimal("0.5"))
    assert p90 is not None and median is not None
    assert abs(float(p90) - deciles[8]) < 1e-9
    assert abs(float(median) - statistics.median(values)) < 1e-9


def test_published_labels_and_fiscal_periods() -> None:
    # online_usage_rates_published.csv: R5.9 … R7.9, then R5.9-R6.3, R6.4-R7.3, R7.4-R7.9.
    assert month_label(dt.date(2023, 9, 1)) == "R5.9"
    periods = fiscal_periods(dt.date(2023, 9, 1), dt.date(2025, 9, 1))
    assert [p.label for p in periods] == ["R5.9-R6.3", "R6.4-R7.3", "R7.4-R7.9"]
    assert len(Period(dt.date(2024, 4, 1), dt.date(2025, 3, 1)).months()) == 12
