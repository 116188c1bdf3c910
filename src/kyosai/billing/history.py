"""What a contract has actually paid, month by month, from its bills and the bank's answers: the
real history that refunds, benefits and loans are computed on (the scheduled history in
contracts.rule_inputs is only for contracts no run has reached yet).

A premium month is paid when a paid bill collected it: as one of the bill's own new months, or
as arrears of a failed bill carried into it (再請求), however many times it was carried. A
failed 前納's months ahead lapse (tosan P19) and are billed again as regular months, so a carried
prepayment bill brings only its own month. Months taken over from the previous system with an
opening balance (billing.runs.open_balances) are paid from the first premium month up to the
first month a bill collected. The amount of each month is the premium term in force then; the
tosan cap's last month may have collected less, which is why amounts come from the ledger.
"""

import datetime as dt
from collections import defaultdict

from kyosai.billing import sql
from kyosai.billing.models import Account, Bill, BillingState, Journal
from kyosai.contracts.models import Contract
from kyosai.contracts.rule_inputs import term_on
from kyosai.formats.zengin import PAID_RESULT_CODE
from kyosai.rules.calendar import month_at, month_index, month_of
from kyosai.rules.shokibo.history import PremiumSpan
from kyosai.rules.tosan.refund import PremiumAccount


def paid_months(contract: Contract) -> list[int]:
    """The premium months (month indexes) the contract has paid, in order."""
    bills = list(
        Bill.objects.filter(contract=contract)
        .select_related("result")
        .values_list(
            "pk", "months", "covers_through", "prepaid_months", "lapsing_yen",
            "carried_into_id", "result__result_code",
        )
    )  # fmt: skip
    carried: dict[int, list[int]] = defaultdict(list)
    own: dict[int, range] = {}
    paid_bills = []
    for pk, count, through, prepaid, lapsing, into, code in bills:
        own[pk] = range(through - count + 1, through + 1)
        if into is not None:
            carried[into].append(pk)
            if lapsing:  # a failed 前納 carried on: only its own month is owed (P19)
                own[pk] = range(through - count + 1, through - prepaid + 1)
        if code == PAID_RESULT_CODE:
            paid_bills.append(pk)
    months = _opening_months(contract, [own[pk] for pk, *_ in bills])
    todo = list(paid_bills)
    while todo:
        pk = todo.pop()
        months.update(own[pk])
        todo.extend(carried[pk])
    return sorted(months)


def _opening_months(contract: Contract, billed: list[range]) -> set[int]:
    """The months paid before the first run, when the contract was taken over with a balance:
    from its first premium month on, less 掛止め months, as many as the balance paid for (so a
    tosan contract taken over at the 積立限度額 has paid only the months up to the cap)."""
    state = BillingState.objects.filter(contract=contract).first()
    [(opening,)] = sql.rows(
        """SELECT COALESCE(-SUM(t.amount_yen), 0) FROM billing_posting t
           JOIN billing_journal j ON j.id = t.journal_id
           WHERE t.contract_id = %s AND t.account = %s AND j.kind = %s""",
        [contract.pk, str(Account.PREMIUMS), str(Journal.Kind.OPENING)],
    )
    if state is None or not opening:
        return set()
    first_billed = min((r.start for r in billed if r), default=state.billed_through + 1)
    stopped: set[int] = set()
    for stop in contract.premium_stops.all():
        last = month_index(stop.until_month) if stop.until_month else first_billed
        stopped.update(range(month_index(stop.from_month), last + 1))
    months: set[int] = set()
    paid = 0
    for index in range(state.start_month, first_billed):
        if paid >= opening:
            break
        if index not in stopped:
            months.add(index)
            paid += term_on(contract, month_at(index)).monthly_yen
    return months


def premiums_received_yen(contract: Contract) -> int:
    """Every premium the contract has paid (the opening balance included), from the ledger."""
    [(total,)] = sql.rows(
        """SELECT COALESCE(SUM(t.amount_yen), 0) FROM billing_posting t
           JOIN billing_journal j ON j.id = t.journal_id
           WHERE t.contract_id = %s AND t.account = %s AND j.kind IN (%s, %s)""",
        [contract.pk, str(Account.PREMIUMS), str(Journal.Kind.RESULT), str(Journal.Kind.OPENING)],
    )
    return -int(total)


def paid_spans(contract: Contract, on: dt.date) -> list[PremiumSpan]:
    """shokibo: the months paid up to `on`'s month, as spans of consecutive months at one
    premium (months paid ahead of `on` are not yet 納付月数)."""
    last = month_index(month_of(on))
    spans: list[PremiumSpan] = []
    for index in (m for m in paid_months(contract) if m <= last):
        month = month_at(index)
        monthly = term_on(contract, month).monthly_yen
        if spans and month_index(spans[-1].end_month) == index and spans[-1].monthly_yen == monthly:
            spans[-1] = PremiumSpan(spans[-1].first_month, spans[-1].months + 1, monthly)
        else:
            spans.append(PremiumSpan(month, 1, monthly))
    return spans


def paid_account(contract: Contract, on: dt.date) -> PremiumAccount:
    """tosan: what the contract has paid as of `on`, months paid ahead of it set apart (P20)."""
    months = paid_months(contract)
    ahead = [m for m in months if m > month_index(month_of(on))]
    return PremiumAccount(
        premiums_paid_yen=premiums_received_yen(contract),
        months_paid=len(months),
        prepaid_unarrived_months=len(ahead),
        prepaid_unarrived_yen=sum(term_on(contract, month_at(m)).monthly_yen for m in ahead),
    )


def paid_late_yen(contract: Contract, *, after: dt.date, months_late: int) -> int:
    """Premiums collected by bills of months after `after` for months more than `months_late`
    months before the bill (tosan P28: paid more than 2 months late after the 倒産)."""
    late = 0
    first_month = month_index(month_of(after)) + 1
    for bill in Bill.objects.paid().filter(contract=contract, month__gte=month_at(first_month)):
        collected_in = month_index(bill.month)
        for carried in _carried_months(bill):
            if collected_in - carried > months_late:
                late += term_on(contract, month_at(carried)).monthly_yen
    return late


def _carried_months(bill: Bill) -> list[int]:
    """The premium months a bill collected as arrears: its carried bills', however deep."""
    months: list[int] = []
    todo = list(bill.carried.all())
    while todo:
        carried = todo.pop()
        end = carried.covers_through - (carried.prepaid_months if carried.lapsing_yen else 0)
        months.extend(range(carried.covers_through - carried.months + 1, end + 1))
        todo.extend(carried.carried.all())
    return months
