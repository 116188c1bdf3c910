"""The member portal and the staff console: every URL for every audience, and enrollment."""

import re
from base64 import b32decode
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.core.models import AuditLog
from kyosai.core.second_factor import confirmed_device
from kyosai.procedures.models import Procedure
from kyosai.rules.calendar import cutoff_date
from tests.documents.test_certificate import run
from tests.helpers import current_code, sign_in

pytestmark = pytest.mark.django_db

# Typed the way people type: full-width digits and hyphens, hiragana, a hyphenated postal code.
FORM = {
    "kind": "corporation",
    "organisation": "company",
    "name": "株式会社さくら製作所",
    "name_kana": "かぶしきがいしゃさくらせいさくしょ",
    "corporate_number": "４０１１００１０９８９９３",
    "representative_name": "桜 太郎",
    "postal_code": "１０５－００１１",
    "address": "芝公園１－１－１",
    "phone": "０３－１２３４－５６７８",
    "industry": "manufacturing",
    "industry_detail": "",
    "employees": "12",
    "capital_yen": "１０，０００，０００",
    "business_started": "2015-04",
    "monthly_yen": "50000",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "12345",
    "holder_kana": "さくらせいさくしょ",
}


@pytest.fixture
def member(client: Client) -> User:
    user = User.objects.create_user("hanako@example.jp", password="pw-member-2026")
    sign_in(client, user)
    return user


@pytest.fixture
def staff() -> User:
    user = User.objects.create_user("reviewer", password="pw-staff-2026", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])  # the 審査担当 role
    return user


def enroll(client: Client, scheme: str = "tosan", **changes: str) -> str:
    """Fill the form and reach the confirmation; returns its token."""
    response = client.post(f"/portal/enroll/{scheme}/", {**FORM, **changes})
    assert response.status_code == 200
    match = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


