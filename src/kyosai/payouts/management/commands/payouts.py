"""Payouts from the command line (a scheduler or an operator calls these):

manage.py payouts file --on 2026-12-14                 the 総合振込 file of everything due
manage.py payouts confirm NAME --on 2026-12-14 [--returned 600000194 …]   the bank carried it out
manage.py payouts write-pending                         write files a crash left unwritten

Each prints what it did in Japanese and exits non-zero when the step is refused.
"""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyosai.cli import date_arg
from kyosai.core.errors import ApplicationError
from kyosai.payouts.actions import (
    do_confirm_transfer_file,
    do_make_transfer_file,
    write_pending_files,
)
from kyosai.payouts.models import TransferFile


class Command(BaseCommand):
    help = "総合振込: make the file of the payouts due, confirm a file the bank carried out"

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        make = steps.add_parser("file")
        make.add_argument("--on", required=True, type=date_arg, help="振込指定日")
        confirm = steps.add_parser("confirm")
        confirm.add_argument("name", help="the file's name, as `payouts file` printed it")
        confirm.add_argument("--on", required=True, type=date_arg, help="振込日")
        confirm.add_argument(
            "--returned", nargs="*", default=[], help="共済契約者番号 of payouts the bank returned"
        )
        steps.add_parser("write-pending")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["step"] == "file":
                made = do_make_transfer_file(pay_on=options["on"], acting_user=None)
                self.stdout.write(
                    f"総合振込ファイル {made.name}: {made.records:,}件 {made.total_yen:,}円"
                    f"（振込指定日 {made.pay_on:%Y年%-m月%-d日}）"
                )
            elif options["step"] == "confirm":
                self._confirm(options["name"], options["on"], options["returned"])
            else:
                for written in write_pending_files():
                    self.stdout.write(f"書き出しました: {written.name}")
        except ApplicationError as exc:
            raise CommandError(exc.message_ja) from None

    def _confirm(self, name: str, on: dt.date, returned_numbers: list[str]) -> None:
        file = TransferFile.objects.filter(name=name).first()
        if file is None:
            raise CommandError(f"総合振込ファイル {name} はありません。")
        by_number = {p.contract.number: p.pk for p in file.payouts.select_related("contract")}
        unknown = sorted(set(returned_numbers) - by_number.keys())
        if unknown:
            raise CommandError(f"このファイルにない共済契約者番号です: {'、'.join(unknown)}")
        returned = {by_number[number] for number in returned_numbers}
        do_confirm_transfer_file(file, returned=returned, confirmed_on=on, acting_user=None)
        self.stdout.write(
            f"{name}: 振込済 {file.records - len(returned):,}件、振込不能 {len(returned):,}件を記録しました。"
        )
