"""共済事由の区分 (shokibo_rules.md §3.1 B1–B4): the event and the position give A, B or 準共済金."""

import datetime as dt

import pytest

from kyosai.rules.shokibo.benefits import BenefitKind
from kyosai.rules.shokibo.events import BenefitEvent, classify_event, events_for

ON = dt.date(2026, 6, 1)
E = BenefitEvent


@pytest.mark.parametrize(
    ("position", "event", "age", "expected", "source"),
    [
        ("sole_proprietor", E.CLOSURE, 50, BenefitKind.A, "B2 廃業 → A"),
        ("sole_proprietor", E.DEATH, 50, BenefitKind.A, "B2 死亡 → A"),
        ("sole_proprietor", E.INCORPORATION, 50, BenefitKind.QUASI, "B2 法人成り → 準"),
        ("sole_proprietor", E.OLD_AGE, 65, BenefitKind.B, "B1 老齢給付 → B"),
        ("company_officer", E.DISSOLUTION, 50, BenefitKind.A, "B3 解散 → A"),
        ("company_officer", E.ILLNESS, 50, BenefitKind.B, "B3 疾病・負傷 → B"),
        ("company_officer", E.RETIREMENT, 64, BenefitKind.QUASI, "B3 65歳未満の退任 → 準"),
        ("company_officer", E.RETIREMENT, 65, BenefitKind.B, "B1 65歳以上の退任 → B (2016-04)"),
        ("farm_corporation_officer", E.DEATH, 50, BenefitKind.B, "B3 役員の死亡 → B"),
    ],
)
def test_confirmed_events_b1_b3(
    position: str, event: BenefitEvent, age: int, expected: BenefitKind, source: str
) -> None:
    decision = classify_event(position, event, age_on_event=age, months_paid=200, on=ON)
    assert (decision.allowed, decision.kind) == (True, expected), source
    assert not decision.trace.is_provisional
    assert decision.death == (event == E.DEATH)


def test_an_officer_leaving_at_65_before_2016_04_was_quasi_b1() -> None:
    decision = classify_event(
        "company_officer", E.RETIREMENT, age_on_event=66, months_paid=200, on=dt.date(2016, 3, 31)
    )
    assert decision.kind == BenefitKind.QUASI


def test_co_manager_and_family_transfer_rows_are_unconfirmed_b2_b4() -> None:
    decision = classify_event("co_manager", E.CLOSURE, age_on_event=50, months_paid=100, on=ON)
    assert decision.kind == BenefitKind.A and decision.trace.is_provisional
    before = classify_event(
        "sole_proprietor", E.TRANSFER_FAMILY, age_on_event=50, months_paid=100,
        on=dt.date(2015, 6, 1),
    )  # fmt: skip
    assert before.kind == BenefitKind.QUASI and before.trace.is_provisional


def test_old_age_needs_65_and_180_months_b1() -> None:
    decision = classify_event("sole_proprietor", E.OLD_AGE, age_on_event=64, months_paid=179, on=ON)
    assert not decision.allowed and decision.kind is None
    assert [r.code for r in decision.reasons] == ["under_age", "too_few_months"]


def test_an_event_of_another_position_is_refused_in_japanese() -> None:
    decision = classify_event(
        "sole_proprietor", E.DISSOLUTION, age_on_event=50, months_paid=100, on=ON
    )
    assert not decision.allowed
    assert "ご加入の立場では" in decision.reasons[0].message_ja


def test_events_offered_follow_the_position() -> None:
    assert E.DISSOLUTION in events_for("company_officer", on=ON)
    assert E.DISSOLUTION not in events_for("sole_proprietor", on=ON)
    assert E.CLOSURE in events_for("co_manager", on=ON)
    assert E.CLOSURE not in events_for("co_manager", on=dt.date(2010, 12, 31))  # E14: from 2011-01
