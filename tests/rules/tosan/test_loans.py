"""共済金の貸付け: tosan_rules.md §4 (法9条, 施行規則10条の2) and §9 examples 3, 4, 7, 9."""

import dataclasses
import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.params import DatedValue, ParameterSet, default_parameters
from kyosai.rules.tosan.loans import (
    InsolvencyEvent,
    LoanRequest,
    early_repayment_allowance,
    kyosaikin_loan,
    kyosaikin_loan_limit,
    late_penalty,
    loan_conditions,
    repayment_schedule,
)
from kyosai.rules.tosan.refund import PremiumAccount

D = dt.date
E = InsolvencyEvent
LENT = D(2025, 9, 10)
EVENT_ON, JOINED, CLAIM_ON = D(2025, 7, 20), D(2023, 1, 1), D(2025, 8, 1)


def request(
    total: int,
    damage: int,
    *,
    months: int = 30,
    event: InsolvencyEvent = E.BANKRUPTCY,
    insolvency_on: dt.date = EVENT_ON,
    joined: dt.date = JOINED,
    claim_on: dt.date = CLAIM_ON,
    **extra: int,
) -> LoanRequest:
    account = PremiumAccount(premiums_paid_yen=total, months_paid=months)
    return LoanRequest(event, insolvency_on, joined, months, claim_on, damage, account, **extra)


def test_example_3_five_year_loan_s4_3() -> None:
    # §9 example 3: 100,000 × 30 months, damage 27,000,000 (法9条2項; term L8)
    quote = kyosaikin_loan(request(3_000_000, 27_000_000), lent_on=LENT)
    assert quote.lendable and quote.amount_yen == 27_000_000
    assert quote.term_years == 5 and len(quote.instalments) == 54
    assert {i.principal_yen for i in quote.instalments} == {500_000}
    assert (quote.forfeited_yen, quote.premium_total_after_yen) == (2_700_000, 300_000)
    first, last = quote.instalments[0], quote.instalments[-1]
    assert (first.number, first.month, first.due_on) == (1, D(2026, 4, 1), D(2026, 4, 27))
    assert (last.number, last.month) == (54, D(2030, 9, 1))


@pytest.mark.parametrize(
    ("total", "damage", "outstanding", "amount", "years"),
    [
        # §9 example 4, SMRJ FAQ 050486: the 10× cap binds
        (1_500_000, 16_000_000, 0, 15_000_000, 5),
        # §9 example 4: 80,000,000 − outstanding 20,000,000
        (8_000_000, 100_000_000, 20_000_000, 60_000_000, 6),
        # floored to 5万円 units [I]
        (3_000_000, 12_345_678, 0, 12_300_000, 5),
        # minimum 500,000 (both sides)
        (50_000, 1_000_000, 0, 500_000, 5),
    ],
)
def test_loan_amount_s4_3(
    total: int, damage: int, outstanding: int, amount: int, years: int
) -> None:
    quote = kyosaikin_loan(
        request(total, damage, outstanding_kyosaikin_yen=outstanding), lent_on=LENT
    )
    assert (quote.amount_yen, quote.term_years) == (amount, years)


def test_below_minimum_is_not_lendable_s4_3() -> None:
    quote = kyosaikin_loan(request(45_000, 1_000_000), lent_on=LENT)  # 10 × 45,000 = 450,000
    assert not quote.lendable and quote.amount_yen == 0 and quote.instalments == ()
    assert [r.code for r in quote.reasons] == ["below_minimum"]
    full = kyosaikin_loan(
        request(8_000_000, 90_000_000, outstanding_kyosaikin_yen=80_000_000), lent_on=LENT
    )
    assert [r.code for r in full.reasons] == ["below_minimum"]


