"""掛金月額変更 and 解約 on a contract: rules applied, dated terms, quotes, idempotency."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.changes import (
    check_premium_change,
    do_submit_cancellation,
    do_submit_premium_change,
    do_submit_prepayment,
    do_submit_resumption,
    do_submit_suspension,
    quote_cancellation,
    quote_prepayment,
)
from kyosai.procedures.models import Procedure
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.domain.test_enrollment import COMPANY, MANDATE, OWNER

pytestmark = pytest.mark.django_db
JST = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST)  # after the 5th: a change applies next month
ONLINE = Procedure.Channel.ONLINE
JUNE = dt.datetime(2026, 6, 10, 10, 0, tzinfo=JST)
OCTOBER = dt.date(2026, 10, 1)  # the last month paid before NOW


def contract(scheme: Scheme, monthly: int, joined: dt.datetime) -> Contract:
    user = User.objects.create_user(f"m{scheme}{monthly}")
    party, position = (COMPANY, "") if scheme == Scheme.TOSAN else (OWNER, "sole_proprietor")
    application = EnrollmentApplication(scheme, party, monthly, MANDATE, position)
    procedure = do_submit_enrollment(
        application, channel=ONLINE, idempotency_key=f"e{scheme}", received_at=joined,
        acting_user=user,
    )  # fmt: skip
    assert procedure.contract is not None
    return procedure.contract


def change(
    c: Contract, new: int, key: str = "c1", reason: str = "", month: dt.date | None = None
) -> Procedure:
    return do_submit_premium_change(
        c, new_monthly_yen=new, desired_month=month or dt.date(2026, 12, 1), decrease_reason=reason,
        channel=ONLINE, idempotency_key=key, received_at=NOW, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def test_tosan_increase_adds_a_dated_term_and_keeps_the_history_p9() -> None:
    c = contract(Scheme.TOSAN, 50_000, NOW)
    procedure = change(c, 80_000)
    assert procedure.status == Procedure.Status.DONE
    assert [(t.valid_from_month, t.monthly_yen) for t in c.premium_terms.all()] == [
        (dt.date(2026, 11, 1), 50_000),
        (dt.date(2026, 12, 1), 80_000),
    ]
    assert "2026年12月分から80,000円" in procedure.events.last().message  # type: ignore[union-attr]
    assert change(c, 80_000).pk == procedure.pk  # the same key is the same procedure
    with pytest.raises(ProcedureError, match="すでに変更"):
        change(c, 90_000, key="c2")  # a second change for the same month


def test_tosan_decrease_needs_one_of_the_three_reasons_p8() -> None:
    c = contract(Scheme.TOSAN, 50_000, JUNE)
    november = dt.date(2026, 11, 1)  # a decrease names the month it is lodged in (P10)
    with pytest.raises(ProcedureError, match="事業の縮小"):
        change(c, 20_000, month=november)
    with pytest.raises(ProcedureError, match="希望する月より前"):
        change(c, 20_000, key="c2", reason="hardship")  # December, lodged in November
    done = change(c, 20_000, key="c3", reason="hardship", month=november)
    assert done.status == Procedure.Status.DONE
    assert c.premium_terms.last().valid_from_month == november  # type: ignore[union-attr]


def test_an_amount_outside_the_range_is_refused_with_a_reason_p1() -> None:
    c = contract(Scheme.TOSAN, 50_000, NOW)
    quote = check_premium_change(
        c, 7_000, desired_month=dt.date(2026, 12, 1), decrease_reason="", on=NOW.date()
    )
    assert not quote.allowed and "5,000円単位" in quote.reasons[0].message_ja


def test_shokibo_decrease_needs_no_reason_and_applies_from_the_application_month_p3() -> None:
    c = contract(Scheme.SHOKIBO, 30_000, JUNE)
    procedure = change(c, 10_000)
    assert procedure.status == Procedure.Status.DONE
    assert c.premium_terms.last().valid_from_month == dt.date(2026, 11, 1)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("scheme", "monthly", "joined", "amount"),
    [
        # tosan_rules §9 example 1: 50,000 × 30 months, 任意解約 90% → 1,350,000
        (Scheme.TOSAN, 50_000, dt.datetime(2024, 5, 10, tzinfo=JST), 1_350_000),
        # shokibo_rules W5: 10,000 × 180 months, 92.5% → 1,665,000
        (Scheme.SHOKIBO, 10_000, dt.datetime(2011, 11, 10, tzinfo=JST), 1_665_000),
    ],
)
def test_the_cancellation_quote_follows_the_worked_examples(
    scheme: Scheme, monthly: int, joined: dt.datetime, amount: int
) -> None:
    c = contract(scheme, monthly, joined)
    taken_over(scheme, OCTOBER)  # paid every month through October
    quote = quote_cancellation(c, on=NOW.date())
    assert quote.refund_yen == quote.net_yen == amount
    procedure = do_submit_cancellation(
        c,
        channel=ONLINE,
        idempotency_key="x1",
        received_at=NOW,
        acting_user=c.party.user,  # type: ignore[arg-type]
    )
    assert procedure.status == Procedure.Status.CHECKING
    assert f"{amount:,}円" in procedure.events.last().message  # type: ignore[union-attr]
    with pytest.raises(ProcedureError, match="すでに受け付けて"):
        do_submit_cancellation(
            c,
            channel=ONLINE,
            idempotency_key="x2",
            received_at=NOW,
            acting_user=c.party.user,  # type: ignore[arg-type]
        )


def test_a_tosan_quote_stops_at_the_cap_p2() -> None:
    # 200,000 a month for 50 months would be 10,000,000: only 8,000,000 is ever collected.
    c = contract(Scheme.TOSAN, 200_000, dt.datetime(2022, 9, 10, tzinfo=JST))
    taken_over(Scheme.TOSAN, OCTOBER)
    quote = quote_cancellation(c, on=NOW.date())
    assert (quote.premiums_yen, quote.months, quote.refund_yen) == (8_000_000, 40, 8_000_000)


@pytest.mark.parametrize("scheme", [Scheme.SHOKIBO, Scheme.TOSAN])
def test_a_quote_before_any_month_is_paid_pays_nothing(scheme: Scheme) -> None:
    c = contract(scheme, 10_000, NOW)  # its first debit is in January
    quote = quote_cancellation(c, on=NOW.date())
    assert (quote.months, quote.refund_yen, quote.net_yen) == (0, 0, 0)


def test_suspension_needs_forty_months_worth_and_resumption_follows_p6() -> None:
    young = contract(Scheme.TOSAN, 50_000, JUNE)  # 250,000 paid < 40 × 50,000
    with pytest.raises(ProcedureError, match="40倍"):
        do_submit_suspension(
            young,
            channel=ONLINE,
            idempotency_key="s0",
            received_at=NOW,
            acting_user=young.party.user,
        )  # type: ignore[arg-type]
    full = contract(Scheme.SHOKIBO, 10_000, JUNE)
    with pytest.raises(ProcedureError, match="経営セーフティ共済"):
        do_submit_suspension(
            full, channel=ONLINE, idempotency_key="s1", received_at=NOW, acting_user=full.party.user
        )  # type: ignore[arg-type]


def test_a_capped_contract_stops_from_next_month_when_asked_after_the_5th_p6() -> None:
    c = contract(Scheme.TOSAN, 200_000, dt.datetime(2022, 9, 10, tzinfo=JST))  # at the cap
    stopped = do_submit_suspension(
        c, channel=ONLINE, idempotency_key="s2", received_at=NOW, acting_user=c.party.user
    )  # type: ignore[arg-type]
    c.refresh_from_db()
    assert c.status == Contract.Status.SUSPENDED
    assert stopped.payload == {"stops_from_month": "2026-12-01"}  # 11/23 is after the 5th
    resumed = do_submit_resumption(
        c, channel=ONLINE, idempotency_key="r1", received_at=NOW, acting_user=c.party.user
    )  # type: ignore[arg-type]
    c.refresh_from_db()
    assert c.status == Contract.Status.ACTIVE and resumed.payload == {
        "resumes_from_month": "2026-12-01"
    }


def test_prepayment_by_the_5th_is_debited_that_month_with_its_discount_p18_p21() -> None:
    c = contract(Scheme.TOSAN, 100_000, JUNE)
    december_2nd = dt.datetime(2026, 12, 2, 10, 0, tzinfo=JST)  # before the 12/7 cut-off
    quote = quote_prepayment(c, 11, on=december_2nd.date())
    # 6 months paid (600,000): (8,000,000 − 600,000) ÷ 100,000 − 1 = 73 months at most (P17).
    assert (quote.limit_months, quote.debit_yen, quote.discount_yen) == (73, 1_200_000, 5_940)
    done = do_submit_prepayment(
        c,
        11,
        channel=ONLINE,
        idempotency_key="p1",
        received_at=december_2nd,
        acting_user=c.party.user,
    )  # type: ignore[arg-type]
    assert done.payload["debit_on"] == "2026-12-28"  # the 27th is a Sunday
    with pytest.raises(ProcedureError, match="締め切りました"):
        do_submit_prepayment(
            c,
            11,
            channel=ONLINE,
            idempotency_key="p2",
            received_at=dt.datetime(2026, 12, 8, tzinfo=JST),
            acting_user=c.party.user,
        )  # type: ignore[arg-type]
    with pytest.raises(ProcedureError, match="73か月"):
        quote_prepayment(c, 74, on=december_2nd.date())


def test_shokibo_prepayment_by_the_20th_is_debited_on_the_next_months_18th_p10_p12_w17() -> None:
    # W17 (shokibo_rules §10, [S] https://f62.dt10.net/entry6.html): 10,000円/月 with 11 months
    # ahead → 10,000 × 0.9/1000 × 66 = 594円. The deadline is P10's (一括納付, the 20th of the
    # month before; unconfirmed for 前納) and the debit is on the 18th (P8).
    c = contract(Scheme.SHOKIBO, 10_000, JUNE)
    received = dt.datetime(2026, 10, 10, 10, 0, tzinfo=JST)
    quote = quote_prepayment(c, 11, on=received.date())
    assert (quote.debit_month, quote.deadline, quote.debit_on) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 10, 20),
        dt.date(2026, 11, 18),
    )
    assert (quote.limit_months, quote.debit_yen, quote.discount_yen) == (11, 120_000, 594)
    assert (quote.discount_minimum_yen, quote.closed_message) == (5_000, "")
    assert quote.trace.is_provisional  # the rate is secondary-source only (P12)
    done = do_submit_prepayment(
        c, 11, channel=ONLINE, idempotency_key="sp1", received_at=received,
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    assert done.status == Procedure.Status.DONE
    assert done.payload == {
        "months": 11,
        "debit_on": "2026-11-18",
        "debit_yen": 120_000,
        "discount_yen": 594,
    }
    assert [(p.month, p.months, p.discount_yen) for p in c.prepayments.all()] == [
        (dt.date(2026, 11, 1), 11, 594)
    ]
    with pytest.raises(ProcedureError, match="11月振替分の前納はすでにお申し出いただいています"):
        do_submit_prepayment(
            c, 3, channel=ONLINE, idempotency_key="sp2", received_at=received,
            acting_user=c.party.user,  # type: ignore[arg-type]
        )  # fmt: skip


def test_shokibo_prepayment_after_the_20th_lapses_and_months_must_be_in_range_p10() -> None:
    c = contract(Scheme.SHOKIBO, 10_000, JUNE)
    late = dt.datetime(2026, 10, 21, 10, 0, tzinfo=JST)
    with pytest.raises(ProcedureError) as refused:
        do_submit_prepayment(
            c, 11, channel=ONLINE, idempotency_key="sp3", received_at=late,
            acting_user=c.party.user,  # type: ignore[arg-type]
        )  # fmt: skip
    assert refused.value.message_ja == (
        "11月振替分の前納の受付は10月20日で締め切りました。"
        "11月1日から11月20日までにお申し出いただくと、12月18日に振り替えます。"
    )
    assert not c.prepayments.exists() and not c.procedures.filter(kind="prepayment").exists()
    for months in (0, 12):
        with pytest.raises(ProcedureError, match=f"1か月から11か月までです（{months}か月）"):
            quote_prepayment(c, months, on=dt.date(2026, 10, 10))
