"""The scorecard's summary of procedures: how many were received each month, by kind, scheme,
channel and cycle time, with how many went straight through and how many were sent back 不備.

The reports read only this table (a few thousand rows a month at national scale), never the ten
million procedures: `tallies.refresh` rebuilds it month by month, set-based, from the procedures
and their timelines (see there for what each count means and how it is kept current).
"""

from django.db import models

from kyosai.procedures.models import Procedure


class Tally(models.Model):
    """Procedures received in `month` (Japan time) of one kind, scheme and channel, whose cycle
    time was `cycle_hours` (whole hours from receipt to the decision; null: not decided yet)."""

    month = models.DateField()  # the first day of the month
    kind = models.CharField(max_length=30, choices=Procedure.Kind.choices)
    scheme = models.CharField(max_length=10, blank=True)
    channel = models.CharField(max_length=10, choices=Procedure.Channel.choices)
    cycle_hours = models.IntegerField(null=True)
    received = models.PositiveIntegerField()
    stp = models.PositiveIntegerField()  # decided in favour with no staff step
    deficient = models.PositiveIntegerField()  # sent back 不備 at least once

    class Meta:
        indexes = [models.Index(fields=["month", "kind", "scheme"])]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.scheme} {self.kind} {self.channel}: {self.received}"


class Refresh(models.Model):
    """One rebuild of the tallies: from which month, when, and how long it took."""

    since = models.DateField()
    finished_at = models.DateTimeField()
    seconds = models.DecimalField(max_digits=9, decimal_places=3)
    rows = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.since:%Y-%m}〜 {self.finished_at:%Y-%m-%d %H:%M}"
