"""書面受付 in the staff console: a reviewer uploads the BPO file and sees each form's 不備 and
letter; a refused file lists its problems by line and column and keeps nothing; the second keyer
never sees the first value; a disagreement goes to a different person, who sees both."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyosai.agencies.models import Agency
from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.intake.models import IntakeFile, IntakeRow, SecondKeying
from tests.intake.test_intake import FIXTURE
from tests.web.test_staff import console

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def agency() -> Agency:
    return Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)


def upload(data: bytes, received_on: str = "2026-11-20") -> dict[str, object]:
    return {"file": SimpleUploadedFile("bpo.csv", data, "text/csv"), "received_on": received_on}


def test_a_reviewer_imports_the_file_and_reads_the_deficiencies() -> None:
    client, _ = console(Role.REVIEWER)
    response = client.post("/staff/intake/", upload(FIXTURE.read_bytes()), follow=True)

    file = IntakeFile.objects.get()
    assert response.redirect_chain[-1][0] == f"/staff/intake/files/{file.pk}/"
    page = response.content.decode()
    assert "bpo.csv を取り込みました。" in page
    assert "常時使用する従業員数: 常時使用する従業員数が空欄です。" in page
    row = file.forms.get(form_id="S-0005")
    assert f"/staff/intake/forms/{row.pk}/letter/" in page

    letter = client.get(f"/staff/intake/forms/{row.pk}/letter/")
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")
    assert AuditLog.objects.filter(action="intake_row.letter_read", object_id=str(row.pk)).exists()

    again = client.post("/staff/intake/", upload(FIXTURE.read_bytes()), follow=True)
    assert "このファイルは取込済みです。" in again.content.decode()
    assert IntakeFile.objects.count() == 1


def test_a_refused_file_lists_its_problems_and_keeps_nothing() -> None:
    client, _ = console(Role.APPROVER)
    data = FIXTURE.read_bytes().replace(b",98,", b",98.5,", 1)

    response = client.post("/staff/intake/", upload(data))

    page = response.content.decode()
    assert response.status_code == 200
    assert "入力データファイルを取り込めません（1件の誤り）。" in page
    assert "2行目" in page and "kind__confidence" in page and "0〜100の整数です" in page
    assert not IntakeFile.objects.exists() and not IntakeRow.objects.exists()


def test_an_administrator_reads_but_does_not_import() -> None:
    client, _ = console(Role.ADMINISTRATOR)
    assert client.get("/staff/intake/").status_code == 200
    assert client.post("/staff/intake/", upload(FIXTURE.read_bytes())).status_code == 403
    assert not IntakeFile.objects.exists()


def test_second_keying_hides_the_first_value_and_a_third_person_decides() -> None:
    reviewer, _ = console(Role.REVIEWER, username="yamada")
    reviewer.post("/staff/intake/", upload(FIXTURE.read_bytes()))
    task = SecondKeying.objects.get(field="employees")  # the BPO keyed 「O」 at 41
    assert "従業員数" in reviewer.get("/staff/intake/keyings/").content.decode()

    page = reviewer.get(f"/staff/intake/keyings/{task.pk}/").content.decode()
    assert "二次入力：常時使用する従業員数" in page and "「O」" not in page

    reviewer.post(f"/staff/intake/keyings/{task.pk}/", {"value": "0"})
    task.refresh_from_db()
    assert task.status == SecondKeying.Status.DISPUTED
    refused = reviewer.post(f"/staff/intake/keyings/{task.pk}/", {"value": "0"})
    assert "二次入力をした人とは別の担当者が判定してください。" in refused.content.decode()

    approver, _ = console(Role.APPROVER, username="sato")
    page = approver.get(f"/staff/intake/keyings/{task.pk}/").content.decode()
    assert "「O」" in page and "「0」（yamada）" in page
    approver.post(f"/staff/intake/keyings/{task.pk}/", {"value": "0"})
    task.refresh_from_db()
    assert task.status == SecondKeying.Status.SETTLED and task.settled_value == "0"
