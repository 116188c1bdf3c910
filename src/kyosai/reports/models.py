from django.db import models

from kyosai.contracts.models import SCHEME_CHOICES


class PlanTarget(models.Model):
    """One line of a 加入促進計画 (施行規則41条: 業種別及び地域別の加入目標件数): the target of a
    scheme's fiscal year for one key of one dimension. A plan is replaced whole, never line by
    line (reports/plan.py); the audit log keeps what it replaced."""

    class Dimension(models.TextChoices):
        BLOCK = "block", "地域（ブロック）別"
        INDUSTRY = "industry", "業種別"
        TOTAL = "total", "合計"
        ONLINE_SHARE = "online_share_target", "オンライン手続きによる新規加入申込割合"
        MODEL_PREFECTURE = "model_prefecture", "モデル都道府県"

    scheme = models.CharField(max_length=10, choices=SCHEME_CHOICES)
    fiscal_year = models.PositiveSmallIntegerField()  # 年度, by the year it starts in (R8 → 2026)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    # block: the block name (関東); industry: Industry value (construction); total: 合計;
    # online share: 新規加入; model prefecture: the prefecture code (13).
    key = models.CharField(max_length=20)
    target = models.PositiveIntegerField(null=True, blank=True)  # 件数; none for the share
    share = models.DecimalField(  # the online share aimed at (0.30), for the share line only
        max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["scheme", "fiscal_year", "dimension", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "fiscal_year", "dimension", "key"], name="one_target_a_key"
            ),
            models.CheckConstraint(
                condition=models.Q(dimension="online_share_target", share__isnull=False)
                | ~models.Q(dimension="online_share_target") & models.Q(share__isnull=True),
                name="share_only_on_share_line",
            ),
            models.CheckConstraint(  # blocks, industries and the total are counts
                condition=~models.Q(dimension__in=["block", "industry", "total"])
                | models.Q(target__isnull=False),
                name="count_lines_have_a_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} FY{self.fiscal_year} {self.dimension} {self.key}"
