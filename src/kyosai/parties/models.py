from django.conf import settings
from django.db import models

from kyosai.rules.tosan.eligibility import ORGANISATION_LABEL, Organisation


class Industry(models.TextChoices):
    """The industry classes of the enrollment targets (加入促進計画, 業種別)."""

    CONSTRUCTION = "construction", "建設業"
    MANUFACTURING = "manufacturing", "製造業"
    WHOLESALE = "wholesale", "卸売業"
    RETAIL = "retail", "小売業"
    TRANSPORT = "transport", "運輸・通信業"
    SERVICE = "service", "サービス業"
    OTHER = "other", "その他"


class IndustryDetail(models.TextChoices):
    """The finer classes the statutes single out within those (施行令1条 of each scheme)."""

    NONE = "", "該当なし"
    RUBBER_PRODUCTS = "rubber_products", "ゴム製品製造業"
    SOFTWARE_IT = "software_it", "ソフトウェア業・情報処理サービス業"
    ACCOMMODATION = "accommodation", "旅館業・宿泊業"
    ENTERTAINMENT = "entertainment", "娯楽業"
    REAL_ESTATE = "real_estate", "不動産業"
    AGRICULTURE = "agriculture", "農業"


class Party(models.Model):
    """A contract holder or applicant: a 個人事業主 (individual) or a 法人 (corporation)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "個人"
        CORPORATION = "corporation", "法人"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.CharField(
        max_length=40, choices=[(o.value, ORGANISATION_LABEL[o]) for o in Organisation]
    )
    name = models.CharField(max_length=100)
    name_kana = models.CharField(max_length=100)  # full-width katakana
    corporate_number = models.CharField(max_length=13, null=True, blank=True, unique=True)
    representative_name = models.CharField(max_length=100, blank=True)
    representative_kana = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=7)
    prefecture_code = models.CharField(max_length=2)
    address = models.CharField(max_length=200)
    phone = models.CharField(max_length=15)
    # Notices also on paper (by post), besides the portal inbox (notices/).
    wants_paper = models.BooleanField(default=False, db_default=False)
    industry = models.CharField(max_length=20, choices=Industry.choices)
    industry_detail = models.CharField(
        max_length=20, choices=IndustryDetail.choices, blank=True, default=IndustryDetail.NONE
    )
    employees = models.PositiveIntegerField()
    capital_yen = models.BigIntegerField(null=True, blank=True)
    business_started_on = models.DateField()
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capital_yen__isnull=True) | models.Q(capital_yen__gte=0),
                name="party_capital_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="corporation") | models.Q(corporate_number__isnull=False),
                name="party_corporation_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name
