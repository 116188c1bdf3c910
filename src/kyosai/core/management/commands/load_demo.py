"""`manage.py load_demo`: the demo book and logins for `make run` (idempotent)."""

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.utils import timezone

from kyosai.core.second_factor import confirmed_device, secret_text
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
            device = confirmed_device(User.objects.get(username=username))
            key = secret_text(device) if device else "—"
            self.stdout.write(
                f"  {role}: ユーザー名 {username} / パスワード {password} / 認証アプリのキー {key}"
            )
        self.stdout.write("ログイン: http://127.0.0.1:8000/login/")
        self.stdout.write(
            "二段階認証の数字: 認証アプリにキーを登録するか、python manage.py demo_code ユーザー名"
        )
