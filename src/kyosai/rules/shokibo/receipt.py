"""受取方法: 一括・分割・併用, 法9条の2・9条の3 and 施行令.

一括 is open to every benefit. 分割 and 併用 are open only to 共済金A and B, never to a claim
arising from the holder's death, and need age 60 or over on the event date and a net benefit of
300万円 (分割) or 330万円 with 一括 ≥ 30万円 and 分割 ≥ 300万円 (併用). Instalments run 10 or 15
years, 6 payments a year for claims received from 2016-04-01 (4 before).

How much each instalment is (法9条の3第4項) could not be read: `instalment_schedule` spreads the
分割 part as level payments at an unconfirmed rate (`shokibo/instalment_interest_rate`), so the
schedule a member is shown carries that status in its trace.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import add_months, month_of, next_business_day
from kyosai.rules.decision import Checks, Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

CONDITIONS = "shokibo/instalment_conditions"
INTEREST = "shokibo/instalment_interest_rate"
INSTALMENT_YEARS = (10, 15)  # 分割支給期間 (法9条の3, R4)


class ReceiptMethod(StrEnum):
    LUMP = "lump"  # 一括
    INSTALMENT = "instalment"  # 分割
    COMBINED = "combined"  # 一括と分割の併用


class ClaimKind(StrEnum):
    A = "A"  # 共済金A
    B = "B"  # 共済金B
    QUASI = "quasi"  # 準共済金
    REFUND = "refund"  # 解約手当金（一括のみ、法12条の2）


METHOD_LABEL = {
    ReceiptMethod.LUMP: "一括",
    ReceiptMethod.INSTALMENT: "分割",
    ReceiptMethod.COMBINED: "併用",
}


@dataclass(frozen=True)
class ReceiptDecision:
    allowed: bool
    reasons: tuple[Reason, ...]
    payments_per_year: int | None  # for 分割/併用
    payment_count: int | None
    payment_months: tuple[int, ...]
    trace: Trace


@dataclass(frozen=True)
class ReceiptRequest:
    method: ReceiptMethod
    claim: ClaimKind
    net_benefit_yen: int  # after deducting unpaid loans, unpaid premiums and their surcharges
    age_on_event: int
    event_on: dt.date
    claim_received_on: dt.date
    death: bool = False
    lump_part_yen: int = 0  # 併用 only: the part taken at once
    years: int = 10  # 分割・併用: 分割支給期間

    def __post_init__(self) -> None:
        if min(self.net_benefit_yen, self.age_on_event, self.lump_part_yen) < 0:
            raise RuleError("金額・年齢に負の値は使えません", "amounts and age must be >= 0")
        if self.lump_part_yen > self.net_benefit_yen:
            raise RuleError("一括部分が共済金を超えています", "lump part exceeds the benefit")
        if self.years not in INSTALMENT_YEARS:
            raise RuleError(
                "分割の期間は10年か15年です", "instalment period must be 10 or 15 years"
            )


def check_receipt(request: ReceiptRequest, params: ParameterSet | None = None) -> ReceiptDecision:
    """Whether the benefit may be received by `request.method`."""
    r = request
    t = Explainer(
        f"小規模企業共済 受取方法（{METHOD_LABEL[r.method]}）",
        {
            "受取方法": METHOD_LABEL[r.method],
            "共済金の種類": r.claim.value,
            "差引後の共済金": yen_text(r.net_benefit_yen),
            "共済事由の生じた日の年齢": f"{r.age_on_event}歳",
            "死亡による請求": r.death,
            "請求受付日": r.claim_received_on,
        },
        params,
    )
    checks = Checks(t)
    if r.method == ReceiptMethod.LUMP:
        decision = checks.decision("一括受取")
        return ReceiptDecision(True, (), None, None, (), decision.trace)

    def condition(name: str) -> int:
        return t.row_where(CONDITIONS, r.event_on, "condition", name).count("value")

    checks.require(
        r.claim in (ClaimKind.A, ClaimKind.B),
        "共済金の種類",
        "claim_not_a_or_b",
        "分割・併用で受け取れるのは共済金Aと共済金Bだけです。",
    )
    checks.require(
        not r.death, "死亡以外の事由", "death_claim", "死亡による請求は一括でのみ受け取れます。"
    )
    min_age = condition("min_age")
    checks.require(
        r.age_on_event >= min_age,
        f"共済事由の生じた日に{min_age}歳以上",
        "under_age",
        f"分割・併用は共済事由の生じた日に{min_age}歳以上の方に限られます。",
    )
    if r.method == ReceiptMethod.INSTALMENT:
        minimum = condition("instalment_min_net_yen")
        checks.require(
            r.net_benefit_yen >= minimum,
            f"共済金が{yen_text(minimum)}以上",
            "below_instalment_minimum",
            f"分割には差引後の共済金が{yen_text(minimum)}以上必要です。",
        )
    else:
        net, lump = condition("combined_min_net_yen"), condition("combined_min_lump_yen")
        part = condition("combined_min_instalment_yen")
        instalment_part = r.net_benefit_yen - r.lump_part_yen
        checks.require(
            r.net_benefit_yen >= net,
            f"共済金が{yen_text(net)}以上",
            "below_combined_minimum",
            f"併用には差引後の共済金が{yen_text(net)}以上必要です。",
        )
        checks.require(
            r.lump_part_yen >= lump,
            f"一括部分が{yen_text(lump)}以上",
            "lump_part_too_small",
            f"併用の一括部分は{yen_text(lump)}以上にしてください。",
        )
        checks.require(
            instalment_part >= part,
            f"分割部分が{yen_text(part)}以上",
            "instalment_part_too_small",
            f"併用の分割部分（{yen_text(instalment_part)}）は{yen_text(part)}以上必要です。",
        )
    payments_per_year = t.count("shokibo/instalment_payments_per_year", r.claim_received_on)
    months = t.row("shokibo/instalment_payment_months", r.event_on, payments_per_year).text(
        "months"
    )
    count = payments_per_year * r.years
    t.step("分割の支給回数", f"{count}回", f"年{payments_per_year}回（{months}月）× {r.years}年")
    t.warn(
        "分割で支給される各回の金額の算式は確認できていません（法9条の3）。"
        "支給予定の金額は未確認の利率による見込みです。"
    )
    decision = checks.decision(f"{METHOD_LABEL[r.method]}受取")
    return ReceiptDecision(
        decision.allowed,
        decision.reasons,
        payments_per_year,
        count,
        tuple(int(month) for month in months.split(",")),
        decision.trace,
    )


@dataclass(frozen=True)
class Instalment:
    number: int  # 1, 2, …
    due_on: dt.date
    amount_yen: int


@dataclass(frozen=True)
class InstalmentSchedule:
    instalments: tuple[Instalment, ...]
    total_yen: int
    trace: Trace


def instalment_schedule(
    principal_yen: int,
    *,
    years: int,
    event_on: dt.date,
    claim_received_on: dt.date,
    params: ParameterSet | None = None,
) -> InstalmentSchedule:
    """The 分割 part `principal_yen` paid over `years`: level payments in the payment months,
    the first in the first payment month after the month the claim was received (R5 [I])."""
    if principal_yen <= 0:
        raise RuleError("分割で受け取る額がありません", "nothing to pay in instalments")
    if years not in INSTALMENT_YEARS:
        raise RuleError("分割の期間は10年か15年です", "instalment period must be 10 or 15 years")
    t = Explainer(
        "小規模企業共済 分割共済金の支給予定",
        {"分割で受け取る額": yen_text(principal_yen), "分割支給期間": f"{years}年",
         "請求受付日": claim_received_on},
        params,
    )  # fmt: skip
    per_year = t.count("shokibo/instalment_payments_per_year", claim_received_on)
    months_text = t.row("shokibo/instalment_payment_months", event_on, per_year).text("months")
    months = [int(m) for m in months_text.split(",")]
    day = t.count("shokibo/instalment_payment_day", claim_received_on)
    annual = t.rate(INTEREST, claim_received_on)
    count = per_year * years
    rate = annual / per_year
    exact = (
        Decimal(principal_yen) / count
        if not rate
        else Decimal(principal_yen) * rate / (1 - (1 + rate) ** -count)
    )
    rounding = t.rounding(INTEREST)
    level = to_yen(exact, rounding)
    total = to_yen(exact * count, rounding)
    last = total - level * (count - 1)  # the rounding left over is paid with the last
    t.step(
        "1回の支給額",
        yen_text(level),
        f"{yen_text(principal_yen)}を年{rate_text(annual)}（その{per_year}分の1を1回分の利率）で"
        f"{count}回の元利均等払い（円未満切捨て）",
    )
    t.step("最終回の支給額", yen_text(last), "端数を最終回で調整")
    t.step("支給総額", yen_text(total))
    month = month_of(claim_received_on)
    due: list[dt.date] = []
    while len(due) < count:
        month = add_months(month, 1)
        if month.month in months:
            due.append(next_business_day(month.replace(day=day)))
    t.step(
        "支給日",
        f"{due[0].isoformat()}〜{due[-1].isoformat()}",
        f"年{per_year}回（{months_text}月）",
    )
    instalments = tuple(
        Instalment(n, on, last if n == count else level) for n, on in enumerate(due, start=1)
    )
    return InstalmentSchedule(instalments, total, t.trace())
