"""Paper intake: a BPO file of keyed 加入申込書 → 不備 (with letters), second keying, and paper
enrollments received on the 受付日.

The fixture `fixtures/bpo_mistakes.csv` holds one form per common mistake the operator lists in
「契約申込書記入時の留意事項」 (seed 001): §7 業種の記載モレ (blank, or only a class), §8 従業員数
を空欄にせず「0」, §9 開業年月の記載モレ, §10 事業上の地位の○付け忘れ, §11 会社名・会社所在地の
記入モレ, and from the 経営セーフティ共済 page 法人格の略号 and §14 掛金月額 必ずご記入ください; plus
one the enrollment rules catch (掛金月額 not in 5,000円 steps), two good forms and one whose
doubtful fields wait for a second keying.
"""

import datetime as dt
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.models import AuditLog
from kyosai.intake.actions import (
    IntakeRejectedError,
    do_decide_keying,
    do_import_intake_file,
    do_second_keying,
)
from kyosai.intake.models import IntakeFile, IntakeRow, SecondKeying
from kyosai.procedures.models import Procedure

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "bpo_mistakes.csv"
RECEIVED_ON = dt.date(2026, 11, 20)

# (line, form, [(field, code)]) — exactly what the fixture must produce.
EXPECTED_DEFICIENCIES = [
    (3, "S-0001", [("industry", "industry_missing")]),  # seed 001 §7
    (4, "S-0002", [("industry", "industry_vague")]),  # seed 001 §7 「具体的な事業内容」
    (5, "S-0003", [("employees", "employees_blank")]),  # seed 001 §8
    (6, "S-0004", [("business_started", "business_started_missing")]),  # seed 001 §9
    # seed 001 §11: 会社名 and 会社所在地, both on one letter
    (7, "S-0005", [("company_name", "company_name_missing"), ("address", "address_missing")]),
    # seed 001 経営セーフティ共済: 法人格の略号は使用せず; §14 掛金月額 必ずご記入ください
    (
        8,
        "T-0002",
        [("company_name", "company_name_abbreviated"), ("monthly_yen", "monthly_yen_missing")],
    ),
    (9, "S-0006", [("position", "position_missing")]),  # seed 001 §10
    (10, "T-0003", [("monthly_yen", "premium")]),  # check_enrollment: 5,000円単位 (tosan)
]


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("intake-staff", is_staff=True)


def import_fixture(staff: User, data: bytes | None = None) -> IntakeFile:
    return do_import_intake_file(
        FIXTURE.read_bytes() if data is None else data,
        name="bpo_mistakes.csv",
        received_on=RECEIVED_ON,
        acting_user=staff,
    ).file


def deficiency_list(file: IntakeFile) -> list[tuple[int, str, list[tuple[str, str]]]]:
    return [
        (row.line, row.form_id, [(d["field"], d["code"]) for d in row.deficiencies])
        for row in file.forms.filter(status=IntakeRow.Status.DEFICIENT)
    ]


def test_the_bpo_file_with_the_seed_mistakes_gives_exactly_the_expected_deficiencies(
    agency: Agency, staff: User
) -> None:
    file = import_fixture(staff)

    assert deficiency_list(file) == EXPECTED_DEFICIENCIES
    # The messages tell the applicant what to write (seed 001 §8: 「0」(ゼロ)).
    blank = file.forms.get(form_id="S-0003").deficiencies[0]["message"]
    assert "「0」" in blank
    circled = file.forms.get(form_id="S-0006").deficiencies[0]["message"]
    assert "○が付いていません" in circled  # seed 001 §10 「○付けを忘れがち」
    # Each 不備 row has its letter; no procedure was made for it.
    for row in file.forms.filter(status=IntakeRow.Status.DEFICIENT):
        assert row.letter is not None and bytes(row.letter).startswith(b"%PDF")
        assert row.procedure is None


