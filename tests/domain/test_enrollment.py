"""Enrollment: receipt, automatic checks, straight-through approval, staff decisions, audit."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.contracts.selectors import access_contract_for, contracts_for
from kyosai.core.errors import ProcedureError
from kyosai.core.models import AuditLog
from kyosai.formats.identifiers import scheme_of, validate_contract_number
from kyosai.procedures.actions import (
    EnrollmentApplication,
    MandateFacts,
    PartyFacts,
    do_submit_enrollment,
)
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.procedures.selectors import access_procedure_for, review_queue
from kyosai.rules.scheme import Scheme

pytestmark = pytest.mark.django_db
RECEIVED_AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

COMPANY = PartyFacts(
    kind="corporation",
    organisation="company",
    name="株式会社さくら製作所",
    name_kana="サクラセイサクシヨ",
    corporate_number="7000012050002",
    postal_code="1050011",
    prefecture_code="13",
    address="東京都港区芝公園1-1-1",
    phone="0312345678",
    industry="manufacturing",
    employees=12,
    capital_yen=10_000_000,
    business_started_on=dt.date(2015, 4, 1),
)
OWNER = dataclasses.replace(
    COMPANY,
    kind="individual",
    organisation="sole_proprietor",
    name="山田花子",
    name_kana="ヤマダハナコ",
    corporate_number=None,
    capital_yen=None,
    industry="retail",
    employees=3,
)
MANDATE = MandateFacts("0001", "001", "1", "1234567", "ｻｸﾗｾｲｻｸｼﾖ")


def tosan(
    party: PartyFacts = COMPANY, monthly: int = 50_000, **mandate: str
) -> EnrollmentApplication:
    return EnrollmentApplication(
        Scheme.TOSAN, party, monthly, dataclasses.replace(MANDATE, **mandate)
    )


def submit(application: EnrollmentApplication, user: User, key: str = "k1") -> Procedure:
    return do_submit_enrollment(
        application,
        channel=Procedure.Channel.ONLINE,
        idempotency_key=key,
        received_at=RECEIVED_AT,
        acting_user=user,
    )


@pytest.fixture
def member() -> User:
    return User.objects.create_user("member", password="pw-member-2026")


@pytest.fixture
def reviewer() -> User:
    return User.objects.create_user("reviewer", password="pw-reviewer-2026", is_staff=True)


def test_an_application_passing_every_check_goes_straight_through(member: User) -> None:
    procedure = submit(tosan(), member)
    assert procedure.status == Procedure.Status.DONE
    contract = procedure.contract
    assert contract is not None and contract.scheme == Scheme.TOSAN
    assert validate_contract_number(contract.number) == contract.number
    assert scheme_of(contract.number) == Scheme.TOSAN  # first digit 6–9
    assert contract.joined_month == dt.date(2026, 11, 1)
    assert [t.monthly_yen for t in contract.premium_terms.all()] == [50_000]
    assert contract.mandates.get().holder_kana == "ｻｸﾗｾｲｻｸｼﾖ"
    events = list(procedure.events.all())
    assert [e.status for e in events] == ["received", "approved", "done"]
    assert {c["name"] for c in events[1].checks if c["passed"]} == {
        "eligibility",
        "premium",
        "no_live_contract",
        "mandate",
    }  # the timeline says which checks passed
    assert set(AuditLog.objects.values_list("action", flat=True)) == {
        "procedure.submit",
        "party.create",
        "contract.issue",
        "certificate.issue",
        "notice.send",  # 締結のお知らせ
    }


def test_shokibo_sole_proprietor_goes_through_with_its_own_number_series(member: User) -> None:
    application = EnrollmentApplication(Scheme.SHOKIBO, OWNER, 30_000, MANDATE, "sole_proprietor")
    procedure = submit(application, member)
    assert procedure.status == Procedure.Status.DONE
    assert procedure.contract is not None and procedure.contract.number.startswith("1")


def test_a_double_submit_makes_one_procedure(member: User) -> None:
    first = submit(tosan(), member, key="same")
    again = submit(tosan(), member, key="same")
    assert first.pk == again.pk
    assert Procedure.objects.count() == 1 and Contract.objects.count() == 1


def test_a_fixable_problem_comes_back_as_deficient(member: User) -> None:
    procedure = submit(tosan(monthly=7_000, bank_code="9998"), member)
    assert procedure.status == Procedure.Status.DEFICIENT
    assert {d["code"] for d in procedure.deficiencies} == {"premium", "mandate"}
    assert all(d["message"] for d in procedure.deficiencies)
    assert procedure.contract is None


def test_an_ineligible_applicant_waits_for_staff_who_may_approve(
    member: User, reviewer: User
) -> None:
    too_big = dataclasses.replace(COMPANY, employees=400, capital_yen=500_000_000)
    procedure = submit(tosan(too_big), member)
    assert procedure.status == Procedure.Status.CHECKING
    assert list(review_queue()) == [procedure]
    decided = do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    assert decided.status == Procedure.Status.DONE and decided.contract is not None
    with pytest.raises(ProcedureError):
        do_decide(procedure, approve=False, reason_ja="重複", acting_user=reviewer)


def test_a_rejection_needs_a_reason_and_is_shown_to_the_member(
    member: User, reviewer: User
) -> None:
    procedure = submit(
        tosan(dataclasses.replace(COMPANY, employees=400, capital_yen=500_000_000)), member
    )
    with pytest.raises(ProcedureError, match="理由"):
        do_decide(procedure, approve=False, reason_ja=" ", acting_user=reviewer)
    decided = do_decide(
        procedure, approve=False, reason_ja="中小企業者に当たりません。", acting_user=reviewer
    )
    assert decided.status == Procedure.Status.REJECTED
    assert "中小企業者に当たりません。" in decided.events.last().message  # type: ignore[union-attr]
    assert AuditLog.objects.filter(action="procedure.decide", actor=reviewer).exists()


def test_a_second_live_contract_in_the_same_scheme_is_held_for_staff(member: User) -> None:
    submit(tosan(), member, key="first")
    second = submit(tosan(), member, key="second")
    assert second.status == Procedure.Status.CHECKING
    failed = [c["name"] for c in second.events.last().checks if not c["passed"]]  # type: ignore[union-attr]
    assert failed == ["no_live_contract"]


def test_a_member_sees_only_their_own_records(member: User) -> None:
    other = User.objects.create_user("other", password="pw-other-2026")
    mine = submit(tosan(), member, key="mine")
    theirs = submit(
        tosan(dataclasses.replace(COMPANY, corporate_number="2010401078722")), other, key="theirs"
    )
    assert list(contracts_for(member)) == [mine.contract]
    assert theirs.contract is not None
    with pytest.raises(Http404):
        access_contract_for(member, theirs.contract.pk)
    with pytest.raises(Http404):
        access_procedure_for(member, theirs.pk)
    assert access_procedure_for(member, mine.pk) == mine


def test_the_audit_log_is_append_only(member: User) -> None:
    submit(tosan(), member)
    row = AuditLog.objects.first()
    assert row is not None
    row.action = "rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        row.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        row.delete()


def test_received_at_is_the_timestamp_given() -> None:
    procedure = submit(tosan(), User.objects.create_user("m2"), key="t")
    assert procedure.received_at == RECEIVED_AT
    assert timezone.localdate(procedure.received_at) == dt.date(2026, 11, 23)
