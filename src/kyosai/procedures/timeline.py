"""A procedure's timeline: every status change is an event the member and staff see."""

from typing import Any

from django.utils import timezone

from kyosai.core.audit import Actor, signed_in
from kyosai.procedures.models import Procedure, ProcedureEvent


def received_before(idempotency_key: str) -> Procedure | None:
    """The procedure an earlier submit with this key created: a repeat returns it unchanged."""
    return Procedure.objects.filter(idempotency_key=idempotency_key).first()


def set_status(
    procedure: Procedure,
    status: Procedure.Status,
    acting_user: Actor | None,
    message: str,
    checks: list[dict[str, Any]] | None = None,
) -> None:
    procedure.status = status
    procedure.save(update_fields=["status"])
    add_event(procedure, status, message, acting_user, checks)


def add_event(
    procedure: Procedure,
    status: Procedure.Status,
    message: str,
    acting_user: Actor | None,
    checks: list[dict[str, Any]] | None = None,
    *,
    staff_only: bool = False,
) -> None:
    """`staff_only`: a review step the console shows and the member's timeline leaves out."""
    ProcedureEvent.objects.create(
        procedure=procedure,
        at=timezone.now(),
        status=status,
        message=message,
        checks=checks or [],
        actor=signed_in(acting_user),
        staff_only=staff_only,
    )
