"""Reads of procedures: a member's own, and the staff review queue."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from kyosai.core.audit import Actor, signed_in
from kyosai.procedures.models import Attachment, Procedure, ProcedureEvent


def procedures_for(user: Actor) -> QuerySet[Procedure]:
    member = signed_in(user)
    if member is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(party__user=member).order_by("-received_at")


def public_timeline() -> "Prefetch[Any]":
    """A procedure's timeline as the member and their agency see it: the staff's review steps
    inside 確認中 (claims, a first approval awaiting its second) are left out."""
    return Prefetch("events", queryset=ProcedureEvent.objects.filter(staff_only=False))


def access_procedure_for(user: Actor, pk: int) -> Procedure:
    """The member's own procedure with the timeline they see (public_timeline)."""
    return get_object_or_404(procedures_for(user).prefetch_related(public_timeline()), pk=pk)


def procedure_for_staff(pk: int) -> Procedure:
    """Any procedure with its whole timeline, for the staff console (which audits the view)."""
    return get_object_or_404(
        Procedure.objects.select_related(
            "party", "contract", "claimed_by", "first_approved_by"
        ).prefetch_related(Prefetch("events", ProcedureEvent.objects.select_related("actor"))),
        pk=pk,
    )


def attachment_for_staff(procedure_pk: int, pk: int) -> Attachment:
    """A document of a procedure (404 when the procedure has no such document)."""
    return get_object_or_404(Attachment, procedure_id=procedure_pk, pk=pk)


def review_queue(
    kind: Procedure.Kind | None = None, *, awaiting_second: bool = False
) -> QuerySet[Procedure]:
    """Procedures waiting for a person, oldest first; `awaiting_second`: only those whose first
    approval waits for a second approver (承認待ち)."""
    queue = Procedure.objects.filter(status=Procedure.Status.CHECKING).select_related(
        "party", "claimed_by", "first_approved_by"
    )
    if kind is not None:
        queue = queue.filter(kind=kind)
    if awaiting_second:
        queue = queue.filter(first_approved_by__isnull=False)
    return queue.order_by("received_at", "pk")


def queue_counts() -> dict[str, int]:
    """How many procedures of each kind wait for a person."""
    rows = (
        Procedure.objects.filter(status=Procedure.Status.CHECKING)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}
