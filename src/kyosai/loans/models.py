"""Loans against a contract (tosan 共済金貸付 and 一時貸付, shokibo 契約者貸付 of each kind): what
was lent, its stored repayment schedule, every repayment and where it came from, and the monthly
debit of what falls due."""

from django.db import models

from kyosai.contracts.models import SCHEME_CHOICES, Contract, DebitMandate
from kyosai.procedures.models import Procedure
from kyosai.rules.shokibo.loans import KIND_LABEL, LoanKind


class Loan(models.Model):
    class Kind(models.TextChoices):
        KYOSAIKIN = "kyosaikin", "共済金貸付"
        TEMPORARY = "temporary", "一時貸付"
        # shokibo 契約者貸付: one kind per kind of the rules (the same values)
        GENERAL = LoanKind.GENERAL.value, KIND_LABEL[LoanKind.GENERAL]
        EMERGENCY = LoanKind.EMERGENCY.value, KIND_LABEL[LoanKind.EMERGENCY]
        ILLNESS_DISASTER = LoanKind.ILLNESS_DISASTER.value, KIND_LABEL[LoanKind.ILLNESS_DISASTER]
        NEW_BUSINESS = LoanKind.NEW_BUSINESS.value, KIND_LABEL[LoanKind.NEW_BUSINESS]

    class Status(models.TextChoices):
        REPAYING = "repaying", "償還中"
        # 5 months behind (tosan 共済金貸付): the whole balance and its 違約金 are due at once
        DUE_IN_FULL = "due_in_full", "一括償還の請求中"
        REPAID = "repaid", "完済"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="loans")
    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="loan")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REPAYING)
    principal_yen = models.BigIntegerField()
    lent_on = models.DateField()  # the day it is paid out: the schedule runs from here
    term_years = models.PositiveSmallIntegerField(null=True, blank=True)  # tosan
    term_months = models.PositiveSmallIntegerField(null=True, blank=True)  # shokibo: 6〜60 months
    forfeited_yen = models.BigIntegerField(default=0)  # 共済金貸付: 1/10 taken from the premiums
    # Interest paid in advance when lent, taken off the payout: 一時貸付's year, 契約者貸付's first
    # period (a 契約者貸付 pays each later period's with the repayment before it: Instalment).
    interest_yen = models.BigIntegerField(default=0)
    # 繰上償還: the debit month that collects the whole balance, once the member asks for it.
    payoff_month = models.DateField(null=True, blank=True)
    # 借換 (一時貸付): the loan this one renews; it is repaid by this one up to its amount.
    renewal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )
    trace = models.TextField()  # how the amount and schedule were decided
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(principal_yen__gt=0), name="loan_positive"),
            models.CheckConstraint(
                condition=models.Q(term_years__isnull=False) | models.Q(term_months__isnull=False),
                name="loan_has_a_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.get_kind_display()} {self.principal_yen:,}円"

    @property
    def is_shokibo(self) -> bool:
        return self.kind in SHOKIBO_KINDS

    @property
    def term_label(self) -> str:
        """5年, 24か月: the term as the member chose it."""
        return f"{self.term_months}か月" if self.term_months else f"{self.term_years}年"


SHOKIBO_KINDS = frozenset(
    {Loan.Kind.GENERAL, Loan.Kind.EMERGENCY, Loan.Kind.ILLNESS_DISASTER, Loan.Kind.NEW_BUSINESS}
)


class Instalment(models.Model):
    """One repayment of the stored schedule (corrections are new rows of a new schedule, never
    edits): due on its month's 振替日; paid once repayments of the loan cover it."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    month = models.DateField()
    due_on = models.DateField()
    principal_yen = models.BigIntegerField()
    # 契約者貸付: the next period's interest, paid in advance with this repayment (L5)
    interest_yen = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="one_instalment_a_number")
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} 第{self.number}回 {self.principal_yen:,}円"


class Repayment(models.Model):
    """Money applied to a loan: a paid debit, premiums taken to cover what is overdue, or a
    payment in full. Principal and 違約金 apart; the journal that moved them."""

    class Source(models.TextChoices):
        DEBIT = "debit", "口座振替"
        PREMIUMS = "premiums", "掛金からの充当"
        REFUND = "refund", "解約手当金からの差引"
        RENEWAL = "renewal", "借換"
        PAYOUT = "payout", "貸付金の振込額からの差引"  # the interest paid in advance
        BENEFIT = "benefit", "共済金からの差引"

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    source = models.CharField(max_length=10, choices=Source.choices)
    on = models.DateField()
    principal_yen = models.BigIntegerField()
    penalty_yen = models.BigIntegerField(default=0)
    interest_yen = models.BigIntegerField(default=0)  # interest in advance
    journal = models.ForeignKey(
        "billing.Journal", on_delete=models.PROTECT, related_name="loan_repayments"
    )

    def __str__(self) -> str:
        return f"{self.loan_id} {self.on} {self.principal_yen:,}円"


class RepaymentRun(models.Model):
    """A scheme's month's debit of loan repayments (償還金の口座振替), on that scheme's 振替日 (tosan
    the 27th, shokibo the 18th) but with its own requester code and files, since the member gives
    a separate mandate for it (tosan 様式 中303)."""

    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES)
    month = models.DateField()
    debit_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="one_repayment_run_a_month")
        ]

    def __str__(self) -> str:
        return f"償還金 {self.get_scheme_display()} {self.month:%Y-%m}"


class RepaymentBill(models.Model):
    """What one loan is debited in one repayment run: the instalments due and still unpaid, with
    the 違約金 (延滞利息) of those overdue up to the debit day and the interest owed in advance (a
    契約者貸付's next period, a renewed 一時貸付's year); the account as sent to the bank."""

    run = models.ForeignKey(RepaymentRun, on_delete=models.PROTECT, related_name="bills")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="bills")
    principal_yen = models.BigIntegerField()
    penalty_yen = models.BigIntegerField()
    interest_yen = models.BigIntegerField(default=0)  # interest in advance
    amount_yen = models.BigIntegerField()
    mandate = models.ForeignKey(DebitMandate, on_delete=models.PROTECT, related_name="+")
    customer_number = models.CharField(max_length=20)
    result_code = models.CharField(max_length=1, blank=True)  # "" until the bank answers

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "loan"], name="one_repayment_bill_a_run"),
            models.CheckConstraint(
                condition=models.Q(
                    amount_yen=models.F("principal_yen")
                    + models.F("penalty_yen")
                    + models.F("interest_yen")
                ),
                name="repayment_bill_sum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.loan_id} {self.amount_yen:,}円"


class RepaymentImport(models.Model):
    """A 振替結果 file of a repayment run taken in; its hash makes a second import a no-op."""

    run = models.ForeignKey(RepaymentRun, on_delete=models.PROTECT, related_name="imports")
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    imported_on = models.DateField()
    imported_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
