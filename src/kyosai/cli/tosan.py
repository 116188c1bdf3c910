"""Quote kinds for 中小企業倒産防止共済."""

import argparse
import datetime as dt

from kyosai.cli import Quote, Register, add_on_argument, count_arg, date_arg, month_arg, yen_arg
from kyosai.rules.decision import Reason
from kyosai.rules.money import yen_text
from kyosai.rules.tosan.eligibility import (
    Applicant,
    Industry,
    Organisation,
    RefusalGround,
    eligibility,
)
from kyosai.rules.tosan.loans import (
    InsolvencyEvent,
    LoanRequest,
    early_repayment_allowance,
    kyosaikin_loan,
)
from kyosai.rules.tosan.premiums import check_monthly, prepayment_discount
from kyosai.rules.tosan.refund import CancellationType, PremiumAccount, cancellation_refund
from kyosai.rules.tosan.tax import rejoin_tax_window
from kyosai.rules.tosan.temp_loan import temp_loan
from kyosai.rules.trace import Trace


def _refused(label: str, reasons: tuple[Reason, ...]) -> str:
    return f"{label}: 不可（" + " ".join(r.message_ja for r in reasons) + "）"


def _account_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--monthly", type=yen_arg, required=True, help="掛金月額（円）")
    parser.add_argument("--months", type=count_arg, required=True, help="掛金納付月数")
    parser.add_argument(
        "--loan", type=yen_arg, action="append", default=[], help="過去の共済金貸付額"
    )


def _account(args: argparse.Namespace, on: dt.date) -> PremiumAccount:
    check_monthly(args.monthly, on)
    return PremiumAccount(
        premiums_paid_yen=args.monthly * args.months,
        months_paid=args.months,
        kyosaikin_loans_yen=tuple(args.loan),
    )


def _refund(parser: argparse.ArgumentParser) -> Quote:
    _account_arguments(parser)
    parser.add_argument(
        "--type",
        choices=[c.value for c in CancellationType],
        default=CancellationType.VOLUNTARY.value,
        help="voluntary=任意解約, deemed=みなし解約, operator=機構解約",
    )
    add_on_argument(parser, "解約日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = cancellation_refund(
            _account(args, args.on), cancellation=CancellationType(args.type), on=args.on
        )
        return f"解約手当金 {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _loan(parser: argparse.ArgumentParser) -> Quote:
    _account_arguments(parser)
    parser.add_argument(
        "--event",
        choices=[e.value for e in InsolvencyEvent],
        default=InsolvencyEvent.BANKRUPTCY.value,
    )
    parser.add_argument("--insolvency-on", type=date_arg, required=True, help="倒産日")
    parser.add_argument("--joined", type=month_arg, required=True, help="加入月 YYYY-MM")
    parser.add_argument(
        "--paid-before", type=count_arg, help="倒産日までの納付月数（省略時は --months）"
    )
    parser.add_argument("--damage", type=yen_arg, required=True, help="回収困難な売掛金債権等の額")
    parser.add_argument("--outstanding", type=yen_arg, default=0, help="共済金の貸付残高")
    parser.add_argument(
        "--increases", type=yen_arg, default=0, help="倒産の6か月前以後の増額分の掛金"
    )
    parser.add_argument("--late", type=yen_arg, default=0, help="倒産後に2か月超遅れて納めた掛金")
    parser.add_argument("--claim-on", type=date_arg, required=True, help="貸付請求日")
    parser.add_argument("--lent-on", type=date_arg, help="貸付日（省略時は請求日）")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        request = LoanRequest(
            InsolvencyEvent(args.event),
            args.insolvency_on,
            args.joined,
            args.months if args.paid_before is None else args.paid_before,
            args.claim_on,
            args.damage,
            _account(args, args.claim_on),
            increases_in_window_yen=args.increases,
            late_after_event_yen=args.late,
            outstanding_kyosaikin_yen=args.outstanding,
        )
        quote = kyosaikin_loan(request, lent_on=args.lent_on or args.claim_on)
        if not quote.lendable:
            return _refused("共済金の貸付け", quote.reasons), quote.trace
        first, last = quote.instalments[0], quote.instalments[-1]
        schedule = "\n".join(
            f"  第{i.number:>2}回 {i.due_on.isoformat()} {yen_text(i.principal_yen):>12}"
            for i in quote.instalments
        )
        return (
            f"共済金 {yen_text(quote.amount_yen)}、{quote.term_years}年・{len(quote.instalments)}回"
            f"（初回 {first.due_on.isoformat()} {yen_text(first.principal_yen)}、"
            f"最終回 {last.due_on.isoformat()} {yen_text(last.principal_yen)}）、"
            f"権利消滅する掛金 {yen_text(quote.forfeited_yen)}\n償還予定:\n{schedule}",
            quote.trace,
        )

    return handle


