"""一時貸付金 (法10条): a one-year loan against the premiums, without a customer's 倒産.

Ceiling = 95% of what a 機構解約 would refund, in 5万円 units, less outstanding 共済金 and
一時貸付金 loans; 760万円 when 掛金総額 is exactly 800万円; 300万円 under the 2011 transitional rule.
At least 30万円, one year, repaid in one sum; a year's interest is paid in advance at the rate in
force on the day SMRJ receives the request. Only one 一時貸付金 may be outstanding, except when it
is being renewed (借換), whose new loan replaces it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.money import floor_to_unit, rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.tosan.refund import PremiumAccount, eligible_total
from kyosai.rules.trace import Explainer, Trace


@dataclass(frozen=True)
class TempLoanInterest:
    interest_yen: int
    rate: Decimal
    trace: Trace


def _interest(principal_yen: int, received_on: dt.date, t: Explainer) -> tuple[int, Decimal]:
    rate = t.rate("tosan/temp_loan_rate", received_on)
    exact = principal_yen * rate
    interest = to_yen(exact, t.rounding("tosan/temp_loan_rate"))
    t.step(
        "前払利息（1年分）", yen_text(interest), f"{yen_text(principal_yen)} × {rate_text(rate)}"
    )
    if interest != exact:
        t.warn("円未満の端数を切り捨てました（端数処理は未確認）。")
    return interest, rate


def temp_loan_interest(
    principal_yen: int, *, received_on: dt.date, params: ParameterSet | None = None
) -> TempLoanInterest:
    """The year's interest on `principal_yen`, at the rate in force when SMRJ receives the request."""
    if principal_yen < 0:
        raise RuleError("貸付額に負の値は使えません", "principal must be >= 0")
    t = Explainer(
        "倒産防止共済 一時貸付金の利息",
        {"貸付額": yen_text(principal_yen), "機構の受付日": received_on},
        params,
    )
    interest, rate = _interest(principal_yen, received_on, t)
    return TempLoanInterest(interest, rate, t.trace())


@dataclass(frozen=True)
class TempLoanQuote:
    available: bool
    reasons: tuple[Reason, ...]
    ceiling_yen: int  # 貸付限度額 after outstanding loans
    principal_yen: int  # the amount requested, or the ceiling when none was
    interest_yen: int  # paid in advance
    trace: Trace


def temp_loan(
    account: PremiumAccount,
    *,
    received_on: dt.date,
    requested_yen: int | None = None,
    outstanding_kyosaikin_yen: int = 0,
    outstanding_temp_loan_yen: int = 0,
    renewal: bool = False,
    legacy_ceiling: bool = False,
    params: ParameterSet | None = None,
) -> TempLoanQuote:
    """一時貸付金 available on a request SMRJ receives on `received_on`.

    `legacy_ceiling`: the 2011 transitional rule applies (掛金総額 320万円 at 2011-09-30, still
    320万円, never raised to 85,000円/month or more). `renewal`: the outstanding 一時貸付金 is being
    renewed, so it neither blocks the loan nor counts against the ceiling [I].
    """
    if min(outstanding_kyosaikin_yen, outstanding_temp_loan_yen, requested_yen or 0) < 0:
        raise RuleError("金額に負の値は使えません", "amounts must be >= 0")
    t = Explainer(
        "倒産防止共済 一時貸付金",
        {
            "機構の受付日": received_on,
            "納付済掛金": yen_text(account.premiums_paid_yen),
            "掛金納付月数": f"{account.months_paid}か月",
            "希望額": "限度額まで" if requested_yen is None else yen_text(requested_yen),
            "共済金の貸付残高": yen_text(outstanding_kyosaikin_yen),
            "一時貸付金の残高": yen_text(outstanding_temp_loan_yen),
            "借換え": renewal,
            "経過措置（300万円）": legacy_ceiling,
        },
        params,
    )
    on = received_on
    total = eligible_total(account, received_on, t)
    reasons = []
    min_months = t.count("tosan/temp_loan_min_months", on)
    if total.months < min_months:
        reasons.append(
            Reason(
                "too_few_months", f"掛金を{min_months}か月分以上納めていないため、借りられません。"
            )
        )
    if outstanding_temp_loan_yen and not renewal:
        reasons.append(
            Reason(
                "temp_loan_outstanding",
                "一時貸付金は一度に一つしか借りられません（借換えを除く）。",
            )
        )
    base = _base_ceiling(total.amount_yen, total.months, legacy_ceiling, on, t)
    outstanding = outstanding_kyosaikin_yen + (0 if renewal else outstanding_temp_loan_yen)
    unit = t.yen("tosan/temp_loan_unit", on)
    ceiling = floor_to_unit(max(base - outstanding, 0), unit)
    t.step("貸付限度額", yen_text(ceiling), f"{yen_text(base)} − 貸付残高 {yen_text(outstanding)}")
    minimum = t.yen("tosan/temp_loan_minimum", on)
    if ceiling < minimum:
        reasons.append(
            Reason("below_minimum", f"借りられる額が最低額の{yen_text(minimum)}に届きません。")
        )
    principal = ceiling if requested_yen is None else requested_yen
    if requested_yen is not None and (requested_yen < minimum or requested_yen % unit):
        reasons.append(
            Reason(
                "request_not_lendable",
                f"希望額は{yen_text(minimum)}以上、{yen_text(unit)}単位で指定してください。",
            )
        )
    elif requested_yen is not None and requested_yen > ceiling:
        reasons.append(
            Reason(
                "request_above_ceiling", f"希望額が貸付限度額の{yen_text(ceiling)}を超えています。"
            )
        )
    if reasons:
        t.step("一時貸付金", "借りられません")
        return TempLoanQuote(False, tuple(reasons), ceiling, 0, 0, t.trace())
    interest, _rate = _interest(principal, on, t)
    return TempLoanQuote(True, (), ceiling, principal, interest, t.trace())


def _base_ceiling(total_yen: int, months: int, legacy: bool, on: dt.date, t: Explainer) -> int:
    """The ceiling before outstanding loans: 機構解約の解約手当金 × 95%, or a special row."""
    if legacy:
        legacy_total = t.yen("tosan/temp_loan_legacy_total", on)
        if total_yen != legacy_total:
            raise RuleError(
                f"経過措置は掛金総額が{yen_text(legacy_total)}の契約に限られます",
                "the transitional ceiling needs a total of exactly 3,200,000 yen",
            )
        ceiling = t.yen("tosan/temp_loan_legacy_ceiling", on)
        t.step("貸付限度額（経過措置）", yen_text(ceiling))
        return ceiling
    if total_yen == t.yen("tosan/premium_total_cap", on):
        ceiling = t.yen("tosan/temp_loan_full_ceiling", on)
        t.step("貸付限度額（掛金総額が積立限度額）", yen_text(ceiling))
        return ceiling
    refund_rate = t.row("tosan/refund_rate", on, months).rate("operator")
    ratio = t.rate("tosan/temp_loan_ratio", on)
    unit = t.yen("tosan/temp_loan_unit", on)
    ceiling = floor_to_unit(
        to_yen(total_yen * refund_rate * ratio, t.rounding("tosan/refund_rate")), unit
    )
    t.step(
        "機構解約の解約手当金 × 95%",
        yen_text(ceiling),
        f"{yen_text(total_yen)} × {rate_text(refund_rate)} × {rate_text(ratio)}、{yen_text(unit)}未満切捨て",
    )
    return ceiling
