"""Quote kinds for 小規模企業共済."""

import argparse
import datetime as dt

from kyosai.cli import Quote, Register, add_on_argument, count_arg, date_arg, month_arg, yen_arg
from kyosai.rules.calendar import add_months, month_of
from kyosai.rules.decision import Decision
from kyosai.rules.money import yen_text
from kyosai.rules.shokibo.benefits import BENEFIT_LABEL, BenefitKind, benefit
from kyosai.rules.shokibo.eligibility import Applicant, Industry, Position, check_eligibility
from kyosai.rules.shokibo.history import PremiumSpan
from kyosai.rules.shokibo.loans import KIND_LABEL, LoanKind, loan_limit, loan_schedule
from kyosai.rules.shokibo.premiums import prepayment_discount
from kyosai.rules.shokibo.receipt import ClaimKind, ReceiptMethod, ReceiptRequest, check_receipt
from kyosai.rules.shokibo.refund import cancellation_refund
from kyosai.rules.shokibo.tax import retirement_income_deduction
from kyosai.rules.shokibo.tsusan import (
    CommonFacts,
    Relation,
    TsusanEvent,
    same_person_tsusan,
    succession_tsusan,
)
from kyosai.rules.trace import Trace


def history_arg(text: str) -> list[tuple[int, int]]:
    """'10000x60,20000x60' → [(10000, 60), (20000, 60)]: 掛金月額 × months, oldest first."""
    spans = []
    for part in text.split(","):
        monthly, _, months = part.strip().partition("x")
        if not (monthly.isdigit() and months.isdigit()):
            raise argparse.ArgumentTypeError(
                f"履歴は 10000x60,20000x60 の形（掛金月額x月数）で指定してください: {text!r}"
            )
        spans.append((int(monthly), int(months)))
    return spans


def _add_history(parser: argparse.ArgumentParser, on_help: str) -> None:
    parser.add_argument("--monthly", type=yen_arg, help="掛金月額（円、変更なしの場合）")
    parser.add_argument("--months", type=count_arg, help="掛金納付月数（--monthly と使う）")
    parser.add_argument(
        "--history", type=history_arg, help="掛金月額x月数 をカンマ区切り（古い順）"
    )
    parser.add_argument(
        "--first-month", type=month_arg, help="最初の納付月 YYYY-MM（省略時は基準日の月の直前まで）"
    )
    add_on_argument(parser, on_help)


def _spans(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[PremiumSpan]:
    if args.history is None and (args.monthly is None or args.months is None):
        parser.error("--monthly と --months、または --history を指定してください")
    pairs = args.history or [(args.monthly, args.months)]
    total = sum(months for _, months in pairs)
    start: dt.date = args.first_month or add_months(month_of(args.on), -total)
    spans = []
    for monthly, months in pairs:
        spans.append(PremiumSpan(start, months, monthly))
        start = add_months(start, months)
    return spans


def _decided(decision: Decision, yes: str, no: str) -> tuple[str, Trace]:
    if decision.allowed:
        return yes, decision.trace
    return f"{no}（{'、'.join(r.code for r in decision.reasons)}）", decision.trace


def _benefit(parser: argparse.ArgumentParser) -> Quote:
    _add_history(parser, "共済事由の生じた日")
    parser.add_argument("--event", choices=[k.value for k in BenefitKind], default="A")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        kind = BenefitKind(args.event)
        quote = benefit(_spans(parser, args), kind=kind, on=args.on)
        return f"{BENEFIT_LABEL[kind]} {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _refund(parser: argparse.ArgumentParser) -> Quote:
    _add_history(parser, "解約日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = cancellation_refund(_spans(parser, args), on=args.on)
        return f"解約手当金 {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _receipt(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--method", choices=[m.value for m in ReceiptMethod], required=True)
    parser.add_argument("--claim", choices=[c.value for c in ClaimKind], default="A")
    parser.add_argument("--net", type=yen_arg, required=True, help="差引後の共済金（円）")
    parser.add_argument("--age", type=count_arg, required=True, help="共済事由の生じた日の年齢")
    parser.add_argument("--lump", type=yen_arg, default=0, help="併用の一括部分（円）")
    parser.add_argument("--years", type=int, choices=(10, 15), default=10, help="分割の期間（年）")
    parser.add_argument("--death", action="store_true", help="死亡による請求")
    parser.add_argument("--received", type=date_arg, help="請求の受付日（省略時は --on）")
    add_on_argument(parser, "共済事由の生じた日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        request = ReceiptRequest(
            ReceiptMethod(args.method),
            ClaimKind(args.claim),
            args.net,
            args.age,
            args.on,
            args.received or args.on,
            death=args.death,
            lump_part_yen=args.lump,
            years=args.years,
        )
        result = check_receipt(request)
        if result.allowed:
            return "この受取方法を選べます", result.trace
        codes = "、".join(r.code for r in result.reasons)
        return f"この受取方法は選べません（{codes}）", result.trace

    return handle


def _kind_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind", dest="loan_kind", choices=[k.value for k in LoanKind],
        default=LoanKind.GENERAL.value,
        help="貸付けの種類（general 一般, emergency 緊急経営安定, illness_disaster 傷病災害時, "
        "new_business 創業転業時・新規事業展開等）",
    )  # fmt: skip


