"""解約手当金 (cancellation refund), 法7条・法11条, 施行令4条.

解約手当金 = 掛金総額 × 支給率(掛金納付月数, 解約の種類). Both the total and the months leave out
prepaid months that have not yet arrived; the total also leaves out 1/10 of every 共済金 loan
(its premium right is extinguished, 法9条) and premiums already applied to repay loans or 違約金.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace


class CancellationType(StrEnum):
    VOLUNTARY = "voluntary"  # 任意解約 (法7条3項)
    DEEMED = "deemed"  # みなし解約 (法7条4項)
    OPERATOR = "operator"  # 機構解約 (法7条2項)


CANCELLATION_LABEL = {
    CancellationType.VOLUNTARY: "任意解約",
    CancellationType.DEEMED: "みなし解約",
    CancellationType.OPERATOR: "機構解約",
}


@dataclass(frozen=True)
class PremiumAccount:
    """What a tosan contract has paid, as the refund and loan rules need it."""

    premiums_paid_yen: int  # every premium collected, prepaid ones included
    months_paid: int  # 掛金納付月数 including prepaid months, excluding 掛止め months
    prepaid_unarrived_months: int = 0  # 前納 months whose month has not yet come
    prepaid_unarrived_yen: int = 0
    kyosaikin_loans_yen: tuple[int, ...] = ()  # every 共済金 loan ever taken
    premiums_applied_to_loans_yen: int = 0  # premiums used to repay loans or 違約金

    def __post_init__(self) -> None:
        amounts = (
            self.premiums_paid_yen,
            self.months_paid,
            self.prepaid_unarrived_months,
            self.prepaid_unarrived_yen,
            self.premiums_applied_to_loans_yen,
            *self.kyosaikin_loans_yen,
        )
        if any(amount < 0 for amount in amounts):
            raise RuleError("金額・月数に負の値は使えません", "amounts and months must be >= 0")
        if self.prepaid_unarrived_months > self.months_paid:
            raise RuleError(
                "未到来の前納月数が納付月数を超えています",
                "prepaid unarrived months exceed months paid",
            )


@dataclass(frozen=True)
class EligibleTotal:
    amount_yen: int
    months: int


def eligible_total(account: PremiumAccount, on: dt.date, explainer: Explainer) -> EligibleTotal:
    """掛金総額 and 掛金納付月数 as the refund counts them, each exclusion a traced step.

    The total can never exceed the 積立限度額 (法4条: debits stop there), so more is bad input.
    """
    t = explainer
    total = account.premiums_paid_yen
    t.step("納付済掛金の合計", yen_text(total))
    if account.prepaid_unarrived_yen:
        total -= account.prepaid_unarrived_yen
        t.step(
            "未到来の前納掛金を除く",
            yen_text(total),
            f"− {yen_text(account.prepaid_unarrived_yen)}",
        )
    forfeited = sum(loan // 10 for loan in account.kyosaikin_loans_yen)
    if forfeited:
        total -= forfeited
        t.step(
            "共済金貸付額の10分の1（権利消滅分）を除く", yen_text(total), f"− {yen_text(forfeited)}"
        )
    if account.premiums_applied_to_loans_yen:
        total -= account.premiums_applied_to_loans_yen
        t.step(
            "償還金・違約金に充当された掛金を除く",
            yen_text(total),
            f"− {yen_text(account.premiums_applied_to_loans_yen)}",
        )
    cap = t.yen("tosan/premium_total_cap", on)
    if total > cap:
        raise RuleError(
            f"掛金総額 {yen_text(total)} が積立限度額 {yen_text(cap)} を超えています",
            f"premium total {total} exceeds the cap {cap}",
        )
    months = account.months_paid - account.prepaid_unarrived_months
    t.step("掛金納付月数（未到来の前納月を除く）", f"{months}か月")
    return EligibleTotal(max(total, 0), months)


@dataclass(frozen=True)
class RefundQuote:
    amount_yen: int
    rate: Decimal
    eligible_total_yen: int
    months: int
    trace: Trace


def cancellation_refund(
    account: PremiumAccount,
    *,
    cancellation: CancellationType,
    on: dt.date,
    params: ParameterSet | None = None,
) -> RefundQuote:
    """解約手当金 for a cancellation of type `cancellation` taking effect on `on`."""
    t = Explainer(
        f"倒産防止共済 解約手当金（{CANCELLATION_LABEL[cancellation]}）",
        {
            "解約日": on,
            "納付済掛金": yen_text(account.premiums_paid_yen),
            "掛金納付月数": f"{account.months_paid}か月",
            "未到来の前納": f"{account.prepaid_unarrived_months}か月・"
            f"{yen_text(account.prepaid_unarrived_yen)}",
            "共済金貸付": "、".join(map(yen_text, account.kyosaikin_loans_yen)) or "なし",
        },
        params,
    )
    total = eligible_total(account, on, t)
    rate = t.row("tosan/refund_rate", on, total.months).rate(cancellation.value)
    t.step("支給率", rate_text(rate), f"{total.months}か月・{CANCELLATION_LABEL[cancellation]}")
    amount = to_yen(total.amount_yen * rate, t.rounding("tosan/refund_rate"))
    t.step("解約手当金", yen_text(amount), f"{yen_text(total.amount_yen)} × {rate_text(rate)}")
    if total.months < 12:
        t.warn("掛金納付月数が12か月未満のため、解約手当金は支給されません。")
    return RefundQuote(amount, rate, total.amount_yen, total.months, t.trace())
