from django.conf import settings
from django.db import models


class Agency(models.Model):
    """A handling agency (登録取扱機関 when registered on a contract)."""

    class Kind(models.TextChoices):
        SHOKOKAI = "shokokai", "商工会"
        CHAMBER = "chamber", "商工会議所"
        CENTRAL_ASSOCIATION = "central_association", "中小企業団体中央会"
        BLUE_RETURN = "blue_return", "青色申告会"
        TAX_ACCOUNTANTS = "tax_accountants", "税理士協同組合"
        OTHER_ASSOCIATION = "other_association", "その他の委託団体"
        CITY_BANK = "city_bank", "都市銀行・信託銀行"
        REGIONAL_BANK = "regional_bank", "地方銀行"
        SECOND_REGIONAL_BANK = "second_regional_bank", "第二地方銀行"
        SHINKIN = "shinkin", "信用金庫"
        CREDIT_COOPERATIVE = "credit_cooperative", "信用組合"
        SHOKO_CHUKIN = "shoko_chukin", "商工組合中央金庫"
        AGRICULTURAL_COOPERATIVE = "agricultural_cooperative", "農業協同組合"

    BANK_KINDS = (  # 代理店: the other kinds are 委託団体
        Kind.CITY_BANK,
        Kind.REGIONAL_BANK,
        Kind.SECOND_REGIONAL_BANK,
        Kind.SHINKIN,
        Kind.CREDIT_COOPERATIVE,
        Kind.SHOKO_CHUKIN,
        Kind.AGRICULTURAL_COOPERATIVE,
    )

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    prefecture_code = models.CharField(max_length=2, blank=True)

    def __str__(self) -> str:
        return self.name


class AgencyClerk(models.Model):
    """委託機関の担当者: a login that works for one agency (its clients' procedures only)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agency_clerk"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clerks")

    def __str__(self) -> str:
        return f"{self.agency}（{self.user}）"


class ConfirmationLink(models.Model):
    """本人確認のリンク: an application a clerk keyed for a client, waiting for the client to
    open the one-time link (or its QR code), sign in with `client_email` and confirm it."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="confirmation_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The clerk's form token: a double submit of the form makes one link.
    idempotency_key = models.CharField(max_length=64, unique=True)
    token = models.CharField(max_length=64, unique=True)  # the secret part of the link
    client_email = models.EmailField(max_length=150)  # only this login may confirm
    payload = models.JSONField()  # the EnrollmentApplication as keyed (procedures.payload_of)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    procedure = models.OneToOneField(
        "procedures.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmation_link",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_at__isnull=True, procedure__isnull=True)
                | models.Q(confirmed_at__isnull=False, procedure__isnull=False),
                name="confirmed_link_has_procedure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.client_email} {self.created_at:%Y-%m-%d}"