def _loan_limit(parser: argparse.ArgumentParser) -> Quote:
    _kind_argument(parser)
    parser.add_argument(
        "--premiums", type=yen_arg, required=True, help="基準日までの納付済掛金（円）"
    )
    parser.add_argument(
        "--months", type=count_arg, required=True, help="基準日までの掛金納付月数（前納除く）"
    )
    parser.add_argument("--outstanding", type=yen_arg, default=0, help="貸付残高（円）")
    parser.add_argument(
        "--outstanding-of-kind", type=yen_arg, default=0, help="うちこの種類の貸付残高（円）"
    )
    add_on_argument(parser, "申込日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        kind = LoanKind(args.loan_kind)
        quote = loan_limit(
            kind, args.premiums, args.months, on=args.on, outstanding_yen=args.outstanding,
            outstanding_of_kind_yen=args.outstanding_of_kind,
        )  # fmt: skip
        return f"{KIND_LABEL[kind]}の限度額 {yen_text(quote.limit_yen)}", quote.trace

    return handle


def _loan_schedule(parser: argparse.ArgumentParser) -> Quote:
    _kind_argument(parser)
    parser.add_argument("--amount", type=yen_arg, required=True, help="貸付金額（円）")
    parser.add_argument("--term", type=count_arg, required=True, help="貸付期間（月）")
    add_on_argument(parser, "貸付日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = loan_schedule(LoanKind(args.loan_kind), args.amount, args.term, drawn_on=args.on)
        return f"利息の合計 {yen_text(quote.total_interest_yen)}（暫定）", quote.trace

    return handle


def _eligibility(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--position", choices=[p.value for p in Position], required=True)
    parser.add_argument("--industry", choices=[i.value for i in Industry])
    parser.add_argument("--employees", type=count_arg, required=True, help="常時使用する従業員数")
    parser.add_argument("--co-managers-already", type=count_arg, default=0)
    parser.add_argument("--co-manager-manages", action="store_true", help="経営に関与かつ報酬あり")
    parser.add_argument("--current-holder", action="store_true", help="すでに共済契約者")
    parser.add_argument("--operator-cancelled-on", type=date_arg, help="機構解約の日")
    parser.add_argument("--chutaikyo", action="store_true", help="中退共などの被共済者")
    parser.add_argument("--salaried", action="store_true", help="給与所得者")
    add_on_argument(parser, "加入日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        applicant = Applicant(
            Position(args.position),
            args.employees,
            Industry(args.industry) if args.industry else None,
            co_managers_already=args.co_managers_already,
            co_manager_decides_or_funds=args.co_manager_manages,
            co_manager_paid=args.co_manager_manages,
            current_contract_holder=args.current_holder,
            operator_cancelled_on=args.operator_cancelled_on,
            retirement_scheme_member=args.chutaikyo,
            salaried=args.salaried,
        )
        return _decided(check_eligibility(applicant, on=args.on), "加入できます", "加入できません")

    return handle


def _tsusan(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument(
        "--type", dest="tsusan_type", choices=("same", "succession"), default="same"
    )
    parser.add_argument("--event", choices=[e.value for e in TsusanEvent], default="A")
    parser.add_argument("--event-on", type=date_arg, required=True, help="事由・譲渡・相続開始の日")
    parser.add_argument("--claimed", action="store_true", help="共済金等を請求済み")
    parser.add_argument("--not-eligible", action="store_true", help="通算時に加入資格がない")
    parser.add_argument("--chutaikyo", action="store_true", help="退職金共済の被共済者")
    parser.add_argument("--relation", choices=[r.value for r in Relation], default="child")
    parser.add_argument("--partial-business", action="store_true", help="事業の一部のみ承継")
    parser.add_argument("--corporate-contract", action="store_true", help="旧契約が役員の契約")
    parser.add_argument("--already-succeeded", action="store_true", help="旧契約が承継通算済み")
    add_on_argument(parser, "申出日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        facts = CommonFacts(args.on, not args.not_eligible, args.chutaikyo)
        if args.tsusan_type == "same":
            decision = same_person_tsusan(
                facts, event=TsusanEvent(args.event), event_on=args.event_on, claimed=args.claimed
            )
        else:
            decision = succession_tsusan(
                facts,
                relation=Relation(args.relation),
                whole_business=not args.partial_business,
                old_contract_individual=not args.corporate_contract,
                old_contract_already_succeeded=args.already_succeeded,
                transferred_on=args.event_on,
            )
        return _decided(decision, "通算できます", "通算できません")

    return handle


def _prepay_discount(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--monthly", type=yen_arg, required=True, help="掛金月額（円）")
    parser.add_argument("--months", type=count_arg, required=True, help="当月より先の前納月数")
    add_on_argument(parser, "基準日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = prepayment_discount(args.monthly, args.months, on=args.on)
        return f"前納減額金 {yen_text(quote.amount_yen)}", quote.trace

    return handle


def _retirement_deduction(parser: argparse.ArgumentParser) -> Quote:
    parser.add_argument("--months", type=count_arg, required=True, help="掛金納付月数")
    parser.add_argument("--disability", action="store_true", help="障害者になったことによる退職")
    add_on_argument(parser, "共済金の支払日")

    def handle(args: argparse.Namespace) -> tuple[str, Trace]:
        quote = retirement_income_deduction(
            args.months, paid_on=args.on, disability=args.disability
        )
        return f"退職所得控除額 {yen_text(quote.amount_yen)}（勤続{quote.years}年）", quote.trace

    return handle


QUOTES: dict[str, tuple[str, Register]] = {
    "shokibo-benefit": ("小規模企業共済の共済金A・B・準共済金", _benefit),
    "shokibo-refund": ("小規模企業共済の解約手当金", _refund),
    "shokibo-receipt": ("小規模企業共済の受取方法（一括・分割・併用）の確認", _receipt),
    "shokibo-loan-limit": ("小規模企業共済の契約者貸付けの限度額（種類ごと）", _loan_limit),
    "shokibo-loan-schedule": (
        "小規模企業共済の契約者貸付けの返済予定（種類ごと、利息は暫定）",
        _loan_schedule,
    ),
    "shokibo-eligibility": ("小規模企業共済の加入資格", _eligibility),
    "shokibo-tsusan": ("小規模企業共済の掛金納付月数の通算", _tsusan),
    "shokibo-prepay-discount": ("小規模企業共済の前納減額金", _prepay_discount),
    "shokibo-retirement-deduction": ("一括受取の共済金の退職所得控除額", _retirement_deduction),
}
