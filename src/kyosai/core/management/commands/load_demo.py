"""`manage.py load_demo`: the demo book and logins for `make run` (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kyosai.demo import LOGINS, load_demo


class Command(BaseCommand):
    help = "Create the demo book (once) and the demo logins, and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(today=timezone.localdate())
        made = "作成しました" if summary.created else "作成済みです"
        self.stdout.write(
            f"デモデータを{made}: 会員 {summary.members:,}、契約 {summary.contracts:,}、"
            f"委託機関 {summary.agencies:,}"
        )
        for username, password, role, _, _ in LOGINS:
            self.stdout.write(f"  {role}: ユーザー名 {username} / パスワード {password}")
        self.stdout.write("ログイン: http://127.0.0.1:8000/login/")
