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
    # 統轄店: the head office (a bank's) or federation (都道府県連合会) this 取扱店 sends its forms
    # through (契約申込者→取扱店→統轄店→機構). Its clerks follow the 取扱店's clients too (one
    # level: a 統轄店's clerks see its own 取扱店, not those of a 取扱店's 取扱店).
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="branches"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="agency_not_its_own_parent"
            )
        ]

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
    """本人確認のリンク: an application or a change a clerk keyed for a client, waiting for the
    client to open the one-time link (or its QR code), sign in with `client_email` and confirm it."""

    class Kind(models.TextChoices):
        ENROLLMENT = "enrollment", "加入申込"
        PREMIUM_CHANGE = "premium_change", "掛金月額変更"
        PARTY_CHANGE = "party_change", "住所・名称・代表者の変更"

    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.ENROLLMENT)
    # The client's contract a change is for (none for an enrollment).
    contract = models.ForeignKey(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
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
    # What was keyed: the EnrollmentApplication (procedures.payload_of) or the change's fields.
    payload = models.JSONField()
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
            ),
            models.CheckConstraint(
                condition=models.Q(kind="enrollment", contract__isnull=True)
                | (~models.Q(kind="enrollment") & models.Q(contract__isnull=False)),
                name="change_link_has_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.client_email} {self.created_at:%Y-%m-%d}"

    @property
    def client_name(self) -> str:
        """Who the link is for: the applicant keyed, or the holder of the contract changed."""
        if self.contract is not None:
            return self.contract.party.name
        return str(self.payload["party"]["name"])
