"""管理帳票: the 加入促進計画, its achievement by block and industry, the 強調月間 and モデル都道府県
views and the agency rankings. Every role reads them, as a page with charts, a CSV
(`?format=csv&table=…`) or an Excel book (`?format=xlsx`); entering a plan is the
administrators'."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from kyosai.contracts.models import SCHEME_CHOICES
from kyosai.core.roles import Role, has_role
from kyosai.documents.tables import Table, to_csv, to_xlsx
from kyosai.parties.models import Industry
from kyosai.reports.charts import Chart
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import (
    BLOCKS,
    PREFECTURE_NAME,
    SHARE_KEY,
    TOTAL_KEY,
    PlanError,
    PlanLine,
    do_replace_plans,
)
from kyosai.reports.selectors import (
    RANKING_TOP,
    achievement,
    agency_ranking,
    campaign,
    model_prefectures,
    plan_of,
)
from kyosai.reports.tables import (
    achievement_charts,
    achievement_tables,
    campaign_charts,
    campaign_tables,
    model_prefecture_charts,
    model_prefecture_tables,
    plan_charts,
    plan_file_table,
    plan_tables,
    ranking_charts,
    ranking_tables,
    year_label,
)
from kyosai.rules.calendar import fiscal_year, fiscal_year_start
from kyosai.rules.scheme import Scheme
from kyosai.web.staff.views import EVERY_ROLE, role_required, staff_page

Dimension = PlanTarget.Dimension
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORTS = [  # (url name, title, what it shows)
    ("staff:report_plan", "加入促進計画", "年度の地域（ブロック）別・業種別の加入目標件数"),
    (
        "staff:report_achievement",
        "加入目標の達成状況",
        "目標・実績・達成率（地域別・業種別、両制度）",
    ),
    ("staff:report_campaign", "全国加入促進強調月間", "10月・11月の新規加入と前年同期の比較"),
    ("staff:report_model", "モデル都道府県運動", "モデル都道府県の新規加入と目標・前年同期"),
    ("staff:report_ranking", "団体・代理店ランキング", "区分別の加入実績上位（同数は同順位）"),
]


class YearForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, data: dict[str, str], *, today: dt.date) -> None:
        super().__init__(data)
        current = fiscal_year(today)
        self.fields["fiscal_year"].choices = [  # type: ignore[attr-defined]
            (year, year_label(year)) for year in range(current + 1, current - 8, -1)
        ]
        self.today = today


class ReportForm(YearForm):
    as_of = forms.DateField(
        label="基準日", required=False, input_formats=["%Y-%m-%d"], widget=DATE_INPUT,
        help_text="この日までに締結された契約を数えます（空欄は今日）。",
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["as_of"] = cleaned.get("as_of") or self.today
        year = cleaned.get("fiscal_year")
        if year is not None and cleaned["as_of"] < fiscal_year_start(year):
            start = f"{fiscal_year_start(year):%Y-%m-%d}"
            if self.data.get("as_of"):
                self.add_error(
                    "as_of", f"基準日は{year_label(year)}の始まり（{start}）以降にしてください。"
                )
            else:
                self.add_error(
                    "fiscal_year", f"{year_label(year)}はまだ始まっていません（{start}から）。"
                )
        return cleaned


class RankingForm(ReportForm):
    scheme = forms.ChoiceField(label="制度", choices=SCHEME_CHOICES, required=False)
    top = forms.IntegerField(
        label="各区分の上位", min_value=1, max_value=100_000, required=False,
        help_text=f"この順位までを表示します（同順位は全て。空欄は{RANKING_TOP}位まで、公表資料と同じ）。",
    )  # fmt: skip


def _parameters(
    request: HttpRequest, form_class: type[YearForm]
) -> tuple[YearForm, dict[str, Any]]:
    """The form as the viewer filled it, and the parameters to use (this year and today when
    the form is wrong: the page shows what was wrong)."""
    today = timezone.localdate()
    form = form_class({"fiscal_year": str(fiscal_year(today)), **request.GET.dict()}, today=today)
    if form.is_valid():
        return form, form.cleaned_data
    return form, {"fiscal_year": fiscal_year(today), "as_of": today, "scheme": ""}


def _respond(
    request: HttpRequest,
    name: str,
    title: str,
    form: YearForm,
    tables: list[Table],
    charts: list[Chart],
    *,
    csv_tables: list[Table] | None = None,
    stem: str,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    """The page, or the same tables as CSV (one table, `?table=`) or as an Excel book."""
    wanted = request.GET.get("format")
    downloadable = csv_tables or tables
    if wanted == "csv":
        slug = request.GET.get("table", downloadable[0].slug)
        table = next((t for t in downloadable if t.slug == slug), downloadable[0])
        response = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}_{table.slug}.csv"'
        return response
    if wanted == "xlsx":
        response = HttpResponse(to_xlsx(tables), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return staff_page(
        request,
        "staff/reports/report.html",
        {
            "current": name, "title": title, "form": form, "tables": tables, "charts": charts,
            "csv_tables": downloadable, "query": query.urlencode(), "reports": REPORTS,
            "can_plan": has_role(request.user, Role.ADMINISTRATOR), **(extra or {}),
        },
    )  # fmt: skip


@role_required(*EVERY_ROLE)
def reports(request: HttpRequest) -> HttpResponse:
    return staff_page(
        request,
        "staff/reports/index.html",
        {"reports": REPORTS, "can_plan": has_role(request.user, Role.ADMINISTRATOR)},
    )


@role_required(*EVERY_ROLE)
def plan(request: HttpRequest) -> HttpResponse:
    form, p = _parameters(request, YearForm)
    year = int(p["fiscal_year"])
    targets = plan_of(year)
    tables = plan_tables(year, targets)
    return _respond(
        request, "staff:report_plan", f"{year_label(year)} 加入促進計画", form, tables,
        plan_charts(tables), csv_tables=[plan_file_table(year, targets), *tables],
        stem=f"plan_{year}", extra={"plan_year": year},
    )  # fmt: skip


@role_required(*EVERY_ROLE)
def achievement_report(request: HttpRequest) -> HttpResponse:
    form, p = _parameters(request, ReportForm)
    report = achievement(int(p["fiscal_year"]), p["as_of"])
    return _respond(
        request, "staff:report_achievement", f"{year_label(report.fiscal_year)} 加入目標の達成状況",
        form, achievement_tables(report), achievement_charts(report),
        stem=f"achievement_{report.fiscal_year}",
    )  # fmt: skip


@role_required(*EVERY_ROLE)
def campaign_report(request: HttpRequest) -> HttpResponse:
    form, p = _parameters(request, ReportForm)
    report = campaign(int(p["fiscal_year"]), p["as_of"])
    return _respond(
        request, "staff:report_campaign",
        f"{year_label(report.fiscal_year)} 全国加入促進強調月間", form,
        campaign_tables(report), campaign_charts(report), stem=f"campaign_{report.fiscal_year}",
    )  # fmt: skip


@role_required(*EVERY_ROLE)
def model_report(request: HttpRequest) -> HttpResponse:
    form, p = _parameters(request, ReportForm)
    report = model_prefectures(int(p["fiscal_year"]), p["as_of"])
    return _respond(
        request, "staff:report_model", f"{year_label(report.fiscal_year)} モデル都道府県運動",
        form, model_prefecture_tables(report), model_prefecture_charts(report),
        stem=f"model_prefectures_{report.fiscal_year}",
    )  # fmt: skip


@role_required(*EVERY_ROLE)
def ranking_report(request: HttpRequest) -> HttpResponse:
    form, p = _parameters(request, RankingForm)
    scheme = Scheme(p.get("scheme") or Scheme.SHOKIBO)
    report = agency_ranking(scheme, int(p["fiscal_year"]), p["as_of"], p.get("top") or RANKING_TOP)
    return _respond(
        request, "staff:report_ranking",
        f"{year_label(report.fiscal_year)} 団体・代理店 加入実績上位ランキング", form,
        ranking_tables(report), ranking_charts(report),
        stem=f"agency_ranking_{report.fiscal_year}_{scheme}",
    )  # fmt: skip


class PlanForm(forms.Form):
    """One scheme's plan for a year: 別表1 (blocks), 別表2 (industries), the 合計 both add up to,
    the online share aimed at and the モデル都道府県."""

    total = forms.IntegerField(label="合計 加入目標件数", min_value=0)
    online_share_pct = forms.DecimalField(
        label="オンライン手続きによる新規加入申込割合の目標（%）", required=False,
        min_value=Decimal(0), max_value=Decimal(100), decimal_places=2,
    )  # fmt: skip
    model_prefectures = forms.MultipleChoiceField(
        label="モデル都道府県", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(PREFECTURE_NAME.items()),
    )  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for index, block in enumerate(BLOCKS):
            self.fields[f"block_{index}"] = forms.IntegerField(label=block, min_value=0)
        for industry in Industry:
            self.fields[f"industry_{industry.value}"] = forms.IntegerField(
                label=industry.label, min_value=0
            )

    def block_fields(self) -> list[forms.BoundField]:
        return [self[f"block_{index}"] for index in range(len(BLOCKS))]

    def industry_fields(self) -> list[forms.BoundField]:
        return [self[f"industry_{industry.value}"] for industry in Industry]

    def lines(self, scheme: Scheme, year: int) -> list[PlanLine]:
        data = self.cleaned_data
        lines = [PlanLine(scheme, year, Dimension.BLOCK, block, data[f"block_{index}"])
                 for index, block in enumerate(BLOCKS)]  # fmt: skip
        lines += [PlanLine(scheme, year, Dimension.INDUSTRY, i.value, data[f"industry_{i.value}"])
                  for i in Industry]  # fmt: skip
        lines.append(PlanLine(scheme, year, Dimension.TOTAL, TOTAL_KEY, data["total"]))
        if data["online_share_pct"] is not None:
            share = data["online_share_pct"] / 100
            lines.append(PlanLine(scheme, year, Dimension.ONLINE_SHARE, SHARE_KEY, None, share))
        lines += [PlanLine(scheme, year, Dimension.MODEL_PREFECTURE, code, None)
                  for code in data["model_prefectures"]]  # fmt: skip
        return lines


def _initial(scheme: Scheme, year: int) -> dict[str, object]:
    """The plan as stored, to edit."""
    initial: dict[str, Any] = {"model_prefectures": []}
    for t in plan_of(year, scheme):
        if t.dimension == Dimension.BLOCK:
            initial[f"block_{BLOCKS.index(t.key)}"] = t.target
        elif t.dimension == Dimension.INDUSTRY:
            initial[f"industry_{t.key}"] = t.target
        elif t.dimension == Dimension.TOTAL:
            initial["total"] = t.target
        elif t.dimension == Dimension.ONLINE_SHARE and t.share is not None:
            initial["online_share_pct"] = f"{(t.share * 100).normalize():f}"  # 30, not 3E+1
        elif t.dimension == Dimension.MODEL_PREFECTURE:
            initial["model_prefectures"].append(t.key)
    return initial


@role_required(Role.ADMINISTRATOR)
def plan_edit(request: HttpRequest) -> HttpResponse:
    """This year's or next year's plan of one scheme, entered or corrected by an administrator;
    saving replaces that plan whole (audited, with what it replaced)."""
    current = fiscal_year(timezone.localdate())
    try:
        scheme = Scheme(request.GET.get("scheme", Scheme.TOSAN))
        year = int(request.GET.get("fiscal_year", current + 1))
    except ValueError:
        scheme, year = Scheme.TOSAN, current + 1
    if year not in (current, current + 1):
        year = current + 1
    form = PlanForm(request.POST or None, initial=_initial(scheme, year))
    if request.method == "POST" and form.is_valid():
        try:
            do_replace_plans(form.lines(scheme, year), source="form", acting_user=request.user)
        except PlanError as error:
            for problem in error.problems:
                form.add_error(None, problem.message_ja)
        else:
            messages.success(
                request,
                f"{year_label(year)}の加入促進計画（{dict(SCHEME_CHOICES)[scheme]}）を保存しました。",
            )
            return redirect(f"{reverse('staff:report_plan')}?fiscal_year={year}")
    return staff_page(
        request,
        "staff/reports/plan_edit.html",
        {
            "form": form, "scheme": scheme, "year": year, "year_text": year_label(year),
            "scheme_name": dict(SCHEME_CHOICES)[scheme],
            "choices": [(s, n, y, year_label(y)) for s, n in SCHEME_CHOICES
                        for y in (current, current + 1)],
        },
    )  # fmt: skip
