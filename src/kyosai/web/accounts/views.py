"""Login through GビズID or マイナンバーカード (OpenID Connect); see oidc.py for the checks."""

import logging

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp.middleware import is_verified

from kyosai.accounts.actions import SignInRefusedError, do_sign_in_external
from kyosai.accounts.providers import Provider, get_provider
from kyosai.web.accounts import oidc
from kyosai.web.public.second_factor import VERIFIED_BY_SESSION_KEY

logger = logging.getLogger("kyosai.accounts.oidc")

CANCELLED = "{name}でのログインが取り消されました。もう一度お試しいただくか、別の方法でログインしてください。"
FAILED = "{name}でのログインを完了できませんでした。お手数ですが、もう一度ログインしてください。"
UNREACHABLE = "{name}に接続できませんでした。しばらくしてからもう一度お試しください。"
REFUSED = "この{name}のアカウントではログインできません。お問い合わせ窓口にご連絡ください。"


def _provider(name: str) -> Provider:
    provider = get_provider(name)
    if provider is None:
        raise Http404("no such provider")
    return provider


def _error(request: HttpRequest, message: str, provider: Provider, status: int) -> HttpResponse:
    return render(
        request,
        "accounts/oidc_error.html",
        {"message": message.format(name=provider.display_name)},
        status=status,
    )


def login_start(request: HttpRequest, provider: str) -> HttpResponse:
    op = _provider(provider)
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_callback", args=[op.name]))
    try:
        return oidc.start(request, op, redirect_uri)
    except Exception:  # the provider is down or misconfigured: a message, never a traceback
        logger.exception("OIDC %s: cannot start the login", op.name)
        return _error(request, UNREACHABLE, op, status=502)


def _acting_user(request: HttpRequest) -> User | None:
    """A member signed in with the second factor links the provider to their account."""
    user = request.user
    if isinstance(user, User) and (
        is_verified(user) or request.session.get(VERIFIED_BY_SESSION_KEY)
    ):
        return user
    return None


def callback(request: HttpRequest, provider: str) -> HttpResponse:
    op = _provider(provider)
    error = request.GET.get("error")
    if error:
        logger.warning(
            "OIDC %s: the provider answered error=%s (%s)",
            op.name,
            error[:100],
            request.GET.get("error_description", "")[:300],
        )
        return _error(request, CANCELLED if error == "access_denied" else FAILED, op, status=400)
    try:
        claims = oidc.finish(request, op)
    except Exception:  # state, token or signature refused, or the provider failed: log it all
        logger.exception("OIDC %s: login refused", op.name)
        return _error(request, FAILED, op, status=400)
    try:
        user = do_sign_in_external(op.name, claims, acting_user=_acting_user(request))
    except SignInRefusedError as refused:
        logger.warning("OIDC %s: sub=%s refused: %s", op.name, claims.get("sub"), refused)
        return _error(request, REFUSED, op, status=403)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # After login(): it starts a new session (key and, for another user, contents).
    request.session[VERIFIED_BY_SESSION_KEY] = op.name
    return redirect(settings.LOGIN_REDIRECT_URL)
