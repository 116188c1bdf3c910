"""Printed notices: one A4 page per notice, for a window envelope, many pages to a PDF.

Each page has the address block at the top left (〒, address, name 様, and under it the
customer-barcode data, formats.customer_barcode, for the print vendor to render as bars), then
the notice: title, date, body, its amount and date, and for a letter that asks for an answer on
the web (加入資格確認) a QR code of its address. Pure: the same pages give the same bytes.
"""

import io
from dataclasses import dataclass

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kyosai.documents.pdf import ISSUER, _font_name, wrap_text

WIDTH, HEIGHT = A4
LEFT = 20 * mm


@dataclass(frozen=True)
class Page:
    postal_code: str  # 7 digits
    address: str
    name: str
    barcode_data: str
    title: str
    sent_on: str  # as printed, e.g. 「2026年12月3日」
    body: str
    facts: tuple[tuple[str, str], ...] = ()
    qr_url: str = ""  # printed as a QR code with the address beside it


def render_pages(pages: list[Page], *, subject: str) -> bytes:
    font = _font_name()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(subject)
    canvas.setAuthor(ISSUER)
    for page in pages:
        _draw(canvas, font, page)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw(canvas: Canvas, font: str, page: Page) -> None:
    y = HEIGHT - 25 * mm
    canvas.setFont(font, 11)
    canvas.drawString(LEFT, y, f"〒{page.postal_code[:3]}-{page.postal_code[3:]}")
    for line in wrap_text(page.address, font, 12, 90 * mm):
        y -= 6 * mm
        canvas.setFont(font, 12)
        canvas.drawString(LEFT, y, line)
    y -= 9 * mm
    canvas.setFont(font, 14)
    canvas.drawString(LEFT, y, f"{page.name} 様")
    y -= 6 * mm
    canvas.setFont(font, 8)
    canvas.drawString(LEFT, y, f"カスタマバーコード {page.barcode_data}")

    y = HEIGHT - 100 * mm
    canvas.setFont(font, 10)
    canvas.drawRightString(WIDTH - LEFT, y + 12 * mm, page.sent_on)
    canvas.drawRightString(WIDTH - LEFT, y + 6 * mm, ISSUER)
    canvas.setFont(font, 16)
    canvas.drawCentredString(WIDTH / 2, y - 4 * mm, page.title)
    y -= 16 * mm
    canvas.setFont(font, 11)
    for line in wrap_text(page.body, font, 11, WIDTH - 2 * LEFT):
        canvas.drawString(LEFT, y, line)
        y -= 6.5 * mm
    for label, value in page.facts:
        y -= 2 * mm
        canvas.drawString(LEFT + 5 * mm, y, f"{label}：{value}")
        y -= 6.5 * mm
    if page.qr_url:
        _qr(canvas, page.qr_url, LEFT, y - 45 * mm, 40 * mm)
        canvas.setFont(font, 9)
        canvas.drawString(LEFT + 45 * mm, y - 20 * mm, "スマートフォンで読み取ってご回答ください。")
        canvas.drawString(LEFT + 45 * mm, y - 26 * mm, page.qr_url)


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` drawn as squares, `size` wide, its lower left corner at (x, y)."""
    matrix = [bytes(row) for row in segno.make(url, error="m").matrix]
    cell = size / len(matrix)
    # One path of the dark runs of each row: a rectangle per module made a page 15× slower.
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + start * cell, y + size - (r + 1) * cell, (c - start) * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)