def test_good_forms_become_paper_enrollments_received_on_the_uketsukebi(
    agency: Agency, staff: User
) -> None:
    file = import_fixture(staff)

    good = file.forms.get(form_id="T-0001")
    assert good.status == IntakeRow.Status.SUBMITTED and good.procedure is not None
    procedure = good.procedure
    assert procedure.channel == Procedure.Channel.PAPER and procedure.agency == agency
    assert timezone.localdate(procedure.received_at) == RECEIVED_ON
    assert procedure.status == Procedure.Status.DONE  # all checks passed: issued straight through
    contract = Contract.objects.get(procedures=procedure)
    assert contract.party.name == "株式会社さくら製作所"
    assert contract.party.representative_name == "佐倉一郎"
    assert contract.party.user is None  # never the keyer's login
    assert contract.handling_agency == agency
    assert Procedure.objects.count() == 1  # the 不備 rows and the doubtful one made none


def test_the_same_file_twice_changes_nothing(agency: Agency, staff: User) -> None:
    first = import_fixture(staff)
    counts = (IntakeRow.objects.count(), Procedure.objects.count(), AuditLog.objects.count())

    again = do_import_intake_file(
        FIXTURE.read_bytes(), name="renamed.csv", received_on=dt.date(2026, 11, 25),
        acting_user=staff,
    )  # fmt: skip

    assert again.created is False and again.file == first
    assert (
        IntakeRow.objects.count(),
        Procedure.objects.count(),
        AuditLog.objects.count(),
    ) == counts


def test_doubtful_fields_wait_for_a_second_keying_and_agreement_settles_them(
    agency: Agency, staff: User
) -> None:
    file = import_fixture(staff)
    row = file.forms.get(form_id="S-0007")
    assert row.status == IntakeRow.Status.KEYING and row.procedure is None
    # Only the fields under the threshold (90, unconfirmed) wait: 氏名 75, 従業員数 41.
    keyings = {k.field: k for k in row.keyings.all()}
    assert set(keyings) == {"name", "employees"}

    keyer = User.objects.create_user("second", is_staff=True)
    # Full-width space and width do not count: the two keyings agree.
    settled = do_second_keying(keyings["name"], "鈴木　次郎", acting_user=keyer)
    assert settled.status == SecondKeying.Status.SETTLED
    row.refresh_from_db()
    assert row.status == IntakeRow.Status.KEYING  # 従業員数 is still open

    # The BPO read 「O」 (the letter); the second keyer reads 「０」: they differ.
    disputed = do_second_keying(keyings["employees"], "０", acting_user=keyer)
    assert disputed.status == SecondKeying.Status.DISPUTED
    with pytest.raises(ProcedureError):  # the second keyer cannot decide their own dispute
        do_decide_keying(disputed, "0", acting_user=keyer)
    with pytest.raises(ProcedureError):  # keyed already
        do_second_keying(disputed, "0", acting_user=keyer)

    decider = User.objects.create_user("third", is_staff=True)
    do_decide_keying(disputed, "0", acting_user=decider)

    row.refresh_from_db()
    assert row.status == IntakeRow.Status.SUBMITTED and row.procedure is not None
    assert row.values["employees"] == "0"
    assert row.procedure.party is not None and row.procedure.party.employees == 0
    assert row.procedure.channel == Procedure.Channel.PAPER


def test_a_second_keying_that_settles_a_mistake_makes_a_deficiency(
    agency: Agency, staff: User
) -> None:
    row = import_fixture(staff).forms.get(form_id="S-0007")
    keyer = User.objects.create_user("second", is_staff=True)
    for keying in row.keyings.all():
        do_second_keying(
            keying, "" if keying.field == "employees" else "鈴木次郎", acting_user=keyer
        )
    decider = User.objects.create_user("third", is_staff=True)
    do_decide_keying(row.keyings.get(field="employees"), "", acting_user=decider)

    row.refresh_from_db()
    assert row.status == IntakeRow.Status.DEFICIENT
    assert [d["code"] for d in row.deficiencies] == ["employees_blank"]


