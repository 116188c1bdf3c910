"""契約者貸付 in the portal (shokibo): one page per kind with the live limit, the form of the
amount, the term and the kind's facts, the schedule it would repay on, the documents a special
kind needs, and one submit. The rules' refusals are shown next to the field they are about."""

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import access_contract_for
from kyosai.core.errors import ApplicationError
from kyosai.formats.kana import normalize_text
from kyosai.loans.contract_loan import (
    EVIDENCE,
    ContractLoanQuote,
    ContractLoanRequest,
    contract_loan_limits,
    do_submit_contract_loan,
    quote_contract_loan,
)
from kyosai.rules.money import rate_text
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.loan_conditions import (
    BASIS_LABEL,
    BODY_LABEL,
    CASE_LABEL,
    CAUSE_LABEL,
    GROUND_LABEL,
    ConditionFacts,
    ConfirmingBody,
    EmergencyFacts,
    ExpansionBasis,
    IllnessDisasterCause,
    IllnessDisasterFacts,
    NewBusinessCase,
    NewBusinessFacts,
    SalesFallGround,
)
from kyosai.rules.shokibo.loans import KIND_LABEL, LoanKind, terms_offered
from kyosai.web.customer.benefits import JapaneseDateField
from kyosai.web.customer.forms import EvidenceField, WholeNumberField
from kyosai.web.customer.views import member_required, online_receipt

ABOUT = {
    LoanKind.GENERAL: "事業資金を、納付した掛金の範囲内でお借りいただけます（担保・保証人は不要です）。",
    LoanKind.EMERGENCY: (
        "経営環境の変化で売上高が一時的に減少したときの資金です。商工会・商工会議所・中小企業団体"
        "中央会・青色申告会による売上高の減少の確認が必要です。"
    ),
    LoanKind.ILLNESS_DISASTER: (
        "病気やけがで入院したとき、災害で被害を受けたときの資金です。入院した日・災害の日から"
        "6か月以内にお申し込みください。"
    ),
    LoanKind.NEW_BUSINESS: (
        "事業をやめて新たに始めるとき・業種を変えるとき（共済金を請求せずに通算する方）や、新たな"
        "事業・後継者の新事業を始めるときの資金です。商工会などによる確認が必要です。"
    ),
}
# The kind's own fields (besides the amount and the term), in the order the form shows them.
KIND_FIELDS = {
    LoanKind.GENERAL: (),
    LoanKind.EMERGENCY: (
        "ground", "confirmed_by", "confirmer_name", "period_months", "period_end_month",
        "years_back", "sales_yen", "compared_sales_yen", "last_year_sales_yen", "cause",
        "expected_to_fall",
    ),
    LoanKind.ILLNESS_DISASTER: ("illness_cause", "event_on", "hospital_days", "certifier_name"),
    LoanKind.NEW_BUSINESS: (
        "case", "confirmed_by", "confirmer_name", "event_occurred_or_certain",
        "starts_or_changes_business", "stays_small_enterprise", "tsusan_without_claim", "basis",
        "new_business",
    ),
}  # fmt: skip


def _yen(label: str) -> WholeNumberField:
    return WholeNumberField(
        label=label, required=False, min_value=0, max_value=10**12,
        error_messages={"invalid": "金額は数字で入力してください（例: 9000000）。",
                        "min_value": "金額に0より小さい値は入力できません。"},
    )  # fmt: skip


def _text(label: str, max_length: int = 100) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=max_length,
        error_messages={"max_length": f"{max_length}文字以内で入力してください。"},
    )  # fmt: skip


def _choice(
    label: str, choices: dict[Any, str], *, typed: bool = False, required: bool = True
) -> forms.ChoiceField:
    pairs = [(str(getattr(key, "value", key)), text) for key, text in choices.items()]
    errors = {
        "required": f"{label}を選んでください。",
        "invalid_choice": "選択肢から選んでください。",
    }
    if typed:
        return forms.TypedChoiceField(
            label=label, choices=pairs, coerce=int, widget=forms.RadioSelect,
            error_messages=errors, required=required, empty_value=None,
        )  # fmt: skip
    return forms.ChoiceField(
        label=label, choices=pairs, widget=forms.RadioSelect, error_messages=errors,
        required=required,
    )  # fmt: skip


