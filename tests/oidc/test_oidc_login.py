"""Login through GビズID and マイナンバーカード against local OpenID Connect providers."""

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyosai.accounts.actions import SignInRefusedError, do_sign_in_external
from kyosai.accounts.models import ExternalIdentity
from kyosai.core.models import AuditLog
from tests.helpers import sign_in
from tests.oidc.provider import LocalProvider

pytestmark = pytest.mark.django_db


def start(client: Client, name: str, op: LocalProvider) -> str:
    """The app's redirect to the provider's authorization endpoint."""
    response = client.get(f"/oidc/{name}/login/")
    assert response.status_code == 302
    location: str = response["Location"]
    assert location.startswith(f"{op.issuer}/authorize?")
    return location


def at_provider(authorize_url: str) -> str:
    """What the member's browser does at the provider: the callback URL it is sent back to."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def log_in(client: Client, name: str, op: LocalProvider) -> HttpResponse:
    """login → provider → callback; the callback's response."""
    response: HttpResponse = client.get(at_provider(start(client, name, op)))
    return response


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def actions() -> list[str]:
    return list(AuditLog.objects.order_by("pk").values_list("action", flat=True))


def test_gbizid_login_creates_the_user_and_opens_the_portal_without_totp(
    client: Client, gbizid: LocalProvider
) -> None:
    response = log_in(client, "gbizid", gbizid)
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"

    user = signed_in_user(client)
    assert user is not None
    assert user.username == "gbizid:gbiz-0001"
    assert not user.has_usable_password()
    # Attributes come from UserInfo (GビズID puts none in the id_token).
    assert (user.last_name, user.first_name, user.email) == ("共済", "太郎", "taro@example.jp")
    identity = ExternalIdentity.objects.get()
    assert (identity.provider, identity.subject, identity.user) == ("gbizid", "gbiz-0001", user)
    assert actions() == ["user.oidc_link", "user.oidc_login"]
    assert AuditLog.objects.filter(action="user.oidc_login").get().data["provider"] == "gbizid"

    portal = client.get("/portal/")
    assert portal.status_code == 200
    assert "マイページ" in portal.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_request_uses_code_flow_with_pkce_s256_state_and_nonce(
    client: Client, gbizid: LocalProvider
) -> None:
    query = {k: v[0] for k, v in parse_qs(urlsplit(start(client, "gbizid", gbizid)).query).items()}
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert query["client_id"] == gbizid.client_id
    assert query["redirect_uri"] == "http://testserver/oidc/gbizid/callback/"
    assert set(query["scope"].split()) == {"openid", "profile", "email"}
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    client.get(at_provider(start(client, "gbizid", gbizid)))
    # The verifier sent with the code hashes to the challenge sent with the request.
    verifier = gbizid.token_requests[-1]["code_verifier"]
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert digest.decode() == gbizid.authorization_requests[-1]["code_challenge"]


def test_a_second_login_signs_in_the_same_user(client: Client, gbizid: LocalProvider) -> None:
    log_in(client, "gbizid", gbizid)
    first = signed_in_user(client)
    again = Client()
    assert log_in(again, "gbizid", gbizid).status_code == 302
    assert signed_in_user(again) == first
    assert ExternalIdentity.objects.count() == 1
    assert User.objects.count() == 1
    assert actions() == ["user.oidc_link", "user.oidc_login", "user.oidc_login"]


def test_both_providers_work_side_by_side(
    client: Client, gbizid: LocalProvider, myna: LocalProvider
) -> None:
    gbizid.subject = myna.subject = "same-sub"
    log_in(client, "gbizid", gbizid)
    by_gbizid = signed_in_user(client)
    other = Client()
    log_in(other, "myna", myna)
    by_myna = signed_in_user(other)
    assert by_gbizid is not None and by_myna is not None and by_gbizid != by_myna
    assert by_myna.username == "myna:same-sub"
    assert set(ExternalIdentity.objects.values_list("provider", "subject")) == {
        ("gbizid", "same-sub"),
        ("myna", "same-sub"),
    }
    assert other.get("/portal/").status_code == 200


def test_login_page_shows_a_button_per_configured_provider(
    client: Client, gbizid: LocalProvider, myna: LocalProvider
) -> None:
    page = client.get("/login/").content.decode()
    assert "GビズIDでログイン" in page and 'href="/oidc/gbizid/login/"' in page
    assert "マイナンバーカードでログイン" in page and 'href="/oidc/myna/login/"' in page


def test_an_unconfigured_provider_has_no_button_and_no_urls(
    client: Client, gbizid: LocalProvider
) -> None:
    page = client.get("/login/").content.decode()
    assert "GビズIDでログイン" in page
    assert "マイナンバーカードでログイン" not in page
    assert client.get("/oidc/myna/login/").status_code == 404
    assert client.get("/oidc/myna/callback/?code=x&state=y").status_code == 404
    assert client.get("/oidc/other/login/").status_code == 404


def test_no_provider_configured_shows_no_buttons(client: Client, no_providers: None) -> None:
    page = client.get("/login/").content.decode()
    assert "でログイン" not in page
    assert client.get("/oidc/gbizid/login/").status_code == 404


