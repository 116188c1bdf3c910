"""Helpers shared by the shokibo rule tests."""

import datetime as dt

from kyosai.rules.calendar import add_months
from kyosai.rules.shokibo.history import PremiumSpan

# A history from 2019-04 touches no fiscal year with a non-zero 付加共済金 rate, matching the
# assumption of shokibo_rules.md §10 ("a 付加共済金 rate of 0 unless stated").
START = dt.date(2019, 4, 1)


def history(*pairs: tuple[int, int], start: dt.date = START) -> list[PremiumSpan]:
    """(monthly yen, months) pairs laid end to end from `start`."""
    spans = []
    for monthly, months in pairs:
        spans.append(PremiumSpan(start, months, monthly))
        start = add_months(start, months)
    return spans


def event_after(spans: list[PremiumSpan]) -> dt.date:
    return spans[-1].end_month
