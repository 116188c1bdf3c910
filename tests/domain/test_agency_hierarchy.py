"""The 取扱店 → 統轄店 hierarchy (a 統轄店's clerk follows its 取扱店's clients too; a 取扱店's
clerk only its own) and a client's change taken by a clerk: by the holder's confirmation through
a link, or on paper with its 受付日, by the member's own change actions."""

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.utils import timezone

from kyosai.agencies.actions import (
    PremiumChangeRequest,
    do_confirm_link,
    do_issue_change_link,
    do_receive_paper_change,
    do_receive_paper_enrollment,
)
from kyosai.agencies.models import Agency, ConfirmationLink
from kyosai.agencies.selectors import (
    access_agency_link,
    access_agency_procedure,
    agency_counts,
    agency_procedures,
    agency_results,
    client_contract,
)
from kyosai.contracts.models import Contract
from kyosai.core.errors import ProcedureError
from kyosai.procedures.changes import PartyChange
from kyosai.procedures.models import Procedure
from kyosai.rules.agency_fee import agency_fee, procedure_item
from kyosai.rules.calendar import add_months, month_of
from kyosai.rules.scheme import Scheme
from tests.billing.book import at, member_contract
from tests.domain.test_agency_channel import APPLICATION, clerk_of, company

pytestmark = pytest.mark.django_db


@pytest.fixture
def banks() -> dict[str, Agency]:
    head = Agency.objects.create(code="B00001", name="みなと銀行", kind=Agency.Kind.REGIONAL_BANK)
    return {
        "head": head,
        "branch": Agency.objects.create(
            code="B00002", name="みなと銀行 芝支店", kind=Agency.Kind.REGIONAL_BANK, parent=head
        ),
        "sister": Agency.objects.create(
            code="B00003", name="みなと銀行 品川支店", kind=Agency.Kind.REGIONAL_BANK, parent=head
        ),
        "other": Agency.objects.create(code="C00001", name="芝信用金庫", kind=Agency.Kind.SHINKIN),
    }


def paper(agency: Agency, clerk: User, serial: int) -> Procedure:
    return do_receive_paper_enrollment(
        dataclasses.replace(APPLICATION, party=company(serial)),  # type: ignore[arg-type]
        agency=agency, received_on=timezone.localdate(), idempotency_key=f"paper-{serial}",
        acting_user=clerk,
    )  # fmt: skip


def test_a_head_office_follows_its_branches_and_a_branch_only_itself(
    banks: dict[str, Agency],
) -> None:
    clerks = {name: clerk_of(agency, f"clerk-{name}") for name, agency in banks.items()}
    taken = {name: paper(banks[name], clerks[name], n) for n, name in enumerate(banks, start=1)}

    def seen(name: str) -> set[int]:
        return set(agency_procedures(banks[name]).values_list("pk", flat=True))

    assert seen("head") == {taken[n].pk for n in ("head", "branch", "sister")}
    assert seen("branch") == {taken["branch"].pk}
    assert seen("other") == {taken["other"].pk}
    assert agency_counts(banks["head"], now=timezone.now()).total == 3
    assert agency_counts(banks["branch"], now=timezone.now()).total == 1
    # The head office opens its branch's procedure; a branch not its sister's nor the head's.
    head_clerk = clerks["head"]
    assert access_agency_procedure(head_clerk, banks["head"], taken["branch"].pk) == taken["branch"]
    for name in ("head", "sister"):
        with pytest.raises(Http404):
            access_agency_procedure(clerks["branch"], banks["branch"], taken[name].pk)


@pytest.fixture
def client_of_branch(banks: dict[str, Agency]) -> Contract:
    contract = member_contract(Scheme.TOSAN, 50_000, at(2025, 4), 1)
    Contract.objects.filter(pk=contract.pk).update(handling_agency=banks["branch"])
    contract.refresh_from_db()
    return contract


def next_month() -> dt.date:
    return add_months(month_of(timezone.localdate()), 1)


def test_only_a_client_of_the_agency_or_its_branches_is_found(
    banks: dict[str, Agency], client_of_branch: Contract
) -> None:
    number = client_of_branch.number
    assert client_contract(banks["head"], number) == client_of_branch
    assert client_contract(banks["branch"], number) == client_of_branch
    for name in ("sister", "other"):
        with pytest.raises(
            ProcedureError, match=f"共済契約者番号{number}は、.*お客さまの契約ではありません"
        ):
            client_contract(banks[name], number)


