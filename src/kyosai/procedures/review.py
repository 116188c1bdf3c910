"""The staff review of procedures that wait for a person: claim, release, decide with reasons,
and 二人承認 (four-eyes) for approvals whose payout reaches the kind's threshold.

Which kinds staff decide, and what an approval does, is `REVIEWS`: an enrollment whose automatic
checks did not all pass, every 解約, every loan request, every 共済金請求 and every 通算申出. A kind that pays out sets `Procedure.amount_yen` when it
is received; when `rules.four_eyes` has a threshold for the kind and the amount reaches it, the
first approval is recorded as 承認待ち and only a different staff member holding the approver role
can confirm it (the approval then takes effect) or send it back to the queue. A rejection is
final with one person (it pays nothing out) and always needs its reason.

The member keeps seeing 確認中 until the decision: claims, the first approval and a sending back
are staff-only events of the timeline. Every function is atomic, locks the procedure, takes
`acting_user` by keyword and writes its audit row and timeline event; a repeated submit finds the
procedure moved on and is refused without changing anything.
"""

from dataclasses import dataclass
from typing import Protocol

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from kyosai.benefits.actions import complete_benefit_claim, complete_tsusan
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ProcedureError
from kyosai.core.roles import Role, has_role
from kyosai.loans.actions import complete_kyosaikin_loan
from kyosai.loans.contract_loan import complete_contract_loan
from kyosai.loans.temporary import complete_temporary_loan
from kyosai.procedures.actions import complete_enrollment
from kyosai.procedures.changes import complete_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.timeline import add_event, set_status
from kyosai.rules.four_eyes import FourEyesRule, four_eyes_rule

REASON_MAX_CHARS = 200  # keeps the timeline message within its column


class Completion(Protocol):
    def __call__(self, procedure: Procedure, *, acting_user: Actor) -> None: ...


@dataclass(frozen=True)
class Review:
    complete: Completion  # what an approval does (issue the contract, cancel it…)
    applied_for: str  # the member's request as a refusal names it


REVIEWS: dict[str, Review] = {
    Procedure.Kind.ENROLLMENT: Review(complete_enrollment, "お申込み"),
    Procedure.Kind.CANCELLATION: Review(complete_cancellation, "解約のお申出"),
    Procedure.Kind.KYOSAIKIN_LOAN: Review(complete_kyosaikin_loan, "共済金貸付のご請求"),
    Procedure.Kind.TEMPORARY_LOAN: Review(complete_temporary_loan, "一時貸付金のご請求"),
    Procedure.Kind.CONTRACT_LOAN: Review(complete_contract_loan, "契約者貸付のお申込み"),
    Procedure.Kind.BENEFIT_CLAIM: Review(complete_benefit_claim, "共済金のご請求"),
    Procedure.Kind.TSUSAN: Review(complete_tsusan, "掛金納付月数の通算のお申出"),
}


@transaction.atomic
def do_claim(procedure: Procedure, *, acting_user: Actor) -> Procedure:
    """Take a waiting procedure, so that other staff leave it; claiming one's own is a no-op."""
    procedure = _waiting(procedure)
    staff = _staff(acting_user)
    if procedure.claimed_by_id == staff.pk:
        return procedure
    _not_held_by_another(procedure, staff)
    procedure.claimed_by, procedure.claimed_at = staff, timezone.now()
    procedure.save(update_fields=["claimed_by", "claimed_at"])
    record("procedure.claim", procedure, actor=acting_user)
    add_event(procedure, procedure.Status.CHECKING, "担当しました。", acting_user, staff_only=True)
    return procedure


@transaction.atomic
def do_release(procedure: Procedure, *, acting_user: Actor) -> Procedure:
    """Put a claimed procedure back in the queue: its holder may, and an approver may release
    anyone's (so that an absent colleague's claims do not block the queue)."""
    procedure = _waiting(procedure)
    staff = _staff(acting_user)
    holder = procedure.claimed_by
    if holder is None:
        raise ProcedureError("この手続きは誰も担当していません。")
    if holder.pk != staff.pk and not has_role(staff, Role.APPROVER):
        raise ProcedureError(
            f"{holder.get_username()}さんが担当しています。担当を外せるのは本人か承認担当です。"
        )
    _unclaim(procedure)
    record("procedure.release", procedure, actor=acting_user, holder=holder.get_username())
    add_event(
        procedure, procedure.Status.CHECKING,
        f"担当を外しました（担当していた人: {holder.get_username()}）。",
        acting_user, staff_only=True,
    )  # fmt: skip
    return procedure


