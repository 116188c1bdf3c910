"""解約手当金 (任意解約・機構解約・法人成りして小規模企業者たる役員となった場合), 法12条1項・3項1号.

Each 500円 掛金区分 pays its premiums × the 施行令 別表第二 rate for that slice's own months; the
slice amounts are added. Nothing is paid under 12 months (法12条1項). The rate table covers
premiums from 2004-04 (older premiums have their own rates, 平成15年政令第308号).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.shokibo.history import (
    SLICE_YEN,
    PremiumSpan,
    check_history,
    groups,
    history_text,
    slice_months,
)
from kyosai.rules.trace import Explainer, Trace

RATE = "shokibo/refund_rate"


@dataclass(frozen=True)
class RefundQuote:
    amount_yen: int
    premiums_paid_yen: int
    slice_months: tuple[int, ...]
    trace: Trace


def cancellation_refund(
    spans: Sequence[PremiumSpan], *, on: dt.date, params: ParameterSet | None = None
) -> RefundQuote:
    """解約手当金 for a cancellation taking effect on `on`."""
    ordered = check_history(spans, params)
    t = Explainer(
        "小規模企業共済 解約手当金",
        {
            "解約日": on,
            "掛金の納付履歴": history_text(ordered),
        },
        params,
    )
    months = slice_months(ordered)
    paid = sum(span.months * span.monthly_yen for span in ordered)
    t.step("掛金納付月数", f"{months[0]}か月", "掛金区分1（最初の500円）の納付月数")
    t.step("納付済掛金の合計", yen_text(paid))
    minimum = t.count("shokibo/refund_minimum_months", on)
    if months[0] < minimum:
        t.step("解約手当金", yen_text(0), f"掛金納付月数が{minimum}か月未満")
        t.warn(f"掛金納付月数が{minimum}か月未満のため、解約手当金は支給されません。")
        return RefundQuote(0, paid, months, t.trace())
    rounding = t.rounding(RATE)
    amount = 0
    fractional = False
    for first, last, slice_count in groups(months):
        rate = t.row(RATE, on, slice_count).rate("rate")
        exact = SLICE_YEN * slice_count * rate
        per_slice = to_yen(exact, rounding)
        fractional = fractional or per_slice != exact
        size = last - first + 1
        amount += per_slice * size
        t.step(
            f"掛金区分{first}〜{last}（{size}区分・{slice_count}か月）",
            yen_text(per_slice * size),
            f"1区分 500円×{slice_count}×{rate_text(rate)} = {yen_text(per_slice)} × {size}",
        )
    t.step("解約手当金", yen_text(amount), "区分ごとの額の合計（法12条3項1号）")
    if fractional:
        t.warn("区分ごとに円未満を切り捨てています。この端数処理は資料で確認できていません。")
    return RefundQuote(amount, paid, months, t.trace())