def test_a_paper_premium_change_is_decided_by_the_members_rules_as_of_its_received_date(
    banks: dict[str, Agency], client_of_branch: Contract
) -> None:
    clerk = clerk_of(banks["head"], "head-clerk")
    received = timezone.localdate() - dt.timedelta(days=2)
    procedure = do_receive_paper_change(
        client_of_branch.number, PremiumChangeRequest(60_000, next_month()),
        agency=banks["head"], received_on=received, idempotency_key="change-1", acting_user=clerk,
    )  # fmt: skip
    assert (procedure.kind, procedure.channel, procedure.agency, procedure.status) == (
        Procedure.Kind.PREMIUM_CHANGE, Procedure.Channel.PAPER, banks["head"], Procedure.Status.DONE
    )  # fmt: skip
    assert timezone.localdate(procedure.received_at) == received
    assert client_of_branch.premium_terms.order_by("valid_from_month").last().monthly_yen == 60_000  # type: ignore[union-attr]
    # tosan: 5,000円 steps (the member's rule refuses it the same way), and nothing saved.
    with pytest.raises(ProcedureError):
        do_receive_paper_change(
            client_of_branch.number, PremiumChangeRequest(61_234, next_month()),
            agency=banks["head"], received_on=received, idempotency_key="change-2",
            acting_user=clerk,
        )  # fmt: skip
    with pytest.raises(ProcedureError, match="お客さまの契約ではありません"):
        do_receive_paper_change(
            client_of_branch.number, PremiumChangeRequest(70_000, next_month()),
            agency=banks["other"], received_on=received, idempotency_key="change-3",
            acting_user=clerk_of(banks["other"], "other-clerk"),
        )  # fmt: skip
    assert Procedure.objects.filter(kind=Procedure.Kind.PREMIUM_CHANGE).count() == 1


def moved(contract: Contract) -> PartyChange:
    party = contract.party
    return PartyChange(
        party.name, party.name_kana, party.representative_name, "1050011", "13",
        "東京都港区芝公園4-2-8", party.phone,
    )  # fmt: skip


def test_the_holder_confirms_an_address_change_through_the_link(
    banks: dict[str, Agency], client_of_branch: Contract
) -> None:
    clerk = clerk_of(banks["branch"], "branch-clerk")
    link = do_issue_change_link(
        client_of_branch.number, moved(client_of_branch), agency=banks["branch"],
        idempotency_key="link-1", now=timezone.now(), acting_user=clerk,
    )  # fmt: skip
    holder = client_of_branch.party.user
    assert holder is not None and link.client_email == holder.username
    assert (link.kind, link.contract) == (ConfirmationLink.Kind.PARTY_CHANGE, client_of_branch)
    assert not Procedure.objects.filter(kind=Procedure.Kind.PARTY_CHANGE).exists()
    # The head office follows the branch's link.
    assert access_agency_link(banks["head"], link.pk) == link

    # Only the holder's own login confirms it, even one signed in with the address.
    impostor = User.objects.create_user("someone", email=holder.username)
    with pytest.raises(ProcedureError, match="別の方あて"):
        do_confirm_link(link, acting_user=impostor)
    procedure = do_confirm_link(link, acting_user=holder)

    assert (procedure.kind, procedure.channel, procedure.agency) == (
        Procedure.Kind.PARTY_CHANGE, Procedure.Channel.AGENCY, banks["branch"]
    )  # fmt: skip
    client_of_branch.party.refresh_from_db()
    assert client_of_branch.party.address == "東京都港区芝公園4-2-8"
    with pytest.raises(ProcedureError, match="すでに使われています"):
        do_confirm_link(link, acting_user=holder)


