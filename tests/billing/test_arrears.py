"""Arrears: the re-billing notice, the 解除予告 at 12 months unpaid, 機構解約 after its deadline,
and disaster relief (tosan_rules.md P24, P26, P27; shokibo_rules.md P14)."""

import datetime as dt

import pytest

from kyosai.billing.arrears import review_arrears
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, ArrearsNotice, BillingState
from kyosai.billing.runs import open_balances
from kyosai.cancellations.models import Cancellation
from kyosai.contracts.models import Contract
from kyosai.core.models import AuditLog
from kyosai.parties.models import Party
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.billing.test_cycle import cycle

pytestmark = pytest.mark.django_db


def unpaid_year(c: Contract, first: dt.date) -> dt.date:
    """Every debit of 12 months fails; reviews after each; the last month."""
    open_balances(Scheme.TOSAN, add_months(first, -1), posted_on=first)
    month = first
    for n in range(12):
        month = add_months(first, n)
        cycle(Scheme.TOSAN, month, {c.number: "1"})
        review_arrears(c.bills.get(month=month).run, on=month.replace(day=28), acting_user=None)
    return month


def test_a_failed_debit_brings_a_notice_of_the_re_billing_p24() -> None:
    c = member_contract(Scheme.TOSAN, 20_000, at(2025, 1))
    open_balances(Scheme.TOSAN, dt.date(2026, 7, 1), posted_on=dt.date(2026, 7, 31))
    cycle(Scheme.TOSAN, dt.date(2026, 8, 1), {c.number: "1"})
    review = review_arrears(c.bills.get().run, on=dt.date(2026, 9, 1), acting_user=None)
    notice = ArrearsNotice.objects.get(contract=c)
    assert (notice.kind, notice.month, notice.arrears_yen) == (
        "rebilling",
        dt.date(2026, 10, 1),
        20_000,
    )
    assert (review.rebilling_notices, review.warnings) == (1, 0)


def test_twelve_months_unpaid_bring_a_warning_then_cancellation_after_its_deadline_p26() -> None:
    c = member_contract(Scheme.TOSAN, 20_000, at(2024, 1))
    last = unpaid_year(c, dt.date(2025, 10, 1))
    state = BillingState.objects.get(pk=c.pk)
    assert state.arrears_months == 12 and state.debit_stopped
    warning = ArrearsNotice.objects.get(contract=c, kind="warning")
    assert warning.arrears_yen == 240_000
    assert warning.deadline_on == last.replace(day=28) + dt.timedelta(days=30)
    cycle(Scheme.TOSAN, add_months(last, 1))
    assert not c.bills.filter(month=add_months(last, 1)).exists()  # no debit once warned
    run = c.bills.get(month=last).run
    review = review_arrears(run, on=warning.deadline_on + dt.timedelta(days=1), acting_user=None)
    assert review.cancelled == (c.number,)
    c.refresh_from_db()
    assert c.status == Contract.Status.CANCELLED
    # Settled as a 機構解約 (施行令4条一号): the 21 months paid before the arrears (2024-01 to
    # 2025-09, taken over) at 75 %: 420,000 × 0.75 = 315,000円; the arrears are written off.
    cancellation = Cancellation.objects.get(contract=c)
    assert (cancellation.kind, cancellation.months, cancellation.refund_yen) == (
        "operator",
        21,
        315_000,
    )
    assert AuditLog.objects.get(action="contract.cancel").data["kind"] == "operator"
    assert balance_of(c, Account.ARREARS) == 0 and balance_of(c, Account.PAYABLE) == -315_000
    # Its payment waits for staff, as a cancellation the operator began.
    queued = Procedure.objects.get(contract=c, kind=Procedure.Kind.CANCELLATION)
    assert (queued.channel, queued.status, queued.amount_yen) == ("operator", "checking", 315_000)
    assert cancellation.procedure == queued


def test_no_warning_in_a_disaster_relief_area_p27() -> None:
    # common/disaster_relief_areas: 石川県 (17), 2024-01 to 2025-12 (a row not yet confirmed).
    c = member_contract(Scheme.TOSAN, 20_000, at(2022, 1))
    Party.objects.filter(pk=c.party_id).update(prefecture_code="17")
    unpaid_year(c, dt.date(2024, 1, 1))
    assert BillingState.objects.get(pk=c.pk).arrears_months == 12
    assert not ArrearsNotice.objects.filter(contract=c, kind="warning").exists()
