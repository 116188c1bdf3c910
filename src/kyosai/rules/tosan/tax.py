"""Tax: the window after a cancellation in which a re-joiner's premiums are not deductible.

租税特別措置法28条1項2号・66条の11第1項2号 as amended in 2024: when a contract is cancelled on or
after 2024-10-01 and the holder joins again, premiums paid from the cancellation date until
「同日以後2年を経過する日」 are neither 損金 nor 必要経費. Earlier cancellations are unrestricted.
The day convention (the day before the 2nd anniversary) is calendar.day_before_anniversary.
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.calendar import day_before_anniversary
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace


@dataclass(frozen=True)
class TaxWindow:
    restricted: bool
    last_non_deductible_on: dt.date | None  # the window is cancelled_on .. this day, inclusive
    paid_on_deductible: bool | None  # for `paid_on`, when one was given
    trace: Trace


def rejoin_tax_window(
    cancelled_on: dt.date,
    *,
    paid_on: dt.date | None = None,
    params: ParameterSet | None = None,
) -> TaxWindow:
    """The non-deductible window a cancellation on `cancelled_on` opens, and whether `paid_on` is in it."""
    t = Explainer(
        "倒産防止共済 再加入後の掛金の損金・必要経費算入",
        {"解除の日": cancelled_on, "掛金を納めた日": paid_on or "—"},
        params,
    )
    years = t.count("tosan/tax_rejoin_window_years", cancelled_on)
    last = day_before_anniversary(cancelled_on, years) if years else None
    if last is None:
        t.step("再加入後の制限", "なし", "2024年9月30日以前の解除")
    else:
        t.step(
            "損金・必要経費にならない期間",
            f"{cancelled_on.isoformat()}〜{last.isoformat()}",
            f"解除の日から{years}年を経過する日まで",
        )
    deductible = None
    if paid_on is not None:
        deductible = last is None or not cancelled_on <= paid_on <= last
        t.step("この掛金の損金・必要経費算入", "できる" if deductible else "できない")
    return TaxWindow(last is not None, last, deductible, t.trace())
