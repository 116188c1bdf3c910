"""The demo book: a few thousand members spread over prefectures, industries, agencies, schemes."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from kyosai.agencies.models import Agency, ConfirmationLink
from kyosai.agencies.selectors import agency_procedures, agency_results
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account
from kyosai.billing.runs import generate_bills, open_run
from kyosai.campaigns.models import Campaign
from kyosai.cancellations.models import Cancellation
from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract
from kyosai.demo import MEMBERS, load_demo
from kyosai.formats.identifiers import validate_contract_number
from kyosai.intake.models import IntakeRow
from kyosai.loans.models import Loan
from kyosai.notices.models import Notice
from kyosai.parties.models import Industry, Party
from kyosai.payouts.models import Payout, TransferFile
from kyosai.procedures.models import Procedure
from kyosai.reports.selectors import achievement, model_prefectures, plan_of
from kyosai.rules.scheme import Scheme
from kyosai.scorecards.models import Tally
from tests.billing.book import JST
from tests.settlement.transfers import journals_balance

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)  # 勤労感謝の日: no bank business


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader runs on TODAY (`make run` passes timezone.localdate()), and the demo loan is
    lent on the day of its decision, timezone.localdate(): the clock reads TODAY too."""
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 23, 9, 30, tzinfo=JST))


