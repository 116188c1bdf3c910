"""Second-factor pages and the middleware that requires a verified session.

After the password, a user without an authenticator is sent to set one up (scan the QR code,
type a code); a user with one types the current code. Only then do /portal/, /staff/ and
/agency/ open.
"""

from collections.abc import Callable

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.middleware import is_verified

from kyosai.core.second_factor import (
    check_confirm_totp,
    code_error,
    confirmed_device,
    do_start_totp_setup,
    secret_text,
)
from kyosai.formats.kana import normalize_text

MEMBER_PREFIX = "/portal/"
PROTECTED_PREFIXES = (MEMBER_PREFIX, "/staff/", "/agency/")
# Set by an OpenID Connect login (web/accounts): GビズID and マイナンバーカード are themselves
# strong (multi-factor) authentication, so that session needs no TOTP code on top. Only that
# login sets it, after django.contrib.auth.login() has started the user's new session.
VERIFIED_BY_SESSION_KEY = "verified_by"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="認証アプリに表示された6桁の数字",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = normalize_text(self.cleaned_data["code"]).replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("6桁の数字を入力してください。")
        return code


class SecondFactorMiddleware:
    """A signed-in user reaches /portal/, /staff/ and /agency/ only with a verified second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path.startswith(PROTECTED_PREFIXES)
            and user.is_authenticated
            and not is_verified(user)  # the device OTPMiddleware found in the session
            # A GビズID/マイナンバーカード login verifies a member on the member portal; staff and
            # agency clerks always use their TOTP.
            and not (
                request.session.get(VERIFIED_BY_SESSION_KEY)
                and not user.is_staff
                and request.path.startswith(MEMBER_PREFIX)
            )
        ):
            step = "public:totp_verify" if confirmed_device(user) else "public:totp_setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/portal/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/portal/"
    return target


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if confirmed_device(user):
        return redirect(f"{reverse('public:totp_verify')}?next={_next(request)}")
    device = do_start_totp_setup(acting_user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = check_confirm_totp(device, form.cleaned_data["code"], acting_user=user)
        if error is None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", error)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="認証アプリに読み取らせるQRコード"
    )
    return render(
        request,
        "public/totp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret_text(device), "next": _next(request)},
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    device = confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('public:totp_setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = code_error(device, form.cleaned_data["code"])
        if error is None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", error)
    return render(request, "public/totp_verify.html", {"form": form, "next": _next(request)})
