"""お知らせ: the member's inbox. Opening a notice is its read receipt."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kyosai.notices.actions import do_open_notice
from kyosai.notices.models import notice_facts
from kyosai.notices.selectors import access_document_for, access_notice_for, inbox_for
from kyosai.web.customer.views import member_required


@member_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "customer/inbox.html", {"notices": inbox_for(request.user)})


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
    response = HttpResponse(bytes(found.document or b""), content_type="application/pdf")
    name = found.document_name or f"notice-{found.pk}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
