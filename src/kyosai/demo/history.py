"""Three years of past procedures for the scorecard pages: received online, through agencies
and on paper (the online share rising over the years), each decided: straight through within
seconds, after a 不備 fixed by the member, or by staff after hours to days. Only their
timelines are kept (no party or contract): they are figures for the reports, not members."""

import datetime as dt
import random

from django.utils import timezone

from kyosai.procedures.models import Procedure, ProcedureEvent
from kyosai.rules.calendar import add_months, month_of

MONTHS = 36
PER_MONTH = 60
# (kind, scheme, weight): the scorecard's target procedures and a few others.
KINDS = [
    ("enrollment", "shokibo", 5), ("enrollment", "tosan", 3), ("premium_change", "shokibo", 4),
    ("premium_change", "tosan", 3), ("cancellation", "tosan", 2), ("benefit_claim", "shokibo", 1),
    ("tsusan", "shokibo", 1), ("party_change", "", 2),
]  # fmt: skip
STAFF_KINDS = {"cancellation", "benefit_claim", "tsusan"}
S = Procedure.Status


def procedure_history(rng: random.Random, today: dt.date) -> int:
    """Create the history (before this month) and return how many procedures it holds."""
    first = add_months(month_of(today), -MONTHS)
    planned = []
    for back in range(MONTHS):
        month = add_months(first, back)
        online_share = 0.1 + 0.3 * back / MONTHS
        for _ in range(PER_MONTH):
            kind, scheme = _pick(rng)
            draw = rng.random()
            channel = (
                Procedure.Channel.ONLINE if draw < online_share
                else Procedure.Channel.AGENCY if draw < online_share + 0.05
                else Procedure.Channel.PAPER
            )  # fmt: skip
            day = rng.randrange(28)
            received = timezone.make_aware(
                dt.datetime.combine(month + dt.timedelta(days=day), dt.time(9 + rng.randrange(8)))
            )
            planned.append((kind, scheme, channel, received, _timeline(rng, kind, received)))
    procedures = Procedure.objects.bulk_create(
        Procedure(
            kind=kind, scheme=scheme, channel=channel, status=S.DONE, received_at=received,
            idempotency_key=f"demo-history-{n}",
        )
        for n, (kind, scheme, channel, received, _) in enumerate(planned)
    )  # fmt: skip
    ProcedureEvent.objects.bulk_create(
        ProcedureEvent(procedure=procedure, at=at, status=status, message=message)
        for procedure, (*_, timeline) in zip(procedures, planned, strict=True)
        for at, status, message in timeline
    )
    return len(procedures)


def _pick(rng: random.Random) -> tuple[str, str]:
    kind, scheme, _ = rng.choices(KINDS, weights=[w for *_, w in KINDS])[0]
    return kind, scheme


def _timeline(
    rng: random.Random, kind: str, received: dt.datetime
) -> list[tuple[dt.datetime, str, str]]:
    """Received, then straight through (70 %), 不備 and fixed (5 %) or the staff queue."""
    steps: list[tuple[dt.datetime, str, str]] = [(received, S.RECEIVED, "受け付けました。")]
    draw = rng.random()
    if kind not in STAFF_KINDS and draw < 0.7:
        steps.append((received + dt.timedelta(seconds=2), S.DONE, "自動審査で完了しました。"))
    elif kind not in STAFF_KINDS and draw < 0.75:
        fixed = received + dt.timedelta(hours=rng.randrange(2, 120))
        steps += [
            (received + dt.timedelta(seconds=2), S.DEFICIENT, "不備があります。"),
            (fixed, S.RECEIVED, "修正を受け付けました。"),
            (fixed + dt.timedelta(seconds=2), S.DONE, "自動審査で完了しました。"),
        ]
    else:
        decided = received + dt.timedelta(hours=rng.randrange(3, 400))
        steps += [
            (received + dt.timedelta(seconds=2), S.CHECKING, "担当者が確認しています。"),
            (decided, S.APPROVED, "担当者が承認しました。"),
            (decided, S.DONE, "完了しました。"),
        ]
    return steps
