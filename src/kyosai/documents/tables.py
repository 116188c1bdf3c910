"""Tables as a page shows them and as downloads: CSV (UTF-8 with a BOM, so that Excel reads the
Japanese) and Excel workbooks, numbers kept as numbers and text never read as a formula. The
management reports and the scorecards both write theirs here."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

Cell = int | Decimal | str | None


@dataclass(frozen=True)
class Table:
    slug: str  # names the CSV file and the Excel sheet
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    percent_columns: frozenset[int] = field(default_factory=frozenset)  # shown with one decimal

    @property
    def display_rows(self) -> list[list[tuple[str, bool]]]:
        """The rows as the page shows them: (text, is a figure) per cell."""
        return [[(_shown(cell), not isinstance(cell, str)) for cell in row] for row in self.rows]


def _shown(cell: Cell) -> str:
    """On the page: 1,850 for a count, 222.3 for a percentage, — for no figure."""
    if cell is None:
        return "—"
    if isinstance(cell, Decimal):
        return f"{cell:.1f}"
    return f"{cell:,}" if isinstance(cell, int) else cell


FORMULA_START = ("=", "+", "-", "@")


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return f"'{cell}" if cell.startswith(FORMULA_START) else cell
    return f"{cell:.1f}" if isinstance(cell, Decimal) else str(cell)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a BOM (so that Excel reads the Japanese), CRLF lines, a header line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_text(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(tables: list[Table]) -> bytes:
    """One sheet a table: its title, the header, then the rows, numbers kept as numbers."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = book.create_sheet(table.slug)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for row in table.rows:
            sheet.append(row)
            for index, cell in enumerate(sheet[sheet.max_row]):
                if index in table.percent_columns:
                    cell.number_format = "0.0"
                if isinstance(row[index], str):
                    cell.data_type = "s"  # as written, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
