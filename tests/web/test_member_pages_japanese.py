"""Member pages explain in Japanese: no code identifier or table column name reaches the member."""

import datetime as dt
import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.domain.test_enrollment import MANDATE, OWNER
from tests.helpers import sign_in
from tests.web.test_portal import FORM

pytestmark = pytest.mark.django_db
IDENTIFIER = re.compile(r"[a-z_]{4,}")


def shown_text(response_html: str) -> str:
    """What a member reads in the page body (tags and attributes left out)."""
    main = re.search(r"<main[^>]*>(.*)</main>", response_html, re.S)
    assert main is not None
    return html.unescape(re.sub(r"<[^>]+>", " ", main.group(1)))


def joined_months_ago(user: User, scheme: Scheme, months: int, monthly_yen: int) -> Contract:
    received = timezone.make_aware(
        dt.datetime.combine(add_months(timezone.localdate().replace(day=10), -months), dt.time(10))
    )
    position = "sole_proprietor" if scheme == Scheme.SHOKIBO else ""
    procedure = do_submit_enrollment(
        EnrollmentApplication(scheme, OWNER, monthly_yen, MANDATE, position),
        channel=Procedure.Channel.ONLINE,
        idempotency_key=f"test:{scheme}",
        received_at=received,
        acting_user=user,
    )
    assert procedure.contract is not None
    return procedure.contract


@pytest.fixture
def client_with_contracts(client: Client) -> tuple[Client, Contract, Contract]:
    user = User.objects.create_user("hanako@example.jp", password="pw-member-2026")
    sign_in(client, user)
    tosan = joined_months_ago(user, Scheme.TOSAN, 30, 50_000)
    shokibo = joined_months_ago(user, Scheme.SHOKIBO, 26, 30_000)
    last_month = add_months(timezone.localdate().replace(day=1), -1)
    for scheme in Scheme:  # every month paid up to last month
        taken_over(scheme, last_month)
    return client, tosan, shokibo


def test_the_refund_explanations_cite_table_rows_in_japanese(
    client_with_contracts: tuple[Client, Contract, Contract],
) -> None:
    client, tosan, shokibo = client_with_contracts
    for contract, row in [
        (tosan, "掛金納付月数 30、任意解約の支給率 90%、みなし解約の支給率 95%"),
        (shokibo, "掛金納付月数 12、支給率 80%"),
    ]:
        page = client.get(f"/portal/contracts/{contract.pk}/cancel/").content.decode()
        explanation = re.search(r"<details>(.*)</details>", page, re.S)
        assert explanation is not None, contract.scheme
        text = shown_text(f"<main>{explanation.group(1)}</main>")
        assert row in text  # the trace is there, with its table row
        assert IDENTIFIER.findall(text) == [], contract.scheme


def test_no_member_page_shows_an_identifier(
    client_with_contracts: tuple[Client, Contract, Contract],
) -> None:
    client, tosan, shokibo = client_with_contracts
    pages = [
        client.get(f"/portal/contracts/{tosan.pk}/"),
        client.get(f"/portal/contracts/{shokibo.pk}/"),
        client.get(f"/portal/contracts/{tosan.pk}/cancel/"),
        client.get(f"/portal/contracts/{shokibo.pk}/cancel/"),
        client.get(f"/portal/contracts/{shokibo.pk}/contract-loan/emergency/"),
        client.post(  # 契約者貸付: 780,000 × 7割 → 500,000, with the schedule and its traces
            f"/portal/contracts/{shokibo.pk}/contract-loan/general/",
            {"amount_yen": "500000", "term_months": "12", "step": "check"},
        ),
        client.post(
            f"/portal/contracts/{tosan.pk}/premium/", {"new_monthly_yen": "80000", "step": "check"}
        ),
        client.post(f"/portal/contracts/{tosan.pk}/prepayment/", {"months": "11", "step": "check"}),
        client.get(f"/portal/procedures/{Procedure.objects.first().pk}/"),  # type: ignore[union-attr]
        client.post("/portal/enroll/tosan/", FORM),  # the confirmation
    ]
    for response in pages:
        assert response.status_code == 200
        assert IDENTIFIER.findall(shown_text(response.content.decode())) == [], response.request
