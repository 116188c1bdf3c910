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


def rate_text(rate: Decimal) -> str:
    """Decimal('0.95') -> '95%', Decimal('0.0009') -> '0.09%'."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"
