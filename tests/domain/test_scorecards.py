"""The scorecard reports against figures computed by hand on a small fixture: online shares per
month and per period, STP and 不備 rates, median and p90 cycle times, and the tallies kept
current by a refresh."""

import datetime as dt
import io
import itertools
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from kyosai.procedures.actions import do_submit_enrollment
from kyosai.procedures.models import Procedure, ProcedureEvent
from kyosai.rules.scorecard import percentile
from kyosai.scorecards.models import Tally
from kyosai.scorecards.selectors import online_usage, operations
from kyosai.scorecards.tallies import refresh
from tests.domain.test_agency_channel import APPLICATION

pytestmark = pytest.mark.django_db
JST = dt.timezone(dt.timedelta(hours=9))
K, C, S = Procedure.Kind, Procedure.Channel, Procedure.Status
_serial = itertools.count()


def make(
    kind: str, scheme: str, channel: str, received: dt.datetime, *steps: tuple[str, float]
) -> Procedure:
    """A procedure received at `received` (Japan time) with timeline steps (status, hours after)."""
    procedure = Procedure.objects.create(
        kind=kind, scheme=scheme, channel=channel, received_at=received,
        idempotency_key=f"fixture-{next(_serial)}",
    )  # fmt: skip
    ProcedureEvent.objects.create(procedure=procedure, at=received, status=S.RECEIVED, message="")
    for status, hours in steps:
        at = received + dt.timedelta(hours=hours)
        ProcedureEvent.objects.create(procedure=procedure, at=at, status=status, message="")
    return procedure


def at(y: int, m: int, d: int = 10, h: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=JST)


def times(n: int, *args: object) -> None:
    for _ in range(n):
        make(*args)  # type: ignore[arg-type]


@pytest.fixture
def online_fixture() -> None:
    """tosan 加入 (online from 2023-09) and shokibo 掛金月額変更, by hand:

    2023-08  1 online 1 paper                        before the start: not counted
    2023-09  1 online 1 agency 2 paper 1 operator   2/4  = 50.0 %
    2023-10  1 online 2 paper                        1/3  = 33.3 %
    2024-03  1 paper (23:30 on the 31st, Japan time) 0/1  =  0.0 %
    2024-04  2 online 1 paper (01:00 on the 1st)     2/3  = 66.7 %
    R5.9-R6.3: 3/8 = 37.5 %; R6.4-R6.4: 66.7 %
    shokibo 掛金月額変更 2023-11: 1 online 15 paper: 1/16 = 6.25 → 6.3 % (half up)
    """
    tosan, done = ("enrollment", "tosan"), (S.DONE, 0)
    make(*tosan, C.ONLINE, at(2023, 8), done)
    make(*tosan, C.PAPER, at(2023, 8), done)
    make(*tosan, C.ONLINE, at(2023, 9), done)
    make(*tosan, C.AGENCY, at(2023, 9), done)
    times(2, *tosan, C.PAPER, at(2023, 9))
    make(*tosan, C.OPERATOR, at(2023, 9))
    make(*tosan, C.ONLINE, at(2023, 10))
    times(2, *tosan, C.PAPER, at(2023, 10))
    make(*tosan, C.PAPER, at(2024, 3, 31, 23, 30))
    times(2, *tosan, C.ONLINE, at(2024, 4, 30, 23, 59))
    make(*tosan, C.PAPER, at(2024, 4, 1, 1, 0))
    make("premium_change", "shokibo", C.ONLINE, at(2023, 11), done)
    times(15, "premium_change", "shokibo", C.PAPER, at(2023, 11), done)
    refresh(today=dt.date(2024, 5, 1))


def rates(row: object) -> dict[str, Decimal | None]:
    return {s.label: s.rate for s in row.months + row.periods}  # type: ignore[attr-defined]


def test_online_shares_per_month_and_period_match_the_hand_computed_figures(
    online_fixture: None,
) -> None:
    report = online_usage(dt.date(2023, 8, 1), dt.date(2024, 4, 1))
    rows = {row.procedure.key: row for row in report.rows}
    tosan = rates(rows["tosan_enrollment"])
    assert tosan["R5.8"] is None  # online applications began in 令和5年9月
    assert (tosan["R5.9"], tosan["R5.10"], tosan["R5.11"]) == (
        Decimal("50.0"),
        Decimal("33.3"),
        None,
    )
    assert (tosan["R6.3"], tosan["R6.4"]) == (Decimal("0.0"), Decimal("66.7"))
    # 3 online of 8, the month before the start left out:
    assert tosan["R5.8-R6.3"] == Decimal("37.5")
    assert tosan["R6.4-R6.4"] == Decimal("66.7")
    assert rates(rows["shokibo_premium_change"])["R5.11"] == Decimal("6.3")
    september = rows["tosan_enrollment"].months[1]
    assert september.by_channel == {"online": 1, "agency": 1, "paper": 2}  # no operator
    assert (september.online, september.total, september.target_percent) == (2, 4, Decimal("20.0"))
    assert september.met is True and rows["tosan_enrollment"].months[7].met is False
    assert rates(rows["shokibo_tsusan"])["R6.4"] is None  # online from 令和7年9月22日


def test_the_enrollment_target_rises_to_30_percent_from_fiscal_2026(online_fixture: None) -> None:
    report = online_usage(dt.date(2026, 3, 1), dt.date(2026, 4, 1))
    [march, april] = next(r for r in report.rows if r.procedure.key == "tosan_enrollment").months
    assert (march.target_percent, april.target_percent) == (Decimal("20.0"), Decimal("30.0"))
    assert april.rate is None  # no applications that month


