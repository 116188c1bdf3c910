"""The staff review: claim and release, decisions with reasons, and 二人承認 on a 解約 whose
payout reaches the four-eyes threshold."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User

from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.formats.identifiers import corporate_check_digit
from kyosai.procedures.actions import EnrollmentApplication, do_submit_enrollment
from kyosai.procedures.changes import do_submit_cancellation
from kyosai.procedures.models import Procedure, ProcedureEvent
from kyosai.procedures.review import (
    do_claim,
    do_decide,
    do_release,
    do_second_approval,
    four_eyes_of,
    needs_second_approval,
)
from kyosai.procedures.selectors import access_procedure_for, review_queue
from kyosai.rules.scheme import Scheme
from tests.billing.book import taken_over
from tests.domain.test_changes import NOW, OCTOBER, ONLINE
from tests.domain.test_enrollment import COMPANY, MANDATE
from tests.web.test_staff import user

pytestmark = pytest.mark.django_db

SMALL = 1_350_000  # tosan 50,000 × 30 months, 任意解約 90% (below the threshold)
LARGE = 8_000_000  # tosan 200,000 × 40 months, at the cap (above it)


def member_contract(monthly: int, joined: dt.datetime) -> Contract:
    """A tosan member's contract, joined straight through on `joined`."""
    member = User.objects.create_user(f"member{monthly}")
    base = f"{monthly:012d}"
    company = dataclasses.replace(  # 法人番号 is unique: one per firm
        COMPANY, corporate_number=f"{corporate_check_digit(base)}{base}"
    )
    application = EnrollmentApplication(Scheme.TOSAN, company, monthly, MANDATE)
    enrollment = do_submit_enrollment(
        application, channel=ONLINE, idempotency_key=f"enrol-{monthly}", received_at=joined,
        acting_user=member,
    )  # fmt: skip
    assert enrollment.contract is not None
    return enrollment.contract


@pytest.fixture
def contracts() -> dict[int, Contract]:
    """Both members' contracts, paid every month through October (taken over from the
    previous system)."""
    made = {
        50_000: member_contract(50_000, dt.datetime(2024, 5, 10, tzinfo=NOW.tzinfo)),
        200_000: member_contract(200_000, dt.datetime(2022, 9, 10, tzinfo=NOW.tzinfo)),
    }
    taken_over(Scheme.TOSAN, OCTOBER)
    return made