def _temp_loan(parser: argparse.ArgumentParser) -> Quote:
    _account_arguments(parser)
    parser.add_argument("--request", type=yen_arg, help="希望額（省略時は限度額）")
    parser.add_argument("--outstanding", type=yen_arg, default=0, help="共済金の貸付残高")
    parser.add_argument("--outstanding-temp", type=yen_arg, default=0, help="一時貸付金の残高")
    parser.add_argument("--renewal", action="store_true", help="借換え")
    parser.add_argument("--legacy", action="store_true", help="経過措置（300万円）の対象")
    add_on_argument(parser, "機構が請求書を受け付けた日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = temp_loan(
            _account(args, args.on),
            received_on=args.on,
            requested_yen=args.request,
            outstanding_kyosaikin_yen=args.outstanding,
            outstanding_temp_loan_yen=args.outstanding_temp,
            renewal=args.renewal,
            legacy_ceiling=args.legacy,
        )
        if not quote.available:
            return _refused(
                f"一時貸付金（限度額 {yen_text(quote.ceiling_yen)}）", quote.reasons
            ), quote.trace
        return (
            f"一時貸付金 限度額 {yen_text(quote.ceiling_yen)}、貸付額 {yen_text(quote.principal_yen)}、"
            f"前払利息 {yen_text(quote.interest_yen)}",
            quote.trace,
        )

    return handle


def _prepay_discount(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--monthly", type=yen_arg, required=True, help="掛金月額（円）")
    parser.add_argument("--months", type=count_arg, required=True, help="前納月数")
    parser.add_argument("--paid-total", type=yen_arg, default=0, help="納付済の掛金総額")
    add_on_argument(parser, "前納した日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = prepayment_discount(
            args.monthly, args.months, prepaid_on=args.on, paid_total_yen=args.paid_total
        )
        return f"前納減額金 {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _early_repayment(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--loan", type=yen_arg, required=True, help="共済金の貸付額")
    parser.add_argument("--lent-on", type=date_arg, required=True, help="貸付日")
    parser.add_argument("--repaid-on", type=date_arg, required=True, help="完済日")
    parser.add_argument("--ever-late", action="store_true", help="償還が遅れたことがある")
    parser.add_argument("--cancelled", action="store_true", help="完済時に解約する")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = early_repayment_allowance(
            args.loan,
            lent_on=args.lent_on,
            repaid_on=args.repaid_on,
            ever_late=args.ever_late,
            cancelled_at_payoff=args.cancelled,
        )
        return f"早期償還手当金 {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _eligibility(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument(
        "--organisation", choices=[o.value for o in Organisation], default="company"
    )
    parser.add_argument("--industry", choices=[i.value for i in Industry], required=True)
    parser.add_argument("--capital", type=yen_arg, help="資本金・出資総額（個人事業主は省略）")
    parser.add_argument("--employees", type=count_arg, required=True, help="常時使用する従業員数")
    parser.add_argument("--started-on", type=date_arg, required=True, help="事業開始日")
    parser.add_argument("--joint-business", action="store_true", help="共同事業を行う組合")
    parser.add_argument(
        "--refusal", choices=[g.value for g in RefusalGround], action="append", default=[]
    )
    add_on_argument(parser, "申込日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        applicant = Applicant(
            Organisation(args.organisation),
            Industry(args.industry),
            args.capital,
            args.employees,
            args.started_on,
            args.joint_business,
            frozenset(RefusalGround(g) for g in args.refusal),
        )
        decision = eligibility(applicant, applied_on=args.on)
        if not decision.eligible:
            return _refused("加入資格", decision.reasons), decision.trace
        return "加入資格: あり", decision.trace

    return handle


def _tax_window(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--cancelled-on", type=date_arg, required=True, help="前の契約の解除の日")
    parser.add_argument("--paid-on", type=date_arg, help="掛金を納めた日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        window = rejoin_tax_window(args.cancelled_on, paid_on=args.paid_on)
        if window.last_non_deductible_on is None:
            summary = "再加入後の掛金: 制限なし（損金・必要経費に算入できます）"
        else:
            summary = (
                f"損金・必要経費にならない期間: {args.cancelled_on.isoformat()}〜"
                f"{window.last_non_deductible_on.isoformat()}"
            )
        if window.paid_on_deductible is not None:
            summary += f"、{args.paid_on.isoformat()} の掛金は算入{'できる' if window.paid_on_deductible else 'できない'}"
        return summary, window.trace

    return handle


QUOTES: dict[str, tuple[str, Register]] = {
    "tosan-refund": ("倒産防止共済の解約手当金", _refund),
    "tosan-loan": ("倒産防止共済の共済金貸付（額・償還期間・償還予定）", _loan),
    "tosan-temp-loan": ("倒産防止共済の一時貸付金（限度額・前払利息）", _temp_loan),
    "tosan-prepay-discount": ("倒産防止共済の前納減額金", _prepay_discount),
    "tosan-early-repayment": ("倒産防止共済の早期償還手当金", _early_repayment),
    "tosan-eligibility": ("倒産防止共済の加入資格", _eligibility),
    "tosan-tax-window": ("倒産防止共済 再加入後の掛金の損金・必要経費算入", _tax_window),
}
