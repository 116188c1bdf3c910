"""Money: whole yen as int, rates as Decimal, and every rounding named.

The statutes mostly produce whole yen already; where they do not, the parameter file of the
calculation names the rounding mode and the rule passes it here.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum


class Rounding(StrEnum):
    FLOOR = "floor"  # 円未満切捨て
    HALF_UP = "half_up"  # 四捨五入
    CEILING = "ceiling"  # 切上げ


_DECIMAL_MODE = {
    Rounding.FLOOR: ROUND_FLOOR,
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.CEILING: ROUND_CEILING,
}


def to_yen(amount: Decimal, rounding: Rounding) -> int:
    """A Decimal amount of yen made whole by the named rounding."""
    return int(amount.quantize(Decimal(1), rounding=_DECIMAL_MODE[rounding]))


def floor_to_unit(amount_yen: int, unit_yen: int) -> int:
    """The largest multiple of `unit_yen` not above `amount_yen` (e.g. 5万円単位, 切捨て)."""
    return (amount_yen // unit_yen) * unit_yen


def yen_text(amount_yen: int) -> str:
    """1500000 -> '1,500,000円'."""
    return f"{amount_yen:,}円"


PERCENT_PLACES = Decimal("0.1")  # report rates are shown to 0.1 %


def percent(part: int, whole: int | None, rounding: str = ROUND_HALF_UP) -> Decimal | None:
    """part / whole as a percentage to 0.1, rounded half up (四捨五入, as the published tables)
    unless told otherwise: 7,603 of 3,420 → 222.3. None when there is nothing to divide by (no
    whole, or 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_PLACES, rounding=rounding)


def rate_text(rate: Decimal) -> str:
    """Decimal('0.95') -> '95%', Decimal('0.0009') -> '0.09%'."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"
