"""The member's inbox: their notices, newest first; another member's notice is a 404."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kyosai.core.audit import Actor, signed_in
from kyosai.notices.models import Notice
from kyosai.parties.models import Party

INBOX_SIZE = 100


def notices_for(user: Actor) -> QuerySet[Notice]:
    member = signed_in(user)
    if member is None:
        return Notice.objects.none()
    # The document bytes stay in the database until the member asks for them.
    return (
        Notice.objects.filter(party__user=member)
        .defer("document")
        .select_related("contract")
        .order_by("-created_at", "-pk")
    )


def inbox_for(user: Actor) -> list[Notice]:
    return list(notices_for(user)[:INBOX_SIZE])


def unread_count(user: Actor) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()


def access_notice_for(user: Actor, pk: int) -> Notice:
    return get_object_or_404(notices_for(user), pk=pk)


def access_document_for(user: Actor, pk: int) -> Notice:
    """The notice `pk` of the member's with its document; one that sends none is a 404 as well."""
    return get_object_or_404(notices_for(user).defer(None).exclude(document_name=""), pk=pk)


def own_party(user: Actor) -> Party | None:
    """The member's party, whose paper preference the inbox offers (none before applying)."""
    member = signed_in(user)
    return None if member is None else Party.objects.filter(user=member).first()
