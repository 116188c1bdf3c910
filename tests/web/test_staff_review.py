"""The staff console's review: queues per kind, claims, and 二人承認 through the pages, for every
new URL and role."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from kyosai.core.models import AuditLog
from kyosai.core.roles import Role
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from tests.domain.test_review import contracts as contracts
from tests.domain.test_review import large as large
from tests.domain.test_review import small as small
from tests.helpers import sign_in
from tests.web.test_staff import AUDIENCES, client_for, user

pytestmark = pytest.mark.django_db

ALLOWED_TO_POST = {"reviewer", "approver"}


def first_approved(procedure: Procedure) -> User:
    first = user("first", Role.APPROVER)
    do_decide(procedure, approve=True, reason_ja="", acting_user=first)
    return first


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_approvals_view_is_the_approvers_and_administrators(
    large: Procedure, audience: str
) -> None:
    first_approved(large)
    response = client_for(audience).get("/staff/approvals/")
    if audience == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    elif audience in ("approver", "administrator"):
        assert response.status_code == 200
        page = response.content.decode()
        assert f'href="/staff/procedures/{large.pk}/"' in page and "承認待ち" in page
        assert "8,000,000円" in page and "一次承認: first" in page
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("step", ["claim", "release", "second-approval"])
def test_the_posted_steps_for_every_audience(large: Procedure, audience: str, step: str) -> None:
    if step == "second-approval":
        first_approved(large)
    client = client_for(audience)
    if step == "release":
        holder = user("holder", Role.REVIEWER)
        sign_in(Client(), holder).post(f"/staff/procedures/{large.pk}/claim/")
    response = client.post(
        f"/staff/procedures/{large.pk}/{step}/", {"decision": "confirm", "reason": ""}
    )
    large.refresh_from_db()
    if audience == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    elif audience not in ALLOWED_TO_POST:
        assert response.status_code == 403
    elif step == "claim":
        assert response.status_code == 302 and large.claimed_by.get_username() == audience  # type: ignore[union-attr]
    elif step == "release":  # only an approver may release another's claim
        assert response.status_code == 302
        assert (large.claimed_by is None) == (audience == "approver")
    elif audience == "reviewer":
        assert response.status_code == 403
        assert "二人目の承認は承認担当だけが行えます。" in response.content.decode()
        assert large.awaits_second_approval
    else:
        assert response.status_code == 302 and large.status == Procedure.Status.APPROVED
    if audience not in ALLOWED_TO_POST or (step == "second-approval" and audience == "reviewer"):
        assert not AuditLog.objects.filter(
            actor__username=audience, action__startswith="procedure."
        ).exists()


def test_the_queue_has_a_tab_per_kind_and_marks_what_waits_for_a_second(
    large: Procedure,
) -> None:
    first_approved(large)
    client = client_for("reviewer")
    page = client.get("/staff/").content.decode()
    assert "解約（1件）" in page and "加入申込（0件）" in page
    assert "承認待ち</span>（一次承認: first）" in page
    assert (
        f"/staff/procedures/{large.pk}/"
        not in client.get("/staff/", {"kind": "enrollment"}).content.decode()
    )
    assert (
        f"/staff/procedures/{large.pk}/"
        in client.get("/staff/", {"kind": "cancellation"}).content.decode()
    )
    procedure_page = client.get(f"/staff/procedures/{large.pk}/").content.decode()
    assert "二人目の承認は、一次承認した人とは別の承認担当が行います。" in procedure_page
    assert "記録する" not in procedure_page  # a reviewer gets no form for it


def test_the_first_approver_is_refused_on_the_page_and_nothing_changes(
    large: Procedure,
) -> None:
    first = first_approved(large)
    client = sign_in(Client(), first)
    assert (
        "ご自身の一次承認は確認できません"
        in client.get(f"/staff/procedures/{large.pk}/").content.decode()
    )
    assert "ご自身のため確認できません" in client.get("/staff/approvals/").content.decode()
    events = large.events.count()
    response = client.post(
        f"/staff/procedures/{large.pk}/second-approval/", {"decision": "confirm"}
    )
    assert response.status_code == 200
    assert "ご自身の一次承認を確認することはできません。" in response.content.decode()
    large.refresh_from_db()
    assert large.awaits_second_approval and large.events.count() == events


def test_two_people_through_the_console_and_the_member_sees_only_the_review(
    large: Procedure,
) -> None:
    reviewer = client_for("reviewer")
    reviewer.post(f"/staff/procedures/{large.pk}/claim/")
    response = reviewer.post(f"/staff/procedures/{large.pk}/", {"decision": "approve"})
    assert response.status_code == 302
    large.refresh_from_db()
    assert large.awaits_second_approval and large.claimed_by is None
    again = reviewer.post(f"/staff/procedures/{large.pk}/", {"decision": "approve"})
    assert "承認待ちです" in again.content.decode()  # a double submit is refused

    assert large.submitted_by is not None
    member = sign_in(Client(), large.submitted_by)
    waiting = member.get(f"/portal/procedures/{large.pk}/").content.decode()
    assert "確認中" in waiting and "承認待ち" not in waiting and "reviewer" not in waiting

    approver = client_for("approver")
    done = approver.post(f"/staff/procedures/{large.pk}/second-approval/", {"decision": "confirm"})
    assert done.status_code == 302 and done["Location"] == "/staff/approvals/"
    staff_page = approver.get(f"/staff/procedures/{large.pk}/").content.decode()
    assert "reviewer（職員のみ） 一次承認（承認待ち）" in staff_page
    assert "approver（職員のみ） 二次承認: reviewerさんの一次承認を確認しました。" in staff_page
    after = member.get(f"/portal/procedures/{large.pk}/").content.decode()
    assert "契約を解約しました" in after and "一次承認" not in after and "approver" not in after


def test_a_cancellation_below_the_threshold_is_decided_by_one_reviewer(small: Procedure) -> None:
    response = client_for("reviewer").post(
        f"/staff/procedures/{small.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 302
    small.refresh_from_db()
    assert small.status == Procedure.Status.APPROVED and small.first_approved_by is None
