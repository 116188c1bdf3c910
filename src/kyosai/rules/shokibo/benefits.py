"""共済金A・共済金B・準共済金, 法9条・法12条3項2号・4項, 施行令 別表第一.

共済金 = Σ over 500円 掛金区分 of the 区分共済金額 (法9条2項). A slice with fewer than 36 months
pays its premiums back (500 × months, 法9条3項1号); from 36 months it pays the 別表第一 amount for
its months and the event's column, plus 付加共済金 (法9条3項2号). Nothing is paid under 6 months
for A/B (法9条1項) or under 12 months for 準共済金 (法12条1項).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import add_months, fiscal_year, fiscal_year_start
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

TABLE = "shokibo/benefit_table"
ADDITIONAL_RATE = "shokibo/additional_benefit_rate"


class BenefitKind(StrEnum):
    A = "A"  # 共済金A: 廃業・会社の解散など (法9条1項1号), 別表第一 第2欄
    B = "B"  # 共済金B: 老齢給付・役員の疾病負傷による退任など (法9条1項2号・3号), 第3欄
    QUASI = "quasi"  # 準共済金: 法7条4項の解約 (法12条3項2号), 第4欄


BENEFIT_LABEL = {BenefitKind.A: "共済金A", BenefitKind.B: "共済金B", BenefitKind.QUASI: "準共済金"}
_COLUMN = {BenefitKind.A: "a", BenefitKind.B: "b", BenefitKind.QUASI: "quasi"}
_STATUS_LABEL = {"confirmed": "確認済", "unconfirmed": "未確認", "provisional": "暫定"}


@dataclass(frozen=True)
class BenefitQuote:
    amount_yen: int
    basic_yen: int
    additional_yen: int
    slice_months: tuple[int, ...]  # 掛金納付月数 of slice 1, 2, …
    trace: Trace


@dataclass(frozen=True)
class AdditionalBenefitQuote:
    amount_yen: int
    rate: Decimal
    trace: Trace


def benefit(
    spans: Sequence[PremiumSpan],
    *,
    kind: BenefitKind,
    on: dt.date,
    params: ParameterSet | None = None,
) -> BenefitQuote:
    """共済金A/B or 準共済金 for the event on `on`, from the premium history `spans`."""
    ordered = check_history(spans, params)
    t = Explainer(
        f"小規模企業共済 {BENEFIT_LABEL[kind]}",
        {
            "共済事由の生じた日": on,
            "掛金の納付履歴": history_text(ordered),
        },
        params,
    )
    months = slice_months(ordered)
    t.step("掛金納付月数", f"{months[0]}か月", "掛金区分1（最初の500円）の納付月数")
    minimum_name = (
        "shokibo/refund_minimum_months"
        if kind == BenefitKind.QUASI
        else "shokibo/benefit_minimum_months"
    )
    minimum = t.count(minimum_name, on)
    if months[0] < minimum:
        t.step(BENEFIT_LABEL[kind], yen_text(0), f"掛金納付月数が{minimum}か月未満")
        t.warn(f"掛金納付月数が{minimum}か月未満のため、{BENEFIT_LABEL[kind]}は支給されません。")
        return BenefitQuote(0, 0, 0, months, t.trace())
    threshold = t.count("shokibo/basic_benefit_from_months", on)
    basic = 0
    for first, last, slice_count in groups(months):
        per_slice, how = _slice_amount(t, kind, slice_count, threshold, on)
        size = last - first + 1
        basic += per_slice * size
        t.step(
            f"掛金区分{first}〜{last}（{size}区分・{slice_count}か月）",
            yen_text(per_slice * size),
            f"1区分 {yen_text(per_slice)} × {size}（{how}）",
        )
    t.step("基本共済金（区分共済金額の合計）", yen_text(basic), "法9条2項")
    additional = _additional_over_history(t, ordered, kind, threshold, on)
    amount = basic + additional
    t.step(BENEFIT_LABEL[kind], yen_text(amount), f"{yen_text(basic)} + {yen_text(additional)}")
    return BenefitQuote(amount, basic, additional, months, t.trace())


def _slice_amount(
    t: Explainer, kind: BenefitKind, months: int, threshold: int, on: dt.date
) -> tuple[int, str]:
    if months < threshold:
        return SLICE_YEN * months, f"{threshold}か月未満は掛金の合計額 500円×{months}"
    column = _COLUMN[kind]
    row = t.row(TABLE, on, months, column=f"{column}_yen")
    status = _STATUS_LABEL[row.text(f"{column}_status")]
    return row.yen(f"{column}_yen"), f"別表第一 {months}か月の{BENEFIT_LABEL[kind]}欄 [{status}]"


def _basic_of_long_slices(
    t: Explainer, kind: BenefitKind, months: Sequence[int], on: dt.date, threshold: int
) -> int:
    """基本共済金 of the slices with at least `threshold` months (the base of 付加共済金)."""
    return sum(_slice_amount(t, kind, m, threshold, on)[0] for m in months if m >= threshold)


def _additional_over_history(
    t: Explainer, spans: Sequence[PremiumSpan], kind: BenefitKind, threshold: int, on: dt.date
) -> int:
    """付加共済金: for each fiscal year with a non-zero 支給率, the rate × 基本共済金 at its end.

    法9条3項2号ロ・ハ could not be read (shokibo_rules.md §3.5); this follows the operator's
    description (F7): the rate set for the year applies to the 基本共済金 of members with 36 months
    or more in that year and accrues until the member leaves.
    """
    total = 0
    last_paid = add_months(spans[-1].end_month, -1)
    for year in range(fiscal_year(spans[0].first_month), fiscal_year(last_paid) + 1):
        rate = t.rate(ADDITIONAL_RATE, fiscal_year_start(year))
        if not rate:
            continue
        year_end = add_months(fiscal_year_start(year), 12)
        basic = _basic_of_long_slices(t, kind, slice_months(spans, until=year_end), on, threshold)
        if basic:
            total += _additional_for_year(t, basic, year)
    t.step(
        "付加共済金",
        yen_text(total),
        "運用上の解釈（法9条3項2号ロ・ハ未確認）: 支給率が0でない年度ごとに、その年度末の"
        "36か月以上の区分の基本共済金 × 支給率",
    )
    return total


def _additional_for_year(t: Explainer, basic_yen: int, year: int) -> int:
    rate = t.rate(ADDITIONAL_RATE, fiscal_year_start(year))
    amount = to_yen(basic_yen * rate, t.rounding(ADDITIONAL_RATE))
    t.step(
        f"{year}年度の付加共済金",
        yen_text(amount),
        f"{yen_text(basic_yen)} × {rate_text(rate)}（円未満切捨て）",
    )
    return amount


def yearly_additional_benefit(
    basic_yen: int, year: int, params: ParameterSet | None = None
) -> AdditionalBenefitQuote:
    """付加共済金 earned in one fiscal year on a 基本共済金 of `basic_yen`."""
    t = Explainer(
        "小規模企業共済 付加共済金（1年度分）",
        {"年度": f"{year}年度", "基本共済金": yen_text(basic_yen)},
        params,
    )
    amount = _additional_for_year(t, basic_yen, year)
    rate = t.rate(ADDITIONAL_RATE, fiscal_year_start(year))
    return AdditionalBenefitQuote(amount, rate, t.trace())