def assert_refused(response: HttpResponse, client: Client, words: str) -> None:
    assert response.status_code in (400, 403, 502)
    text = response.content.decode()
    assert "ログインできませんでした" in text and words in text
    assert "Traceback" not in text
    assert signed_in_user(client) is None
    assert not ExternalIdentity.objects.exists()
    assert "user.oidc_login" not in actions()


def test_a_tampered_state_is_refused(client: Client, gbizid: LocalProvider) -> None:
    callback = at_provider(start(client, "gbizid", gbizid))
    tampered = callback.replace("state=", "state=x")
    assert_refused(client.get(tampered), client, "ログインを完了できませんでした")
    assert gbizid.token_requests == []  # the code was never even exchanged


def test_a_callback_from_another_browser_is_refused(client: Client, gbizid: LocalProvider) -> None:
    callback = at_provider(start(client, "gbizid", gbizid))
    attacker = Client()  # login CSRF: the victim's browser never started this login
    assert_refused(attacker.get(callback), attacker, "ログインを完了できませんでした")


def test_a_callback_cannot_be_replayed(client: Client, gbizid: LocalProvider) -> None:
    callback = at_provider(start(client, "gbizid", gbizid))
    assert client.get(callback).status_code == 302
    client.logout()
    response = client.get(callback)
    assert response.status_code == 400
    assert signed_in_user(client) is None


@pytest.mark.parametrize(
    "tampering",
    [
        {"id_token_overrides": {"nonce": "not-the-nonce-sent"}},
        {"id_token_overrides": {"aud": "another-client"}},
        {"id_token_overrides": {"iss": "https://evil.example/"}},
        {"id_token_overrides": {"exp": 1_000_000_000, "iat": 999_999_000}},
        {"sign_with_other_key": True},
        {"hmac_signed": True},
    ],
    ids=["wrong-nonce", "wrong-audience", "wrong-issuer", "expired", "bad-signature", "hs256"],
)
def test_a_bad_id_token_is_refused(
    client: Client, gbizid: LocalProvider, tampering: dict[str, Any]
) -> None:
    for name, value in tampering.items():
        setattr(gbizid, name, value)
    assert_refused(log_in(client, "gbizid", gbizid), client, "ログインを完了できませんでした")


def test_a_userinfo_for_another_subject_is_refused(client: Client, gbizid: LocalProvider) -> None:
    gbizid.userinfo_claims = {**gbizid.userinfo_claims, "sub": "someone-else"}
    assert_refused(log_in(client, "gbizid", gbizid), client, "ログインを完了できませんでした")


def test_access_denied_at_the_provider_ends_on_a_japanese_message(
    client: Client, myna: LocalProvider
) -> None:
    myna.error = "access_denied"
    response = log_in(client, "myna", myna)
    assert_refused(
        response, client, "マイナンバーカード（デジタル認証アプリ）でのログインが取り消されました"
    )


def test_a_discovery_naming_another_issuer_is_refused(
    client: Client, settings: Any, gbizid: LocalProvider
) -> None:
    settings.KYOSAI_OIDC_PROVIDERS = {
        "gbizid": {**settings.KYOSAI_OIDC_PROVIDERS["gbizid"], "issuer": gbizid.issuer + "/"}
    }
    response = client.get("/oidc/gbizid/login/")
    assert response.status_code == 502
    assert "GビズIDに接続できませんでした" in response.content.decode()


def test_a_signed_in_member_links_the_provider_to_their_account(
    client: Client, gbizid: LocalProvider
) -> None:
    member = User.objects.create_user("member@example.jp", password="x" * 12)
    sign_in(client, member)  # password + TOTP
    assert log_in(client, "gbizid", gbizid).status_code == 302
    assert ExternalIdentity.objects.get().user == member
    assert signed_in_user(client) == member
    link = AuditLog.objects.get(action="user.oidc_link")
    assert link.actor == member and link.data["new_user"] is False
    # From now on GビズID alone signs the member in.
    other = Client()
    log_in(other, "gbizid", gbizid)
    assert signed_in_user(other) == member


def test_an_identity_of_another_user_is_not_relinked() -> None:
    owner = do_sign_in_external("gbizid", {"sub": "s-1"})
    someone = User.objects.create_user("someone@example.jp")
    with pytest.raises(SignInRefusedError):
        do_sign_in_external("gbizid", {"sub": "s-1"}, acting_user=someone)
    assert ExternalIdentity.objects.get().user == owner


def test_an_inactive_user_cannot_sign_in() -> None:
    user = do_sign_in_external("myna", {"sub": "s-2"})
    user.is_active = False
    user.save()
    with pytest.raises(SignInRefusedError):
        do_sign_in_external("myna", {"sub": "s-2"})


def test_an_unverified_email_is_not_copied_and_never_names_the_account() -> None:
    user = do_sign_in_external("gbizid", {"sub": "s-3", "email": "x@example.jp"})
    assert (user.username, user.email) == ("gbizid:s-3", "")
    verified = do_sign_in_external(
        "myna", {"sub": "s-4", "email": "y@example.jp", "email_verified": True}
    )
    assert (verified.username, verified.email) == ("myna:s-4", "y@example.jp")


def test_a_very_long_subject_gets_a_hashed_username() -> None:
    user = do_sign_in_external("gbizid", {"sub": "s" * 255})
    assert len(user.username) <= 150 and user.username.startswith("gbizid:sha256:")
