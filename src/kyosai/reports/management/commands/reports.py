"""The management reports from the command line:

manage.py reports import-plan FILE      加入促進計画 (scheme,fiscal_year,dimension,key,target)

A file with any bad line is refused whole, each problem named with its line; a good file replaces
the plan of every (scheme, 年度) it names (audited).
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyosai.reports.plan import PlanError, do_replace_plans, read_plan_file
from kyosai.reports.tables import SCHEME_NAME, year_label


class Command(BaseCommand):
    help = "加入促進計画の取込 (import-plan FILE)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        plan = steps.add_parser("import-plan")
        plan.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} を読めません: {error.strerror}") from None
        try:
            lines = read_plan_file(data)
            plans = do_replace_plans(lines, source=f"file:{path.name}", acting_user=None)
        except PlanError as error:
            raise CommandError(f"{path.name}: {error.message_ja}") from None
        for scheme, year in plans:
            count = sum(1 for line in lines if (line.scheme, line.fiscal_year) == (scheme, year))
            self.stdout.write(
                f"{SCHEME_NAME[scheme]} {year_label(year)}の加入促進計画を取り込みました（{count}行）"
            )
