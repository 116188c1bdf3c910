"""加入資格確認: staff select the contracts, each gets a secret link in a letter (inbox and print
data with a QR code), the member answers once on one screen without logging in, and staff see
the counts and the follow-ups (seed 003)."""

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kyosai.campaigns.actions import do_start_campaign
from kyosai.campaigns.models import Campaign, Reconfirmation
from kyosai.contracts.models import Contract
from kyosai.core.roles import Role
from kyosai.notices.models import Notice
from kyosai.notices.printing import print_notices
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.web.test_staff import console

pytestmark = pytest.mark.django_db
ANSWER_BY = dt.date(2027, 1, 31)


def start(key: str = "c1", **bounds: dt.date | None) -> Campaign:
    return do_start_campaign(
        name="令和8年度 加入資格確認", joined_from=bounds.get("joined_from"),
        joined_until=bounds.get("joined_until"), answer_by=ANSWER_BY, idempotency_key=key,
        now=timezone.now(), acting_user=None,
    )  # fmt: skip


@pytest.fixture
def book() -> dict[str, Contract]:
    made = {
        "old": member_contract(Scheme.SHOKIBO, 10_000, at(2020, 1), n=1),
        "recent": member_contract(Scheme.SHOKIBO, 10_000, at(2024, 6), n=2),
        "cancelled": member_contract(Scheme.SHOKIBO, 10_000, at(2024, 6), n=3),
        "tosan": member_contract(Scheme.TOSAN, 20_000, at(2024, 6), n=4),
    }
    Contract.objects.filter(pk=made["cancelled"].pk).update(status="cancelled")
    return made


def answer_all(client: Client, token: str, yes: tuple[str, ...] = ()) -> str:
    page = client.get(f"/reconfirm/{token}/").content.decode()
    codes = re.findall(r'name="check_(\d)"', page)
    data = {f"check_{c}": "yes" if c in yes else "no" for c in codes}
    return client.post(f"/reconfirm/{token}/", data, follow=True).content.decode()


def test_a_campaign_selects_shokibo_contracts_in_force_that_joined_in_the_range(
    book: dict[str, Contract],
) -> None:
    campaign = start(joined_from=dt.date(2023, 1, 1))
    assert campaign.targets == 1
    only = Reconfirmation.objects.get()
    assert only.contract == book["recent"] and only.status == "not_answered"
    assert re.fullmatch(r"[0-9a-f]{32}", only.token)
    letter = Notice.objects.get(kind="reconfirmation")
    assert (letter.contract, letter.link, letter.due_on, letter.print_state) == (
        book["recent"], f"/reconfirm/{only.token}/", ANSWER_BY, "pending"
    )  # fmt: skip
    assert start(joined_from=dt.date(2023, 1, 1)) == campaign  # the same key: one campaign
    everyone = start("c2")
    assert everyone.targets == 2
    tokens = set(Reconfirmation.objects.values_list("token", flat=True))
    assert len(tokens) == 3  # a fresh secret for every letter


def test_a_range_the_wrong_way_round_is_refused(book: dict[str, Contract]) -> None:
    with pytest.raises(Exception, match="範囲が逆"):
        start(joined_from=dt.date(2024, 1, 1), joined_until=dt.date(2023, 1, 1))
    assert not Campaign.objects.exists()