def test_the_demo_book_is_spread_like_the_real_one_and_loads_once() -> None:
    first = load_demo(today=TODAY)
    # Plus the demo member, the member who cancelled, the three clients of the demo
    # agency's paper forms, the one of the bank branch's and the one form of the BPO's file
    # that went straight through.
    assert first.created and first.members == MEMBERS + 2 + 3 + 1 + 1
    assert len(set(Party.objects.values_list("prefecture_code", flat=True))) == 47
    assert set(Party.objects.values_list("industry", flat=True)) == set(Industry.values)
    by_scheme = dict(Contract.objects.values_list("scheme").annotate(n=Count("pk")))
    assert by_scheme["shokibo"] > by_scheme["tosan"] > 500
    assert Contract.objects.values("handling_agency").distinct().count() > 100
    numbers = list(Contract.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(validate_contract_number(n) == n for n in numbers[:200])
    member = Party.objects.get(user__username="member@example.jp")
    assert sorted(member.contracts.values_list("scheme", flat=True)) == ["shokibo", "tosan"]
    # The member's certificates as the batches issued them: this autumn's 控除証明書 (PDF and
    # signed XML) and last year's 掛金納付状況兼領収書.
    issued = dict(
        IssuedCertificate.objects.filter(contract__party=member).values_list("kind", "year")
    )
    assert issued == {"deduction": 2026, "payment_statement": 2025}
    assert IssuedCertificate.objects.get(kind="deduction").xml is not None
    online = Procedure.objects.filter(agency=None).exclude(kind=Procedure.Kind.KYOSAIKIN_LOAN)
    assert set(online.values_list("status", flat=True)) == {"done"}
    # The agency clerk's desk: paper forms in three states and a link waiting for its client.
    desk = Procedure.objects.filter(agency__clerks__user__username="agency")
    assert sorted(desk.values_list("status", flat=True)) == ["checking", "deficient", "done"]
    assert set(desk.values_list("channel", flat=True)) == {"paper"}
    assert ConfirmationLink.objects.get().client_email == "client@example.jp"
    # A bank's 統轄店 follows its 取扱店: the branch's enrollment and 掛金月額変更, and the
    # 住所変更 the head office took for another branch's client.
    head = Agency.objects.get(clerks__user__username="agency-bank")
    branch = Agency.objects.get(clerks__user__username="agency-branch")
    assert branch.parent == head and head.branches.count() == 3
    assert sorted(agency_procedures(head).values_list("kind", flat=True)) == [
        "enrollment", "party_change", "premium_change",
    ]  # fmt: skip
    assert sorted(agency_procedures(branch).values_list("kind", flat=True)) == [
        "enrollment", "premium_change",
    ]  # fmt: skip
    assert set(agency_procedures(head).values_list("status", flat=True)) == {"done"}
    # The book's contracts were issued when they joined: a year's results spread over months.
    year = agency_results(head, 2025)
    assert sum(year.new_contracts.values()) > 0 and year.fee_yen > 0
    # Three years of decided procedures behind the scorecard pages, tallied.
    assert Tally.objects.filter(month__lt=dt.date(2026, 11, 1)).count() > 500
    # Taken over as paid through last month: November's tosan run (the 27th, still ahead) bills
    # the old contracts one month each, none of them while stopped (掛止め from this month) or
    # once the 積立限度額 is reached (tosan P2/P3).
    old_active = Contract.objects.filter(
        scheme="tosan", status="active", joined_month__lt=dt.date(2026, 9, 1)
    )
    capped = old_active.filter(billing_state__billed_regular_yen__gte=8_000_000).count()
    november = generate_bills(open_run(Scheme.TOSAN, dt.date(2026, 11, 1)))
    old = november.bills.filter(contract__joined_month__lt=dt.date(2026, 9, 1))
    assert set(old.values_list("months", flat=True)) == {1}
    assert not old.filter(contract__status="suspended").exists()
    assert capped > 0
    assert old.count() == old_active.count() - capped
    # The demo member's 共済金 loan, lent today: 1,350,000円 over 54 × 25,000円 after 6 months'
    # grace (tosan_rules L8), a tenth taken from the premiums (L7); its transfer waits.
    tosan = member.contracts.get(scheme="tosan")
    loan = Loan.objects.get(contract=tosan)
    assert (loan.lent_on, loan.principal_yen, loan.forfeited_yen) == (TODAY, 1_350_000, 135_000)
    assert loan.status == Loan.Status.REPAYING and loan.procedure.status == "approved"
    assert [i.principal_yen for i in loan.instalments.all()] == [25_000] * 54
    first_due = loan.instalments.get(number=1).due_on
    assert first_due == dt.date(2027, 6, 28)  # the 7th month's 振替日 (the 27th is a Sunday)
    assert balance_of(tosan, Account.LOANS) == -balance_of(tosan, Account.PAYABLE) == 1_350_000
    assert Payout.objects.get(contract=tosan).status == Payout.Status.APPROVED
    # 佐々木 cancelled on the last business day, 20 November, with 36 months paid: 1,080,000円 ×
    # 95 % (tosan 施行令4条), paid by a confirmed 総合振込 file that day.
    cancelled = Cancellation.objects.get()
    assert cancelled.contract.party.name == "佐々木 健一"
    assert (cancelled.effective_on, cancelled.months, cancelled.net_yen) == (
        dt.date(2026, 11, 20), 36, 1_026_000,
    )  # fmt: skip
    file = TransferFile.objects.get()
    assert (file.pay_on, file.records, file.total_yen) == (dt.date(2026, 11, 20), 1, 1_026_000)
    assert file.confirmed_at is not None
    assert Payout.objects.get(file=file).status == Payout.Status.PAID
    for account in (Account.PREMIUMS, Account.PAYABLE):
        assert balance_of(cancelled.contract, account) == 0
    journals_balance()
    # The reports have a plan to measure against and this year's new contracts to count.
    tosan_plan = {(t.dimension, t.key): t.target for t in plan_of(2026, Scheme.TOSAN)}
    assert (
        tosan_plan[("total", "合計")] == 50_000 and len(tosan_plan) == 18
    )  # 令和8年度, as published
    report = achievement(2026, TODAY)
    total = report.blocks[-1].cells
    assert total[Scheme.SHOKIBO].target == 60_000 and total[Scheme.SHOKIBO].actual > 50
    assert total[Scheme.TOSAN].actual > 20
    assert [line.label for line in model_prefectures(2026, TODAY).lines][:2] == ["青森県", "千葉県"]
    # Notices: the demo member's inbox has the 締結 of both contracts, the 請求金額 of their
    # year of debits and the letter of the demo 加入資格確認, which a few members answered.
    inbox = set(Notice.objects.filter(party=member).values_list("kind", flat=True))
    assert {"contract_issued", "billing_amount", "reconfirmation"} <= inbox
    campaign = Campaign.objects.get()
    statuses = dict(campaign.reconfirmations.values_list("status").annotate(n=Count("pk")))
    assert (statuses["answered"], statuses["follow_up"]) == (11, 1)
    assert statuses["not_answered"] == campaign.targets - 12 > 100
    assert Party.objects.filter(wants_paper=True).exists()
    again = load_demo(today=TODAY)
    assert not again.created and again.contracts == first.contracts


def test_the_demo_bpo_file_shows_each_outcome_of_paper_intake() -> None:
    load_demo(today=TODAY)
    rows = {r.form_id: r for r in IntakeRow.objects.all()}
    assert {k: r.status for k, r in rows.items()} == {
        "BPO-0001": IntakeRow.Status.SUBMITTED,
        "BPO-0002": IntakeRow.Status.DEFICIENT,
        "BPO-0003": IntakeRow.Status.DEFICIENT,
        "BPO-0004": IntakeRow.Status.DEFICIENT,
        "BPO-0005": IntakeRow.Status.KEYING,
    }
    assert [d["code"] for d in rows["BPO-0004"].deficiencies] == [
        "company_name_abbreviated",
        "address_missing",
    ]
    procedure = rows["BPO-0001"].procedure
    assert procedure is not None and procedure.channel == Procedure.Channel.PAPER
