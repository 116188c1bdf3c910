"""The scorecards as tables (`documents.tables` writes them as CSV and Excel). A rate is the
percentage to 0.1 the page shows (17.1 for 17.1 %), an empty cell where there is none, as in the
published table."""

from kyosai.documents.tables import Cell, Table
from kyosai.scorecards.selectors import APPLICATION_CHANNELS, OnlineUsage, Operations


def online_usage_sheets(report: OnlineUsage) -> list[Table]:
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
    return [
        Table(
            "オンライン利用率", "オンライン利用率", header, rates, frozenset(range(1, len(header)))
        ),
        Table("件数", "件数", counts_header, counts, frozenset({7, 8})),
    ]


def operations_sheets(report: Operations) -> list[Table]:
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
    return [
        Table("STP・不備・処理時間", "STP・不備・処理時間", header, rows, frozenset({6, 8, 9, 10}))
    ]