def cancellation(c: Contract) -> Procedure:
    """The member's 解約 request."""
    return do_submit_cancellation(
        c, channel=ONLINE, idempotency_key=f"cancel-{c.pk}", received_at=NOW,
        acting_user=c.party.user,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def small(contracts: dict[int, Contract]) -> Procedure:
    return cancellation(contracts[50_000])


@pytest.fixture
def large(contracts: dict[int, Contract]) -> Procedure:
    return cancellation(contracts[200_000])


@pytest.fixture
def reviewer() -> User:
    return user("suzuki", Role.REVIEWER)


@pytest.fixture
def approver() -> User:
    return user("tanaka", Role.APPROVER)


@pytest.fixture
def second_approver() -> User:
    return user("sato", Role.APPROVER)


def contract_of(procedure: Procedure) -> Contract:
    assert procedure.contract is not None
    return Contract.objects.get(pk=procedure.contract.pk)


def fresh(procedure: Procedure) -> Procedure:
    return Procedure.objects.get(pk=procedure.pk)


def actions(procedure: Procedure) -> list[tuple[str, str]]:
    rows = AuditLog.objects.filter(object_type="procedure", object_id=str(procedure.pk))
    return [(row.action, row.actor.get_username() if row.actor else "") for row in rows]


def snapshot(procedure: Procedure) -> tuple[object, ...]:
    """Everything a refused step must leave as it was."""
    p = fresh(procedure)
    return (
        p.status, p.claimed_by_id, p.first_approved_by_id, p.first_approved_at,
        contract_of(p).status, ProcedureEvent.objects.count(), AuditLog.objects.count(),
    )  # fmt: skip


def test_a_cancellation_carries_its_payout_and_the_threshold_decides_the_path(
    small: Procedure, large: Procedure
) -> None:
    assert (small.amount_yen, large.amount_yen) == (SMALL, LARGE)
    assert list(review_queue(Procedure.Kind.CANCELLATION)) == [small, large]
    rule = four_eyes_of(large)
    assert rule is not None and SMALL < rule.from_yen <= LARGE
    assert not needs_second_approval(small) and needs_second_approval(large)
    large.amount_yen = rule.from_yen  # at the threshold: two people
    assert needs_second_approval(large)
    large.amount_yen = rule.from_yen - 1  # a yen below: one person, as before
    assert not needs_second_approval(large)
    large.amount_yen = None  # a payout kind with no amount recorded is held for two
    assert needs_second_approval(large)


def test_below_the_threshold_one_reviewer_decides_as_before(
    small: Procedure, reviewer: User
) -> None:
    decided = do_decide(small, approve=True, reason_ja="", acting_user=reviewer)
    assert decided.status == Procedure.Status.APPROVED and decided.first_approved_by is None
    assert contract_of(small).status == Contract.Status.CANCELLED
    assert ("procedure.decide", "suzuki") in actions(small)
    assert AuditLog.objects.get(action="procedure.decide").data == {"approve": True, "reason": ""}
    contract_rows = AuditLog.objects.filter(object_type="contract", actor=reviewer)
    assert {row.action for row in contract_rows} == {"contract.cancel"}
    cancel = contract_rows.get(action="contract.cancel")
    assert (cancel.data["old"], cancel.data["kind"]) == ("active", "voluntary")
    assert cancel.data["refund_yen"] == cancel.data["net_yen"] == SMALL
    last = decided.events.last()
    assert last is not None and last.actor == reviewer and not last.staff_only
    assert f"解約手当金{SMALL:,}円" in last.message


def test_at_or_above_the_threshold_two_different_people_approve(
    large: Procedure, reviewer: User, approver: User
) -> None:
    first = do_decide(large, approve=True, reason_ja="書類確認済み", acting_user=reviewer)
    assert first.status == Procedure.Status.CHECKING and first.awaits_second_approval
    assert first.first_approved_by == reviewer and first.first_approved_at is not None
    assert contract_of(large).status == Contract.Status.ACTIVE  # nothing paid or cancelled yet
    assert list(review_queue(awaiting_second=True)) == [first]

    done = do_second_approval(large, confirm=True, reason_ja="", acting_user=approver)
    assert done.status == Procedure.Status.APPROVED
    assert done.first_approved_by == reviewer  # the record keeps both people
    assert contract_of(large).status == Contract.Status.CANCELLED
    assert ("procedure.first_approve", "suzuki") in actions(large)
    assert ("procedure.second_approve", "tanaka") in actions(large)
    second = AuditLog.objects.get(action="procedure.second_approve")
    assert second.data["first_approved_by"] == "suzuki" and second.data["amount_yen"] == LARGE
    assert not AuditLog.objects.filter(action="procedure.decide").exists()

    staff_steps = [
        (e.actor.get_username() if e.actor else "", e.staff_only) for e in done.events.all()
    ]
    assert ("suzuki", True) in staff_steps and ("tanaka", True) in staff_steps
    assert staff_steps[-1] == ("tanaka", False)  # the approval the member sees
    seen = access_procedure_for(done.party.user, done.pk)  # type: ignore[union-attr,arg-type]
    member_messages = " ".join(e.message for e in seen.events.all())
    assert "一次承認" not in member_messages and "suzuki" not in member_messages
    assert all(not e.staff_only for e in seen.events.all())
    assert "契約を解約しました" in member_messages


def test_the_first_approver_can_never_confirm_their_own_decision(
    large: Procedure, approver: User
) -> None:
    do_decide(large, approve=True, reason_ja="", acting_user=approver)
    before = snapshot(large)
    with pytest.raises(ProcedureError, match="ご自身の一次承認"):
        do_second_approval(large, confirm=True, reason_ja="", acting_user=approver)
    root = user("root", is_superuser=True)  # holds every role, and still not twice
    do_second_approval(large, confirm=False, reason_ja="金額を再確認", acting_user=root)
    do_decide(large, approve=True, reason_ja="", acting_user=root)
    before = snapshot(large)
    with pytest.raises(ProcedureError, match="ご自身の一次承認"):
        do_second_approval(large, confirm=True, reason_ja="", acting_user=root)
    assert snapshot(large) == before


def test_only_an_approver_gives_the_second_approval(
    large: Procedure, reviewer: User, second_approver: User
) -> None:
    do_decide(large, approve=True, reason_ja="", acting_user=second_approver)
    other_reviewer = user("yamada", Role.REVIEWER)
    before = snapshot(large)
    with pytest.raises(ProcedureError, match="承認担当だけ"):
        do_second_approval(large, confirm=True, reason_ja="", acting_user=other_reviewer)
    assert snapshot(large) == before
    with pytest.raises(ProcedureError, match="承認待ちです"):  # nor decide it again
        do_decide(large, approve=True, reason_ja="", acting_user=reviewer)
    assert snapshot(large) == before


def test_sending_back_needs_a_reason_and_returns_it_to_the_queue(
    large: Procedure, reviewer: User, approver: User
) -> None:
    do_decide(large, approve=True, reason_ja="", acting_user=reviewer)
    with pytest.raises(ProcedureError, match="差し戻す理由"):
        do_second_approval(large, confirm=False, reason_ja="　", acting_user=approver)
    back = do_second_approval(large, confirm=False, reason_ja="振込先を確認", acting_user=approver)
    assert back.status == Procedure.Status.CHECKING and not back.awaits_second_approval
    assert AuditLog.objects.get(action="procedure.send_back").data == {
        "first_approved_by": "suzuki", "reason": "振込先を確認",
    }  # fmt: skip
    note = back.events.last()
    assert note is not None and note.staff_only and "振込先を確認" in note.message
    # Back in the queue, it may now be rejected by one person with a reason.
    rejected = do_decide(large, approve=False, reason_ja="ご本人の取下げ", acting_user=reviewer)
    assert rejected.status == Procedure.Status.REJECTED
    assert contract_of(large).status == Contract.Status.ACTIVE
    refusal = rejected.events.last()
    assert refusal is not None
    assert refusal.message == "解約のお申出は承認されませんでした。理由: ご本人の取下げ"


def test_a_rejection_needs_its_reason(small: Procedure, reviewer: User) -> None:
    before = snapshot(small)
    with pytest.raises(ProcedureError, match="承認しない理由"):
        do_decide(small, approve=False, reason_ja=" ", acting_user=reviewer)
    with pytest.raises(ProcedureError, match="200文字"):
        do_decide(small, approve=False, reason_ja="長" * 201, acting_user=reviewer)
    assert snapshot(small) == before


def test_a_double_submit_of_a_decision_changes_nothing(
    small: Procedure, large: Procedure, reviewer: User, approver: User
) -> None:
    do_decide(small, approve=True, reason_ja="", acting_user=reviewer)
    before = snapshot(small)
    with pytest.raises(ProcedureError, match="確認待ちではない"):
        do_decide(small, approve=True, reason_ja="", acting_user=reviewer)
    assert snapshot(small) == before

    do_decide(large, approve=True, reason_ja="", acting_user=reviewer)
    before = snapshot(large)
    with pytest.raises(ProcedureError, match="承認待ちです"):
        do_decide(large, approve=True, reason_ja="", acting_user=reviewer)
    assert snapshot(large) == before
    do_second_approval(large, confirm=True, reason_ja="", acting_user=approver)
    before = snapshot(large)
    with pytest.raises(ProcedureError, match="確認待ちではない"):
        do_second_approval(large, confirm=True, reason_ja="", acting_user=approver)
    assert snapshot(large) == before


def test_a_claim_keeps_others_off_until_released(
    small: Procedure, reviewer: User, approver: User
) -> None:
    colleague = user("yamada", Role.REVIEWER)
    claimed = do_claim(small, acting_user=reviewer)
    assert claimed.claimed_by == reviewer and claimed.claimed_at is not None
    do_claim(small, acting_user=reviewer)  # a second click is no second claim
    assert [a for a, _ in actions(small)].count("procedure.claim") == 1
    before = snapshot(small)
    with pytest.raises(ProcedureError, match="suzukiさんが担当"):
        do_claim(small, acting_user=colleague)
    with pytest.raises(ProcedureError, match="suzukiさんが担当"):
        do_decide(small, approve=True, reason_ja="", acting_user=colleague)
    with pytest.raises(ProcedureError, match="suzukiさんが担当"):
        do_release(small, acting_user=colleague)
    assert snapshot(small) == before
    released = do_release(small, acting_user=approver)  # an approver may free the queue
    assert released.claimed_by is None
    assert AuditLog.objects.get(action="procedure.release").data == {"holder": "suzuki"}
    steps = [e for e in released.events.all() if e.staff_only]
    assert [e.actor for e in steps] == [reviewer, approver]
    with pytest.raises(ProcedureError, match="誰も担当していません"):
        do_release(small, acting_user=approver)
    do_claim(small, acting_user=colleague)
    decided = do_decide(small, approve=True, reason_ja="", acting_user=colleague)
    assert decided.claimed_by is None and decided.status == Procedure.Status.APPROVED


def test_procedures_that_never_reach_staff_cannot_be_decided(
    small: Procedure, reviewer: User
) -> None:
    enrollment = contract_of(small).procedures.get(kind=Procedure.Kind.ENROLLMENT)
    with pytest.raises(ProcedureError, match="確認待ちではない"):  # it went straight through
        do_claim(enrollment, acting_user=reviewer)
    stray = Procedure.objects.create(
        kind=Procedure.Kind.SUSPENSION, scheme="tosan", channel=ONLINE,
        status=Procedure.Status.CHECKING, party=small.party, contract=small.contract,
        received_at=NOW, idempotency_key="stray",
    )  # fmt: skip
    with pytest.raises(ProcedureError, match="職員の判断の対象ではありません"):
        do_claim(stray, acting_user=reviewer)
    member = small.submitted_by
    assert member is not None
    with pytest.raises(ProcedureError, match="職員として"):
        do_claim(small, acting_user=member)
