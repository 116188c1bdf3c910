"""A member's certificates: the yearly ones the batches stored (控除証明書 as PDF and as the signed
TEG850 XML for 年末調整 and e-Tax, 掛金納付状況兼領収書), and the 掛金残高証明書 on request."""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kyosai.certificates.actions import do_issue_balance_certificate
from kyosai.certificates.models import IssuedCertificate
from kyosai.certificates.selectors import access_certificate_for, certificates_of
from kyosai.contracts.selectors import access_contract_for
from kyosai.core.errors import ApplicationError
from kyosai.rules.scheme import Scheme
from kyosai.web.customer.views import member_required


@member_required
def certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """The contract's certificates; a POST asks for a 掛金残高証明書 as of yesterday (tosan)."""
    found = access_contract_for(request.user, pk)
    if request.method == "POST":
        today = timezone.localdate()
        try:
            issued = do_issue_balance_certificate(
                found, as_of=today - dt.timedelta(days=1), issued_on=today,
                acting_user=request.user,
            )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, exc.message_ja)
        else:
            messages.success(
                request, f"{issued.as_of:%Y年%-m月%-d日}現在の掛金残高証明書を発行しました。"
            )
        return redirect("customer:certificates", found.pk)
    return render(
        request,
        "customer/certificates.html",
        {
            "contract": found,
            "certificates": certificates_of(found),
            "balance_on_request": found.scheme == Scheme.TOSAN,
        },
    )


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(issued: IssuedCertificate, suffix: str) -> str:
    return f"{issued.kind}-{issued.contract.number}-{issued.as_of:%Y%m%d}.{suffix}"


@member_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    issued = access_certificate_for(request.user, pk)
    return _download(bytes(issued.pdf), "application/pdf", _name(issued, "pdf"))


@member_required
def certificate_xml(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed TEG850, for 年調ソフト and e-Tax (deduction certificates only)."""
    issued = access_certificate_for(request.user, pk)
    if issued.xml is None:
        raise Http404
    return _download(bytes(issued.xml), "application/xml", _name(issued, "xml"))
