"""契約者貸付け: 一般貸付けの限度額・期間・返済予定 (法2条の2 and the operator's 貸付規程).

The limit is a share (7〜9割 by 掛金納付月数) of the premiums paid, less the loans outstanding,
within 10万〜2,000万円 in 5万円 steps and a 2,000万円 cap on all loans together (2016-04-01).
Loans of 6 or 12 months repay at the end with all interest paid in advance; longer loans repay
equal principal every 6 months with 6 months' interest paid in advance each time (L5).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kyosai.rules.calendar import add_months
from kyosai.rules.errors import RuleError
from kyosai.rules.money import floor_to_unit, rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.trace import Explainer, Trace

LOAN = "shokibo/general_loan"
RATIO = "shokibo/loan_limit_ratio"
INTEREST_BASIS = "shokibo/loan_interest_months_per_year"
PERIOD_MONTHS = 6  # repayment and interest period of loans over 12 months (L5)


@dataclass(frozen=True)
class LoanLimitQuote:
    limit_yen: int
    ratio: Decimal
    trace: Trace


@dataclass(frozen=True)
class LoanPayment:
    due_on: dt.date
    principal_yen: int
    interest_yen: int  # interest paid in advance on this date for the next period


@dataclass(frozen=True)
class LoanScheduleQuote:
    terms_months: tuple[int, ...]  # the terms the amount may choose from
    payments: tuple[LoanPayment, ...]
    total_interest_yen: int
    trace: Trace


def _loan(t: Explainer, on: dt.date, item: str) -> int:
    return t.row_where(LOAN, on, "item", item).yen("yen")


def general_loan_limit(
    premiums_paid_yen: int,
    months_paid: int,
    *,
    on: dt.date,
    outstanding_loans_yen: int = 0,
    params: ParameterSet | None = None,
) -> LoanLimitQuote:
    """How much a new 一般貸付け may be on `on` (prepaid months are not counted in `months_paid`)."""
    if min(premiums_paid_yen, months_paid, outstanding_loans_yen) < 0:
        raise RuleError("金額・月数に負の値は使えません", "amounts and months must be >= 0")
    t = Explainer(
        "小規模企業共済 一般貸付けの限度額",
        {
            "基準日": on,
            "納付済掛金": yen_text(premiums_paid_yen),
            "掛金納付月数": f"{months_paid}か月",
            "貸付残高": yen_text(outstanding_loans_yen),
        },
        params,
    )
    minimum_months = t.count("shokibo/loan_minimum_months", on)
    if months_paid < minimum_months:
        t.step("貸付限度額", yen_text(0), f"掛金納付月数が{minimum_months}か月未満")
        t.warn(f"掛金納付月数が{minimum_months}か月未満のため、貸付けを受けられません。")
        return LoanLimitQuote(0, Decimal(0), t.trace())
    ratio = t.row(RATIO, on, months_paid).rate("ratio")
    by_premiums = to_yen(premiums_paid_yen * ratio, t.rounding(RATIO))
    t.step(
        "掛金に対する限度",
        yen_text(by_premiums),
        f"{yen_text(premiums_paid_yen)} × {rate_text(ratio)}",
    )
    general_max, step = _loan(t, on, "max"), _loan(t, on, "step")
    combined_cap, minimum = _loan(t, on, "combined_cap"), _loan(t, on, "min")
    room = min(
        by_premiums - outstanding_loans_yen, general_max, combined_cap - outstanding_loans_yen
    )
    limit = floor_to_unit(max(room, 0), step)
    t.step(
        "貸付残高と上限を考慮",
        yen_text(limit),
        f"min(掛金の限度 − 残高, 一般の上限 {yen_text(general_max)}, 合計上限 "
        f"{yen_text(combined_cap)} − 残高) を{yen_text(step)}単位に切捨て",
    )
    if limit < minimum:
        limit = 0
        t.warn(f"限度額が{yen_text(minimum)}に届かないため、一般貸付けは受けられません。")
    t.step("一般貸付けの限度額", yen_text(limit))
    return LoanLimitQuote(limit, ratio, t.trace())


def general_loan_schedule(
    amount_yen: int,
    term_months: int,
    *,
    drawn_on: dt.date,
    params: ParameterSet | None = None,
) -> LoanScheduleQuote:
    """Repayments and prepaid interest of a 一般貸付け of `amount_yen` over `term_months`."""
    t = Explainer(
        "小規模企業共済 一般貸付けの返済予定",
        {"貸付金額": yen_text(amount_yen), "貸付期間": f"{term_months}か月", "貸付日": drawn_on},
        params,
    )
    minimum, maximum, step = (_loan(t, drawn_on, item) for item in ("min", "max", "step"))
    if not minimum <= amount_yen <= maximum or amount_yen % step:
        raise RuleError(
            f"貸付金額は{yen_text(minimum)}〜{yen_text(maximum)}の{yen_text(step)}単位です",
            f"loan amount {amount_yen} is outside {minimum}..{maximum} or not a multiple of {step}",
        )
    terms_text = t.row("shokibo/general_loan_terms", drawn_on, amount_yen).text("terms")
    terms = tuple(int(term) for term in terms_text.split(","))
    t.step("選べる貸付期間", f"{terms_text}か月", f"貸付金額 {yen_text(amount_yen)}")
    if term_months not in terms:
        raise RuleError(
            f"この金額で選べる期間は {terms_text} か月です",
            f"term {term_months} is not one of {terms_text} for this amount",
        )
    rate = t.rate("shokibo/general_loan_rate", drawn_on)
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
    return LoanScheduleQuote(terms, tuple(payments), total, t.trace())
