"""Who a user is at an external provider: the provider's `sub`, never their e-mail address."""

from django.conf import settings
from django.db import models


class ExternalIdentity(models.Model):
    """One account at one OpenID Connect provider, linked to one user.

    The key is (provider, subject): `sub` is stable and unique only within its issuer, so the
    same subject at two providers is two identities (possibly of two different users).
    """

    provider = models.CharField("認証事業者", max_length=32)
    subject = models.CharField("識別子（sub）", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name="ユーザー",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "外部認証ID"
        verbose_name_plural = "外部認証ID"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_provider_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
