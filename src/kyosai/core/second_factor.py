"""The TOTP second factor (django-otp): set up once per account, asked at every login.

A member or staff user reaches /portal/ and /staff/ only with a session verified by a code
from their authenticator app (see web/public/second_factor.py for the pages and middleware).
"""

from base64 import b32encode

from django.contrib.auth.models import User
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyosai.core.audit import record


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            return device
    return None


@transaction.atomic
def do_start_totp_setup(*, acting_user: User) -> TOTPDevice:
    """The unconfirmed device to scan (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=acting_user, name="認証アプリ", confirmed=False)
        record("user.totp_setup", acting_user, actor=acting_user)
    return device


WRONG_CODE = "数字が一致しません。認証アプリの最新の数字を入力してください。"
THROTTLED = "続けて間違えたため、しばらく待ってから入力してください。"


def code_error(device: TOTPDevice, token: str) -> str | None:
    """Why `token` does not pass for `device` (Japanese), or None when it does.

    Wrong codes slow further tries down (django-otp's throttling), so a guess cannot be brute
    forced; a try during the wait is told to wait rather than that the code is wrong.
    """
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return THROTTLED
    return None if device.verify_token(token) else WRONG_CODE


@transaction.atomic
def check_confirm_totp(device: TOTPDevice, token: str, *, acting_user: User) -> str | None:
    """Confirm `device` with a code it produced; the reason (nothing saved) when it does not."""
    if device.user_id != acting_user.pk:
        return WRONG_CODE
    error = code_error(device, token)
    if error is None:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record("user.totp_confirm", acting_user, actor=acting_user, device=device.pk)
    return error


def secret_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
