"""共済金 (shokibo): the determination of a claim with its instalment schedule, and 通算 — the
months of an ended contract carried into a new one (法13条). The claim itself is a Procedure (its
payload is what the member stated); the money moves through the ledger and Payouts."""

from django.db import models

from kyosai.contracts.models import Contract
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Procedure
from kyosai.rules.shokibo.benefits import BENEFIT_LABEL, BenefitKind
from kyosai.rules.shokibo.events import EVENT_LABEL, BenefitEvent
from kyosai.rules.shokibo.receipt import METHOD_LABEL, ReceiptMethod

EVENT_CHOICES = [(event.value, EVENT_LABEL[event]) for event in BenefitEvent]
KIND_CHOICES = [(kind.value, BENEFIT_LABEL[kind]) for kind in BenefitKind]
METHOD_CHOICES = [(method.value, METHOD_LABEL[method]) for method in ReceiptMethod]


class Determination(models.Model):
    """共済金の支給決定: what the claim pays, computed on the real history (and any months carried
    in) up to the event, how it is received, and the notice as issued. One per contract."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="benefit")
    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=20, choices=EVENT_CHOICES)
    event_on = models.DateField()
    age_on_event = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    method = models.CharField(max_length=10, choices=METHOD_CHOICES)
    years = models.PositiveSmallIntegerField(null=True, blank=True)  # 分割支給期間 (分割・併用)
    months = models.IntegerField()  # 掛金納付月数 (掛金区分1), carried months included
    carried_months = models.IntegerField()  # of which carried in by 通算
    premiums_yen = models.BigIntegerField()  # the premiums the benefit counts
    benefit_yen = models.BigIntegerField()  # 共済金 (基本 + 付加)
    basic_yen = models.BigIntegerField()
    additional_yen = models.BigIntegerField()
    # loans the contract still owed, taken from the 共済金 before it is received (R2) [I]
    loan_offset_yen = models.BigIntegerField(default=0)
    lump_part_yen = models.BigIntegerField()  # the benefit paid at once (一括, 併用の一括部分)
    instalment_part_yen = models.BigIntegerField()  # the benefit paid in instalments
    instalment_total_yen = models.BigIntegerField()  # what the instalments pay in all
    overpaid_return_yen = models.BigIntegerField()  # premiums paid for months after the event
    discount_yen = models.BigIntegerField()  # unpaid 前納減額金 paid with it
    paid_now_yen = models.BigIntegerField()  # lump part + returns, transferred at once
    total_yen = models.BigIntegerField()  # everything the determination pays
    provisional = models.BooleanField()  # an unconfirmed or provisional value was used
    warnings = models.JSONField(default=list)  # the traces' warnings, shown to member and staff
    trace = models.TextField()  # every computation, as the member and staff read it
    received_on = models.DateField()  # the day the claim was received (the schedule's base)
    # Where the payments go (the debit account), copied so notice and payouts agree.
    bank_code = models.CharField(max_length=4)
    branch_code = models.CharField(max_length=3)
    account_type = models.CharField(max_length=1)
    account_number = models.CharField(max_length=7)
    payee_kana = models.CharField(max_length=30)
    notice_pdf = models.BinaryField()  # 共済金支給決定通知書 exactly as issued
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    benefit_yen=models.F("loan_offset_yen")
                    + models.F("lump_part_yen")
                    + models.F("instalment_part_yen")
                ),
                name="benefit_is_loans_lump_and_instalment_part",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    paid_now_yen=models.F("lump_part_yen")
                    + models.F("overpaid_return_yen")
                    + models.F("discount_yen")
                ),
                name="benefit_paid_now_is_the_sum",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_yen=models.F("paid_now_yen") + models.F("instalment_total_yen")
                ),
                name="benefit_total_is_the_sum",
            ),
            models.CheckConstraint(
                condition=models.Q(method="lump", years__isnull=True, instalment_part_yen=0)
                | (
                    ~models.Q(method="lump")
                    & models.Q(years__in=[10, 15], instalment_part_yen__gt=0)
                ),
                name="benefit_instalments_only_when_split",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.get_kind_display()} {self.benefit_yen:,}円"


class Instalment(models.Model):
    """One payment of a 分割 schedule, fixed at the determination and never changed; its Payout
    is approved when it falls due (benefits.actions.approve_due_instalments)."""

    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount_yen = models.BigIntegerField()
    payout = models.OneToOneField(
        Payout, null=True, blank=True, on_delete=models.PROTECT, related_name="instalment"
    )

    class Meta:
        ordering = ["determination", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "number"], name="one_benefit_instalment_a_number"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_yen__gt=0), name="instalment_positive"
            ),
        ]
        indexes = [models.Index(fields=["due_on"], condition=models.Q(payout__isnull=True),
                                name="instalment_not_yet_approved")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.determination.contract} 分割{self.number}回 {self.amount_yen:,}円"


class Tsusan(models.Model):
    """掛金納付月数の通算 (法13条1項): the old contract ended with an A/B event and its months count
    in the new contract's benefit, slice by slice. An old contract is carried once, and then no
    claim can be made on it."""

    old_contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, related_name="carried_into"
    )
    new_contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="carried_from"
    )
    procedure = models.OneToOneField(Procedure, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=20, choices=EVENT_CHOICES)
    event_on = models.DateField()
    months = models.IntegerField()  # 掛金納付月数 carried (掛金区分1), as when it was carried
    premiums_yen = models.BigIntegerField()  # the premiums those months paid
    trace = models.TextField()  # the 通算 decision
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(old_contract=models.F("new_contract")),
                name="tsusan_into_another_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_contract} → {self.new_contract} {self.months}か月"
