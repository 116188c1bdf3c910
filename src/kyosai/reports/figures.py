"""The arithmetic of the reports, pure: rankings with ties (rates are `rules.money.percent`)."""

from collections.abc import Sequence


def competition_ranks(counts: Sequence[int]) -> list[int]:
    """Standard competition ranking of counts in descending order (1, 2, 2, 4): a row's rank is
    one more than the number of rows with a larger count, as the published rankings print ties."""
    if list(counts) != sorted(counts, reverse=True):
        raise ValueError("counts must be in descending order")
    ranks: list[int] = []
    for index, count in enumerate(counts):
        ranks.append(ranks[-1] if index and counts[index - 1] == count else index + 1)
    return ranks
