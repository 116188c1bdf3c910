"""共済金の貸付け (法9条), its repayment, 違約金 and 早期償還手当金 (法2条4項).

A contract holder whose customer goes bankrupt may borrow, interest-free, the lesser of the
unrecoverable receivables and 10 × 掛金総額, within 8,000万円 including outstanding 共済金 loans,
in 5万円 units and at least 50万円. 1/10 of the loan is taken from the premiums for good (権利消滅).
Repayment: a 6-month grace period, then equal monthly instalments over 5, 6 or 7 years by amount.

The schedule is anchored on the month of lending: instalment n falls in anchor + n months, where
anchor = lending month + the grace months, and is debited on that month's 振替日 (27th or next
business day). SMRJ publishes neither the first instalment month nor the debit day for loans;
both are inferences to check (tosan_rules.md §4.4).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kyosai.rules.calendar import (
    add_months,
    deadline_within_months,
    debit_date,
    month_of,
    months_between,
)
from kyosai.rules.decision import Reason
from kyosai.rules.errors import RuleError
from kyosai.rules.late_charge import LateChargeQuote, daily_late_charge
from kyosai.rules.money import floor_to_unit, rate_text, to_yen, yen_text
from kyosai.rules.params import ParameterSet
from kyosai.rules.scheme import Scheme
from kyosai.rules.tosan.refund import PremiumAccount, eligible_total
from kyosai.rules.trace import Explainer, Trace


class InsolvencyEvent(StrEnum):
    """共済事由 (法2条2項, 施行規則10条の2); the 倒産日 is the date given with it."""

    BANKRUPTCY = "bankruptcy"  # 破産手続開始の申立て
    REHABILITATION = "rehabilitation"  # 再生手続開始の申立て
    REORGANIZATION = "reorganization"  # 更生手続開始の申立て
    SPECIAL_LIQUIDATION = "special_liquidation"  # 特別清算開始の申立て
    CLEARING_HOUSE_SUSPENSION = "clearing_house_suspension"  # 手形交換所の取引停止処分
    PRIVATE_SETTLEMENT = "private_settlement"  # 弁護士・認定司法書士の支払停止通知（私的整理）
    DISASTER_DISHONOUR = "disaster_dishonour"  # 災害による不渡り
    SPECIFIED_DISASTER = "specified_disaster"  # 特定非常災害による支払不能
    DENSAI_SUSPENSION = "densai_suspension"  # でんさいネットの取引停止処分
    DENSAI_DISASTER = "densai_disaster"  # 災害によるでんさいの支払不能


EVENT_LABEL = {
    InsolvencyEvent.BANKRUPTCY: "破産手続開始の申立て",
    InsolvencyEvent.REHABILITATION: "再生手続開始の申立て",
    InsolvencyEvent.REORGANIZATION: "更生手続開始の申立て",
    InsolvencyEvent.SPECIAL_LIQUIDATION: "特別清算開始の申立て",
    InsolvencyEvent.CLEARING_HOUSE_SUSPENSION: "手形交換所の取引停止処分",
    InsolvencyEvent.PRIVATE_SETTLEMENT: "弁護士等による支払停止の通知（私的整理）",
    InsolvencyEvent.DISASTER_DISHONOUR: "災害による不渡り",
    InsolvencyEvent.SPECIFIED_DISASTER: "特定非常災害による支払不能",
    InsolvencyEvent.DENSAI_SUSPENSION: "でんさいネットの取引停止処分",
    InsolvencyEvent.DENSAI_DISASTER: "災害によるでんさいの支払不能",
}


@dataclass(frozen=True)
class LoanRequest:
    """A 共済金貸付請求 (様式 中 301) as the amount rule needs it."""

    event: InsolvencyEvent
    insolvency_on: dt.date  # 倒産日, as evidenced by the caller's documents
    joined_month: dt.date  # the month the contract took effect
    months_paid_before_event: int  # 倒産日までの掛金納付月数（未到来の前納月を除く）
    claim_on: dt.date  # 貸付請求日
    unrecoverable_yen: int  # 回収困難な売掛金債権等の額
    account: PremiumAccount  # premiums as of the claim
    increases_in_window_yen: int = 0  # premiums from increases since 6 months before the 倒産 (P12)
    late_after_event_yen: int = 0  # premiums paid more than 2 months late after the 倒産 (P28)
    outstanding_kyosaikin_yen: int = 0  # 共済金の貸付残高

    def __post_init__(self) -> None:
        amounts = (
            self.months_paid_before_event,
            self.unrecoverable_yen,
            self.increases_in_window_yen,
            self.late_after_event_yen,
            self.outstanding_kyosaikin_yen,
        )
        if any(amount < 0 for amount in amounts):
            raise RuleError("金額・月数に負の値は使えません", "amounts and months must be >= 0")
        if self.claim_on < self.insolvency_on:
            raise RuleError("貸付請求日が倒産日より前です", "the claim predates the insolvency")


@dataclass(frozen=True)
class LoanDecision:
    lendable: bool
    reasons: tuple[Reason, ...]
    claim_deadline_on: dt.date
    trace: Trace


def _explainer(title: str, request: LoanRequest, params: ParameterSet | None) -> Explainer:
    return Explainer(
        title,
        {
            "倒産の事由": EVENT_LABEL[request.event],
            "倒産日": request.insolvency_on,
            "加入月": month_of(request.joined_month).strftime("%Y-%m"),
            "倒産日までの掛金納付月数": f"{request.months_paid_before_event}か月",
            "貸付請求日": request.claim_on,
            "回収困難な売掛金債権等": yen_text(request.unrecoverable_yen),
            "納付済掛金": yen_text(request.account.premiums_paid_yen),
            "共済金の貸付残高": yen_text(request.outstanding_kyosaikin_yen),
        },
        params,
    )


def _conditions(request: LoanRequest, t: Explainer) -> tuple[list[Reason], dt.date]:
    """法9条1項: a qualifying event on its date, 6 months in, 6 months paid, claimed within 6 months."""
    reasons = []
    event_on = request.insolvency_on
    row = t.row_where("tosan/loan_events", event_on, "event", request.event.value)
    qualifies = row.count("qualifies") == 1
    t.step(
        "倒産日に共済事由であったか", "はい" if qualifies else "いいえ", EVENT_LABEL[request.event]
    )
    if not qualifies:
        reasons.append(
            Reason(
                "event_not_qualifying",
                f"{event_on.isoformat()} の{EVENT_LABEL[request.event]}は、その日には共済金の"
                "貸付けを受けられる倒産の事由ではありませんでした。",
            )
        )
    needed = t.count("tosan/loan_min_months_since_joining", event_on)
    since_joining = months_between(request.joined_month, event_on)
    t.step("加入月から倒産月までの月数", f"{since_joining}か月", f"{needed}か月以上が必要")
    if since_joining < needed:
        reasons.append(
            Reason(
                "joined_too_recently",
                f"倒産が加入後{needed}か月以上たってから起きたものでないため、借りられません。",
            )
        )
    needed_paid = t.count("tosan/loan_min_months_paid", event_on)
    t.step(
        "倒産日までの掛金納付月数",
        f"{request.months_paid_before_event}か月",
        f"{needed_paid}か月以上が必要",
    )
    if request.months_paid_before_event < needed_paid:
        reasons.append(
            Reason(
                "too_few_months_paid",
                f"倒産日までに掛金を{needed_paid}か月分以上納めていないため、借りられません。",
            )
        )
    claim_months = t.count("tosan/loan_claim_months", event_on)
    deadline = deadline_within_months(event_on, claim_months)
    t.step("貸付請求の期限", deadline.isoformat(), f"倒産日から{claim_months}か月以内")
    if request.claim_on > deadline:
        reasons.append(
            Reason("claim_too_late", f"貸付請求の期限（{deadline.isoformat()}）を過ぎています。")
        )
    return reasons, deadline


def loan_conditions(request: LoanRequest, *, params: ParameterSet | None = None) -> LoanDecision:
    """Whether the 倒産 and the contract meet 法9条1項, without computing an amount."""
    t = _explainer("倒産防止共済 共済金貸付の要件", request, params)
    reasons, deadline = _conditions(request, t)
    return LoanDecision(not reasons, tuple(reasons), deadline, t.trace())


@dataclass(frozen=True)
class Instalment:
    number: int  # 1-based
    month: dt.date  # first day of the month it falls due
    due_on: dt.date  # 振替日 of that month [I]
    principal_yen: int


@dataclass(frozen=True)
class RepaymentSchedule:
    term_years: int
    instalments: tuple[Instalment, ...]
    trace: Trace


def _schedule(
    principal_yen: int, lent_on: dt.date, t: Explainer
) -> tuple[int, tuple[Instalment, ...]]:
    row = t.row("tosan/loan_term", lent_on, principal_yen)
    years, count = row.count("years"), row.count("instalments")
    grace = t.count("tosan/loan_grace_months", lent_on)
    t.step("償還期間", f"{years}年（据置{grace}か月、{count}回の月賦均等償還）")
    each, remainder = divmod(principal_yen, count)
    remainder_at = t.count("tosan/loan_remainder_instalment", lent_on)
    if not 1 <= remainder_at <= count:
        raise RuleError(
            "端数を加える償還回が償還回数の範囲外です", "remainder instalment out of range"
        )
    anchor = add_months(month_of(lent_on), grace)
    t.count("tosan/debit_day", add_months(anchor, 1))  # cite the 振替日 used for due dates
    instalments = tuple(
        Instalment(
            number,
            add_months(anchor, number),
            debit_date(Scheme.TOSAN, add_months(anchor, number), t.params),
            each + (remainder if number == remainder_at else 0),
        )
        for number in range(1, count + 1)
    )
    t.step(
        "毎回の償還額",
        yen_text(each),
        f"{yen_text(principal_yen)} ÷ {count}"
        + (f"、端数 {yen_text(remainder)} は第{remainder_at}回に加算" if remainder else ""),
    )
    first, last = instalments[0], instalments[-1]
    t.step("初回・最終回", f"{first.due_on.isoformat()}〜{last.due_on.isoformat()}")
    return years, instalments


def repayment_schedule(
    principal_yen: int, *, lent_on: dt.date, params: ParameterSet | None = None
) -> RepaymentSchedule:
    """The instalments of a 共済金 loan of `principal_yen` lent on `lent_on`."""
    if principal_yen <= 0:
        raise RuleError("貸付額は正の金額です", "principal must be positive")
    t = Explainer(
        "倒産防止共済 共済金の償還予定",
        {"貸付額": yen_text(principal_yen), "貸付日": lent_on},
        params,
    )
    years, instalments = _schedule(principal_yen, lent_on, t)
    return RepaymentSchedule(years, instalments, t.trace())


@dataclass(frozen=True)
class LoanQuote:
    lendable: bool
    reasons: tuple[Reason, ...]
    amount_yen: int
    eligible_total_yen: int  # 掛金総額 as the loan counts it
    term_years: int
    instalments: tuple[Instalment, ...]
    forfeited_yen: int  # 1/10 of the loan taken from the premiums (権利消滅)
    premium_total_after_yen: int  # 掛金総額 for refunds after the forfeiture
    claim_deadline_on: dt.date
    trace: Trace


def kyosaikin_loan(
    request: LoanRequest, *, lent_on: dt.date, params: ParameterSet | None = None
) -> LoanQuote:
    """共済金の貸付額 and its schedule for `request`, lent on `lent_on` (法9条)."""
    t = _explainer("倒産防止共済 共済金の貸付け", request, params)
    reasons, deadline = _conditions(request, t)
    base = eligible_total(request.account, request.claim_on, t)
    total, amount = (0, 0) if reasons else _amount(request, base.amount_yen, t)
    minimum = t.yen("tosan/loan_minimum", request.claim_on)
    if not reasons and amount < minimum:
        reasons.append(
            Reason("below_minimum", f"貸付けできる額が最低額の{yen_text(minimum)}に届きません。")
        )
    if reasons:
        t.step("共済金の貸付け", "できません")
        return LoanQuote(
            False, tuple(reasons), 0, total, 0, (), 0, base.amount_yen, deadline, t.trace()
        )
    years, instalments = _schedule(amount, lent_on, t)
    forfeited = amount // 10  # 法9条: 1/10 of the loan; amounts are in 5万円 units
    after = base.amount_yen - forfeited
    t.step("権利消滅する掛金（貸付額の10分の1）", yen_text(forfeited))
    t.step("権利消滅後の掛金総額", yen_text(after))
    return LoanQuote(
        True, (), amount, total, years, instalments, forfeited, after, deadline, t.trace()
    )


def _amount(request: LoanRequest, base_yen: int, t: Explainer) -> tuple[int, int]:
    """(掛金総額 for the loan, min(damage, 10 × it, limit − outstanding) in 5万円 units).

    The loan's total also leaves out increases made from 6 months before the 倒産 (P12) and
    premiums paid more than 2 months late after it (P28).
    """
    on = request.claim_on
    total = base_yen
    for excluded, label in (
        (request.increases_in_window_yen, "倒産の6か月前以後の増額分を除く"),
        (request.late_after_event_yen, "倒産後に2か月を超えて遅れて納めた掛金を除く"),
    ):
        if excluded:
            total = max(total - excluded, 0)
            t.step(label, yen_text(total), f"− {yen_text(excluded)}")
    multiple = t.count("tosan/loan_multiple", on)
    limit = t.yen("tosan/loan_limit", on)
    room = max(limit - request.outstanding_kyosaikin_yen, 0)
    t.step(
        "掛金総額の上限倍率による額", yen_text(multiple * total), f"{yen_text(total)} × {multiple}"
    )
    t.step(
        "貸付限度額の残り",
        yen_text(room),
        f"{yen_text(limit)} − 貸付残高 {yen_text(request.outstanding_kyosaikin_yen)}",
    )
    raw = min(request.unrecoverable_yen, multiple * total, room)
    unit = t.yen("tosan/loan_unit", on)
    amount = floor_to_unit(raw, unit)
    t.step("貸付額", yen_text(amount), f"{yen_text(raw)} の{yen_text(unit)}未満を切捨て")
    return total, amount


@dataclass(frozen=True)
class LoanLimit:
    amount_yen: int  # the most a 共済金 loan could be now, whatever the receivables
    eligible_total_yen: int
    trace: Trace


def kyosaikin_loan_limit(
    account: PremiumAccount,
    *,
    outstanding_kyosaikin_yen: int,
    on: dt.date,
    params: ParameterSet | None = None,
) -> LoanLimit:
    """The ceiling a member sees before stating a 倒産: 10 × 掛金総額, within 8,000万円 less the
    共済金 loans outstanding, in 5万円 units (法9条; the receivables may make a loan smaller)."""
    t = Explainer(
        "倒産防止共済 共済金の貸付限度額",
        {"納付済掛金": yen_text(account.premiums_paid_yen),
         "共済金の貸付残高": yen_text(outstanding_kyosaikin_yen)},
        params,
    )  # fmt: skip
    base = eligible_total(account, on, t)
    multiple = t.count("tosan/loan_multiple", on)
    room = max(t.yen("tosan/loan_limit", on) - outstanding_kyosaikin_yen, 0)
    amount = floor_to_unit(min(multiple * base.amount_yen, room), t.yen("tosan/loan_unit", on))
    t.step(
        "貸付限度額",
        yen_text(amount),
        f"{yen_text(base.amount_yen)} × {multiple}、貸付限度額の残り {yen_text(room)} まで",
    )
    return LoanLimit(amount, base.amount_yen, t.trace())


PenaltyQuote = LateChargeQuote


def late_penalty(
    overdue_yen: int, days_late: int, *, due_on: dt.date, params: ParameterSet | None = None
) -> PenaltyQuote:
    """違約金 = overdue × 14.6% × days late / 365, whole yen rounded down [I]."""
    return daily_late_charge(
        overdue_yen, days_late, due_on=due_on, title="倒産防止共済 違約金", label="違約金",
        rate_name="tosan/penalty_rate", basis_name="tosan/penalty_day_basis", params=params,
    )  # fmt: skip


@dataclass(frozen=True)
class EarlyRepaymentQuote:
    amount_yen: int
    rate: Decimal
    term_years: int
    months_early: int
    trace: Trace


def early_repayment_allowance(
    loan_yen: int,
    *,
    lent_on: dt.date,
    repaid_on: dt.date,
    ever_late: bool = False,
    cancelled_at_payoff: bool = False,
    params: ParameterSet | None = None,
) -> EarlyRepaymentQuote:
    """早期償還手当金 = loan × rate(term, whole years early) (法2条4項, 施行規則).

    Paid when the whole loan is repaid 12 months or more before the last instalment, the loan was
    never late, and the contract is not cancelled at payoff. The rate is read from a table of the
    published pairs only; an unpublished (term, years) pair is refused, not guessed.
    """
    if loan_yen <= 0 or repaid_on < lent_on:
        raise RuleError(
            "貸付額または完済日が不正です", "loan must be positive and repaid after lending"
        )
    t = Explainer(
        "倒産防止共済 早期償還手当金",
        {
            "貸付額": yen_text(loan_yen),
            "貸付日": lent_on,
            "完済日": repaid_on,
            "償還の遅れ": ever_late,
            "完済時の解約": cancelled_at_payoff,
        },
        params,
    )
    row = t.row("tosan/loan_term", lent_on, loan_yen)
    years, count = row.count("years"), row.count("instalments")
    grace = t.count("tosan/loan_grace_months", lent_on)
    last_month = add_months(month_of(lent_on), grace + count)
    months_early = max(months_between(repaid_on, last_month), 0)
    t.step("最終償還月", last_month.strftime("%Y-%m"), f"{years}年の償還期間")
    t.step("償還期限より早く完済した月数", f"{months_early}か月")
    minimum = t.count("tosan/early_repayment_min_months", lent_on)
    if ever_late or cancelled_at_payoff or months_early < minimum:
        why = (
            "償還が遅れたことがある"
            if ever_late
            else "完済時に解約"
            if cancelled_at_payoff
            else f"{minimum}か月未満"
        )
        t.step("早期償還手当金", yen_text(0), why)
        return EarlyRepaymentQuote(0, Decimal(0), years, months_early, t.trace())
    years_early = months_early // 12
    try:
        rate = t.row_where(
            "tosan/early_repayment_rate", lent_on, "case", f"term{years}_early{years_early}"
        ).rate("rate")
    except RuleError:
        raise RuleError(
            f"償還期間{years}年・{years_early}年前の完済の支給率は確認されていません",
            f"the early-repayment rate for a {years}-year term repaid {years_early} years early "
            "is not confirmed",
        ) from None
    amount = to_yen(loan_yen * rate, t.rounding("tosan/early_repayment_rate"))
    t.step("支給率", rate_text(rate), f"償還期間{years}年・{years_early}年前の完済")
    t.step("早期償還手当金", yen_text(amount), f"{yen_text(loan_yen)} × {rate_text(rate)}")
    return EarlyRepaymentQuote(amount, rate, years, months_early, t.trace())
