"""共済金貸付 (tosan 法9条, tosan_rules §4): the request on what the contract actually paid, the
staff decision (two people above the threshold), the stored schedule, the postings and the
payout; the loan then counts in the refund (L7)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal
from kyosai.contracts.models import Contract, PremiumTerm
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role
from kyosai.loans.actions import (
    AttachmentFile,
    KyosaikinLoanRequest,
    do_submit_kyosaikin_loan,
    quote_kyosaikin_loan,
)
from kyosai.loans.models import Loan
from kyosai.payouts.models import Payout
from kyosai.procedures.changes import quote_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months, debit_date, month_of
from kyosai.rules.scheme import Scheme
from kyosai.rules.tosan.loans import InsolvencyEvent
from tests.billing.book import at, member_contract, taken_over
from tests.settlement.transfers import journals_balance
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db
TOSAN = Scheme.TOSAN
CLAIMED_AT = at(2026, 11, 10)
EVIDENCE = [AttachmentFile("破産手続開始決定.pdf", "application/pdf", b"%PDF-1.4 evidence")]


def request(unrecoverable: int = 27_000_000, **changes: object) -> KyosaikinLoanRequest:
    base = {
        "debtor_name": "株式会社取引先", "event": InsolvencyEvent.BANKRUPTCY,
        "insolvency_on": dt.date(2026, 10, 20), "unrecoverable_yen": unrecoverable,
        "pause_premiums": False,
    }  # fmt: skip
    return KyosaikinLoanRequest(**{**base, **changes})  # type: ignore[arg-type]


def claim(c: Contract, req: KyosaikinLoanRequest, key: str = "loan") -> Procedure:
    return do_submit_kyosaikin_loan(
        c, req, EVIDENCE, channel=Procedure.Channel.ONLINE, idempotency_key=key,
        received_at=CLAIMED_AT, acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def example_3() -> Contract:
    """tosan_rules §9 example 3: 100,000円 × 30 months paid (2024-05 to 2026-10)."""
    c = member_contract(TOSAN, 100_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    return c


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


@pytest.fixture
def approver() -> User:
    return user("tanaka", Role.APPROVER)


def test_example_3_is_lent_on_two_approvals_with_54_instalments_and_a_tenth_forfeited(
    example_3: Contract, reviewer: User, approver: User
) -> None:
    c = example_3
    # min(27,000,000, 10 × 3,000,000, 80,000,000) = 27,000,000 (法9条); under 5,000万: 5 years.
    procedure = claim(c, request())
    assert (procedure.status, procedure.amount_yen) == (Procedure.Status.CHECKING, 27_000_000)
    assert procedure.attachments.get().name == "破産手続開始決定.pdf"
    assert claim(c, request(), key="loan").pk == procedure.pk  # a double submit: one request
    with pytest.raises(ProcedureError, match="すでに受け付けています"):
        claim(c, request(), key="loan-2")
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert not Loan.objects.exists()  # 27,000,000 ≥ the threshold: a second person confirms
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)

    loan = Loan.objects.get(contract=c)
    lent_on = timezone.localdate()
    assert (loan.principal_yen, loan.term_years, loan.forfeited_yen) == (27_000_000, 5, 2_700_000)
    instalments = list(loan.instalments.all())
    assert len(instalments) == 54 and {i.principal_yen for i in instalments} == {500_000}
    # 据置6か月: the first instalment is due in the 7th month after the lending month.
    first_month = add_months(month_of(lent_on), 7)
    assert instalments[0].month == first_month
    assert instalments[0].due_on == debit_date(TOSAN, first_month)
    journal = Journal.objects.get(reference=f"loan:{procedure.pk}")
    assert {(p.account, p.contract_id, p.amount_yen) for p in journal.postings.all()} == {
        (Account.LOANS, c.pk, 27_000_000),
        (Account.PAYABLE, c.pk, -27_000_000),
        (Account.PREMIUMS, c.pk, 2_700_000),
        (Account.FORFEITED, None, -2_700_000),
    }
    payout = Payout.objects.get(contract=c)
    assert (payout.kind, payout.amount_yen, payout.status) == ("loan", 27_000_000, "approved")
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.APPROVED
    assert "毎月500,000円（54回）" in procedure.events.last().message  # type: ignore[union-attr]
    # L7: the member's premiums are now 300,000円, and a refund counts only those: 30 months,
    # 任意 90 % → 270,000円 (tosan_rules §9 example 3).
    assert -balance_of(c, Account.PREMIUMS) == 300_000
    assert quote_cancellation(c, on=lent_on).refund_yen == 270_000
    journals_balance()


def test_the_amount_is_held_to_the_receivables_and_to_ten_times_the_premiums_example_4() -> None:
    # tosan_rules §9 example 4 (SMRJ's own): 掛金総額 1,500,000 and damage 16,000,000 → 15,000,000.
    c = member_contract(TOSAN, 50_000, at(2024, 5))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    quote = quote_kyosaikin_loan(
        c, request(16_000_000), claim_on=CLAIMED_AT.date(), lent_on=CLAIMED_AT.date()
    )
    assert (quote.lendable, quote.amount_yen, quote.term_years) == (True, 15_000_000, 5)
    small = quote_kyosaikin_loan(
        c, request(1_234_567), claim_on=CLAIMED_AT.date(), lent_on=CLAIMED_AT.date()
    )
    assert small.amount_yen == 1_200_000  # 5万円 units, rounded down (L5 [I])


def test_increases_made_within_six_months_before_the_bankruptcy_do_not_count_p12() -> None:
    c = member_contract(TOSAN, 50_000, at(2024, 5))
    PremiumTerm.objects.create(
        contract=c, monthly_yen=100_000, valid_from_month=dt.date(2026, 8, 1)
    )
    taken_over(TOSAN, dt.date(2026, 10, 1))
    # Paid: 27 months at 50,000 and August to October at 100,000 = 1,650,000; the 3 × 50,000
    # added by the increase in the window are left out: 1,500,000 × 10 = 15,000,000.
    quote = quote_kyosaikin_loan(
        c, request(80_000_000), claim_on=CLAIMED_AT.date(), lent_on=CLAIMED_AT.date()
    )
    assert quote.eligible_total_yen == 1_500_000 and quote.amount_yen == 15_000_000


def test_a_bankruptcy_within_six_months_of_joining_is_refused_and_nothing_saved_l1() -> None:
    c = member_contract(TOSAN, 50_000, at(2026, 6))
    taken_over(TOSAN, dt.date(2026, 10, 1))
    with pytest.raises(ProcedureError, match="加入後6か月以上"):
        claim(c, request())
    assert not Procedure.objects.filter(kind=Procedure.Kind.KYOSAIKIN_LOAN).exists()


def test_a_request_more_than_six_months_after_the_bankruptcy_is_refused_l2(
    example_3: Contract,
) -> None:
    with pytest.raises(ProcedureError, match="期限（2026-10-01）を過ぎています"):
        claim(example_3, request(insolvency_on=dt.date(2026, 4, 1)))


def test_evidence_is_required_and_only_tosan_lends(example_3: Contract) -> None:
    with pytest.raises(ProcedureError, match="書類を添付"):
        do_submit_kyosaikin_loan(
            example_3, request(), [], channel=Procedure.Channel.ONLINE, idempotency_key="x",
            received_at=CLAIMED_AT, acting_user=example_3.party.user,  # type: ignore[arg-type]
        )  # fmt: skip
    shokibo = member_contract(Scheme.SHOKIBO, 10_000, at(2024, 5), 2)
    with pytest.raises(ProcedureError, match="経営セーフティ共済"):
        claim(shokibo, request(), key="y")


def test_premiums_pause_for_the_grace_period_when_asked_p7(
    example_3: Contract, reviewer: User, approver: User
) -> None:
    procedure = claim(example_3, request(5_000_000, pause_premiums=True))
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)  # below the threshold
    stop = example_3.premium_stops.get()
    lent_month = month_of(timezone.localdate())
    assert (stop.from_month, stop.until_month) == (
        add_months(lent_month, 1), add_months(lent_month, 6),
    )  # fmt: skip
