"""Days as moments: where a date meets a timestamp column."""

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the operator's time zone: a paper form's 受付日 as the time
    it was received, or the bound of a period of days."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
