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
        KYOSAIKIN_LOAN = "kyosaikin_loan", "共済金貸付"
        TEMPORARY_LOAN = "temporary_loan", "一時貸付"
        CONTRACT_LOAN = "contract_loan", "契約者貸付"
        EARLY_REPAYMENT = "early_repayment", "繰上償還"
        BENEFIT_CLAIM = "benefit_claim", "共済金請求"
        TSUSAN = "tsusan", "掛金納付月数の通算"

    class Channel(models.TextChoices):
        ONLINE = "online", "オンライン"
        AGENCY = "agency", "委託機関"
        PAPER = "paper", "書面"
        OPERATOR = "operator", "機構"  # begun by the operator itself (機構解約), not applied for

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
    # The yen a staff decision pays out (解約手当金 and what goes with it; later loans, benefits):
    # what the four-eyes threshold of the kind (rules.four_eyes) is compared with.
    amount_yen = models.PositiveBigIntegerField(null=True, blank=True)
    # The staff member working the item in the queue, so that two do not work it at once.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # 承認待ち: a first approval at or above the threshold, waiting for a different approver.
    # Kept after the second approval so that the record names both people.
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "kind"]),
            # The scorecard's refresh reads the procedures received since a month.
            models.Index(fields=["received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(claimed_by__isnull=True, claimed_at__isnull=True)
                | models.Q(claimed_by__isnull=False, claimed_at__isnull=False),
                name="claimed_by_with_claimed_at",
            ),
            models.CheckConstraint(
                condition=models.Q(first_approved_by__isnull=True, first_approved_at__isnull=True)
                | models.Q(first_approved_by__isnull=False, first_approved_at__isnull=False),
                name="first_approved_by_with_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}（{self.get_status_display()}）"

    @property
    def awaits_second_approval(self) -> bool:
        """承認待ち: still 確認中 for the member, waiting for a second approver on the staff side."""
        return self.status == self.Status.CHECKING and self.first_approved_by_id is not None


class ProcedureEvent(models.Model):
    """One step of a procedure's timeline, as the member and staff see it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Procedure.Status.choices)
    # Japanese, for the member (a staff-only one for staff); room for a reason of 200 characters.
    message = models.CharField(max_length=400)
    # A step of the staff review inside 確認中 (a claim, a first approval awaiting its second, a
    # sending back): shown in the console only, so the member sees just that it is under review.
    staff_only = models.BooleanField(default=False)
    checks = models.JSONField(default=list, blank=True)  # [{name, passed, detail}]
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class Attachment(models.Model):
    """A document sent with a procedure (evidence of a customer's 倒産, a death certificate…),
    stored as received; staff open it from the procedure, and every opening is audited."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.name}"
