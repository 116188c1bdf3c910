"""Money going out: every disbursement (a loan, a benefit, a refund, a 前納減額金) is a Payout,
approved by a decision that posted what it is charged to against the member's 未払金, written to
a 全銀 総合振込 file (TransferFile), and paid only when staff confirm the bank carried it out."""

from django.conf import settings
from django.db import models

from kyosai.contracts.models import Contract
from kyosai.procedures.models import Procedure


class TransferFile(models.Model):
    """One 総合振込 file: the payouts it carries are fixed when it is made, then the file is
    written (a pure function of them) and, after the bank has carried it out, confirmed."""

    name = models.CharField(max_length=100, unique=True)
    pay_on = models.DateField()  # 振込指定日
    records = models.IntegerField()
    total_yen = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)  # "" until the file is written
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class Payout(models.Model):
    class Kind(models.TextChoices):
        REFUND = "refund", "解約手当金"
        DISCOUNT = "discount", "前納減額金"
        LOAN = "loan", "貸付金"
        BENEFIT = "benefit", "共済金"
        ALLOWANCE = "allowance", "早期償還手当金"

    class Status(models.TextChoices):
        APPROVED = "approved", "振込待ち"
        IN_FILE = "in_file", "振込手続中"
        PAID = "paid", "振込済"
        RETURNED = "returned", "振込不能"

    # The idempotency key: one payout per decision (e.g. "refund:<contract number>").
    reference = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payouts")
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    amount_yen = models.BigIntegerField()
    pay_on = models.DateField()  # the earliest day it may be paid
    # The payee's account as it goes to the bank (half-width kana name), copied when approved.
    bank_code = models.CharField(max_length=4)
    branch_code = models.CharField(max_length=3)
    account_type = models.CharField(max_length=1)
    account_number = models.CharField(max_length=7)
    payee_kana = models.CharField(max_length=30)
    approved_at = models.DateTimeField()
    file = models.ForeignKey(
        TransferFile, null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    # A payout the bank could not make is paid again to a corrected account as a new payout.
    reissue_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reissue"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_yen__gt=0), name="payout_positive"),
            models.CheckConstraint(
                condition=models.Q(status="approved", file__isnull=True)
                | (~models.Q(status="approved") & models.Q(file__isnull=False)),
                name="payout_in_a_file_unless_waiting",
            ),
        ]
        indexes = [models.Index(fields=["status", "pay_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contract} {self.amount_yen:,}円"
