"""The agency portal (/agency/): a clerk of a 委託機関 takes clients' enrollments and follows
them. Every page needs a clerk login (a member or staff user gets 403) and shows only the
clerk's own agency: another agency's procedure or link is a 404 (agencies/selectors)."""

import uuid
from collections.abc import Callable
from functools import wraps

import segno
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kyosai.agencies.actions import (
    do_issue_confirmation_link,
    do_receive_kyosaikin_loan,
    do_receive_paper_enrollment,
)
from kyosai.agencies.models import Agency
from kyosai.agencies.selectors import (
    access_agency_link,
    access_agency_procedure,
    agency_counts,
    agency_of_clerk,
    agency_procedures,
    pending_links,
)
from kyosai.core.errors import ApplicationError
from kyosai.rules.scheme import Scheme
from kyosai.web.agency.forms import IntakeForm, LoanIntakeForm
from kyosai.web.customer.forms import EnrollmentForm, EvidenceForm, KyosaikinLoanForm
from kyosai.web.customer.views import SCHEME_NAMES

ClerkView = Callable[..., HttpResponse]
PROCEDURES_PER_PAGE = 50


def clerk_required(view: ClerkView) -> Callable[..., HttpResponse]:
    """Anonymous → the login page; anyone but an agency clerk → 403. The view gets the agency."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, agency_of_clerk(request.user), *args, **kwargs)

    return wrapped


@clerk_required
def home(request: HttpRequest, agency: Agency) -> HttpResponse:
    now = timezone.now()
    procedures = Paginator(agency_procedures(agency), PROCEDURES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "agency/home.html",
        {
            "agency": agency,
            "counts": agency_counts(agency, now=now),
            "links": pending_links(agency, now=now),
            "procedures": procedures,
            "schemes": SCHEME_NAMES.items(),
        },
    )


@clerk_required
def enroll(request: HttpRequest, agency: Agency, scheme: str) -> HttpResponse:
    """The client's application as the member's form asks it, and how it is taken: a link for
    the client to confirm online, or the paper form's 受付日."""
    try:
        chosen = Scheme(scheme)
    except ValueError:
        raise Http404 from None
    form = EnrollmentForm(request.POST or None, scheme=chosen)
    intake = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and intake.is_valid():
        key = f"agency:{request.POST.get('token', '')}"
        try:
            if intake.cleaned_data["how"] == IntakeForm.LINK:
                link = do_issue_confirmation_link(
                    form.application(),
                    agency=agency,
                    client_email=intake.cleaned_data["client_email"],
                    idempotency_key=key,
                    now=timezone.now(),
                    acting_user=request.user,
                )
                return redirect("agency:link", pk=link.pk)
            procedure = do_receive_paper_enrollment(
                form.application(),
                agency=agency,
                received_on=intake.cleaned_data["received_on"],
                idempotency_key=key,
                acting_user=request.user,
            )
            return redirect("agency:procedure", pk=procedure.pk)
        except ApplicationError as exc:
            intake.add_error(None, exc.message_ja)
    return render(
        request,
        "agency/enroll.html",
        {
            "agency": agency,
            "form": form,
            "intake": intake,
            "scheme_name": SCHEME_NAMES[chosen],
            "token": uuid.uuid4().hex,
        },
    )


@clerk_required
def kyosaikin_loan(request: HttpRequest, agency: Agency) -> HttpResponse:
    """A client's 共済金貸付請求 received on paper, keyed with its documents and 受付日."""
    intake = LoanIntakeForm(request.POST or None)
    form = KyosaikinLoanForm(request.POST or None)
    evidence = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and intake.is_valid() and form.is_valid() and evidence.is_valid():
        try:
            procedure = do_receive_kyosaikin_loan(
                intake.cleaned_data["contract_number"], form.request(),
                evidence.cleaned_data["evidence"], agency=agency,
                received_on=intake.cleaned_data["received_on"],
                idempotency_key=f"agency:{request.POST.get('token', '')}",
                acting_user=request.user,
            )  # fmt: skip
        except ApplicationError as exc:
            intake.add_error(None, exc.message_ja)
        else:
            return redirect("agency:procedure", pk=procedure.pk)
    return render(
        request,
        "agency/kyosaikin_loan.html",
        {"agency": agency, "intake": intake, "form": form, "evidence": evidence,
         "token": request.POST.get("token") or uuid.uuid4().hex},
    )  # fmt: skip


@clerk_required
def link(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """The link to hand to the client, as text and as a QR code, while it waits."""
    found = access_agency_link(agency, pk)
    url = request.build_absolute_uri(reverse("customer:agency_confirmation", args=[found.token]))
    waiting = found.confirmed_at is None and found.expires_at > timezone.now()
    return render(
        request,
        "agency/link.html",
        {
            "agency": agency,
            "link": found,
            "scheme_name": SCHEME_NAMES[Scheme(found.payload["scheme"])],
            "client_name": found.payload["party"]["name"],
            "waiting": waiting,
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(
                scale=4, title="お申込みの確認ページのQRコード"
            )
            if waiting
            else "",
        },
    )


@clerk_required
def procedure(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    return render(
        request,
        "agency/procedure.html",
        {"agency": agency, "procedure": access_agency_procedure(request.user, agency, pk)},
    )
