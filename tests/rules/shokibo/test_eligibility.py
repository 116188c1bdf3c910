"""加入資格 (E1–E14): headcount by industry, positions, and the exclusions of 法3条 and E12."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.eligibility import Applicant, Industry, Position, check_eligibility

ON = dt.date(2024, 4, 1)
P, IND = Position, Industry


def codes(applicant: Applicant, on: dt.date = ON) -> list[str]:
    decision = check_eligibility(applicant, on=on)
    assert decision.allowed is (not decision.reasons)
    return [reason.code for reason in decision.reasons]


@pytest.mark.parametrize(
    ("position", "industry", "employees", "expected"),
    [
        (P.SOLE_PROPRIETOR, IND.CONSTRUCTION, 20, []),  # E4 ①: 20
        (P.SOLE_PROPRIETOR, IND.CONSTRUCTION, 21, ["too_many_employees"]),
        (P.COMPANY_OFFICER, IND.MANUFACTURING, 20, []),
        (P.COMPANY_OFFICER, IND.ACCOMMODATION, 20, []),  # E2: 令1条1項 宿泊業 20
        (P.COMPANY_OFFICER, IND.ENTERTAINMENT, 21, ["too_many_employees"]),
        (P.SOLE_PROPRIETOR, IND.RETAIL, 5, []),  # E4 ②: 商業 5
        (P.SOLE_PROPRIETOR, IND.WHOLESALE, 6, ["too_many_employees"]),
        (P.SOLE_PROPRIETOR, IND.SERVICES, 6, ["too_many_employees"]),
        (P.KIGYO_KUMIAI_OFFICER, None, 20, []),  # E4 ③
        (P.KYOGYO_KUMIAI_OFFICER, None, 21, ["too_many_employees"]),
        (P.FARM_CORPORATION_OFFICER, None, 20, []),  # E4 ④
        (P.PROFESSIONAL_PARTNER, None, 5, []),  # E4 ⑤
        (P.PROFESSIONAL_PARTNER, None, 6, ["too_many_employees"]),
        (P.NONPROFIT_OFFICER, None, 0, ["nonprofit_officer"]),  # E12
        (P.FAMILY_WORKER, None, 0, ["family_worker"]),  # E12
    ],
)
def test_headcount_and_position_e1_e4(
    position: Position, industry: Industry | None, employees: int, expected: list[str]
) -> None:
    assert codes(Applicant(position, employees, industry)) == expected


def co_manager(**changes: object) -> Applicant:
    facts: dict[str, object] = {
        "position": P.CO_MANAGER,
        "regular_employees": 3,
        "industry": IND.RETAIL,
        "co_manager_decides_or_funds": True,
        "co_manager_paid": True,
    }
    facts.update(changes)
    return Applicant(**facts)  # type: ignore[arg-type]


def test_co_manager_e4_e5_e14() -> None:
    assert codes(co_manager()) == []
    assert codes(co_manager(co_managers_already=1)) == []
    assert codes(co_manager(co_managers_already=2)) == ["co_manager_limit"]
    assert codes(co_manager(co_manager_paid=False)) == ["co_manager_not_managing"]
    # E14: 共同経営者 could join only from 2011-01.
    assert codes(co_manager(), on=dt.date(2010, 12, 31)) == ["co_manager_limit"]
    assert codes(co_manager(), on=dt.date(2011, 1, 1)) == []


@pytest.mark.parametrize(
    ("changes", "on", "expected"),
    [
        ({"current_contract_holder": True}, ON, ["already_contract_holder"]),  # E9 法3条3項
        ({"operator_cancelled_on": dt.date(2023, 4, 2)}, ON, ["operator_cancellation_within_year"]),
        ({"operator_cancelled_on": dt.date(2023, 4, 1)}, ON, []),  # E10: 1 year has passed
        ({"retirement_scheme_member": True}, dt.date(2010, 12, 31), []),  # before 2011-01
        ({"retirement_scheme_member": True}, dt.date(2011, 1, 1), ["retirement_scheme_member"]),
        ({"salaried": True}, ON, ["salaried"]),  # E12
        ({"employed_insurance_agent": True}, ON, ["employed_insurance_agent"]),
        ({"fulltime_high_school_student": True}, ON, ["fulltime_high_school_student"]),
        ({"registered_officer": False}, ON, ["unregistered_member"]),
    ],
)
def test_exclusions_e8_e12(changes: dict[str, object], on: dt.date, expected: list[str]) -> None:
    applicant = Applicant(P.COMPANY_OFFICER, 3, IND.CONSTRUCTION, **changes)  # type: ignore[arg-type]
    assert codes(applicant, on) == expected


def test_farm_corporation_must_be_type2() -> None:
    applicant = Applicant(P.FARM_CORPORATION_OFFICER, 3, farm_corporation_type2=False)
    assert codes(applicant) == ["farm_corporation_not_type2"]


def test_reasons_carry_a_message_for_the_member() -> None:
    decision = check_eligibility(Applicant(P.SOLE_PROPRIETOR, 8, IND.RETAIL), on=ON)
    assert "5人以下" in decision.reasons[0].message_ja
    assert "8人" in decision.reasons[0].message_ja


@pytest.mark.parametrize(
    "build",
    [
        lambda: Applicant(P.SOLE_PROPRIETOR, -1, IND.RETAIL),
        lambda: Applicant(P.COMPANY_OFFICER, 1),
    ],
)
def test_malformed_applicant_is_refused(build: object) -> None:
    with pytest.raises(RuleError):
        build()  # type: ignore[operator]
