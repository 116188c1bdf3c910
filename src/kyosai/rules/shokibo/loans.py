"""契約者貸付け (法2条の2 and the operator's 貸付規程; shokibo_rules §5): the kinds of loan, the
limit of each, the amount and term a request may choose, the rate, the repayment schedule and
the late interest.

The kinds the references describe are variants of one loan with their own parameters (§5.1):
一般 (L2, L4), 緊急経営安定 (L8), 傷病災害時 (L9) and 創業転業時・新規事業展開等 (L10; its amounts,
terms and rate are secondary only, unconfirmed). A kind's amount range and unit are the parameter
`shokibo/<kind>_loan`, its yearly rate `<kind>_loan_rate` and its terms by amount
`<kind>_loan_terms`; what a kind requires of the holder is `loan_conditions`.

The limit (L1) is a share (7〜9割 by 掛金納付月数) of the premiums paid up to the latest 基準日
(April and October), less every loan outstanding; within the kind's maximum less the kind's own
loans outstanding [I]; within the cap on all loans together (あわせ貸し, L3); in the kind's unit,
and nothing below the kind's minimum. A special kind needs the holder to qualify for 一般 (12
months paid by the 基準日); its minimum (50万円) is above 一般's, so its limit covers that too.

Loans of 6 or 12 months repay at the end with all interest paid in advance; longer loans repay
equal principal every 6 months with 6 months' interest paid in advance at drawdown and with each
repayment (L5). Repayments made late carry 延滞利息, 14.6% a year by the day (L6).
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import add_months
from kyosai.rules.decision import Checks, Decision
from kyosai.rules.errors import RuleError
from kyosai.rules.late_charge import LateChargeQuote, daily_late_charge
from kyosai.rules.money import floor_to_unit, rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet, Table, default_parameters
from kyosai.rules.trace import Explainer, Trace


class LoanKind(StrEnum):
    """The kinds of 契約者貸付け the references give values for (§5.1 1, 5, 2, 3)."""

    GENERAL = "general"  # 一般貸付け
    EMERGENCY = "emergency"  # 緊急経営安定貸付け
    ILLNESS_DISASTER = "illness_disaster"  # 傷病災害時貸付け
    NEW_BUSINESS = "new_business"  # 創業転業時・新規事業展開等貸付け


KIND_LABEL = {
    LoanKind.GENERAL: "一般貸付け",
    LoanKind.EMERGENCY: "緊急経営安定貸付け",
    LoanKind.ILLNESS_DISASTER: "傷病災害時貸付け",
    LoanKind.NEW_BUSINESS: "創業転業時・新規事業展開等貸付け",
}

RATIO = "shokibo/loan_limit_ratio"
BASE_MONTH = "shokibo/loan_limit_base_month"
COMBINED_CAP = "shokibo/loan_combined_cap"
MINIMUM_MONTHS = "shokibo/loan_minimum_months"
INTEREST_BASIS = "shokibo/loan_interest_months_per_year"
PERIOD_MONTHS = 6  # repayment and interest period of loans over 12 months (L5)
# The rows of a kind's `shokibo/<kind>_loan` table (in Japanese: the trace cites them).
MINIMUM, MAXIMUM, UNIT = "最低額", "上限", "単位"


def parameter(kind: LoanKind, suffix: str = "") -> str:
    """The name of a kind's parameter: `shokibo/emergency_loan_rate` for (EMERGENCY, "_rate")."""
    return f"shokibo/{kind.value}_loan{suffix}"


@dataclass(frozen=True)
class LoanLimitQuote:
    kind: LoanKind
    limit_yen: int  # 0: the kind cannot be lent now
    base_on: dt.date  # the 基準日 whose premiums were counted
    ratio: Decimal
    minimum_yen: int  # the kind's smallest loan, and its unit
    step_yen: int
    trace: Trace

    @property
    def kind_label(self) -> str:
        return KIND_LABEL[self.kind]


@dataclass(frozen=True)
class LoanPayment:
    due_on: dt.date
    principal_yen: int
    interest_yen: int  # interest paid in advance on this date for the next period


@dataclass(frozen=True)
class LoanScheduleQuote:
    kind: LoanKind
    rate: Decimal
    terms_months: tuple[int, ...]  # the terms the amount may choose from
    payments: tuple[LoanPayment, ...]  # the first is the drawdown: interest only
    total_interest_yen: int
    trace: Trace

    @property
    def drawdown_interest_yen(self) -> int:
        """The first period's interest, paid when the loan is drawn (taken off the payout)."""
        return self.payments[0].interest_yen

    @property
    def repayments(self) -> tuple[LoanPayment, ...]:
        return self.payments[1:]


def _item(t: Explainer, kind: LoanKind, on: dt.date, item: str) -> int:
    return t.row_where(parameter(kind), on, "item", item).yen("yen")


