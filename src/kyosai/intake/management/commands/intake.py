"""Paper intake from the command line:

manage.py intake import FILE --received-on 2026-11-20     a BPO file of keyed 加入申込書 (once)

The file is checked whole first; a refused file lists every problem by line and column and
nothing of it is kept. Importing the same file again changes nothing.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from kyosai.cli import date_arg
from kyosai.core.errors import ApplicationError
from kyosai.intake.actions import IntakeRejectedError, do_import_intake_file
from kyosai.intake.models import IntakeRow


class Command(BaseCommand):
    help = "書面の加入申込書: import a BPO file of keyed forms"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        imported = steps.add_parser("import")
        imported.add_argument("file", type=Path)
        imported.add_argument(
            "--received-on", required=True, type=date_arg, help="受付日 YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} を読めません: {error.strerror}") from None
        try:
            result = do_import_intake_file(
                data,
                name=path.name,
                received_on=options["received_on"],
                acting_user=AnonymousUser(),  # the operator's scheduled job: no login
            )
        except IntakeRejectedError as exc:
            lines = "\n".join(f"  {e.line}行目 {e.field}: {e.message_ja}" for e in exc.errors)
            raise CommandError(f"{path.name} は取り込めません:\n{lines}") from None
        except ApplicationError as exc:
            raise CommandError(exc.message_ja) from None
        file = result.file
        if not result.created:
            self.stdout.write(f"{path.name} は取込済みです（{file.imported_at:%Y-%m-%d %H:%M}）。")
            return
        counts = dict(
            file.forms.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        self.stdout.write(
            f"{path.name}: {file.form_count}件 — "
            f"申込受付 {counts.get(IntakeRow.Status.SUBMITTED, 0)}件、"
            f"不備 {counts.get(IntakeRow.Status.DEFICIENT, 0)}件、"
            f"二次入力待ち {counts.get(IntakeRow.Status.KEYING, 0)}件"
        )
