"""共済契約締結証書 (contract certificate) as PDF bytes, for both 共済 schemes.

`render_certificate(facts)` is a pure function: the same `CertificateFacts` always give the same
bytes. The document is built with reportlab in invariant mode (`invariant=1`), which fixes the
creation date and the document ID, so two renders are byte-identical (the tests check it).

Font: IPAexGothic (Debian package `fonts-ipaexfont-gothic`, `FONT_PATH`), embedded as a subset.
    * Debian's fonts-noto-cjk (NotoSansCJK-Regular.ttc, already installed for the browser tests)
      cannot be used: it has PostScript (CFF) outlines, and reportlab's TTFont reads TrueType
      outlines only ("postscript outlines are not supported").
    * reportlab's built-in CID font 'HeiseiKakuGo-W5' (UnicodeCIDFont) needs no file, but it is
      not embedded: the PDF only names the font and every viewer substitutes a Japanese font of
      its own (poppler needs poppler-data for it; a viewer without one shows nothing or boxes).
      A certificate that members keep and print must look the same everywhere, so it is not used.
    IPAexGothic is a real TrueType font under the IPA Font License, which allows embedding.
    `FontMissingError` names the package when the file is missing; `tools/ensure_fonts.sh`
    installs it.

Layout (A4, one page): the title 「共済契約締結証書」, the scheme name, a table of the facts, the
closing sentence and the issuer 「独立行政法人中小企業基盤整備機構」. Dates are 和暦
(`kyosai.rules.calendar.wareki`; 加入年月 without the day), amounts are yen with thousands
commas (30,000円). The 共済契約者番号 is printed exactly as given, 9 digits without separators,
the way it is stored and shown on the web pages (docs/contract-number.md).
"""

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kyosai.rules.calendar import wareki

FONT_PATH = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT_PACKAGE = "fonts-ipaexfont-gothic"
FONT_NAME = "IPAexGothic"  # reportlab's name; also the PostScript name embedded in the PDF

TITLE = "共済契約締結証書"
ISSUER = "独立行政法人中小企業基盤整備機構"
CLOSING = "上記のとおり共済契約を締結したことを証します。"
PROVISIONAL_NOTE = "※初回の振替月数は確認中です。確定した月数は改めてお知らせします。"
NO_AGENCY = "なし"


class FontMissingError(RuntimeError):
    """The Japanese font file the certificate embeds is not installed."""


@dataclass(frozen=True)
class CertificateFacts:
    """What the certificate states; every field is printed as given (see the module docstring)."""

    scheme_name: str  # 「経営セーフティ共済（中小企業倒産防止共済）」 or 「小規模企業共済」
    contract_number: str  # 共済契約者番号, 9 digits, printed as given
    holder_name: str
    holder_kana: str
    address: str  # with the 〒 code, e.g. 「〒100-0013 東京都千代田区霞が関3-2-1」
    monthly_yen: int
    joined_month: dt.date  # first day of the month
    first_debit_on: dt.date
    first_debit_yen: int
    first_debit_months: int
    first_debit_provisional: bool  # True: print a note that the number of months is being confirmed
    handling_agency: str | None  # 登録取扱機関; None prints 「なし」
    issued_on: dt.date

    def __post_init__(self) -> None:
        number = self.contract_number
        if not (len(number) == 9 and number.isascii() and number.isdigit()):
            raise ValueError(f"contract_number must be 9 digits: {self.contract_number!r}")
        if self.joined_month.day != 1:
            raise ValueError(f"joined_month must be the first day of a month: {self.joined_month}")
        if self.monthly_yen <= 0 or self.first_debit_yen <= 0 or self.first_debit_months <= 0:
            raise ValueError("amounts and the number of months must be positive")


def yen(amount: int) -> str:
    """30000 → 「30,000円」."""
    return f"{amount:,}円"


def _font_name() -> str:
    """Register the embedded Japanese font once per process; a clear error when it is missing."""
    if not FONT_PATH.is_file():
        raise FontMissingError(
            f"Japanese font {FONT_PATH} is missing: install Debian's {FONT_PACKAGE} "
            f"(tools/ensure_fonts.sh, or apt-get install -y {FONT_PACKAGE})"
        )
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


def _rows(facts: CertificateFacts) -> list[tuple[str, str]]:
    first_debit = f"{yen(facts.first_debit_yen)}（{facts.first_debit_months}か月分）"
    return [
        ("共済契約者番号", facts.contract_number),
        ("共済契約者", facts.holder_name),
        ("フリガナ", facts.holder_kana),
        ("住所", facts.address),
        ("掛金月額", yen(facts.monthly_yen)),
        ("加入年月", wareki(facts.joined_month, with_day=False)),
        ("初回口座振替予定日", wareki(facts.first_debit_on)),
        ("初回の振替額", first_debit),
        ("登録取扱機関", facts.handling_agency or NO_AGENCY),
        ("発行日", wareki(facts.issued_on)),
    ]


def render_certificate(facts: CertificateFacts) -> bytes:
    """The 共済契約締結証書 for `facts` as the bytes of a one-page A4 PDF."""
    font = _font_name()

    def style(name: str, size: float, alignment: Literal[0, 1, 2] = TA_LEFT) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            bulletFontName=font,
            fontSize=size,
            leading=size * 1.5,
            wordWrap="CJK",
            alignment=alignment,
        )

    title = style("title", 24, TA_CENTER)
    scheme = style("scheme", 13, TA_CENTER)
    label = style("label", 10.5)
    value = style("value", 11)
    note = style("note", 9)
    body = style("body", 11)
    issuer = style("issuer", 13, TA_RIGHT)

    table = Table(
        [
            [Paragraph(escape(name), label), Paragraph(escape(text), value)]
            for name, text in _rows(facts)
        ],
        colWidths=[48 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),  # else an unembedded Helvetica is listed
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )

    story = [
        Spacer(1, 10 * mm),
        Paragraph(TITLE, title),
        Spacer(1, 4 * mm),
        Paragraph(escape(facts.scheme_name), scheme),
        Spacer(1, 12 * mm),
        table,
    ]
    if facts.first_debit_provisional:
        story += [Spacer(1, 2 * mm), Paragraph(PROVISIONAL_NOTE, note)]
    story += [
        Spacer(1, 12 * mm),
        Paragraph(CLOSING, body),
        Spacer(1, 16 * mm),
        Paragraph(ISSUER, issuer),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=TITLE,
        author=ISSUER,
        subject=f"{facts.scheme_name} {facts.contract_number}",
        creator="kyosai",
        lang="ja-JP",
        initialFontName=font,
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
