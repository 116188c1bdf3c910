"""The agency portal's client pages: a client found by contract number, a change taken by link
(the holder confirms in their portal) or on paper, a 統轄店 following its 取扱店, and the
取扱実績と手数料 page."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.procedures.models import Procedure
from kyosai.rules.agency_fee import agency_fee, new_contract_item
from kyosai.rules.calendar import fiscal_year, month_of
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.helpers import sign_in
from tests.web.test_agency import clerk_user, confirmation_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def banks() -> tuple[Agency, Agency]:
    head = Agency.objects.create(code="B00001", name="みなと銀行", kind=Agency.Kind.REGIONAL_BANK)
    branch = Agency.objects.create(
        code="B00002", name="みなと銀行 芝支店", kind=Agency.Kind.REGIONAL_BANK, parent=head
    )
    return head, branch


@pytest.fixture
def handled(banks: tuple[Agency, Agency]) -> Contract:
    contract = member_contract(Scheme.TOSAN, 50_000, at(2025, 4), 1)
    Contract.objects.filter(pk=contract.pk).update(handling_agency=banks[1])
    contract.refresh_from_db()
    return contract


def test_a_client_is_found_by_number_and_another_agencys_is_refused_in_japanese(
    client: Client, banks: tuple[Agency, Agency], handled: Contract
) -> None:
    sign_in(client, clerk_user(banks[0], "head-clerk"))
    found = client.get("/agency/clients/", {"number": handled.number})
    assert found["Location"] == f"/agency/contracts/{handled.pk}/"
    page = client.get(found["Location"]).content.decode()
    assert "みなと銀行 芝支店" in page and "50,000円" in page and "登録あり" in page

    elsewhere = member_contract(Scheme.TOSAN, 50_000, at(2025, 4), 2)
    refused = client.get("/agency/clients/", {"number": elsewhere.number})
    assert refused.status_code == 200
    assert f"共済契約者番号{elsewhere.number}は、みなと銀行（または傘下の取扱店）が取り扱う" in (
        refused.content.decode()
    )
    assert client.get(f"/agency/contracts/{elsewhere.pk}/premium/").status_code == 404


def test_a_paper_premium_change_is_recorded_with_its_received_date(
    client: Client, banks: tuple[Agency, Agency], handled: Contract
) -> None:
    sign_in(client, clerk_user(banks[1], "branch-clerk"))
    url = f"/agency/contracts/{handled.pk}/premium/"
    received = timezone.localdate() - dt.timedelta(days=1)
    refused = client.post(url, {"new_monthly_yen": "61234", "how": "paper",
                                "received_on": received.isoformat(), "token": "c0"})  # fmt: skip
    assert "5,000円" in refused.content.decode()
    missing = client.post(url, {"new_monthly_yen": "60000", "how": "paper", "token": "c1"})
    assert "書面の場合は受付日を入力してください" in missing.content.decode()

    done = client.post(url, {"new_monthly_yen": "60000", "how": "paper",
                             "received_on": received.isoformat(), "token": "c1"})  # fmt: skip
    procedure = Procedure.objects.get(kind=Procedure.Kind.PREMIUM_CHANGE)
    assert done["Location"] == f"/agency/procedures/{procedure.pk}/"
    assert (procedure.channel, procedure.agency, procedure.status) == ("paper", banks[1], "done")
    assert timezone.localdate(procedure.received_at) == received
    assert "掛金月額を" in client.get(done["Location"]).content.decode()


def test_the_holder_confirms_an_address_change_through_the_link(
    client: Client, banks: tuple[Agency, Agency], handled: Contract
) -> None:
    sign_in(client, clerk_user(banks[1], "branch-clerk"))
    url = f"/agency/contracts/{handled.pk}/address/"
    form = client.get(url).content.decode()
    assert 'value="03' in form  # the holder's details as they are, to change in place
    party = handled.party
    link_page = client.post(url, {
        "name": party.name, "name_kana": party.name_kana, "postal_code": "1050011",
        "address": "芝公園4-2-8", "phone": party.phone, "how": "link", "token": "l1",
    })["Location"]  # fmt: skip
    confirm = confirmation_url(client, link_page)

    holder = handled.party.user
    assert holder is not None
    stranger = sign_in(Client(), User.objects.create_user("stranger@example.jp"))
    assert stranger.get(confirm).status_code == 403
    owner = sign_in(Client(), holder)
    review = owner.get(confirm).content.decode()
    assert "住所・名称・代表者の変更の内容" in review and "東京都港区芝公園4-2-8" in review
    done = owner.post(confirm)
    procedure = Procedure.objects.get(kind=Procedure.Kind.PARTY_CHANGE)
    assert done["Location"] == f"/portal/procedures/{procedure.pk}/"
    assert (procedure.channel, procedure.agency) == ("agency", banks[1])
    party.refresh_from_db()
    assert party.address == "東京都港区芝公園4-2-8"

    # The head office sees its branch's procedure, with the branch named; the branch's clerk
    # does not see another branch's.
    head = sign_in(Client(), clerk_user(banks[0], "head-clerk"))
    home = head.get("/agency/").content.decode()
    assert "住所・名称・代表者の変更" in home and "・みなと銀行 芝支店" in home
    assert head.get(f"/agency/procedures/{procedure.pk}/").status_code == 200
    sister = Agency.objects.create(code="B00003", name="みなと銀行 品川支店",
                                   kind=Agency.Kind.REGIONAL_BANK, parent=banks[0])  # fmt: skip
    other = sign_in(Client(), clerk_user(sister, "sister-clerk"))
    assert other.get(f"/agency/procedures/{procedure.pk}/").status_code == 404
    assert other.get(f"/agency/contracts/{handled.pk}/").status_code == 404


def test_the_results_page_shows_the_years_counts_and_fee(
    client: Client, banks: tuple[Agency, Agency], handled: Contract
) -> None:
    sign_in(client, clerk_user(banks[0], "head-clerk"))
    year = fiscal_year(timezone.localdate())
    page = client.get("/agency/results/").content.decode()
    assert f"取扱実績と手数料（{year}年度）" in page
    assert "取扱店別（年度計）" in page and "みなと銀行 芝支店" in page
    # The contract was issued today through the branch: one tosan contract this year.
    fee = agency_fee({new_contract_item("tosan"): 1}, month=month_of(timezone.localdate()))
    assert (
        '<td class="num">1件</td>' in page
        and f"{fee.total_yen:,}円" in page
        and "未確認の仮の値" in page
    )
    assert f"?year={year - 1}" in page and f"?year={year + 1}" not in page
    assert client.get("/agency/results/", {"year": year + 1}).status_code == 404
    assert client.get("/agency/results/", {"year": "x"}).status_code == 404
    last = client.get("/agency/results/", {"year": year - 1}).content.decode()
    assert 'id="fee-total">0円' in last
