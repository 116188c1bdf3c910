"""The OpenID Connect providers members may sign in with, as configured in settings.

settings.KYOSAI_OIDC_PROVIDERS maps a provider name to its issuer, client id, client secret and
scopes (from the environment, see config/settings.py). A provider lacking any of the first three
is not configured: no button, and its URLs answer 404.
"""

from dataclasses import dataclass

from django.conf import settings

# The providers the system knows, in the order their buttons appear, with the button text.
LABELS = {
    "gbizid": "GビズIDでログイン",
    "myna": "マイナンバーカードでログイン",
}
NAMES = {
    "gbizid": "GビズID",
    "myna": "マイナンバーカード（デジタル認証アプリ）",
}


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def display_name(self) -> str:
        return NAMES[self.name]

    @property
    def discovery_url(self) -> str:
        # OpenID Connect Discovery 1.0 §4: the issuer plus /.well-known/openid-configuration.
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def get_provider(name: str) -> Provider | None:
    """The configured provider `name`, or None (unknown or not configured)."""
    if name not in LABELS:
        return None
    config = getattr(settings, "KYOSAI_OIDC_PROVIDERS", {}).get(name) or {}
    issuer = config.get("issuer", "")
    client_id = config.get("client_id", "")
    client_secret = config.get("client_secret", "")
    if not (issuer and client_id and client_secret):
        return None
    scopes = config.get("scopes") or "openid"
    if "openid" not in scopes.split():
        scopes = f"openid {scopes}"  # without it there is no id_token (and no nonce check)
    return Provider(name, issuer, client_id, client_secret, scopes)


def configured_providers() -> list[Provider]:
    return [p for p in (get_provider(name) for name in LABELS) if p is not None]
