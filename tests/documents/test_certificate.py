"""共済契約締結証書: rendered to PDF and read back with poppler-utils (pdftotext, pdfinfo, pdftoppm).

No database. Poppler comes from Debian (`tools/ensure_fonts.sh` installs it with the font); the
tests that read the PDF back are skipped, with the reason, only when its binaries are absent.
"""

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from kyosai.documents import drawing, pdf
from kyosai.documents.certificate import NO_AGENCY, CertificateFacts, render_certificate
from kyosai.documents.drawing import FontMissingError
from kyosai.formats.identifiers import contract_number
from kyosai.rules.scheme import Scheme

TOSAN_NUMBER = contract_number(Scheme.TOSAN, 1)  # 600000194
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

TOSAN = CertificateFacts(
    scheme_name="経営セーフティ共済（中小企業倒産防止共済）",
    contract_number=TOSAN_NUMBER,
    holder_name="株式会社山田製作所",
    holder_kana="カブシキガイシャヤマダセイサクショ",
    address="〒100-0013 東京都千代田区霞が関三丁目2番1号",
    monthly_yen=200_000,
    joined_month=dt.date(2026, 11, 1),
    first_debit_on=dt.date(2026, 12, 28),
    first_debit_yen=400_000,
    first_debit_months=2,
    first_debit_provisional=False,
    handling_agency="東京商工会議所",
    issued_on=dt.date(2026, 11, 24),
)

SHOKIBO = CertificateFacts(
    scheme_name="小規模企業共済",
    contract_number="100000114",
    holder_name="鈴木花子",
    holder_kana="スズキハナコ",
    address="〒530-0001 大阪府大阪市北区梅田1-1-1 A&B<ビル>",
    monthly_yen=70_000,
    joined_month=dt.date(2019, 5, 1),
    first_debit_on=dt.date(2019, 6, 18),
    first_debit_yen=140_000,
    first_debit_months=2,
    first_debit_provisional=True,
    handling_agency=None,
    issued_on=dt.date(2019, 5, 10),
)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} (Debian's poppler-utils) is not installed; run tools/ensure_fonts.sh "
            "or apt-get install -y poppler-utils"
        )
    return path


def run(tool: str, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed poppler binary, arguments are our own paths
        [poppler(tool), *args], capture_output=True, check=True, text=True, encoding="utf-8"
    )
    return result.stdout


def pdf_file(facts: CertificateFacts, tmp_path: Path) -> Path:
    path = tmp_path / f"{facts.contract_number}.pdf"
    path.write_bytes(render_certificate(facts))
    return path


def text_of(facts: CertificateFacts, tmp_path: Path) -> str:
    return run("pdftotext", "-enc", "UTF-8", str(pdf_file(facts, tmp_path)), "-")


def test_is_a_pdf() -> None:
    data = render_certificate(TOSAN)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def test_text_states_the_facts(tmp_path: Path) -> None:
    text = text_of(TOSAN, tmp_path)
    for expected in [
        "共済契約締結証書",
        "経営セーフティ共済（中小企業倒産防止共済）",
        "共済契約者番号",
        TOSAN_NUMBER,
        "株式会社山田製作所",
        "カブシキガイシャヤマダセイサクショ",
        "〒100-0013",
        "200,000円",
        "令和8年11月",  # 加入年月, without the day
        "令和8年12月28日",  # 初回口座振替予定日
        "400,000円（2か月分）",
        "東京商工会議所",
        "令和8年11月24日",  # 発行日
        "上記のとおり共済契約を締結したことを証します。",
        "独立行政法人中小企業基盤整備機構",
    ]:
        assert expected in text, expected
    assert "令和8年11月1日" not in text
    assert "確認中" not in text


def test_shokibo_with_provisional_months_and_no_agency(tmp_path: Path) -> None:
    text = text_of(SHOKIBO, tmp_path)
    assert "小規模企業共済" in text
    assert "100000114" in text
    assert "令和元年5月" in text
    assert "令和元年6月18日" in text
    assert "140,000円（2か月分）" in text
    assert "振替月数は確認中" in text
    assert "登録取扱機関" in text
    assert NO_AGENCY in text


def test_markup_characters_are_printed_as_text(tmp_path: Path) -> None:
    assert "梅田1-1-1 A&B<ビル>" in text_of(SHOKIBO, tmp_path)


def test_font_is_embedded(tmp_path: Path) -> None:
    data = render_certificate(TOSAN)
    assert b"IPAexGothic" in data
    assert b"/FontFile2" in data  # an embedded TrueType font program
    fonts = run("pdffonts", str(pdf_file(TOSAN, tmp_path)))
    rows = fonts.splitlines()[2:]
    assert rows
    for row in rows:  # every font the PDF uses is IPAexGothic and embedded ("yes" in column emb)
        assert "IPAexGothic" in row
        assert row.split()[-5] == "yes"


def test_metadata_and_page(tmp_path: Path) -> None:
    info = run("pdfinfo", str(pdf_file(TOSAN, tmp_path)))
    assert "Title:           共済契約締結証書" in info
    assert "Author:          独立行政法人中小企業基盤整備機構" in info
    assert "Pages:           1" in info
    assert "(A4)" in info


def test_two_renders_are_byte_identical() -> None:
    assert render_certificate(TOSAN) == render_certificate(TOSAN)
    assert render_certificate(SHOKIBO) == render_certificate(SHOKIBO)
    assert render_certificate(TOSAN) != render_certificate(SHOKIBO)


def test_renders_to_an_image(tmp_path: Path) -> None:
    run("pdftoppm", "-png", "-r", "60", str(pdf_file(TOSAN, tmp_path)), str(tmp_path / "page"))
    assert (tmp_path / "page-1.png").stat().st_size > 0


def test_missing_font_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(drawing, "FONT_PATH", tmp_path / "missing.ttf")
    drawing._font.cache_clear()  # the font is read once a process
    try:
        with pytest.raises(FontMissingError, match="fonts-ipaexfont-gothic"):
            render_certificate(TOSAN)
    finally:
        drawing._font.cache_clear()


@pytest.mark.parametrize(
    "changes",
    [
        {"contract_number": TOSAN_NUMBER[:-1]},
        {"contract_number": f"{TOSAN_NUMBER[:7]}-{TOSAN_NUMBER[7:]}"},
        {"contract_number": TOSAN_NUMBER.translate(FULL_WIDTH)},
        {"joined_month": dt.date(2026, 11, 2)},
        {"monthly_yen": 0},
        {"first_debit_months": 0},
    ],
)
def test_facts_are_checked(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(TOSAN, **changes)  # type: ignore[arg-type]


def test_yen() -> None:
    assert pdf.yen(30000) == "30,000円"
    assert pdf.yen(1_500_000) == "1,500,000円"
