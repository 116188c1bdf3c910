"""After a run's results: tell members what will be re-billed, warn at 12 months unpaid, cancel
when the warning's deadline passes unpaid, and lift warnings once arrears are paid.

Set-based like the run itself; members in a disaster relief area (rules.arrears) are neither
warned nor cancelled.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kyosai.billing import sql
from kyosai.billing.models import ArrearsNotice, BillingRun
from kyosai.billing.runs import run_terms
from kyosai.cancellations.actions import do_cancel_for_arrears
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor
from kyosai.notices import events as notices
from kyosai.rules.arrears import arrears_terms, relief_prefectures
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme


@dataclass(frozen=True)
class ArrearsReview:
    rebilling_notices: int
    warnings: int
    lifted: int
    cancelled: tuple[str, ...]  # contract numbers cancelled by the operator (機構解約)


def next_rebill_month(run: BillingRun) -> dt.date:
    """The first month that re-bills what failed in the run's month."""
    scheme = Scheme(run.scheme)
    month = add_months(run.month, 1)
    while True:
        terms = run_terms(scheme, month)
        if terms.rebill and terms.rebill_before >= run.month:
            return month
        month = add_months(month, 1)


def review_arrears(run: BillingRun, *, on: dt.date, acting_user: Actor | None) -> ArrearsReview:
    scheme = Scheme(run.scheme)
    terms = arrears_terms(scheme, on)
    relief = sorted(relief_prefectures(on))
    outside_relief = (
        f"p.prefecture_code NOT IN ({', '.join(['%s'] * len(relief))})" if relief else "1 = 1"
    )
    common = {"scheme": str(scheme), "threshold": terms.warning_months}
    with transaction.atomic():
        lifted = sql.execute(
            """UPDATE billing_arrearsnotice SET outcome = 'paid'
               WHERE kind = 'warning' AND outcome = 'open' AND contract_id IN (
                   SELECT s.contract_id FROM billing_billingstate s
                   JOIN contracts_contract k ON k.id = s.contract_id
                   WHERE k.scheme = %(scheme)s AND s.arrears_months < %(threshold)s)""",
            common,
        )
        sql.execute(
            """UPDATE billing_billingstate SET debit_stopped = %(false)s
               WHERE debit_stopped AND arrears_months < %(threshold)s AND contract_id IN (
                   SELECT id FROM contracts_contract WHERE scheme = %(scheme)s)""",
            {**common, "false": False},
        )
        cancelled = _cancel_after_deadline(scheme, on, relief, outside_relief, acting_user)
        warnings = _warn(scheme, on, terms.deadline_on, relief, outside_relief, common)
        notices = sql.execute(
            """INSERT INTO billing_arrearsnotice (contract_id, kind, month, issued_on,
                   arrears_yen, arrears_months, outcome)
               SELECT s.contract_id, 'rebilling', %(month)s, %(on)s, s.arrears_yen,
                      s.arrears_months, 'open'
               FROM billing_billingstate s JOIN contracts_contract k ON k.id = s.contract_id
               WHERE k.scheme = %(scheme)s AND s.arrears_yen > 0 AND NOT s.debit_stopped
                 AND k.status IN ('active', 'suspended')
               ON CONFLICT DO NOTHING""",
            {**common, "month": next_rebill_month(run), "on": on},
        )
    return ArrearsReview(notices, warnings, lifted, cancelled)


def _warn(
    scheme: Scheme,
    on: dt.date,
    deadline_on: dt.date,
    relief: list[str],
    outside_relief: str,
    common: dict[str, object],
) -> int:
    """解除予告 to every member with 12+ months unpaid and no open warning; debiting stops."""
    eligible = f"""
        FROM billing_billingstate s
        JOIN contracts_contract k ON k.id = s.contract_id
        JOIN parties_party p ON p.id = k.party_id
        WHERE k.scheme = %s AND k.status IN ('active', 'suspended')
          AND s.arrears_months >= %s AND {outside_relief}
          AND NOT EXISTS (SELECT 1 FROM billing_arrearsnotice n WHERE n.contract_id = s.contract_id
                          AND n.kind = 'warning' AND n.outcome = 'open')"""
    args = [common["scheme"], common["threshold"], *relief]
    warned = sql.execute(
        f"""INSERT INTO billing_arrearsnotice (contract_id, kind, month, issued_on, arrears_yen,
                arrears_months, deadline_on, outcome)
            SELECT s.contract_id, 'warning', %s, %s, s.arrears_yen, s.arrears_months, %s, 'open'
            {eligible}
            ON CONFLICT DO NOTHING""",
        [on.replace(day=1), on, deadline_on, *args],
    )
    sql.execute(
        """UPDATE billing_billingstate SET debit_stopped = %s WHERE contract_id IN (
               SELECT contract_id FROM billing_arrearsnotice
               WHERE kind = 'warning' AND outcome = 'open' AND issued_on = %s)""",
        [True, on],
    )
    notices.termination_warnings(issued_on=on)
    return warned


def _cancel_after_deadline(
    scheme: Scheme,
    on: dt.date,
    relief: list[str],
    outside_relief: str,
    acting_user: Actor | None,
) -> tuple[str, ...]:
    """機構解約 of members whose warning's deadline passed with the arrears still unpaid. Few
    contracts a month, each cancelled, settled and audited on its own (cancellations)."""
    due = sql.rows(
        f"""SELECT n.id, k.id FROM billing_arrearsnotice n
            JOIN contracts_contract k ON k.id = n.contract_id
            JOIN parties_party p ON p.id = k.party_id
            WHERE k.scheme = %s AND n.kind = 'warning' AND n.outcome = 'open'
              AND n.deadline_on < %s AND {outside_relief}
            ORDER BY k.id""",
        [str(scheme), on, *relief],
    )
    numbers = []
    for notice_id, contract_id in due:
        contract = Contract.objects.get(pk=contract_id)
        do_cancel_for_arrears(contract, on=on, notice_id=notice_id, acting_user=acting_user)
        ArrearsNotice.objects.filter(pk=notice_id).update(outcome=ArrearsNotice.Outcome.CANCELLED)
        numbers.append(contract.number)
    return tuple(numbers)
