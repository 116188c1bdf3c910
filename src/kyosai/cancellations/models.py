"""A contract's cancellation and its settlement (解約の精算): the kind, the day it took effect,
what the refund was computed on, what was paid with it or taken from it, and the statement the
member receives. One per contract; the money moves through the ledger and a Payout."""

from django.db import models

from kyosai.contracts.models import Contract
from kyosai.procedures.models import Procedure


class Cancellation(models.Model):
    class Kind(models.TextChoices):
        VOLUNTARY = "voluntary", "任意解約"
        OPERATOR = "operator", "機構解約"
        DEEMED = "deemed", "みなし解約"

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="cancellation")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective_on = models.DateField()
    reason = models.CharField(max_length=200)  # why: the member's request, arrears, the event
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    months = models.IntegerField()  # 掛金納付月数 as the refund counts them
    premiums_yen = models.BigIntegerField()  # 掛金総額 as the refund counts it
    refund_yen = models.BigIntegerField()  # 解約手当金
    prepaid_return_yen = models.BigIntegerField()  # premiums paid for months after the end
    discount_yen = models.BigIntegerField()  # unpaid 前納減額金 paid with it
    offset_yen = models.BigIntegerField(default=0)  # loans and 違約金 taken from it
    net_yen = models.BigIntegerField()  # what is transferred
    # Where the payment goes, as the statement names it (the debit account, unless staff named
    # another), copied so the statement and the payout agree whatever changes later.
    bank_code = models.CharField(max_length=4)
    branch_code = models.CharField(max_length=3)
    account_type = models.CharField(max_length=1)
    account_number = models.CharField(max_length=7)
    payee_kana = models.CharField(max_length=30)
    trace = models.TextField()  # the refund's computation, as the member and staff read it
    statement_pdf = models.BinaryField()  # 解約精算書 exactly as issued
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    net_yen=models.F("refund_yen")
                    + models.F("prepaid_return_yen")
                    + models.F("discount_yen")
                    - models.F("offset_yen")
                ),
                name="cancellation_net_is_the_sum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.get_kind_display()} {self.effective_on}"
