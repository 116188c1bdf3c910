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
    TsusanFacts,
    approve_due_instalments,
    do_submit_benefit_claim,
    do_submit_tsusan,
    quote_tsusan,
)
from kyosai.benefits.models import Determination, Instalment, Tsusan
from kyosai.billing.ledger import balance_of
from kyosai.billing.models import Account, Journal, Posting
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role
from kyosai.payouts.actions import do_confirm_transfer_file, do_make_transfer_file
from kyosai.payouts.models import Payout
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.changes import do_submit_premium_change
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide, do_second_approval
from kyosai.rules.calendar import add_months
from kyosai.rules.scheme import Scheme
from kyosai.rules.shokibo.events import BenefitEvent
from kyosai.rules.shokibo.receipt import ReceiptMethod
from tests.billing.book import JST, at, member_contract, taken_over
from tests.domain.test_enrollment import COMPANY, MANDATE
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


def officer_contract(monthly: int = 10_000) -> Contract:
    """A company officer's contract (会社の役員, 法2条1項5号), joined in April 2019."""
    procedure = do_submit_enrollment(
        EnrollmentApplication(SHOKIBO, COMPANY, monthly, MANDATE, "company_officer"),
        channel=Procedure.Channel.ONLINE, idempotency_key="officer", received_at=START,
        acting_user=User.objects.create_user("officer"),
    )  # fmt: skip
    assert procedure.contract is not None, procedure.deficiencies
    return procedure.contract


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
    kept = -(
        Posting.objects.filter(account=Account.CLOSING_DIFFERENCE).aggregate(s=Sum("amount_yen"))[
            "s"
        ]
        or 0
    )
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


