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
from reportlab.pdfgen.canvas import Canvas
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


# ---------------------------------------------------------------------------------------------
# The same one-page layout drawn straight on the canvas, for the documents issued by the million
# (the yearly certificates): platypus's paragraph and table layout was a quarter to three fifths
# of a page's time (measured; the rest is the font subset each PDF embeds, and its compression). Same
# `Document`, font, fields and issuer line; values wrap at the column's width, character by
# character as Japanese text does.

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
LABEL_WIDTH = 48 * mm
PADDING = 2.5 * mm


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (at any character, as CJK text breaks)."""
    if pdfmetrics.stringWidth(text, font, size) <= width:  # most values fit on one line
        return [text]
    lines, line, used = [], "", 0.0
    for char in text:
        char_width = pdfmetrics.stringWidth(char, font, size)
        if line and used + char_width > width:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += char_width
    return [*lines, line]


def render_form(document: Document) -> bytes:
    """`document` as a one-page A4 PDF laid out on the canvas (see above); pure and
    byte-identical for the same document (invariant mode)."""
    font = _font_name()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, lang="ja-JP")
    canvas.setTitle(document.title)
    canvas.setAuthor(ISSUER)
    canvas.setSubject(document.subject)
    canvas.setCreator("kyosai")
    y = PAGE_HEIGHT - MARGIN - 16 * mm
    canvas.setFont(font, 24)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, document.title)
    y -= 10 * mm
    canvas.setFont(font, 13)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, document.scheme_name)
    y -= 12 * mm
    value_width = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH
    canvas.setLineWidth(0.6)
    for label, value in document.rows:
        labels = wrap_text(label, font, 10.5, LABEL_WIDTH - 2 * PADDING)
        values = wrap_text(value, font, 11, value_width - 2 * PADDING)
        height = max(len(labels), len(values)) * 16.5 + 2 * PADDING
        canvas.setFillColor(colors.Color(0.93, 0.93, 0.93))
        canvas.rect(MARGIN, y - height, LABEL_WIDTH, height, stroke=1, fill=1)
        canvas.setFillColor(colors.black)
        canvas.rect(MARGIN + LABEL_WIDTH, y - height, value_width, height, stroke=1, fill=0)
        for column, size, texts in ((MARGIN, 10.5, labels), (MARGIN + LABEL_WIDTH, 11, values)):
            canvas.setFont(font, size)
            top = y - (height - len(texts) * 16.5) / 2 - 12
            for n, text in enumerate(texts):
                canvas.drawString(column + PADDING, top - n * 16.5, text)
        y -= height
    canvas.setFont(font, 9)
    for note in document.notes:
        y -= 2 * mm
        for text in wrap_text(note, font, 9, PAGE_WIDTH - 2 * MARGIN):
            y -= 13.5
            canvas.drawString(MARGIN, y, text)
    if document.closing:
        y -= 10 * mm
        canvas.setFont(font, 11)
        for text in wrap_text(document.closing, font, 11, PAGE_WIDTH - 2 * MARGIN):
            y -= 16.5
            canvas.drawString(MARGIN, y, text)
    canvas.setFont(font, 13)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y - 20 * mm, ISSUER)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
