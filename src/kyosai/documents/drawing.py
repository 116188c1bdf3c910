"""The PDF writer of every document the system issues: A4 pages of Japanese text, ruled boxes
and filled squares (QR codes), in one embedded font subset to the glyphs the file uses.

Why its own writer: the yearly certificates are issued by the million (1.66 million 控除証明書
every autumn). reportlab took 5.2 ms a page on this machine, most of it rebuilding the font
subset in Python and formatting PDF objects one by one; here HarfBuzz's C subsetter
(`uharfbuzz`, on a face preprocessed once a process) cuts the subset in about 0.05 ms and the
few objects of a page are written as text, about 1 ms a page in all (`make bench-certificates`).

Font: IPAexGothic (Debian package `fonts-ipaexfont-gothic`, `FONT_PATH`), a TrueType font under
the IPA Font License, which allows embedding. It is embedded as a CIDFontType2 subset with
Identity-H encoding (two-byte glyph ids) and a ToUnicode map, so that the text can be searched
and copied, and read back by poppler's pdftotext in the tests. A document that members keep and
print must look the same everywhere, so the font is always embedded (a CID font merely named,
such as HeiseiKakuGo-W5, is drawn with whatever font the viewer has, or not at all).

Pure: the same drawing gives the same bytes (no dates, the file ID is a hash of the body).
"""

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import uharfbuzz as hb

FONT_PATH = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
FONT_PACKAGE = "fonts-ipaexfont-gothic"
FONT_NAME = "IPAexGothic"  # the PostScript name embedded in the PDF
A4 = (595.2756, 841.8898)  # points (210 × 297 mm)
MM = 72 / 25.4
# Tables a PDF viewer reads from an embedded CID font; layout (GSUB/GPOS), vertical metrics
# and the character map are not used (the page gives glyph ids), hints are dropped.
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "gasp", "cmap", "OS/2")

Align = Literal["left", "centre", "right"]


class FontMissingError(RuntimeError):
    """The Japanese font file the documents embed is not installed."""


@dataclass(frozen=True)
class _Font:
    face: hb.Face  # preprocessed for repeated subsetting
    glyphs: dict[str, tuple[int, int]]  # character → (glyph id, advance in 1/1000 em), as used
    hb_font: hb.Font
    upem: int
    bbox: tuple[int, ...]  # x/y min, x/y max in 1/1000 em
    ascent: int
    descent: int


@cache
def _font() -> _Font:
    """The font, read once a process; a clear error naming the package when it is missing."""
    if not FONT_PATH.is_file():
        raise FontMissingError(
            f"Japanese font {FONT_PATH} is missing: install Debian's {FONT_PACKAGE} "
            f"(tools/ensure_fonts.sh, or apt-get install -y {FONT_PACKAGE})"
        )
    face = hb.Face(hb.Blob(FONT_PATH.read_bytes()))
    hb_font = hb.Font(face)
    extents = hb_font.get_font_extents("ltr")
    scale = 1000 / face.upem
    head_bbox = struct.unpack(">4h", face.reference_table("head").data[36:44])  # x/y min, max
    return _Font(
        face=hb.subset_preprocess(face),
        glyphs={},
        hb_font=hb_font,
        upem=face.upem,
        bbox=tuple(round(value * scale) for value in head_bbox),
        ascent=round(extents.ascender * scale),
        descent=round(extents.descender * scale),
    )


def _glyph(char: str) -> tuple[int, int]:
    """`char`'s glyph id and advance (1/1000 em); a character the font lacks is its .notdef box."""
    font = _font()
    found = font.glyphs.get(char)
    if found is None:
        gid = font.hb_font.get_nominal_glyph(ord(char)) or 0
        found = font.glyphs[char] = (gid, _advance(gid))
    return found


def text_width(text: str, size: float) -> float:
    """The width of `text` set at `size` points."""
    return sum(_glyph(char)[1] for char in text) * size / 1000


