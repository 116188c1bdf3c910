"""Every URL the project serves, for every audience: who gets the page, who is sent to log in,
who is refused (403) and who is told it does not exist (404: another member's record).

The matrix is checked against the URL resolver, so a new page fails this test until its row says
who may open it. Pages with their own detailed tests (the contents, the posted steps) keep them;
this file is the one place that proves no URL was forgotten.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kyosai.agencies.actions import do_issue_confirmation_link
from kyosai.agencies.models import Agency, AgencyClerk
from kyosai.billing.ledger import Line, post_journal
from kyosai.billing.models import Account, BillingRun, Journal
from kyosai.campaigns.actions import do_start_campaign
from kyosai.campaigns.models import Reconfirmation
from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract
from kyosai.intake.actions import do_import_intake_file
from kyosai.intake.models import IntakeRow
from kyosai.notices.actions import do_send_notice
from kyosai.notices.models import Notice
from kyosai.payouts.actions import PayeeAccount, approve_payout, do_make_transfer_file
from kyosai.payouts.models import Payout
from kyosai.procedures.actions import do_submit_enrollment
from kyosai.procedures.models import Attachment, Procedure
from kyosai.rules.scheme import Scheme
from tests.domain.test_agency_channel import APPLICATION
from tests.domain.test_enrollment import OWNER
from tests.helpers import sign_in
from tests.intake.test_intake import FIXTURE

pytestmark = pytest.mark.django_db

AUDIENCES = (
    "anonymous",
    "owner",  # the member whose records the URLs name
    "other member",  # a member with records of their own
    "staff without role",
    "reviewer",
    "approver",
    "administrator",
    "clerk",  # of the agency that handled the owner's procedure
    "other clerk",  # of another agency
)
MEMBERS = ("owner", "other member")
CLERKS = ("clerk", "other clerk")
ROLES = ("reviewer", "approver", "administrator")
LOGIN = "login"  # a redirect to the login page


STAFF = ("staff without role", *ROLES)


def member_page(**override: object) -> dict[str, object]:
    """A portal page of the owner's: another member finds no such record (404); staff and
    clerks, whose logins are for their own consoles, are refused (403); anonymous visitors log
    in."""
    return {
        "anonymous": LOGIN,
        "owner": 200,
        "other member": 404,
        **dict.fromkeys((*STAFF, *CLERKS), 403),
        **override,
    }


def portal_page(**override: object) -> dict[str, object]:
    """A portal page with no record in its URL: every member has one of their own."""
    return member_page(**{"other member": 200, **override})


def staff_page(*roles: str) -> dict[str, object]:
    """A console page for `roles`; every other signed-in user is refused."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys((*MEMBERS, *CLERKS, "staff without role"), 403),
        **{role: (200 if role in roles else 403) for role in ROLES},
    }


