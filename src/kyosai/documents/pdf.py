"""The documents the system issues (共済契約締結証書, 解約精算書, 共済金支給決定通知書, the yearly
certificates, …) in one A4 layout: the title, the scheme name, a table of labelled facts,
optional notes, the closing sentence and the issuer 「独立行政法人中小企業基盤整備機構」.

`render(document)` is pure: the same `Document` always gives the same bytes (the tests check
it). It draws with `drawing.Drawing` (the embedded IPAexGothic, and why the system writes its own
PDF); values wrap at their column's width, character by character as Japanese text does, and a
table too long for the page goes on over the next.
"""

from dataclasses import dataclass

from kyosai.documents.drawing import A4, MM, Drawing, wrap_text

ISSUER = "独立行政法人中小企業基盤整備機構"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * MM
LABEL_WIDTH = 48 * MM
VALUE_WIDTH = PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH
PADDING = 2.5 * MM
LINE = 16.5  # points from one line of the table to the next


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


def render(document: Document) -> bytes:
    """`document` as the bytes of an A4 PDF (one page unless its table is longer)."""
    drawing = Drawing(title=document.title, author=ISSUER, subject=document.subject)
    drawing.page()
    y = PAGE_HEIGHT - MARGIN - 16 * MM

    def room_for(height: float) -> None:
        nonlocal y
        if y - height < MARGIN:
            drawing.page()
            y = PAGE_HEIGHT - MARGIN

    drawing.text(PAGE_WIDTH / 2, y, document.title, 24, "centre")
    y -= 10 * MM
    drawing.text(PAGE_WIDTH / 2, y, document.scheme_name, 13, "centre")
    y -= 12 * MM
    for label, value in document.rows:
        labels = wrap_text(label, 10.5, LABEL_WIDTH - 2 * PADDING)
        values = wrap_text(value, 11, VALUE_WIDTH - 2 * PADDING)
        height = max(len(labels), len(values)) * LINE + 2 * PADDING
        room_for(height)
        drawing.box(MARGIN, y - height, LABEL_WIDTH, height, fill_grey=0.93)
        drawing.box(MARGIN + LABEL_WIDTH, y - height, VALUE_WIDTH, height)
        for left, size, texts in ((MARGIN, 10.5, labels), (MARGIN + LABEL_WIDTH, 11, values)):
            top = y - (height - len(texts) * LINE) / 2 - 12  # the lines centred in the cell
            for n, text in enumerate(texts):
                drawing.text(left + PADDING, top - n * LINE, text, size)
        y -= height
    paragraphs = [(2 * MM, 9, 13.5, note) for note in document.notes]
    if document.closing:
        paragraphs.append((10 * MM, 11, LINE, document.closing))
    for gap, size, leading, paragraph in paragraphs:
        y -= gap
        for text in wrap_text(paragraph, size, PAGE_WIDTH - 2 * MARGIN):
            room_for(leading)
            y -= leading
            drawing.text(MARGIN, y, text, size)
    room_for(20 * MM)
    drawing.text(PAGE_WIDTH - MARGIN, y - 20 * MM, ISSUER, 13, "right")
    return drawing.pdf()