def test_loan_total_exclusions_p12_p20_p28() -> None:
    account = PremiumAccount(
        premiums_paid_yen=3_600_000,
        months_paid=36,
        prepaid_unarrived_months=3,
        prepaid_unarrived_yen=300_000,
        kyosaikin_loans_yen=(2_000_000,),
        premiums_applied_to_loans_yen=100_000,
    )
    req = LoanRequest(
        E.REHABILITATION,
        D(2025, 7, 20),
        D(2022, 1, 1),
        30,
        D(2025, 8, 1),
        100_000_000,
        account,
        increases_in_window_yen=100_000,
        late_after_event_yen=50_000,
    )
    quote = kyosaikin_loan(req, lent_on=LENT)
    # 3,600,000 − 300,000 prepaid − 200,000 (1/10) − 100,000 applied − 100,000 − 50,000 → ×10
    assert (quote.eligible_total_yen, quote.amount_yen) == (2_850_000, 28_500_000)
    # the forfeiture reduces the refund total (3,000,000), not the loan total
    assert quote.premium_total_after_yen == 3_000_000 - 2_850_000


@pytest.mark.parametrize(
    ("principal", "years", "count", "first", "others"),
    [
        (49_950_000, 5, 54, 925_000, 925_000),
        (50_000_000, 6, 66, 757_625, 757_575),  # 50,000,000 = 66 × 757,575 + 50
        (52_800_000, 6, 66, 800_000, 800_000),  # §9 example 3
        (64_950_000, 6, 66, 984_150, 984_090),  # 66 × 984,090 + 60
        (65_000_000, 7, 78, 833_359, 833_333),  # 65,000,000 = 78 × 833,333 + 26
        (78_000_000, 7, 78, 1_000_000, 1_000_000),  # §9 example 3
        (30_000_000, 5, 54, 555_585, 555_555),  # §9 example 3 [I]: remainder on the 1st
    ],
)
def test_term_band_edges_l8(
    principal: int, years: int, count: int, first: int, others: int
) -> None:
    schedule = repayment_schedule(principal, lent_on=LENT)
    assert schedule.term_years == years and len(schedule.instalments) == count
    assert schedule.instalments[0].principal_yen == first
    assert {i.principal_yen for i in schedule.instalments[1:]} == {others}
    assert sum(i.principal_yen for i in schedule.instalments) == principal


def test_schedule_due_dates_move_past_weekends() -> None:
    schedule = repayment_schedule(5_400_000, lent_on=D(2025, 11, 28))
    # anchor 2026-05; instalment 1 in 2026-06, whose 27th is a Saturday
    assert schedule.instalments[0].month == D(2026, 6, 1)
    assert schedule.instalments[0].due_on == D(2026, 6, 29)
    with pytest.raises(RuleError):
        repayment_schedule(0, lent_on=LENT)


def test_remainder_instalment_out_of_range_is_refused() -> None:
    params = dict(default_parameters())
    name = "tosan/loan_remainder_instalment"
    old = params[name]
    bad = DatedValue(old.values[0].valid_from, 99, old.values[0].status, "test", "")
    params[name] = dataclasses.replace(old, values=(bad,))
    with pytest.raises(RuleError):
        repayment_schedule(30_000_000, lent_on=LENT, params=ParameterSet(params))


def test_example_9_dates_l1_l2() -> None:
    # §9 example 9: joined 2025-01, 6 months paid, 破産申立 2025-07-20
    ok = request(600_000, 5_000_000, months=6, joined=D(2025, 1, 1))
    decision = loan_conditions(ok)
    assert decision.lendable and decision.claim_deadline_on == D(2026, 1, 20)
    assert loan_conditions(dataclasses.replace(ok, claim_on=D(2026, 1, 20))).lendable
    late = loan_conditions(dataclasses.replace(ok, claim_on=D(2026, 1, 21)))
    assert [r.code for r in late.reasons] == ["claim_too_late"]
    early = request(
        500_000, 5_000_000, months=5, joined=D(2025, 1, 1), insolvency_on=D(2025, 6, 15)
    )
    codes = [r.code for r in loan_conditions(early).reasons]
    assert codes == ["joined_too_recently", "too_few_months_paid"]
    refused = kyosaikin_loan(early, lent_on=LENT)
    assert not refused.lendable and refused.amount_yen == 0