@transaction.atomic
def do_decide(
    procedure: Procedure, *, approve: bool, reason_ja: str, acting_user: Actor
) -> Procedure:
    """A staff decision. A rejection needs a reason and is final; an approval takes effect at
    once, or, when the payout reaches the four-eyes threshold, waits as 承認待ち."""
    procedure = _waiting(procedure)
    staff = _staff(acting_user)
    if procedure.first_approved_by is not None:
        raise ProcedureError("この手続きは承認待ちです。別の承認担当が確認します。")
    _not_held_by_another(procedure, staff)
    reason = _reason(reason_ja, required=not approve, what="承認しない")
    review = REVIEWS[procedure.kind]
    _unclaim(procedure)
    if approve and needs_second_approval(procedure):
        procedure.first_approved_by, procedure.first_approved_at = staff, timezone.now()
        procedure.save(update_fields=["first_approved_by", "first_approved_at"])
        record(
            "procedure.first_approve", procedure, actor=acting_user,
            amount_yen=procedure.amount_yen, reason=reason,
        )  # fmt: skip
        add_event(
            procedure, procedure.Status.CHECKING,
            f"一次承認（承認待ち）: 支払額{procedure.amount_yen or 0:,}円は二人承認の対象です。"
            "別の承認担当の確認を待ちます。" + (f"理由: {reason}" if reason else ""),
            acting_user, staff_only=True,
        )  # fmt: skip
        return procedure
    record("procedure.decide", procedure, actor=acting_user, approve=approve, reason=reason)
    if approve:
        review.complete(procedure, acting_user=acting_user)
    else:
        set_status(
            procedure,
            Procedure.Status.REJECTED,
            acting_user,
            f"{review.applied_for}は承認されませんでした。理由: {reason}",
        )
    return procedure


@transaction.atomic
def do_second_approval(
    procedure: Procedure, *, confirm: bool, reason_ja: str, acting_user: Actor
) -> Procedure:
    """The second person on a 承認待ち: an approver other than the first confirms (the approval
    takes effect) or sends it back to the queue with a reason."""
    procedure = _waiting(procedure)
    staff = _staff(acting_user)
    first = procedure.first_approved_by
    if first is None:
        raise ProcedureError("この手続きは承認待ちではありません。")
    if not has_role(staff, Role.APPROVER):
        raise ProcedureError("二人目の承認は承認担当だけが行えます。")
    if first.pk == staff.pk:
        raise ProcedureError(
            "ご自身の一次承認を確認することはできません。別の承認担当が確認します。"
        )
    _not_held_by_another(procedure, staff)
    reason = _reason(reason_ja, required=not confirm, what="差し戻す")
    _unclaim(procedure)
    if confirm:
        record(
            "procedure.second_approve", procedure, actor=acting_user,
            first_approved_by=first.get_username(), amount_yen=procedure.amount_yen, reason=reason,
        )  # fmt: skip
        add_event(
            procedure, procedure.Status.CHECKING,
            f"二次承認: {first.get_username()}さんの一次承認を確認しました。"
            + (f"理由: {reason}" if reason else ""),
            acting_user, staff_only=True,
        )  # fmt: skip
        REVIEWS[procedure.kind].complete(procedure, acting_user=acting_user)
        return procedure
    procedure.first_approved_by, procedure.first_approved_at = None, None
    procedure.save(update_fields=["first_approved_by", "first_approved_at"])
    record(
        "procedure.send_back", procedure, actor=acting_user,
        first_approved_by=first.get_username(), reason=reason,
    )  # fmt: skip
    add_event(
        procedure, procedure.Status.CHECKING,
        f"差戻し: {first.get_username()}さんの一次承認を差し戻しました。理由: {reason}",
        acting_user, staff_only=True,
    )  # fmt: skip
    return procedure


def four_eyes_of(procedure: Procedure) -> FourEyesRule | None:
    """The four-eyes threshold of the procedure's kind in force on the day it was received."""
    return four_eyes_rule(procedure.kind, on=timezone.localdate(procedure.received_at))


def needs_second_approval(procedure: Procedure) -> bool:
    """Whether approving `procedure` needs two people: its kind has a threshold and the payout
    reaches it (a kind with a threshold but no amount recorded is held for two, to be safe)."""
    rule = four_eyes_of(procedure)
    if rule is None:
        return False
    return procedure.amount_yen is None or rule.applies_to(procedure.amount_yen)


def _waiting(procedure: Procedure) -> Procedure:
    """The procedure locked for the change, if it waits for staff."""
    locked = (
        # Only the procedure's row: PostgreSQL cannot lock the empty side of an outer join.
        Procedure.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "first_approved_by")
        .get(pk=procedure.pk)
    )
    if locked.kind not in REVIEWS:
        raise ProcedureError("この手続きは職員の判断の対象ではありません。")
    if locked.status != Procedure.Status.CHECKING:
        raise ProcedureError("この手続きは確認待ちではないため、判断できません。")
    return locked


def _staff(acting_user: Actor) -> User:
    staff = signed_in(acting_user)
    if staff is None or not staff.is_staff:
        raise ProcedureError("職員としてログインしてください。")
    return staff


def _not_held_by_another(procedure: Procedure, staff: User) -> None:
    holder = procedure.claimed_by
    if holder is not None and holder.pk != staff.pk:
        raise ProcedureError(f"{holder.get_username()}さんが担当しています。")


def _unclaim(procedure: Procedure) -> None:
    if procedure.claimed_by_id is not None:
        procedure.claimed_by, procedure.claimed_at = None, None
        procedure.save(update_fields=["claimed_by", "claimed_at"])


def _reason(reason_ja: str, *, required: bool, what: str) -> str:
    reason = reason_ja.strip()
    if required and not reason:
        raise ProcedureError(f"{what}理由を入力してください。")
    if len(reason) > REASON_MAX_CHARS:
        raise ProcedureError(f"理由は{REASON_MAX_CHARS}文字以内で入力してください。")
    return reason
