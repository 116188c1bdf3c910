"""Small books of contracts for the billing tests, enrolled through the real action."""

import dataclasses
import datetime as dt

from django.contrib.auth.models import User

from kyosai.billing.runs import open_balances
from kyosai.contracts.models import Contract
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.models import Procedure
from kyosai.rules.scheme import Scheme
from tests.domain.test_enrollment import MANDATE, OWNER

JST = dt.timezone(dt.timedelta(hours=9))


def at(year: int, month: int, day: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=JST)


def member_contract(
    scheme: Scheme, monthly: int, applied_at: dt.datetime, n: int = 0, bank: str = "0001"
) -> Contract:
    """Member `n`'s contract, applied for at `applied_at`, debited from bank `bank` branch 001."""
    user = User.objects.create_user(f"billing-{scheme}-{n}")
    party = dataclasses.replace(OWNER, name=f"山田花子{n}", phone=f"03{n:08d}")
    application = EnrollmentApplication(
        scheme, party, monthly, dataclasses.replace(MANDATE, bank_code=bank),
        "sole_proprietor" if scheme == Scheme.SHOKIBO else "",
    )  # fmt: skip
    procedure = do_submit_enrollment(
        application, channel=Procedure.Channel.ONLINE, idempotency_key=f"book-{scheme}-{n}",
        received_at=applied_at, acting_user=user,
    )  # fmt: skip
    assert procedure.contract is not None, procedure.deficiencies
    return procedure.contract


def taken_over(scheme: Scheme, through: dt.date) -> None:
    """Every contract of `scheme` no run has billed yet is taken over as paid through the month
    `through` (billing.runs.open_balances, as for a contract migrated from the previous system),
    which gives it a real premium history. Once per scheme and month."""
    open_balances(scheme, through, posted_on=through)
