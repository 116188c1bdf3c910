"""What the special kinds of 契約者貸付け require (shokibo_rules L8–L10): each refusal carries
the name of the fact it is about."""

import dataclasses
import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.loan_conditions import (
    ConfirmingBody,
    EmergencyFacts,
    ExpansionBasis,
    IllnessDisasterCause,
    IllnessDisasterFacts,
    NewBusinessCase,
    NewBusinessFacts,
    SalesFallGround,
    check_conditions,
)
from kyosai.rules.shokibo.loans import LoanKind

APPLIED = dt.date(2026, 11, 10)
EMERGENCY = EmergencyFacts(
    ground=SalesFallGround.YEAR_ON_YEAR, confirmed_by=ConfirmingBody.CHAMBER,
    confirmer_name="東京商工会議所", expected_to_fall=True, period_months=3,
    period_end_month=dt.date(2026, 10, 1), sales_yen=9_500_000, compared_sales_yen=10_000_000,
)  # fmt: skip


def codes(kind: LoanKind, facts: object, on: dt.date = APPLIED) -> list[str]:
    decision = check_conditions(kind, facts, applied_on=on)  # type: ignore[arg-type]
    assert decision.allowed is (not decision.reasons)
    return [reason.code for reason in decision.reasons]


def test_the_general_loan_asks_for_nothing_more_l2() -> None:
    assert codes(LoanKind.GENERAL, None) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),  # 10,000,000 → 9,500,000: exactly 5% (L8)
        ({"sales_yen": 9_500_001}, ["sales_yen"]),  # just under 5%
        ({"expected_to_fall": False}, ["expected_to_fall"]),
        ({"confirmer_name": " "}, ["confirmer_name"]),
        ({"period_months": 4}, ["period_months"]),
        ({"period_end_month": dt.date(2026, 11, 1)}, ["period_end_month"]),  # not over yet
        ({"compared_sales_yen": 0}, ["compared_sales_yen"]),
        ({"years_back": 2}, ["years_back"]),  # year on year compares one year back
    ],
)
def test_emergency_sales_fall_by_5_percent_confirmed_and_expected_to_continue_l8(
    changes: dict[str, object], expected: list[str]
) -> None:
    assert codes(LoanKind.EMERGENCY, dataclasses.replace(EMERGENCY, **changes)) == expected


def test_emergency_is_applied_for_within_3_months_after_the_period_l8() -> None:
    # The period compared ends in August: applications close at the end of November [I: the
    # month's end].
    august = dataclasses.replace(EMERGENCY, period_end_month=dt.date(2026, 8, 1))
    assert codes(LoanKind.EMERGENCY, august, dt.date(2026, 11, 30)) == []
    assert codes(LoanKind.EMERGENCY, august, dt.date(2026, 12, 1)) == ["period_end_month"]


def test_emergency_against_two_or_three_years_ago_must_also_be_down_on_last_year_l8() -> None:
    years_ago = dataclasses.replace(
        EMERGENCY, ground=SalesFallGround.YEARS_AGO, years_back=3, last_year_sales_yen=9_600_000
    )
    assert codes(LoanKind.EMERGENCY, years_ago) == []
    flat = dataclasses.replace(years_ago, last_year_sales_yen=9_500_000)
    assert codes(LoanKind.EMERGENCY, flat) == ["last_year_sales_yen"]
    assert codes(LoanKind.EMERGENCY, dataclasses.replace(years_ago, years_back=1)) == ["years_back"]


def test_emergency_for_a_recognised_cause_states_the_cause_l8() -> None:
    cause = EmergencyFacts(
        SalesFallGround.RECOGNISED_CAUSE, ConfirmingBody.SHOKOKAI, "○○町商工会", True,
        cause="主要取引先の工場閉鎖",
    )  # fmt: skip
    assert codes(LoanKind.EMERGENCY, cause) == []
    assert codes(LoanKind.EMERGENCY, dataclasses.replace(cause, cause="")) == ["cause"]


ADMITTED = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("facts", "on", "expected"),
    [
        (IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, ADMITTED, hospital_days=5), APPLIED, []),
        (IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, ADMITTED, hospital_days=4), APPLIED,
         ["hospital_days"]),  # L9: 5 days or more
        # L9: within 6 months of the admission: 2026-12-01 is the last day [I: same day].
        (IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, ADMITTED, hospital_days=9),
         dt.date(2026, 12, 1), []),
        (IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, ADMITTED, hospital_days=9),
         dt.date(2026, 12, 2), ["event_on"]),
        (IllnessDisasterFacts(IllnessDisasterCause.ILLNESS, dt.date(2026, 11, 11), 9), APPLIED,
         ["event_on"]),  # not yet
        (IllnessDisasterFacts(IllnessDisasterCause.GENERAL_DISASTER, ADMITTED,
                              certifier_name="○○市"), APPLIED, []),  # 罹災証明
        (IllnessDisasterFacts(IllnessDisasterCause.RELIEF_ACT_DISASTER, ADMITTED), APPLIED,
         ["certifier_name"]),
    ],
)  # fmt: skip
def test_illness_or_disaster_within_6_months_l9(
    facts: IllnessDisasterFacts, on: dt.date, expected: list[str]
) -> None:
    assert codes(LoanKind.ILLNESS_DISASTER, facts, on) == expected


STARTUP = NewBusinessFacts(
    NewBusinessCase.STARTUP, ConfirmingBody.CHAMBER, "大阪商工会議所",
    event_occurred_or_certain=True, starts_or_changes_business=True,
    stays_small_enterprise=True, tsusan_without_claim=True,
)  # fmt: skip


def test_startup_needs_all_four_statements_l10() -> None:
    assert codes(LoanKind.NEW_BUSINESS, STARTUP) == []
    no_tsusan = dataclasses.replace(STARTUP, tsusan_without_claim=False)
    assert codes(LoanKind.NEW_BUSINESS, no_tsusan) == ["tsusan_without_claim"]


def test_expansion_names_its_new_business_l10() -> None:
    expansion = NewBusinessFacts(
        NewBusinessCase.EXPANSION, ConfirmingBody.AOIRO, "○○青色申告会",
        basis=ExpansionBasis.NEW_INDUSTRY, new_business="飲食店（そば・うどん店）",
    )  # fmt: skip
    assert codes(LoanKind.NEW_BUSINESS, expansion) == []
    vague = dataclasses.replace(expansion, basis=None, new_business="")
    assert codes(LoanKind.NEW_BUSINESS, vague) == ["basis", "new_business"]


def test_facts_of_another_kind_are_a_programming_error() -> None:
    with pytest.raises(RuleError):
        check_conditions(LoanKind.EMERGENCY, STARTUP, applied_on=APPLIED)
    with pytest.raises(RuleError):
        check_conditions(LoanKind.GENERAL, EMERGENCY, applied_on=APPLIED)
