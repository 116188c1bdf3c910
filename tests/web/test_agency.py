"""The agency portal: every URL for every audience, the clerk's intake (link or paper), the
client's confirmation page, and the counts."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kyosai.agencies.models import Agency, AgencyClerk, ConfirmationLink
from kyosai.contracts.models import Contract
from kyosai.core.models import AuditLog
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract, taken_over
from tests.helpers import sign_in
from tests.web.test_portal import FORM

pytestmark = pytest.mark.django_db


def clerk_user(agency: Agency, username: str) -> User:
    user = User.objects.create_user(username, password="pw-clerk-2026")
    AgencyClerk.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)


@pytest.fixture
def clerk(client: Client, agency: Agency) -> User:
    return sign_in(client, clerk_user(agency, "clerk"))


def take(client: Client, how: str = "link", scheme: str = "tosan", **changes: str) -> str:
    """The clerk fills the client's application and chooses how it is taken; the redirect."""
    response = client.post(
        f"/agency/enroll/{scheme}/",
        {**FORM, "how": how, "client_email": "sakura@example.jp", "token": "t1", **changes},
    )
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


def confirmation_url(client: Client, link_page: str) -> str:
    page = client.get(link_page).content.decode()
    match = re.search(r'id="confirmation-url">http://testserver(/portal/confirm/[\w-]+/)<', page)
    assert match, page
    return match.group(1)


def audience_client(audience: str, agency: Agency) -> Client:
    client = Client()
    if audience == "member":
        sign_in(client, User.objects.create_user("member@example.jp"))
    elif audience == "staff":
        staff = User.objects.create_user("reviewer", is_staff=True)
        staff.groups.add(Group.objects.get_or_create(name="reviewer")[0])
        sign_in(client, staff)
    elif audience == "other clerk":
        other = Agency.objects.create(code="A00002", name="芝信用金庫", kind=Agency.Kind.SHINKIN)
        sign_in(client, clerk_user(other, "other-clerk"))
    elif audience == "clerk":
        sign_in(client, clerk_user(agency, "own-clerk"))
    return client


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("anonymous", {"home": 302, "enroll": 302, "link": 302, "procedure": 302}),
        ("member", {"home": 403, "enroll": 403, "link": 403, "procedure": 403}),
        ("staff", {"home": 403, "enroll": 403, "link": 403, "procedure": 403}),
        ("other clerk", {"home": 200, "enroll": 200, "link": 404, "procedure": 404}),
        ("clerk", {"home": 200, "enroll": 200, "link": 200, "procedure": 200}),
    ],
)
def test_every_agency_page_for_every_audience(
    client: Client, clerk: User, agency: Agency, audience: str, expected: dict[str, int]
) -> None:
    link = take(client)
    procedure = take(client, how="paper", received_on="2026-11-20", token="t2")
    urls = {
        "home": "/agency/",
        "enroll": "/agency/enroll/tosan/",
        "link": link,
        "procedure": procedure,
    }
    viewer = audience_client(audience, agency)
    for page, url in urls.items():
        response = viewer.get(url)
        assert response.status_code == expected[page], (page, url)
        if response.status_code == 302:
            assert response["Location"].startswith("/login/?next=")
    assert viewer.get("/agency/enroll/nothing/").status_code in {302, 403, 404}


def test_a_clerk_without_the_second_factor_is_sent_to_it(agency: Agency) -> None:
    client = Client()
    client.force_login(clerk_user(agency, "clerk"))
    response = client.get("/agency/")
    assert response["Location"] == "/2fa/setup/?next=/agency/"
    assert client.get("/welcome/")["Location"] == "/agency/"  # where a clerk's login lands