@pytest.mark.parametrize(
    "url",
    [
        "/portal/",
        "/portal/enroll/tosan/",
        "/portal/procedures/1/",
        "/portal/procedures/1/fix/",
        "/portal/contracts/1/",
        "/portal/contracts/1/premium/",
        "/portal/contracts/1/cancel/",
        "/portal/contracts/1/certificate/",
        "/portal/contracts/1/account/",
        "/portal/profile/",
        "/portal/contracts/1/prepayment/",
        "/portal/contracts/1/suspension/",
        "/staff/",
        "/staff/procedures/1/",
    ],
)
def test_anonymous_visitors_are_sent_to_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_sign_up_logs_the_member_in(client: Client) -> None:
    response = client.post(
        "/signup/",
        {
            "email": "Ｔａｒｏ@Example.jp",
            "password1": "kyosai-Strong-2026",
            "password2": "kyosai-Strong-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get().username == "taro@example.jp"  # normalised, lower-case
    # マイページ opens only after an authenticator is set up (the second factor).
    redirect = client.get("/portal/")
    assert redirect["Location"] == "/2fa/setup/?next=/portal/"
    setup = client.get(redirect["Location"]).content.decode()
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', setup).group(1)  # type: ignore[union-attr]
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    done = client.post("/2fa/setup/", {"code": current_code(key), "next": "/portal/"})
    assert done["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    again = Client().post(
        "/signup/",
        {
            "email": "taro@example.jp",
            "password1": "kyosai-Strong-2026",
            "password2": "kyosai-Strong-2026",
        },
    )
    assert "すでに登録されています" in again.content.decode()


def test_enrollment_shows_checks_and_first_debit_then_goes_straight_through(
    client: Client, member: User
) -> None:
    form = client.get("/portal/enroll/tosan/").content.decode()
    assert "5,000円〜200,000円（5,000円単位）" in form
    confirmation = client.post("/portal/enroll/tosan/", FORM).content.decode()
    assert "加入資格: <strong>確認できました</strong>" in confirmation
    assert "初回振替日" in confirmation and "150,000円（3か月分）" in confirmation
    token = re.search(r'name="token" value="([0-9a-f]+)"', confirmation).group(1)  # type: ignore[union-attr]
    done = client.post("/portal/enroll/tosan/submit/", {"token": token})
    again = client.post("/portal/enroll/tosan/submit/", {"token": token})  # double submit
    assert done["Location"] == again["Location"]
    assert Procedure.objects.count() == 1
    contract = Contract.objects.get()
    assert contract.party.phone == "0312345678" and contract.party.prefecture_code == "13"
    assert contract.party.address == "東京都港区芝公園1-1-1"
    assert contract.mandates.get().holder_kana == "ｻｸﾗｾｲｻｸｼﾖ"
    timeline = client.get(done["Location"]).content.decode()
    assert "自動審査ですべての確認が済み" in timeline and contract.number in timeline
    home = client.get("/portal/").content.decode()
    assert contract.number in home and "50,000円" in home
    page = client.get(f"/portal/contracts/{contract.pk}/").content.decode()
    assert "<title>ご契約の内容｜共済契約管理システム</title>" in page
    assert page.count("共済契約締結証書（PDF）をダウンロード") == 1


def test_bad_input_gets_field_level_japanese_messages_and_saves_nothing(
    client: Client, member: User
) -> None:
    response = client.post(
        "/portal/enroll/shokibo/",
        {
            **FORM,
            "postal_code": "999-9999",
            "phone": "03",
            "name_kana": "Sakura",
            "corporate_number": "4011001098994",
            "holder_kana": "桜",
            "business_started": "昨年",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    for message in [
        "見つかりません",
        "電話番号",
        "使えない文字",
        "法人番号",
        "事業開始年月",
        "立場",
    ]:
        assert message in text, message
    assert Procedure.objects.count() == 0


def test_a_fixable_problem_is_shown_as_deficient(client: Client, member: User) -> None:
    token = enroll(client, monthly_yen="7000")
    response = client.post("/portal/enroll/tosan/submit/", {"token": token})
    page = client.get(response["Location"]).content.decode()
    assert "不備あり" in page and "直していただきたい点" in page
    assert Contract.objects.count() == 0


def test_another_members_records_are_not_found(client: Client, member: User) -> None:
    token = enroll(client)
    client.post("/portal/enroll/tosan/submit/", {"token": token})
    procedure, contract = Procedure.objects.get(), Contract.objects.get()
    other = Client()
    sign_in(other, User.objects.create_user("other@example.jp"))
    assert other.get(f"/portal/procedures/{procedure.pk}/").status_code == 404
    assert other.get(f"/portal/contracts/{contract.pk}/").status_code == 404
    assert other.get("/portal/enroll/nonsense/").status_code == 404
    forbidden = other.get("/staff/")
    assert forbidden.status_code == 403  # a member is not staff
    assert "このページは表示できません" in forbidden.content.decode()


def test_staff_decide_a_queued_enrollment_and_their_views_are_audited(
    client: Client, member: User, staff: User
) -> None:
    token = enroll(client, employees="400", capital_yen="500000000")
    client.post("/portal/enroll/tosan/submit/", {"token": token})
    procedure = Procedure.objects.get()
    assert procedure.status == Procedure.Status.CHECKING
    console = Client()
    sign_in(console, staff)
    assert "株式会社さくら製作所" in console.get("/staff/").content.decode()
    page = console.get(f"/staff/procedures/{procedure.pk}/").content.decode()
    assert "中小企業者" in page or "従業員" in page
    assert AuditLog.objects.filter(action="party.view", actor=staff).count() == 1
    refused = console.post(
        f"/staff/procedures/{procedure.pk}/", {"decision": "reject", "reason": ""}
    )
    assert "理由を入力してください" in refused.content.decode()
    approved = console.post(f"/staff/procedures/{procedure.pk}/", {"decision": "approve"})
    assert approved.status_code == 302
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE and procedure.contract is not None
    assert console.get(f"/staff/procedures/{procedure.pk + 1000}/").status_code == 404


def test_premium_change_shows_the_rules_answer_then_changes_once(
    client: Client, member: User
) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    contract = Contract.objects.get()
    url = f"/portal/contracts/{contract.pk}/premium/"
    refused = client.post(url, {"new_monthly_yen": "７，０００", "step": "check"}).content.decode()
    assert "この変更はできません" in refused and "5,000円単位" in refused
    answer = client.post(
        url, {"new_monthly_yen": "８０，０００", "desired_month": "", "step": "check"}
    )
    text = answer.content.decode()
    assert "80,000円" in text and "分から" in text
    token = re.search(r'name="token" value="([0-9a-f]+)"', text).group(1)  # type: ignore[union-attr]
    form = {"new_monthly_yen": "80000", "desired_month": "", "step": "submit", "token": token}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == 302 and first["Location"] == second["Location"]
    assert [t.monthly_yen for t in contract.premium_terms.all()][-1] == 80_000


def test_cancellation_shows_a_live_quote_and_takes_the_request(
    client: Client, member: User
) -> None:
    client.post(
        "/portal/enroll/shokibo/submit/",
        {"token": enroll(client, "shokibo", position="sole_proprietor", monthly_yen="30000")},
    )
    contract = Contract.objects.get()
    page = client.get(f"/portal/contracts/{contract.pk}/cancel/")
    # Joined this month: no month paid yet, so cancelling pays nothing, and says so.
    text = page.content.decode()
    assert page.status_code == 200 and "お支払額 0円" in text and "入金済みの掛金" in text
    token = re.search(r'name="token" value="([0-9a-f]+)"', text).group(1)  # type: ignore[union-attr]
    first = client.post(f"/portal/contracts/{contract.pk}/cancel/", {"token": token})
    again = client.post(f"/portal/contracts/{contract.pk}/cancel/", {"token": token})
    assert first.status_code == 302 and first["Location"] == again["Location"]
    request = Procedure.objects.get(kind=Procedure.Kind.CANCELLATION)
    assert (request.status, request.amount_yen) == (Procedure.Status.CHECKING, 0)


def test_the_contract_procedures_of_another_member_are_not_found(
    client: Client, member: User
) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    contract = Contract.objects.get()
    other = Client()
    sign_in(other, User.objects.create_user("other2@example.jp"))
    assert other.get(f"/portal/contracts/{contract.pk}/premium/").status_code == 404
    assert other.get(f"/portal/contracts/{contract.pk}/cancel/").status_code == 404
    assert other.post(f"/portal/contracts/{contract.pk}/cancel/", {"token": "x"}).status_code == 404


def test_the_certificate_is_a_pdf_stating_the_contract(
    client: Client, member: User, tmp_path: Path
) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    contract = Contract.objects.get()
    response = client.get(f"/portal/contracts/{contract.pk}/certificate/")
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="certificate-{contract.number}.pdf"'
    )
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = run("pdftotext", str(pdf), "-")
    for expected in [
        "共済契約締結証書",
        contract.number,
        "株式会社さくら製作所",
        "50,000円",
        "150,000円（3か月分）",
    ]:
        assert expected in text, expected
    other = Client()
    sign_in(other, User.objects.create_user("other3@example.jp"))
    assert other.get(f"/portal/contracts/{contract.pk}/certificate/").status_code == 404


def test_a_password_alone_does_not_open_the_portal_or_the_console(
    client: Client, staff: User
) -> None:
    member = User.objects.create_user("m9@example.jp", password="kyosai-Strong-2026")
    client.force_login(member)  # the password step only
    assert client.get("/portal/")["Location"] == "/2fa/setup/?next=/portal/"
    sign_in(client, member)  # now with an authenticator and its code
    client.logout()
    client.force_login(member)
    assert client.get("/portal/")["Location"] == "/2fa/verify/?next=/portal/"
    console = Client()
    console.force_login(staff)
    assert console.get("/staff/")["Location"].startswith("/2fa/")
    evil = console.get("/2fa/setup/?next=https://evil.example/")
    assert "https://evil.example/" not in evil.content.decode()  # never redirects off-site


def test_a_wrong_code_is_refused_and_an_immediate_retry_must_wait(client: Client) -> None:
    member = User.objects.create_user("m10@example.jp")
    sign_in(client, member)
    client.logout()
    client.force_login(member)
    device = confirmed_device(member)
    assert device is not None
    wrong = f"{(int(current_code(device.bin_key)) + 1) % 1_000_000:06d}"
    refused = client.post("/2fa/verify/", {"code": wrong, "next": "/portal/"}).content.decode()
    assert "数字が一致しません" in refused
    throttled = client.post(
        "/2fa/verify/", {"code": current_code(device.bin_key), "next": "/portal/"}
    )
    assert "しばらく待ってから" in throttled.content.decode()  # throttled, not "wrong"
    assert client.get("/portal/").status_code == 302


def test_a_deficiency_is_fixed_in_place_and_the_same_procedure_goes_through(
    client: Client, member: User
) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client, monthly_yen="7000")})
    procedure = Procedure.objects.get()
    assert procedure.status == Procedure.Status.DEFICIENT
    page = client.get(f"/portal/procedures/{procedure.pk}/").content.decode()
    assert "この内容を修正して再提出する" in page
    form = client.get(f"/portal/procedures/{procedure.pk}/fix/").content.decode()
    assert 'value="株式会社さくら製作所"' in form and 'value="7000"' in form  # what was typed
    assert 'value="芝公園1-1-1"' in form  # the address without what the postal code gives
    assert "5,000円単位" in form  # the deficiency, shown above the form
    fixed = {**FORM, "monthly_yen": "50000"}
    assert client.post(f"/portal/procedures/{procedure.pk}/fix/", fixed).status_code == 302
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE and procedure.contract is not None
    assert Procedure.objects.count() == 1  # fixed in place, not a new application
    resubmit = AuditLog.objects.get(action="procedure.resubmit")
    assert resubmit.data["previous"]["monthly_yen"] == 7000
    assert client.get(f"/portal/procedures/{procedure.pk}/fix/").status_code == 302  # done now
    other = Client()
    sign_in(other, User.objects.create_user("other4@example.jp"))
    assert other.get(f"/portal/procedures/{procedure.pk}/fix/").status_code == 404


