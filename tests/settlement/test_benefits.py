"""共済金の請求 end to end: request → staff decision → 総合振込 file → confirmation, on what the
contract actually paid (shokibo_rules.md §3 benefits, §4 受取方法, §10 worked examples).

Contracts get their history as production does: taken over from the previous system with an
opening balance, then billed by the real monthly run. The worked examples assume no 付加共済金,
so their histories start in 2019-04 (every fiscal year from then has a rate of 0) and the events
fall in the 2030s and 2040s; dates are arguments everywhere, so the future is no obstacle.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Sum

from kyosai.benefits.actions import (
    ClaimFacts,
    approve_due_instalments,
    do_submit_benefit_claim,
    quote_claim,
)
from kyosai.benefits.models import Determination, Instalment
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal, Posting
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role
from kyosai.payouts.actions import do_confirm_transfer_file, do_make_transfer_file
from kyosai.payouts.models import Payout
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.events import BenefitEvent
from kyosai.rules.shokibo.receipt import ReceiptMethod
from tests.billing.book import JST, member_contract, taken_over
from tests.settlement.transfers import journals_balance, transfer_records
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
SHOKIBO = Scheme.SHOKIBO
START = dt.datetime(2019, 4, 10, 10, tzinfo=JST)  # joined April 2019: 付加共済金 0 from then on
BORN = dt.date(1975, 5, 1)


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


@pytest.fixture
def approver() -> User:
    return user("tanaka", Role.APPROVER)


def paid_for(months: int, monthly: int = 10_000, n: int = 0) -> Contract:
    """A contract joined in April 2019 that has paid `months` months (taken over)."""
    c = member_contract(SHOKIBO, monthly, START, n)
    taken_over(SHOKIBO, add_months(dt.date(2019, 4, 1), months - 1))
    return c


def claim(
    c: Contract,
    event: BenefitEvent,
    event_on: dt.date,
    received_on: dt.date,
    key: str = "claim",
    **facts: object,
) -> Procedure:
    return do_submit_benefit_claim(
        c, ClaimFacts(event, event_on, facts.pop("born", BORN), **facts),  # type: ignore[arg-type]
        channel=Procedure.Channel.ONLINE, idempotency_key=key,
        received_at=dt.datetime.combine(received_on, dt.time(10), tzinfo=JST),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def postings(reference: str) -> set[tuple[str, int | None, int]]:
    journal = Journal.objects.get(reference=reference)
    return {(p.account, p.contract_id, p.amount_yen) for p in journal.postings.all()}


def pay_and_confirm(pay_on: dt.date, approver: User, bank_files: Path) -> list[dict[str, str]]:
    file = do_make_transfer_file(pay_on=pay_on, acting_user=approver)
    _, items = transfer_records(bank_files / "outgoing" / file.name)
    do_confirm_transfer_file(file, returned=set(), confirmed_on=pay_on, acting_user=approver)
    return items


def money_in_equals_money_out(c: Contract) -> None:
    """Money in = money out + what the fund keeps, to the yen, and every journal balances."""
    paid_in = -Posting.objects.filter(
        contract=c, account=Account.PREMIUMS, journal__kind__in=["opening", "result"]
    ).aggregate(s=Sum("amount_yen"))["s"]
    paid_out = -(
        Posting.objects.filter(journal__kind="transfer", account=Account.BANK).aggregate(
            s=Sum("amount_yen")
        )["s"]
        or 0
    )
    kept = -Posting.objects.filter(account=Account.CLOSING_DIFFERENCE).aggregate(
        s=Sum("amount_yen")
    )["s"]
    owed = -balance_of(c, Account.PAYABLE)  # instalments not paid yet
    assert paid_in == paid_out + kept + owed
    for account in (Account.PREMIUMS, Account.ARREARS):
        assert balance_of(c, account) == 0
    journals_balance()


def test_w1_closure_after_240_months_pays_2_786_400_at_once(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # W1 (jcca-shiga anchor): 10,000円 × 240 months, then 廃業 → 共済金A 2,786,400円.
    c = paid_for(240)  # 2019-04 … 2039-03
    procedure = claim(c, BenefitEvent.CLOSURE, dt.date(2039, 3, 31), dt.date(2039, 4, 11))
    assert procedure.status == Procedure.Status.CHECKING
    assert procedure.amount_yen == 2_786_400 and procedure.payload["kind"] == "A"
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)  # below 300万: one

    c.refresh_from_db()
    d = Determination.objects.get(contract=c)
    assert c.status == Contract.Status.ENDED
    assert (d.kind, d.months, d.benefit_yen, d.method, d.paid_now_yen) == (
        "A", 240, 2_786_400, "lump", 2_786_400,
    )  # fmt: skip
    assert "240か月の共済金A欄 [確認済]" in d.trace and d.notice_pdf[:5] == b"%PDF-"
    assert postings(f"benefit:{c.number}") == {
        (Account.PREMIUMS, c.pk, 2_400_000),
        (Account.CLOSING_DIFFERENCE, None, 386_400),  # the fund pays more than it held
        (Account.PAYABLE, c.pk, -2_786_400),
    }
    [item] = pay_and_confirm(dt.date(2039, 4, 11), approver, bank_files)
    assert int(item["amount"]) == 2_786_400
    assert (item["customer_code1"] + item["customer_code2"]).lstrip("0") == c.number
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE
    assert "共済金2,786,400円を2039年4月11日にお振り込みしました" in procedure.events.last().message  # type: ignore[union-attr]
    assert Payout.objects.get().status == Payout.Status.PAID
    money_in_equals_money_out(c)
