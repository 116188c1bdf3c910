from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditLog(models.Model):
    """Every write, and every staff view of a member's personal data. Append-only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField(max_length=60)  # e.g. "procedure.submit", "party.view"
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Append-only: a stored row is never rewritten (an audit trail that can change proves nothing).
        if self.pk is not None:
            raise ValueError("AuditLog rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("AuditLog rows cannot be deleted")


class Sequence(models.Model):
    """A named counter (e.g. contract serials per scheme), advanced under a row lock."""

    name = models.CharField(max_length=40, primary_key=True)
    last_value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.last_value}"