def agency_page(**override: object) -> dict[str, object]:
    """An agency page of the owner's agency: another agency's clerk finds nothing."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys((*MEMBERS, *STAFF), 403),
        "clerk": 200,
        "other clerk": 404,
        **override,
    }


def everyone(status: object) -> dict[str, object]:
    return dict.fromkeys(AUDIENCES, status)


@dataclass(frozen=True)
class Row:
    path: str  # with {contract}, {shokibo}, {procedure}, {deficient}, {link}, {token}, {member}, {run}, …
    expect: dict[str, object]


# route (as the resolver spells it) → the path requested and what each audience gets.
MATRIX: dict[str, Row] = {
    # public
    "": Row("/", everyone(200)),
    "welcome/": Row(
        "/welcome/",
        {
            "anonymous": "/portal/",  # where the login then leads
            **dict.fromkeys(MEMBERS, "/portal/"),
            **dict.fromkeys(STAFF, "/staff/"),
            **dict.fromkeys(CLERKS, "/agency/"),
        },
    ),
    # Everyone signed in here has an authenticator already: setting up another is not offered.
    "2fa/setup/": Row(
        "/2fa/setup/", {**everyone("/2fa/verify/?next=/portal/"), "anonymous": LOGIN}
    ),
    "2fa/verify/": Row("/2fa/verify/", {**everyone(200), "anonymous": LOGIN}),
    "login/": Row("/login/", everyone(200)),
    "logout/": Row("/logout/", everyone(405)),  # logging out is a POST
    "signup/": Row("/signup/", everyone(200)),
    "oidc/<str:provider>/login/": Row("/oidc/nosuch/login/", everyone(404)),
    "oidc/<str:provider>/callback/": Row("/oidc/nosuch/callback/", everyone(404)),
    # member portal
    "portal/": Row("/portal/", portal_page()),
    "portal/inbox/": Row("/portal/inbox/", portal_page()),
    "portal/inbox/<int:pk>/": Row("/portal/inbox/{notice}/", member_page()),
    "portal/inbox/<int:pk>/document/": Row("/portal/inbox/{notice}/document/", member_page()),
    # The letter's secret link is the key: whoever holds it answers, signed in or not.
    "reconfirm/<str:token>/": Row("/reconfirm/{reconfirm}/", everyone(200)),
    "portal/enroll/<str:scheme>/": Row("/portal/enroll/tosan/", portal_page()),
    # POSTs from the enrollment form: a GET is refused once the member is known.
    "portal/enroll/<str:scheme>/submit/": Row(
        "/portal/enroll/tosan/submit/", portal_page(owner=405, **{"other member": 405})
    ),
    "portal/enroll/<str:scheme>/check/": Row(
        "/portal/enroll/tosan/check/", portal_page(owner=405, **{"other member": 405})
    ),
    "portal/procedures/<int:pk>/": Row("/portal/procedures/{procedure}/", member_page()),
    "portal/procedures/<int:pk>/fix/": Row("/portal/procedures/{deficient}/fix/", member_page()),
    "portal/confirm/<str:token>/": Row(
        # The client named on the link confirms it; any other login is told it is not theirs.
        "/portal/confirm/{token}/",
        member_page(anonymous=200, **{"other member": 403}),
    ),
    "portal/contracts/<int:pk>/": Row("/portal/contracts/{contract}/", member_page()),
    "portal/contracts/<int:pk>/certificates/": Row(
        "/portal/contracts/{contract}/certificates/", member_page()
    ),
    # The owner's shokibo 控除証明書: the PDF and the signed TEG850 XML.
    "portal/certificates/<int:pk>/pdf/": Row(
        "/portal/certificates/{deduction_certificate}/pdf/", member_page()
    ),
    "portal/certificates/<int:pk>/xml/": Row(
        "/portal/certificates/{deduction_certificate}/xml/", member_page()
    ),
    "portal/contracts/<int:pk>/premium/": Row(
        "/portal/contracts/{contract}/premium/", member_page()
    ),
    "portal/contracts/<int:pk>/cancel/": Row("/portal/contracts/{contract}/cancel/", member_page()),
    "portal/contracts/<int:pk>/certificate/": Row(
        "/portal/contracts/{contract}/certificate/", member_page()
    ),
    # A statement exists only once the contract is cancelled: none here, for anyone.
    "portal/contracts/<int:pk>/cancellation-statement/": Row(
        "/portal/contracts/{contract}/cancellation-statement/", member_page(owner=404)
    ),
    "portal/contracts/<int:pk>/account/": Row(
        "/portal/contracts/{contract}/account/", member_page()
    ),
    "portal/profile/": Row("/portal/profile/", portal_page()),
    "portal/contracts/<int:pk>/prepayment/": Row(
        "/portal/contracts/{contract}/prepayment/", member_page()
    ),
    "portal/contracts/<int:pk>/suspension/": Row(
        "/portal/contracts/{contract}/suspension/", member_page()
    ),
    "portal/contracts/<int:pk>/loan/": Row("/portal/contracts/{contract}/loan/", member_page()),
    "portal/contracts/<int:pk>/temporary-loan/": Row(
        "/portal/contracts/{contract}/temporary-loan/", member_page()
    ),
    # The owner has no loan (a loan's own page: tests/web/test_loan_pages.py).
    "portal/contracts/<int:pk>/loans/<int:loan_pk>/": Row(
        "/portal/contracts/{contract}/loans/999999/", member_page(owner=404)
    ),
    # 共済金 and 通算 are shokibo's: the owner's shokibo contract.
    "portal/contracts/<int:pk>/benefit/": Row(
        "/portal/contracts/{shokibo}/benefit/", member_page()
    ),
    # A notice exists only once a claim is determined: none here, for anyone.
    "portal/contracts/<int:pk>/benefit-notice/": Row(
        "/portal/contracts/{shokibo}/benefit-notice/", member_page(owner=404)
    ),
    "portal/contracts/<int:pk>/tsusan/": Row("/portal/contracts/{shokibo}/tsusan/", member_page()),
    # 契約者貸付 is shokibo's too (a kind the rules do not know is a 404 for everyone).
    "portal/contracts/<int:pk>/contract-loan/<str:kind>/": Row(
        "/portal/contracts/{shokibo}/contract-loan/general/", member_page()
    ),
    # staff console
    "staff/": Row("/staff/", staff_page(*ROLES)),
    "staff/approvals/": Row("/staff/approvals/", staff_page("approver", "administrator")),
    "staff/procedures/<int:pk>/": Row("/staff/procedures/{procedure}/", staff_page(*ROLES)),
    # The queue steps take a POST only (who may post them: tests/web/test_staff_review.py).
    "staff/procedures/<int:pk>/claim/": Row("/staff/procedures/{procedure}/claim/", everyone(405)),
    "staff/procedures/<int:pk>/release/": Row(
        "/staff/procedures/{procedure}/release/", everyone(405)
    ),
    "staff/procedures/<int:pk>/second-approval/": Row(
        "/staff/procedures/{procedure}/second-approval/", everyone(405)
    ),
    "staff/procedures/<int:pk>/attachments/<int:attachment_pk>/": Row(
        "/staff/procedures/{procedure}/attachments/{attachment}/", staff_page(*ROLES)
    ),
    "staff/members/": Row("/staff/members/", staff_page(*ROLES)),
    "staff/members/<int:pk>/": Row("/staff/members/{member}/", staff_page(*ROLES)),
    "staff/contracts/<int:pk>/": Row("/staff/contracts/{contract}/", staff_page(*ROLES)),
    "staff/audit/": Row("/staff/audit/", staff_page("administrator")),
    "staff/billing/": Row("/staff/billing/", staff_page(*ROLES)),
    "staff/billing/<int:pk>/": Row("/staff/billing/{run}/", staff_page(*ROLES)),
    "staff/campaigns/": Row("/staff/campaigns/", staff_page(*ROLES)),
    "staff/campaigns/<int:pk>/": Row("/staff/campaigns/{campaign}/", staff_page(*ROLES)),
    "staff/campaigns/<int:pk>/follow-ups.csv": Row(
        "/staff/campaigns/{campaign}/follow-ups.csv", staff_page(*ROLES)
    ),
    "staff/payouts/": Row("/staff/payouts/", staff_page(*ROLES)),
    "staff/payouts/<int:pk>/reissue/": Row("/staff/payouts/{payout}/reissue/", everyone(405)),
    "staff/payouts/files/<int:pk>/": Row("/staff/payouts/files/{transfer}/", staff_page(*ROLES)),
    # The file carries members' accounts: approvers only (they send it to the bank).
    "staff/payouts/files/<int:pk>/download/": Row(
        "/staff/payouts/files/{transfer}/download/", staff_page("approver")
    ),
    # Scorecards hold no member's data: every staff role reads them and their downloads.
    "staff/scorecards/": Row("/staff/scorecards/", staff_page(*ROLES)),
    "staff/scorecards/online/<str:fmt>/": Row("/staff/scorecards/online/csv/", staff_page(*ROLES)),
    "staff/scorecards/operations/": Row("/staff/scorecards/operations/", staff_page(*ROLES)),
    "staff/scorecards/operations/<str:fmt>/": Row(
        "/staff/scorecards/operations/xlsx/", staff_page(*ROLES)
    ),
    # 書面受付: every role reads; keying is the reviewers' and approvers' (tests/web/test_staff_intake.py).
    "staff/intake/": Row("/staff/intake/", staff_page(*ROLES)),
    "staff/intake/files/<int:pk>/": Row("/staff/intake/files/{intake_file}/", staff_page(*ROLES)),
    "staff/intake/keyings/": Row("/staff/intake/keyings/", staff_page(*ROLES)),
    "staff/intake/keyings/<int:pk>/": Row(
        "/staff/intake/keyings/{keying}/", staff_page("reviewer", "approver")
    ),
    "staff/intake/forms/<int:pk>/letter/": Row(
        "/staff/intake/forms/{intake_form}/letter/", staff_page(*ROLES)
    ),
    "staff/contracts/<int:pk>/deemed-cancellation/": Row(
        "/staff/contracts/{contract}/deemed-cancellation/", staff_page("reviewer", "approver")
    ),
    # management reports: every role reads; entering a plan is the administrators'
    "staff/reports/": Row("/staff/reports/", staff_page(*ROLES)),
    "staff/reports/plan/": Row("/staff/reports/plan/", staff_page(*ROLES)),
    "staff/reports/plan/edit/": Row("/staff/reports/plan/edit/", staff_page("administrator")),
    "staff/reports/achievement/": Row("/staff/reports/achievement/", staff_page(*ROLES)),
    "staff/reports/campaign/": Row("/staff/reports/campaign/", staff_page(*ROLES)),
    "staff/reports/model-prefectures/": Row(
        "/staff/reports/model-prefectures/", staff_page(*ROLES)
    ),
    "staff/reports/ranking/": Row("/staff/reports/ranking/", staff_page(*ROLES)),
    # agency portal
    "agency/": Row("/agency/", agency_page(**{"other clerk": 200})),
    "agency/enroll/<str:scheme>/": Row(
        "/agency/enroll/tosan/", agency_page(**{"other clerk": 200})
    ),
    "agency/loan/": Row("/agency/loan/", agency_page(**{"other clerk": 200})),
    "agency/links/<int:pk>/": Row("/agency/links/{link}/", agency_page()),
    "agency/procedures/<int:pk>/": Row("/agency/procedures/{procedure}/", agency_page()),
    "agency/results/": Row("/agency/results/", agency_page(**{"other clerk": 200})),
    "agency/clients/": Row("/agency/clients/", agency_page(**{"other clerk": 200})),
    # The owner's contract, whose 登録取扱機関 is the clerk's agency.
    "agency/contracts/<int:pk>/": Row("/agency/contracts/{contract}/", agency_page()),
    "agency/contracts/<int:pk>/premium/": Row(
        "/agency/contracts/{contract}/premium/", agency_page()
    ),
    "agency/contracts/<int:pk>/address/": Row(
        "/agency/contracts/{contract}/address/", agency_page()
    ),
}


def routes(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[str]:
    """Every route the project serves, spelled as in MATRIX."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def test_the_matrix_names_every_url_the_project_serves() -> None:
    served = set(routes())
    assert served - MATRIX.keys() == set(), "a URL with no row in MATRIX"
    assert MATRIX.keys() - served == set(), "a row for a URL the project no longer serves"


