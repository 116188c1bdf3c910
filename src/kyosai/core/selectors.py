"""Reads of the audit log, for the administrators' audit view."""

from datetime import date

from django.db.models import QuerySet

from kyosai.core.models import AuditLog


def audit_entries(
    *,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    on: date | None = None,
) -> QuerySet[AuditLog]:
    """Audit rows, newest first, narrowed by whichever filters are given (an empty one is ignored).
    `actor` is a username; `on` a calendar day in the site's time zone (Asia/Tokyo)."""
    entries = AuditLog.objects.select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor:
        entries = entries.filter(actor__username=actor)
    if on is not None:
        entries = entries.filter(at__date=on)
    return entries.order_by("-at", "-pk")
