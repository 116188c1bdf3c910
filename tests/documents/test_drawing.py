"""The PDF writer (documents/drawing.py): a well-formed file, the text read back by poppler's
pdftotext through its ToUnicode map, pages, and the same bytes for the same drawing."""

import re

from kyosai.documents.drawing import A4, Drawing, text_width
from tests.documents.test_yearly import text_of

# More than 100 different characters: the ToUnicode map takes them in blocks of 100.
KANA = "".join(chr(c) for c in range(ord("ぁ"), ord("ゖ") + 1)) + "".join(
    chr(c) for c in range(ord("ァ"), ord("ヶ") + 1)
)


def drawn(*pages: str) -> bytes:
    drawing = Drawing(title="試験", author="独立行政法人中小企業基盤整備機構", subject="件名")
    for text in pages:
        drawing.page()
        for n in range(0, len(text), 30):  # 30 characters to a line fit on the page
            drawing.text(50, 700 - n, text[n : n + 30], 8)
        drawing.box(50, 600, 100, 40, fill_grey=0.9)
        drawing.squares([(50, 500, 10, 10), (70, 500, 10, 10)])
    return drawing.pdf()


def test_the_cross_reference_table_points_at_every_object() -> None:
    pdf = drawn("表", "裏")
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:].startswith(b"xref\n0 ")
    offsets = re.findall(rb"(\d{10}) 00000 n ", pdf[start:])
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(f"{number} 0 obj\n".encode())
    assert f"/Size {len(offsets) + 1} ".encode() in pdf


def test_every_character_reads_back_on_its_page() -> None:
    pages = text_of(drawn(KANA[:90], KANA[90:])).split("\f")
    assert "".join(pages[0].split()) == KANA[:90] and "".join(pages[1].split()) == KANA[90:]


def test_a_character_the_font_lacks_is_drawn_as_a_box_and_the_rest_is_kept() -> None:
    text = text_of(drawn("山田\U0001f600太郎"))
    assert "山田" in text and "太郎" in text and "\U0001f600" not in text


def test_the_same_drawing_gives_the_same_bytes_and_a_different_one_others() -> None:
    assert drawn("同じ") == drawn("同じ")
    assert drawn("同じ") != drawn("違う")


def test_text_is_placed_by_its_width() -> None:
    assert text_width("あ" * 10, 11) == 110  # a full-width character is one em
    assert 0 < text_width("1", 11) < 11
    assert A4 == (595.2756, 841.8898)


def test_no_squares_draw_nothing() -> None:
    drawing = Drawing(title="空", author="機構")
    drawing.page()
    drawing.squares([])
    assert drawing.pages == [[]]  # a bare "f" would be an error in the page
