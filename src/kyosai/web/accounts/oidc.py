"""The relying-party side of OpenID Connect, on Authlib: Authorization Code flow with PKCE.

What is checked, and where:
* PKCE S256, state and nonce: Authlib's client makes a fresh code_verifier, state and nonce for
  each login and keeps them in the session under the state; the callback finds them by the
  `state` it receives (unknown state → refused) and uses each once.
* The id_token: required; its alg must be one of SIGNING_ALGS (never "none" or HMAC); its
  signature is checked against the provider's JWKS; iss must be the configured issuer, aud must
  hold our client id, nonce must be the one sent, exp/iat are checked (2 minutes leeway).
* The discovery document must name the configured issuer (OpenID Connect Discovery §4.3).
* UserInfo (where GビズID puts every attribute) is read only when its `sub` equals the id_token's.
Only response_type=code is ever requested; there is no implicit flow.
"""

import logging
from functools import lru_cache
from typing import Any

from authlib.integrations.django_client import (  # type: ignore[import-untyped]  # no stubs
    DjangoOAuth2App,
    OAuth,
)
from django.http import HttpRequest, HttpResponse
from joserfc import jws

from kyosai.accounts.providers import Provider

logger = logging.getLogger("kyosai.accounts.oidc")

SIGNING_ALGS = ("RS256", "PS256", "ES256")
HTTP_TIMEOUT_SECONDS = 10


class LoginFailedError(Exception):
    """The callback cannot sign anyone in; the message is for the log, not for the member."""


@lru_cache(maxsize=16)
def client_for(provider: Provider) -> DjangoOAuth2App:
    """The Authlib client of `provider` (cached: it keeps the discovery document and JWKS)."""
    oauth = OAuth()
    oauth.register(
        name=provider.name,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.discovery_url,
        client_kwargs={
            "scope": provider.scopes,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",  # GビズID's method
            "default_timeout": HTTP_TIMEOUT_SECONDS,
        },
    )
    client: DjangoOAuth2App = oauth.create_client(provider.name)
    return client


def _metadata(client: DjangoOAuth2App, provider: Provider) -> dict[str, Any]:
    metadata: dict[str, Any] = client.load_server_metadata()
    if metadata.get("issuer") != provider.issuer:
        raise LoginFailedError(f"discovery names issuer {metadata.get('issuer')!r}")
    return metadata


def start(request: HttpRequest, provider: Provider, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider's authorization endpoint."""
    client = client_for(provider)
    _metadata(client, provider)
    response: HttpResponse = client.authorize_redirect(request, redirect_uri)
    return response


def finish(request: HttpRequest, provider: Provider) -> dict[str, Any]:
    """The verified claims (id_token, then UserInfo) of the login this callback completes."""
    client = client_for(provider)
    metadata = _metadata(client, provider)
    state = request.GET.get("state", "")
    saved = client.framework.get_state_data(request.session, state) if state else None
    if state:
        client.framework.clear_state_data(request.session, state)  # one use only
    if not saved or not saved.get("nonce") or not saved.get("code_verifier"):
        raise LoginFailedError("unknown or reused state")
    code = request.GET.get("code")
    if not code:
        raise LoginFailedError("no code in the callback")
    token = client.fetch_access_token(
        code=code, redirect_uri=saved["redirect_uri"], code_verifier=saved["code_verifier"]
    )
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise LoginFailedError("the token response has no id_token")
    alg = jws.extract_compact(id_token.encode()).protected.get("alg")
    if alg not in SIGNING_ALGS:
        raise LoginFailedError(f"id_token signed with {alg!r}")
    claims = client.parse_id_token(
        token,
        nonce=saved["nonce"],
        claims_options={
            "iss": {"essential": True, "value": provider.issuer},
            "aud": {"essential": True, "value": provider.client_id},
            "sub": {"essential": True},
            "nonce": {"essential": True},
        },
    )
    verified: dict[str, Any] = dict(claims)
    if metadata.get("userinfo_endpoint"):
        userinfo = client.userinfo(token=token)
        if userinfo.get("sub") != verified["sub"]:
            raise LoginFailedError("UserInfo sub differs from the id_token's")
        registered = {"iss", "sub", "aud", "exp", "iat", "nonce", "auth_time", "azp"}
        verified.update({k: v for k, v in userinfo.items() if k not in registered})
    return verified
