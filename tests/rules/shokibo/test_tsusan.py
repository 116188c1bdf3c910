"""掛金納付月数の通算 (法13条, T1–T4)."""

import datetime as dt

import pytest

from kyosai.rules.shokibo.tsusan import (
    CommonFacts,
    Relation,
    TsusanEvent,
    same_person_tsusan,
    succession_tsusan,
)

EVENT = dt.date(2024, 6, 15)


def same(applied_on: dt.date, **changes: object) -> list[str]:
    facts = CommonFacts(
        applied_on,
        bool(changes.pop("eligible_now", True)),
        bool(changes.pop("retirement_scheme_member", False)),
    )
    decision = same_person_tsusan(
        facts, event=TsusanEvent.A, event_on=EVENT, claimed=bool(changes.pop("claimed", False))
    )
    return [reason.code for reason in decision.reasons]


@pytest.mark.parametrize(
    ("applied_on", "changes", "expected"),
    [
        (dt.date(2025, 6, 15), {}, []),  # T1: within 1 year (deadline_within_months 12)
        (dt.date(2025, 6, 16), {}, ["past_deadline"]),
        (dt.date(2024, 6, 14), {}, ["past_deadline"]),  # before the event
        (dt.date(2024, 7, 1), {"claimed": True}, ["already_claimed"]),
        (dt.date(2024, 7, 1), {"eligible_now": False}, ["not_eligible"]),  # T4
        (dt.date(2024, 7, 1), {"retirement_scheme_member": True}, ["retirement_scheme_member"]),
    ],
)
def test_same_person_tsusan_t1_t4(
    applied_on: dt.date, changes: dict[str, object], expected: list[str]
) -> None:
    assert same(applied_on, **changes) == expected


def succession(**changes: object) -> list[str]:
    facts: dict[str, object] = {
        "relation": Relation.CHILD,
        "whole_business": True,
        "old_contract_individual": True,
        "old_contract_already_succeeded": False,
        "transferred_on": EVENT,
    }
    facts.update(changes)
    decision = succession_tsusan(CommonFacts(dt.date(2024, 9, 1), True), **facts)  # type: ignore[arg-type]
    return [reason.code for reason in decision.reasons]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"relation": Relation.SPOUSE}, []),
        ({"relation": Relation.OTHER}, ["not_spouse_or_child"]),  # T2
        ({"whole_business": False}, ["not_whole_business"]),
        ({"old_contract_individual": False}, ["old_contract_not_individual"]),
        ({"old_contract_already_succeeded": True}, ["already_succeeded"]),
        ({"transferred_on": dt.date(2023, 8, 31)}, ["past_deadline"]),
    ],
)
def test_succession_tsusan_t2(changes: dict[str, object], expected: list[str]) -> None:
    assert succession(**changes) == expected