def test_the_holder_changes_address_and_representative_once_for_every_contract(
    client: Client, member: User
) -> None:
    assert client.get("/portal/profile/").status_code == 404  # nothing to change before applying
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    form = client.get("/portal/profile/").content.decode()
    assert 'value="株式会社さくら製作所"' in form and 'value="芝公園1-1-1"' in form
    change = {
        "name": "株式会社さくら製作所", "name_kana": "かぶしきがいしゃさくらせいさくしょ",
        "representative_name": "桜 次郎", "postal_code": "100-0013", "address": "霞が関３－２－１",
        "phone": "03-1234-5678", "token": "t1",
    }  # fmt: skip
    response = client.post("/portal/profile/", change)
    assert response.status_code == 302
    party = Contract.objects.get().party
    assert (party.address, party.prefecture_code, party.representative_name) == (
        "東京都千代田区霞が関3-2-1",
        "13",
        "桜 次郎",
    )
    update = AuditLog.objects.get(action="party.update", data__procedure__isnull=False)
    assert update.data["old"]["representative_name"] == "桜 太郎"
    assert "代表者・住所を変更しました" in client.get(response["Location"]).content.decode()
    again = client.post("/portal/profile/", {**change, "token": "t2"}).content.decode()
    assert "変更する項目がありません" in again