class MonthField(forms.DateField):
    """A month typed as 2026-10 (a month picker sends that) or with full-width digits."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y/%m"]

    def to_python(self, value: Any) -> dt.date | None:
        return super().to_python(normalize_text(str(value or "")).strip())


class ContractLoanForm(forms.Form):
    """契約者貸付の申込み: the amount and term, and the facts of the kind (only its own fields)."""

    amount_yen = WholeNumberField(
        label="借りたい金額（円）",
        min_value=1,
        max_value=10**10,
        error_messages={
            "required": "借りたい金額を入力してください。",
            "invalid": "金額は数字で入力してください（例: 3000000）。",
            "min_value": "金額は1円以上で入力してください。",
        },
    )
    term_months = _choice("返済期間", {}, typed=True)  # the kind's terms: see __init__
    # 緊急経営安定
    ground = _choice("売上高の減少", GROUND_LABEL)
    confirmed_by = _choice("確認した団体の種類", BODY_LABEL)
    confirmer_name = _text("確認した団体の名称（例: 東京商工会議所）")
    period_months = _choice(
        "比べる期間", {3: "直近の3か月", 6: "直近の6か月"}, typed=True, required=False
    )
    period_end_month = MonthField(
        label="比べる期間の最終月",
        required=False,
        error_messages={"invalid": "月は 2026-10 のように入力してください。"},
    )
    years_back = _choice(
        "何年前の同じ期間と比べるか", {1: "1年前", 2: "2年前", 3: "3年前"}, typed=True,
        required=False,
    )  # fmt: skip
    sales_yen = _yen("比べる期間の売上高（円）")
    compared_sales_yen = _yen("比べる年の同じ期間の売上高（円）")
    last_year_sales_yen = _yen("1年前の同じ期間の売上高（円、2年前・3年前と比べるとき）")
    cause = _text("売上高の大幅な減少が見込まれる事由（機構が認める事由のとき）", 200)
    expected_to_fall = forms.BooleanField(label="今後も売上高の減少が見込まれる", required=False)
    # 傷病災害時
    illness_cause = _choice("事由", CAUSE_LABEL)
    event_on = JapaneseDateField(
        label="入院した日（災害のときは災害の日）",
        required=False,
        error_messages={"invalid": "日付は 2026-11-05 のように入力してください。"},
    )
    hospital_days = WholeNumberField(
        label="入院の日数（退院後の通院の日数を含めてよい）",
        required=False,
        min_value=0,
        max_value=10_000,
        error_messages={"invalid": "日数は数字で入力してください。"},
    )
    certifier_name = _text("被害を証明した機関（災害のとき。罹災証明書は発行した市区町村など）")
    # 創業転業時・新規事業展開等
    case = _choice("区分", CASE_LABEL)
    event_occurred_or_certain = forms.BooleanField(
        label="共済金A・共済金B・準共済金の事由が生じた（または生じることが確実）", required=False
    )
    starts_or_changes_business = forms.BooleanField(
        label="新たに事業を始める、または業種を変える", required=False
    )
    stays_small_enterprise = forms.BooleanField(label="その後も小規模企業者である", required=False)
    tsusan_without_claim = forms.BooleanField(
        label="共済金を請求せずに掛金納付月数を通算する", required=False
    )
    basis = forms.ChoiceField(
        label="新規事業展開の内容",
        choices=[("", "—"), *((b.value, text) for b, text in BASIS_LABEL.items())],
        required=False,
    )
    new_business = _text("新たに始める事業（業種）")

    def __init__(self, *args: Any, kind: LoanKind, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        kept = ("amount_yen", "term_months", *KIND_FIELDS[kind])
        for name in [n for n in self.fields if n not in kept]:
            del self.fields[name]
        # The kind's terms; which of them fit the amount, the rules say after the check.
        term = self.fields["term_months"]
        term.choices = [(str(t), f"{t}か月") for t in terms_offered(kind, on)]  # type: ignore[attr-defined]
        term.help_text = "金額によって選べる期間が決まっています。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = "を入力してください。"
        if self.kind == LoanKind.EMERGENCY and data.get("ground") in (
            SalesFallGround.YEAR_ON_YEAR,
            SalesFallGround.YEARS_AGO,
        ):
            needed = ["period_months", "period_end_month", "sales_yen", "compared_sales_yen"]
            if data.get("ground") == SalesFallGround.YEARS_AGO:
                needed.append("last_year_sales_yen")
            for name in needed:
                if data.get(name) is None and name not in self.errors:
                    what = "を選んでください。" if name == "period_months" else missing
                    self.add_error(name, f"{self.fields[name].label}{what}")
        if self.kind == LoanKind.ILLNESS_DISASTER:
            if data.get("event_on") is None and "event_on" not in self.errors:
                self.add_error("event_on", "入院した日（災害の日）を入力してください。")
            ill = data.get("illness_cause") == IllnessDisasterCause.ILLNESS
            if ill and data.get("hospital_days") is None and "hospital_days" not in self.errors:
                self.add_error("hospital_days", "入院の日数を入力してください。")
        return data

    def request(self) -> ContractLoanRequest:
        data = self.cleaned_data
        return ContractLoanRequest(
            self.kind, data["amount_yen"], data["term_months"], self._conditions(data)
        )

    def _conditions(self, d: dict[str, Any]) -> ConditionFacts | None:
        if self.kind == LoanKind.EMERGENCY:
            ground = SalesFallGround(d["ground"])
            return EmergencyFacts(
                ground=ground, confirmed_by=ConfirmingBody(d["confirmed_by"]),
                confirmer_name=d["confirmer_name"], expected_to_fall=d["expected_to_fall"],
                period_months=d.get("period_months") or 0,
                period_end_month=d.get("period_end_month"),
                years_back=d.get("years_back") or 1, sales_yen=d.get("sales_yen") or 0,
                compared_sales_yen=d.get("compared_sales_yen") or 0,
                last_year_sales_yen=d.get("last_year_sales_yen") or 0, cause=d["cause"],
            )  # fmt: skip
        if self.kind == LoanKind.ILLNESS_DISASTER:
            return IllnessDisasterFacts(
                IllnessDisasterCause(d["illness_cause"]), d["event_on"],
                d.get("hospital_days") or 0, d["certifier_name"],
            )  # fmt: skip
        if self.kind == LoanKind.NEW_BUSINESS:
            return NewBusinessFacts(
                NewBusinessCase(d["case"]), ConfirmingBody(d["confirmed_by"]),
                d["confirmer_name"], d["event_occurred_or_certain"],
                d["starts_or_changes_business"], d["stays_small_enterprise"],
                d["tsusan_without_claim"], ExpansionBasis(d["basis"]) if d["basis"] else None,
                d["new_business"],
            )  # fmt: skip
        return None


class EvidenceForm(forms.Form):
    evidence = EvidenceField(label="添付書類")


def _reasons_on_fields(form: ContractLoanForm, quote: ContractLoanQuote) -> None:
    """Each refusal next to the field it is about (its code names it); the rest above."""
    for reason in quote.reasons:
        form.add_error(reason.code if reason.code in form.fields else None, reason.message_ja)


@member_required
def contract_loan(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """契約者貸付の申込み of `kind`: the limit now, the form, the schedule, then one submit."""
    found = access_contract_for(request.user, pk)
    if found.scheme != Scheme.SHOKIBO or kind not in {k.value for k in LoanKind}:
        raise Http404
    loan_kind = LoanKind(kind)
    if found.status not in (Contract.Status.ACTIVE, Contract.Status.SUSPENDED):
        messages.error(request, "この契約は終了しているため、貸付けは受けられません。")
        return redirect("customer:contract", pk=found.pk)
    today = timezone.localdate()
    form = ContractLoanForm(request.POST or None, kind=loan_kind, on=today)
    submitting = request.POST.get("step") == "submit"
    evidence = EvidenceForm(request.POST, request.FILES) if submitting else EvidenceForm()
    evidence.fields["evidence"].label = f"添付書類（{EVIDENCE.get(loan_kind, '')}）"
    limits = contract_loan_limits(found, today)
    context: dict[str, Any] = {
        "contract": found, "form": form, "evidence": evidence, "kind": loan_kind,
        "kind_label": KIND_LABEL[loan_kind], "about": ABOUT[loan_kind],
        "needs_evidence": loan_kind in EVIDENCE, "limits": limits,
        "limit": limits.by_kind[loan_kind], "ratio_text": rate_text(limits.by_kind[loan_kind].ratio),
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            quote = quote_contract_loan(found, form.request(), applied_on=today, lent_on=today)
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            _reasons_on_fields(form, quote)
            context.update(quote=quote, token=request.POST.get("token") or uuid.uuid4().hex)
            if quote.schedule is not None:
                context["rate_text"] = rate_text(quote.schedule.rate)
            if (
                submitting
                and quote.allowed
                and (not context["needs_evidence"] or evidence.is_valid())
            ):
                files = evidence.cleaned_data["evidence"] if context["needs_evidence"] else []
                try:
                    procedure = do_submit_contract_loan(
                        found, form.request(), files, **online_receipt(request)
                    )
                except ApplicationError as exc:
                    form.add_error(None, exc.message_ja)
                else:
                    return redirect("customer:procedure", pk=procedure.pk)
    return render(request, "customer/contract_loan.html", context)
