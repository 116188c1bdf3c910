"""The monthly premium cycle from the command line (a scheduler calls these):

manage.py billing run --scheme tosan --month 2026-12        bills and 全銀 files (resumes)
manage.py billing import FILE… --on 2026-12-30              振替結果 files (each once)
manage.py billing review --scheme tosan --month 2026-12 --on 2026-12-31   arrears notices
manage.py billing open --scheme tosan --through 2026-11 --on 2026-11-30   take over balances
manage.py billing close-discounts --fiscal-year 2026 [--on 2027-03-31]   前納減額金の3月締め
manage.py billing pay-discounts --fiscal-year 2026 [--paid-on 2027-06-15]   6月の支払（総合振込）

The two 前納減額金 steps take both schemes at once, each with its own journal and 総合振込 file:
the operator runs one command a year, and a repeat finishes what an interrupted one left.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from kyosai.billing.arrears import review_arrears
from kyosai.billing.discounts import (
    Close,
    DiscountError,
    DiscountPayout,
    close_discounts,
    pay_discounts,
)
from kyosai.billing.models import BillingRun
from kyosai.billing.results import import_results
from kyosai.billing.runs import bill_month, open_balances
from kyosai.cli import date_arg, month_arg
from kyosai.contracts.models import SCHEME_CHOICES
from kyosai.formats.zengin import LineError, ZenginError
from kyosai.loans.collection import (
    bill_repayments,
    import_repayment_results,
    is_repayment_result,
    review_late_loans,
)
from kyosai.rules.calendar import fiscal_year_end
from kyosai.rules.scheme import Scheme

SCHEME_NAMES = dict(SCHEME_CHOICES)


def _refusal(name: str, errors: tuple[LineError, ...]) -> str:
    lines = "\n".join(f"  {e.line}行目 {e.field}: {e.message_ja}" for e in errors)
    return f"{name} は取り込めません:\n{lines}"


class Command(BaseCommand):
    help = (
        "口座振替: run a month, import results, review arrears, take over balances; "
        "前納減額金: the March close and the June payout"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True)
        run = steps.add_parser("run")
        run.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        run.add_argument("--month", required=True, type=month_arg, help="YYYY-MM")
        results = steps.add_parser("import")
        results.add_argument("files", nargs="+", type=Path)
        results.add_argument("--on", required=True, type=date_arg)
        review = steps.add_parser("review")
        review.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        review.add_argument("--month", required=True, type=month_arg, help="YYYY-MM")
        review.add_argument("--on", required=True, type=date_arg)
        opening = steps.add_parser("open")
        opening.add_argument("--scheme", required=True, choices=[s.value for s in Scheme])
        opening.add_argument("--through", required=True, type=month_arg, help="YYYY-MM")
        opening.add_argument("--on", required=True, type=date_arg)
        close = steps.add_parser("close-discounts")
        close.add_argument(
            "--fiscal-year", required=True, type=int, help="年度 (2026: 2026-04〜2027-03)"
        )
        close.add_argument("--on", type=date_arg, help="計上日 (default: 3月31日)")
        pay = steps.add_parser("pay-discounts")
        pay.add_argument("--fiscal-year", required=True, type=int)
        pay.add_argument("--paid-on", type=date_arg, help="振込指定日 (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        if step == "run":
            run = bill_month(Scheme(options["scheme"]), options["month"])
            for f in run.files.order_by("bank_code"):
                self.stdout.write(f"{f.name}: {f.records:,}件 {f.total_yen:,}円")
            # 償還金 are debited on the scheme's premium 振替日
            repayments = (
                bill_repayments(options["month"], Scheme(run.scheme))
                .bills.aggregate(count=Count("pk"), total=Sum("amount_yen"))
            )  # fmt: skip
            self.stdout.write(
                f"償還金の口座振替: {repayments['count']:,}件 {repayments['total'] or 0:,}円"
            )
        elif step == "import":
            files = []
            for path in options["files"]:
                try:
                    files.append((path.name, path.read_bytes()))
                except OSError as error:
                    raise CommandError(f"{path} を読めません: {error.strerror}") from None
            refused = []
            # 償還金 results carry the repayments' requester code; the rest are premiums'.
            loans = [f for f in files if is_repayment_result(f[1])]
            premiums = [f for f in files if not is_repayment_result(f[1])]
            for outcome in import_results(premiums, imported_on=options["on"]):
                if (done := outcome.imported) is None:
                    refused.append(_refusal(outcome.name, outcome.errors))
                    continue
                self.stdout.write(
                    f"{outcome.name}: 振替済 {done.paid_count:,}件 {done.paid_yen:,}円、"
                    f"振替不能 {done.failed_count:,}件 {done.failed_yen:,}円"
                )
            for repaid in import_repayment_results(loans, imported_on=options["on"]):
                if repaid.imported is None:
                    refused.append(_refusal(repaid.name, repaid.errors))
                else:
                    self.stdout.write(f"{repaid.name}: 償還金の振替結果を取り込みました")
            if refused:
                raise CommandError("\n".join(refused))
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
            if reviewed.scheme == Scheme.TOSAN:
                late = review_late_loans(options["on"], acting_user=None)
                self.stdout.write(
                    f"償還の遅れ: 掛金から充当 {len(late.taken_from_premiums):,}件、"
                    f"一括償還の請求 {len(late.due_in_full):,}件"
                )
        elif step == "close-discounts":
            year = options["fiscal_year"]
            on = options["on"] or fiscal_year_end(year)
            try:
                for scheme in Scheme:
                    self._closed(scheme, year, close_discounts(year, scheme=scheme, posted_on=on))
            except DiscountError as error:
                raise CommandError(error.message_ja) from None
        elif step == "pay-discounts":
            year = options["fiscal_year"]
            paid_on = options["paid_on"] or timezone.localdate()
            try:
                for scheme in Scheme:
                    self._paid(scheme, year, pay_discounts(year, scheme=scheme, paid_on=paid_on))
            except DiscountError as error:
                raise CommandError(error.message_ja) from None
            except ZenginError as error:  # a member's account the bank file cannot carry
                raise CommandError(f"総合振込ファイルを作れません: {error.message_ja}") from None
        else:
            opened = open_balances(
                Scheme(options["scheme"]), options["through"], posted_on=options["on"]
            )
            self.stdout.write(f"{opened:,}件の契約の残高を引き継ぎました")

    def _closed(self, scheme: Scheme, year: int, close: Close) -> None:
        done = "確定しました" if close.created else "すでに確定しています（変更はありません）"
        self.stdout.write(
            f"{SCHEME_NAMES[scheme]} {year}年度の前納減額金を{done}: 前納 {close.prepayments:,}件、"
            f"契約 {close.contracts:,}件、{close.total_yen:,}円"
        )
        if close.pending:
            self.stdout.write(
                f"振替結果待ちの前納 {close.pending:,}件は、振替済みになった後の年度で確定します。"
            )

    def _paid(self, scheme: Scheme, year: int, payout: DiscountPayout) -> None:
        done = (
            "の支払を確定しました"
            if payout.created
            else "の支払をすでに確定しています（変更はありません）"
        )
        self.stdout.write(
            f"{SCHEME_NAMES[scheme]} {year}年度の前納減額金{done}: {payout.contracts:,}件 {payout.total_yen:,}円"
            f"（振込指定日 {payout.journal.posted_on:%Y年%-m月%-d日}）"
        )
        if payout.file is not None:
            self.stdout.write(
                f"総合振込ファイル {payout.file.name}: {payout.file.records:,}件 "
                f"{payout.file.total_yen:,}円（金融機関で振込の後、職員が振込済を確認します）"
            )
        if payout.carried_contracts:
            self.stdout.write(
                f"{payout.minimum_yen:,}円未満のため翌年度に繰越し: "
                f"{payout.carried_contracts:,}件 {payout.carried_yen:,}円"
            )
        if payout.with_refund_contracts:
            self.stdout.write(
                f"解約済みのため解約手当金と一緒に支払: {payout.with_refund_contracts:,}件 "
                f"{payout.with_refund_yen:,}円"
            )
