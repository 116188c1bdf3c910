"""The member's portal: sign up, マイページ, enrollment with its confirmation, timelines."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kyosai.benefits.selectors import benefit_overview
from kyosai.billing.selectors import payment_status
from kyosai.cancellations.selectors import cancellation_of
from kyosai.contracts.actions import do_issue_certificate
from kyosai.contracts.selectors import access_contract_for, contracts_for
from kyosai.core.errors import ApplicationError
from kyosai.loans.contract_loan import contract_loan_overview
from kyosai.loans.selectors import loans_of
from kyosai.notices.selectors import unread_count
from kyosai.parties.selectors import party_for
from kyosai.payouts.selectors import payouts_of
from kyosai.procedures.actions import (
    EnrollmentApplication,
    application_from_payload,
    check_enrollment,
    do_resubmit_enrollment,
    do_submit_enrollment,
    payload_of,
)
from kyosai.procedures.changes import (
    check_premium_change,
    do_submit_cancellation,
    do_submit_mandate_change,
    do_submit_party_change,
    do_submit_premium_change,
    do_submit_prepayment,
    do_submit_resumption,
    do_submit_suspension,
    quote_cancellation,
    quote_prepayment,
)
from kyosai.procedures.models import Procedure
from kyosai.procedures.selectors import access_procedure_for, procedures_for
from kyosai.rules.calendar import add_months, month_of, next_debit_date, wareki
from kyosai.rules.errors import RuleError
from kyosai.rules.first_debit import first_debit
from kyosai.rules.prepayment import prepayment_window
from kyosai.rules.scheme import Scheme
from kyosai.web.customer.forms import (
    EnrollmentForm,
    MandateForm,
    PartyChangeForm,
    PremiumChangeForm,
    SignUpForm,
    WholeNumberField,
    contact_initial,
    enrollment_initial,
)

SCHEME_NAMES = {Scheme.SHOKIBO: "小規模企業共済", Scheme.TOSAN: "経営セーフティ共済"}


def online_receipt(request: HttpRequest) -> dict[str, Any]:
    """How the portal hands a procedure over: online, now, by the member, keyed by the page's
    one-time token (so a double submit returns the first procedure)."""
    return {
        "channel": Procedure.Channel.ONLINE,
        "idempotency_key": f"web:{request.POST.get('token', '')}",
        "received_at": timezone.now(),
        "acting_user": request.user,
    }


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The portal is for members: anonymous visitors log in first; staff and agency clerks,
    whose logins open their own consoles, are refused (403) rather than shown an empty portal."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_staff or hasattr(request.user, "agency_clerk"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _scheme(code: str) -> Scheme:
    try:
        return Scheme(code)
    except ValueError:
        raise Http404 from None


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "登録しました。続けて加入のお申込みができます。")
        # Back to where the sign-up began (a 委託機関's confirmation link), if on this site.
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("customer:home")
    return render(request, "customer/signup.html", {"form": form})


@member_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    contracts = [
        {
            "contract": contract,
            "scheme_name": SCHEME_NAMES[Scheme(contract.scheme)],
            # The last of the prefetched terms (no query per contract).
            "monthly_yen": list(contract.premium_terms.all())[-1].monthly_yen,
            "next_debit": wareki(next_debit_date(Scheme(contract.scheme), today)),
        }
        for contract in contracts_for(request.user)
    ]
    return render(
        request,
        "customer/home.html",
        {
            "contracts": contracts,
            "procedures": procedures_for(request.user)[:20],
            "schemes": SCHEME_NAMES.items(),
            "unread": unread_count(request.user),
        },
    )


@member_required
def enroll(request: HttpRequest, scheme: str) -> HttpResponse:
    """Step 1: the form. A valid form goes to the confirmation with the eligibility preview."""
    chosen = _scheme(scheme)
    form = EnrollmentForm(request.POST or None, scheme=chosen)
    if request.method == "POST" and form.is_valid():
        application = form.application()
        token = uuid.uuid4().hex
        request.session[f"enroll:{token}"] = payload_of(application)
        context = {
            "scheme_name": SCHEME_NAMES[chosen],
            "scheme": chosen.value,
            "token": token,
            "application": application,
            **_preview(application),
        }
        return render(request, "customer/enroll_confirm.html", context)
    return render(
        request,
        "customer/enroll.html",
        {"form": form, "scheme_name": SCHEME_NAMES[chosen], "scheme": chosen.value},
    )


def _preview(application: EnrollmentApplication) -> dict[str, Any]:
    """What the confirmation and the live feedback show: the automatic checks, the first debit."""
    applied_on = timezone.localdate()
    return {
        "checks": check_enrollment(application, on=applied_on),
        "first_debit": first_debit(
            application.scheme, application.monthly_yen, applied_on=applied_on
        ),
    }


@member_required
@require_POST
def enroll_check(request: HttpRequest, scheme: str) -> HttpResponse:
    """Live feedback while the form is filled in: the form as typed so far, answered with the
    confirmation's own checks as an HTML fragment (the page's script swaps it in)."""
    form = EnrollmentForm(request.POST, scheme=_scheme(scheme))
    if form.is_valid():
        return render(request, "customer/_enroll_preview.html", _preview(form.application()))
    empty = [name for name in form.errors if form[name].value() in (None, "")]
    context = {
        "missing": len(empty),
        "to_fix": [
            (form[name].label, errors[0])
            for name, errors in form.errors.items()
            if name not in empty
        ],
    }
    return render(request, "customer/_enroll_unfinished.html", context)


@member_required
@require_POST
def enroll_submit(request: HttpRequest, scheme: str) -> HttpResponse:
    """Step 2: submit once. The token is the idempotency key, so a double submit is harmless."""
    _scheme(scheme)
    token = request.POST.get("token", "")
    key = f"web:{token}"
    existing = procedures_for(request.user).filter(idempotency_key=key).first()
    if existing is not None:
        return redirect("customer:procedure", pk=existing.pk)
    payload = request.session.get(f"enroll:{token}")
    if payload is None:
        messages.error(request, "お申込みの有効期限が切れました。もう一度入力してください。")
        return redirect("customer:enroll", scheme=scheme)
    try:
        procedure = do_submit_enrollment(
            application_from_payload(payload),
            channel=Procedure.Channel.ONLINE,
            idempotency_key=key,
            received_at=timezone.now(),
            acting_user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message_ja)
        return redirect("customer:enroll", scheme=scheme)
    request.session.pop(f"enroll:{token}", None)
    return redirect("customer:procedure", pk=procedure.pk)


@member_required
def procedure(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_procedure_for(request.user, pk)
    return render(request, "customer/procedure.html", {"procedure": found})


@member_required
def fix_enrollment(request: HttpRequest, pk: int) -> HttpResponse:
    """不備: the same form, filled with what was submitted; resubmitting checks it again."""
    found = access_procedure_for(request.user, pk)
    if found.status != Procedure.Status.DEFICIENT or found.kind != Procedure.Kind.ENROLLMENT:
        return redirect("customer:procedure", pk=found.pk)
    scheme = Scheme(found.scheme)
    form = EnrollmentForm(
        request.POST or None, scheme=scheme, initial=enrollment_initial(found.payload)
    )
    if request.method == "POST" and form.is_valid():
        try:
            do_resubmit_enrollment(found, form.application(), acting_user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        return redirect("customer:procedure", pk=found.pk)
    return render(
        request,
        "customer/enroll.html",
        {
            "form": form,
            "scheme_name": SCHEME_NAMES[scheme],
            "scheme": scheme.value,
            "fixing": found,
        },
    )


@member_required
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_contract_for(request.user, pk)
    return render(
        request,
        "customer/contract.html",
        {
            "contract": found,
            "scheme_name": SCHEME_NAMES[Scheme(found.scheme)],
            "terms": found.premium_terms.all(),
            "mandate": found.mandates.last(),
            "party": found.party,
            "payments": payment_status(found, timezone.localdate()),
            "payouts": payouts_of(found),
            "loans": loans_of(found),
            "cancellation": cancellation_of(found),
            **benefit_overview(found, on=timezone.localdate()),
            **contract_loan_overview(found, on=timezone.localdate()),
        },
    )


@member_required
def cancellation_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """解約精算書 as a PDF download: the statement stored when the contract was settled."""
    found = cancellation_of(access_contract_for(request.user, pk))
    if found is None:
        raise Http404
    response = HttpResponse(bytes(found.statement_pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="cancellation-statement-{found.contract.number}.pdf"'
    )
    return response


@member_required
def premium_change(request: HttpRequest, pk: int) -> HttpResponse:
    """掛金月額変更: the rules' answer (allowed, from which month) first, then one submit."""
    found = access_contract_for(request.user, pk)
    form = PremiumChangeForm(request.POST or None)
    context: dict[str, object] = {"contract": found, "form": form}
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        # By default next month: this month's debit may already be set (the 5th cut-off).
        desired = form.cleaned_data["desired_month"] or add_months(month_of(today), 1)
        reason = form.cleaned_data["decrease_reason"]
        if request.POST.get("step") == "submit":
            try:
                procedure = do_submit_premium_change(
                    found,
                    new_monthly_yen=form.cleaned_data["new_monthly_yen"],
                    desired_month=desired,
                    decrease_reason=reason,
                    **online_receipt(request),
                )
            except ApplicationError as exc:
                messages.error(request, exc.message_ja)
            else:
                return redirect("customer:procedure", pk=procedure.pk)
        context["quote"] = check_premium_change(
            found, form.cleaned_data["new_monthly_yen"], desired_month=desired,
            decrease_reason=reason, on=today,
        )  # fmt: skip
        context["token"] = uuid.uuid4().hex
    return render(request, "customer/premium_change.html", context)