def _base_date(t: Explainer, on: dt.date) -> dt.date:
    row = t.row(BASE_MONTH, on, on.month)
    year, month = on.year - row.count("years_back"), row.count("base_month")
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def limit_base_date(on: dt.date, params: ParameterSet | None = None) -> dt.date:
    """The 基準日 whose premiums a limit asked for on `on` counts (L1: April and October)."""
    return _base_date(Explainer("基準日", {}, params), on)


def loan_limit(
    kind: LoanKind,
    premiums_paid_yen: int,
    months_paid: int,
    *,
    on: dt.date,
    outstanding_yen: int = 0,
    outstanding_of_kind_yen: int = 0,
    params: ParameterSet | None = None,
) -> LoanLimitQuote:
    """How much a new loan of `kind` may be on `on`. `premiums_paid_yen` and `months_paid` are
    what was paid for the months up to `limit_base_date(on)`, prepaid months not counted;
    `outstanding_yen` is every loan of the contract still owed, `outstanding_of_kind_yen` the
    part of it of this kind."""
    if min(premiums_paid_yen, months_paid, outstanding_yen, outstanding_of_kind_yen) < 0:
        raise RuleError("金額・月数に負の値は使えません", "amounts and months must be >= 0")
    label = KIND_LABEL[kind]
    t = Explainer(
        f"小規模企業共済 {label}の貸付限度額",
        {
            "申込日": on,
            "納付済掛金（基準日まで）": yen_text(premiums_paid_yen),
            "掛金納付月数（基準日まで）": f"{months_paid}か月",
            "貸付残高（すべての貸付け）": yen_text(outstanding_yen),
            f"貸付残高（{label}）": yen_text(outstanding_of_kind_yen),
        },
        params,
    )
    base = _base_date(t, on)
    t.step("基準日", base.isoformat(), "この日までの月の掛金で計算（前納した先の月は数えない）")
    minimum, maximum = _item(t, kind, on, MINIMUM), _item(t, kind, on, MAXIMUM)
    step = _item(t, kind, on, UNIT)
    minimum_months = t.count(MINIMUM_MONTHS, on)
    if months_paid < minimum_months:
        t.step("貸付限度額", yen_text(0), f"基準日までの掛金納付月数が{minimum_months}か月未満")
        t.warn(
            f"基準日（{base:%Y年%-m月%-d日}）までの掛金納付月数が{minimum_months}か月未満のため、"
            "貸付けを受けられません。"
        )
        return LoanLimitQuote(kind, 0, base, Decimal(0), minimum, step, t.trace())
    ratio = t.row(RATIO, on, months_paid).rate("ratio")
    by_premiums = to_yen(premiums_paid_yen * ratio, t.rounding(RATIO))
    t.step(
        "掛金に対する限度",
        yen_text(by_premiums),
        f"{yen_text(premiums_paid_yen)} × {rate_text(ratio)}",
    )
    cap = t.yen(COMBINED_CAP, on)
    room = min(
        by_premiums - outstanding_yen, maximum - outstanding_of_kind_yen, cap - outstanding_yen
    )
    limit = floor_to_unit(max(room, 0), step)
    t.step(
        "貸付残高と上限を考慮",
        yen_text(limit),
        f"掛金に対する限度 − 残高、{label}の上限 {yen_text(maximum)} − その残高、"
        f"あわせた上限 {yen_text(cap)} − 残高のうち最も少ない額を{yen_text(step)}単位に切捨て",
    )
    if limit < minimum:
        limit = 0
        t.warn(f"限度額が{yen_text(minimum)}に届かないため、{label}は受けられません。")
    t.step(f"{label}の限度額", yen_text(limit))
    return LoanLimitQuote(kind, limit, base, ratio, minimum, step, t.trace())


def terms_offered(
    kind: LoanKind, on: dt.date, params: ParameterSet | None = None
) -> tuple[int, ...]:
    """Every term a loan of `kind` may run on `on`, whatever its amount (a form's choices)."""
    table = (params or default_parameters())[parameter(kind, "_terms")].at(on).value
    if not isinstance(table, Table):
        raise TypeError(f"parameter {parameter(kind, '_terms')} is not a table")
    return tuple(sorted({int(t) for row in table.rows for t in row.text("terms").split(",")}))


def _terms(t: Explainer, kind: LoanKind, on: dt.date, amount_yen: int) -> tuple[int, ...]:
    text = t.row(parameter(kind, "_terms"), on, amount_yen).text("terms")
    return tuple(int(term) for term in text.split(","))


