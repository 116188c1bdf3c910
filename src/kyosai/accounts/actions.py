"""Signing in with an external identity: find the linked user, or link one, and audit it.

Decision on accounts: a user first seen through a provider gets the username
f"{provider}:{subject}" (hashed when longer than Django's 150 characters) and no usable
password. The e-mail address is *not* used to find or name the account, even when the provider
says it is verified: matching on e-mail would let whoever controls an address at one provider
take over the account registered with it elsewhere. A verified address is only copied to
User.email. To use a provider with an existing account, the member signs in as usual
(password + 二段階認証) and then through the provider: the identity is linked to that user
(`acting_user`).
"""

import hashlib
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from kyosai.accounts.models import ExternalIdentity
from kyosai.core.audit import record


class SignInRefusedError(Exception):
    """The identity cannot sign in (inactive user, or linked to someone else)."""


def external_username(provider: str, subject: str) -> str:
    username = f"{provider}:{subject}"
    if len(username) <= 150:
        return username
    return f"{provider}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"


def _text(claims: Mapping[str, Any], name: str) -> str:
    value = claims.get(name)
    return value[:150] if isinstance(value, str) else ""


def _new_user(provider: str, subject: str, claims: Mapping[str, Any]) -> User:
    user = User(
        username=external_username(provider, subject),
        # GビズID names its claims user_last_nm / user_first_nm; standard OIDC uses family_name.
        last_name=_text(claims, "user_last_nm") or _text(claims, "family_name"),
        first_name=_text(claims, "user_first_nm") or _text(claims, "given_name"),
    )
    if claims.get("email_verified") is True:
        user.email = _text(claims, "email")
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def do_sign_in_external(
    provider: str, claims: Mapping[str, Any], *, acting_user: User | None = None
) -> User:
    """The user who signs in with `claims` (already verified) from `provider`.

    A known (provider, sub) signs in its user. An unknown one is linked to `acting_user` (a
    member already signed in with the second factor) or to a new user. Raises
    SignInRefusedError when the user is inactive, or when `acting_user` differs from the
    user the identity already belongs to.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SignInRefusedError("the claims carry no sub")
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
        if acting_user is not None and acting_user.pk != user.pk:
            raise SignInRefusedError("the identity belongs to another user")
    else:
        user = acting_user if acting_user is not None else _new_user(provider, subject, claims)
        identity = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        record(
            "user.oidc_link",
            user,
            actor=acting_user or user,
            provider=provider,
            identity=identity.pk,
            new_user=acting_user is None,
        )
    if not user.is_active:
        raise SignInRefusedError("the user is inactive")
    record("user.oidc_login", user, actor=user, provider=provider, identity=identity.pk)
    return user
