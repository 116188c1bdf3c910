"""共済金貸付 in the portal: the ceiling on what was actually paid, the request with its live
quote (amount, schedule, the 1/10 taken from the premiums, the deadline), the evidence upload,
and each loan's schedule with what is repaid."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import access_contract_for
from kyosai.core.errors import ApplicationError
from kyosai.loans.actions import (
    do_request_payoff,
    do_submit_kyosaikin_loan,
    quote_kyosaikin_loan,
    quote_payoff,
)
from kyosai.loans.selectors import access_loan_for, kyosaikin_limit
from kyosai.loans.temporary import (
    current_temporary_loan,
    do_submit_temporary_loan,
    quote_temporary_loan,
    renewal_window,
)
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme
from kyosai.web.customer.forms import EvidenceForm, KyosaikinLoanForm, WholeNumberField
from kyosai.web.customer.views import member_required, online_receipt

LOAN_AMOUNT = WholeNumberField(
    min_value=1, max_value=10**10, required=False,
    error_messages={"invalid": "希望額は数字で入力してください。",
                    "min_value": "希望額は1円以上で入力してください。"},
)  # fmt: skip


@member_required
def kyosaikin_loan(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_contract_for(request.user, pk)
    if found.scheme != Scheme.TOSAN:
        raise Http404
    if found.status == Contract.Status.CANCELLED:
        messages.error(request, "解約した契約では借りられません。")
        return redirect("customer:contract", pk=found.pk)
    today = timezone.localdate()
    form = KyosaikinLoanForm(request.POST or None)
    submitting = request.POST.get("step") == "submit"
    # The documents are uploaded with the request itself, not with the check of the quote.
    evidence = EvidenceForm(request.POST, request.FILES) if submitting else EvidenceForm()
    context: dict[str, object] = {"contract": found, "form": form, "evidence": evidence}
    try:
        context["limit"] = kyosaikin_limit(found, today)
    except RuleError as exc:
        context["limit_error"] = exc.message_ja
    if request.method == "POST" and form.is_valid():
        if submitting and evidence.is_valid():
            try:
                procedure = do_submit_kyosaikin_loan(
                    found, form.request(), evidence.cleaned_data["evidence"],
                    **online_receipt(request),
                )  # fmt: skip
            except ApplicationError as exc:
                messages.error(request, exc.message_ja)
            else:
                return redirect("customer:procedure", pk=procedure.pk)
        try:
            context["quote"] = quote_kyosaikin_loan(
                found, form.request(), claim_on=today, lent_on=today
            )
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        context["token"] = request.POST.get("token") or uuid.uuid4().hex
    return render(request, "customer/kyosaikin_loan.html", context)


@member_required
def loan(request: HttpRequest, pk: int, loan_pk: int) -> HttpResponse:
    """A loan's schedule and repayments; while it is repaid on time, paying it all off early
    (繰上償還) with the 早期償還手当金 it would earn."""
    found = access_contract_for(request.user, pk)
    view = access_loan_for(found, loan_pk)
    if request.method == "POST":
        try:
            procedure = do_request_payoff(view.loan, **online_receipt(request))
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        else:
            return redirect("customer:procedure", pk=procedure.pk)
    try:
        payoff = quote_payoff(view.loan, on=timezone.localdate())
    except ApplicationError:
        payoff = None  # not repaying on schedule: nothing to offer
    return render(
        request,
        "customer/loan.html",
        {"contract": found, "view": view, "payoff": payoff, "token": uuid.uuid4().hex},
    )


@member_required
def temporary_loan(request: HttpRequest, pk: int) -> HttpResponse:
    """一時貸付金: the ceiling live, the amount wished (or the ceiling), the quote with its interest
    in advance, then the request; with a 一時貸付金 outstanding, its renewal (借換)."""
    found = access_contract_for(request.user, pk)
    if found.scheme != Scheme.TOSAN:
        raise Http404
    today = timezone.localdate()
    current = current_temporary_loan(found)
    renewal = current is not None
    context: dict[str, object] = {"contract": found, "current": current, "token": uuid.uuid4().hex}
    if current is not None:
        context["window"] = renewal_window(current)
    try:
        context["ceiling"] = quote_temporary_loan(found, amount_yen=None, renewal=renewal, on=today)
    except ApplicationError as exc:
        context["ceiling_error"] = exc.message_ja
    if request.method == "POST":
        try:
            amount = LOAN_AMOUNT.clean(request.POST.get("amount_yen", ""))
            if request.POST.get("step") == "submit":
                procedure = do_submit_temporary_loan(
                    found, amount_yen=amount, renewal=renewal, **online_receipt(request)
                )
                return redirect("customer:procedure", pk=procedure.pk)
            context["quote"] = quote_temporary_loan(
                found, amount_yen=amount, renewal=renewal, on=today
            )
            context["amount"] = amount
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
    return render(request, "customer/temporary_loan.html", context)
