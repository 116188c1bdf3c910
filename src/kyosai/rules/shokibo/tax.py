"""退職所得控除 for a 共済金 taken as a lump sum (所得税法30条; SMRJ FAQ on 共済金 and tax).

A lump-sum 共済金A・B or 準共済金 is 退職所得, taxed on half of what exceeds the deduction; the
deduction grows with the 勤続年数, which for this scheme is the 掛金納付月数 in years (掛止め
months are not counted, so the caller passes the months actually paid).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kyosai.rules.errors import RuleError
from kyosai.rules.money import to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

DEDUCTION = "shokibo/retirement_income_deduction"


@dataclass(frozen=True)
class RetirementDeduction:
    amount_yen: int
    years: int  # 勤続年数
    trace: Trace


def retirement_income_deduction(
    months_paid: int,
    *,
    paid_on: dt.date,
    disability: bool = False,
    params: ParameterSet | None = None,
) -> RetirementDeduction:
    """退職所得控除額 for a lump sum paid on `paid_on` after `months_paid` months of premiums."""
    if months_paid < 1:
        raise RuleError("掛金納付月数は1か月以上です", "months paid must be at least 1")
    t = Explainer(
        "小規模企業共済 退職所得控除額（一括受取）",
        {"掛金納付月数": f"{months_paid}か月", "支払日": paid_on, "障害による退職": disability},
        params,
    )
    # Whole years by the rounding the parameter names (a part year counts as a year).
    years = to_yen(Decimal(months_paid) / 12, t.rounding(DEDUCTION))
    t.step("勤続年数", f"{years}年", f"{months_paid}か月 ÷ 12（1年未満の端数は1年）")
    row = t.row(DEDUCTION, paid_on, years)
    base, per_year = row.yen("base_yen"), row.yen("per_year_yen")
    counted = years - row.count("offset_years")
    amount = base + per_year * counted
    t.step(
        "退職所得控除額",
        yen_text(amount),
        f"{yen_text(base)} + {yen_text(per_year)} × {counted}年" if per_year else "最低額",
    )
    if disability:
        addition = t.yen("shokibo/retirement_income_disability_addition", paid_on)
        amount += addition
        t.step("障害による退職の加算後", yen_text(amount), f"+ {yen_text(addition)}")
    return RetirementDeduction(amount, years, t.trace())
