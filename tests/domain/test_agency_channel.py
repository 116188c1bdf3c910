"""The agency channel: a clerk's confirmation link (valid, expired, reused, someone else's), the
paper form with its 受付日, and the agency's counts."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kyosai.agencies.actions import (
    do_confirm_link,
    do_issue_confirmation_link,
    do_receive_paper_enrollment,
)
from kyosai.agencies.models import Agency, AgencyClerk, ConfirmationLink
from kyosai.agencies.selectors import agency_counts, agency_procedures
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.core.models import AuditLog
from kyosai.formats.identifiers import corporate_check_digit
from kyosai.procedures.actions import EnrollmentApplication
from kyosai.procedures.models import Procedure
from kyosai.procedures.selectors import procedures_for
from kyosai.rules.scheme import Scheme
from tests.domain.test_enrollment import COMPANY, MANDATE

pytestmark = pytest.mark.django_db
APPLICATION = EnrollmentApplication(Scheme.TOSAN, COMPANY, 50_000, MANDATE)


def company(serial: int, **changes: object) -> object:
    """Another client company: its own 法人番号 (a paper form with the same one is the same party)."""
    base = f"{serial:012d}"
    return dataclasses.replace(
        COMPANY, corporate_number=f"{corporate_check_digit(base)}{base}", **changes
    )  # type: ignore[arg-type]


def clerk_of(agency: Agency, username: str = "clerk") -> User:
    user = User.objects.create_user(username, password="pw-clerk-2026")
    AgencyClerk.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)


@pytest.fixture
def clerk(agency: Agency) -> User:
    return clerk_of(agency)


def issue(agency: Agency, clerk: User, key: str = "k1", **changes: object) -> ConfirmationLink:
    return do_issue_confirmation_link(
        dataclasses.replace(APPLICATION, **changes),  # type: ignore[arg-type]
        agency=agency,
        client_email="sakura@example.jp",
        idempotency_key=key,
        now=timezone.now(),
        acting_user=clerk,
    )


def test_the_client_confirms_and_the_enrollment_is_theirs_through_the_agency(
    agency: Agency, clerk: User
) -> None:
    link = issue(agency, clerk)
    assert issue(agency, clerk) == link  # a double submit of the clerk's form: one link
    # Valid for the parameter's 14 days from issue.
    assert link.expires_at - link.created_at == dt.timedelta(days=14)
    assert not Procedure.objects.exists()  # nothing is submitted before the client confirms

    client = User.objects.create_user("sakura@example.jp")
    procedure = do_confirm_link(link, acting_user=client)

    assert procedure.channel == Procedure.Channel.AGENCY and procedure.agency == agency
    assert procedure.party is not None and procedure.party.user == client
    assert procedure.submitted_by == client
    assert list(procedures_for(client)) == [procedure]
    contract = Contract.objects.get()  # straight through: every automatic check passed
    assert contract.handling_agency == agency and contract.party.user == client
    first = procedure.events.first()
    assert first is not None and first.message == "お申込みを受け付けました（港商工会議所経由）。"
    link.refresh_from_db()
    assert link.procedure == procedure and link.confirmed_at is not None
    assert list(
        AuditLog.objects.filter(object_type="confirmationlink").values_list("action", flat=True)
    ) == [
        "agency_link.issue",
        "agency_link.confirm",
    ]


def test_a_used_link_does_not_submit_twice(agency: Agency, clerk: User) -> None:
    link = issue(agency, clerk)
    client = User.objects.create_user("sakura@example.jp")
    do_confirm_link(link, acting_user=client)
    with pytest.raises(ProcedureError, match="すでに使われています"):
        do_confirm_link(link, acting_user=client)
    assert Procedure.objects.count() == 1


def test_an_expired_link_says_so_and_submits_nothing(agency: Agency, clerk: User) -> None:
    link = issue(agency, clerk)
    ConfirmationLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    client = User.objects.create_user("sakura@example.jp")
    with pytest.raises(
        ProcedureError, match=r"有効期限.*が過ぎています。.*港商工会議所に新しいリンク"
    ):
        do_confirm_link(link, acting_user=client)
    assert not Procedure.objects.exists()


def test_only_the_client_the_link_was_issued_for_can_confirm(agency: Agency, clerk: User) -> None:
    link = issue(agency, clerk)
    someone = User.objects.create_user("other@example.jp", email="other@example.jp")
    with pytest.raises(ProcedureError, match=r"別の方あて.*sa\*+@example\.jp"):
        do_confirm_link(link, acting_user=someone)
    assert not Procedure.objects.exists()
    # The address is matched however its letters are cased.
    client = User.objects.create_user("Sakura@Example.jp")
    assert do_confirm_link(link, acting_user=client).party.user == client  # type: ignore[union-attr]


def test_only_a_clerk_of_the_agency_issues_its_links(agency: Agency) -> None:
    other = Agency.objects.create(code="A00002", name="芝信用金庫", kind=Agency.Kind.SHINKIN)
    with pytest.raises(ProcedureError, match="この委託機関の担当者だけ"):
        issue(agency, clerk_of(other))
    with pytest.raises(ProcedureError, match="この委託機関の担当者だけ"):
        issue(agency, User.objects.create_user("member@example.jp"))


def test_a_paper_form_is_received_on_its_date_for_a_client_without_a_login(
    agency: Agency, clerk: User
) -> None:
    received_on = timezone.localdate() - dt.timedelta(days=3)
    procedure = do_receive_paper_enrollment(
        APPLICATION, agency=agency, received_on=received_on, idempotency_key="p1", acting_user=clerk
    )
    again = do_receive_paper_enrollment(
        APPLICATION, agency=agency, received_on=received_on, idempotency_key="p1", acting_user=clerk
    )
    assert again == procedure and Procedure.objects.count() == 1
    assert procedure.channel == Procedure.Channel.PAPER and procedure.agency == agency
    assert timezone.localtime(procedure.received_at).date() == received_on
    assert procedure.submitted_by == clerk
    assert procedure.party is not None and procedure.party.user is None  # not the clerk's party
    assert Contract.objects.get().handling_agency == agency
    # The same company (法人番号) on another form is the same party: already a member of tosan.
    second = do_receive_paper_enrollment(
        APPLICATION, agency=agency, received_on=received_on, idempotency_key="p3", acting_user=clerk
    )
    assert second.party == procedure.party and second.status == Procedure.Status.CHECKING
    with pytest.raises(ProcedureError, match="今日より後"):
        do_receive_paper_enrollment(
            APPLICATION,
            agency=agency,
            received_on=timezone.localdate() + dt.timedelta(days=1),
            idempotency_key="p2",
            acting_user=clerk,
        )


def test_the_counts_are_by_status_and_by_month_and_only_the_agencys(
    agency: Agency, clerk: User
) -> None:
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)

    def paper(key: str, on: dt.date, **changes: object) -> Procedure:
        return do_receive_paper_enrollment(
            dataclasses.replace(APPLICATION, **changes),  # type: ignore[arg-type]
            agency=agency, received_on=on, idempotency_key=key, acting_user=clerk,
        )  # fmt: skip

    paper("done-1", today, party=company(1))
    paper("done-2", last_month, party=company(2))
    paper("deficient", today, party=company(3), monthly_yen=12_345)  # not in 5,000円 steps: 不備
    big = company(4, employees=900, capital_yen=900_000_000)
    paper("checking", last_month, party=big)  # too big for the scheme: staff decide
    other = Agency.objects.create(code="A00002", name="芝信用金庫", kind=Agency.Kind.SHINKIN)
    do_receive_paper_enrollment(
        APPLICATION, agency=other, received_on=today, idempotency_key="x",
        acting_user=clerk_of(other, "clerk2"),
    )  # fmt: skip
    issue(agency, clerk)  # waiting for the client
    expired = issue(agency, clerk, key="k2")
    ConfirmationLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now())

    counts = agency_counts(agency, now=timezone.now())

    assert dict(counts.by_status) == {
        "受付": 0, "確認中": 1, "不備あり": 1, "承認": 0, "不承認": 0, "完了": 2,
    }  # fmt: skip
    assert counts.by_month == [(today.replace(day=1), 2), (last_month.replace(day=1), 2)]
    assert counts.awaiting_client == 1 and counts.total == 4
    assert agency_procedures(agency).count() == 4
