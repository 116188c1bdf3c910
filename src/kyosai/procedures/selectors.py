"""Reads of procedures: a member's own, and the staff review queue."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kyosai.core.audit import Actor, signed_in
from kyosai.procedures.models import Procedure


def procedures_for(user: Actor) -> QuerySet[Procedure]:
    member = signed_in(user)
    if member is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(party__user=member).order_by("-received_at")


def access_procedure_for(user: Actor, pk: int) -> Procedure:
    return get_object_or_404(procedures_for(user).prefetch_related("events"), pk=pk)


def procedure_for_staff(pk: int) -> Procedure:
    """Any procedure, for the staff console (which audits the view itself)."""
    return get_object_or_404(Procedure.objects.select_related("party", "contract"), pk=pk)


def review_queue(kind: Procedure.Kind | None = None) -> QuerySet[Procedure]:
    """Procedures waiting for a person, oldest first."""
    queue = Procedure.objects.filter(status=Procedure.Status.CHECKING).select_related("party")
    if kind is not None:
        queue = queue.filter(kind=kind)
    return queue.order_by("received_at")
