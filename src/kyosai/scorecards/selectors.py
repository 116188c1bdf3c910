"""The scorecard reports, each one aggregate query over the tallies (scorecards/tallies.py).

オンライン利用率 (資料3): for each target procedure, the share of its applications made online,
per month and per fiscal-year period (cumulative: online applications over all applications of
the period), from the month online applications began. What counts:

- an application is a procedure of that kind and scheme received through the portal
  (`online`), an agency (`agency`) or on paper (`paper`); a procedure the operator began itself
  (`operator`, e.g. 機構解約) is no application and is left out;
- online is `online` and `agency`: an agency's submission is keyed by its clerk but confirmed and
  submitted by the client on the portal through a one-time link (agencies/, 資料3's オンライン申請
  through the 受付ポータル), while a paper form recorded by the agency is `paper` (the 持込(紙) of
  the seed's flow charts). Both are shown apart in the counts, so the rate without agencies can
  be read off too.

The month in which online applications began is counted whole (the tallies are monthly), so the
first month of the procedures begun on 令和7年9月22日 includes three weeks of paper-only days.

Operations: per procedure, scheme and channel over a run of months, the STP rate (decided
straight through / decided), the 不備 rate (sent back at least once / received) and the cycle
time from receipt to decision (median and 90th percentile, rules.scorecard.percentile, in hours).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from kyosai.procedures.models import Procedure
from kyosai.rules.money import PERCENT_PLACES, percent
from kyosai.rules.scorecard import (
    OnlineProcedure,
    Period,
    Target,
    fiscal_periods,
    month_label,
    months_between,
    online_procedures,
    percentile,
    target,
)
from kyosai.scorecards.models import Refresh, Tally

ONLINE_CHANNELS = (Procedure.Channel.ONLINE, Procedure.Channel.AGENCY)
APPLICATION_CHANNELS = (*ONLINE_CHANNELS, Procedure.Channel.PAPER)
MEDIAN, P90 = Decimal("0.5"), Decimal("0.9")
HOURS_PLACES = Decimal("0.1")


@dataclass(frozen=True)
class Share:
    """Applications of a month or period: by channel, the online share and the target."""

    label: str
    by_channel: dict[str, int]
    target: Target | None  # None before online applications began (the share is not counted)

    @property
    def online(self) -> int:
        return sum(self.by_channel.get(c, 0) for c in ONLINE_CHANNELS)

    @property
    def total(self) -> int:
        return sum(self.by_channel.get(c, 0) for c in APPLICATION_CHANNELS)

    @property
    def rate(self) -> Decimal | None:
        """Percent to 0.1 (rounded half up); None before the start or with no applications."""
        return None if self.target is None else percent(self.online, self.total)

    @property
    def target_percent(self) -> Decimal | None:
        return None if self.target is None else (self.target.rate * 100).quantize(PERCENT_PLACES)

    @property
    def met(self) -> bool | None:
        """Whether the rate reached the target (None when there is no rate)."""
        rate, goal = self.rate, self.target_percent
        return None if rate is None or goal is None else rate >= goal


@dataclass(frozen=True)
class OnlineRow:
    procedure: OnlineProcedure
    months: list[Share]
    periods: list[Share]


@dataclass(frozen=True)
class OnlineUsage:
    first: dt.date
    last: dt.date
    months: list[dt.date]
    periods: list[Period]
    rows: list[OnlineRow]
    refreshed: Refresh | None


def online_usage(first: dt.date, last: dt.date) -> OnlineUsage:
    """The オンライン利用率 of every target procedure, month by month from `first` to `last`
    (months) and by fiscal year cut to that range."""
    procedures = online_procedures()
    counts: dict[tuple[str, str, dt.date], dict[str, int]] = defaultdict(dict)
    rows = (
        Tally.objects.filter(
            month__range=(first, last), kind__in={p.kind for p in procedures},
            channel__in=APPLICATION_CHANNELS,
        )
        .values("month", "kind", "scheme", "channel")
        .annotate(n=Sum("received"))
        .order_by()
    )  # fmt: skip
    for row in rows:
        counts[(row["scheme"], row["kind"], row["month"])][row["channel"]] = row["n"]
    months = months_between(first, last)
    periods = fiscal_periods(first, last)
    result = [
        OnlineRow(
            procedure,
            [_share(procedure, counts, month_label(m), [m], _month_end(m)) for m in months],
            [_share(procedure, counts, p.label, p.months(), _month_end(p.last)) for p in periods],
        )
        for procedure in procedures
    ]
    return OnlineUsage(first, last, months, periods, result, latest_refresh())


def _share(
    procedure: OnlineProcedure,
    counts: dict[tuple[str, str, dt.date], dict[str, int]],
    label: str,
    span: list[dt.date],
    on: dt.date,
) -> Share:
    """The applications of `procedure` in the months of `span` from its online start, with the
    target in force on `on` (none when every month of the span is before the start)."""
    counted = [m for m in span if m >= procedure.online_from.replace(day=1)]
    channels: dict[str, int] = defaultdict(int)
    for month in counted:
        for channel, n in counts[(procedure.scheme, procedure.kind, month)].items():
            channels[channel] += n
    return Share(label, dict(channels), target(procedure.key, on) if counted else None)


def _month_end(month: dt.date) -> dt.date:
    """The last day of the month: the target of a month or period is the one in force then."""
    following = month.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


@dataclass
class OperationsRow:
    kind: str
    scheme: str
    channel: str
    received: int = 0
    decided: int = 0
    stp: int = 0
    deficient: int = 0
    cycle: list[tuple[int, int]] = field(default_factory=list)  # (hours, how many)

    @property
    def kind_label(self) -> str:
        return str(Procedure.Kind(self.kind).label)

    @property
    def scheme_label(self) -> str:
        return {"shokibo": "小規模企業共済", "tosan": "倒産防止共済"}.get(self.scheme, "両制度")

    @property
    def channel_label(self) -> str:
        return str(Procedure.Channel(self.channel).label)

    @property
    def stp_rate(self) -> Decimal | None:
        return percent(self.stp, self.decided)

    @property
    def deficient_rate(self) -> Decimal | None:
        return percent(self.deficient, self.received)

    @property
    def median_hours(self) -> Decimal | None:
        return _hours(percentile(self.cycle, MEDIAN))

    @property
    def p90_hours(self) -> Decimal | None:
        return _hours(percentile(self.cycle, P90))


def _hours(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(HOURS_PLACES)


@dataclass(frozen=True)
class Operations:
    first: dt.date
    last: dt.date
    rows: list[OperationsRow]
    refreshed: Refresh | None


def operations(first: dt.date, last: dt.date) -> Operations:
    """STP rate, 不備 rate and cycle time of every procedure kind, scheme and channel received
    from `first` to `last` (months)."""
    groups: dict[tuple[str, str, str], OperationsRow] = {}
    rows = (
        Tally.objects.filter(month__range=(first, last))
        .values("kind", "scheme", "channel", "cycle_hours")
        .annotate(received=Sum("received"), stp=Sum("stp"), deficient=Sum("deficient"))
        .order_by()
    )
    for row in rows:
        key = (row["kind"], row["scheme"], row["channel"])
        group = groups.setdefault(key, OperationsRow(*key))
        group.received += row["received"]
        group.stp += row["stp"]
        group.deficient += row["deficient"]
        if row["cycle_hours"] is not None:
            group.decided += row["received"]
            group.cycle.append((row["cycle_hours"], row["received"]))
    kinds = list(Procedure.Kind.values)
    channels = list(Procedure.Channel.values)
    ordered = sorted(
        groups.values(),
        key=lambda r: (kinds.index(r.kind), r.scheme, channels.index(r.channel)),
    )
    return Operations(first, last, ordered, latest_refresh())


def latest_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-finished_at", "-pk").first()