def wrap_text(text: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (at any character, as CJK text breaks)."""
    if text_width(text, size) <= width:  # most values fit on one line
        return [text]
    lines, line, used = [], "", 0.0
    for char in text:
        char_width = _glyph(char)[1] * size / 1000
        if line and used + char_width > width:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += char_width
    return [*lines, line]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text_string(text: str) -> str:
    """A PDF text string (the document information): UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@dataclass
class _Text:
    x: float
    y: float
    size: float
    glyphs: list[int]


class Drawing:
    """A PDF being drawn, page by page: `page()`, then `text`, `box` and `squares` on it in
    points from the lower left corner, then `pdf()` for the bytes."""

    def __init__(self, *, title: str, author: str, subject: str = "") -> None:
        self.info = {"Title": title, "Author": author, "Subject": subject, "Creator": "kyosai"}
        self.pages: list[list[str | _Text]] = []
        self.used: dict[int, str] = {}  # glyph id → the character it prints (for ToUnicode)

    def page(self) -> None:
        self.pages.append([])

    def text(self, x: float, y: float, text: str, size: float, align: Align = "left") -> None:
        """`text` on one line, its baseline at `y`, starting at `x` (or centred on it, or
        ending at it)."""
        if align != "left":
            x -= text_width(text, size) / (2 if align == "centre" else 1)
        glyphs = []
        for char in text:
            gid = _glyph(char)[0]
            if gid:  # .notdef (a character the font lacks) is a box and reads as nothing
                self.used.setdefault(gid, char)
            glyphs.append(gid)
        self.pages[-1].append(_Text(x, y, size, glyphs))

    def box(
        self, x: float, y: float, width: float, height: float, *, fill_grey: float | None = None
    ) -> None:
        """A rectangle ruled with a 0.6 pt black line, filled with a grey (1 is white) if given;
        (x, y) is its lower left corner."""
        rect = f"{_number(x)} {_number(y)} {_number(width)} {_number(height)} re"
        if fill_grey is None:
            self.pages[-1].append(f"0.6 w {rect} S")
        else:
            self.pages[-1].append(f"{_number(fill_grey)} g 0.6 w {rect} B 0 g")

    def squares(self, rects: Iterable[tuple[float, float, float, float]]) -> None:
        """Black filled rectangles (x, y, width, height) as one path: a QR code's modules."""
        path = " ".join(
            f"{_number(x)} {_number(y)} {_number(w)} {_number(h)} re" for x, y, w, h in rects
        )
        if path:  # "f" without a path is an error in a PDF
            self.pages[-1].append(f"{path} f")

    def pdf(self) -> bytes:
        font = _font()
        subset = hb.SubsetInput()
        subset.glyph_set.update(self.used)  # and .notdef, which every subset keeps
        subset.flags = hb.SubsetFlags.NO_HINTING
        dropped = subset.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
        for tag in DROPPED_TABLES:
            dropped.add(int.from_bytes(tag.encode(), "big"))
        plan = hb.SubsetPlan(font.face, subset)
        program = plan.execute().blob.data
        new_id = dict(plan.old_to_new_glyph_mapping.items())
        old_ids = [old for _, old in sorted(plan.new_to_old_glyph_mapping.items())]
        # The subset's name: six capital letters from its glyphs, then the font's name.
        tag = "".join(
            chr(65 + byte % 26)
            for byte in hashlib.sha256(bytes(str(old_ids), "ascii")).digest()[:6]
        )
        base_font = f"/{tag}+{FONT_NAME}"

        objects: list[bytes] = []  # object n is objects[n - 1]

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(data: bytes, extra: str = "") -> int:
            packed = zlib.compress(data)
            return add(
                f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n".encode()
                + packed
                + b"\nendstream"
            )

        widths = " ".join(str(_advance(old)) for old in old_ids)
        pairs = [
            f"<{new_id[gid]:04X}> <{char.encode('utf-16-be').hex().upper()}>"
            for gid, char in sorted(self.used.items())
        ]
        # A CMap takes at most 100 mappings to a beginbfchar block.
        to_unicode = "".join(
            f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n"
            for block in (pairs[n : n + 100] for n in range(0, len(pairs), 100))
        )
        font_file = stream(program, f" /Length1 {len(program)}")
        descriptor = add(
            f"<< /Type /FontDescriptor /FontName {base_font} /Flags 4 "
            f"/FontBBox [{' '.join(map(str, font.bbox))}] /ItalicAngle 0 /Ascent {font.ascent} "
            f"/Descent {font.descent} /CapHeight {font.ascent} /StemV 80 /FontFile2 {font_file} 0 R >>".encode()
        )
        cid_font = add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont {base_font} "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /W [0 [{widths}]] >>".encode()
        )
        cmap = stream(_TO_UNICODE.format(mappings=to_unicode).encode())
        font_ref = add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont {base_font} /Encoding /Identity-H "
            f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {cmap} 0 R >>".encode()
        )
        pages_ref = len(objects) + 2 * len(self.pages) + 1
        kids = []
        for operations in self.pages:
            content = stream("\n".join(_operation(op, new_id) for op in operations).encode())
            kids.append(
                add(
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {_number(A4[0])} "
                    f"{_number(A4[1])}] /Resources << /Font << /F1 {font_ref} 0 R >> >> "
                    f"/Contents {content} 0 R >>".encode()
                )
            )
        add(
            f"<< /Type /Pages /Kids [{' '.join(f'{kid} 0 R' for kid in kids)}] "
            f"/Count {len(kids)} >>".encode()
        )
        catalog = add(f"<< /Type /Catalog /Pages {pages_ref} 0 R /Lang (ja-JP) >>".encode())
        info = add(
            (
                "<< "
                + " ".join(f"/{key} {_text_string(value)}" for key, value in self.info.items())
                + " >>"
            ).encode()
        )
        return _file(objects, catalog, info)


def _advance(gid: int) -> int:
    """The glyph's advance width in 1/1000 em, as PDF font metrics are given."""
    font = _font()
    advance: int = font.hb_font.get_glyph_h_advance(gid)
    return round(advance * 1000 / font.upem)


def _operation(op: str | _Text, new_id: dict[int, int]) -> str:
    if isinstance(op, str):
        return op
    glyphs = "".join(f"{new_id[gid]:04X}" for gid in op.glyphs)
    return f"BT /F1 {_number(op.size)} Tf {_number(op.x)} {_number(op.y)} Td <{glyphs}> Tj ET"


def _file(objects: list[bytes], catalog: int, info: int) -> bytes:
    """The objects as a PDF file with its cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    file_id = hashlib.md5(out, usedforsecurity=False).hexdigest().upper()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R "
        f"/ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


_TO_UNICODE = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
{mappings}endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""
