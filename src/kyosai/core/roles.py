"""Staff roles: Django groups a staff user is put in. A role is needed on top of `is_staff`.

- 審査担当 (reviewer): works the review queue, decides procedures, looks members up.
- 承認担当 (approver): the same, as the second pair of eyes.
- 管理者 (administrator): reads every page of the console and, alone, the audit log; decides nothing.

The groups are created by migration core/0002_staff_roles. Superusers hold every role.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "審査担当"
    APPROVER = "approver", "承認担当"
    ADMINISTRATOR = "administrator", "管理者"


# Cached on the user object, so that one request asks the database once.
_CACHE = "_kyosai_roles"


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The roles `user` holds (none for an anonymous or inactive user; all for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, _CACHE, None)
    if cached is None:
        if getattr(user, "is_superuser", False):
            cached = frozenset(Role)
        else:
            names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)  # type: ignore[attr-defined]
            cached = frozenset(Role(name) for name in names)
        setattr(user, _CACHE, cached)
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    """Whether `user` holds `role` (superusers hold every role)."""
    return role in roles_of(user)
