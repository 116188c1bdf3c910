"""The reports as tables, and the tables as CSV (UTF-8 with a BOM, so that Excel opens the
Japanese right) and as Excel workbooks. A rate is written as the percentage to 0.1 the page
shows (17.1 for 17.1 %), an empty cell where there is none, as in the published table."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

from kyosai.scorecards.selectors import APPLICATION_CHANNELS, OnlineUsage, Operations

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Sheet:
    title: str  # the Excel sheet's name (31 characters at most)
    header: list[str]
    rows: list[list[Cell]]


def online_usage_sheets(report: OnlineUsage) -> list[Sheet]:
    """First the published layout (`online_usage_rates_published.csv`: one row per procedure,
    a column per month, then a column per period), then the counts behind every figure."""
    header = ["procedure", *(s.label for s in report.rows[0].months + report.rows[0].periods)]
    rates: list[list[Cell]] = [
        [row.procedure.key, *(share.rate for share in row.months + row.periods)]
        for row in report.rows
    ]
    counts: list[list[Cell]] = []
    for row in report.rows:
        for share in row.months + row.periods:
            counts.append(
                [
                    row.procedure.key,
                    share.label,
                    *(share.by_channel.get(c, 0) for c in APPLICATION_CHANNELS),
                    share.online,
                    share.total,
                    share.rate,
                    share.target_percent,
                ]
            )
    counts_header = ["procedure", "period", "online", "agency", "paper", "online_total",
                     "applications", "rate_percent", "target_percent"]  # fmt: skip
    return [Sheet("オンライン利用率", header, rates), Sheet("件数", counts_header, counts)]


def operations_sheets(report: Operations) -> list[Sheet]:
    header = ["手続", "制度", "申請経路", "受付件数", "判断済件数", "STP件数", "STP率(%)",
              "不備件数", "不備率(%)", "処理時間中央値(時間)", "処理時間90%点(時間)"]  # fmt: skip
    rows: list[list[Cell]] = [
        [
            r.kind_label,
            r.scheme_label,
            r.channel_label,
            r.received,
            r.decided,
            r.stp,
            r.stp_rate,
            r.deficient,
            r.deficient_rate,
            r.median_hours,
            r.p90_hours,
        ]
        for r in report.rows
    ]
    return [Sheet("STP・不備・処理時間", header, rows)]


def to_csv(sheet: Sheet) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows([_text(cell) for cell in row] for row in sheet.rows)
    return text.getvalue().encode("utf-8-sig")


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per sheet; numbers stay numbers (rates as Decimal with one decimal)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        worksheet = book.create_sheet(sheet.title[:31])
        worksheet.append(sheet.header)
        for row in sheet.rows:
            worksheet.append(row)
        for cells in worksheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "0.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
