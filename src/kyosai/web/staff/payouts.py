"""支払（振込）: payouts waiting for a transfer file, the files and their confirmation once the
bank has carried them out, and paying a returned payout again. Every role reads; approvers make
files, confirm them, download them and pay again (the file holds members' accounts)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyosai.billing.files import outgoing_dir
from kyosai.core.audit import record
from kyosai.core.errors import ApplicationError
from kyosai.core.roles import Role, has_role
from kyosai.payouts.actions import (
    PayeeAccount,
    do_confirm_transfer_file,
    do_make_transfer_file,
    do_reissue_payout,
)
from kyosai.payouts.models import Payout
from kyosai.payouts.selectors import payouts_overview, transfer_file_detail
from kyosai.web.customer.forms import MandateForm
from kyosai.web.staff.views import EVERY_ROLE, role_required, staff_page

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MakeFileForm(forms.Form):
    pay_on = forms.DateField(
        label="振込指定日", input_formats=["%Y-%m-%d"], widget=DATE_INPUT,
        help_text="この日までに振込できる支払いをまとめます（銀行の営業日）。",
    )  # fmt: skip


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(label="振込日", input_formats=["%Y-%m-%d"], widget=DATE_INPUT)
    returned = forms.TypedMultipleChoiceField(
        label="振込不能になった支払い（金融機関から返却の連絡があったもの）", coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args: object, payouts: list[Payout], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["returned"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.contract.number} {p.get_kind_display()} {p.amount_yen:,}円")
            for p in payouts
        ]


@role_required(*EVERY_ROLE)
def payouts(request: HttpRequest) -> HttpResponse:
    form = MakeFileForm(request.POST or None, initial={"pay_on": timezone.localdate()})
    if request.method == "POST":
        _approver_only(request)
        if form.is_valid():
            try:
                file = do_make_transfer_file(
                    pay_on=form.cleaned_data["pay_on"], acting_user=request.user
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message_ja)
            else:
                messages.success(request, f"総合振込ファイル {file.name} を作成しました。")
                return redirect("staff:transfer_file", pk=file.pk)
    return staff_page(request, "staff/payouts.html", {"overview": payouts_overview(), "form": form})


@role_required(*EVERY_ROLE)
def transfer_file(request: HttpRequest, pk: int) -> HttpResponse:
    file, rows = transfer_file_detail(pk)
    form = ConfirmForm(
        request.POST or None, payouts=list(rows), initial={"confirmed_on": file.pay_on}
    )
    if request.method == "POST":
        _approver_only(request)
        if form.is_valid():
            try:
                do_confirm_transfer_file(
                    file, returned=set(form.cleaned_data["returned"]),
                    confirmed_on=form.cleaned_data["confirmed_on"], acting_user=request.user,
                )  # fmt: skip
            except ApplicationError as exc:
                form.add_error(None, exc.message_ja)
            else:
                messages.success(request, "振込の結果を記録しました。")
                return redirect("staff:transfer_file", pk=file.pk)
    return staff_page(
        request, "staff/transfer_file.html", {"file": file, "payouts": rows, "form": form}
    )


@role_required(Role.APPROVER)
def transfer_file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file as written, for sending to the bank (its members' accounts: audited)."""
    file, _ = transfer_file_detail(pk)
    if file.written_at is None:
        messages.error(request, "このファイルはまだ書き出されていません。")
        return redirect("staff:transfer_file", pk=pk)
    record("transfer_file.download", file, actor=request.user, sha256=file.sha256)
    response = HttpResponse((outgoing_dir() / file.name).read_bytes(), content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


@require_POST
@role_required(Role.APPROVER)
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    """A returned payout paid again to the account staff confirmed with the member."""
    payout = get_object_or_404(Payout, pk=pk)
    form = MandateForm(request.POST)
    if not form.is_valid():
        errors = "、".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, f"振込先の口座を確認してください: {errors}")
        return redirect("staff:payouts")
    account = form.mandate()
    try:
        do_reissue_payout(
            payout,
            PayeeAccount(account.bank_code, account.branch_code, account.account_type,
                         account.account_number, account.holder_kana),
            acting_user=request.user,
        )  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, exc.message_ja)
    else:
        messages.success(request, "振込先を改めて、次の総合振込ファイルで振り込みます。")
    return redirect("staff:payouts")


def _approver_only(request: HttpRequest) -> None:
    """Reading is every role's; changing payouts is the approvers'."""
    if not has_role(request.user, Role.APPROVER):
        raise PermissionDenied
