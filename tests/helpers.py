"""Signing in from tests: the one place that knows what a fully signed-in session needs."""

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyosai.core.second_factor import confirmed_device


def sign_in(client: Client, user: User) -> Client:
    """Sign `user` in on `client` as if they had passed the password and the second factor."""
    client.force_login(user)
    device = confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def current_code(key: bytes) -> str:
    """The code an authenticator app shows now for `key` (30-second steps, 6 digits)."""
    return f"{TOTP(key).token():06d}"