@pytest.mark.parametrize(
    ("event", "day_before", "effective"),
    [
        (E.PRIVATE_SETTLEMENT, D(2010, 6, 30), D(2010, 7, 1)),  # 施行規則10条の2第1号
        (E.DISASTER_DISHONOUR, D(2011, 4, 7), D(2011, 4, 8)),  # 同第2号
        (E.SPECIFIED_DISASTER, D(2011, 4, 21), D(2011, 4, 22)),  # 同第3号
        (E.DENSAI_SUSPENSION, D(2018, 9, 24), D(2018, 9, 25)),
        (E.DENSAI_DISASTER, D(2018, 9, 24), D(2018, 9, 25)),
    ],
)
def test_event_effective_dates_s4_1(
    event: InsolvencyEvent, day_before: dt.date, effective: dt.date
) -> None:
    def conditions(on: dt.date) -> list[str]:
        req = request(
            600_000, 5_000_000, event=event, insolvency_on=on, joined=D(2005, 1, 1), claim_on=on
        )
        return [r.code for r in loan_conditions(req).reasons]

    assert conditions(day_before) == ["event_not_qualifying"]
    assert conditions(effective) == []


@pytest.mark.parametrize(
    "event",
    [
        E.BANKRUPTCY,
        E.REHABILITATION,
        E.REORGANIZATION,
        E.SPECIAL_LIQUIDATION,
        E.CLEARING_HOUSE_SUSPENSION,
    ],
)
def test_original_events_qualify_s4_1(event: InsolvencyEvent) -> None:
    req = request(
        600_000,
        5_000_000,
        event=event,
        insolvency_on=D(1990, 5, 1),
        joined=D(1985, 1, 1),
        claim_on=D(1990, 5, 2),
    )
    assert loan_conditions(req).lendable


def test_malformed_requests_raise() -> None:
    with pytest.raises(RuleError):
        request(1_000_000, -1)
    with pytest.raises(RuleError):
        request(1_000_000, 1, claim_on=D(2025, 7, 19))


def test_late_penalty_l9() -> None:
    # 500,000 × 14.6% × 30 / 365 = 6,000
    assert late_penalty(500_000, 30, due_on=D(2026, 4, 27)).amount_yen == 6_000
    quote = late_penalty(555_555, 1, due_on=D(2026, 4, 27))  # 222.222… → 222 [I]
    assert quote.amount_yen == 222 and quote.trace.is_provisional
    with pytest.raises(RuleError):
        late_penalty(-1, 1, due_on=D(2026, 4, 27))