def fixture_lines() -> list[str]:
    return FIXTURE.read_text(encoding="utf-8-sig").splitlines()


def rejected(staff: User, data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(IntakeRejectedError) as caught:
        import_fixture(staff, data)
    assert not IntakeFile.objects.exists() and not IntakeRow.objects.exists()
    assert not Procedure.objects.exists()
    return [(e.line, e.field) for e in caught.value.errors]


def test_a_bad_confidence_rejects_the_whole_file_by_line_and_column(
    agency: Agency, staff: User
) -> None:
    lines = fixture_lines()
    header = lines[0].split(",")
    cells = lines[4].split(",")
    cells[header.index("employees__confidence")] = "101"
    cells[header.index("phone__confidence")] = "九十"
    lines[4] = ",".join(cells)

    assert rejected(staff, "\n".join(lines).encode()) == [
        (5, "phone__confidence"),
        (5, "employees__confidence"),
    ]


def test_unknown_and_missing_columns_reject_the_file(agency: Agency, staff: User) -> None:
    lines = fixture_lines()
    lines[0] = lines[0].replace("employees__confidence", "staff__confidence")
    assert rejected(staff, "\n".join(lines).encode()) == [
        (1, "staff__confidence"),
        (1, "employees__confidence"),
    ]


def test_shift_jis_unknown_agency_and_short_lines_are_refused(agency: Agency, staff: User) -> None:
    lines = fixture_lines()
    assert rejected(staff, "\n".join(lines).encode("cp932")) == [
        (2, "(文字コード)")
    ]  # the header is ASCII

    lines[2] = lines[2].replace("A00001", "Z99999")
    lines[6] = lines[6].rsplit(",", 1)[0]
    lines[9] = lines[9].replace(",製造業,", ",鉄鋼業,", 1)
    assert rejected(staff, "\n".join(lines).encode()) == [
        (3, "agency_code"),
        (7, "(列数)"),
        (10, "industry_class"),
    ]


def test_the_command_imports_once_and_lists_a_refusal(
    agency: Agency, staff: User, tmp_path: Path
) -> None:
    out = call_intake("import", str(FIXTURE), "--received-on", "2026-11-20")
    assert "不備 8件" in out and "二次入力待ち 1件" in out and "申込受付 1件" in out
    assert "取込済み" in call_intake("import", str(FIXTURE), "--received-on", "2026-11-20")

    bad = tmp_path / "bad.csv"
    bad.write_text("form_id,scheme\nX,tosan\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_intake("import", str(bad), "--received-on", "2026-11-20")
    assert "1行目 agency_code: 必要な列がありません。" in str(caught.value)
    assert IntakeFile.objects.count() == 1


def call_intake(*args: str) -> str:
    out = StringIO()
    call_command("intake", *args, stdout=out)
    return out.getvalue()


def test_the_letter_lists_what_to_fix(agency: Agency, staff: User, tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("poppler-utils (pdftotext) is not installed: tools/ensure_fonts.sh")
    row = import_fixture(staff).forms.get(form_id="S-0005")
    path = tmp_path / "letter.pdf"
    path.write_bytes(bytes(row.letter))
    text = subprocess.run(  # noqa: S603 - fixed poppler binary, arguments are our own paths
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "お申込み書類の不備について" in flat
    assert "小規模企業共済" in flat and "S-0005" in flat and "港商工会議所" in flat
    assert "不備の項目2項目" in flat
    assert "屋号または社名会社名（登記上の名称）が記入されていません。" in flat
    assert "事業主・会社等の住所事業所（会社）の所在地が記入されていません" in flat
    assert "令和8年11月20日" in flat  # 受付日
    assert "二重線" in flat


def test_a_uketsukebi_after_today_is_refused(agency: Agency, staff: User) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ProcedureError, match="受付日に今日より後の日付は指定できません。"):
        do_import_intake_file(
            FIXTURE.read_bytes(), name="x.csv", received_on=tomorrow, acting_user=staff
        )
    assert not IntakeFile.objects.exists()