def test_w2_an_officer_leaving_through_illness_after_60_months_gets_b_614_600(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # W2 (jcca-shiga anchor): 10,000円 × 60 months; an officer leaves through illness → 共済金B
    # (法9条1項2号, B3) 614,600円.
    c = officer_contract()
    taken_over(SHOKIBO, dt.date(2024, 3, 1))  # 2019-04 … 2024-03
    procedure = claim(c, BenefitEvent.ILLNESS, dt.date(2024, 3, 25), dt.date(2024, 4, 10))
    assert (procedure.payload["kind"], procedure.amount_yen) == ("B", 614_600)
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    d = Determination.objects.get(contract=c)
    assert (d.kind, d.months, d.benefit_yen) == ("B", 60, 614_600)
    [item] = pay_and_confirm(dt.date(2024, 4, 10), approver, bank_files)
    assert int(item["amount"]) == 614_600
    money_in_equals_money_out(c)


def test_w3_old_age_after_360_months_pays_b_4_211_800_with_two_approvers(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # W3 (jcca-shiga anchor): 10,000円 × 360 months, 共済金B 4,211,800円 — here as 老齢給付
    # (法9条1項3号: 65 or over, 180 months or more). At or above the unconfirmed 300万円
    # four-eyes threshold, a second approver must confirm.
    c = paid_for(360)  # 2019-04 … 2049-03
    procedure = claim(c, BenefitEvent.OLD_AGE, dt.date(2049, 3, 31), dt.date(2049, 4, 12))
    assert (procedure.payload["kind"], procedure.amount_yen) == ("B", 4_211_800)
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert not Determination.objects.exists()  # 承認待ち
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)
    d = Determination.objects.get(contract=c)
    assert (d.kind, d.months, d.benefit_yen) == ("B", 360, 4_211_800)
    [item] = pay_and_confirm(dt.date(2049, 4, 12), approver, bank_files)
    assert int(item["amount"]) == 4_211_800
    money_in_equals_money_out(c)


def test_w10_five_months_pays_nothing_and_the_contract_ends(reviewer: User) -> None:
    # W10 (法9条1項): 共済金A needs 6 months or more; 5 months pays 0円 and no transfer is made.
    c = paid_for(5)  # 2019-04 … 2019-08
    procedure = claim(c, BenefitEvent.CLOSURE, dt.date(2019, 8, 31), dt.date(2019, 9, 2))
    assert procedure.amount_yen == 0
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    procedure.refresh_from_db()
    c.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE and c.status == Contract.Status.ENDED
    assert "お支払いはありません" in procedure.events.last().message  # type: ignore[union-attr]
    assert Determination.objects.get().benefit_yen == 0 and not Payout.objects.exists()
    assert "6か月未満のため" in Determination.objects.get().trace
    money_in_equals_money_out(c)  # all 50,000円 kept by the fund


def test_w11_twenty_four_months_returns_the_premiums(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # W11 (法9条3項1号): under 36 months each slice pays its premiums back: 240,000円.
    c = paid_for(24)
    procedure = claim(c, BenefitEvent.CLOSURE, dt.date(2021, 3, 15), dt.date(2021, 3, 16))
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert Determination.objects.get().benefit_yen == 240_000
    assert postings(f"benefit:{c.number}") == {
        (Account.PREMIUMS, c.pk, 240_000),
        (Account.PAYABLE, c.pk, -240_000),
    }
    [item] = pay_and_confirm(dt.date(2021, 3, 16), approver, bank_files)
    assert int(item["amount"]) == 240_000
    money_in_equals_money_out(c)


def test_w12_an_increase_counts_each_slice_on_its_own_months(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # W12 (法9条2項, F1/P4): 10,000円 × 60 months, then 20,000円 × 60 months, then 廃業.
    # Slices 1–20: 120 months (20 × 64,530), slices 21–40: 60 months (20 × 31,070) = 1,912,000円.
    # An increase applies from the month it is applied for in (P2): applied in April 2024.
    c = member_contract(SHOKIBO, 10_000, START)
    do_submit_premium_change(
        c, new_monthly_yen=20_000, desired_month=dt.date(2024, 4, 1), decrease_reason="",
        channel=Procedure.Channel.ONLINE, idempotency_key="raise", received_at=at(2024, 4, 1),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip
    taken_over(SHOKIBO, dt.date(2029, 3, 1))  # paid as scheduled: 2019-04 … 2029-03
    procedure = claim(c, BenefitEvent.CLOSURE, dt.date(2029, 3, 31), dt.date(2029, 4, 10))
    assert procedure.amount_yen == 1_912_000
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    d = Determination.objects.get()
    assert (d.months, d.premiums_yen, d.benefit_yen) == (120, 1_800_000, 1_912_000)
    assert "掛金区分1〜20（20区分・120か月）" in d.trace
    assert "掛金区分21〜40（20区分・60か月）" in d.trace
    [item] = pay_and_confirm(dt.date(2029, 4, 10), approver, bank_files)
    assert int(item["amount"]) == 1_912_000
    money_in_equals_money_out(c)


def test_w14_instalments_over_10_years_paid_as_each_falls_due(
    reviewer: User, approver: User, bank_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # W14 shape (R2/R3): age 62 at 廃業 and a 共済金A between 300万 and 330万 (11,500円 × 240
    # months: 23 slices × 139,320 = 3,204,360円): 分割 is allowed, 併用 is not.
    c = paid_for(240, monthly=11_500)
    born = dt.date(1977, 1, 5)  # 62 on 2039-03-31
    event = (BenefitEvent.CLOSURE, dt.date(2039, 3, 31), dt.date(2039, 4, 11))
    with pytest.raises(ProcedureError, match="併用には差引後の共済金が3,300,000円以上必要です"):
        claim(c, *event, born=born, method=ReceiptMethod.COMBINED, lump_part_yen=300_000)
    assert not Procedure.objects.filter(kind="benefit_claim").exists()  # nothing half-saved
    procedure = claim(c, *event, born=born, method=ReceiptMethod.INSTALMENT, years=10)
    assert procedure.payload["benefit_yen"] == 3_204_360
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)

    d = Determination.objects.get()
    instalments = list(d.instalments.all())
    # R4/R5: 10 years × 6 a year, the first in the first payment month after the claim [I].
    assert (d.method, d.years, len(instalments)) == ("instalment", 10, 60)
    assert instalments[0].due_on == dt.date(2039, 5, 16)  # 5/15 is a Sunday
    assert sum(i.amount_yen for i in instalments) == d.instalment_total_yen == d.total_yen
    assert d.paid_now_yen == 0 and d.provisional  # the instalment rate is unconfirmed
    assert any("算式は確認できていません" in w for w in d.warnings)
    assert postings(f"benefit:{c.number}") == {
        (Account.PREMIUMS, c.pk, 2_760_000),
        (Account.CLOSING_DIFFERENCE, None, d.total_yen - 2_760_000),
        (Account.PAYABLE, c.pk, -d.total_yen),
    }
    assert not Payout.objects.exists()  # nothing is due before May

    call_command("benefits", "instalments", "--on", "2039-05-16")
    assert "分割共済金 1件" in capsys.readouterr().out
    assert approve_due_instalments(on=dt.date(2039, 5, 16), acting_user=None) == []  # once
    [payout] = Payout.objects.all()
    assert (payout.amount_yen, payout.pay_on, payout.procedure) == (
        instalments[0].amount_yen, dt.date(2039, 5, 16), procedure,
    )  # fmt: skip
    [item] = pay_and_confirm(dt.date(2039, 5, 16), approver, bank_files)
    assert int(item["amount"]) == instalments[0].amount_yen
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE

    approve_due_instalments(on=dt.date(2039, 9, 30), acting_user=None)  # July and September
    assert Instalment.objects.filter(payout__isnull=False).count() == 3
    pay_and_confirm(dt.date(2039, 9, 30), approver, bank_files)
    assert -balance_of(c, Account.PAYABLE) == sum(i.amount_yen for i in instalments[3:])
    money_in_equals_money_out(c)


def test_combined_lump_and_instalments_over_330_man(reviewer: User, approver: User) -> None:
    # R3: 併用 needs 330万 or more, 一括 30万 or more and 分割 300万 or more. 12,000円 × 240:
    # 24 × 139,320 = 3,343,680円; 一括 343,680 and 分割 3,000,000 over 15 years (90 payments).
    c = paid_for(240, monthly=12_000)
    procedure = claim(
        c, BenefitEvent.CLOSURE, dt.date(2039, 3, 31), dt.date(2039, 4, 11),
        born=dt.date(1970, 1, 1), method=ReceiptMethod.COMBINED, lump_part_yen=343_680, years=15,
    )  # fmt: skip
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    do_second_approval(procedure, confirm=True, reason_ja="", acting_user=approver)
    d = Determination.objects.get()
    assert (d.lump_part_yen, d.instalment_part_yen, d.instalments.count()) == (
        343_680, 3_000_000, 90,
    )  # fmt: skip
    assert Payout.objects.get().amount_yen == 343_680  # the lump part at once


def test_under_60_instalments_are_refused_in_japanese_and_nothing_is_saved() -> None:
    c = paid_for(240, monthly=12_000)
    with pytest.raises(ProcedureError, match="60歳以上の方に限られます"):
        claim(c, BenefitEvent.CLOSURE, dt.date(2039, 3, 31), dt.date(2039, 4, 11),
              born=dt.date(1990, 1, 1), method=ReceiptMethod.INSTALMENT)  # fmt: skip
    assert not Procedure.objects.filter(kind="benefit_claim").exists()


def test_bad_dates_are_refused_and_a_double_submit_makes_one_procedure() -> None:
    c = paid_for(24)
    with pytest.raises(ProcedureError, match="今日より後の日付"):
        claim(c, BenefitEvent.CLOSURE, dt.date(2021, 4, 1), dt.date(2021, 3, 16))
    with pytest.raises(ProcedureError, match="ご加入の月より前"):
        claim(c, BenefitEvent.CLOSURE, dt.date(2019, 3, 1), dt.date(2021, 3, 16))
    with pytest.raises(ProcedureError, match="ご加入の立場では"):
        claim(c, BenefitEvent.DISSOLUTION, dt.date(2021, 3, 1), dt.date(2021, 3, 16))
    assert not Procedure.objects.filter(kind="benefit_claim").exists()
    first = claim(c, BenefitEvent.CLOSURE, dt.date(2021, 3, 15), dt.date(2021, 3, 16), key="k")
    again = claim(c, BenefitEvent.CLOSURE, dt.date(2021, 3, 15), dt.date(2021, 3, 16), key="k")
    assert first.pk == again.pk
    with pytest.raises(ProcedureError, match="すでに受け付けています"):
        claim(c, BenefitEvent.CLOSURE, dt.date(2021, 3, 15), dt.date(2021, 3, 16), key="k2")
    assert Procedure.objects.filter(kind="benefit_claim").count() == 1


def test_premiums_paid_after_the_event_are_returned_with_the_benefit_p17(
    reviewer: User,
) -> None:
    # P17: premiums for months after the event are over-payments, returned in full.
    c = paid_for(26)  # 2019-04 … 2021-05
    procedure = claim(c, BenefitEvent.CLOSURE, dt.date(2021, 3, 15), dt.date(2021, 6, 1))
    assert procedure.amount_yen == 240_000 + 20_000
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    d = Determination.objects.get()
    assert (d.benefit_yen, d.overpaid_return_yen, d.paid_now_yen) == (240_000, 20_000, 260_000)
    money_in_equals_money_out(c)


def tsusan(c: Contract, received_on: dt.date, **facts: object) -> Procedure:
    return do_submit_tsusan(
        c, TsusanFacts(**{"event": BenefitEvent.CLOSURE, "event_on": dt.date(2027, 7, 20),
                          "birth_date": BORN, "position": "sole_proprietor",
                          "monthly_yen": 10_000, **facts}),  # type: ignore[arg-type]
        channel=Procedure.Channel.ONLINE, idempotency_key=f"tsusan-{received_on}",
        received_at=dt.datetime.combine(received_on, dt.time(10), tzinfo=JST),
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


def test_tsusan_carries_the_months_into_the_new_contract_slice_by_slice_t1(
    reviewer: User, approver: User, bank_files: Path
) -> None:
    # 法13条1項 (T1): 100 months paid, 廃業 on 2027-07-20, no claim; within a year the holder
    # joins again and applies. The new contract starts the month after the event (premiums are
    # owed up to the event month, 法17条1項) and pays 140 months: its 共済金A counts 240 months,
    # W1's 2,786,400円, and the old contract can no longer be claimed on.
    old = paid_for(100)  # 2019-04 … 2027-07
    procedure = tsusan(old, dt.date(2027, 8, 5))
    assert procedure.status == Procedure.Status.CHECKING and procedure.amount_yen is None
    assert "掛金納付月数は100か月" in procedure.events.last().message  # type: ignore[union-attr]
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)

    old.refresh_from_db()
    carried = Tsusan.objects.get(old_contract=old)
    new = carried.new_contract
    assert old.status == Contract.Status.ENDED and new.status == Contract.Status.ACTIVE
    assert (carried.months, carried.premiums_yen) == (100, 1_000_000)
    assert new.joined_month == dt.date(2027, 8, 1) and new.party == old.party
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.DONE
    assert f"新しい契約 {new.number} に通算しました" in procedure.events.last().message  # type: ignore[union-attr]
    with pytest.raises(ProcedureError, match="通算済み"):
        claim(old, BenefitEvent.CLOSURE, dt.date(2027, 7, 20), dt.date(2027, 9, 1), key="old")

    taken_over(SHOKIBO, dt.date(2039, 3, 1))  # the new contract: 2027-08 … 2039-03, 140 months
    claimed = claim(new, BenefitEvent.CLOSURE, dt.date(2039, 3, 31), dt.date(2039, 4, 11))
    assert claimed.amount_yen == 2_786_400
    do_decide(claimed, approve=True, reason_ja="", acting_user=reviewer)
    d = Determination.objects.get(contract=new)
    assert (d.months, d.carried_months, d.benefit_yen) == (240, 100, 2_786_400)
    # Both contracts' premiums are closed by the one determination.
    assert postings(f"benefit:{new.number}") == {
        (Account.PREMIUMS, new.pk, 1_400_000),
        (Account.PREMIUMS, old.pk, 1_000_000),
        (Account.CLOSING_DIFFERENCE, None, 386_400),
        (Account.PAYABLE, new.pk, -2_786_400),
    }
    [item] = pay_and_confirm(dt.date(2039, 4, 11), approver, bank_files)
    assert int(item["amount"]) == 2_786_400
    assert balance_of(old, Account.PREMIUMS) == 0
    journals_balance()


def test_tsusan_after_the_deadline_or_after_old_age_is_refused_t1() -> None:
    old = paid_for(100)
    late = TsusanFacts(BenefitEvent.CLOSURE, dt.date(2027, 7, 20), BORN, "sole_proprietor", 10_000)
    quote = quote_tsusan(old, late, received_on=dt.date(2028, 7, 21))  # a year and a day later
    assert [r.code for r in quote.reasons] == ["past_deadline"]
    assert "2028-07-20まで" in quote.reasons[0].message_ja
    with pytest.raises(ProcedureError, match="1年以内"):
        tsusan(old, dt.date(2028, 7, 21))
    old_age = TsusanFacts(BenefitEvent.OLD_AGE, dt.date(2027, 7, 20), dt.date(1950, 1, 1),
                          "sole_proprietor", 10_000)  # fmt: skip
    codes = [r.code for r in quote_tsusan(old, old_age, received_on=dt.date(2027, 8, 1)).reasons]
    assert codes == ["too_few_months"]  # 老齢給付 needs 180 months
    assert not Procedure.objects.filter(kind="tsusan").exists()
