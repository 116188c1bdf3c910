"""One-page A4 documents the system issues (共済契約締結証書, 解約精算書, …) as PDF bytes.

`render(document)` is a pure function: the same `Document` always gives the same bytes. It is
built with reportlab in invariant mode (`invariant=1`), which fixes the creation date and the
document ID, so two renders are byte-identical (the tests check it).

Font: IPAexGothic (Debian package `fonts-ipaexfont-gothic`, `FONT_PATH`), embedded as a subset.
    * Debian's fonts-noto-cjk (NotoSansCJK-Regular.ttc, already installed for the browser tests)
      cannot be used: it has PostScript (CFF) outlines, and reportlab's TTFont reads TrueType
      outlines only ("postscript outlines are not supported").
    * reportlab's built-in CID font 'HeiseiKakuGo-W5' (UnicodeCIDFont) needs no file, but it is
      not embedded: the PDF only names the font and every viewer substitutes a Japanese font of
      its own (poppler needs poppler-data for it; a viewer without one shows nothing or boxes).
      A document that members keep and print must look the same everywhere, so it is not used.
    IPAexGothic is a real TrueType font under the IPA Font License, which allows embedding.
    `FontMissingError` names the package when the file is missing; `tools/ensure_fonts.sh`
    installs it.

Layout: the title, the scheme name, a table of labelled facts, optional notes, the closing
sentence and the issuer 「独立行政法人中小企業基盤整備機構」.
"""

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
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_PATH = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT_PACKAGE = "fonts-ipaexfont-gothic"
FONT_NAME = "IPAexGothic"  # reportlab's name; also the PostScript name embedded in the PDF
ISSUER = "独立行政法人中小企業基盤整備機構"


class FontMissingError(RuntimeError):
    """The Japanese font file the documents embed is not installed."""


@dataclass(frozen=True)
class Document:
    title: str
    scheme_name: str
    subject: str  # the PDF's subject metadata, e.g. the scheme and contract number
    rows: tuple[tuple[str, str], ...]  # (label, value), printed as given
    notes: tuple[str, ...] = ()  # small print under the table
    closing: str = ""


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


def render(document: Document) -> bytes:
    """`document` as the bytes of a one-page A4 PDF."""
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

    label, value, note = style("label", 10.5), style("value", 11), style("note", 9)
    table = Table(
        [
            [Paragraph(escape(name), label), Paragraph(escape(text), value)]
            for name, text in document.rows
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
    story: list[Flowable] = [
        Spacer(1, 10 * mm),
        Paragraph(escape(document.title), style("title", 24, TA_CENTER)),
        Spacer(1, 4 * mm),
        Paragraph(escape(document.scheme_name), style("scheme", 13, TA_CENTER)),
        Spacer(1, 12 * mm),
        table,
    ]
    for text in document.notes:
        story += [Spacer(1, 2 * mm), Paragraph(escape(text), note)]
    if document.closing:
        story += [Spacer(1, 12 * mm), Paragraph(escape(document.closing), style("body", 11))]
    story += [Spacer(1, 16 * mm), Paragraph(ISSUER, style("issuer", 13, TA_RIGHT))]

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=document.title,
        author=ISSUER,
        subject=document.subject,
        creator="kyosai",
        lang="ja-JP",
        initialFontName=font,
        invariant=1,
    ).build(story)
    return buffer.getvalue()
