"""加入資格確認: the member's answer by the secret link of the letter's QR code (or of the notice
in their inbox). No login: the link is the key. One screen of yes/no questions; the answer is
kept once, and the page then thanks."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kyosai.campaigns.actions import do_answer
from kyosai.campaigns.selectors import reconfirmation_by_token
from kyosai.core.errors import ApplicationError
from kyosai.rules.calendar import wareki
from kyosai.rules.shokibo.reconfirmation import applicable_checks
from kyosai.web.customer.forms import POSITION_LABEL

CHOICES = [("no", "該当しない"), ("yes", "該当する")]


class AnswerForm(forms.Form):
    def __init__(self, *args: object, checks: tuple, **kwargs: object) -> None:  # type: ignore[type-arg]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.checks = checks
        for check in checks:
            self.fields[f"check_{check.code}"] = forms.ChoiceField(
                label=f"{check.mark} {check.text}", help_text=check.note, choices=CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": "「該当しない」か「該当する」を選んでください。"},
            )  # fmt: skip

    def answers(self) -> dict[str, bool]:
        return {c.code: self.cleaned_data[f"check_{c.code}"] == "yes" for c in self.checks}


def reconfirm(request: HttpRequest, token: str) -> HttpResponse:
    found = reconfirmation_by_token(token)
    contract = found.contract
    checks = applicable_checks(contract.position, contract.joined_month)
    form = AnswerForm(request.POST or None, checks=checks)
    if request.method == "POST" and found.answered_at is None and form.is_valid():
        try:
            do_answer(found, form.answers(), acting_user=request.user)
        except ApplicationError as error:
            messages.error(request, error.message_ja)
        else:
            return redirect("customer:reconfirm", token=token)
    return render(
        request,
        "customer/reconfirm.html",
        {
            "reconfirmation": found,
            "form": form,
            "position": POSITION_LABEL.get(contract.position, contract.position),  # type: ignore[call-overload]
            "joined": wareki(contract.joined_month, with_day=False),
        },
    )
