"""Arrears (未納) that lead to 機構解約: the month count, the notice's deadline, disaster relief.

tosan P26–P27, shokibo P14: 12 or more months unpaid bring a 解除予告 with a payment deadline;
unpaid by then, the operator cancels. From 2018-09-25 arrears caused by a disaster do not lead to
cancellation: members in a designated area and period are left alone.
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.params import ParameterSet, Table, default_parameters
from kyosai.rules.scheme import Scheme

RELIEF = "common/disaster_relief_areas"


@dataclass(frozen=True)
class ArrearsTerms:
    warning_months: int  # arrears months that bring the 解除予告
    deadline_on: dt.date  # the payment deadline printed on a notice issued that day


def arrears_terms(scheme: Scheme, on: dt.date, params: ParameterSet | None = None) -> ArrearsTerms:
    params = params or default_parameters()
    months = params[f"{scheme}/cancellation_arrears_months"].whole_at(on)
    days = params[f"{scheme}/cancellation_notice_days"].whole_at(on)
    return ArrearsTerms(months, on + dt.timedelta(days=days))


def relief_prefectures(on: dt.date, params: ParameterSet | None = None) -> frozenset[str]:
    """Prefecture codes under disaster relief in the month of `on` (none before the rule began)."""
    parameter = (params or default_parameters())[RELIEF]
    if on < parameter.values[0].valid_from:
        return frozenset()
    table = parameter.at(on).value
    if not isinstance(table, Table):
        raise TypeError(f"parameter {RELIEF} is not a table")
    month = f"{on:%Y-%m}"
    return frozenset(
        row.text("prefecture")
        for row in table.rows
        if row.text("first_month") <= month <= row.text("last_month")
    )