def _repaid(lent: dt.date, loan: int, years_early: int, months_extra: int = 0) -> dt.date:
    term = {5: 60, 6: 72, 7: 84}[repayment_schedule(loan, lent_on=lent).term_years]
    month = lent.month - 1 + term - 12 * years_early - months_extra
    return D(lent.year + month // 12, month % 12 + 1, 15)


@pytest.mark.parametrize(
    ("loan", "years_early", "amount"),
    [
        # L11, SMRJ revision page 057799
        (70_000_000, 3, 539_000),
        (70_000_000, 2, 245_000),
        (70_000_000, 1, 63_000),
        (50_000_000, 3, 455_000),
        (50_000_000, 2, 205_000),
        (50_000_000, 1, 55_000),
        (10_000_000, 3, 111_000),
        (10_000_000, 2, 50_000),
        (10_000_000, 1, 13_000),
        (5_000_000, 3, 55_500),
        (5_000_000, 2, 25_000),
        (5_000_000, 1, 6_500),
        # 中小企業庁 example: 6-year term repaid 2 years after lending = 4 years early
        (50_000_000, 4, 800_000),
    ],
)
def test_early_repayment_allowance_l11(loan: int, years_early: int, amount: int) -> None:
    lent = D(2025, 1, 10)
    quote = early_repayment_allowance(
        loan, lent_on=lent, repaid_on=_repaid(lent, loan, years_early)
    )
    assert quote.amount_yen == amount
    assert quote.months_early == 12 * years_early


def test_early_repayment_not_paid_l11() -> None:
    lent = D(2025, 1, 10)
    # §9 example 7: 11 months early → 0
    assert (
        early_repayment_allowance(
            5_000_000, lent_on=lent, repaid_on=_repaid(lent, 5_000_000, 0, 11)
        ).amount_yen
        == 0
    )
    # 23 months early still counts as 1 whole year
    assert (
        early_repayment_allowance(
            5_000_000, lent_on=lent, repaid_on=_repaid(lent, 5_000_000, 1, 11)
        ).amount_yen
        == 6_500
    )
    repaid = _repaid(lent, 50_000_000, 2)
    assert (
        early_repayment_allowance(
            50_000_000, lent_on=lent, repaid_on=repaid, ever_late=True
        ).amount_yen
        == 0
    )
    assert (
        early_repayment_allowance(
            50_000_000, lent_on=lent, repaid_on=repaid, cancelled_at_payoff=True
        ).amount_yen
        == 0
    )
    assert (
        early_repayment_allowance(5_000_000, lent_on=lent, repaid_on=D(2031, 1, 1)).amount_yen == 0
    )


def test_unpublished_early_repayment_rate_is_refused() -> None:
    lent = D(2025, 1, 10)
    with pytest.raises(RuleError) as caught:
        early_repayment_allowance(5_000_000, lent_on=lent, repaid_on=_repaid(lent, 5_000_000, 4))
    assert "確認されていません" in caught.value.message_ja
    assert "not confirmed" in caught.value.message_en
    with pytest.raises(RuleError):
        early_repayment_allowance(5_000_000, lent_on=lent, repaid_on=D(2024, 1, 1))


@pytest.mark.parametrize(
    ("claim_on", "amount"),
    [
        # Before the 2011-10 reform the limit was 3,200万円 including outstanding loans (P5) …
        (D(2011, 9, 30), 22_000_000),
        # … from 2011-10-01 it is 8,000万円, so the 10× rule binds instead (P5, L8 source).
        (D(2011, 10, 1), 32_000_000),
    ],
)
def test_loan_limit_each_side_of_the_2011_reform_p5(claim_on: dt.date, amount: int) -> None:
    quote = kyosaikin_loan(
        request(
            3_200_000,
            50_000_000,
            months=64,
            insolvency_on=D(2011, 9, 1),
            joined=D(2005, 1, 1),
            claim_on=claim_on,
            outstanding_kyosaikin_yen=10_000_000,
        ),
        lent_on=D(2011, 10, 14),
    )
    assert quote.amount_yen == amount


def test_premium_total_above_the_old_cap_is_refused_before_2011_10_p5() -> None:
    # 掛金総額 was capped at 320万円 until 2011-09-30 (P5).
    old = request(
        3_250_000,
        50_000_000,
        months=65,
        insolvency_on=D(2011, 9, 1),
        joined=D(2005, 1, 1),
        claim_on=D(2011, 9, 30),
    )
    with pytest.raises(RuleError, match="積立限度額"):
        kyosaikin_loan(old, lent_on=D(2011, 10, 14))


def test_the_limit_shown_before_a_bankruptcy_is_ten_times_the_premiums_within_80m() -> None:
    # tosan_rules §4.3 and §9 example 4: 掛金総額 1,500,000 → 15,000,000; 8,000,000 with
    # 20,000,000 outstanding → 60,000,000.
    on = dt.date(2026, 11, 10)
    small = kyosaikin_loan_limit(PremiumAccount(1_500_000, 30), outstanding_kyosaikin_yen=0, on=on)
    assert (small.amount_yen, small.eligible_total_yen) == (15_000_000, 1_500_000)
    full = kyosaikin_loan_limit(
        PremiumAccount(8_000_000, 40), outstanding_kyosaikin_yen=20_000_000, on=on
    )
    assert full.amount_yen == 60_000_000
    # The 1/10 of an earlier loan is no longer counted (L7): 3,000,000 − 2,700,000 = 300,000.
    after = kyosaikin_loan_limit(
        PremiumAccount(3_000_000, 30, kyosaikin_loans_yen=(27_000_000,)),
        outstanding_kyosaikin_yen=27_000_000, on=on,
    )  # fmt: skip
    assert after.amount_yen == 3_000_000
