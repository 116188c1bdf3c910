"""Signing in from tests: the one place that knows what a fully signed-in session needs."""

from django.contrib.auth.models import User
from django.test import Client


def sign_in(client: Client, user: User) -> Client:
    """Sign `user` in on `client` as if they had passed every login step."""
    client.force_login(user)
    return client
