"""Certificates issued for a year's premiums (or, on request, as of a day), stored exactly as
issued: the member downloads these bytes ever after."""

from django.db import models

from kyosai.contracts.models import Contract


class IssuedCertificate(models.Model):
    class Kind(models.TextChoices):
        DEDUCTION = "deduction", "小規模企業共済掛金控除証明書"
        PAYMENT_STATEMENT = "payment_statement", "掛金納付状況兼領収書"
        BALANCE = "balance", "掛金残高証明書"

    class Edition(models.TextChoices):
        AUTUMN = "autumn", "秋の発行（9月までの払込済額と年末までの払込予定額）"
        FINAL = "final", "翌年2月の発行（1年分の払込済額）"
        YEAR = "year", "年分"
        REQUEST = "request", "請求による発行"

    # Written by the million a year by the batch, which selects the contracts it has just read,
    # so the reference is not checked row by row; the unique key below is the batch's index.
    contract = models.ForeignKey(
        Contract, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    year = models.IntegerField()  # 年分 (the calendar year), or the year of `as_of`
    edition = models.CharField(max_length=10, choices=Edition.choices)
    as_of = models.DateField()  # the day the figures stand at
    pdf = models.BinaryField()
    xml = models.BinaryField(null=True)  # the signed TEG850, deduction certificates only
    sha256 = models.CharField(max_length=64)  # of the PDF
    xml_sha256 = models.CharField(max_length=64, blank=True)
    # 控除合計額, or the reason it is "****": what a clerk answering the member needs at a glance.
    amount_yen = models.BigIntegerField(null=True)
    withheld_reason = models.CharField(max_length=300, blank=True)
    issued_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "year", "edition", "as_of"],
                name="one_certificate_an_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.get_kind_display()} {self.year} {self.edition}"
