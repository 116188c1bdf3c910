"""The 前納 page for a 小規模企業共済 contract: the months, the lump and the discount (P10–P12,
W17: 10,000円/月 with 11 months ahead → 594円, https://f62.dt10.net/entry6.html), and Japanese
messages for input out of range and for a request after the deadline."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kyosai.rules.prepayment import prepayment_window
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_a_shokibo_member_quotes_and_requests_a_prepayment() -> None:
    contract = member_contract(Scheme.SHOKIBO, 10_000, at(2026, 1))
    assert contract.party.user is not None
    client = sign_in(Client(), contract.party.user)
    url = f"/portal/contracts/{contract.pk}/prepayment/"
    assert url in client.get(f"/portal/contracts/{contract.pk}/").content.decode()
    window = prepayment_window(Scheme.SHOKIBO, timezone.localdate())
    page = client.get(url).content.decode()
    assert (
        f"{window.debit_month:%Y年%-m月}振替分のお申出は{window.deadline:%-m月%-d日}までです"
        in page
    )
    quote = client.post(url, {"months": "１１", "step": "check"}).content.decode()
    assert "<dt>前納する月数</dt><dd>11か月" in quote
    assert "<dt>前納できる上限</dt><dd>11か月</dd>" in quote
    assert "<dt>振替額</dt><dd>120,000円</dd>" in quote
    assert "<dt>前納減額金</dt><dd>594円（3月末の累計が5,000円以上なら6月" in quote
    submitted = client.post(
        url, {"months": "11", "step": "submit", "token": "pp1"}, follow=True
    ).content.decode()
    if timezone.localdate() > window.deadline:  # past the 20th: the request lapses (P10)
        assert "締め切りました" in quote and "締め切りました" in submitted
        assert not contract.prepayments.exists()
    else:
        assert f"{window.debit_on:%Y年%-m月%-d日}に12か月分120,000円を振り替えます" in submitted
        assert contract.prepayments.get().discount_yen == 594


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ("12", "前納できる月数は1か月から11か月までです（12か月）。"),
        ("0", "前納できる月数は1か月から11か月までです（0か月）。"),
        ("十一", "前納する月数は数字で入力してください（例: 11）。"),
        ("", "前納する月数を入力してください。"),
    ],
)
def test_months_out_of_range_or_not_a_number_are_explained(months: str, message: str) -> None:
    contract = member_contract(Scheme.SHOKIBO, 10_000, at(2026, 1))
    assert contract.party.user is not None
    client = sign_in(Client(), contract.party.user)
    page = client.post(
        f"/portal/contracts/{contract.pk}/prepayment/", {"months": months, "step": "check"}
    ).content.decode()
    assert message in page and "前納の見込み" not in page


def test_another_member_cannot_open_the_page() -> None:
    contract = member_contract(Scheme.SHOKIBO, 10_000, at(2026, 1))
    other = sign_in(Client(), User.objects.create_user("someone-else@example.jp"))
    assert other.get(f"/portal/contracts/{contract.pk}/prepayment/").status_code == 404
