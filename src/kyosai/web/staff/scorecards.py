"""スコアカード: the オンライン利用率 of the target procedures against their targets (資料3), and
the STP rate, 不備 rate and cycle time of every procedure; each as a page with its chart, a CSV
and an Excel download. Every staff role reads them (they hold no member's personal data)."""

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe

from kyosai.documents.tables import Table, to_csv, to_xlsx
from kyosai.rules.calendar import fiscal_year, fiscal_year_start, month_of
from kyosai.rules.scorecard import online_procedures
from kyosai.scorecards.charts import share_chart
from kyosai.scorecards.exports import online_usage_sheets, operations_sheets
from kyosai.scorecards.selectors import OnlineUsage, online_usage, operations
from kyosai.web.staff.views import EVERY_ROLE, role_required, staff_page

MAX_MONTHS = 120
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RangeForm(forms.Form):
    first = forms.DateField(label="開始月", input_formats=["%Y-%m"], widget=MONTH_INPUT)
    last = forms.DateField(label="終了月", input_formats=["%Y-%m"], widget=MONTH_INPUT)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if isinstance(first, dt.date) and isinstance(last, dt.date):
            if first > last:
                self.add_error("last", "終了月は開始月と同じか、それより後にしてください。")
            elif len(range(_index(first), _index(last))) >= MAX_MONTHS:
                self.add_error("last", f"一度に集計できるのは{MAX_MONTHS}か月までです。")
        return data


def _index(month: dt.date) -> int:
    return month.year * 12 + month.month


def _range(request: HttpRequest, default_first: dt.date) -> tuple[RangeForm, dt.date, dt.date]:
    """The months asked for, or the default (`default_first` to this month) when none or wrong."""
    this_month = month_of(timezone.localdate())
    form = RangeForm(request.GET or None, initial={"first": default_first, "last": this_month})
    if request.GET and form.is_valid():
        return form, form.cleaned_data["first"], form.cleaned_data["last"]
    return form, default_first, this_month


def _online_range(request: HttpRequest) -> tuple[RangeForm, dt.date, dt.date]:
    started = min(p.online_from for p in online_procedures())
    return _range(request, month_of(started))


def _operations_range(request: HttpRequest) -> tuple[RangeForm, dt.date, dt.date]:
    """By default the fiscal year so far (April to this month)."""
    return _range(request, fiscal_year_start(fiscal_year(timezone.localdate())))


@role_required(*EVERY_ROLE)
def online(request: HttpRequest) -> HttpResponse:
    form, first, last = _online_range(request)
    report = online_usage(first, last)
    return staff_page(
        request,
        "staff/scorecard_online.html",
        {
            "form": form,
            "report": report,
            "sections": list(zip(report.rows, _charts(report), strict=True)),
            "query": request.GET.urlencode(),
        },
    )


def _charts(report: OnlineUsage) -> list[str]:
    labels = [share.label for share in report.rows[0].months] if report.rows else []
    return [
        mark_safe(  # noqa: S308 - built by charts.share_chart, which escapes every text
            share_chart(
                f"{row.procedure.label} 月別オンライン利用率と目標",
                labels,
                [share.rate for share in row.months],
                [share.target_percent for share in row.months],
            )
        )
        for row in report.rows
    ]


@role_required(*EVERY_ROLE)
def online_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _, first, last = _online_range(request)
    sheets = online_usage_sheets(online_usage(first, last))
    return _download(sheets, fmt, f"online_usage_{first:%Y%m}-{last:%Y%m}")


@role_required(*EVERY_ROLE)
def operations_page(request: HttpRequest) -> HttpResponse:
    form, first, last = _operations_range(request)
    return staff_page(
        request,
        "staff/scorecard_operations.html",
        {"form": form, "report": operations(first, last), "query": request.GET.urlencode()},
    )


@role_required(*EVERY_ROLE)
def operations_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _, first, last = _operations_range(request)
    sheets = operations_sheets(operations(first, last))
    return _download(sheets, fmt, f"operations_{first:%Y%m}-{last:%Y%m}")


def _download(sheets: list[Table], fmt: str, name: str) -> HttpResponse:
    """CSV: the first sheet (the published layout); Excel: every sheet."""
    if fmt == "csv":
        response = HttpResponse(to_csv(sheets[0]), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(sheets), content_type=XLSX)
    else:
        raise Http404("形式は csv か xlsx です。")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
