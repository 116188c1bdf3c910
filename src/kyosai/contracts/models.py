from django.db import models

from kyosai.agencies.models import Agency
from kyosai.parties.models import Party
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.eligibility import Position

SCHEME_CHOICES = [
    (Scheme.SHOKIBO.value, "小規模企業共済"),
    (Scheme.TOSAN.value, "経営セーフティ共済"),
]


class Contract(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "有効"
        SUSPENDED = "suspended", "掛止め中"
        CANCELLED = "cancelled", "解約"
        ENDED = "ended", "共済金支給済"

    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES)
    number = models.CharField(max_length=9, unique=True)  # 共済契約者番号 (docs/contract-number.md)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="contracts")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    position = models.CharField(  # shokibo: the position the holder joined in
        max_length=30, blank=True, choices=[(p.value, p.value) for p in Position]
    )
    joined_month = models.DateField()  # first day of the month the contract took effect
    handling_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["party", "scheme"],
                condition=~models.Q(status="cancelled") & ~models.Q(status="ended"),
                name="one_live_contract_per_scheme",  # 法3条3項 (shokibo); one per firm (tosan [I])
            ),
        ]
        indexes = [
            # The management reports (reports/selectors.py) count a period's new contracts by
            # scheme, party and handling agency: a range of this index, read without the table.
            models.Index(
                fields=["issued_at", "scheme", "party", "handling_agency"],
                name="contract_issued_report",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PremiumTerm(models.Model):
    """掛金月額 from a month on; a change adds a row, history is never overwritten."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="premium_terms")
    monthly_yen = models.PositiveIntegerField()
    valid_from_month = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "valid_from_month"], name="one_term_a_month"
            ),
            models.CheckConstraint(condition=models.Q(monthly_yen__gt=0), name="premium_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.monthly_yen:,}円 ({self.valid_from_month:%Y-%m}〜)"


class DebitMandate(models.Model):
    """口座振替 mandate: the account premiums are debited from, from a date on."""

    class AccountType(models.TextChoices):
        ORDINARY = "1", "普通"
        CURRENT = "2", "当座"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="mandates")
    bank_code = models.CharField(max_length=4)
    branch_code = models.CharField(max_length=3)
    account_type = models.CharField(max_length=1, choices=AccountType.choices)
    account_number = models.CharField(max_length=7)
    holder_kana = models.CharField(max_length=30)  # half-width, as the bank file carries it
    valid_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.contract} {self.bank_code}-{self.branch_code} {self.account_number}"


class PremiumStop(models.Model):
    """掛止め: the premium months not paid (tosan P6); they are not billed and not counted.

    A stop runs from its first month to its last; an open stop (no last month yet) runs until the
    member resumes, which sets its last month (the audit log keeps the change).
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="premium_stops")
    from_month = models.DateField()
    until_month = models.DateField(null=True, blank=True)  # last stopped month; None: still stopped
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["from_month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until_month__isnull=True)
                | models.Q(until_month__gte=models.F("from_month")),
                name="stop_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.until_month:%Y-%m}" if self.until_month else ""
        return f"{self.contract} 掛止め {self.from_month:%Y-%m}〜{until}"


class Certificate(models.Model):
    """共済契約締結証書 exactly as issued: the member downloads these bytes ever after, whatever
    changes later (premium terms, address, the certificate's layout or the parameters)."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="certificate")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)  # hex digest of `pdf`, to prove what was issued
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.contract} 共済契約締結証書 {self.issued_at:%Y-%m-%d}"