def test_the_letter_is_print_data_with_the_link_for_the_qr_code(
    book: dict[str, Contract],
) -> None:
    start()
    run = print_notices(dt.date(2026, 12, 3))
    manifest = Path(settings.KYOSAI_PRINT_DIR) / "2026-12-03" / "manifest-20261203.csv"
    rows = list(csv.DictReader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    assert [r["kind"] for r in rows] == ["reconfirmation", "reconfirmation"]
    assert {r["contract_number"] for r in rows} == {book["old"].number, book["recent"].number}
    assert run.files.get().pages == 2
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftotext, "-enc", "UTF-8", str(manifest.with_name(run.files.get().name)), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    token = Reconfirmation.objects.get(contract=book["old"]).token
    # Beside the QR code, its address in letters, for a member without a phone camera.
    assert f"{settings.KYOSAI_PUBLIC_URL}/reconfirm/{token}/" in text
    assert "スマートフォンで読み取ってご回答ください。" in text


def test_a_member_answers_once_without_logging_in_and_is_thanked(
    book: dict[str, Contract],
) -> None:
    start()
    mine = Reconfirmation.objects.get(contract=book["recent"])
    client = Client()
    form = client.get(f"/reconfirm/{mine.token}/").content.decode()
    # A sole proprietor who joined in 2024: ①〜⑤, ⑦ and ⑧ (⑥ is for officers only).
    assert re.findall(r'name="check_(\d)"', form)[::2] == ["1", "2", "3", "4", "5", "7", "8"]
    assert "生命保険外務員である。" in form and "個人事業主" in form
    thanks = answer_all(client, mine.token)
    assert "ご回答ありがとうございました" in thanks and "お手続きはこれで終わりです。" in thanks
    mine.refresh_from_db()
    assert mine.status == "answered" and mine.follow_up_checks == ""
    first = mine.answered_at
    # A second submit (the back button, a double tap) changes nothing.
    data = {f"check_{c}": "yes" for c in "1234578"}
    client.post(f"/reconfirm/{mine.token}/", data)
    mine.refresh_from_db()
    assert (mine.status, mine.answered_at) == ("answered", first)


def test_an_answer_that_a_check_applied_needs_a_follow_up_which_staff_see(
    book: dict[str, Contract],
) -> None:
    campaign = start()
    mine = Reconfirmation.objects.get(contract=book["recent"])
    thanks = answer_all(Client(), mine.token, yes=("7",))
    assert "ご連絡させていただくことがあります" in thanks
    mine.refresh_from_db()
    assert (mine.status, mine.follow_up_checks, mine.answers["7"]) == ("follow_up", "7", True)
    staff, _ = console(Role.REVIEWER)
    page = staff.get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    counts = re.sub(r"\s+", "", page.split('id="counts"')[1].split("</dl>")[0])
    assert "<dt>要確認</dt><dd>1件</dd>" in counts and "<dt>未回答</dt><dd>1件</dd>" in counts
    assert book["recent"].number in page and "⑦" in page
    download = staff.get(f"/staff/campaigns/{campaign.pk}/follow-ups.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["共済契約者番号", "氏名・名称"]
    assert rows[1][0] == book["recent"].number and rows[1][5] == "⑦" and len(rows) == 2
    listing = staff.get("/staff/campaigns/").content.decode()
    assert "令和8年度 加入資格確認" in listing


def test_an_unanswered_check_is_asked_again_and_nothing_is_kept(
    book: dict[str, Contract],
) -> None:
    start()
    mine = Reconfirmation.objects.get(contract=book["recent"])
    page = Client().post(f"/reconfirm/{mine.token}/", {"check_1": "no"}).content.decode()
    assert "「該当しない」か「該当する」を選んでください。" in page
    mine.refresh_from_db()
    assert mine.answered_at is None and mine.status == "not_answered"


def test_an_unknown_link_is_not_found(book: dict[str, Contract]) -> None:
    start()
    assert Client().get("/reconfirm/" + "0" * 32 + "/").status_code == 404


def test_only_an_administrator_starts_a_campaign_from_the_console(
    book: dict[str, Contract],
) -> None:
    form = {"name": "加入資格確認", "answer_by": "2027-01-31", "token": "t1"}
    reviewer, _ = console(Role.REVIEWER)
    assert reviewer.post("/staff/campaigns/", form).status_code == 403
    admin, _ = console(Role.ADMINISTRATOR)
    response = admin.post("/staff/campaigns/", form)
    admin.post("/staff/campaigns/", form)  # a double submit: one campaign
    campaign = Campaign.objects.get()
    assert response["Location"] == f"/staff/campaigns/{campaign.pk}/"
    assert campaign.targets == 2


def test_the_members_who_have_not_answered_get_a_second_letter_once_a_day(
    book: dict[str, Contract],
) -> None:
    campaign = start()
    answered = Reconfirmation.objects.get(contract=book["old"])
    answer_all(Client(), answered.token)
    admin, _ = console(Role.ADMINISTRATOR)
    page = admin.post(
        f"/staff/campaigns/{campaign.pk}/", {"answer_by": "2027-02-28"}, follow=True
    ).content.decode()
    assert "未回答の1件に再度のお願いを送りました。" in page
    admin.post(f"/staff/campaigns/{campaign.pk}/", {"answer_by": "2027-02-28"})  # again: none
    [reminder] = Notice.objects.filter(title__startswith="【再度のお願い】")
    waiting = Reconfirmation.objects.get(contract=book["recent"])
    assert (reminder.contract_id, reminder.due_on) == (book["recent"].pk, dt.date(2027, 2, 28))
    assert reminder.link == f"/reconfirm/{waiting.token}/"  # the same link as the first letter
    assert reminder.print_state == Notice.PrintState.PENDING  # always on paper
    campaign.refresh_from_db()
    assert campaign.answer_by == dt.date(2027, 2, 28)
    url = f"/staff/campaigns/{campaign.pk}/"
    assert "未回答の方への再度のお願い" in admin.get(url).content.decode()
    answer_all(Client(), waiting.token)  # everyone has answered: nothing left to remind
    assert "未回答の方への再度のお願い" not in admin.get(url).content.decode()


def test_only_an_administrator_sends_the_second_letter_and_its_deadline_is_ahead(
    book: dict[str, Contract],
) -> None:
    campaign = start()
    reviewer, _ = console(Role.REVIEWER)
    assert (
        reviewer.post(f"/staff/campaigns/{campaign.pk}/", {"answer_by": "2027-02-28"}).status_code
        == 403
    )
    assert "再度のお願い" not in reviewer.get(f"/staff/campaigns/{campaign.pk}/").content.decode()
    admin, _ = console(Role.ADMINISTRATOR)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = admin.post(
        f"/staff/campaigns/{campaign.pk}/", {"answer_by": str(yesterday)}
    ).content.decode()
    assert "新しい回答期限は明日以降の日付にしてください。" in page
    assert not Notice.objects.filter(title__startswith="【再度のお願い】").exists()
