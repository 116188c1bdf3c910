"""The yearly certificates from the command line (the scheduler calls these):

manage.py certificates issue --kind deduction --year 2026 --edition autumn --on 2026-11-10
manage.py certificates issue --kind deduction --year 2026 --edition final --on 2027-02-10
manage.py certificates issue --kind payment_statement --year 2026 --on 2027-02-10

Issued and stored range by range, side by side in --workers processes (KYOSAI_CERT_WORKERS);
run again, it issues only what is missing.
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyosai.certificates.actions import batch_for, issue_year
from kyosai.certificates.models import IssuedCertificate
from kyosai.cli import date_arg, positive_arg
from kyosai.core.errors import ApplicationError


class Command(BaseCommand):
    help = "控除証明書・掛金納付状況兼領収書の一括発行"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        issue = steps.add_parser("issue")
        issue.add_argument(
            "--kind",
            required=True,
            choices=[IssuedCertificate.Kind.DEDUCTION, IssuedCertificate.Kind.PAYMENT_STATEMENT],
        )
        issue.add_argument("--year", required=True, type=int, help="年分（暦年）")
        issue.add_argument(
            "--edition",
            default=IssuedCertificate.Edition.YEAR,
            choices=[e.value for e in IssuedCertificate.Edition if e != "request"],
        )
        issue.add_argument("--on", required=True, type=date_arg, help="発行日")
        issue.add_argument("--workers", type=positive_arg, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            batch = batch_for(options["kind"], options["year"], options["edition"], options["on"])
            started = time.perf_counter()
            done = issue_year(batch, workers=options["workers"])
        except ApplicationError as exc:
            raise CommandError(exc.message_ja) from None
        seconds = time.perf_counter() - started
        label = IssuedCertificate.Kind(batch.kind).label
        self.stdout.write(
            f"{label} {batch.year}年分（{batch.edition}）: {done.issued:,}件を発行しました"
            f"（{done.ranges}区間、{seconds:.1f}秒）"
        )
