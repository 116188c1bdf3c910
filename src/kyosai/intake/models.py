"""Paper intake: the BPO's files of keyed 加入申込書, each form's row, and the second keying of
the fields the BPO was not sure of. A row is checked (and becomes a 不備 letter or a paper
enrollment) only once every one of its fields is settled."""

from django.conf import settings
from django.db import models

from kyosai.agencies.models import Agency
from kyosai.contracts.models import SCHEME_CHOICES
from kyosai.procedures.models import Procedure


class IntakeFile(models.Model):
    """One BPO file as imported; its sha256 is the idempotency key (a second import is a no-op)."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    received_on = models.DateField()  # 受付日 of its forms: the enrollments' received date
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    form_count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class IntakeRow(models.Model):
    """One paper form (one line of the file)."""

    class Status(models.TextChoices):
        KEYING = "keying", "二次入力待ち"
        DEFICIENT = "deficient", "不備"
        SUBMITTED = "submitted", "申込受付済"

    file = models.ForeignKey(IntakeFile, on_delete=models.PROTECT, related_name="forms")
    line = models.PositiveIntegerField()
    form_id = models.CharField(max_length=40)  # the BPO's number for the paper form (書類番号)
    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT)
    industry_class = models.CharField(max_length=20)
    industry_detail = models.CharField(max_length=20, blank=True)
    values = models.JSONField()  # {field: text} as first keyed; settled fields replace theirs
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.KEYING)
    deficiencies = models.JSONField(default=list, blank=True)  # [{field, code, message}]
    letter = models.BinaryField(null=True, blank=True)  # the 不備 letter PDF, as sent
    procedure = models.OneToOneField(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="intake_row"
    )
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["file", "line"]
        constraints = [
            models.UniqueConstraint(fields=["file", "line"], name="intake_row_line_once"),
            models.UniqueConstraint(fields=["file", "form_id"], name="intake_row_form_once"),
        ]

    def __str__(self) -> str:
        return f"{self.file.name} {self.line}行目"


class SecondKeying(models.Model):
    """A field keyed below the confidence threshold: a second keyer types it again without seeing
    the first value; if the two differ after normalisation, a third person decides."""

    class Status(models.TextChoices):
        WAITING = "waiting", "二次入力待ち"
        DISPUTED = "disputed", "判定待ち（不一致）"
        SETTLED = "settled", "確定"

    row = models.ForeignKey(IntakeRow, on_delete=models.PROTECT, related_name="keyings")
    field = models.CharField(max_length=40)
    first_value = models.CharField(max_length=200, blank=True)  # never shown to the second keyer
    confidence = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    second_value = models.CharField(max_length=200, blank=True)
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_value = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(  # the third person, when the two keyings differed
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["row", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["row", "field"], name="second_keying_field_once"),
        ]

    def __str__(self) -> str:
        return f"{self.row} {self.field}"
