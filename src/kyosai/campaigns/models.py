"""加入資格確認 campaigns: the contracts a mailing asks to reconfirm their eligibility at joining,
and each contract's answer (web form, by its secret link)."""

from django.conf import settings
from django.db import models

from kyosai.contracts.models import Contract


class Campaign(models.Model):
    name = models.CharField(max_length=100)
    joined_from = models.DateField(null=True, blank=True)  # the targets' joined month, from …
    joined_until = models.DateField(null=True, blank=True)  # … through (None: no bound)
    answer_by = models.DateField()  # 回答期限
    targets = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80, unique=True)  # a double submit: one campaign
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class Reconfirmation(models.Model):
    class Status(models.TextChoices):
        NOT_ANSWERED = "not_answered", "未回答"
        ANSWERED = "answered", "回答済（該当なし）"
        FOLLOW_UP = "follow_up", "要確認"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reconfirmations")
    # Inserted by the campaign's one statement over the contracts it selects, like bills.
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    token = models.CharField(max_length=64, unique=True)  # the secret part of the QR link
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_ANSWERED)
    answers = models.JSONField(null=True, blank=True)  # check code → True when it applied
    follow_up_checks = models.CharField(max_length=20, blank=True)  # "1,7": the checks that applied
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "contract"], name="one_reconfirmation")
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="reconfirmation_status")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.contract_id}"
