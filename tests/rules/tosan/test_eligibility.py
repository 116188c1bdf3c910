"""加入資格: tosan_rules.md §1 (法2条1項, 施行令1条, 施行規則1条2項・2条)."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.tosan.eligibility import (
    Applicant,
    Industry,
    Organisation,
    RefusalGround,
    eligibility,
)

ON = dt.date(2026, 4, 1)
STARTED = dt.date(2020, 4, 1)
C, S = Organisation.COMPANY, Organisation.SOLE_PROPRIETOR


@pytest.mark.parametrize(
    ("industry", "capital", "employees", "eligible"),
    [
        # E2/E3: capital OR employees, edges of each industry (施行令1条 for the last three)
        (Industry.MANUFACTURING, 300_000_000, 10_000, True),
        (Industry.MANUFACTURING, 300_000_001, 300, True),
        (Industry.MANUFACTURING, 300_000_001, 301, False),
        (Industry.WHOLESALE, 100_000_000, 500, True),
        (Industry.WHOLESALE, 100_000_001, 101, False),
        (Industry.SERVICE, 50_000_001, 100, True),
        (Industry.SERVICE, 50_000_001, 101, False),
        (Industry.RETAIL, 50_000_001, 50, True),
        (Industry.RETAIL, 50_000_001, 51, False),
        (Industry.RUBBER_PRODUCTS, 300_000_001, 900, True),
        (Industry.RUBBER_PRODUCTS, 300_000_001, 901, False),
        (Industry.SOFTWARE_IT, 300_000_000, 5_000, True),
        (Industry.SOFTWARE_IT, 300_000_001, 301, False),
        (Industry.INN, 50_000_001, 200, True),
        (Industry.INN, 50_000_001, 201, False),
    ],
)
def test_company_size_tests_e2_e3(
    industry: Industry, capital: int, employees: int, eligible: bool
) -> None:
    decision = eligibility(Applicant(C, industry, capital, employees, STARTED), applied_on=ON)
    assert decision.eligible is eligible
    assert [r.code for r in decision.reasons] == ([] if eligible else ["not_sme"])


def test_sole_proprietor_judged_on_employees_only_e4() -> None:
    ok = Applicant(S, Industry.RETAIL, None, 50, STARTED)
    too_many = Applicant(S, Industry.RETAIL, None, 51, STARTED)
    assert eligibility(ok, applied_on=ON).eligible
    decision = eligibility(too_many, applied_on=ON)
    assert not decision.eligible
    assert "個人事業主" in decision.reasons[0].message_ja


def test_one_year_in_business_e1() -> None:
    started = dt.date(2025, 4, 2)
    applicant = Applicant(C, Industry.SERVICE, 10_000_000, 5, started)
    assert [r.code for r in eligibility(applicant, applied_on=ON).reasons] == ["under_one_year"]
    assert eligibility(applicant, applied_on=dt.date(2026, 4, 2)).eligible


@pytest.mark.parametrize(
    ("organisation", "joint", "code"),
    [
        # E6: 企業組合・協業組合 qualify; 事業協同組合等 only with joint business
        (Organisation.KIGYO_KUMIAI, False, None),
        (Organisation.KYOGYO_KUMIAI, False, None),
        (Organisation.JIGYO_KYODO_KUMIAI, True, None),
        (Organisation.JIGYO_KYODO_SHO_KUMIAI, True, None),
        (Organisation.SHOKO_KUMIAI, True, None),
        (Organisation.JIGYO_KYODO_KUMIAI, False, "cooperative_without_joint_business"),
        (Organisation.SHOKO_KUMIAI, False, "cooperative_without_joint_business"),
        # E7: not eligible
        (Organisation.MEDICAL_CORPORATION, False, "organisation_not_eligible"),
        (Organisation.AGRICULTURAL_PARTNERSHIP, False, "organisation_not_eligible"),
        (Organisation.NPO, False, "organisation_not_eligible"),
        (Organisation.FOREST_OWNERS_COOPERATIVE, False, "organisation_not_eligible"),
        (Organisation.AGRICULTURAL_COOPERATIVE, False, "organisation_not_eligible"),
        (Organisation.FOREIGN_CORPORATION, False, "organisation_not_eligible"),
        (Organisation.OTHER, False, "organisation_not_eligible"),
    ],
)
def test_organisation_types_e6_e7(
    organisation: Organisation, joint: bool, code: str | None
) -> None:
    applicant = Applicant(organisation, Industry.SERVICE, 10_000_000, 5, STARTED, joint)
    decision = eligibility(applicant, applied_on=ON)
    assert [r.code for r in decision.reasons] == ([] if code is None else [code])


def test_refusal_grounds_e8_each_with_a_message() -> None:
    applicant = Applicant(
        C, Industry.SERVICE, 10_000_000, 5, STARTED, refusal_grounds=frozenset(RefusalGround)
    )
    decision = eligibility(applicant, applied_on=ON)
    assert not decision.eligible
    assert [r.code for r in decision.reasons] == [f"refusal_{g}" for g in RefusalGround]
    assert all("施行規則2条" in r.message_ja for r in decision.reasons)


def test_malformed_applicant_raises() -> None:
    with pytest.raises(RuleError):
        Applicant(C, Industry.SERVICE, None, 5, STARTED)
    with pytest.raises(RuleError):
        Applicant(S, Industry.SERVICE, None, -1, STARTED)