@member_required
def cancellation(request: HttpRequest, pk: int) -> HttpResponse:
    """解約: the live 解約手当金 quote with its explanation, then the request."""
    found = access_contract_for(request.user, pk)
    if request.method == "POST":
        try:
            procedure = do_submit_cancellation(
                found,
                **online_receipt(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        else:
            return redirect("customer:procedure", pk=procedure.pk)
    try:
        quote = quote_cancellation(found, on=timezone.localdate())
    except ApplicationError as exc:
        messages.error(request, exc.message_ja)
        return redirect("customer:contract", pk=found.pk)
    return render(
        request,
        "customer/cancellation.html",
        {"contract": found, "quote": quote, "token": uuid.uuid4().hex},
    )


@member_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """共済契約締結証書 as a PDF download: the document stored when it was issued."""
    found = access_contract_for(request.user, pk)
    try:
        stored = do_issue_certificate(found, acting_user=request.user)
    except (ApplicationError, RuleError):  # a contract older than the rules we hold, say
        messages.error(
            request,
            "この契約の共済契約締結証書は、ここではお出しできません。お手数ですが機構までお問い合わせください。",
        )
        return redirect("customer:contract", found.pk)
    response = HttpResponse(bytes(stored.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{found.number}.pdf"'
    return response


@member_required
def party_change(request: HttpRequest) -> HttpResponse:
    """住所・名称・代表者・電話の変更, for every contract of the member at once."""
    party = party_for(request.user)
    form = PartyChangeForm(request.POST or None, initial=contact_initial(party))
    if request.method == "POST" and form.is_valid():
        try:
            procedure = do_submit_party_change(
                party,
                form.change(),
                **online_receipt(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            return redirect("customer:procedure", pk=procedure.pk)
    return render(
        request,
        "customer/change.html",
        {"form": form, "title": "住所・名称・代表者の変更", "token": uuid.uuid4().hex},
    )


@member_required
def mandate_change(request: HttpRequest, pk: int) -> HttpResponse:
    """口座の変更 for one contract."""
    found = access_contract_for(request.user, pk)
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = do_submit_mandate_change(
                found,
                form.mandate(),
                **online_receipt(request),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            return redirect("customer:procedure", pk=procedure.pk)
    return render(
        request,
        "customer/change.html",
        {
            "form": form,
            "title": f"振替口座の変更（{found.number}）",
            "token": uuid.uuid4().hex,
            "contract": found,
        },
    )


PREPAID_MONTHS = WholeNumberField(
    error_messages={
        "required": "前納する月数を入力してください。",
        "invalid": "前納する月数は数字で入力してください（例: 11）。",
    }
)


@member_required
def prepayment(request: HttpRequest, pk: int) -> HttpResponse:
    """前納 (both schemes): the debit month and its deadline, the quote (months allowed, the lump,
    the discount), then one submit."""
    found = access_contract_for(request.user, pk)
    context: dict[str, object] = {
        "contract": found,
        "token": uuid.uuid4().hex,
        "window": prepayment_window(Scheme(found.scheme), timezone.localdate()),
    }
    if request.method == "POST":
        try:
            months = PREPAID_MONTHS.clean(request.POST.get("months", ""))
            if request.POST.get("step") == "submit":
                procedure = do_submit_prepayment(
                    found,
                    months,
                    **online_receipt(request),
                )
                return redirect("customer:procedure", pk=procedure.pk)
            context["quote"] = quote_prepayment(found, months, on=timezone.localdate())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
    return render(request, "customer/prepayment.html", context)


@member_required
def suspension(request: HttpRequest, pk: int) -> HttpResponse:
    """掛止め, or 納付再開 for a suspended contract (tosan)."""
    found = access_contract_for(request.user, pk)
    if request.method == "POST":
        submit = (
            do_submit_resumption if found.status == found.Status.SUSPENDED else do_submit_suspension
        )
        try:
            procedure = submit(
                found,
                **online_receipt(request),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        else:
            return redirect("customer:procedure", pk=procedure.pk)
    return render(
        request, "customer/suspension.html", {"contract": found, "token": uuid.uuid4().hex}
    )
