"""Build the provisional 施行令 別表第一 (基本共済金 per 500円 掛金区分) until the official table is loaded.

Only five rows of columns A and B are confirmed (shokibo_rules.md §3.3: the 10,000円/月 anchor
table ÷ 20). Every other cell is filled by the method below and marked `provisional`; the method is
documented in parameters/shokibo/README.md. Run from the repository root:

    .venv/bin/python tools/build_provisional_benefit_table.py

The output is deterministic (Decimal arithmetic only), and a test checks that re-running this
script reproduces the committed CSV byte for byte.
"""

import datetime as dt
from decimal import ROUND_FLOOR, Decimal, localcontext
from functools import cache
from pathlib import Path

from kyosai.rules.params import Table, load_parameter_file

PARAMETERS = Path(__file__).resolve().parent.parent / "src/kyosai/rules/parameters/shokibo"
CSV_PATH = PARAMETERS / "benefit_table.csv"
HEADER = "months,a_yen,a_status,b_yen,b_status,quasi_yen,quasi_status"
FIRST_MONTH, LAST_MONTH = 36, 840
SLICE_YEN = Decimal(500)
MONTHLY_INTEREST = Decimal("0.01") / 12  # 予定利率 1%/年 (shokibo_rules.md F6), monthly compounding
# Confirmed per-slice amounts (§3.3): months -> (共済金A, 共済金B).
ANCHORS = {
    60: (31_070, 30_730),
    120: (64_530, 63_040),
    180: (100_550, 97_020),
    240: (139_320, 132_940),
    360: (217_400, 210_590),
}
CONVERGED = 420  # secondary source: A = B at 35 years (§3.3, kokohore)


def future_value(months: int) -> Decimal:
    """500円 paid at the end of each month for `months` months at the 予定利率."""
    growth = (1 + MONTHLY_INTEREST) ** months
    return SLICE_YEN * (growth - 1) / MONTHLY_INTEREST


def anchor_ratios(column: int) -> dict[int, Decimal]:
    return {m: Decimal(values[column]) / future_value(m) for m, values in ANCHORS.items()}


def interpolated(ratios: dict[int, Decimal], months: int) -> Decimal:
    """Linear between anchors, flat below the first and after the last."""
    points = sorted(ratios)
    if months <= points[0]:
        return ratios[points[0]]
    if months >= points[-1]:
        return ratios[points[-1]]
    upper = next(p for p in points if p >= months)
    lower = max(p for p in points if p < months)
    share = Decimal(months - lower) / (upper - lower)
    return ratios[lower] + (ratios[upper] - ratios[lower]) * share


def ratio_a(months: int, a: dict[int, Decimal], b: dict[int, Decimal]) -> Decimal:
    """A's ratio, converging linearly to B's between 360 and 420 months and equal after."""
    last = max(ANCHORS)
    if months <= last:
        return interpolated(a, months)
    share = min(Decimal(months - last) / (CONVERGED - last), Decimal(1))
    return a[last] + (interpolated(b, months) - a[last]) * share


@cache
def refund_rates() -> Table:
    """令 別表第二 as committed (parameters/shokibo/refund_rate.yaml)."""
    parameter = load_parameter_file(PARAMETERS / "refund_rate.yaml", "shokibo/refund_rate")
    table = parameter.at(dt.date(2004, 4, 1)).value
    assert isinstance(table, Table)
    return table


def floor_yen(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_FLOOR))


def build_rows() -> list[str]:
    with localcontext() as context:
        context.prec = 40
        a, b = anchor_ratios(0), anchor_ratios(1)
        lines = [HEADER]
        previous_a = previous_b = 0
        for months in range(FIRST_MONTH, LAST_MONTH + 1):
            if months in ANCHORS:
                amount_a, amount_b = ANCHORS[months]
                status = "confirmed"
            else:
                base = future_value(months)
                amount_a = floor_yen(base * ratio_a(months, a, b))
                amount_b = floor_yen(base * interpolated(b, months))
                status = "provisional"
            # Forced non-decreasing: more months never pay less (法9条3項 tabulates by months).
            amount_a, amount_b = max(amount_a, previous_a), max(amount_b, previous_b)
            if months in ANCHORS and (amount_a, amount_b) != ANCHORS[months]:
                raise SystemExit(f"anchor {months} not reproduced: {amount_a}, {amount_b}")
            previous_a, previous_b = amount_a, amount_b
            # 準共済金: premiums returned, or the 解約手当金 rate where it exceeds 100% (unconfirmed).
            quasi = floor_yen(
                SLICE_YEN * months * max(Decimal(1), refund_rates().lookup(months).rate("rate"))
            )
            lines.append(f"{months},{amount_a},{status},{amount_b},{status},{quasi},provisional")
    return lines


def render() -> str:
    return "\n".join(build_rows()) + "\n"


if __name__ == "__main__":
    CSV_PATH.write_text(render(), encoding="utf-8", newline="\n")
    print(f"wrote {CSV_PATH}")
