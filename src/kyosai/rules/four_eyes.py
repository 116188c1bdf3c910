"""二人承認 (four-eyes): the payout from which a staff decision needs a second person.

Not a statute but the operator's internal control, kept as parameters so that the operator sets
and dates the amounts: one file per procedure kind, `common/four_eyes/<kind>.yaml`, in yen. A
kind with no such file (or none in force yet) is decided by one person. A later kind that pays
out (loans, benefits) adds its file and nothing else here.
"""

import datetime as dt
from dataclasses import dataclass

from kyosai.rules.params import ParameterSet, Status, default_parameters

PREFIX = "common/four_eyes/"


@dataclass(frozen=True)
class FourEyesRule:
    kind: str
    from_yen: int  # an amount at or above this needs a second person
    valid_from: dt.date
    status: Status
    note: str  # why an unconfirmed amount is what it is, for the staff who read it

    def applies_to(self, amount_yen: int) -> bool:
        return amount_yen >= self.from_yen


def four_eyes_rule(
    kind: str, *, on: dt.date, params: ParameterSet | None = None
) -> FourEyesRule | None:
    """The threshold in force on `on` for procedures of `kind`, or None when one person decides."""
    params = params or default_parameters()
    name = PREFIX + kind
    if name not in params or params[name].values[0].valid_from > on:
        return None
    value = params[name].at(on)
    if not isinstance(value.value, int):
        raise TypeError(f"parameter {name} is not an amount in yen")
    return FourEyesRule(kind, value.value, value.valid_from, value.status, value.note)
