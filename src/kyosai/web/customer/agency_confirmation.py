"""The client's side of the agency channel: the one-time link (or QR code) a 委託機関 clerk
issued. A visitor signs in or signs up first (the second factor as everywhere under /portal/),
reviews what the clerk keyed (an enrollment with the portal's own checks, or a change of their
contract) and confirms: only then is it submitted, as the client's own
(agencies/actions.do_confirm_link)."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.agencies.actions import do_confirm_link
from kyosai.agencies.models import ConfirmationLink
from kyosai.agencies.selectors import link_by_token, link_problem
from kyosai.core.errors import ApplicationError
from kyosai.procedures.actions import application_from_payload
from kyosai.rules.scheme import Scheme
from kyosai.web.customer.forms import TOSAN_DECREASE_REASONS
from kyosai.web.customer.views import SCHEME_NAMES, _preview

TEMPLATE = "customer/agency_confirmation.html"


def agency_confirmation(request: HttpRequest, token: str) -> HttpResponse:
    link = link_by_token(token)
    problem = link_problem(link, request.user, now=timezone.now())
    if problem is not None:
        status = 410 if problem.gone else 403
        return render(request, TEMPLATE, {"link": link, "problem": problem}, status=status)
    if not request.user.is_authenticated:
        return render(request, TEMPLATE, {"link": link, "sign_in": True})
    if request.method == "POST":
        try:
            procedure = do_confirm_link(link, acting_user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
            return redirect("customer:agency_confirmation", token=token)
        messages.success(request, "お申込みを受け付けました。")
        return redirect("customer:procedure", pk=procedure.pk)
    if link.contract is not None:
        return render(request, TEMPLATE, {"link": link, "change": change_lines(link)})
    application = application_from_payload(link.payload)
    return render(
        request,
        TEMPLATE,
        {
            "link": link,
            "application": application,
            "scheme_name": SCHEME_NAMES[Scheme(application.scheme)],
            **_preview(application),
        },
    )


def change_lines(link: ConfirmationLink) -> list[tuple[str, str]]:
    """The change as the client reads it: (what, becomes what)."""
    assert link.contract is not None  # a change link names its contract
    contract, payload = link.contract, link.payload
    lines = [("共済契約者番号", f"{contract.number}（{contract.get_scheme_display()}）")]
    if link.kind == ConfirmationLink.Kind.PREMIUM_CHANGE:
        month = dt.date.fromisoformat(payload["desired_month"])
        lines += [
            ("変更後の掛金月額", f"{payload['new_monthly_yen']:,}円"),
            ("変更を希望する月", f"{month.year}年{month.month}月分から"),
        ]
        if payload["decrease_reason"]:
            lines.append(("減額の理由", dict(TOSAN_DECREASE_REASONS)[payload["decrease_reason"]]))
        return lines
    return lines + [
        (label, str(payload[key]))
        for key, label in (
            ("name", "名称"), ("name_kana", "フリガナ"), ("representative_name", "代表者"),
            ("postal_code", "郵便番号"), ("address", "住所"), ("phone", "電話番号"),
        )
        if payload[key] != getattr(contract.party, key)
    ]  # fmt: skip
