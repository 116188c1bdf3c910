"""業務委託手数料: what the operator pays a 委託機関 for the work it handled in a month.

A fee per new contract (by scheme) and per other procedure (by kind), from the dated fee table
`common/agency_fee` (the real amounts are not published: the table says so). The counts come
from the caller (agencies.selectors counts them by month); this only prices them, so a month is
priced with the table in force on its first day.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kyosai.rules.errors import RuleError
from kyosai.rules.money import yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

FEE_TABLE = "common/agency_fee"


def new_contract_item(scheme: str) -> str:
    return f"new_contract:{scheme}"


def procedure_item(kind: str) -> str:
    return f"procedure:{kind}"


@dataclass(frozen=True)
class FeeLine:
    item: str  # the fee table's row
    label: str
    count: int
    unit_yen: int
    amount_yen: int


@dataclass(frozen=True)
class AgencyFee:
    month: dt.date
    lines: tuple[FeeLine, ...]  # in the order of the counts given, items counted 0 left out
    total_yen: int
    trace: Trace


def agency_fee(
    counts: Mapping[str, int], *, month: dt.date, params: ParameterSet | None = None
) -> AgencyFee:
    """The fee for `counts` (fee table item → how many were handled) in `month`."""
    if any(n < 0 for n in counts.values()):
        raise RuleError("件数に負の値は使えません", "counts must be >= 0")
    month = month.replace(day=1)
    t = Explainer(
        f"{month.year}年{month.month}月の業務委託手数料",
        {"対象月": f"{month.year}年{month.month}月", "件数": f"{sum(counts.values())}件"},
        params,
    )
    lines = []
    for item, n in counts.items():
        if not n:
            continue
        row = t.row_where(FEE_TABLE, month, "item", item)
        unit = row.yen("fee_yen")
        lines.append(FeeLine(item, row.text("label"), n, unit, n * unit))
        t.step(row.text("label"), yen_text(n * unit), f"{n}件 × {yen_text(unit)}")
    total = sum(line.amount_yen for line in lines)
    t.step(
        "手数料の合計", yen_text(total), " + ".join(yen_text(x.amount_yen) for x in lines) or "0"
    )
    return AgencyFee(month, tuple(lines), total, t.trace())