def test_the_client_confirms_through_the_link(client: Client, clerk: User, agency: Agency) -> None:
    link_page = take(client)
    assert take(client) == link_page  # a double submit issues one link
    page = client.get(link_page).content.decode()
    assert "<svg" in page and "お客さまにお渡しください" in page  # the QR code and the link
    url = confirmation_url(client, link_page)
    assert not Procedure.objects.exists()

    visitor = Client()
    prompt = visitor.get(url).content.decode()
    assert "港商工会議所でお受けしたお申込みです" in prompt and "株式会社さくら製作所" not in prompt
    assert f"/login/?next={url}" in prompt and f"/signup/?next={url}" in prompt

    someone = sign_in(Client(), User.objects.create_user("other@example.jp"))
    wrong = someone.get(url)
    assert wrong.status_code == 403 and "別の方あてに発行されたもの" in wrong.content.decode()
    assert someone.post(url).status_code == 403 and not Procedure.objects.exists()

    owner = sign_in(Client(), User.objects.create_user("sakura@example.jp"))
    review = owner.get(url).content.decode()
    assert (
        "株式会社さくら製作所" in review and "加入資格: <strong>確認できました</strong>" in review
    )
    assert "150,000円（3か月分）" in review
    done = owner.post(url)
    procedure = Procedure.objects.get()
    assert done["Location"] == f"/portal/procedures/{procedure.pk}/"
    assert procedure.channel == "agency" and procedure.agency == agency
    assert Contract.objects.get().party.user.username == "sakura@example.jp"  # type: ignore[union-attr]
    assert (
        "お申込みを受け付けました（港商工会議所経由）。"
        in owner.get(done["Location"]).content.decode()
    )

    reused = owner.get(url)
    assert reused.status_code == 410 and "すでに使われています" in reused.content.decode()
    assert owner.post(url).status_code == 410 and Procedure.objects.count() == 1
    followed = client.get(link_page).content.decode()
    assert "ご本人が確認し、お申込みになりました" in followed and "<svg" not in followed
    timeline = client.get(f"/agency/procedures/{procedure.pk}/").content.decode()
    assert "株式会社さくら製作所" in timeline and "完了" in timeline and "委託機関" in timeline


def test_an_expired_link_is_refused_with_a_clear_message(client: Client, clerk: User) -> None:
    url = confirmation_url(client, take(client))
    ConfirmationLink.objects.update(expires_at="2000-01-01T00:00:00Z")
    owner = sign_in(Client(), User.objects.create_user("sakura@example.jp"))
    for response in (owner.get(url), Client().get(url), owner.post(url)):
        assert response.status_code == 410
        assert "有効期限（2000年1月1日 09:00）が過ぎています" in response.content.decode()
    assert not Procedure.objects.exists()
    assert Client().get("/portal/confirm/unknown/").status_code == 404


def test_signing_up_from_the_link_comes_back_to_it(client: Client, clerk: User) -> None:
    url = confirmation_url(client, take(client))
    visitor = Client()
    response = visitor.post(
        f"/signup/?next={url}",
        {
            "email": "sakura@example.jp",
            "password1": "kyosai-Strong-2026",
            "password2": "kyosai-Strong-2026",
        },
    )
    assert response["Location"] == url
    assert visitor.get(url)["Location"] == f"/2fa/setup/?next={url}"  # the second factor first
    outside = Client().post(
        "/signup/?next=https://evil.example/",
        {
            "email": "x@example.jp",
            "password1": "kyosai-Strong-2026",
            "password2": "kyosai-Strong-2026",
        },
    )
    assert outside["Location"] == "/portal/"


def test_a_paper_form_is_recorded_with_its_received_date(client: Client, clerk: User) -> None:
    page = take(client, how="paper", received_on="2026-11-20")
    procedure = Procedure.objects.get()
    assert page == f"/agency/procedures/{procedure.pk}/"
    assert (
        procedure.channel == "paper"
        and procedure.received_at.isoformat() == "2026-11-19T15:00:00+00:00"
    )
    assert "受付日</dt><dd>2026年11月20日" in client.get(page).content.decode()


def test_the_intake_form_says_what_is_missing(client: Client, clerk: User) -> None:
    for how, field, message in (
        ("link", "client_email", "メールアドレスを入力してください"),
        ("paper", "received_on", "受付日を入力してください"),
    ):
        response = client.post(
            "/agency/enroll/tosan/", {**FORM, "how": how, "client_email": "", "token": "t"}
        )
        assert response.status_code == 200 and message in response.content.decode(), field
    future = client.post(
        "/agency/enroll/tosan/", {**FORM, "how": "paper", "received_on": "2999-01-01", "token": "t"}
    )
    assert "今日より後の日付は入力できません" in future.content.decode()
    assert not Procedure.objects.exists() and not ConfirmationLink.objects.exists()


