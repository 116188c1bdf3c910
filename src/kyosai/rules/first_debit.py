"""The first direct debit after joining: which month, which day, how many months and how much.

Both schemes debit first in the second month after the application month (tosan P15, shokibo P9),
collecting the months since together; the month count is printed on the 共済契約締結証書.
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.calendar import add_months, debit_date, month_of
from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.scheme import Scheme
from kyosai.rules.trace import Explainer, Trace

SCHEME_LABEL = {Scheme.SHOKIBO: "小規模企業共済", Scheme.TOSAN: "倒産防止共済"}


@dataclass(frozen=True)
class FirstDebit:
    month: dt.date  # the month of the first debit (first day)
    debit_on: dt.date  # 初回口座振替予定日
    months: int  # premium months it collects
    amount_yen: int
    trace: Trace


def first_debit(
    scheme: Scheme,
    monthly_yen: int,
    *,
    applied_on: dt.date,
    params: ParameterSet | None = None,
) -> FirstDebit:
    """The first debit of a contract applied for on `applied_on` at `monthly_yen` a month."""
    if monthly_yen <= 0:
        raise RuleError("掛金月額は正の金額です", "monthly premium must be positive")
    t = Explainer(
        f"{SCHEME_LABEL[scheme]} 初回の口座振替",
        {"申込日": applied_on, "掛金月額": yen_text(monthly_yen)},
        params,
    )
    after = t.count(f"{scheme}/first_debit_months_after", applied_on)
    covered = t.count(f"{scheme}/first_debit_months_covered", applied_on)
    month = add_months(month_of(applied_on), after)
    t.count(f"{scheme}/debit_day", month)  # cite the debit day used
    debit_on = debit_date(scheme, month, t.params)
    amount = monthly_yen * covered
    t.step("初回振替月", f"{month:%Y-%m}", f"申込月の{after}か月後")
    t.step("初回口座振替予定日", debit_on.isoformat(), "振替日が休日なら翌営業日")
    t.step("初回の振替額", yen_text(amount), f"{yen_text(monthly_yen)} × {covered}か月分")
    return FirstDebit(month, debit_on, covered, amount, t.trace())