def test_the_debit_account_changes_as_a_new_dated_mandate(client: Client, member: User) -> None:
    client.post(
        "/portal/enroll/shokibo/submit/",
        {"token": enroll(client, "shokibo", position="sole_proprietor", monthly_yen="30000")},
    )
    contract = Contract.objects.get()
    url = f"/portal/contracts/{contract.pk}/account/"
    account = {"bank_code": "0001", "branch_code": "001", "account_type": "1",
               "account_number": "７６５４３２１", "holder_kana": "やまだ はなこ", "token": "a1"}  # fmt: skip
    unknown = client.post(url, {**account, "branch_code": "999"}).content.decode()
    assert "見つかりません" in unknown
    assert client.post(url, account).status_code == 302
    assert [m.account_number for m in contract.mandates.all()] == ["0012345", "7654321"]


def test_a_bank_handled_tosan_contract_changes_its_account_at_the_branch(
    client: Client, member: User
) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    contract = Contract.objects.get()
    contract.handling_agency = Agency.objects.create(
        code="B1", name="さくら銀行", kind=Agency.Kind.REGIONAL_BANK
    )
    contract.save()
    page = client.post(
        f"/portal/contracts/{contract.pk}/account/",
        {"bank_code": "0001", "branch_code": "001", "account_type": "1",
         "account_number": "1", "holder_kana": "さくら", "token": "b1"},
    ).content.decode()  # fmt: skip
    assert "登録取扱機関（さくら銀行）でのみ変更できます" in page
    assert contract.mandates.count() == 1


def test_prepayment_and_suspension_pages_explain_a_refusal(client: Client, member: User) -> None:
    client.post("/portal/enroll/tosan/submit/", {"token": enroll(client)})
    contract = Contract.objects.get()
    assert (
        "前納する（前納減額金の見込み）"
        in client.get(f"/portal/contracts/{contract.pk}/").content.decode()
    )
    quote = client.post(
        f"/portal/contracts/{contract.pk}/prepayment/",
        {"months": "11", "step": "check"},
        follow=True,
    )
    assert "前納減額金" in quote.content.decode()
    submit = client.post(
        f"/portal/contracts/{contract.pk}/prepayment/",
        {"months": "11", "step": "submit", "token": "p"},
        follow=True,
    ).content.decode()
    # Past the 5th (or its business day) of this month, the request lapses (P18).
    if timezone.localdate() > cutoff_date(timezone.localdate()):
        assert "締め切りました" in submit
    else:  # by the cut-off it is taken, with the debit and its discount
        assert "振り替えます" in submit and "前納減額金は" in submit
    stop = client.post(f"/portal/contracts/{contract.pk}/suspension/", {"token": "s"}, follow=True)
    assert "40倍" in stop.content.decode()  # a new contract has not paid 40 months' worth
    other = Client()
    sign_in(other, User.objects.create_user("other5@example.jp"))
    assert other.get(f"/portal/contracts/{contract.pk}/prepayment/").status_code == 404
    assert (
        other.post(f"/portal/contracts/{contract.pk}/suspension/", {"token": "x"}).status_code
        == 404
    )


def test_a_gbizid_login_verifies_a_member_but_never_staff(client: Client, staff: User) -> None:
    member = User.objects.create_user("gbiz@example.jp")
    for user, expected in [(member, 200), (staff, 302)]:
        visitor = Client()
        visitor.force_login(user)
        session = visitor.session
        session["verified_by"] = "gbizid"  # what an OpenID Connect login sets
        session.save()
        url = "/portal/" if user is member else "/staff/"
        assert visitor.get(url).status_code == expected, user
