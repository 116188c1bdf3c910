"""掛金: monthly amount, changes, 掛止め, the 800万円 cap, 前納 and 前納減額金 (法4条・法15条; 法14条 unread).

Months are the date of their first day (calendar.month_of). Every date is an argument.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import add_months, cutoff_date, month_of
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace


def check_monthly(monthly_yen: int, on: dt.date, t: Explainer | None = None) -> None:
    """法4条2項: 5,000円以上20万円以下で5,000円の倍数. Anything else is malformed input."""
    t = t or Explainer("倒産防止共済 掛金月額", {"掛金月額": yen_text(monthly_yen)})
    low = t.yen("tosan/premium_monthly_min", on)
    high = t.yen("tosan/premium_monthly_max", on)
    step = t.yen("tosan/premium_monthly_step", on)
    if not low <= monthly_yen <= high or monthly_yen % step:
        raise RuleError(
            f"掛金月額は{yen_text(low)}から{yen_text(high)}までの{yen_text(step)}単位です"
            f"（{yen_text(monthly_yen)}）",
            f"monthly premium must be {low}..{high} in steps of {step}, got {monthly_yen}",
        )


class DecreaseReason(StrEnum):
    """The three reasons for which a decrease is allowed (法4条, 経済産業省令; paragraph unverified)."""

    BUSINESS_SHRANK = "business_shrank"  # 事業の縮小で現在の月額が不要になった
    HARDSHIP = "hardship"  # 業況の悪化・病気・けが・急な支出で納付が著しく困難
    LOAN_CAP_REACHED = "loan_cap_reached"  # 共済金貸付残高 + 10 × 掛金総額 が8,000万円に達した


@dataclass(frozen=True)
class PremiumChangeDecision:
    allowed: bool
    reasons: tuple[Reason, ...]
    applies_from_month: dt.date | None  # the first premium month at the new amount
    new_debit_from_month: dt.date | None  # the first 27th debit at the new amount
    # new − old for the wished month when it is debited late (+: added, −: held as a deposit)
    catch_up_yen: int
    trace: Trace


def premium_change(
    current_monthly_yen: int,
    new_monthly_yen: int,
    *,
    received_on: dt.date,
    desired_month: dt.date,
    decrease_reason: DecreaseReason | None = None,
    prepayment_running: bool = False,
    params: ParameterSet | None = None,
) -> PremiumChangeDecision:
    """掛金月額変更 (様式 中 210) received by SMRJ on `received_on`, wishing `desired_month`.

    An increase may name the month it is lodged in or the next. A decrease needs one of the three
    reasons, may not be lodged before the wished month and is refused while a 前納 runs. If SMRJ
    receives the form by the 5th (cutoff_date) the wished month is debited at the new amount;
    otherwise it is debited at the old amount and the difference is settled with the next debit
    (added for an increase, held as a deposit for a decrease).
    """
    desired = month_of(desired_month)
    lodged = month_of(received_on)
    t = Explainer(
        "倒産防止共済 掛金月額の変更",
        {
            "現在の掛金月額": yen_text(current_monthly_yen),
            "変更後の掛金月額": yen_text(new_monthly_yen),
            "機構の受付日": received_on,
            "希望する月": desired.strftime("%Y-%m"),
            "減額の理由": decrease_reason.value if decrease_reason else "—",
            "前納中": prepayment_running,
        },
        params,
    )
    check_monthly(current_monthly_yen, desired, t)
    check_monthly(new_monthly_yen, desired, t)
    if new_monthly_yen == current_monthly_yen:
        raise RuleError(
            "変更後の掛金月額が現在と同じです", "the new monthly premium equals the current one"
        )
    increase = new_monthly_yen > current_monthly_yen
    t.step("変更の種類", "増額" if increase else "減額")
    reasons: list[Reason] = []
    if desired < lodged:
        reasons.append(
            Reason("desired_month_past", "過ぎた月にさかのぼって変更することはできません。")
        )
    elif increase and desired > add_months(lodged, 1):
        reasons.append(
            Reason(
                "increase_too_far_ahead", "増額は申込みをした月か、その翌月からしか希望できません。"
            )
        )
    elif not increase and desired > lodged:
        reasons.append(
            Reason("decrease_lodged_early", "減額は希望する月より前に申し込むことはできません。")
        )
    if not increase and decrease_reason is None:
        reasons.append(
            Reason(
                "decrease_reason_missing",
                "減額は、事業の縮小、納付が著しく困難、または共済金の貸付残高と掛金総額の10倍の合計が"
                "8,000万円に達した場合に限られます。",
            )
        )
    if not increase and prepayment_running:
        reasons.append(Reason("decrease_during_prepayment", "前納している期間中は減額できません。"))
    if reasons:
        t.step("変更", "できません")
        return PremiumChangeDecision(False, tuple(reasons), None, None, 0, t.trace())
    cutoff = cutoff_date(desired, t.params)
    t.count("common/change_cutoff_day", desired)  # cite the 5th in the trace
    on_time = received_on <= cutoff
    debit_from = desired if on_time else add_months(desired, 1)
    catch_up = 0 if on_time else new_monthly_yen - current_monthly_yen
    t.step("新しい月額が適用される月", desired.strftime("%Y-%m"))
    t.step(
        "新しい月額で振り替える最初の月",
        debit_from.strftime("%Y-%m"),
        f"締切 {cutoff.isoformat()} {'までに受付' if on_time else 'より後の受付'}",
    )
    if catch_up:
        t.step(
            "翌月の振替で精算する差額", yen_text(catch_up), "マイナスは預り金として後の掛金に充当"
        )
    return PremiumChangeDecision(True, (), desired, debit_from, catch_up, t.trace())


@dataclass(frozen=True)
class SuspensionDecision:
    allowed: bool
    reasons: tuple[Reason, ...]
    threshold_yen: int  # 掛金総額 needed: multiple × monthly
    stops_from_month: dt.date | None
    trace: Trace


def suspension(
    total_paid_yen: int,
    monthly_yen: int,
    *,
    received_on: dt.date,
    params: ParameterSet | None = None,
) -> SuspensionDecision:
    """掛止め (様式 中 211): allowed once 掛金総額 ≥ 40 × 掛金月額; from this month if received by the 5th."""
    t = Explainer(
        "倒産防止共済 掛止め",
        {
            "掛金総額": yen_text(total_paid_yen),
            "掛金月額": yen_text(monthly_yen),
            "受付日": received_on,
        },
        params,
    )
    check_monthly(monthly_yen, received_on, t)
    multiple = t.count("tosan/suspension_multiple", received_on)
    threshold = multiple * monthly_yen
    t.step("掛止めに必要な掛金総額", yen_text(threshold), f"{yen_text(monthly_yen)} × {multiple}")
    if total_paid_yen < threshold:
        reason = Reason(
            "total_below_suspension_threshold",
            f"掛金総額が掛金月額の{multiple}倍（{yen_text(threshold)}）に達していないため、掛止めできません。",
        )
        return SuspensionDecision(False, (reason,), threshold, None, t.trace())
    month = month_of(received_on)
    cutoff = cutoff_date(month, t.params)
    t.count("common/change_cutoff_day", month)
    stops = month if received_on <= cutoff else add_months(month, 1)
    t.step("掛止めが始まる月", stops.strftime("%Y-%m"), f"締切 {cutoff.isoformat()}")
    return SuspensionDecision(True, (), threshold, stops, t.trace())


@dataclass(frozen=True)
class CapQuote:
    months: int  # monthly payments still needed to reach the cap
    last_payment_yen: int
    trace: Trace


def premiums_to_cap(
    monthly_yen: int,
    *,
    paid_total_yen: int = 0,
    on: dt.date,
    params: ParameterSet | None = None,
) -> CapQuote:
    """Months until 掛金総額 reaches 800万円, and what the last month collects (法14条 [I])."""
    t = Explainer(
        "倒産防止共済 積立限度額までの納付",
        {
            "掛金月額": yen_text(monthly_yen),
            "納付済の掛金総額": yen_text(paid_total_yen),
            "基準日": on,
        },
        params,
    )
    check_monthly(monthly_yen, on, t)
    cap = t.yen("tosan/premium_total_cap", on)
    if paid_total_yen > cap:
        raise RuleError("掛金総額が積立限度額を超えています", "paid total exceeds the cap")
    room = cap - paid_total_yen
    months = -(-room // monthly_yen)  # ceiling division: a part month still needs a debit
    remainder_only = t.count("tosan/premium_cap_remainder_only", on) == 1
    t.step("限度額までの残り", yen_text(room), f"{yen_text(cap)} − {yen_text(paid_total_yen)}")
    t.step("必要な納付月数", f"{months}か月")
    if not months:
        return CapQuote(0, 0, t.trace())
    last = room - (months - 1) * monthly_yen if remainder_only else monthly_yen
    t.step("最後の月の納付額", yen_text(last), "残額だけを納付" if remainder_only else "月額全額")
    return CapQuote(months, last, t.trace())


@dataclass(frozen=True)
class PrepaymentLimit:
    max_months: int  # prepaid months on top of the month in which the payment is made
    trace: Trace


def prepayment_limit(
    monthly_yen: int,
    *,
    paid_total_yen: int = 0,
    on: dt.date,
    params: ParameterSet | None = None,
) -> PrepaymentLimit:
    """前納できる最大月数: the cap must hold the payment month plus every prepaid month.

    SMRJ: 10万円 → 79 months, 20万円 → 39 months at joining; the payment month is not prepaid.
    """
    t = Explainer(
        "倒産防止共済 前納できる月数",
        {
            "掛金月額": yen_text(monthly_yen),
            "納付済の掛金総額": yen_text(paid_total_yen),
            "前納する日": on,
        },
        params,
    )
    return PrepaymentLimit(_prepayable_months(monthly_yen, paid_total_yen, on, t), t.trace())


def _prepayable_months(monthly_yen: int, paid_total_yen: int, on: dt.date, t: Explainer) -> int:
    check_monthly(monthly_yen, on, t)
    cap = t.yen("tosan/premium_total_cap", on)
    whole_months = max(cap - paid_total_yen, 0) // monthly_yen
    limit = max(whole_months - 1, 0)
    t.step(
        "限度額に収まる月数",
        f"{whole_months}か月",
        f"({yen_text(cap)} − {yen_text(paid_total_yen)}) ÷ {yen_text(monthly_yen)}",
    )
    t.step("前納できる月数", f"{limit}か月", "納付する月そのものは前納月に数えない")
    return limit


@dataclass(frozen=True)
class PrepaymentDiscount:
    amount_yen: int
    rate: Decimal
    cumulative_months: int  # 1 + 2 + … + n
    trace: Trace


def prepayment_discount(
    monthly_yen: int,
    months: int,
    *,
    prepaid_on: dt.date,
    paid_total_yen: int = 0,
    params: ParameterSet | None = None,
) -> PrepaymentDiscount:
    """前納減額金 = 掛金月額 × 減額率 × 前納月数の累計 (法15条1項; 0.9/1000 from 2017-11-01).

    `months` must fit under the 積立限度額 beside `paid_total_yen` (prepayment_limit).
    """
    t = Explainer(
        "倒産防止共済 前納減額金",
        {
            "掛金月額": yen_text(monthly_yen),
            "前納月数": f"{months}か月",
            "前納した日": prepaid_on,
            "納付済の掛金総額": yen_text(paid_total_yen),
        },
        params,
    )
    limit = _prepayable_months(monthly_yen, paid_total_yen, prepaid_on, t)
    if not 1 <= months <= limit:
        raise RuleError(
            f"前納できるのは1か月から{limit}か月までです（{months}か月）",
            f"prepaid months must be 1..{limit}, got {months}",
        )
    cumulative = months * (months + 1) // 2
    t.step("前納月数の累計", f"{cumulative}か月", f"1 + 2 + … + {months}")
    rate = t.rate("tosan/prepay_discount_rate", prepaid_on)
    exact = monthly_yen * rate * cumulative
    amount = to_yen(exact, t.rounding("tosan/prepay_discount_rate"))
    t.step(
        "前納減額金",
        yen_text(amount),
        f"{yen_text(monthly_yen)} × {rate_text(rate)} × {cumulative}",
    )
    if amount != exact:
        t.warn("円未満の端数を切り捨てました（端数処理は未確認）。")
    return PrepaymentDiscount(amount, rate, cumulative, t.trace())


@dataclass(frozen=True)
class DiscountPayout:
    paid_yen: int
    payout_month: dt.date | None  # June of `year` when paid
    carried_yen: int  # carried to next year's payout
    trace: Trace


def prepayment_discount_payout(
    accrued_yen: int, *, year: int, params: ParameterSet | None = None
) -> DiscountPayout:
    """June payout of 前納減額金: the running total at the end of March of `year`, if ≥ 5,000円."""
    march_end = dt.date(year, 3, 31)
    t = Explainer(
        "倒産防止共済 前納減額金の支払",
        {"3月末の前納減額金の累計": yen_text(accrued_yen), "年": year},
        params,
    )
    minimum = t.yen("tosan/prepay_discount_payout_minimum", march_end)
    month = t.count("tosan/prepay_discount_payout_month", march_end)
    if accrued_yen < minimum:
        t.step("支払", "翌年に繰越し", f"{yen_text(accrued_yen)} < {yen_text(minimum)}")
        return DiscountPayout(0, None, accrued_yen, t.trace())
    payout = dt.date(year, month, 1)
    t.step("支払", f"{payout.strftime('%Y-%m')} に {yen_text(accrued_yen)}")
    return DiscountPayout(accrued_yen, payout, 0, t.trace())
