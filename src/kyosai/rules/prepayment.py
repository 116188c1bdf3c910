"""前納 in both schemes: the month a request received on a given day is debited with, the day by
which it must be received, and the 振替日 of that month.

* tosan P18: received by the 5th of the month (the next business day if a holiday), the lump is
  debited on that month's 27th; a request received later lapses.
* shokibo: the references give a deadline only for 一括納付 (P10: the 20th of the month before
  the debit month, the 15th in December, the business day before if a holiday). It is applied to
  前納 as unconfirmed parameters; the lump is debited on the 18th of the month after the request.

How many months may be prepaid and the 前納減額金 are each scheme's own
(tosan.premiums.prepayment_limit / prepayment_discount, shokibo.premiums likewise).
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.calendar import (
    add_months,
    cutoff_date,
    debit_date,
    month_of,
    previous_business_day,
)
from kyosai.rules.first_debit import SCHEME_LABEL
from kyosai.rules.params import ParameterSet
from kyosai.rules.scheme import Scheme
from kyosai.rules.trace import Explainer, Trace


@dataclass(frozen=True)
class PrepaymentWindow:
    debit_month: dt.date  # the month whose premium is debited with the prepaid months (first day)
    deadline: dt.date  # the request must be received by this day
    debit_on: dt.date  # 振替日 of the lump
    trace: Trace


def prepayment_window(
    scheme: Scheme, received_on: dt.date, *, params: ParameterSet | None = None
) -> PrepaymentWindow:
    """The debit month a 前納 received on `received_on` asks for, its deadline and its 振替日."""
    t = Explainer(f"{SCHEME_LABEL[scheme]} 前納の振替月と締切日", {"受付日": received_on}, params)
    this_month = month_of(received_on)
    if scheme == Scheme.TOSAN:
        debit_month = this_month
        t.count("common/change_cutoff_day", debit_month)  # cite the 5th in the trace
        deadline = cutoff_date(debit_month, t.params)
        how = "振替月の5日、休日は翌営業日（倒産防止 P18）"
    else:
        debit_month = add_months(this_month, 1)
        december = this_month.month == 12
        name = "shokibo/prepay_deadline_day_december" if december else "shokibo/prepay_deadline_day"
        deadline = previous_business_day(this_month.replace(day=t.count(name, this_month)))
        how = (
            "振替月の前月20日（12月は15日）、休日は前営業日（小規模 P10 の一括納付の締切、未確認）"
        )
    t.count(f"{scheme}/debit_day", debit_month)  # cite the debit day used
    debit_on = debit_date(scheme, debit_month, t.params)
    t.step("振替月", f"{debit_month:%Y-%m}", "申出の月" if scheme == Scheme.TOSAN else "申出の翌月")
    t.step("申出の締切日", deadline.isoformat(), how)
    t.step("振替日", debit_on.isoformat(), "振替日が休日なら翌営業日")
    return PrepaymentWindow(debit_month, deadline, debit_on, t.trace())
