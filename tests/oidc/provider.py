"""A minimal OpenID Connect provider for the tests, on 127.0.0.1 only.

Discovery, JWKS (an RSA key made per provider), an authorization endpoint that approves at
once as `op.subject` (or answers `op.error`), a token endpoint that checks the client's
secret (client_secret_basic), the redirect_uri and PKCE S256, and UserInfo. Knobs let a test
tamper with the id_token (`id_token_overrides`, `sign_with_other_key`).
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from pytest_django.fixtures import Settings

KID = "test-key-1"


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass
class LocalProvider:
    client_id: str = "kyosai-test"
    client_secret: str = "test-secret-long-enough-for-hs256"
    subject: str = "user-0001"
    id_token_claims: dict[str, Any] = field(default_factory=dict)
    userinfo_claims: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # e.g. "access_denied": the member said no
    id_token_overrides: dict[str, Any] = field(default_factory=dict)
    sign_with_other_key: bool = False
    hmac_signed: bool = False  # HS256 with the client secret, which a client must not accept
    issuer: str = ""
    authorization_requests: list[dict[str, str]] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": KID}))
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _tokens: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, str]:
        """The redirect back to the client (status, Location), or an HTTP error."""
        self.authorization_requests.append(query)
        if query.get("client_id") != self.client_id or "redirect_uri" not in query:
            return 400, ""
        back = query["redirect_uri"]
        state = {"state": query["state"]} if "state" in query else {}
        if self.error:
            return 302, f"{back}?{urlencode({'error': self.error, **state})}"
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return 302, f"{back}?{urlencode({'error': 'invalid_request', **state})}"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": back,
            "challenge": query.get("code_challenge", ""),
            "nonce": query.get("nonce"),
            "subject": self.subject,
        }
        return 302, f"{back}?{urlencode({'code': code, **state})}"

    def token(self, authorization: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if _s256(form.get("code_verifier", "")) != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["subject"],
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
            **self.id_token_claims,
            **self.id_token_overrides,
        }
        key = (
            RSAKey.generate_key(2048, parameters={"kid": KID})
            if self.sign_with_other_key
            else self.key
        )
        if self.hmac_signed:
            secret = OctKey.import_key(self.client_secret.encode())
            id_token = jwt.encode({"alg": "HS256"}, claims, secret)
        else:
            id_token = jwt.encode({"alg": "RS256", "kid": KID}, claims, key)
        access_token = secrets.token_urlsafe(16)
        self._tokens[access_token] = grant["subject"]
        return 200, {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": id_token,
        }

    def userinfo(self, authorization: str) -> tuple[int, dict[str, Any]]:
        subject = self._tokens.get(authorization.removeprefix("Bearer "))
        if subject is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": subject, **self.userinfo_claims}


def _handler(op: LocalProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/.well-known/openid-configuration":
                self._json(200, op.metadata())
            elif url.path == "/jwks":
                self._json(200, {"keys": [op.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, location = op.authorize(query)
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif url.path == "/userinfo":
                self._json(*op.userinfo(self.headers.get("Authorization", "")))
            else:
                self._json(404, {"error": "not_found"})

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self._json(*op.token(self.headers.get("Authorization", ""), form))

    return Handler


# What GビズID puts in UserInfo (scope profile/email); its id_token carries no personal data.
GBIZID_USERINFO = {
    "account_type": "2",
    "corporate_number": "1234567890123",
    "user_last_nm": "共済",
    "user_first_nm": "太郎",
    "email": "taro@example.jp",
    "email_verified": True,
}


def configure(settings: Settings, name: str, op: LocalProvider, **extra: Any) -> None:
    """Point provider `name` of the app at `op` (the other provider's setting is kept)."""
    providers = dict(getattr(settings, "KYOSAI_OIDC_PROVIDERS", {}))
    providers[name] = {
        "issuer": op.issuer,
        "client_id": op.client_id,
        "client_secret": op.client_secret,
        "scopes": "openid profile email",
        **extra,
    }
    settings.KYOSAI_OIDC_PROVIDERS = providers


@contextmanager
def running_provider(**options: Any) -> Iterator[LocalProvider]:
    """A LocalProvider answering on a free 127.0.0.1 port until the block ends."""
    op = LocalProvider(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(op))
    op.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield op
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
