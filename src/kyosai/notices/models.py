"""Notices sent to members: each one in the member's portal inbox (read receipt: `read_at`) and,
for members who want paper or for mailings always printed, in the print data once."""

from django.db import models

from kyosai.contracts.models import Contract
from kyosai.parties.models import Party


class PrintRun(models.Model):
    """The print data of one day: the notices it took, in address order, N to a file."""

    printed_on = models.DateField(unique=True)
    per_file = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"print {self.printed_on}"


class PrintFile(models.Model):
    """One PDF of a run, recorded once it is written whole (a file without a row is written by
    the next call)."""

    run = models.ForeignKey(PrintRun, on_delete=models.PROTECT, related_name="files")
    number = models.PositiveIntegerField()  # 1, 2, …: holds print_seq (number-1)*N+1 … number*N
    name = models.CharField(max_length=100)
    pages = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_print_file_a_number")
        ]

    def __str__(self) -> str:
        return self.name


class Notice(models.Model):
    class Kind(models.TextChoices):
        CONTRACT_ISSUED = "contract_issued", "共済契約締結のお知らせ"
        BILLING_AMOUNT = "billing_amount", "請求金額のお知らせ"
        TERMINATION_WARNING = "termination_warning", "解除予告"
        CAP_REACHED = "cap_reached", "積立限度のお知らせ"
        REPAYMENT_DUE = "repayment_due", "返済期日のお知らせ"
        CERTIFICATE = "certificate", "証明書"
        RECONFIRMATION = "reconfirmation", "加入資格確認のお願い"

    class PrintState(models.TextChoices):
        NONE = "none", "印刷しない"
        PENDING = "pending", "印刷待ち"
        PRINTED = "printed", "印刷済"

    # Billing sends a notice per bill, by the million a month, from one INSERT … SELECT over the
    # rows it has just joined: like bills, the references skip the row-by-row check at commit.
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="notices", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    contract = models.ForeignKey(
        Contract, null=True, blank=True, on_delete=models.PROTECT, related_name="notices",
        db_index=False, db_constraint=False,
    )  # fmt: skip
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=100)
    body = models.TextField()
    amount_yen = models.BigIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    link = models.CharField(max_length=200, blank=True)  # a page of this site the notice points to
    # The PDF the notice sends, named by document_name; a 証明書 notice names the certificate,
    # which stays in its own table (`certificate_id`).
    document = models.BinaryField(null=True, blank=True)
    document_name = models.CharField(max_length=100, blank=True, db_default="")
    # What the notice is about, for sending it once ("contract:12", "arrears:5"); NULL for the
    # billing run's notices, whose chunk transaction already sends them once.
    key = models.CharField(max_length=60, null=True, blank=True)  # noqa: DJ001 - NULL: no key
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    print_state = models.CharField(max_length=10, choices=PrintState.choices)
    print_run = models.ForeignKey(
        PrintRun, null=True, blank=True, on_delete=models.PROTECT, related_name="notices",
        db_index=False,
    )  # fmt: skip
    print_seq = models.PositiveIntegerField(null=True, blank=True)  # place in the run's order

    class Meta:
        # The indexes other than the inbox's leave out the month's millions of billing notices
        # (no key, never printed for most members), so that sending them stays one cheap insert.
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(key__isnull=False), name="notice_sent_once"
            )
        ]
        indexes = [
            models.Index(fields=["party", "-created_at"], name="notice_inbox"),
            models.Index(
                fields=["print_run", "print_seq"],
                name="notice_print_order",
                condition=models.Q(print_run__isnull=False),
            ),
            # Only the few notices waiting for paper: found without reading the month's millions.
            models.Index(
                fields=["id"],
                name="notice_print_pending",
                condition=models.Q(print_state="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def certificate_id(self) -> int | None:
        """The issued certificate a 証明書 notice sends (events.certificates_issued keys it)."""
        key = self.key or ""
        if self.kind != Notice.Kind.CERTIFICATE or not key.startswith(CERTIFICATE_KEY):
            return None
        return int(key.removeprefix(CERTIFICATE_KEY))


CERTIFICATE_KEY = "certificate:"  # the key of a 証明書 notice: this, then the certificate's id

# How a kind's amount and date read on the notice (inbox and paper).
LABELS: dict[str, tuple[str, str]] = {
    Notice.Kind.BILLING_AMOUNT: ("ご請求金額", "振替日"),
    Notice.Kind.TERMINATION_WARNING: ("未納の掛金", "お支払いの期限"),
    Notice.Kind.CAP_REACHED: ("積立限度額", ""),
    Notice.Kind.REPAYMENT_DUE: ("償還金額", "振替日（返済期日）"),
    Notice.Kind.RECONFIRMATION: ("", "ご回答の期限"),
}


def notice_facts(notice: Notice) -> list[tuple[str, str]]:
    """The labelled amount and date a notice carries, as printed and shown."""
    amount_label, date_label = LABELS.get(notice.kind, ("金額", "期日"))
    facts = []
    if notice.amount_yen is not None:
        facts.append((amount_label, f"{notice.amount_yen:,}円"))
    if notice.due_on is not None:
        facts.append(
            (date_label, f"{notice.due_on.year}年{notice.due_on.month}月{notice.due_on.day}日")
        )
    return facts
