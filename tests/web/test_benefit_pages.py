"""The portal's 共済金 pages and the console's view of a determination: the live quote on the
real history, the claim with field-level Japanese errors and the instalment preview, one
procedure per submit, the notice, and 通算 (shokibo_rules.md §3–§6)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from kyosai.benefits.models import Determination
from kyosai.contracts.models import Contract
from kyosai.core.roles import Role
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from tests.billing.book import JST, member_contract, taken_over
from tests.helpers import sign_in
from tests.web.test_staff import user as staff_user

pytestmark = pytest.mark.django_db


def paid_until_last_month(months: int, monthly: int) -> Contract:
    """A shokibo contract that has paid every month from `months` months ago to last month."""
    today = timezone.localdate()
    joined = add_months(today.replace(day=10), -months)
    c = member_contract(Scheme.SHOKIBO, monthly, dt.datetime.combine(joined, dt.time(10), JST))
    taken_over(Scheme.SHOKIBO, add_months(today.replace(day=1), -1))
    return c


def member_client(c: Contract) -> Client:
    assert c.party.user is not None
    return sign_in(Client(), c.party.user)


def claim_form(**override: str) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "event": "closure", "event_on": f"{today:%Y-%m-%d}", "birth_date": "１９６０－０４－０１",
        "method": "lump", "years": "10", "lump_part_yen": "", "step": "check", **override,
    }  # fmt: skip


def test_the_contract_page_quotes_each_benefit_on_the_real_history() -> None:
    c = paid_until_last_month(120, 10_000)
    page = member_client(c).get(f"/portal/contracts/{c.pk}/").content.decode()
    assert "共済金の見込み額" in page
    assert "共済金A" in page and "事業をやめた（廃業）" in page and "準共済金" in page
    assert "未確認または暫定の値を使っています" in page  # the provisional table is said
    assert "共済金を請求する" in page and "掛金納付月数の通算を申し出る" in page


def test_bad_input_gets_field_errors_in_japanese_and_saves_nothing() -> None:
    c = paid_until_last_month(60, 10_000)
    client = member_client(c)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = client.post(
        f"/portal/contracts/{c.pk}/benefit/",
        claim_form(event="", event_on=f"{tomorrow:%Y-%m-%d}", birth_date="昭和35年",
                   method="combined", years=""),
    ).content.decode()  # fmt: skip
    assert "共済事由を選んでください。" in page
    assert "今日より後の日付は入力できません" in page
    assert "日付は 1960-04-01 のように入力してください。" in page
    assert "分割の期間（10年か15年）を選んでください。" in page
    assert "併用では一括で受け取る額を入力してください。" in page
    page = client.post(
        f"/portal/contracts/{c.pk}/benefit/", claim_form(event="dissolution")
    ).content.decode()
    assert "正しく選択してください" in page or "選択肢" in page  # not an event of the position
    assert not Procedure.objects.filter(kind="benefit_claim").exists()


def test_instalments_are_refused_on_the_field_below_the_threshold() -> None:
    c = paid_until_last_month(60, 10_000)  # about 62万円: far below 300万
    page = (
        member_client(c)
        .post(f"/portal/contracts/{c.pk}/benefit/", claim_form(method="instalment"))
        .content.decode()
    )
    assert "分割には差引後の共済金が3,000,000円以上必要です。" in page
    assert "この内容で請求する" not in page


def test_the_instalment_preview_then_one_procedure_for_a_double_submit() -> None:
    c = paid_until_last_month(240, 12_000)
    client = member_client(c)
    page = client.post(
        f"/portal/contracts/{c.pk}/benefit/", claim_form(method="instalment", years="15")
    ).content.decode()
    assert "分割の支給予定（90回" in page and "この内容で請求する" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    submit = claim_form(method="instalment", years="15", step="submit", token=token)
    first = client.post(f"/portal/contracts/{c.pk}/benefit/", submit)
    again = client.post(f"/portal/contracts/{c.pk}/benefit/", submit)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    [procedure] = Procedure.objects.filter(kind="benefit_claim")
    assert procedure.payload["method"] == "instalment" and procedure.payload["years"] == 15
    timeline = client.get(first["Location"]).content.decode()
    assert "共済金Aの請求（事業をやめた（廃業）、分割受取）を受け付けました" in timeline


def test_the_determination_its_schedule_and_notice_on_both_sides() -> None:
    c = paid_until_last_month(240, 12_000)
    client = member_client(c)
    page = client.post(
        f"/portal/contracts/{c.pk}/benefit/", claim_form(method="instalment")
    ).content.decode()
    token = page.split('name="token" value="')[1].split('"')[0]
    client.post(
        f"/portal/contracts/{c.pk}/benefit/",
        claim_form(method="instalment", step="submit", token=token),
    )
    procedure = Procedure.objects.get(kind="benefit_claim")
    reviewer, approver = staff_user("suzuki", Role.REVIEWER), staff_user("tanaka", Role.APPROVER)
    staff = sign_in(Client(), reviewer)
    assert "分割受取" in staff.get(f"/staff/procedures/{procedure.pk}/").content.decode()
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)
    d = Determination.objects.get()
    page = client.get(f"/portal/contracts/{c.pk}/").content.decode()
    assert "共済金の支給決定" in page and "分割の支給予定" in page and "共済金支給済" in page
    assert "共済金を請求する" not in page
    notice = client.get(f"/portal/contracts/{c.pk}/benefit-notice/")
    assert notice.content[:5] == b"%PDF-" and bytes(d.notice_pdf) == notice.content
    record = staff.get(f"/staff/contracts/{c.pk}/").content.decode()
    assert "共済金の支給決定" in record and "未承認（支給日に承認）" in record


def test_tsusan_is_offered_checked_and_received() -> None:
    c = paid_until_last_month(100, 10_000)
    client = member_client(c)
    today = timezone.localdate()
    form = {
        "event": "closure", "event_on": f"{today:%Y-%m-%d}", "birth_date": "1960-04-01",
        "position": "sole_proprietor", "monthly_yen": "１０，０００", "step": "check",
    }  # fmt: skip
    page = client.post(f"/portal/contracts/{c.pk}/tsusan/", form).content.decode()
    assert "掛金納付月数<strong>100か月</strong>" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    response = client.post(
        f"/portal/contracts/{c.pk}/tsusan/", {**form, "step": "submit", "token": token}
    )
    assert response.status_code == 302
    assert Procedure.objects.get(kind="tsusan").status == Procedure.Status.CHECKING


def test_benefit_pages_are_for_shokibo_contracts_only() -> None:
    c = member_contract(Scheme.TOSAN, 50_000, dt.datetime(2026, 1, 10, 10, tzinfo=JST))
    client = member_client(c)
    assert client.get(f"/portal/contracts/{c.pk}/benefit/").status_code == 404
    assert client.get(f"/portal/contracts/{c.pk}/tsusan/").status_code == 404
    assert User.objects.count() == 1
