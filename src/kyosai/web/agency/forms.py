"""The agency clerk's intake form: how the client's application is taken, on top of the
member's enrollment form (web/customer/forms.EnrollmentForm), which the clerk fills for them."""

from typing import Any

from django import forms

from kyosai.formats.kana import normalize_text
from kyosai.web.customer.forms import NormalisedEmailField


class IntakeForm(forms.Form):
    LINK = "link"
    PAPER = "paper"

    how = forms.ChoiceField(
        label="受付の方法",
        choices=[
            (LINK, "ご本人がリンク（QRコード）からオンラインで確認して申し込む"),
            (PAPER, "書面の申込書を受け付けた（受付日を記録する）"),
        ],
        widget=forms.RadioSelect,
    )
    client_email = NormalisedEmailField(
        label="ご本人のメールアドレス",
        max_length=150,
        required=False,
        help_text="リンクで確認する場合。ご本人はこのアドレスでログイン（または新規登録）します",
    )
    received_on = forms.DateField(
        label="受付日",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="書面の場合。申込書を受け付けた日",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == self.LINK and not data.get("client_email"):
            self.add_error(
                "client_email", "リンクで確認する場合はメールアドレスを入力してください。"
            )
        if data.get("how") == self.PAPER and data.get("received_on") is None:
            self.add_error("received_on", "書面の場合は受付日を入力してください。")
        return data


class ChangeIntakeForm(forms.Form):
    """How a client's change is taken: the holder confirms it with their own login, or the
    paper 変更届's 受付日."""

    LINK = IntakeForm.LINK
    PAPER = IntakeForm.PAPER

    how = forms.ChoiceField(
        label="受付の方法",
        choices=[
            (LINK, "ご本人がリンク（QRコード）からマイページにログインして確認する"),
            (PAPER, "書面の届出書を受け付けた（受付日を記録する）"),
        ],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label="受付日", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text="書面の場合。届出書を受け付けた日",
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == self.PAPER and data.get("received_on") is None:
            self.add_error("received_on", "書面の場合は受付日を入力してください。")
        return data


class ClientLookupForm(forms.Form):
    """A client found by a contract's number."""

    number = forms.CharField(label="共済契約者番号（9桁）", max_length=20)

    def clean_number(self) -> str:
        return normalize_text(self.cleaned_data["number"]).replace("-", "").strip()


class LoanIntakeForm(forms.Form):
    """Which client's contract, and when the agency received the paper request."""

    contract_number = forms.CharField(label="共済契約者番号（9桁）", max_length=20)
    received_on = forms.DateField(
        label="受付日", widget=forms.DateInput(attrs={"type": "date"}),
        help_text="共済金貸付請求書を受け付けた日",
    )  # fmt: skip

    def clean_contract_number(self) -> str:
        return normalize_text(self.cleaned_data["contract_number"]).replace("-", "").strip()
