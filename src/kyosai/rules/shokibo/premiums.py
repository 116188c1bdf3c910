"""掛金月額 and its changes (法4条・法5条), 前納 and 前納減額金 (施行規則).

The monthly amount is 1,000円 to 70,000円 in 500円 steps (法4条2項). An increase applies from the
application month (P2). A decrease needed one of the 省令 reasons until 2016-03-31 and needs none
from 2016-04-01 (P3).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kyosai.rules.calendar import add_months, month_of
from kyosai.rules.decision import Checks, Decision, Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

RANGE = "shokibo/monthly_premium_range"
DISCOUNT_RATE = "shokibo/prepay_discount_rate"


class DecreaseReason(StrEnum):
    """Reasons a decrease needed before 2016-04-01 (規則)."""

    BUSINESS_DETERIORATION = "business_deterioration"  # 事業経営の著しい悪化が見込まれる
    PAYMENT_DIFFICULTY = "payment_difficulty"  # 経営悪化・疾病負傷・緊急の出費で納付が著しく困難


@dataclass(frozen=True)
class PremiumChange:
    allowed: bool
    reasons: tuple[Reason, ...]
    effective_month: dt.date | None  # first month at the new amount; None when refused
    trace: Trace


@dataclass(frozen=True)
class PrepayDiscountQuote:
    amount_yen: int
    counted_months: int
    trace: Trace


def _check_range(checks: Checks, monthly_yen: int, on: dt.date) -> None:
    low, high, step = (
        checks.t.row_where(RANGE, on, "bound", bound).yen("yen") for bound in ("min", "max", "step")
    )
    checks.require(
        low <= monthly_yen <= high and monthly_yen % step == 0,
        f"掛金月額 {yen_text(monthly_yen)}",
        "monthly_out_of_range",
        f"掛金月額は{yen_text(low)}以上{yen_text(high)}以下の{yen_text(step)}単位で選んでください。",
    )


def check_monthly_premium(
    monthly_yen: int, *, on: dt.date, params: ParameterSet | None = None
) -> Decision:
    """Whether `monthly_yen` is a valid 掛金月額 on `on` (法4条2項)."""
    t = Explainer(
        "小規模企業共済 掛金月額の確認",
        {"掛金月額": yen_text(monthly_yen), "基準日": on},
        params,
    )
    checks = Checks(t)
    _check_range(checks, monthly_yen, on)
    return checks.decision("掛金月額")


def check_premium_change(
    current_yen: int,
    new_yen: int,
    *,
    applied_on: dt.date,
    reason: DecreaseReason | None = None,
    params: ParameterSet | None = None,
) -> PremiumChange:
    """Whether the 掛金月額 may change from `current_yen` to `new_yen` on an application of `applied_on`."""
    t = Explainer(
        "小規模企業共済 掛金月額の変更",
        {
            "現在の掛金月額": yen_text(current_yen),
            "変更後の掛金月額": yen_text(new_yen),
            "申込日": applied_on,
            "減額の理由": reason.value if reason else "なし",
        },
        params,
    )
    checks = Checks(t)
    _check_range(checks, new_yen, applied_on)
    checks.require(
        new_yen != current_yen, "金額の変更", "no_change", "変更後の金額が現在と同じです。"
    )
    increase = new_yen > current_yen
    if new_yen < current_yen:
        needs_reason = t.count("shokibo/decrease_reason_required", applied_on) == 1
        checks.require(
            reason is not None or not needs_reason,
            "減額の理由",
            "decrease_reason_required",
            "平成28年3月31日までの減額には、経営の悪化や納付が困難になった理由が必要です。",
        )
    decision = checks.decision("掛金月額の変更")
    if not decision.allowed:
        return PremiumChange(False, decision.reasons, None, t.trace())
    if increase:
        effective = month_of(applied_on)
        t.step("新しい掛金月額の適用月", f"{effective:%Y-%m}", "増額は申込月分から（P2）")
    else:
        offset = t.count("shokibo/decrease_effective_month_offset", applied_on)
        effective = add_months(month_of(applied_on), offset)
        t.step(
            "新しい掛金月額の適用月",
            f"{effective:%Y-%m}",
            f"減額は申込月の{offset}か月後から（未確認）",
        )
    return PremiumChange(True, (), effective, t.trace())


@dataclass(frozen=True)
class PrepaymentLimit:
    max_months: int  # months paid ahead of the debit month
    trace: Trace


def prepayment_limit(*, on: dt.date, params: ParameterSet | None = None) -> PrepaymentLimit:
    """前納できる最大月数 (P11; the maximum is not in the references: an unconfirmed parameter)."""
    t = Explainer("小規模企業共済 前納できる月数", {"前納する日": on}, params)
    limit = t.count("shokibo/prepay_max_months", on)
    t.step("前納できる月数", f"{limit}か月", "振替月より先の月数（上限は未確認）")
    return PrepaymentLimit(limit, t.trace())


def prepayment_discount(
    monthly_yen: int, months_prepaid: int, *, on: dt.date, params: ParameterSet | None = None
) -> PrepayDiscountQuote:
    """前納減額金 for `months_prepaid` months paid ahead of the current month.

    The k-th month ahead counts k months, and months beyond the cap count as the cap (規則, [S]).
    """
    if months_prepaid < 0:
        raise RuleError("月数に負の値は使えません", "months must be >= 0")
    t = Explainer(
        "小規模企業共済 前納減額金",
        {"掛金月額": yen_text(monthly_yen), "前納月数": f"{months_prepaid}か月", "基準日": on},
        params,
    )
    checks = Checks(t)
    _check_range(checks, monthly_yen, on)
    if checks.reasons:
        raise RuleError(checks.reasons[0].message_ja, f"invalid monthly premium {monthly_yen}")
    cap = t.count("shokibo/prepay_discount_month_cap", on)
    counted = sum(min(k, cap) for k in range(1, months_prepaid + 1))
    t.step("前納月数の合計", f"{counted}か月", f"1+2+…（{cap}か月を超える月は{cap}）")
    rate = t.rate(DISCOUNT_RATE, on)
    amount = to_yen(monthly_yen * rate * counted, t.rounding(DISCOUNT_RATE))
    t.step(
        "前納減額金",
        yen_text(amount),
        f"{yen_text(monthly_yen)} × {rate_text(rate)} × {counted}（円未満切捨て）",
    )
    minimum = t.yen("shokibo/prepay_discount_payout_minimum", on)
    if amount < minimum:
        t.warn(
            f"{yen_text(minimum)}未満のため、累計が{yen_text(minimum)}に達するまで繰り越されます。"
        )
    return PrepayDiscountQuote(amount, counted, t.trace())
