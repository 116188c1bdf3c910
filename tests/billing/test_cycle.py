"""The monthly cycle on small books: what each contract is billed, month by month, by each
scheme's rules (tosan_rules.md §2, shokibo_rules.md §2), with the bank's answers fed back."""

import datetime as dt
from typing import Any

import pytest
from django.db.models import QuerySet, Sum

from kyosai.billing.models import Bill, BillingState, Posting
from kyosai.billing.results import import_result
from kyosai.billing.runs import bill_month, open_balances
from kyosai.contracts.models import Contract
from kyosai.demo.bank import answers
from kyosai.procedures.changes import (
    do_submit_premium_change,
    do_submit_prepayment,
    do_submit_resumption,
    do_submit_suspension,
)
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract

pytestmark = pytest.mark.django_db
ONLINE = Procedure.Channel.ONLINE


def cycle(scheme: Scheme, month: dt.date, failing: dict[str, str] | None = None) -> None:
    """Bill a month, and import the bank's answer (every debit paid but `failing`)."""
    run = bill_month(scheme, month)
    for name, data in answers(run, failing or {}):
        import_result(data, name=name, imported_on=run.debit_on + dt.timedelta(days=3))


def billed(c: Contract) -> list[tuple[str, int, int, int]]:
    """(month, new months, arrears months, amount) of every bill of `c`."""
    return [
        (f"{b.month:%Y-%m}", b.months, b.arrears_months, b.amount_yen)
        for b in c.bills.order_by("month")
    ]


def total(rows: QuerySet[Any]) -> int:
    return int(rows.aggregate(s=Sum("amount_yen"))["s"] or 0)


def months(first: dt.date, count: int) -> list[dt.date]:
    return [add_months(first, n) for n in range(count)]


def test_the_first_debit_collects_the_months_since_joining_then_one_a_month_p15() -> None:
    # tosan P15: first debit in the second month after the application month; the 3 months it
    # collects are the unconfirmed tosan/first_debit_months_covered (証書 prints a month count).
    c = member_contract(Scheme.TOSAN, 50_000, at(2026, 1))
    for month in months(dt.date(2026, 1, 1), 5):
        cycle(Scheme.TOSAN, month)
    assert billed(c) == [
        ("2026-03", 3, 0, 150_000),
        ("2026-04", 1, 0, 50_000),
        ("2026-05", 1, 0, 50_000),
    ]
    assert [b.new_code for b in c.bills.order_by("month")] == ["1", "0", "0"]


def test_tosan_re_bills_a_failed_month_two_months_later_with_that_months_premium_p24_p25() -> None:
    # P24: a miss in August is collected in October (Aug + Oct); September is billed as usual.
    # P25: if the re-billing fails too, the three months are billed two months later again.
    c = member_contract(Scheme.TOSAN, 50_000, at(2026, 1))
    for month in months(dt.date(2026, 3, 1), 5):
        cycle(Scheme.TOSAN, month)
    cycle(Scheme.TOSAN, dt.date(2026, 8, 1), {c.number: "1"})
    cycle(Scheme.TOSAN, dt.date(2026, 9, 1))
    cycle(Scheme.TOSAN, dt.date(2026, 10, 1), {c.number: "1"})
    cycle(Scheme.TOSAN, dt.date(2026, 11, 1))
    assert BillingState.objects.get(pk=c.pk).arrears_months == 2
    cycle(Scheme.TOSAN, dt.date(2026, 12, 1))
    assert billed(c)[-5:] == [
        ("2026-08", 1, 0, 50_000),
        ("2026-09", 1, 0, 50_000),
        ("2026-10", 1, 1, 100_000),
        ("2026-11", 1, 0, 50_000),
        ("2026-12", 1, 2, 150_000),
    ]
    state = BillingState.objects.get(pk=c.pk)
    assert (state.arrears_yen, state.arrears_months) == (0, 0)


