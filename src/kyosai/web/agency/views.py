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
    ClientChange,
    PremiumChangeRequest,
    do_issue_change_link,
    do_issue_confirmation_link,
    do_receive_kyosaikin_loan,
    do_receive_paper_change,
    do_receive_paper_enrollment,
)
from kyosai.agencies.models import Agency
from kyosai.agencies.selectors import (
    access_agency_link,
    access_agency_procedure,
    access_client_contract,
    agency_counts,
    agency_of_clerk,
    agency_procedures,
    agency_results,
    client_contract,
    pending_links,
)
from kyosai.contracts.models import Contract
from kyosai.contracts.rule_inputs import term_on
from kyosai.core.errors import ApplicationError
from kyosai.rules.calendar import add_months, fiscal_year, month_of
from kyosai.rules.scheme import Scheme
from kyosai.web.agency.forms import ChangeIntakeForm, ClientLookupForm, IntakeForm, LoanIntakeForm
from kyosai.web.customer.forms import (
    EnrollmentForm,
    EvidenceForm,
    KyosaikinLoanForm,
    PartyChangeForm,
    PremiumChangeForm,
    contact_initial,
)
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
            "branches": agency.branches.order_by("code"),
            "links": pending_links(agency, now=now),
            "procedures": procedures,
            "schemes": SCHEME_NAMES.items(),
            "lookup": ClientLookupForm(),
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
            "scheme_name": SCHEME_NAMES[
                Scheme(found.contract.scheme if found.contract else found.payload["scheme"])
            ],
            "client_name": found.client_name,
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


@clerk_required
def client_lookup(request: HttpRequest, agency: Agency) -> HttpResponse:
    """A client found by 共済契約者番号: their contract's page, or why it is not the agency's."""
    form = ClientLookupForm(request.GET or None)
    if form.is_valid():
        try:
            found = client_contract(agency, form.cleaned_data["number"])
        except ApplicationError as exc:
            form.add_error("number", exc.message_ja)
        else:
            return redirect("agency:client", pk=found.pk)
    return render(request, "agency/client_lookup.html", {"agency": agency, "form": form})


@clerk_required
def client(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """A client's contract: who holds it, what it pays, and the changes the clerk can take."""
    found = access_client_contract(request.user, agency, pk)
    return render(
        request,
        "agency/client.html",
        {
            "agency": agency,
            "contract": found,
            "monthly_yen": term_on(found, month_of(timezone.localdate())).monthly_yen,
            "procedures": agency_procedures(agency).filter(party=found.party)[:20],
        },
    )


@clerk_required
def premium_change(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """掛金月額変更 for a client, on the member's own form."""
    found = access_client_contract(request.user, agency, pk)
    form = PremiumChangeForm(request.POST or None)
    return _take_change(
        request, agency, found, form, "掛金月額の変更",
        lambda: PremiumChangeRequest(
            form.cleaned_data["new_monthly_yen"],
            # By default next month, as on the member's form (this month's debit may be set).
            form.cleaned_data["desired_month"] or add_months(month_of(timezone.localdate()), 1),
            form.cleaned_data["decrease_reason"],
        ),
    )  # fmt: skip


@clerk_required
def party_change(request: HttpRequest, agency: Agency, pk: int) -> HttpResponse:
    """住所・名称・代表者・電話の変更 for a client (every contract of theirs at once)."""
    found = access_client_contract(request.user, agency, pk)
    form = PartyChangeForm(request.POST or None, initial=contact_initial(found.party))
    return _take_change(request, agency, found, form, "住所・名称・代表者の変更", form.change)


def _take_change(
    request: HttpRequest,
    agency: Agency,
    contract: Contract,
    form: PremiumChangeForm | PartyChangeForm,
    title: str,
    change: Callable[[], ClientChange],
) -> HttpResponse:
    """The change keyed and how it is taken: a link for the holder to confirm, or the paper
    form's 受付日; the member's rules refuse it here with their reasons."""
    intake = ChangeIntakeForm(request.POST or None)
    token = request.POST.get("token") or uuid.uuid4().hex
    if request.method == "POST" and form.is_valid() and intake.is_valid():
        key = f"agency:{token}"
        try:
            if intake.cleaned_data["how"] == ChangeIntakeForm.LINK:
                link = do_issue_change_link(
                    contract.number, change(), agency=agency, idempotency_key=key,
                    now=timezone.now(), acting_user=request.user,
                )  # fmt: skip
                return redirect("agency:link", pk=link.pk)
            procedure = do_receive_paper_change(
                contract.number, change(), agency=agency,
                received_on=intake.cleaned_data["received_on"], idempotency_key=key,
                acting_user=request.user,
            )  # fmt: skip
            return redirect("agency:procedure", pk=procedure.pk)
        except ApplicationError as exc:
            intake.add_error(None, exc.message_ja)
    return render(
        request,
        "agency/change.html",
        {"agency": agency, "contract": contract, "form": form, "intake": intake,
         "title": title, "token": token},
    )  # fmt: skip


@clerk_required
def results(request: HttpRequest, agency: Agency) -> HttpResponse:
    """取扱実績と手数料: a 年度's counts by month and scheme with the fee and its explanation."""
    this_year = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= this_year:
        raise Http404
    return render(
        request,
        "agency/results.html",
        {
            "agency": agency,
            "results": agency_results(agency, year),
            "previous_year": year - 1,
            "next_year": year + 1 if year < this_year else None,
        },
    )