def check_amount_and_term(
    kind: LoanKind,
    amount_yen: int,
    term_months: int,
    *,
    limit_yen: int,
    on: dt.date,
    params: ParameterSet | None = None,
) -> Decision:
    """Whether a loan of `kind` may be `amount_yen` over `term_months` on `on`, with `limit_yen`
    the kind's limit then: the kind's range and unit (L2, L8, L9), the limit, and the terms the
    amount may choose (L4, L8, L9). Each reason's code names what is wrong."""
    label = KIND_LABEL[kind]
    t = Explainer(
        f"小規模企業共済 {label}の金額と期間",
        {"貸付金額": yen_text(amount_yen), "貸付期間": f"{term_months}か月",
         "貸付限度額": yen_text(limit_yen), "申込日": on},
        params,
    )  # fmt: skip
    checks = Checks(t)
    minimum, maximum = _item(t, kind, on, MINIMUM), _item(t, kind, on, MAXIMUM)
    step = _item(t, kind, on, UNIT)
    in_range = checks.require(
        minimum <= amount_yen <= maximum and amount_yen % step == 0,
        "金額の範囲と単位",
        "amount_yen",
        f"{label}の金額は{yen_text(minimum)}〜{yen_text(maximum)}の{yen_text(step)}単位です。",
    )
    if in_range:
        checks.require(
            amount_yen <= limit_yen,
            "貸付限度額",
            "amount_yen",
            f"今お借りいただける{label}の限度額（{yen_text(limit_yen)}）を超えています。"
            if limit_yen
            else f"今は{label}をお借りいただけません。",
        )
    if in_range:
        terms = _terms(t, kind, on, amount_yen)
        listed = "・".join(str(term) for term in terms)
        checks.require(
            term_months in terms,
            "貸付期間",
            "term_months",
            f"{yen_text(amount_yen)}の{label}で選べる貸付期間は{listed}か月です。",
        )
    return checks.decision("金額と期間")


def loan_schedule(
    kind: LoanKind,
    amount_yen: int,
    term_months: int,
    *,
    drawn_on: dt.date,
    params: ParameterSet | None = None,
) -> LoanScheduleQuote:
    """Repayments and prepaid interest of a loan of `kind`, `amount_yen` over `term_months`
    drawn on `drawn_on`, at the kind's rate in force that day (L5, L6)."""
    label = KIND_LABEL[kind]
    t = Explainer(
        f"小規模企業共済 {label}の返済予定",
        {"貸付金額": yen_text(amount_yen), "貸付期間": f"{term_months}か月", "貸付日": drawn_on},
        params,
    )
    minimum, maximum = _item(t, kind, drawn_on, MINIMUM), _item(t, kind, drawn_on, MAXIMUM)
    step = _item(t, kind, drawn_on, UNIT)
    if not minimum <= amount_yen <= maximum or amount_yen % step:
        raise RuleError(
            f"{label}の金額は{yen_text(minimum)}〜{yen_text(maximum)}の{yen_text(step)}単位です",
            f"loan amount {amount_yen} is outside {minimum}..{maximum} or not a multiple of {step}",
        )
    terms = _terms(t, kind, drawn_on, amount_yen)
    listed = ",".join(str(term) for term in terms)
    t.step("選べる貸付期間", f"{listed}か月", f"貸付金額 {yen_text(amount_yen)}")
    if term_months not in terms:
        raise RuleError(
            f"この金額で選べる期間は {listed} か月です",
            f"term {term_months} is not one of {listed} for this amount",
        )
    rate = t.rate(parameter(kind, "_rate"), drawn_on)
    basis = t.count(INTEREST_BASIS, drawn_on)
    rounding = t.rounding(INTEREST_BASIS)
    period = term_months if term_months <= 12 else PERIOD_MONTHS
    periods = term_months // period
    principal = amount_yen // periods
    payments = []
    balance = amount_yen
    for index in range(periods + 1):
        repaid = 0 if index == 0 else principal if index < periods else balance
        balance -= repaid
        interest = to_yen(balance * rate * period / basis, rounding)
        payments.append(LoanPayment(add_months(drawn_on, index * period), repaid, interest))
        t.step(
            f"{index * period}か月目",
            f"元金 {yen_text(repaid)}・利息 {yen_text(interest)}",
            f"残高 {yen_text(balance)} × {rate_text(rate)} × {period}/{basis}",
        )
    total = sum(payment.interest_yen for payment in payments)
    t.step("利息の合計", yen_text(total))
    t.warn("利息は年利の月割りとして計算しています（日割りの可能性があり、未確認）。")
    return LoanScheduleQuote(kind, rate, terms, tuple(payments), total, t.trace())


def late_interest(
    overdue_yen: int, days_late: int, *, due_on: dt.date, params: ParameterSet | None = None
) -> LateChargeQuote:
    """延滞利息 = overdue principal × 14.6% × days late / 365, whole yen rounded down (L6; the day
    basis and the rounding are inferred)."""
    return daily_late_charge(
        overdue_yen, days_late, due_on=due_on, title="小規模企業共済 契約者貸付けの延滞利息",
        label="延滞利息", rate_name="shokibo/loan_late_interest_rate",
        basis_name="shokibo/loan_late_interest_day_basis", params=params,
    )  # fmt: skip