def test_shokibo_re_bills_in_the_first_even_month_two_months_on_p13() -> None:
    # shokibo P13: June fails → August takes June + August; June, July and August fail →
    # October takes June to August + October.
    c = member_contract(Scheme.SHOKIBO, 10_000, at(2026, 1))
    for month in months(dt.date(2026, 3, 1), 3):
        cycle(Scheme.SHOKIBO, month)
    cycle(Scheme.SHOKIBO, dt.date(2026, 6, 1), {c.number: "1"})
    cycle(Scheme.SHOKIBO, dt.date(2026, 7, 1), {c.number: "1"})
    cycle(Scheme.SHOKIBO, dt.date(2026, 8, 1), {c.number: "1"})
    cycle(Scheme.SHOKIBO, dt.date(2026, 9, 1))
    cycle(Scheme.SHOKIBO, dt.date(2026, 10, 1))
    assert billed(c)[-5:] == [
        ("2026-06", 1, 0, 10_000),
        ("2026-07", 1, 0, 10_000),
        ("2026-08", 1, 1, 20_000),  # June + August
        ("2026-09", 1, 0, 10_000),
        ("2026-10", 1, 3, 40_000),  # June to August + October
    ]


def test_the_year_balances_to_the_yen() -> None:
    """A year of monthly runs on a mixed book: money in equals the ledger, per member and in all."""
    book = [
        member_contract(Scheme.TOSAN, 150_000, at(2026, 1), 1, "0005"),
        member_contract(Scheme.SHOKIBO, 30_000, at(2026, 1), 2, "0009"),
        member_contract(Scheme.TOSAN, 20_000, at(2026, 3), 3, "0009"),
        member_contract(Scheme.SHOKIBO, 1_000, at(2026, 4), 4, "0001"),
    ]
    misses = {dt.date(2026, 5, 1): book[0].number, dt.date(2026, 6, 1): book[1].number}
    for month in months(dt.date(2026, 1, 1), 12):
        for scheme in Scheme:
            failing = {misses[month]: "1"} if month in misses else {}
            cycle(scheme, month, failing)
    journals = Posting.objects.values("journal").annotate(total=Sum("amount_yen"))
    assert {j["total"] for j in journals} == {0}
    # Every premium month of the year collected, the misses included (re-billed and paid).
    expected = [150_000 * 12, 30_000 * 12, 20_000 * 10, 1_000 * 9]
    for c, premiums in zip(book, expected, strict=True):
        paid = total(c.bills.paid())
        assert -total(Posting.objects.filter(contract=c, account="premiums")) == paid == premiums
        arrears = total(Posting.objects.filter(contract=c, account="arrears"))
        assert arrears == BillingState.objects.get(pk=c.pk).arrears_yen
    assert total(Posting.objects.filter(account="bank")) == total(Bill.objects.paid())
    assert total(Bill.objects.failed()) == 150_000 + 30_000  # the two misses


def test_the_last_month_under_the_cap_collects_only_the_remainder_then_debits_stop_p2_p3() -> None:
    # P2/P3: 掛金総額 at most 8,000,000円, debits stop when reached. 150,000 × 53 = 7,950,000,
    # so month 54 collects 50,000 (remainder-only is unconfirmed: tosan/premium_cap_remainder_only).
    c = member_contract(Scheme.TOSAN, 150_000, at(2021, 1))
    open_balances(Scheme.TOSAN, dt.date(2025, 5, 1), posted_on=dt.date(2025, 5, 31))
    assert BillingState.objects.get(pk=c.pk).billed_regular_yen == 150_000 * 53
    for month in months(dt.date(2025, 6, 1), 3):
        cycle(Scheme.TOSAN, month)
    assert billed(c) == [("2025-06", 1, 0, 50_000)]
    assert -total(Posting.objects.filter(contract=c, account="premiums")) == 8_000_000