def test_no_link_for_a_holder_without_a_login_nor_for_a_change_the_rules_refuse(
    banks: dict[str, Agency], client_of_branch: Contract
) -> None:
    clerk = clerk_of(banks["branch"], "branch-clerk")

    def issue(change: object, key: str) -> ConfirmationLink:
        return do_issue_change_link(
            client_of_branch.number, change, agency=banks["branch"],  # type: ignore[arg-type]
            idempotency_key=key, now=timezone.now(), acting_user=clerk,
        )  # fmt: skip

    with pytest.raises(ProcedureError, match="5,000円"):
        issue(PremiumChangeRequest(61_234, next_month()), "k1")
    with pytest.raises(ProcedureError, match="変更する項目がありません"):
        issue(dataclasses.replace(moved(client_of_branch), address=client_of_branch.party.address,
                                  postal_code=client_of_branch.party.postal_code), "k2")  # fmt: skip
    client_of_branch.party.user = None
    client_of_branch.party.save()
    with pytest.raises(ProcedureError, match="書面の届出書を受け付けてください"):
        issue(PremiumChangeRequest(60_000, next_month()), "k3")
    assert not ConfirmationLink.objects.exists()


def test_the_years_results_count_by_month_and_scheme_in_a_few_queries(
    banks: dict[str, Agency], django_assert_max_num_queries: Any
) -> None:
    """取扱実績: contracts issued in the month the agency (or a 取扱店) is the 登録取扱機関 of,
    and its other procedures received in the month that went through, priced by the fee table."""
    jst = timezone.get_current_timezone()

    def contract(n: int, scheme: Scheme, agency: Agency, issued: dt.datetime) -> Contract:
        made = member_contract(
            scheme, 10_000 if scheme == Scheme.SHOKIBO else 50_000, at(2025, 1), n
        )
        Contract.objects.filter(pk=made.pk).update(handling_agency=agency, issued_at=issued)
        return made

    may = dt.datetime(2025, 5, 31, 23, 30, tzinfo=jst)  # still May in Tokyo
    contract(1, Scheme.SHOKIBO, banks["head"], may)
    contract(2, Scheme.TOSAN, banks["branch"], may)
    contract(3, Scheme.TOSAN, banks["sister"], dt.datetime(2026, 3, 31, 12, tzinfo=jst))
    contract(4, Scheme.TOSAN, banks["other"], may)  # another bank's
    contract(5, Scheme.TOSAN, banks["branch"], dt.datetime(2025, 3, 31, 12, tzinfo=jst))  # FY2024
    for n, status in ((1, Procedure.Status.DONE), (2, Procedure.Status.DEFICIENT)):
        Procedure.objects.create(
            kind=Procedure.Kind.PARTY_CHANGE, channel=Procedure.Channel.PAPER, status=status,
            agency=banks["branch"], received_at=dt.datetime(2025, 6, 2, tzinfo=jst),
            idempotency_key=f"p{n}",
        )  # fmt: skip
    Procedure.objects.create(
        kind=Procedure.Kind.KYOSAIKIN_LOAN, scheme=Scheme.TOSAN, channel=Procedure.Channel.PAPER,
        status=Procedure.Status.APPROVED, agency=banks["head"],
        received_at=dt.datetime(2025, 6, 20, tzinfo=jst), idempotency_key="p3",
    )  # fmt: skip

    with django_assert_max_num_queries(6):
        results = agency_results(banks["head"], 2025)

    months = {m.month: m for m in results.months}
    assert [m.month for m in results.months] == [
        add_months(dt.date(2025, 4, 1), i) for i in range(12)
    ]
    assert months[dt.date(2025, 5, 1)].new_contracts == {"shokibo": 1, "tosan": 1}
    assert months[dt.date(2025, 6, 1)].procedures == {"both": 1, "tosan": 1}
    assert months[dt.date(2026, 3, 1)].new_contracts == {"tosan": 1}
    assert (results.new_contracts, results.procedures) == (
        {"shokibo": 1, "tosan": 2}, {"both": 1, "tosan": 1}
    )  # fmt: skip
    june = agency_fee(
        {procedure_item("party_change"): 1, procedure_item("kyosaikin_loan"): 1},
        month=dt.date(2025, 6, 1),
    )
    assert months[dt.date(2025, 6, 1)].fee.total_yen == june.total_yen > 0
    assert results.fee_yen == sum(m.fee.total_yen for m in results.months)
    assert [(b.agency, b.new_contracts, b.procedures) for b in results.by_agency] == [
        ("みなと銀行", 1, 1), ("みなと銀行 芝支店", 1, 1), ("みなと銀行 品川支店", 1, 0),
    ]  # fmt: skip

    branch = agency_results(banks["branch"], 2025)
    assert (branch.new_contracts, branch.procedures, branch.by_agency) == (
        {"tosan": 1}, {"both": 1}, []
    )  # fmt: skip
