"""Live feedback on the enrollment form: the confirmation's checks for the form as typed so far."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kyosai.parties.models import Party
from kyosai.procedures.models import Procedure
from tests.helpers import sign_in
from tests.web.test_portal import FORM

pytestmark = pytest.mark.django_db
URL = "/portal/enroll/tosan/check/"


@pytest.fixture
def member(client: Client) -> User:
    user = User.objects.create_user("hanako@example.jp", password="pw-member-2026")
    sign_in(client, user)
    return user


def feedback(client: Client, form: dict[str, str], url: str = URL) -> str:
    response = client.post(url, form)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_page_asks_for_feedback_in_a_live_region(client: Client, member: User) -> None:
    page = client.get("/portal/enroll/tosan/").content.decode()
    assert f'data-check-url="{URL}"' in page
    assert '<div id="enroll-feedback" aria-live="polite"></div>' in page
    assert "customer/enroll.js" in page


def test_an_eligible_application_shows_the_checks_and_the_first_debit(
    client: Client, member: User
) -> None:
    text = feedback(client, FORM)
    assert "加入資格: <strong>確認できました</strong>" in text
    assert "掛金月額: <strong>確認できました</strong>" in text
    assert "振替口座: <strong>確認できました</strong>" in text
    assert "150,000円（3か月分）" in text and "初回振替日" in text
    assert "<html" not in text  # a fragment for the page to swap in
    assert Procedure.objects.count() == 0 and Party.objects.count() == 0  # nothing is saved


def test_an_ineligible_application_shows_why(client: Client, member: User) -> None:
    text = feedback(client, {**FORM, "employees": "400", "capital_yen": "500000000"})
    eligibility = re.search(r"加入資格: <strong class=\"error\">([^<]+)</strong>", text)
    assert eligibility is not None and "従業員" in eligibility.group(1)
    premium = feedback(client, {**FORM, "monthly_yen": "7000"})
    assert re.search(r"掛金月額: <strong class=\"error\">[^<]*5,000円単位", premium)


def test_incomplete_input_says_what_is_missing_and_what_to_fix(
    client: Client, member: User
) -> None:
    empty = feedback(client, {})
    assert "まだ入力されていない項目があります" in empty and "確認できました" not in empty
    partial = feedback(client, {**FORM, "industry": "", "postal_code": "999-9999"})
    assert "まだ入力されていない項目があります（あと1項目）" in partial
    assert '郵便番号: <strong class="error">この郵便番号は見つかりません' in partial
    shokibo = feedback(client, FORM, "/portal/enroll/shokibo/check/")  # the position is missing
    assert "あと1項目" in shokibo


def test_only_a_signed_in_member_posting_with_the_csrf_token_gets_feedback(
    client: Client, member: User
) -> None:
    anonymous = Client().post(URL, FORM)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert client.get(URL).status_code == 405
    assert client.post("/portal/enroll/nonsense/check/", FORM).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, User.objects.create_user("other@example.jp"))
    assert strict.post(URL, FORM).status_code == 403
