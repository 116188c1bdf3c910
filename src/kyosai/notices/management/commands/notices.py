"""manage.py notices print --date 2026-12-03 [--per-file 500]: the day's print data of the
notices waiting for paper (PDFs and a CSV manifest under KYOSAI_PRINT_DIR/<date>/). Running it
again finishes what a crash left and prints only what was not printed."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kyosai.cli import date_arg, positive_arg
from kyosai.notices.printing import print_dir, print_notices


class Command(BaseCommand):
    help = "お知らせの印刷データ（PDFと送付リストCSV）を作る"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        make = steps.add_parser("print")
        make.add_argument("--date", required=True, type=date_arg, help="印刷日")
        make.add_argument("--per-file", type=positive_arg, default=None, help="1ファイルの枚数")

    def handle(self, *args: Any, **options: Any) -> None:
        run = print_notices(options["date"], per_file=options["per_file"])
        files = list(run.files.order_by("number"))
        self.stdout.write(
            f"印刷データ {print_dir(run)}: {len(files)}ファイル "
            f"{sum(f.pages for f in files):,}通（1ファイル{run.per_file}通まで）"
        )
