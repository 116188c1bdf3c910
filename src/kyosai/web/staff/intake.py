"""書面受付（BPO入力データ）: import a file of keyed 加入申込書, see its forms and their 不備, the
second keying queue and the 不備 letters. Every role reads; reviewers and approvers import and
key (administrators decide nothing, core/roles.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from kyosai.core.errors import ApplicationError
from kyosai.core.roles import roles_of
from kyosai.formats.zengin import LineError
from kyosai.intake.actions import (
    IntakeRejectedError,
    do_decide_keying,
    do_import_intake_file,
    do_second_keying,
)
from kyosai.intake.checks import FIELD_LABEL
from kyosai.intake.models import SecondKeying
from kyosai.intake.selectors import (
    intake_file_detail,
    intake_files,
    keying_for_staff,
    letter_for_staff,
    open_keyings,
)
from kyosai.web.staff.views import DECIDERS, EVERY_ROLE, role_required, staff_page

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label="入力データファイル（CSV・UTF-8）")
    received_on = forms.DateField(
        label="受付日", input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="このファイルの申込書を受け付けた日。申込みの受付日になります。",
    )  # fmt: skip

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます（20MBまで）。")
        self.file_name = str(upload.name or "upload.csv")
        data: bytes = upload.read()
        return data


class KeyingForm(forms.Form):
    value = forms.CharField(label="入力値", max_length=200, required=False, strip=True)


@role_required(*EVERY_ROLE)
def intake(request: HttpRequest) -> HttpResponse:
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"received_on": timezone.localdate()}
    )
    errors: tuple[LineError, ...] = ()
    if request.method == "POST":
        _decider_only(request)
        if form.is_valid():
            try:
                result = do_import_intake_file(
                    form.cleaned_data["file"], name=form.file_name,
                    received_on=form.cleaned_data["received_on"], acting_user=request.user,
                )  # fmt: skip
            except IntakeRejectedError as exc:
                form.add_error(None, exc.message_ja)
                errors = exc.errors
            except ApplicationError as exc:
                form.add_error(None, exc.message_ja)
            else:
                if result.created:
                    messages.success(request, f"{result.file.name} を取り込みました。")
                else:
                    messages.info(request, "このファイルは取込済みです。何も変わっていません。")
                return redirect("staff:intake_file", pk=result.file.pk)
    return staff_page(
        request,
        "staff/intake.html",
        {"form": form, "errors": errors, "files": intake_files(), "open": open_keyings().count()},
    )


@role_required(*EVERY_ROLE)
def intake_file(request: HttpRequest, pk: int) -> HttpResponse:
    file, lines = intake_file_detail(pk)
    return staff_page(request, "staff/intake_file.html", {"file": file, "lines": lines})


@role_required(*EVERY_ROLE)
def keyings(request: HttpRequest) -> HttpResponse:
    queue = [(k, FIELD_LABEL[k.field]) for k in open_keyings()[:200]]
    return staff_page(request, "staff/intake_keyings.html", {"queue": queue})


@role_required(*DECIDERS)
def keying(request: HttpRequest, pk: int) -> HttpResponse:
    """Second keying (the first value is not shown), or the third person's decision."""
    task = keying_for_staff(pk)
    form = KeyingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        value = form.cleaned_data["value"]
        act = do_second_keying if task.status == SecondKeying.Status.WAITING else do_decide_keying
        try:
            done = act(task, value, acting_user=request.user)
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            if done.status == SecondKeying.Status.DISPUTED:
                messages.warning(request, "1回目の入力と一致しません。別の担当者の判定を待ちます。")
            else:
                messages.success(request, f"「{FIELD_LABEL[done.field]}」を確定しました。")
            return redirect("staff:intake_keyings")
    return staff_page(
        request,
        "staff/intake_keying.html",
        {"task": task, "label": FIELD_LABEL[task.field], "form": form},
    )


@role_required(*EVERY_ROLE)
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    row = letter_for_staff(pk, acting_user=request.user)
    response = HttpResponse(bytes(row.letter or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fubi-{row.pk}.pdf"'
    return response


def _decider_only(request: HttpRequest) -> None:
    """Reading is every role's; importing is the reviewers' and approvers'."""
    if not roles_of(request.user) & set(DECIDERS):
        raise PermissionDenied