def test_the_home_lists_the_agencys_procedures_and_counts(client: Client, clerk: User) -> None:
    take(client, how="paper", received_on="2026-11-20", token="a")
    take(
        client,
        how="paper",
        received_on="2026-10-01",
        token="b",
        monthly_yen="12345",
        corporate_number="",
        kind="individual",
        organisation="",
        capital_yen="",
    )
    take(client, token="c")
    home = client.get("/agency/").content.decode()
    assert "受け付けた手続きの件数（2件）" in home
    assert "<dt>完了</dt><dd>1件</dd>" in home and "<dt>不備あり</dt><dd>1件</dd>" in home
    assert "<dt>ご本人の確認待ち</dt><dd>1件</dd>" in home
    assert "<dt>2026年11月</dt><dd>1件</dd><dt>2026年10月</dt><dd>1件</dd>" in home
    assert home.count("受付日 2026年") == 2


def test_the_clerk_sees_the_timeline_without_the_staffs_review_steps(
    client: Client, clerk: User
) -> None:
    page = take(client, how="paper", received_on="2026-11-20")
    procedure = Procedure.objects.get()
    add_event(procedure, procedure.status, "職員Aが担当しました。", None, staff_only=True)
    timeline = client.get(page).content.decode()
    assert "お申込みを受け付けました" in timeline
    assert "職員Aが担当しました" not in timeline


def test_the_clerks_view_of_a_clients_procedure_is_audited(client: Client, clerk: User) -> None:
    page = take(client, how="paper", received_on="2026-11-20")
    procedure = Procedure.objects.get()
    client.get(page)
    view = AuditLog.objects.get(action="party.view", actor__username="clerk")
    assert (view.object_id, view.data) == (
        str(procedure.party_id),
        {"via": "agency", "procedure": procedure.pk},
    )


def test_a_clients_kyosaikin_loan_request_is_keyed_with_its_documents(
    client: Client, clerk: User, agency: Agency
) -> None:
    # tosan_rules C2: a 共済金 loan goes through the contract's 登録取扱機関.
    handled = member_contract(Scheme.TOSAN, 50_000, at(2024, 5), 1)
    elsewhere = member_contract(Scheme.TOSAN, 50_000, at(2024, 5), 2)
    Contract.objects.filter(pk=handled.pk).update(handling_agency=agency)
    taken_over(Scheme.TOSAN, dt.date(2026, 10, 1))
    received = timezone.localdate() - dt.timedelta(days=7)
    data = {
        "contract_number": handled.number, "received_on": received.isoformat(),
        "debtor_name": "株式会社取引先", "event": "bankruptcy",
        "insolvency_on": (received - dt.timedelta(days=14)).isoformat(),
        "unrecoverable_yen": "1200000", "token": "loan-1",
    }  # fmt: skip

    def pdf() -> SimpleUploadedFile:
        return SimpleUploadedFile("決定書.pdf", b"%PDF-1.4", content_type="application/pdf")

    refused = client.post("/agency/loan/", {**data, "contract_number": elsewhere.number,
                                            "evidence": pdf(), "token": "loan-0"})  # fmt: skip
    assert (
        "この委託機関が取り扱う経営セーフティ共済の契約ではありません" in refused.content.decode()
    )
    done = client.post("/agency/loan/", {**data, "evidence": pdf()})
    procedure = Procedure.objects.get(kind=Procedure.Kind.KYOSAIKIN_LOAN)
    assert done["Location"] == f"/agency/procedures/{procedure.pk}/"
    assert (procedure.channel, procedure.agency, procedure.contract) == ("paper", agency, handled)
    assert timezone.localdate(procedure.received_at) == received
    assert procedure.amount_yen == 1_200_000 and procedure.attachments.count() == 1
    assert "共済金貸付" in client.get(done["Location"]).content.decode()
