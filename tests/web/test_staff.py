"""The staff console: every URL for every audience and role, member search, records, the audit log."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from kyosai.contracts.models import Contract, DebitMandate, PremiumTerm
from kyosai.core.models import AuditLog
from kyosai.core.roles import Role, has_role
from kyosai.formats.identifiers import contract_number
from kyosai.parties.models import Party
from kyosai.parties.selectors import mask_account_number, search_members
from kyosai.procedures.models import Procedure
from kyosai.rules.scheme import Scheme
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

NUMBER = contract_number(Scheme.TOSAN, 1)  # 共済契約者番号 of the tosan contract
CORPORATE_NUMBER = "7000012050002"


def make_party(name: str, kana: str, **fields: object) -> Party:
    values: dict[str, object] = {
        "kind": "individual",
        "organisation": "sole_proprietor",
        "postal_code": "1050011",
        "prefecture_code": "13",
        "address": "東京都港区芝公園1-1-1",
        "phone": "0399998888",
        "industry": "retail",
        "employees": 3,
        "business_started_on": dt.date(2015, 4, 1),
    }
    return Party.objects.create(name=name, name_kana=kana, **{**values, **fields})


@dataclass
class Book:
    party: Party
    other: Party
    contract: Contract
    procedure: Procedure


@pytest.fixture
def book() -> Book:
    party = make_party(
        "桜製作所株式会社",
        "サクラセイサクシヨ",
        kind="corporation",
        organisation="company",
        corporate_number=CORPORATE_NUMBER,
        phone="0312345678",
        industry="manufacturing",
        employees=12,
        capital_yen=10_000_000,
    )
    other = make_party("山田花子", "ヤマダハナコ", phone="0455551234")
    contract = Contract.objects.create(
        scheme="tosan",
        number=NUMBER,
        party=party,
        joined_month=dt.date(2024, 4, 1),
        issued_at=timezone.now(),
    )
    PremiumTerm.objects.create(
        contract=contract, monthly_yen=50_000, valid_from_month=dt.date(2024, 4, 1)
    )
    PremiumTerm.objects.create(
        contract=contract, monthly_yen=80_000, valid_from_month=dt.date(2025, 1, 1)
    )
    PremiumTerm.objects.create(
        contract=contract, monthly_yen=90_000, valid_from_month=dt.date(2999, 1, 1)
    )
    DebitMandate.objects.create(
        contract=contract,
        bank_code="0001",
        branch_code="001",
        account_type="1",
        account_number="1234567",
        holder_kana="ｻｸﾗｾｲｻｸｼﾖ",
        valid_from=dt.date(2024, 4, 1),
    )
    procedure = Procedure.objects.create(
        kind="enrollment",
        scheme="shokibo",
        channel="online",
        status=Procedure.Status.CHECKING,
        party=party,
        received_at=timezone.now(),
        idempotency_key="staff-test-1",
        payload={"monthly_yen": 30_000},
    )
    return Book(party, other, contract, procedure)


def user(username: str, *roles: Role, is_staff: bool = True, is_superuser: bool = False) -> User:
    found = User.objects.create_user(username, is_staff=is_staff, is_superuser=is_superuser)
    for role in roles:
        # get_or_create: the migration made the groups, but a transactional test may have flushed them.
        found.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return found


def console(*roles: Role, username: str = "") -> tuple[Client, User]:
    staff = user(username or "-".join(roles) or "norole", *roles)
    return sign_in(Client(), staff), staff


AUDIENCES = ["anonymous", "member", "staff_without_role", "reviewer", "approver", "administrator"]


def client_for(audience: str) -> Client:
    if audience == "anonymous":
        return Client()
    if audience == "member":
        return sign_in(Client(), user("member@example.jp", is_staff=False))
    if audience == "staff_without_role":
        return sign_in(Client(), user("clerk"))
    return sign_in(Client(), user(audience, Role(audience)))


PAGES = [
    ("/staff/", "every role"),
    ("/staff/procedures/{procedure}/", "every role"),
    ("/staff/members/", "every role"),
    ("/staff/members/?q=さくら", "every role"),
    ("/staff/members/{party}/", "every role"),
    ("/staff/contracts/{contract}/", "every role"),
    ("/staff/audit/", "administrator"),
    ("/staff/audit/?object_type=party&actor=reviewer&date=2026-11-23", "administrator"),
]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize(("url", "allowed"), PAGES)
def test_every_page_for_every_audience(book: Book, url: str, allowed: str, audience: str) -> None:
    path = url.format(procedure=book.procedure.pk, party=book.party.pk, contract=book.contract.pk)
    response = client_for(audience).get(path)
    if audience == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    elif audience in ("member", "staff_without_role"):
        assert response.status_code == 403
    elif allowed == "every role" or audience == allowed:
        assert response.status_code == 200
        page = response.content.decode()
        assert "会員検索" in page and "審査待ち" in page  # the staff navigation
        assert ("監査ログ</a>" in page) == (audience == "administrator")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("audience", ["reviewer", "approver", "administrator"])
@pytest.mark.parametrize("kind", ["procedures", "members", "contracts"])
def test_an_unknown_record_is_not_found(book: Book, audience: str, kind: str) -> None:
    assert client_for(audience).get(f"/staff/{kind}/999999/").status_code == 404
    assert not AuditLog.objects.filter(action="party.view").exists()


def test_a_member_gets_no_staff_page_even_for_their_own_record(book: Book) -> None:
    owner = user("owner@example.jp", is_staff=False)
    book.party.user = owner
    book.party.save()
    client = sign_in(Client(), owner)
    assert client.get(f"/staff/members/{book.party.pk}/").status_code == 403
    assert client.get(f"/staff/contracts/{book.contract.pk}/").status_code == 403


def test_roles_and_superusers() -> None:
    reviewer = user("r", Role.REVIEWER)
    root = user("root", is_superuser=True)
    assert has_role(reviewer, Role.REVIEWER) and not has_role(reviewer, Role.ADMINISTRATOR)
    assert all(has_role(root, role) for role in Role)
    assert {g.name for g in Group.objects.all()} >= set(Role.values)  # the data migration
    client = sign_in(Client(), root)
    assert client.get("/staff/audit/").status_code == 200


@pytest.mark.parametrize(
    ("role", "decides"), [("reviewer", True), ("approver", True), ("administrator", False)]
)
def test_only_reviewers_and_approvers_decide(book: Book, role: str, decides: bool) -> None:
    client = client_for(role)
    page = client.get(f"/staff/procedures/{book.procedure.pk}/").content.decode()
    assert ("記録する" in page) == decides
    response = client.post(
        f"/staff/procedures/{book.procedure.pk}/", {"decision": "reject", "reason": "書類不足"}
    )
    book.procedure.refresh_from_db()
    if decides:
        assert response.status_code == 302
        assert book.procedure.status == Procedure.Status.REJECTED
    else:
        assert response.status_code == 403
        assert book.procedure.status == Procedure.Status.CHECKING


def found(client: Client, query: str) -> str:
    response = client.get("/staff/members/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "さくらせいさく",  # フリガナ typed in hiragana
        "ｻｸﾗｾｲｻｸ",  # half-width katakana
        "桜製作所",  # the name
        NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width
        CORPORATE_NUMBER,  # 法人番号
        "03-1234-5678",  # phone with hyphens
        "０３－１２３４－５６７８",  # and typed full-width
    ],
)
def test_search_finds_the_member_however_they_are_typed(book: Book, query: str) -> None:
    client, _ = console(Role.REVIEWER)
    page = found(client, query)
    assert f'href="/staff/members/{book.party.pk}/"' in page
    assert f'href="/staff/members/{book.other.pk}/"' not in page
    assert NUMBER in page  # the contract numbers are listed with the member


def test_an_empty_query_lists_nothing_and_no_match_says_so(book: Book) -> None:
    client, _ = console(Role.REVIEWER)
    for empty in ["", "   ", "　"]:
        page = found(client, empty)
        assert "検索結果" not in page and "/staff/members/" + str(book.party.pk) not in page
    assert not search_members("").exists()
    page = found(client, "存在しない商店")
    assert "「存在しない商店」に該当する会員は見つかりませんでした。" in page
    assert not AuditLog.objects.exists()  # searching is not viewing a record


def test_search_results_come_fifty_a_page(book: Book) -> None:
    for n in range(55):
        make_party(f"田中商店{n:02d}", f"タナカシヨウテン{n:02d}")
    client, _ = console(Role.APPROVER)
    first = found(client, "たなか")
    assert "55件（1〜50件目）" in first and "1 / 2ページ" in first
    assert "q=%E3%81%9F%E3%81%AA%E3%81%8B&amp;page=2" in first  # the query is kept in the link
    second = client.get("/staff/members/", {"q": "たなか", "page": "2"}).content.decode()
    assert "55件（51〜55件目）" in second


def test_viewing_a_member_is_audited_once_and_shows_the_record(book: Book) -> None:
    client, viewer = console(Role.REVIEWER)
    page = client.get(f"/staff/members/{book.party.pk}/").content.decode()
    assert "桜製作所株式会社" in page and CORPORATE_NUMBER in page and "0312345678" in page
    assert f'href="/staff/contracts/{book.contract.pk}/"' in page
    assert "80,000円" in page and "90,000円" not in page  # the premium in force today
    assert "確認中" in page  # the procedure with its status
    row = AuditLog.objects.get(action="party.view")
    assert row.actor == viewer and row.object_type == "party"
    assert row.object_id == str(book.party.pk) and row.data == {"via": "member"}


def test_viewing_a_contract_is_audited_once_and_masks_the_account(book: Book) -> None:
    client, viewer = console(Role.APPROVER)
    page = client.get(f"/staff/contracts/{book.contract.pk}/").content.decode()
    assert NUMBER in page and f'href="/staff/members/{book.party.pk}/"' in page
    assert "50,000円" in page and "80,000円" in page and "90,000円" in page  # the history
    assert "****567" in page and "1234567" not in page
    row = AuditLog.objects.get(action="party.view")
    assert row.actor == viewer and row.object_id == str(book.party.pk)
    assert row.data == {"via": "contract", "contract": book.contract.pk}
    assert mask_account_number("123") == "123" and mask_account_number("0012345") == "****345"


def test_the_audit_view_shows_views_newest_first_and_filters(book: Book) -> None:
    reviewer_client, _ = console(Role.REVIEWER, username="suzuki")
    reviewer_client.get(f"/staff/members/{book.party.pk}/")
    reviewer_client.get(f"/staff/contracts/{book.contract.pk}/")
    admin, _ = console(Role.ADMINISTRATOR, username="kanri")
    page = admin.get("/staff/audit/").content.decode()
    assert page.count("party.view") == 2 and "suzuki" in page
    assert page.index("via=contract") < page.index("via=member")  # newest first
    assert not AuditLog.objects.filter(actor__username="kanri").exists()  # reading it is not logged

    def rows(**filters: str) -> int:
        return admin.get("/staff/audit/", filters).content.decode().count("party.view")

    today = timezone.localdate().isoformat()
    assert rows(object_type="party", object_id=str(book.party.pk)) == 2
    assert rows(object_type="party", object_id=str(book.other.pk)) == 0
    assert rows(object_type="contract") == 0
    assert rows(actor="suzuki", date=today) == 2
    assert rows(actor="kanri") == 0
    assert (
        "条件に合う記録はありません"
        in admin.get("/staff/audit/", {"date": "2000-01-01"}).content.decode()
    )
    bad = admin.get("/staff/audit/", {"date": "昨日"}).content.decode()
    assert "絞り込みの条件を確認してください" in bad and "party.view" not in bad
    member_page = admin.get(f"/staff/members/{book.party.pk}/").content.decode()
    assert f"?object_type=party&amp;object_id={book.party.pk}" in member_page  # link to its log


def test_the_audit_log_comes_a_hundred_rows_a_page(book: Book) -> None:
    client, _ = console(Role.REVIEWER)
    for _ in range(105):
        client.get(f"/staff/members/{book.party.pk}/")
    admin, _ = console(Role.ADMINISTRATOR, username="kanri")
    first = admin.get("/staff/audit/", {"actor": "reviewer"}).content.decode()
    assert first.count("party.view") == 100 and "1 / 2ページ" in first
    assert "actor=reviewer&amp;page=2" in first
    second = admin.get("/staff/audit/", {"actor": "reviewer", "page": "2"}).content.decode()
    assert second.count("party.view") == 5
