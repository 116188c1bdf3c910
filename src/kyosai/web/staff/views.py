"""The staff console: review queues per procedure kind with claims, decisions and the second
approval of 二人承認, member search, member and contract records, the monthly 口座振替 runs, and
the audit log. Every page needs `is_staff` and one of the roles it names (core/roles.py); staff
views of a member's personal data are audited by the selectors that fetch them."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyosai.benefits.selectors import benefit_overview
from kyosai.billing.selectors import run_detail, runs_overview
from kyosai.cancellations.models import Cancellation
from kyosai.cancellations.selectors import cancellation_of
from kyosai.core.audit import record
from kyosai.core.errors import ApplicationError
from kyosai.core.roles import Role, has_role, roles_of
from kyosai.core.selectors import audit_entries
from kyosai.loans.selectors import loans_of
from kyosai.parties.selectors import (
    access_contract_for_staff,
    access_member_for_staff,
    search_members,
)
from kyosai.payouts.selectors import payouts_of
from kyosai.procedures.changes import DEEMED_EVENTS, do_record_deemed_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import (
    REASON_MAX_CHARS,
    REVIEWS,
    do_claim,
    do_decide,
    do_release,
    do_second_approval,
    four_eyes_of,
)
from kyosai.procedures.selectors import (
    attachment_for_staff,
    procedure_for_staff,
    queue_counts,
    review_queue,
)
from kyosai.rules.tosan.loans import EVENT_LABEL, InsolvencyEvent

View = Callable[..., HttpResponse]
QueueStep = Callable[..., Procedure]

EVERY_ROLE = (Role.REVIEWER, Role.APPROVER, Role.ADMINISTRATOR)
DECIDERS = (Role.REVIEWER, Role.APPROVER)
APPROVAL_READERS = (Role.APPROVER, Role.ADMINISTRATOR)  # administrators read every list
MEMBERS_PER_PAGE = 50
AUDIT_ROWS_PER_PAGE = 100


def role_required(*roles: Role) -> Callable[[View], View]:
    """Anonymous → the login page; a member, or staff holding none of `roles` → 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff or not roles_of(request.user) & set(roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def may_decide(request: HttpRequest) -> bool:
    return bool(roles_of(request.user) & set(DECIDERS))


def staff_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a console page with what its navigation needs to know about the viewer."""
    held = roles_of(request.user)
    return render(
        request,
        template,
        {
            **context,
            "can_audit": Role.ADMINISTRATOR in held,
            "can_decide": bool(held & set(DECIDERS)),
            "can_approve": Role.APPROVER in held,
            "can_read_approvals": bool(held & set(APPROVAL_READERS)),
            "roles": [role.label for role in Role if role in held],
        },
    )


def page_of(request: HttpRequest, rows: QuerySet[Any], per_page: int) -> Page[Any]:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="判断",
        choices=[("approve", "承認する"), ("reject", "承認しない")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由（承認しない場合は必須）", required=False, max_length=REASON_MAX_CHARS
    )


class SecondApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label="二人目の承認",
        choices=[("confirm", "一次承認を確認して承認する"), ("send_back", "差し戻す")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由（差し戻す場合は必須）", required=False, max_length=REASON_MAX_CHARS
    )


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="手続きの種類",
        required=False,
        choices=[("", "すべて")] + [(kind, Procedure.Kind(kind).label) for kind in REVIEWS],
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="氏名・名称、フリガナ、共済契約者番号、法人番号、電話番号",
        required=False,
        max_length=100,
        help_text="ひらがな・カタカナ、全角・半角のどちらでも、ハイフン付きでも検索できます。",
    )


class AuditFilterForm(forms.Form):
    object_type = forms.CharField(
        label="対象の種類", required=False, max_length=40, help_text="例: party, procedure"
    )
    object_id = forms.CharField(label="対象のID", required=False, max_length=40)
    actor = forms.CharField(label="操作した人（ユーザー名）", required=False, max_length=150)
    date = forms.DateField(
        label="日付",
        required=False,
        help_text="例: 2026-11-23",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@role_required(*EVERY_ROLE)
def queue(request: HttpRequest) -> HttpResponse:
    """The review queue, one tab per kind staff decide, with who holds each item and which wait
    for a second approval."""
    form = QueueFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    counts = queue_counts()
    tabs = [(k, Procedure.Kind(k).label, counts.get(k, 0)) for k in REVIEWS]
    return staff_page(
        request,
        "staff/queue.html",
        {
            "procedures": review_queue(Procedure.Kind(kind) if kind else None),
            "tabs": tabs,
            "kind": kind,
            "total": sum(counts.values()),
        },
    )


@role_required(*APPROVAL_READERS)
def approvals(request: HttpRequest) -> HttpResponse:
    """承認待ち: first approvals waiting for a second approver, the approver's own list."""
    return staff_page(
        request, "staff/approvals.html", {"procedures": review_queue(awaiting_second=True)}
    )


@role_required(*EVERY_ROLE)
def procedure(request: HttpRequest, pk: int) -> HttpResponse:
    found = procedure_for_staff(pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide(request):
            raise PermissionDenied  # administrators read; reviewers and approvers decide
        if form.is_valid():
            try:
                do_decide(
                    found,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason_ja=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message_ja)
            else:
                messages.success(request, "判断を記録しました。")
                return redirect("staff:queue")
    return procedure_page(request, found, form=form)


@require_POST
@role_required(*DECIDERS)
def second_approval(request: HttpRequest, pk: int) -> HttpResponse:
    """The second person of 二人承認 confirms a first approval or sends it back."""
    found = procedure_for_staff(pk)
    form = SecondApprovalForm(request.POST)
    if not has_role(request.user, Role.APPROVER):
        form.add_error(None, "二人目の承認は承認担当だけが行えます。")
        return procedure_page(request, found, second_form=form, status=403)
    if form.is_valid():
        try:
            do_second_approval(
                found,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason_ja=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            messages.success(request, "二人目の承認を記録しました。")
            return redirect("staff:approvals")
    return procedure_page(request, found, second_form=form)


@require_POST
@role_required(*DECIDERS)
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue_step(request, pk, do_claim, "この手続きを担当します。")


@require_POST
@role_required(*DECIDERS)
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue_step(request, pk, do_release, "担当を外しました。")


def _queue_step(request: HttpRequest, pk: int, step: QueueStep, done: str) -> HttpResponse:
    try:
        step(procedure_for_staff(pk), acting_user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message_ja)
    else:
        messages.success(request, done)
    return redirect("staff:procedure", pk=pk)


def procedure_page(
    request: HttpRequest,
    found: Procedure,
    *,
    form: DecisionForm | None = None,
    second_form: SecondApprovalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One procedure with its whole timeline and the forms the viewer may use (the view of the
    member's data is audited)."""
    if found.party is not None:
        record("party.view", found.party, actor=request.user, via="procedure", procedure=found.pk)
    response = staff_page(
        request,
        "staff/procedure.html",
        {
            "procedure": found,
            "form": form or DecisionForm(),
            "second_form": second_form or SecondApprovalForm(),
            "four_eyes": four_eyes_of(found),
            "reviewed": found.kind in REVIEWS,
            "is_first_approver": found.first_approved_by_id == request.user.pk,
            "cancellation_kind": _label(Cancellation.Kind, found.payload.get("kind")),
            "event_label": _label(InsolvencyEvent, found.payload.get("event"), EVENT_LABEL),
        },
    )
    response.status_code = status
    return response


def _label(choices: Any, value: object, labels: dict[Any, str] | None = None) -> str:
    """The Japanese label of a payload's code (what the member chose), or "" for none."""
    try:
        member = choices(value)
    except ValueError:
        return ""
    return labels[member] if labels is not None else str(member.label)


@role_required(*EVERY_ROLE)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A document sent with a procedure, as sent (its opening is audited: it is personal data)."""
    found = attachment_for_staff(pk, attachment_pk)
    record("attachment.view", found, actor=request.user, procedure=pk, name=found.name)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
    return response


@role_required(*EVERY_ROLE)
def members(request: HttpRequest) -> HttpResponse:
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = page_of(request, search_members(query), MEMBERS_PER_PAGE) if query else None
    return staff_page(
        request,
        "staff/members.html",
        {"form": form, "query": query, "results": results, "params": urlencode({"q": query})},
    )


@role_required(*EVERY_ROLE)
def member(request: HttpRequest, pk: int) -> HttpResponse:
    return staff_page(
        request, "staff/member.html", {"record": access_member_for_staff(request.user, pk)}
    )


@role_required(*EVERY_ROLE)
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_contract_for_staff(request.user, pk)
    return staff_page(
        request,
        "staff/contract.html",
        {
            "record": found,
            "cancellation": cancellation_of(found.contract),
            "payouts": payouts_of(found.contract),
            "loans": loans_of(found.contract),
            **benefit_overview(found.contract, on=timezone.localdate()),
        },
    )


class DeemedCancellationForm(forms.Form):
    event = forms.ChoiceField(
        label="みなし解約の事由（法7条4項）",
        choices=DEEMED_EVENTS.items(),
        widget=forms.RadioSelect,
    )
    event_on = forms.DateField(
        label="事由の発生日", input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    token = forms.CharField(widget=forms.HiddenInput)


@role_required(*DECIDERS)
def deemed_cancellation(request: HttpRequest, pk: int) -> HttpResponse:
    """みなし解約の登録: the event a family member or successor reported; it then waits in the
    queue like any cancellation, and its approval settles the contract."""
    found = access_contract_for_staff(request.user, pk)
    form = DeemedCancellationForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        try:
            procedure = do_record_deemed_cancellation(
                found.contract, event=form.cleaned_data["event"],
                event_on=form.cleaned_data["event_on"],
                idempotency_key=f"staff:{form.cleaned_data['token']}",
                received_at=timezone.now(), acting_user=request.user,
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message_ja)
        else:
            messages.success(request, "みなし解約を受け付けました。審査待ちに入りました。")
            return redirect("staff:procedure", pk=procedure.pk)
    return staff_page(request, "staff/deemed_cancellation.html", {"record": found, "form": form})


@role_required(Role.ADMINISTRATOR)
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    entries = None
    if form.is_valid():
        filters = form.cleaned_data
        entries = page_of(
            request,
            audit_entries(
                object_type=filters["object_type"].strip(),
                object_id=filters["object_id"].strip(),
                actor=filters["actor"].strip(),
                on=filters["date"],
            ),
            AUDIT_ROWS_PER_PAGE,
        )
    query = request.GET.copy()
    query.pop("page", None)
    return staff_page(
        request,
        "staff/audit.html",
        {"form": form, "entries": entries, "params": query.urlencode()},
    )


@role_required(*EVERY_ROLE)
def billing_runs(request: HttpRequest) -> HttpResponse:
    """口座振替: the monthly runs, newest first."""
    return staff_page(
        request, "staff/billing_runs.html", {"overview": runs_overview(request.GET.get("page"))}
    )


@role_required(*EVERY_ROLE)
def billing_run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run by bank and result code, and the contracts whose debit failed (audited)."""
    return staff_page(
        request,
        "staff/billing_run.html",
        {"detail": run_detail(request.user, pk, page=request.GET.get("page"))},
    )
