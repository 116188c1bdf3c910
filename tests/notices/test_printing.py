"""Print data: the notices waiting for paper, by postal code then address, N to a PDF, with a CSV
manifest; each printed once, and a run that crashed is finished by running it again."""

import csv
import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from kyosai.notices.actions import do_send_notice
from kyosai.notices.models import Notice, PrintFile, PrintRun
from kyosai.notices.printing import MANIFEST_COLUMNS, print_notices
from kyosai.parties.models import Party

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 3)

# (postal code, address, name): sent in this order, printed in postal-code then address order.
MEMBERS = [
    ("5300001", "大阪府大阪市北区梅田三丁目1番3号", "梅田商店"),
    ("1050011", "東京都港区芝公園4丁目2番8号", "芝公園工業"),
    ("0600001", "北海道札幌市中央区北一条西2-1", "札幌物産"),
    ("1050011", "東京都港区芝公園1-1-1", "芝商事"),
    ("9000001", "沖縄県那覇市港町1-2", "那覇運輸"),
]


def party(postal: str, address: str, name: str, *, paper: bool = True) -> Party:
    return Party.objects.create(
        kind="individual", organisation="sole_proprietor", name=name, name_kana="テスト",
        postal_code=postal, prefecture_code="13", address=address, phone="0300000000",
        industry="retail", employees=1, business_started_on=dt.date(2020, 1, 1),
        wants_paper=paper,
    )  # fmt: skip


def send(to: Party, title: str = "お知らせ") -> Notice:
    return do_send_notice(party=to, kind=Notice.Kind.BILLING_AMOUNT, title=title, body="本文",
                          amount_yen=10_000, due_on=DAY, acting_user=None)  # fmt: skip


def manifest() -> list[dict[str, str]]:
    path = Path(settings.KYOSAI_PRINT_DIR) / DAY.isoformat() / "manifest-20261203.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def pdf_pages(name: str) -> int:
    data = (Path(settings.KYOSAI_PRINT_DIR) / DAY.isoformat() / name).read_bytes()
    return data.count(b"/Type /Page\n") + data.count(b"/Type /Page ")


@pytest.fixture
def sent() -> list[Notice]:
    notices = [send(party(*m)) for m in MEMBERS]
    send(party("1000001", "東京都千代田区1-1", "紙不要", paper=False))  # inbox only
    return notices


def test_the_manifest_lists_each_notice_in_address_order_with_its_barcode_data(
    sent: list[Notice],
) -> None:
    run = print_notices(DAY, per_file=2)
    rows = manifest()
    assert list(rows[0]) == MANIFEST_COLUMNS
    assert [(r["postal_code"], r["name"]) for r in rows] == [
        ("0600001", "札幌物産"), ("1050011", "芝商事"), ("1050011", "芝公園工業"),
        ("5300001", "梅田商店"), ("9000001", "那覇運輸"),
    ]  # fmt: skip
    assert [(r["file"], r["page"]) for r in rows] == [
        ("notices-20261203-0001.pdf", "1"), ("notices-20261203-0001.pdf", "2"),
        ("notices-20261203-0002.pdf", "1"), ("notices-20261203-0002.pdf", "2"),
        ("notices-20261203-0003.pdf", "1"),
    ]  # fmt: skip
    by_name = {r["name"]: r for r in rows}
    assert by_name["芝公園工業"]["barcode_data"] == "10500114-2-8"
    assert by_name["梅田商店"]["barcode_data"] == "53000013-1-3"
    assert by_name["梅田商店"]["notice_id"] == str(sent[0].pk)
    assert [f.pages for f in run.files.order_by("number")] == [2, 2, 1]
    assert [pdf_pages(f.name) for f in run.files.order_by("number")] == [2, 2, 1]
    assert set(Notice.objects.values_list("print_state", flat=True)) == {"printed", "none"}


def test_the_address_block_is_printed_on_the_page(sent: list[Notice], tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    print_notices(DAY, per_file=10)
    path = Path(settings.KYOSAI_PRINT_DIR) / DAY.isoformat() / "notices-20261203-0001.pdf"
    text = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    first = text.split("\f")[0]
    for expected in ("〒060-0001", "北海道札幌市中央区北一条西2-1", "札幌物産 様",
                     "カスタマバーコード 06000012-1", "ご請求金額：10,000円"):  # fmt: skip
        assert expected in first


def test_a_notice_is_printed_once_and_later_ones_go_to_new_files(sent: list[Notice]) -> None:
    first = print_notices(DAY, per_file=2)
    before = manifest()
    assert print_notices(DAY, per_file=2) == first and manifest() == before  # nothing new
    late = send(Party.objects.get(name="芝商事"), "後から")
    call_command("notices", "print", "--date", DAY.isoformat(), "--per-file", "2")
    rows = manifest()
    assert rows[:5] == before
    assert (rows[5]["notice_id"], rows[5]["file"], rows[5]["page"]) == (
        str(late.pk), "notices-20261203-0004.pdf", "1"
    )  # fmt: skip
    assert first.files.count() == 4


def test_a_run_that_crashed_before_writing_a_file_writes_it_when_run_again(
    sent: list[Notice],
) -> None:
    run = print_notices(DAY, per_file=2)
    second = run.files.get(number=2)
    path = Path(settings.KYOSAI_PRINT_DIR) / DAY.isoformat() / second.name
    digest = second.sha256
    # As if the process died after fixing the order, before file 2 was written and recorded.
    path.unlink()
    second.delete()
    print_notices(DAY)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # the same pages, again
    assert PrintFile.objects.filter(run=run).count() == 3
    assert len(manifest()) == 5


def test_the_print_order_reads_the_address_bytes_on_both_databases() -> None:
    # Two members at one postal code: 芝公園1… before 芝公園4… whatever the server's collation.
    a = party("1050011", "東京都港区芝公園4-1", "後")
    b = party("1050011", "東京都港区芝公園1-9", "先")
    send(a), send(b)
    print_notices(DAY)
    assert [r["name"] for r in manifest()] == ["先", "後"]


@pytest.mark.parametrize("per_file", ["0", "-5", "x"])
def test_a_file_size_below_one_is_refused_in_japanese_and_prints_nothing(per_file: str) -> None:
    with pytest.raises(CommandError, match="1以上の整数で指定してください"):
        call_command("notices", "print", "--date", DAY.isoformat(), "--per-file", per_file)
    assert not PrintRun.objects.exists()


def test_a_date_not_in_iso_form_is_refused_in_japanese_and_prints_nothing() -> None:
    with pytest.raises(CommandError, match="日付は YYYY-MM-DD で指定してください: '2026/12/03'"):
        call_command("notices", "print", "--date", "2026/12/03")
    assert not PrintRun.objects.exists()
