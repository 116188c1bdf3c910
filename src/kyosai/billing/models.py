"""Premium collection: monthly billing runs, one bill per contract and month, the bank files, the
bank's results and the premium ledger.

Months inside the billing SQL are integers, `year * 12 + month - 1` (rules.calendar.month_index),
so that month arithmetic is the same plain integer arithmetic in PostgreSQL and SQLite.
"""

from typing import Any

from django.db import models

from kyosai.contracts.models import SCHEME_CHOICES, Contract, DebitMandate
from kyosai.formats.zengin import PAID_RESULT_CODE  # 振替済; every other code is 振替不能


class BillingRun(models.Model):
    """One scheme's debit of one month (振替日). Resumable: bills are committed a chunk of
    contracts at a time, and each committed chunk is recorded (BillingChunk)."""

    class Status(models.TextChoices):
        GENERATING = "generating", "請求作成中"
        GENERATED = "generated", "請求作成済"
        FILES_WRITTEN = "files_written", "振替依頼ファイル作成済"

    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES)
    month = models.DateField()  # first day of the debit month
    debit_on = models.DateField()  # 振替日 (rolled to a bank business day)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.GENERATING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="one_run_a_scheme_month")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.month:%Y-%m}"


class BillingChunk(models.Model):
    """A committed chunk of a run: its contracts with ids in (low, high] are billed."""

    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="chunks")
    low = models.BigIntegerField()
    high = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "low", "high"], name="one_chunk_a_range")
        ]

    def __str__(self) -> str:
        return f"{self.run} ({self.low}, {self.high}]"


