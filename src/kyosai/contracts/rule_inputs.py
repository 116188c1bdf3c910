"""Contract rows → the facts the refund and change rules take.

Until premium collection (the billing issue) records what was actually debited, premiums are
taken as scheduled: every month from the joining month to the month before `on`, at the term
in force, stopping at the tosan 積立限度額. Quotes built on this say so in their trace.
"""

import datetime as dt

from kyosai.contracts.models import Contract, PremiumTerm
from kyosai.rules.calendar import add_months, month_of, months_between
from kyosai.rules.errors import RuleError
from kyosai.rules.params import default_parameters
from kyosai.rules.shokibo.history import PremiumSpan
from kyosai.rules.tosan.refund import PremiumAccount

SCHEDULED_NOTE = "入金実績ではなく、契約上の掛金（加入月から前月まで）で計算した見込みです。"


def term_on(contract: Contract, month: dt.date) -> PremiumTerm:
    """The premium term in force in `month`."""
    term = contract.premium_terms.filter(valid_from_month__lte=month_of(month)).last()
    if term is None:
        raise RuleError("この月の掛金月額がありません", f"no premium term for {month:%Y-%m}")
    return term


def _monthly_by_month(contract: Contract, on: dt.date) -> list[int]:
    """The premium of each month from the joining month to the month before `on`."""
    terms = list(contract.premium_terms.all())  # ordered by valid_from_month
    amounts = []
    for n in range(months_between(contract.joined_month, month_of(on))):
        month = add_months(contract.joined_month, n)
        in_force = [t.monthly_yen for t in terms if t.valid_from_month <= month]
        if not in_force:
            raise RuleError("加入月の掛金月額がありません", f"no premium term for {month:%Y-%m}")
        amounts.append(in_force[-1])
    return amounts


def scheduled_spans(contract: Contract, on: dt.date) -> list[PremiumSpan]:
    """shokibo: the months before `on`, as spans of equal premiums."""
    spans: list[PremiumSpan] = []
    for n, monthly in enumerate(_monthly_by_month(contract, on)):
        if spans and spans[-1].monthly_yen == monthly:
            last = spans[-1]
            spans[-1] = PremiumSpan(last.first_month, last.months + 1, monthly)
        else:
            spans.append(PremiumSpan(add_months(contract.joined_month, n), 1, monthly))
    return spans


def scheduled_tosan_account(contract: Contract, on: dt.date) -> PremiumAccount:
    """tosan: premiums of the months before `on`, stopping at the 積立限度額 (the last month
    collecting only the remainder)."""
    cap = default_parameters()["tosan/premium_total_cap"].whole_at(on)
    total = months = 0
    for monthly in _monthly_by_month(contract, on):
        if total >= cap:
            break
        total += min(monthly, cap - total)
        months += 1
    return PremiumAccount(premiums_paid_yen=total, months_paid=months)
