"""お知らせ: the member's inbox. Opening a notice is its read receipt."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kyosai.notices.actions import do_open_notice, do_set_paper_preference
from kyosai.notices.models import notice_facts
from kyosai.notices.selectors import (
    access_document_for,
    access_notice_for,
    inbox_for,
    own_party,
)
from kyosai.web.customer.views import member_required


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The notices, newest first, and the choice of also receiving them on paper (a POST)."""
    party = own_party(request.user)
    if request.method == "POST" and party is not None:
        wants_paper = request.POST.get("wants_paper") == "on"
        do_set_paper_preference(party, wants_paper, acting_user=request.user)
        messages.success(
            request,
            "お知らせを郵送でもお届けします。" if wants_paper else "お知らせの郵送を止めました。",
        )
        return redirect("customer:inbox")
    return render(
        request, "customer/inbox.html", {"notices": inbox_for(request.user), "party": party}
    )


@member_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    opened = do_open_notice(access_notice_for(request.user, pk), acting_user=request.user)
    return render(
        request, "customer/notice.html", {"notice": opened, "facts": notice_facts(opened)}
    )


@member_required
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_document_for(request.user, pk)
    do_open_notice(found, acting_user=request.user)
    if found.certificate_id is not None:  # the certificate's own download (its access check)
        return redirect("customer:certificate_pdf", found.certificate_id)
    response = HttpResponse(bytes(found.document or b""), content_type="application/pdf")
    name = found.document_name or f"notice-{found.pk}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
