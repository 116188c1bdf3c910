"""The monthly premium cycle from the command line (a scheduler calls these):

manage.py billing run --scheme tosan --month 2026-12        bills and 全銀 files (resumes)
manage.py billing import FILE… --on 2026-12-30              振替結果 files (each once)
manage.py billing review --scheme tosan --month 2026-12 --on 2026-12-31   arrears notices
manage.py billing open --scheme tosan --through 2026-11 --on 2026-11-30   take over balances
"""

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyosai.billing.arrears import review_arrears
from kyosai.billing.models import BillingRun
from kyosai.billing.results import import_result
from kyosai.billing.runs import bill_month, open_balances
from kyosai.formats.zengin import ZenginFileError
from kyosai.rules.scheme import Scheme


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


class Command(BaseCommand):
    help = "口座振替: run a month, import results, review arrears, take over balances"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        run = steps.add_parser("run")
        run.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        run.add_argument("--month", required=True, type=_month, help="YYYY-MM")
        results = steps.add_parser("import")
        results.add_argument("files", nargs="+", type=Path)
        results.add_argument("--on", required=True, type=dt.date.fromisoformat)
        review = steps.add_parser("review")
        review.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        review.add_argument("--month", required=True, type=_month, help="YYYY-MM")
        review.add_argument("--on", required=True, type=dt.date.fromisoformat)
        opening = steps.add_parser("open")
        opening.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        opening.add_argument("--through", required=True, type=_month, help="YYYY-MM")
        opening.add_argument("--on", required=True, type=dt.date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        if step == "run":
            run = bill_month(Scheme(options["scheme"]), options["month"])
            for f in run.files.order_by("bank_code"):
                self.stdout.write(f"{f.name}: {f.records:,}件 {f.total_yen:,}円")
        elif step == "import":
            for path in options["files"]:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    raise CommandError(f"{path} を読めません: {error.strerror}") from None
                try:
                    done = import_result(data, name=path.name, imported_on=options["on"])
                except ZenginFileError as error:
                    lines = "\n".join(
                        f"  {e.line}行目 {e.field}: {e.message_ja}" for e in error.errors
                    )
                    raise CommandError(f"{path.name} は取り込めません:\n{lines}") from None
                self.stdout.write(
                    f"{path.name}: 振替済 {done.paid_count:,}件 {done.paid_yen:,}円、"
                    f"振替不能 {done.failed_count:,}件 {done.failed_yen:,}円"
                )
        elif step == "review":
            reviewed = BillingRun.objects.filter(
                scheme=options["scheme"], month=options["month"]
            ).first()
            if reviewed is None:
                raise CommandError("その月の振替処理がありません")
            review = review_arrears(reviewed, on=options["on"], acting_user=None)
            self.stdout.write(
                f"再請求のお知らせ {review.rebilling_notices:,}件、解除予告 {review.warnings:,}件、"
                f"解消 {review.lifted:,}件、機構解約 {len(review.cancelled):,}件"
            )
        else:
            opened = open_balances(
                Scheme(options["scheme"]), options["through"], posted_on=options["on"]
            )
            self.stdout.write(f"{opened:,}件の契約の残高を引き継ぎました")
