"""The portal's 共済金 pages (shokibo): the live quote on the contract page, the claim with the
receipt method and its instalment preview, the determination notice, and 通算の申出."""

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.benefits.actions import (
    ClaimFacts,
    ClaimQuote,
    TsusanFacts,
    do_submit_benefit_claim,
    do_submit_tsusan,
    quote_claim,
    quote_tsusan,
)
from kyosai.benefits.selectors import determination_of
from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import access_contract_for
from kyosai.core.errors import ApplicationError
from kyosai.formats.kana import normalize_text
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.events import EVENT_LABEL, BenefitEvent, events_for
from kyosai.rules.shokibo.receipt import INSTALMENT_YEARS, METHOD_LABEL, ReceiptMethod
from kyosai.web.customer.forms import POSITION_LABEL, WholeNumberField
from kyosai.web.customer.views import member_required, online_receipt

PREVIEWED_INSTALMENTS = 6  # the first payments shown; the rest follow the same pattern


class JapaneseDateField(forms.DateField):
    """A date typed as 2026-11-05, 2026/11/05 or with full-width digits (a date picker sends
    the first)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%Y/%m/%d"]

    def to_python(self, value: Any) -> dt.date | None:
        return super().to_python(normalize_text(str(value or "")).strip())


def _event_choices(contract: Contract, on: dt.date) -> list[tuple[str, str]]:
    return [(e.value, EVENT_LABEL[e]) for e in events_for(contract.position, on=on)]


class ClaimForm(forms.Form):
    event = forms.ChoiceField(
        label="共済事由（請求の理由）",
        widget=forms.RadioSelect,
        error_messages={"required": "共済事由を選んでください。"},
    )
    event_on = JapaneseDateField(
        label="共済事由の生じた日",
        error_messages={
            "required": "共済事由の生じた日を入力してください。",
            "invalid": "日付は 2026-11-05 のように入力してください。",
        },
    )
    birth_date = JapaneseDateField(
        label="生年月日（共済契約者）",
        help_text="分割受取・老齢給付の年齢の確認に使います。",
        error_messages={
            "required": "生年月日を入力してください。",
            "invalid": "日付は 1960-04-01 のように入力してください。",
        },
    )
    method = forms.ChoiceField(
        label="受取方法",
        widget=forms.RadioSelect,
        choices=[(m.value, METHOD_LABEL[m]) for m in ReceiptMethod],
        initial=ReceiptMethod.LUMP.value,
        error_messages={"required": "受取方法を選んでください。"},
    )
    years = forms.TypedChoiceField(
        label="分割の期間（分割・併用のとき）",
        widget=forms.RadioSelect,
        choices=[(str(y), f"{y}年") for y in INSTALMENT_YEARS],
        coerce=int,
        initial="10",
        required=False,
    )
    lump_part_yen = WholeNumberField(
        label="一括で受け取る額（円、併用のとき）",
        required=False,
        min_value=0,
        error_messages={"invalid": "金額は数字で入力してください（例: 300000）。"},
    )

    def __init__(self, *args: Any, contract: Contract, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["event"].choices = _event_choices(contract, today)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event_on, born = data.get("event_on"), data.get("birth_date")
        if event_on and event_on > self.today:
            self.add_error("event_on", "共済事由の生じた日に、今日より後の日付は入力できません。")
        if event_on and born and born >= event_on:
            self.add_error("birth_date", "生年月日が共済事由の生じた日より後になっています。")
        method = data.get("method")
        if method in (ReceiptMethod.INSTALMENT, ReceiptMethod.COMBINED) and not data.get("years"):
            self.add_error("years", "分割の期間（10年か15年）を選んでください。")
        if method == ReceiptMethod.COMBINED and not data.get("lump_part_yen"):
            self.add_error("lump_part_yen", "併用では一括で受け取る額を入力してください。")
        return data

    def facts(self) -> ClaimFacts:
        data = self.cleaned_data
        method = ReceiptMethod(data["method"])
        return ClaimFacts(
            BenefitEvent(data["event"]),
            data["event_on"],
            data["birth_date"],
            method,
            data.get("years") or 10,
            data.get("lump_part_yen") or 0 if method == ReceiptMethod.COMBINED else 0,
        )


def _shokibo(request: HttpRequest, pk: int) -> Contract:
    found = access_contract_for(request.user, pk)
    if found.scheme != Scheme.SHOKIBO:
        raise Http404
    return found


@member_required
def benefit_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """共済金の請求: the form, then what it pays and how (the instalments), then one submit."""
    found = _shokibo(request, pk)
    today = timezone.localdate()
    form = ClaimForm(request.POST or None, contract=found, today=today)
    context: dict[str, Any] = {"contract": found, "form": form}
    if request.method == "POST" and form.is_valid():
        facts = form.facts()
        try:
            if request.POST.get("step") == "submit":
                procedure = do_submit_benefit_claim(found, facts, **online_receipt(request))
                return redirect("customer:procedure", pk=procedure.pk)
            quote = quote_claim(found, facts, received_on=today)
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            _reasons_on_fields(form, quote)
            context.update(
                quote=quote,
                token=uuid.uuid4().hex,
                method_label=METHOD_LABEL[facts.method],
                **_preview(quote),
            )
    return render(request, "customer/benefit_claim.html", context)


def _reasons_on_fields(form: ClaimForm, quote: ClaimQuote) -> None:
    """Refusals next to the field they are about: the event's, or the receipt method's."""
    for reason in quote.reasons:
        if quote.kind is None:
            form.add_error("event", reason.message_ja)
        elif reason.code.startswith("lump_part"):
            form.add_error("lump_part_yen", reason.message_ja)
        else:
            form.add_error("method", reason.message_ja)


def _preview(quote: ClaimQuote) -> dict[str, Any]:
    if quote.schedule is None:
        return {}
    instalments = quote.schedule.instalments
    return {
        "first_instalments": instalments[:PREVIEWED_INSTALMENTS],
        "last_instalment": instalments[-1],
        "instalment_count": len(instalments),
    }


@member_required
def benefit_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """共済金支給決定通知書 as a PDF download: the notice stored with the determination."""
    found = determination_of(_shokibo(request, pk))
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.notice_pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="benefit-notice-{found.contract.number}.pdf"'
    )
    return response


class TsusanForm(forms.Form):
    event = forms.ChoiceField(
        label="共済事由（前の契約で生じた事由）",
        widget=forms.RadioSelect,
        error_messages={"required": "共済事由を選んでください。"},
    )
    event_on = ClaimForm.base_fields["event_on"]
    birth_date = ClaimForm.base_fields["birth_date"]
    position = forms.ChoiceField(
        label="新しい契約で加入する立場",
        choices=[(p.value, label) for p, label in POSITION_LABEL.items()],
        error_messages={"required": "新しい契約で加入する立場を選んでください。"},
    )
    monthly_yen = WholeNumberField(
        label="新しい契約の掛金月額（円）",
        error_messages={
            "required": "掛金月額を入力してください。",
            "invalid": "掛金月額は数字で入力してください（例: 10000）。",
        },
    )
    retirement_scheme_member = forms.BooleanField(
        label="中小企業退職金共済などの被共済者です", required=False
    )

    def __init__(self, *args: Any, contract: Contract, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["event"].choices = _event_choices(contract, today)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event_on = data.get("event_on")
        if event_on and event_on > self.today:
            self.add_error("event_on", "共済事由の生じた日に、今日より後の日付は入力できません。")
        return data

    def facts(self) -> TsusanFacts:
        data = self.cleaned_data
        return TsusanFacts(
            BenefitEvent(data["event"]), data["event_on"], data["birth_date"], data["position"],
            data["monthly_yen"], data["retirement_scheme_member"],
        )  # fmt: skip


@member_required
def tsusan(request: HttpRequest, pk: int) -> HttpResponse:
    """掛金納付月数の通算の申出 with the new contract's premium and position (様式 小141)."""
    found = _shokibo(request, pk)
    today = timezone.localdate()
    form = TsusanForm(request.POST or None, contract=found, today=today)
    context: dict[str, Any] = {"contract": found, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("step") == "submit":
                procedure = do_submit_tsusan(found, form.facts(), **online_receipt(request))
                return redirect("customer:procedure", pk=procedure.pk)
            context.update(
                quote=quote_tsusan(found, form.facts(), received_on=today),
                token=uuid.uuid4().hex,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
    return render(request, "customer/tsusan.html", context)
