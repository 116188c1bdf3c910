"""Writing the audit log and advancing sequences; called by actions inside their transaction."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction

from kyosai.core.models import AuditLog, Sequence

# Who acts: a signed-in user, or nobody yet (a public sign-up).
Actor = User | AnonymousUser


def record(
    action: str,
    obj: models.Model,
    *,
    actor: Actor | None,
    **data: Any,
) -> None:
    AuditLog.objects.create(
        actor=signed_in(actor),
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        data=data,
    )


def signed_in(actor: Actor | None) -> User | None:
    """The user to store on a row: None for an anonymous actor."""
    return actor if isinstance(actor, User) else None


def next_in_sequence(name: str) -> int:
    """The next value of sequence `name`."""
    return reserve_in_sequence(name, 1)


def reserve_in_sequence(name: str, count: int) -> int:
    """Reserve `count` consecutive values of `name` and return the first; the row lock queues
    concurrent callers, so no value is handed out twice."""
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        first = sequence.last_value + 1
        sequence.last_value += count
        sequence.save(update_fields=["last_value"])
        return first