@pytest.fixture
def operations_fixture() -> None:
    """tosan 加入 received in April 2024, by hand:

    online  A approved at once                         STP, 0 h
            B 不備, resubmitted +24 h, approved +25 h  STP (no staff), 不備, 25 h
            C staff queue, approved +50 h              50 h
            D staff queue, rejected +100 h             100 h
            E staff queue, undecided
      → received 5, decided 4, STP 2/4 = 50.0 %, 不備 1/5 = 20.0 %,
        cycle 0 25 50 100: median 37.5 h, p90 at 2.7 → 50 + 0.7 × 50 = 85.0 h
    paper   F done after 1 h 59 min (1 h, whole hours cut), G done after 3 h
      → STP 100.0 %, median 2.0 h, p90 1 + 0.9 × 2 = 2.8 h
    """
    args = ("enrollment", "tosan", C.ONLINE, at(2024, 4))
    make(*args, (S.APPROVED, 0), (S.DONE, 0))
    make(*args, (S.DEFICIENT, 0), (S.RECEIVED, 24), (S.APPROVED, 25), (S.DONE, 25))
    make(*args, (S.CHECKING, 0), (S.CHECKING, 2), (S.APPROVED, 50), (S.DONE, 50))
    make(*args, (S.CHECKING, 0), (S.REJECTED, 100))
    make(*args, (S.CHECKING, 0))
    paper = ("enrollment", "tosan", C.PAPER, at(2024, 4, 20))
    make(*paper, (S.DONE, 1 + 59 / 60))
    make(*paper, (S.DONE, 3))
    refresh(today=dt.date(2024, 5, 1))


def test_stp_deficiency_and_cycle_times_match_the_hand_computed_figures(
    operations_fixture: None,
) -> None:
    report = operations(dt.date(2024, 4, 1), dt.date(2024, 4, 1))
    online, paper = report.rows
    assert (online.channel, online.received, online.decided, online.stp) == ("online", 5, 4, 2)
    assert (online.stp_rate, online.deficient_rate) == (Decimal("50.0"), Decimal("20.0"))
    assert (online.median_hours, online.p90_hours) == (Decimal("37.5"), Decimal("85.0"))
    assert (paper.channel, paper.stp_rate, paper.deficient_rate) == (
        "paper",
        Decimal("100.0"),
        Decimal("0.0"),
    )
    assert (paper.median_hours, paper.p90_hours) == (Decimal("2.0"), Decimal("2.8"))
    assert operations(dt.date(2024, 5, 1), dt.date(2024, 6, 1)).rows == []


def test_a_refresh_moves_a_procedure_decided_since_into_its_cycle_time(
    operations_fixture: None,
) -> None:
    undecided = [
        p for p in Procedure.objects.filter(channel=C.ONLINE)
        if not p.events.filter(status__in=[S.APPROVED, S.REJECTED, S.DONE]).exists()
    ]  # fmt: skip
    [e] = undecided
    ProcedureEvent.objects.create(procedure=e, at=at(2024, 4) + dt.timedelta(hours=10),
                                  status=S.APPROVED, message="")  # fmt: skip
    # Months later: April still held an undecided procedure, so it is rebuilt.
    refresh(today=dt.date(2024, 9, 1))
    online = operations(dt.date(2024, 4, 1), dt.date(2024, 4, 1)).rows[0]
    assert (online.decided, online.stp) == (5, 2)
    assert online.median_hours == Decimal("25.0")  # 0 10 25 50 100
    assert not Tally.objects.filter(cycle_hours__isnull=True).exists()


def test_an_enrollment_approved_straight_through_by_the_real_action_counts_as_stp() -> None:
    from django.contrib.auth.models import User

    member = User.objects.create_user("stp@example.jp")
    procedure = do_submit_enrollment(
        APPLICATION, channel=C.ONLINE, idempotency_key="stp-1", received_at=timezone.now(),
        acting_user=member,
    )  # fmt: skip
    assert procedure.status == S.DONE
    today = timezone.localdate()
    refresh(today=today)
    [row] = operations(today.replace(day=1), today.replace(day=1)).rows
    assert (row.kind, row.received, row.decided, row.stp, row.deficient) == (
        "enrollment",
        1,
        1,
        1,
        0,
    )
    assert row.median_hours == Decimal("0.0")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_the_python_percentile_gives_what_postgresql_percentile_cont_gives() -> None:
    generator = random.Random(6)  # noqa: S311 - test data, not secrets
    for size in (1, 2, 3, 10, 101):
        values = [generator.randrange(0, 500) for _ in range(size)]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY v) FROM unnest(%s::int[]) v",
                [values],
            )
            median, p90 = cursor.fetchone()
        hist = [(v, values.count(v)) for v in set(values)]
        assert float(percentile(hist, Decimal("0.5"))) == pytest.approx(median)  # type: ignore[arg-type]
        assert float(percentile(hist, Decimal("0.9"))) == pytest.approx(p90)  # type: ignore[arg-type]


def test_the_refresh_command_rebuilds_from_the_month_given(operations_fixture: None) -> None:
    out = io.StringIO()
    call_command("scorecards", "refresh", "--since", "2024-04", "--today", "2024-05-01", stdout=out)
    assert "2024-04 以降を集計し直しました" in out.getvalue()
    assert Tally.objects.filter(month=dt.date(2024, 4, 1)).exists()
    with pytest.raises(CommandError, match="年と月で指定"):
        call_command("scorecards", "refresh", "--since", "April")