class BillingState(models.Model):
    """Per contract, where billing stands: the last premium month billed and what was billed for
    the regular premiums so far (so late changes, prepayments and the cap come out as one
    subtraction), whether debiting is stopped, and the arrears as of the last result import."""

    contract = models.OneToOneField(
        Contract, primary_key=True, on_delete=models.PROTECT, related_name="billing_state"
    )
    start_month = models.IntegerField()  # month index of the first premium month
    first_debit_month = models.IntegerField()  # month index of the first debit
    billed_through = models.IntegerField()  # month index of the last premium month billed
    billed_regular_yen = models.BigIntegerField(default=0)
    # The last bill's mandate and run, kept to tell a new mandate (新規コード) and to make a
    # re-billed chunk idempotent. Every run rewrites them for every contract, so they carry no
    # index or database constraint: both would be rewritten and checked 2 million times a month.
    last_mandate = models.ForeignKey(
        DebitMandate, null=True, on_delete=models.DO_NOTHING, db_index=False, db_constraint=False
    )
    last_run = models.ForeignKey(
        BillingRun, null=True, on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    arrears_yen = models.BigIntegerField(default=0)
    arrears_months = models.IntegerField(default=0)
    debit_stopped = models.BooleanField(default=False)  # 12 months in arrears: no more debits

    def __str__(self) -> str:
        return f"{self.contract_id} billed through {self.billed_through}"


class Prepayment(models.Model):
    """A 前納 to debit with a month's premium: that month plus `months` months ahead (tosan P18)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="prepayments")
    month = models.DateField()  # the debit month (first day)
    months = models.PositiveIntegerField()  # months paid ahead of `month`
    discount_yen = models.PositiveIntegerField()  # 前納減額金 earned once the debit is paid
    # The journal that accrued the discount (the March close, or a settlement on cancellation):
    # a prepayment is accrued once, whichever close comes after its debit is paid.
    accrued_in = models.ForeignKey(
        "Journal", null=True, blank=True, on_delete=models.PROTECT, related_name="accrued"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="one_prepayment_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.contract} 前納 {self.month:%Y-%m} +{self.months}"


class BillQuerySet(models.QuerySet["Bill"]):
    """Bills by what the bank answered (their BillResult)."""

    def pending(self) -> "BillQuerySet":
        return self.filter(result__isnull=True)

    def paid(self) -> "BillQuerySet":
        return self.filter(result__result_code=PAID_RESULT_CODE)

    def failed(self) -> "BillQuerySet":
        return self.filter(result__isnull=False).exclude(result__result_code=PAID_RESULT_CODE)


class Bill(models.Model):
    """What one contract is debited in one run: the new premium months, the arrears carried from
    earlier failed bills, and the account it is debited from (as sent to the bank). A bill is
    written once and never changed by the bank's answer, which is its BillResult."""

    class Status(models.TextChoices):
        PENDING = "pending", "振替結果待ち"
        PAID = "paid", "振替済"
        FAILED = "failed", "振替不能"

    # Bills are inserted by the million each month, so only the indexes the run, the import and
    # the member's history read are kept (run and contract lead the indexes in Meta), and the
    # references skip the row-by-row foreign-key check at commit: the run's statement takes them
    # from the run and the contracts it has just joined. Deleting stays PROTECTed by Django.
    run = models.ForeignKey(
        BillingRun, on_delete=models.PROTECT, related_name="bills", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="bills", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    month = models.DateField()  # the debit month
    months = models.IntegerField()  # new premium months billed
    covers_through = models.IntegerField()  # month index of the last premium month billed
    regular_yen = models.BigIntegerField()  # premiums of the new months (after deposits, cap)
    prepaid_months = models.IntegerField(default=0)
    arrears_yen = models.BigIntegerField(default=0)  # carried from failed bills (再請求)
    arrears_months = models.IntegerField(default=0)
    amount_yen = models.BigIntegerField()  # regular + arrears: the 引落金額
    # A 前納's months ahead, which lapse if its debit fails (tosan P19): then only the month
    # itself is owed, and the re-billing month bills the months since as regular premiums.
    lapsing_yen = models.BigIntegerField(default=0)
    carried_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried",
        db_index=False,
    )  # fmt: skip
    # The account as sent to the bank is copied onto the bill below; the mandate is a reference
    # for staff, not a dependency, so it is neither indexed nor checked row by row at insert.
    mandate = models.ForeignKey(
        DebitMandate, on_delete=models.DO_NOTHING, related_name="+",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    bank_code = models.CharField(max_length=4)
    branch_code = models.CharField(max_length=3)
    account_type = models.CharField(max_length=1)
    account_number = models.CharField(max_length=7)
    holder_kana = models.CharField(max_length=30)
    new_code = models.CharField(max_length=1)  # 新規コード: 1 first debit of a mandate, else 0
    customer_number = models.CharField(max_length=20)  # 顧客番号: number + yyyymm

    objects = BillQuerySet.as_manager()

    class Meta:
        constraints = [
            # The 顧客番号 (contract number + yyyymm) is unique through this one; results are
            # matched to the bills of their run by hashing, so it needs no index of its own.
            models.UniqueConstraint(fields=["contract", "month"], name="one_bill_a_contract_month"),
            models.CheckConstraint(condition=models.Q(amount_yen__gt=0), name="bill_positive"),
        ]
        indexes = [models.Index(fields=["run", "bank_code"])]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.month:%Y-%m} {self.amount_yen}"

    @classmethod
    def status_of(cls, result_code: str | None) -> "Bill.Status":
        """The status a bill has with this 振替結果コード (None: not answered yet)."""
        if result_code is None:
            return cls.Status.PENDING
        return cls.Status.PAID if result_code == PAID_RESULT_CODE else cls.Status.FAILED

    @property
    def status(self) -> "Bill.Status":
        """From the bank's answer (select_related("result") when reading many)."""
        result = getattr(self, "result", None)  # a missing reverse one-to-one raises AttributeError
        return self.status_of(result.result_code if result is not None else None)

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class BillResult(models.Model):
    """The bank's answer to one bill (振替結果), appended by the result import and never changed.

    Kept apart from the bill so that taking in two million answers a month appends narrow rows in
    bill order instead of rewriting two million bills and every index on them (measured: 46 s for
    1.6 million bills on PostgreSQL, against a few seconds to append). Rows are written only by
    the import's set-based statement from bills it has just matched, so the references carry no
    row-by-row foreign-key check; the primary key keeps one answer per bill."""

    bill = models.OneToOneField(
        Bill, primary_key=True, on_delete=models.DO_NOTHING, related_name="result",
        db_constraint=False,
    )  # fmt: skip
    contract = models.ForeignKey(
        Contract, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    result_code = models.CharField(max_length=1)  # 振替結果コード
    result_import = models.ForeignKey(
        "ResultImport", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip

    class Meta:
        indexes = [
            # Arrears are read from failed bills only: a small index beside millions of paid ones.
            models.Index(
                fields=["contract"],
                condition=~models.Q(result_code=PAID_RESULT_CODE),
                name="bill_failed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bill_id} {self.result_code}"


class BankFile(models.Model):
    """A 口座振替依頼 file written for one bank of one run (a bank with more debits than a file
    holds gets parts 2, 3, …)."""

    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="files")
    bank_code = models.CharField(max_length=4)
    part = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=100)
    records = models.IntegerField()
    total_yen = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    written_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "bank_code", "part"], name="one_file_a_run_bank_part"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ResultImport(models.Model):
    """A 振替結果 file taken in. Its hash is the idempotency key: the same file twice is a no-op."""

    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="results")
    bank_code = models.CharField(max_length=4)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    paid_count = models.IntegerField()
    paid_yen = models.BigIntegerField()
    failed_count = models.IntegerField()
    failed_yen = models.BigIntegerField()
    imported_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class Account(models.TextChoices):
    """The premium ledger's accounts. Debits are positive amounts, credits negative."""

    BANK = "bank", "収納口座"
    PREMIUMS = "premiums", "掛金（契約者別）"
    ARREARS = "arrears", "未収掛金（契約者別）"
    ARREARS_OFFSET = "arrears_offset", "未収掛金見返"
    OPENING = "opening", "移行時の掛金残高"
    DISCOUNT_EXPENSE = "discount_expense", "前納減額金"
    DISCOUNT_PAYABLE = "discount_payable", "未払前納減額金（契約者別）"
    # Money going out (payouts): what is owed to a member between the decision and the transfer.
    PAYABLE = "payable", "未払金（契約者別）"
    # The premiums a closing contract held against what it is paid (解約手当金, 共済金): the
    # difference kept by the fund (a refund below 100 %) or paid from it (above 100 %).
    CLOSING_DIFFERENCE = "closing_difference", "掛金と支給額の差額"
    # Loans: the principal a member owes, what it earns, and the tosan 1/10 of a 共済金 loan
    # taken from the member's premiums for good (権利消滅, 法9条) into the lending funds.
    LOANS = "loans", "貸付金（契約者別）"
    LOAN_INTEREST = "loan_interest", "貸付金利息"
    PENALTY_INCOME = "penalty_income", "違約金"
    FORFEITED = "forfeited", "権利消滅掛金"
    ALLOWANCE = "allowance", "早期償還手当金"


class Journal(models.Model):
    """One balanced ledger entry: its postings sum to zero."""

    class Kind(models.TextChoices):
        OPENING = "opening", "移行時残高"
        RESULT = "result", "振替結果"
        DISCOUNT_ACCRUED = "discount_accrued", "前納減額金の確定"
        DISCOUNT_PAID = "discount_paid", "前納減額金の支払"
        CANCELLATION = "cancellation", "解約の精算"
        TRANSFER = "transfer", "振込"
        LOAN = "loan", "貸付"
        REPAYMENT = "repayment", "償還"
        BENEFIT = "benefit", "共済金の決定"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=100, unique=True)  # idempotency key of the posting
    posted_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class Posting(models.Model):
    """A line of a journal. Append-only: a correction is a new journal, never an edit."""

    # Two million premium lines a month are inserted by set-based statements from the journal,
    # bills and contracts they name, so the references skip the row-by-row foreign-key check at
    # commit (it was the largest part of a national result import). Per-member lines name the
    # contract; control lines (the bank, the offsets) do not.
    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="postings", db_constraint=False
    )
    account = models.CharField(max_length=20, choices=Account.choices)
    contract = models.ForeignKey(
        Contract, null=True, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    bill = models.ForeignKey(
        Bill, null=True, on_delete=models.DO_NOTHING, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    amount_yen = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["contract", "account"])]

    def __str__(self) -> str:
        return f"{self.journal_id} {self.account} {self.amount_yen}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Posting rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Posting rows cannot be deleted")


class ArrearsNotice(models.Model):
    """A notice about arrears: the amount to be re-billed (請求金額のお知らせ) before a re-billing
    debit, or the 解除予告 with its deadline once 12 months are unpaid."""

    class Kind(models.TextChoices):
        REBILLING = "rebilling", "掛金の請求金額についてのお知らせ"
        WARNING = "warning", "掛金納付兼解除予告"

    class Outcome(models.TextChoices):
        OPEN = "open", "期限前"
        PAID = "paid", "納付により解消"
        CANCELLED = "cancelled", "機構解約"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="arrears_notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    month = models.DateField()  # rebilling: the debit month that re-bills; warning: month issued
    issued_on = models.DateField()
    arrears_yen = models.BigIntegerField()
    arrears_months = models.IntegerField()
    deadline_on = models.DateField(null=True, blank=True)  # warning only
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "month"], name="one_notice_a_kind_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.get_kind_display()} {self.month:%Y-%m}"
