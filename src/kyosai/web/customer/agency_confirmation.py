"""The client's side of the agency channel: the one-time link (or QR code) a 委託機関 clerk
issued. A visitor signs in or signs up first (the second factor as everywhere under /portal/),
reviews what the clerk keyed with the portal's own checks, and confirms: only then is the
enrollment submitted, as the client's own (agencies/actions.do_confirm_enrollment)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.agencies.actions import do_confirm_enrollment
from kyosai.agencies.selectors import link_by_token, link_problem
from kyosai.core.errors import ApplicationError
from kyosai.procedures.actions import application_from_payload
from kyosai.rules.scheme import Scheme
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
            procedure = do_confirm_enrollment(link, acting_user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
            return redirect("customer:agency_confirmation", token=token)
        messages.success(request, "お申込みを受け付けました。")
        return redirect("customer:procedure", pk=procedure.pk)
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
