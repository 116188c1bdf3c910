"""Printed notices: one A4 page per notice, for a window envelope, many pages to a PDF.

Each page has the address block at the top left (〒, address, name 様, and under it the
customer-barcode data, formats.customer_barcode, for the print vendor to render as bars), then
the notice: title, date, body, its amount and date, and for a letter that asks for an answer on
the web (加入資格確認) a QR code of its address. Pure: the same pages give the same bytes.
"""

from dataclasses import dataclass

import segno

from kyosai.documents.drawing import A4, MM, Drawing, wrap_text
from kyosai.documents.pdf import ISSUER

WIDTH, HEIGHT = A4
LEFT = 20 * MM


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
    drawing = Drawing(title=subject, author=ISSUER)
    for page in pages:
        drawing.page()
        _draw(drawing, page)
    return drawing.pdf()


def _draw(drawing: Drawing, page: Page) -> None:
    y = HEIGHT - 25 * MM
    drawing.text(LEFT, y, f"〒{page.postal_code[:3]}-{page.postal_code[3:]}", 11)
    for line in wrap_text(page.address, 12, 90 * MM):
        y -= 6 * MM
        drawing.text(LEFT, y, line, 12)
    y -= 9 * MM
    drawing.text(LEFT, y, f"{page.name} 様", 14)
    y -= 6 * MM
    drawing.text(LEFT, y, f"カスタマバーコード {page.barcode_data}", 8)

    y = HEIGHT - 100 * MM
    drawing.text(WIDTH - LEFT, y + 12 * MM, page.sent_on, 10, "right")
    drawing.text(WIDTH - LEFT, y + 6 * MM, ISSUER, 10, "right")
    drawing.text(WIDTH / 2, y - 4 * MM, page.title, 16, "centre")
    y -= 16 * MM
    for line in wrap_text(page.body, 11, WIDTH - 2 * LEFT):
        drawing.text(LEFT, y, line, 11)
        y -= 6.5 * MM
    for label, value in page.facts:
        y -= 2 * MM
        drawing.text(LEFT + 5 * MM, y, f"{label}：{value}", 11)
        y -= 6.5 * MM
    if page.qr_url:
        _qr(drawing, page.qr_url, LEFT, y - 45 * MM, 40 * MM)
        drawing.text(LEFT + 45 * MM, y - 20 * MM, "スマートフォンで読み取ってご回答ください。", 9)
        drawing.text(LEFT + 45 * MM, y - 26 * MM, page.qr_url, 9)


def _qr(drawing: Drawing, url: str, x: float, y: float, size: float) -> None:
    """The QR code of `url` drawn as squares, `size` wide, its lower left corner at (x, y)."""
    matrix = [bytes(row) for row in segno.make(url, error="m").matrix]
    cell = size / len(matrix)
    # One rectangle for each run of dark modules in a row, all in one path.
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            runs.append((x + start * cell, y + size - (r + 1) * cell, (c - start) * cell, cell))
    drawing.squares(runs)