def user(name: str, *, is_staff: bool = False, role: str = "") -> User:
    made = User.objects.create_user(name, is_staff=is_staff)
    if role:
        made.groups.add(Group.objects.get_or_create(name=role)[0])
    return made


def enroll(applicant: User, agency: Agency, key: str, **changes: object) -> Procedure:
    """An enrollment the agency took for `applicant` (a tosan contract when it goes through)."""
    return do_submit_enrollment(
        dataclasses.replace(APPLICATION, **changes),  # type: ignore[arg-type]
        channel=Procedure.Channel.AGENCY, idempotency_key=key, received_at=timezone.now(),
        acting_user=applicant, agency=agency,
    )  # fmt: skip


@pytest.fixture
def world() -> dict[str, object]:
    """The owner's records, handled by the clerk's agency, and one login per audience."""
    agency = Agency.objects.create(code="A00001", name="港商工会議所", kind=Agency.Kind.CHAMBER)
    other_agency = Agency.objects.create(code="A00002", name="芝信用金庫", kind=Agency.Kind.SHINKIN)
    logins = {
        "owner": user("owner@example.jp"),
        "other member": user("other@example.jp"),
        "staff without role": user("clerk-norole", is_staff=True),
        **{role: user(role, is_staff=True, role=role) for role in ROLES},
        "clerk": user("own-clerk"),
        "other clerk": user("other-clerk"),
    }
    AgencyClerk.objects.create(user=logins["clerk"], agency=agency)
    AgencyClerk.objects.create(user=logins["other clerk"], agency=other_agency)
    enrolled = enroll(logins["owner"], agency, "matrix-1")
    deficient = enroll(logins["owner"], agency, "matrix-2", scheme=Scheme.SHOKIBO,
                       party=OWNER, monthly_yen=700, position="sole_proprietor")  # fmt: skip
    assert deficient.status == Procedure.Status.DEFICIENT
    enroll(logins["other member"], other_agency, "matrix-3", party=OWNER)
    shokibo = enroll(logins["owner"], agency, "matrix-4", scheme=Scheme.SHOKIBO, party=OWNER,
                     monthly_yen=10_000, position="sole_proprietor").contract  # fmt: skip
    assert shokibo is not None
    link = do_issue_confirmation_link(
        APPLICATION, agency=agency, client_email="owner@example.jp", idempotency_key="matrix-link",
        now=timezone.now(), acting_user=logins["clerk"],
    )  # fmt: skip
    run = BillingRun.objects.create(
        scheme=Scheme.TOSAN, month=dt.date(2026, 11, 1), debit_on=dt.date(2026, 11, 27),
        started_at=timezone.now(),
    )  # fmt: skip
    contract = Contract.objects.get(party__user=logins["owner"], scheme=Scheme.TOSAN)
    post_journal(  # something owed to the owner, paid out by a transfer file
        Journal.Kind.CANCELLATION, "matrix", dt.date(2026, 11, 13),
        [Line(Account.CLOSING_DIFFERENCE, 1_000), Line(Account.PAYABLE, -1_000, contract)],
    )  # fmt: skip
    payout = approve_payout(
        contract=contract, kind=Payout.Kind.REFUND, amount_yen=1_000, reference="matrix",
        pay_on=dt.date(2026, 11, 13), payee=PayeeAccount("0001", "001", "1", "1234567", "ﾃｽﾄ"),
    )  # fmt: skip
    transfer = do_make_transfer_file(pay_on=dt.date(2026, 11, 13), acting_user=None)
    deduction_certificate = IssuedCertificate.objects.create(
        contract=shokibo, kind=IssuedCertificate.Kind.DEDUCTION, year=2026,
        edition=IssuedCertificate.Edition.AUTUMN, as_of=dt.date(2026, 9, 30), pdf=b"%PDF",
        xml=b"<TEG850/>", sha256="0" * 64, xml_sha256="0" * 64, amount_yen=120_000,
        issued_on=dt.date(2026, 11, 10),
    )  # fmt: skip
    attachment = Attachment.objects.create(
        procedure=enrolled, name="登記事項証明書.pdf", content_type="application/pdf", size=4,
        sha256="0" * 64, data=b"%PDF", uploaded_at=timezone.now(),
    )  # fmt: skip
    notice = do_send_notice(
        party=contract.party, contract=contract, kind=Notice.Kind.CERTIFICATE,
        title="掛金払込証明書", body="証明書をお送りします。", document=b"%PDF",
        document_name="証明書.pdf", acting_user=None,
    )  # fmt: skip
    campaign = do_start_campaign(
        name="加入資格確認", joined_from=None, joined_until=None,
        answer_by=dt.date(2026, 12, 31), idempotency_key="matrix", now=timezone.now(),
        acting_user=None,
    )  # fmt: skip
    # A BPO file of two forms: one with a 不備 (its letter), one waiting for a second keying.
    lines = FIXTURE.read_text(encoding="utf-8-sig").splitlines()
    intake = do_import_intake_file(
        "\n".join([lines[0], lines[2], lines[10]]).encode(), name="bpo.csv",
        received_on=dt.date(2026, 11, 20), acting_user=None,
    ).file  # fmt: skip
    deficient_form = intake.forms.get(status=IntakeRow.Status.DEFICIENT)
    keying = intake.forms.get(status=IntakeRow.Status.KEYING).keyings.first()
    assert keying is not None
    return {
        "logins": logins,
        "ids": {
            "intake_file": intake.pk,
            "intake_form": deficient_form.pk,
            "keying": keying.pk,
            "notice": notice.pk,
            "campaign": campaign.pk,
            "reconfirm": Reconfirmation.objects.get(contract=shokibo).token,
            "contract": contract.pk,
            "shokibo": shokibo.pk,
            "procedure": enrolled.pk,
            "deficient": deficient.pk,
            "link": link.pk,
            "token": link.token,
            "member": contract.party_id,
            "run": run.pk,
            "payout": payout.pk,
            "transfer": transfer.pk,
            "attachment": attachment.pk,
            "deduction_certificate": deduction_certificate.pk,
        },
    }


def client_for(audience: str, world: dict[str, object]) -> Client:
    logins: dict[str, User] = world["logins"]  # type: ignore[assignment]
    return Client() if audience == "anonymous" else sign_in(Client(), logins[audience])


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_url_for_every_audience(world: dict[str, object], audience: str) -> None:
    client = client_for(audience, world)
    wrong = {}
    for route, row in MATRIX.items():
        path = row.path.format(**world["ids"])  # type: ignore[arg-type]
        response = client.get(path)
        expected = row.expect[audience]
        if expected == LOGIN:
            got: object = response.status_code == 302 and response["Location"].startswith("/login/")
            ok = got is True
        elif isinstance(expected, str):  # a redirect to this page
            got = (response.status_code, response.get("Location"))
            ok = got == (302, expected)
        else:
            got = response.status_code
            ok = got == expected
        if not ok:
            wrong[route] = (expected, got)
    assert wrong == {}
