"""The demo book: a few thousand members spread over prefectures, industries, agencies, schemes."""

import datetime as dt

import pytest
from django.db.models import Count

from kyosai.agencies.models import ConfirmationLink
from kyosai.billing.runs import generate_bills, open_run
from kyosai.contracts.models import Contract
from kyosai.demo import MEMBERS, load_demo
from kyosai.formats.identifiers import validate_contract_number
from kyosai.parties.models import Industry, Party
from kyosai.procedures.models import Procedure
from kyosai.rules.scheme import Scheme

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def test_the_demo_book_is_spread_like_the_real_one_and_loads_once() -> None:
    first = load_demo(today=TODAY)
    # Plus the demo member and the three clients of the demo agency's paper forms.
    assert first.created and first.members == MEMBERS + 1 + 3
    assert len(set(Party.objects.values_list("prefecture_code", flat=True))) == 47
    assert set(Party.objects.values_list("industry", flat=True)) == set(Industry.values)
    by_scheme = dict(Contract.objects.values_list("scheme").annotate(n=Count("pk")))
    assert by_scheme["shokibo"] > by_scheme["tosan"] > 500
    assert Contract.objects.values("handling_agency").distinct().count() > 100
    numbers = list(Contract.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(validate_contract_number(n) == n for n in numbers[:200])
    member = Party.objects.get(user__username="member@example.jp")
    assert sorted(member.contracts.values_list("scheme", flat=True)) == ["shokibo", "tosan"]
    assert set(Procedure.objects.filter(agency=None).values_list("status", flat=True)) == {"done"}
    # The agency clerk's desk: paper forms in three states and a link waiting for its client.
    desk = Procedure.objects.filter(agency__clerks__user__username="agency")
    assert sorted(desk.values_list("status", flat=True)) == ["checking", "deficient", "done"]
    assert set(desk.values_list("channel", flat=True)) == {"paper"}
    assert ConfirmationLink.objects.get().client_email == "client@example.jp"
    # Taken over as paid through last month: November's tosan run (the 27th, still ahead) bills
    # the old contracts one month each, none of them while stopped (掛止め from this month) or
    # once the 積立限度額 is reached (tosan P2/P3).
    old_active = Contract.objects.filter(
        scheme="tosan", status="active", joined_month__lt=dt.date(2026, 9, 1)
    )
    capped = old_active.filter(billing_state__billed_regular_yen__gte=8_000_000).count()
    november = generate_bills(open_run(Scheme.TOSAN, dt.date(2026, 11, 1)))
    old = november.bills.filter(contract__joined_month__lt=dt.date(2026, 9, 1))
    assert set(old.values_list("months", flat=True)) == {1}
    assert not old.filter(contract__status="suspended").exists()
    assert capped > 0
    assert old.count() == old_active.count() - capped
    again = load_demo(today=TODAY)
    assert not again.created and again.contracts == first.contracts
