"""manage.py scorecards refresh [--since YYYY-MM] [--today YYYY-MM-DD]

Rebuilds the scorecard's tallies (scorecards/tallies.py) from the procedures: run it nightly.
Without --since it rebuilds the months that may still change; with it, every month from then on.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kyosai.cli import date_arg
from kyosai.scorecards.tallies import refresh


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(
            f"--since は 2025-04 のように年と月で指定してください（{text}）"
        ) from None


class Command(BaseCommand):
    help = "スコアカード（オンライン利用率・STP率・不備率・処理時間）の集計を作り直す"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        again = steps.add_parser("refresh")
        again.add_argument("--since", type=str, help="この月から作り直す（YYYY-MM）")
        again.add_argument("--today", type=date_arg, help="基準日（既定: 今日）")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _month(options["since"]) if options["since"] else None
        done = refresh(today=options["today"] or timezone.localdate(), since=since)
        self.stdout.write(
            f"{done.since:%Y-%m} 以降を集計し直しました: {done.rows:,} 行, {done.seconds} 秒"
        )
