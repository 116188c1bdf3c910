from django.conf import settings
from django.db import models

from kyosai.agencies.models import Agency
from kyosai.contracts.models import SCHEME_CHOICES, Contract
from kyosai.parties.models import Party


class Procedure(models.Model):
    class Kind(models.TextChoices):
        ENROLLMENT = "enrollment", "加入申込"
        PREMIUM_CHANGE = "premium_change", "掛金月額変更"
        PREPAYMENT = "prepayment", "前納"
        SUSPENSION = "suspension", "掛止め"
        RESUMPTION = "resumption", "納付再開"
        PARTY_CHANGE = "party_change", "住所・名称・代表者の変更"
        MANDATE_CHANGE = "mandate_change", "口座の変更"
        CANCELLATION = "cancellation", "解約"

    class Channel(models.TextChoices):
        ONLINE = "online", "オンライン"
        AGENCY = "agency", "委託機関"
        PAPER = "paper", "書面"

    class Status(models.TextChoices):
        RECEIVED = "received", "受付"
        CHECKING = "checking", "確認中"
        DEFICIENT = "deficient", "不備あり"
        APPROVED = "approved", "承認"
        REJECTED = "rejected", "不承認"
        DONE = "done", "完了"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES, blank=True)  # blank: both
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    party = models.ForeignKey(Party, null=True, on_delete=models.PROTECT, related_name="procedures")
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()  # the agency's 受付日 for paper
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict)  # what was applied for, as submitted
    deficiencies = models.JSONField(default=list, blank=True)  # [{code, message}] to fix in place

    class Meta:
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}（{self.get_status_display()}）"


class ProcedureEvent(models.Model):
    """One step of a procedure's timeline, as the member and staff see it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Procedure.Status.choices)
    message = models.CharField(max_length=200)  # Japanese, for the member
    checks = models.JSONField(default=list, blank=True)  # [{name, passed, detail}]
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_status_display()}"
