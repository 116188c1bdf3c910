"""`manage.py demo_code USER`: the current second-factor code of a demo login (DEBUG only).

For people trying the demo without an authenticator app; refused outside DEBUG, where it would
let anyone with a shell skip the second factor.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP

from kyosai.core.second_factor import confirmed_device


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (only with DEBUG on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_code は開発用（DEBUG）の環境でのみ使えます。")
        user = User.objects.filter(username=options["username"]).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{options['username']} には認証アプリが登録されていません。")
        self.stdout.write(f"{TOTP(device.bin_key).token():06d}")
