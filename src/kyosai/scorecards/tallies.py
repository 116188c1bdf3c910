"""Rebuilding the scorecard's tallies from the procedures, set-based.

What each procedure counts as (its timeline, procedures/timeline.py, is the record):

- month: the month of `received_at` in Japan time (the agency's 受付日 for paper);
- decided: its first event whose status is 承認, 不承認 or 完了 (an approval is the decision
  even when the payment or contract comes later); `cycle_hours` is the whole hours from
  `received_at` to that event, both taken to the whole second (null while undecided);
- stp (straight-through): decided, never rejected, and never in the staff queue, i.e. no 確認中
  event (procedures/actions.py: an enrollment whose automatic checks all pass is approved at
  once; a 掛金月額変更 is done at once; a 不備 fixed by the member and then approved by the checks
  is still straight-through, since no staff member touched it);
- deficient: sent back 不備 at least once (a 不備あり event).

Kept current by `refresh()` (`manage.py scorecards refresh`, nightly): it deletes and rebuilds, in
one transaction, every month from `since` on. By default `since` is the earliest month that still
holds an undecided procedure, and at most two months back from today, so that procedures decided
since the last run move from "undecided" to their cycle time; a procedure, once decided, never
changes its counts again (a decision is final and 不備 comes before it), so older months stay as
they are. `refresh(since=None)` with an empty table rebuilds everything.
"""

import datetime as dt
import time
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from kyosai.billing.sql import bulk_settings, execute, postgres
from kyosai.core.days import day_start
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months, month_of
from kyosai.scorecards.models import Refresh, Tally

DECIDED = (Procedure.Status.APPROVED, Procedure.Status.REJECTED, Procedure.Status.DONE)
RECENT_MONTHS = 2  # the months before this one are always rebuilt: late decisions land there


def _month_sql(column: str) -> str:
    if postgres():
        return f"date_trunc('month', {column} AT TIME ZONE %(zone)s)::date"
    # SQLite keeps UTC text; Japan has kept +9 hours all year since 1952.
    return f"date({column}, '+9 hours', 'start of month')"


def _seconds_sql(column: str) -> str:
    if postgres():
        return f"floor(extract(epoch FROM {column}))::bigint"
    return f"CAST(strftime('%%s', substr({column}, 1, 19)) AS INTEGER)"


def _statement() -> str:
    decided = ", ".join(f"'{status}'" for status in DECIDED)
    # Only this module's constants are put into the text; the values are parameters.
    return f"""
        INSERT INTO scorecards_tally (month, kind, scheme, channel, cycle_hours, received, stp,
                                      deficient)
        SELECT month, kind, scheme, channel, cycle_hours, COUNT(*), SUM(stp), SUM(deficient)
        FROM (
            SELECT {_month_sql("received_at")} AS month, kind, scheme, channel,
                   ({_seconds_sql("decided_at")} - {_seconds_sql("received_at")}) / 3600
                       AS cycle_hours,
                   CASE WHEN decided_at IS NOT NULL AND staffed = 0 AND rejected = 0
                        THEN 1 ELSE 0 END AS stp,
                   deficient
            FROM (
                SELECT p.id, p.kind, p.scheme, p.channel, p.received_at,
                       MIN(CASE WHEN e.status IN ({decided}) THEN e.at END) AS decided_at,
                       MAX(CASE WHEN e.status = 'checking' THEN 1 ELSE 0 END) AS staffed,
                       MAX(CASE WHEN e.status = 'rejected' THEN 1 ELSE 0 END) AS rejected,
                       MAX(CASE WHEN e.status = 'deficient' THEN 1 ELSE 0 END) AS deficient
                FROM procedures_procedure p
                LEFT JOIN procedures_procedureevent e ON e.procedure_id = p.id
                WHERE p.received_at >= %(since)s
                GROUP BY p.id, p.kind, p.scheme, p.channel, p.received_at
            ) per_procedure
        ) per_row
        GROUP BY month, kind, scheme, channel, cycle_hours"""  # noqa: S608


def default_since(today: dt.date) -> dt.date | None:
    """The first month to rebuild: None (everything) when nothing was tallied yet."""
    if not Tally.objects.exists():
        return None
    recent = add_months(month_of(today), -RECENT_MONTHS)
    open_month = Tally.objects.filter(cycle_hours__isnull=True).aggregate(m=Min("month"))["m"]
    return min(recent, open_month) if open_month else recent


@transaction.atomic
def refresh(*, today: dt.date, since: dt.date | None = None) -> Refresh:
    """Rebuild the tallies of every month from `since` (default: default_since(today))."""
    started = time.perf_counter()
    since = since or default_since(today)
    if since is None:
        first = Procedure.objects.aggregate(m=Min("received_at"))["m"]
        since = month_of(timezone.localdate(first)) if first else month_of(today)
    since = month_of(since)
    bulk_settings()
    Tally.objects.filter(month__gte=since).delete()
    start = day_start(since)
    rows = execute(_statement(), {"since": start, "zone": settings.TIME_ZONE})
    if postgres():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scorecards_tally")
    seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    return Refresh.objects.create(
        since=since, finished_at=timezone.now(), seconds=seconds, rows=rows
    )
