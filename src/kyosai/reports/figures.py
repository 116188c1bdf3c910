"""The arithmetic of the reports, pure: achievement rates and rankings with ties."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

RATE_STEP = Decimal("0.1")


def rate_pct(actual: int, target: int | None, rounding: str = ROUND_HALF_UP) -> Decimal | None:
    """達成率 in percent to 0.1 (四捨五入 by default, as the published tables): 7,603 of 3,420 →
    222.3. None when there is no target to reach (none set, or 0)."""
    if not target:
        return None
    return (Decimal(actual) * 100 / Decimal(target)).quantize(RATE_STEP, rounding=rounding)


def competition_ranks(counts: Sequence[int]) -> list[int]:
    """Standard competition ranking of counts in descending order (1, 2, 2, 4): a row's rank is
    one more than the number of rows with a larger count, as the published rankings print ties."""
    if list(counts) != sorted(counts, reverse=True):
        raise ValueError("counts must be in descending order")
    ranks: list[int] = []
    for index, count in enumerate(counts):
        ranks.append(ranks[-1] if index and counts[index - 1] == count else index + 1)
    return ranks
