"""The staff console: the review queue and decisions. Staff views of personal data are audited."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kyosai.core.audit import record
from kyosai.core.errors import ApplicationError
from kyosai.procedures.actions import do_decide_enrollment
from kyosai.procedures.models import Procedure
from kyosai.procedures.selectors import review_queue

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """Anonymous → the login page; a signed-in member → 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="判断",
        choices=[("approve", "承認する"), ("reject", "承認しない")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="理由（承認しない場合は必須）", required=False, max_length=200)


@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/queue.html", {"procedures": review_queue()})


@staff_only
def procedure(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Procedure.objects.select_related("party", "contract"), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_decide_enrollment(
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
    if found.party is not None:
        record("party.view", found.party, actor=request.user, procedure=found.pk)
    return render(request, "staff/procedure.html", {"procedure": found, "form": form})
