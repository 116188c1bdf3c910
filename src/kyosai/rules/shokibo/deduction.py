"""小規模企業共済掛金控除証明書: the amounts it certifies for a calendar year (shokibo_rules.md §7,
formats.md §3.1).

* X1 (所得税法75条): the whole of the premiums paid in the year is deductible (prepayments of up
  to a year count in the year paid). The certificate is issued before the year ends (X3: in
  November for members who paid by September), so it states 払込済額 — what the debits up to the
  cut-off month collected — and 払込予定額 — the premiums the rest of the year's debits are due to
  collect — and 控除合計額 as their sum. The February certificate (late joiners, X3) counts the
  whole year as paid.
* X2 [S]: 前納減額金 received in the year reduces the deductible amount.
* X4: when the year's amount cannot be fixed the 控除額 box is printed "****": arrears (the
  rest of the year may or may not be paid), or a prepayment running into the next year across a
  change of 掛金月額. Such a member is not dropped: what is known (払込済額, 前納減額金) is still
  certified, and the reason is stated (備考).
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

PAID_THROUGH = "shokibo/deduction_certificate_paid_through_month"
WITHHELD_MARK = "****"  # what the 控除額 box shows when the amount cannot be fixed (X4)


@dataclass(frozen=True)
class DeductionFacts:
    """What the ledger says about one contract's year, as of the end of `paid_through_month`."""

    year: int
    paid_through_month: int  # the last debit month counted as paid (1–12)
    paid_yen: int  # premiums collected by the paid debits of the year through that month
    due_yen: int  # premiums the year's later debits are due to collect (0 when none)
    discount_yen: int  # 前納減額金 received in the year (X2)
    arrears_yen: int  # premiums of failed debits not collected since
    prepaid_across_premium_change: bool  # a prepayment into next year spans a 月額変更 (X4)


@dataclass(frozen=True)
class Deduction:
    paid_through_month: int
    paid_yen: int
    due_from_month: int | None  # None: nothing is due for the rest of the year
    due_yen: int
    discount_yen: int
    deduction_yen: int | None  # None: "****", for the reason below
    withheld_reason: str
    trace: Trace

    @property
    def deduction_text(self) -> str:
        return WITHHELD_MARK if self.deduction_yen is None else yen_text(self.deduction_yen)


def autumn_paid_through_month(year: int, params: ParameterSet | None = None) -> int:
    """The last debit month the autumn certificate counts as paid (X3: September)."""
    return Explainer("控除証明書の締め月", {}, params).count(PAID_THROUGH, dt.date(year, 12, 31))


def deduction(facts: DeductionFacts, params: ParameterSet | None = None) -> Deduction:
    """The certificate's amounts, or what is known and why the total is "****" (X1, X2, X4)."""
    if not 1 <= facts.paid_through_month <= 12:
        raise RuleError("締め月は1月から12月です", "paid_through_month must be 1..12")
    if min(facts.paid_yen, facts.due_yen, facts.discount_yen, facts.arrears_yen) < 0:
        raise RuleError("金額は0円以上です", "amounts must not be negative")
    t = Explainer(
        "小規模企業共済掛金控除証明書",
        {"年分": f"{facts.year}年", "払込済の締め月": f"{facts.paid_through_month}月"},
        params,
    )
    due_yen = facts.due_yen if facts.paid_through_month < 12 else 0
    due_from = facts.paid_through_month + 1 if facts.paid_through_month < 12 else None
    t.step(
        "払込済額", yen_text(facts.paid_yen), f"1月から{facts.paid_through_month}月の振替分（X1）"
    )
    if due_from:
        t.step("払込予定額", yen_text(due_yen), f"{due_from}月から12月の振替予定分（X1）")
    t.step(
        "前納減額金", yen_text(facts.discount_yen), "年中に受け取った額は控除額から差し引く（X2）"
    )
    reason = ""
    if facts.arrears_yen and due_from:  # once the year is over, unpaid months are simply not paid
        reason = (
            f"未納の掛金（{yen_text(facts.arrears_yen)}）があり、年内に納付される額が確定しないため、"
            "控除合計額を記載できません。納付した掛金の領収書等で申告してください。"
        )
    elif facts.prepaid_across_premium_change:
        reason = (
            "翌年にわたる前納の期間中に掛金月額が変わるため、年内の控除額が確定しません。"
            "控除合計額を記載できません。"
        )
    amount: int | None = None
    if reason:
        t.step("控除合計額", WITHHELD_MARK, reason)
    else:
        amount = max(facts.paid_yen + due_yen - facts.discount_yen, 0)
        t.step(
            "控除合計額",
            yen_text(amount),
            f"{yen_text(facts.paid_yen)} + {yen_text(due_yen)} − {yen_text(facts.discount_yen)}",
        )
    return Deduction(
        paid_through_month=facts.paid_through_month,
        paid_yen=facts.paid_yen,
        due_from_month=due_from,
        due_yen=due_yen,
        discount_yen=facts.discount_yen,
        deduction_yen=amount,
        withheld_reason=reason,
        trace=t.trace(),
    )
