"""The public home page: what each scheme is and the rules in force today, with their sources."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.agencies.selectors import is_agency_clerk
from kyosai.rules.calendar import next_debit_date, wareki
from kyosai.rules.params import Status, default_parameters
from kyosai.rules.scheme import Scheme
from kyosai.rules.trace import value_text

SCHEME_NAMES = {
    Scheme.SHOKIBO: "小規模企業共済",
    Scheme.TOSAN: "経営セーフティ共済（中小企業倒産防止共済）",
}


def after_login(request: HttpRequest) -> HttpResponse:
    """Where a login lands: staff on the review queue, agency clerks on their agency's page,
    members on マイページ."""
    if request.user.is_staff:
        return redirect("staff:queue")
    return redirect("agency:home" if is_agency_clerk(request.user) else "customer:home")


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    schemes = [
        {
            "name": name,
            "next_debit": wareki(next_debit_date(scheme, today)),
            "parameters": [
                {
                    "description": parameter.description,
                    "value": value_text(parameter, dated.value),
                    "valid_from": wareki(dated.valid_from),
                    "reference": parameter.reference,
                    "confirmed": dated.status == Status.CONFIRMED,
                }
                for parameter, dated in default_parameters().in_force(f"{scheme}/", today)
            ],
        }
        for scheme, name in SCHEME_NAMES.items()
    ]
    return render(request, "public/home.html", {"today": wareki(today), "schemes": schemes})
