"""分割共済金 from the command line (a scheduler calls it before making the day's transfer file):

manage.py benefits instalments --on 2027-01-15    approve the payouts of every instalment due

Each instalment is approved once, whenever the command runs again; it prints what it approved.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyosai.benefits.actions import approve_due_instalments
from kyosai.cli import date_arg
from kyosai.core.errors import ApplicationError


class Command(BaseCommand):
    help = "分割共済金: approve the payouts of the instalments due by a day"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        due = steps.add_parser("instalments")
        due.add_argument("--on", required=True, type=date_arg, help="この日までの支給分")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            approved = approve_due_instalments(on=options["on"], acting_user=None)
        except ApplicationError as exc:
            raise CommandError(exc.message_ja) from None
        self.stdout.write(
            f"分割共済金 {len(approved):,}件 {sum(p.amount_yen for p in approved):,}円の"
            f"支払いを承認しました（{options['on']:%Y年%-m月%-d日}までの支給分）。"
        )
