"""A charge for paying late, by the day: overdue × yearly rate × days late ÷ the year's days.

Both schemes charge it on loan repayments not made by their due date (tosan 違約金 L9, shokibo
延滞利息 L6), each with its own rate, day basis and rounding in its parameters.
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.errors import RuleError
from kyosai.rules.money import rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace


@dataclass(frozen=True)
class LateChargeQuote:
    amount_yen: int
    trace: Trace


def daily_late_charge(
    overdue_yen: int,
    days_late: int,
    *,
    due_on: dt.date,
    title: str,
    label: str,
    rate_name: str,
    basis_name: str,
    params: ParameterSet | None = None,
) -> LateChargeQuote:
    """`label` of `overdue_yen` paid `days_late` days after `due_on`: rate and day basis in force
    on the due date, rounded as the basis parameter says."""
    if overdue_yen < 0 or days_late < 0:
        raise RuleError("金額・日数に負の値は使えません", "amounts and days must be >= 0")
    t = Explainer(
        title,
        {"延滞額": yen_text(overdue_yen), "延滞日数": f"{days_late}日", "償還期日": due_on},
        params,
    )
    rate = t.rate(rate_name, due_on)
    basis = t.count(basis_name, due_on)
    amount = to_yen(overdue_yen * rate * days_late / basis, t.rounding(basis_name))
    t.step(
        label,
        yen_text(amount),
        f"{yen_text(overdue_yen)} × {rate_text(rate)} × {days_late} ÷ {basis}",
    )
    return LateChargeQuote(amount, t.trace())
