"""加入資格確認: campaigns with their counts (answered / not answered / follow-up), the follow-ups
and their CSV. Every role reads; an administrator starts a campaign (a mailing to every member
it selects) and sends the members who have not answered a second letter."""

import csv
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from kyosai.campaigns.actions import do_send_reminders, do_start_campaign
from kyosai.campaigns.selectors import (
    FOLLOW_UPS_SHOWN,
    access_campaign,
    campaign_counts,
    campaigns_overview,
    follow_ups_of,
)
from kyosai.core.errors import ApplicationError
from kyosai.core.roles import Role, has_role
from kyosai.web.staff.views import EVERY_ROLE, role_required, staff_page

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100, initial="加入資格確認")
    joined_from = forms.DateField(
        label="加入年月（から）", required=False, input_formats=["%Y-%m-%d"], widget=DATE_INPUT
    )
    joined_until = forms.DateField(
        label="加入年月（まで）", required=False, input_formats=["%Y-%m-%d"], widget=DATE_INPUT
    )
    answer_by = forms.DateField(label="回答期限", input_formats=["%Y-%m-%d"], widget=DATE_INPUT)


@role_required(*EVERY_ROLE)
def campaigns(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, Role.ADMINISTRATOR):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = do_start_campaign(
                    name=data["name"], joined_from=data["joined_from"],
                    joined_until=data["joined_until"], answer_by=data["answer_by"],
                    idempotency_key=f"web:{request.POST.get('token', '')}", now=timezone.now(),
                    acting_user=request.user,
                )  # fmt: skip
            except ApplicationError as error:
                messages.error(request, error.message_ja)
            else:
                messages.success(request, f"{made.name}を開始しました（対象 {made.targets:,}件）。")
                return redirect("staff:campaign", made.pk)
    return staff_page(
        request,
        "staff/campaigns.html",
        {
            "overview": campaigns_overview(),
            "form": form,
            "token": uuid.uuid4().hex,
            "can_start": has_role(request.user, Role.ADMINISTRATOR),
        },
    )


class ReminderForm(forms.Form):
    answer_by = forms.DateField(
        label="新しい回答期限", input_formats=["%Y-%m-%d"], widget=DATE_INPUT
    )


@role_required(*EVERY_ROLE)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReminderForm(request.POST or None)
    if request.method == "POST":
        if not has_role(request.user, Role.ADMINISTRATOR):
            raise PermissionDenied
        if form.is_valid():
            try:
                sent = do_send_reminders(
                    access_campaign(pk), answer_by=form.cleaned_data["answer_by"],
                    now=timezone.now(), acting_user=request.user,
                )  # fmt: skip
            except ApplicationError as error:
                messages.error(request, error.message_ja)
            else:
                messages.success(request, f"未回答の{sent:,}件に再度のお願いを送りました。")
                return redirect("staff:campaign", pk)
    counts = campaign_counts(pk)
    follow_ups = list(follow_ups_of(counts.campaign, actor=request.user, limit=FOLLOW_UPS_SHOWN))
    return staff_page(
        request,
        "staff/campaign.html",
        {
            "counts": counts,
            "follow_ups": follow_ups,
            "form": form,
            "can_remind": has_role(request.user, Role.ADMINISTRATOR) and counts.not_answered > 0,
        },
    )


@role_required(*EVERY_ROLE)
def follow_ups_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_campaign(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="follow-ups-{found.pk}.csv"'
    response.write("\ufeff")  # so that Excel reads the Japanese as UTF-8
    writer = csv.writer(response, lineterminator="\r\n")
    writer.writerow(["共済契約者番号", "氏名・名称", "電話番号", "郵便番号", "住所", "該当した項目",
                     "回答日時"])  # fmt: skip
    for row in follow_ups_of(found, actor=request.user):
        r = row.reconfirmation
        party = r.contract.party
        answered = timezone.localtime(r.answered_at) if r.answered_at else None
        writer.writerow([
            r.contract.number, party.name, party.phone, party.postal_code, party.address,
            row.checks, f"{answered:%Y-%m-%d %H:%M}" if answered else "",
        ])  # fmt: skip
    return response
