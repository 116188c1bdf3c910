"""Demo data for `make run`: the demo logins (members and agencies arrive with their records)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_LOGINS = [
    # (username, password, role shown to the person trying the demo, is_staff, is_superuser)
    ("staff", "kyosai-staff-2026", "機構職員（審査担当）", True, False),
    ("admin", "kyosai-admin-2026", "システム管理者", True, True),
]


class Command(BaseCommand):
    help = "Create the demo logins (idempotent) and print them."

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()
        for username, password, role, is_staff, is_superuser in DEMO_LOGINS:
            user, _ = users.objects.get_or_create(username=username)
            user.is_staff, user.is_superuser = is_staff, is_superuser
            user.set_password(password)
            user.save()
            self.stdout.write(f"  {role}: ユーザー名 {username} / パスワード {password}")
        self.stdout.write("デモ用ログイン: http://127.0.0.1:8000/login/")
