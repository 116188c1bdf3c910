"""Loans against a contract (tosan 共済金貸付 and 一時貸付): what was lent, its stored repayment
schedule, every repayment and where it came from, and the monthly debit of what falls due."""

from django.db import models

from kyosai.contracts.models import Contract, DebitMandate
from kyosai.procedures.models import Procedure


class Loan(models.Model):
    class Kind(models.TextChoices):
        KYOSAIKIN = "kyosaikin", "共済金貸付"
        TEMPORARY = "temporary", "一時貸付"

    class Status(models.TextChoices):
        REPAYING = "repaying", "償還中"
        # 5 months behind (tosan 共済金貸付): the whole balance and its 違約金 are due at once
        DUE_IN_FULL = "due_in_full", "一括償還の請求中"
        REPAID = "repaid", "完済"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="loans")
    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="loan")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REPAYING)
    principal_yen = models.BigIntegerField()
    lent_on = models.DateField()  # the day it is paid out: the schedule runs from here
    term_years = models.PositiveSmallIntegerField()
    forfeited_yen = models.BigIntegerField(default=0)  # 共済金貸付: 1/10 taken from the premiums
    interest_yen = models.BigIntegerField(default=0)  # 一時貸付: paid in advance, off the payout
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
            models.CheckConstraint(condition=models.Q(principal_yen__gt=0), name="loan_positive")
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.get_kind_display()} {self.principal_yen:,}円"


class Instalment(models.Model):
    """One repayment of the stored schedule (corrections are new rows of a new schedule, never
    edits): due on its month's 振替日; paid once repayments of the loan cover it."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    month = models.DateField()
    due_on = models.DateField()
    principal_yen = models.BigIntegerField()

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
        PAYOUT = "payout", "貸付金の振込額からの差引"  # 一時貸付: the interest paid in advance

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    source = models.CharField(max_length=10, choices=Source.choices)
    on = models.DateField()
    principal_yen = models.BigIntegerField()
    penalty_yen = models.BigIntegerField(default=0)
    interest_yen = models.BigIntegerField(default=0)  # 一時貸付's interest in advance
    journal = models.ForeignKey(
        "billing.Journal", on_delete=models.PROTECT, related_name="loan_repayments"
    )

    def __str__(self) -> str:
        return f"{self.loan_id} {self.on} {self.principal_yen:,}円"


class RepaymentRun(models.Model):
    """The month's debit of loan repayments (償還金の口座振替), with the premiums' 振替日 but its own
    requester code and files, since the member gives a separate mandate for it (様式 中303)."""

    month = models.DateField(unique=True)
    debit_on = models.DateField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"償還金 {self.month:%Y-%m}"


class RepaymentBill(models.Model):
    """What one loan is debited in one repayment run: the instalments due and still unpaid, with
    the 違約金 of those overdue up to the debit day and any interest owed in advance (a renewed
    一時貸付); the account as sent to the bank."""

    run = models.ForeignKey(RepaymentRun, on_delete=models.PROTECT, related_name="bills")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="bills")
    principal_yen = models.BigIntegerField()
    penalty_yen = models.BigIntegerField()
    interest_yen = models.BigIntegerField(default=0)  # a renewal's interest in advance
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