def test_a_prepayment_is_debited_with_the_month_and_covers_the_months_ahead_p17_p18() -> None:
    c = member_contract(Scheme.TOSAN, 80_000, at(2026, 1))
    for month in months(dt.date(2026, 3, 1), 7):
        cycle(Scheme.TOSAN, month)
    do_submit_prepayment(
        c, 11, channel=ONLINE, idempotency_key="p1", received_at=at(2026, 10, 2),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    for month in months(dt.date(2026, 10, 1), 13):
        cycle(Scheme.TOSAN, month)
    history = billed(c)
    assert history[-2:] == [("2026-10", 12, 0, 960_000), ("2027-10", 1, 0, 80_000)]
    assert c.prepayments.get().discount_yen == 4_752  # P23: 80,000 × 0.9/1000 × 66


def test_a_failed_prepayment_lapses_and_three_months_are_billed_two_months_later_p19() -> None:
    # tosan P19: the 前納 debit fails → nothing the next month, 3 months in the second month
    # after (the failed month as arrears, the two since as regular), then monthly again.
    c = member_contract(Scheme.TOSAN, 80_000, at(2026, 1))
    for month in months(dt.date(2026, 3, 1), 7):
        cycle(Scheme.TOSAN, month)  # through September, all paid
    do_submit_prepayment(
        c, 5, channel=ONLINE, idempotency_key="p1", received_at=at(2026, 10, 2),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    cycle(Scheme.TOSAN, dt.date(2026, 10, 1), {c.number: "1"})
    state = BillingState.objects.get(pk=c.pk)
    assert (state.arrears_yen, state.arrears_months) == (80_000, 1)  # October only, not the lump
    for month in months(dt.date(2026, 11, 1), 4):
        cycle(Scheme.TOSAN, month)
    assert billed(c)[-4:] == [
        ("2026-10", 6, 0, 480_000),  # October and 5 months ahead: failed
        ("2026-12", 2, 1, 240_000),  # nothing in November
        ("2027-01", 1, 0, 80_000),
        ("2027-02", 1, 0, 80_000),
    ]
    assert BillingState.objects.get(pk=c.pk).arrears_yen == 0
    # Paid: January 2026 through February 2027, every month once.
    assert -total(Posting.objects.filter(contract=c, account="premiums")) == 80_000 * 14
    assert total(Posting.objects.filter(contract=c, account="arrears")) == 0
    journals = Posting.objects.values("journal").annotate(total=Sum("amount_yen"))
    assert {row["total"] for row in journals} == {0}


def test_a_change_after_the_5th_is_settled_with_the_next_debit_p9() -> None:
    # P9: received on the 6th or later, the wished month is debited at the old amount; an increase
    # adds the difference to the next debit, a decrease leaves a deposit used against the next.
    up = member_contract(Scheme.TOSAN, 50_000, at(2026, 1))
    for month in months(dt.date(2026, 3, 1), 8):
        cycle(Scheme.TOSAN, month)  # through October
    do_submit_premium_change(
        up, new_monthly_yen=70_000, desired_month=dt.date(2026, 10, 1), channel=ONLINE,
        idempotency_key="c1", received_at=at(2026, 10, 20), acting_user=up.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    cycle(Scheme.TOSAN, dt.date(2026, 11, 1))
    assert billed(up)[-2:] == [("2026-10", 1, 0, 50_000), ("2026-11", 1, 0, 90_000)]


def test_stopped_months_are_not_billed_and_billing_resumes_after_p6() -> None:
    c = member_contract(Scheme.TOSAN, 5_000, at(2021, 1))
    open_balances(Scheme.TOSAN, dt.date(2026, 5, 1), posted_on=dt.date(2026, 5, 31))
    do_submit_suspension(
        c, channel=ONLINE, idempotency_key="s1", received_at=at(2026, 6, 3),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    for month in months(dt.date(2026, 6, 1), 3):
        cycle(Scheme.TOSAN, month)
    do_submit_resumption(
        c, channel=ONLINE, idempotency_key="r1", received_at=at(2026, 8, 20),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    for month in months(dt.date(2026, 9, 1), 2):
        cycle(Scheme.TOSAN, month)
    assert billed(c) == [("2026-09", 1, 0, 5_000), ("2026-10", 1, 0, 5_000)]
